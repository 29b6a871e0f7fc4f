//! Reading a run directory (`shieldnet run --out DIR`) back for the exports and the web view, and
//! the time and geometry helpers they share.

use shieldnet_sim::report::{TrackRow, TruthRow};
use shieldnet_sim::scenario::{self, Scenario};
use shieldnet_sim::{RunRecord, RunReport};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A run directory could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct RunDirError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong, and what would help.
    pub message: String,
}

fn rerr(path: &Path, e: impl std::fmt::Display) -> RunDirError {
    RunDirError { path: path.to_path_buf(), message: e.to_string() }
}

/// Writes the scenario of a run as `scenario.toml` beside its CSV files.
pub fn write_scenario(dir: &Path, scn: &Scenario) -> Result<(), RunDirError> {
    let path = dir.join("scenario.toml");
    let text = scenario::to_toml_string(scn).map_err(|e| rerr(&path, e))?;
    std::fs::write(&path, text).map_err(|e| rerr(&path, e))
}

/// Everything the exports need of one run.
#[derive(Debug, Clone)]
pub struct RunData {
    /// The scenario (sites, coverage, epoch).
    pub scenario: Scenario,
    /// The report.
    pub report: RunReport,
    /// Truth and picture tracks (detections are not read).
    pub record: RunRecord,
}

fn read_csv<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, RunDirError> {
    let mut r = csv::Reader::from_path(path).map_err(|e| rerr(path, e))?;
    r.deserialize().collect::<Result<Vec<T>, _>>().map_err(|e| rerr(path, e))
}

impl RunData {
    /// Reads `report.json`, `scenario.toml` (or, when absent, the built-in scenario the report names),
    /// `truth.csv` and `tracks.csv` from `dir`.
    pub fn load(dir: &Path) -> Result<Self, RunDirError> {
        let rpath = dir.join("report.json");
        let text = std::fs::read_to_string(&rpath).map_err(|e| {
            rerr(&rpath, format!("{e}; write a run directory with `shieldnet run --out DIR`"))
        })?;
        let report: RunReport = serde_json::from_str(&text).map_err(|e| rerr(&rpath, e))?;
        let spath = dir.join("scenario.toml");
        let scenario = if spath.exists() {
            scenario::load_file(&spath).map_err(|e| rerr(&spath, e))?
        } else {
            scenario::load_builtin(&report.scenario).map_err(|e| {
                rerr(&spath, format!("missing, and {e}; write the run again with `shieldnet run --out DIR`"))
            })?
        };
        let truth: Vec<TruthRow> = read_csv(&dir.join("truth.csv"))?;
        let tracks: Vec<TrackRow> = read_csv(&dir.join("tracks.csv"))?;
        Ok(Self { scenario, report, record: RunRecord { truth, tracks, ..RunRecord::default() } })
    }

    /// The epoch as seconds since 1970-01-01T00:00:00Z (UTC offsets applied; local times read as UTC).
    pub fn epoch_unix_s(&self) -> f64 {
        datetime_unix_s(&self.scenario.scenario.epoch)
    }

    /// Time `t` (s after the epoch) as ISO 8601 UTC.
    pub fn iso(&self, t: f64) -> String {
        iso8601(self.epoch_unix_s() + t)
    }

    /// Truth samples per object, in time order, objects by name.
    pub fn truth_by_object(&self) -> BTreeMap<&str, Vec<&TruthRow>> {
        let mut m: BTreeMap<&str, Vec<&TruthRow>> = BTreeMap::new();
        for r in &self.record.truth {
            m.entry(r.object.as_str()).or_default().push(r);
        }
        m
    }

    /// Picture track samples per (party, track id), in time order.
    pub fn tracks_by_party(&self) -> BTreeMap<(&str, u32), Vec<&TrackRow>> {
        let mut m: BTreeMap<(&str, u32), Vec<&TrackRow>> = BTreeMap::new();
        for r in &self.record.tracks {
            m.entry((r.party.as_str(), r.track)).or_default().push(r);
        }
        m
    }

    /// Start and end of the run, s after the epoch.
    pub fn span(&self) -> (f64, f64) {
        (0.0, self.report.duration_s)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A TOML datetime as seconds since the Unix epoch.
pub fn datetime_unix_s(dt: &toml::value::Datetime) -> f64 {
    let days =
        dt.date.map_or(0, |d| days_from_civil(i64::from(d.year), u32::from(d.month), u32::from(d.day)));
    let secs = dt.time.map_or(0.0, |t| {
        f64::from(t.hour) * 3600.0
            + f64::from(t.minute) * 60.0
            + f64::from(t.second.unwrap_or(0))
            + f64::from(t.nanosecond.unwrap_or(0)) * 1e-9
    });
    let offset = match dt.offset {
        Some(toml::value::Offset::Custom { minutes }) => f64::from(minutes) * 60.0,
        _ => 0.0,
    };
    days as f64 * 86_400.0 + secs - offset
}

/// Seconds since the Unix epoch as ISO 8601 UTC, e.g. `2015-06-01T12:00:00Z` (milliseconds when
/// not whole).
pub fn iso8601(unix_s: f64) -> String {
    let ms = (unix_s * 1000.0).round() as i64;
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    if milli == 0 {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
    }
}

/// Mean Earth radius used for footprints drawn on the sphere, m.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The point `dist_m` along the great circle from (lat, lon) at azimuth `az_deg` (clockwise from
/// north); degrees in and out.
pub fn destination(lat_deg: f64, lon_deg: f64, az_deg: f64, dist_m: f64) -> (f64, f64) {
    let (p1, l1, th, d) =
        (lat_deg.to_radians(), lon_deg.to_radians(), az_deg.to_radians(), dist_m / EARTH_RADIUS_M);
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * th.cos()).asin();
    let l2 = l1 + (th.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    let lon = (l2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
    (p2.to_degrees(), lon)
}

/// Ground distance between two points, m (haversine).
pub fn ground_distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

/// Ground footprint of a radar's coverage: its azimuth sector out to its instrumented range,
/// capped at the range of the horizon for a target at 1,000 km altitude. A closed ring of
/// (lon, lat) pairs, degrees.
pub fn radar_footprint(r: &shieldnet_sim::scenario::Radar) -> Vec<(f64, f64)> {
    let horizon = (2.0 * EARTH_RADIUS_M * 1.0e6 + 1.0e12).sqrt();
    let reach = (r.max_range_km * 1000.0).min(horizon);
    let mut ring = Vec::new();
    let full = r.half_width_az_deg >= 180.0;
    if !full {
        ring.push((r.lon_deg, r.lat_deg));
    }
    let steps = 48;
    let (a0, span) = if full {
        (0.0, 360.0)
    } else {
        (r.boresight_az_deg - r.half_width_az_deg, 2.0 * r.half_width_az_deg)
    };
    for i in 0..=steps {
        let az = a0 + span * f64::from(i) / f64::from(steps);
        let (lat, lon) = destination(r.lat_deg, r.lon_deg, az, reach);
        ring.push((lon, lat));
    }
    if let Some(first) = ring.first().copied()
        && ring.last() != Some(&first)
    {
        ring.push(first);
    }
    ring
}

/// A circle of radius `radius_m` around (lat, lon) as a closed ring of (lon, lat) pairs.
pub fn circle(lat_deg: f64, lon_deg: f64, radius_m: f64) -> Vec<(f64, f64)> {
    let mut ring: Vec<(f64, f64)> = (0..=36)
        .map(|i| {
            let (la, lo) = destination(lat_deg, lon_deg, f64::from(i) * 10.0, radius_m);
            (lo, la)
        })
        .collect();
    if let (Some(f), Some(l)) = (ring.first().copied(), ring.last_mut()) {
        *l = f;
    }
    ring
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00Z");
        // 2015-06-01T12:00:00Z is 1433160000 s after the Unix epoch.
        let dt: toml::value::Datetime = "2015-06-01T12:00:00Z".parse().unwrap();
        assert_eq!(datetime_unix_s(&dt), 1_433_160_000.0);
        assert_eq!(iso8601(1_433_160_000.0 + 90.5), "2015-06-01T12:01:30.500Z");
        let dt: toml::value::Datetime = "2015-06-01T14:00:00+02:00".parse().unwrap();
        assert_eq!(datetime_unix_s(&dt), 1_433_160_000.0);
    }

    #[test]
    fn great_circle() {
        let (lat, lon) = destination(0.0, 0.0, 90.0, EARTH_RADIUS_M * std::f64::consts::FRAC_PI_2);
        assert!(lat.abs() < 1e-9 && (lon - 90.0).abs() < 1e-9);
        assert!(
            (ground_distance_m(0.0, 0.0, 0.0, 90.0) - EARTH_RADIUS_M * std::f64::consts::FRAC_PI_2).abs()
                < 1e-3
        );
    }
}
