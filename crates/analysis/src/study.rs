//! Studies: interceptor sites, threat trajectories (launch field → aim point with a notional boost),
//! burnout speeds and launch delays. Built-in studies: `russia-us`, `epaa`, `iran`.
//!
//! All parameters of real systems here are **notional**, from public reporting
//! (`bmd-field.md` §2.10, §3), and labelled as such in every output.

use crate::error::AnalysisError;
use crate::reach::Envelope;
use serde::Serialize;
use shieldnet_earth::Geodetic;
use shieldnet_flight::BoostSpec;

/// A named point, degrees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedPoint {
    /// Name.
    pub name: String,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
}

impl NamedPoint {
    /// A point from a name and degrees.
    pub fn new(name: &str, lat_deg: f64, lon_deg: f64) -> Self {
        Self { name: name.to_string(), lat_deg, lon_deg }
    }

    /// The point on the ellipsoid.
    pub fn geodetic(&self) -> Geodetic {
        Geodetic::from_degrees(self.lat_deg, self.lon_deg, 0.0)
    }
}

/// How a site is based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basing {
    /// A land site (Aegis Ashore class).
    Land,
    /// A ship at a fixed sea position.
    Sea,
}

/// An interceptor site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Where, and its name.
    pub point: NamedPoint,
    /// Land or sea.
    pub basing: Basing,
    /// Burnout speeds of this site's interceptors, m/s (None: the study's list).
    pub burnout_speeds_m_s: Option<Vec<f64>>,
    /// What the site stands for (e.g. "EPAA phase 2, SM-3 IB, notional 3.0 km/s").
    pub note: String,
}

/// One threat trajectory to fly: minimum-energy from `launch` to `aim` with a kinematic boost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThreatSpec {
    /// Launch field.
    pub launch: NamedPoint,
    /// Aim point.
    pub aim: NamedPoint,
    /// Boost to the burnout point.
    pub boost: BoostSpec,
    /// Class label ("icbm", "irbm").
    pub class: String,
}

/// A study: what is swept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Study {
    /// Name.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Sites.
    pub sites: Vec<Site>,
    /// Threat trajectories.
    pub threats: Vec<ThreatSpec>,
    /// Burnout speeds, m/s (for sites without their own).
    pub burnout_speeds_m_s: Vec<f64>,
    /// Interceptor launch delays after threat burnout, s.
    pub delays_s: Vec<f64>,
    /// Interceptor envelope.
    pub envelope: Envelope,
    /// Study-specific notes added to the assumptions.
    pub notes: Vec<String>,
}

/// Names of the built-in studies.
pub const STUDY_NAMES: [&str; 4] = ["russia-us", "epaa", "iran", "basing"];

/// Notional solid-propellant ICBM boost: burnout at 180 s, 240 km altitude, 450 km downrange (close
/// to the flight crate's `icbm` preset: 177 s, 238 km).
pub const ICBM_BOOST: BoostSpec =
    BoostSpec { burnout_time_s: 180.0, burnout_altitude_m: 240e3, burnout_downrange_m: 450e3 };
/// Notional two-stage IRBM boost: burnout at 140 s, 160 km altitude, 250 km downrange.
pub const IRBM_BOOST: BoostSpec =
    BoostSpec { burnout_time_s: 140.0, burnout_altitude_m: 160e3, burnout_downrange_m: 250e3 };

/// Russian ICBM fields of the `russia-us` study (issue 7).
pub fn russian_fields() -> Vec<NamedPoint> {
    vec![
        NamedPoint::new("Kozelsk", 54.03, 35.77),
        NamedPoint::new("Tatishchevo", 51.67, 45.57),
        NamedPoint::new("Teykovo", 56.85, 40.53),
        NamedPoint::new("Yoshkar-Ola", 56.63, 47.85),
        NamedPoint::new("Vypolzovo", 57.85, 33.67),
        NamedPoint::new("Dombarovsky", 51.09, 59.84),
    ]
}

/// North American aim points of the `russia-us` study (issue 7).
pub fn us_aims() -> Vec<NamedPoint> {
    vec![
        NamedPoint::new("Washington", 38.90, -77.04),
        NamedPoint::new("New York", 40.71, -74.01),
        NamedPoint::new("Chicago", 41.88, -87.63),
        NamedPoint::new("Minot", 48.42, -101.33),
        NamedPoint::new("Malmstrom", 47.50, -111.19),
        NamedPoint::new("Los Angeles", 34.05, -118.24),
        NamedPoint::new("Seattle", 47.61, -122.33),
    ]
}

/// Notional Iranian launch areas (bmd-field.md §3.1).
pub fn iranian_areas() -> Vec<NamedPoint> {
    vec![
        NamedPoint::new("Tabriz", 38.08, 46.29),
        NamedPoint::new("Semnan", 35.23, 53.92),
        NamedPoint::new("Shahrud", 36.20, 55.33),
        NamedPoint::new("Isfahan", 32.65, 51.67),
    ]
}

/// European and North American aim points of the `iran` study.
pub fn iran_aims() -> Vec<NamedPoint> {
    vec![
        NamedPoint::new("London", 51.51, -0.10),
        NamedPoint::new("Paris", 48.87, 2.38),
        NamedPoint::new("Berlin", 52.50, 13.42),
        NamedPoint::new("Rome", 41.93, 12.52),
        NamedPoint::new("Madrid", 40.45, -3.72),
        NamedPoint::new("Warsaw", 52.23, 21.01),
        NamedPoint::new("Washington", 38.90, -77.04),
        NamedPoint::new("New York", 40.71, -74.01),
    ]
}

/// Minimum-energy trajectories from every launch point to every aim point; the boost is the ICBM's
/// when the ground range exceeds 5,500 km, else the IRBM's.
pub fn threats(launches: &[NamedPoint], aims: &[NamedPoint]) -> Vec<ThreatSpec> {
    let mut out = Vec::with_capacity(launches.len() * aims.len());
    for l in launches {
        for a in aims {
            let range_m =
                l.geodetic().central_angle_to(&a.geodetic()) * shieldnet_earth::constants::MEAN_RADIUS;
            let (boost, class) = if range_m > 5_500e3 { (ICBM_BOOST, "icbm") } else { (IRBM_BOOST, "irbm") };
            out.push(ThreatSpec { launch: l.clone(), aim: a.clone(), boost, class: class.to_string() });
        }
    }
    out
}

fn site(name: &str, lat: f64, lon: f64, basing: Basing, speeds: Option<&[f64]>, note: &str) -> Site {
    Site {
        point: NamedPoint::new(name, lat, lon),
        basing,
        burnout_speeds_m_s: speeds.map(|s| s.iter().map(|v| v * 1e3).collect()),
        note: note.to_string(),
    }
}

/// Sea positions of the `basing` study: (name, lat, lon) degrees.
pub const SEA_POSITIONS: [(&str, f64, f64); 12] = [
    ("Baltic 56N 18E", 56.0, 18.0),
    ("North Sea 56N 3E", 56.0, 3.0),
    ("North Sea 59N 2E", 59.0, 2.0),
    ("Atlantic 54N 15W", 54.0, -15.0),
    ("Norwegian Sea 64N 0E", 64.0, 0.0),
    ("Norwegian Sea 67N 5E", 67.0, 5.0),
    ("Norwegian Sea 70N 10E", 70.0, 10.0),
    ("Iceland Sea 68N 12W", 68.0, -12.0),
    ("Greenland Sea 72N 5W", 72.0, -5.0),
    ("Greenland Sea 76N 0E", 76.0, 0.0),
    ("Barents Sea 74N 20E", 74.0, 20.0),
    ("Barents Sea 72N 30E", 72.0, 30.0),
];

/// Burnout speeds 3.0, 3.5, …, 6.0 km/s, in m/s.
pub fn default_speeds_m_s() -> Vec<f64> {
    (0..=6).map(|i| 3_000.0 + 500.0 * i as f64).collect()
}

/// A built-in study by name.
pub fn builtin(name: &str) -> Result<Study, AnalysisError> {
    let deveselu = |speeds, note| site("Deveselu", 44.079, 24.413, Basing::Land, speeds, note);
    let redzikowo = |speeds, note| site("Redzikowo", 54.479, 17.109, Basing::Land, speeds, note);
    match name {
        "russia-us" => Ok(Study {
            name: name.into(),
            description: "Russian ICBM fields toward North American targets (42 minimum-energy \
                          trajectories) against European land and sea sites"
                .into(),
            sites: vec![
                deveselu(None, "Aegis Ashore Romania"),
                redzikowo(None, "Aegis Ashore Poland"),
                site("Norwegian Sea ship", 68.0, 3.0, Basing::Sea, None, "notional ship station"),
                site("North Sea ship", 57.0, 3.0, Basing::Sea, None, "notional ship station"),
            ],
            threats: threats(&russian_fields(), &us_aims()),
            burnout_speeds_m_s: default_speeds_m_s(),
            delays_s: vec![60.0],
            envelope: Envelope::default(),
            notes: vec![],
        }),
        "epaa" => Ok(Study {
            name: name.into(),
            description: "EPAA phases (2011 ships SM-3 IA; 2015 Deveselu SM-3 IB; 2018 Redzikowo SM-3 \
                          IIA; cancelled phase 4 SM-3 IIB) against Russian ICBMs toward North America"
                .into(),
            sites: vec![
                site(
                    "P1-2011 ship E. Med",
                    34.5,
                    25.0,
                    Basing::Sea,
                    Some(&[3.0]),
                    "EPAA phase 1 (2011): Aegis ship, SM-3 IA, notional 3.0 km/s",
                ),
                deveselu(Some(&[3.0]), "EPAA phase 2 (2015): Aegis Ashore, SM-3 IB, notional 3.0 km/s"),
                redzikowo(Some(&[4.5]), "EPAA phase 3 (2018): Aegis Ashore, SM-3 IIA, notional 4.5 km/s"),
                site(
                    "P4-cancelled Redzikowo IIB",
                    54.479,
                    17.109,
                    Basing::Land,
                    Some(&[5.5]),
                    "EPAA phase 4 (cancelled 2013): SM-3 IIB, notional 5.5 km/s",
                ),
                site(
                    "P4-cancelled North Sea IIB",
                    57.0,
                    3.0,
                    Basing::Sea,
                    Some(&[5.5]),
                    "phase 4 interceptor on a notional North Sea ship (basing what-if)",
                ),
            ],
            threats: threats(&russian_fields(), &us_aims()),
            burnout_speeds_m_s: default_speeds_m_s(),
            delays_s: vec![60.0],
            envelope: Envelope::default(),
            notes: vec![
                "EPAA sites and interceptor generations are notional public-reporting values \
                 (bmd-field.md §2.10, §3.3); a site's own burnout speed is used unless \
                 --burnout-speed is given"
                    .into(),
            ],
        }),
        "iran" => Ok(Study {
            name: name.into(),
            description: "Notional Iranian launch areas toward European and North American targets \
                          against EPAA sites and ships"
                .into(),
            sites: vec![
                deveselu(None, "Aegis Ashore Romania"),
                redzikowo(None, "Aegis Ashore Poland"),
                site("E. Med ship", 34.5, 25.0, Basing::Sea, None, "notional ship station"),
                site("Black Sea ship", 43.0, 34.0, Basing::Sea, None, "notional ship station"),
            ],
            threats: threats(&iranian_areas(), &iran_aims()),
            burnout_speeds_m_s: default_speeds_m_s(),
            delays_s: vec![60.0],
            envelope: Envelope::default(),
            notes: vec!["Iranian launch areas are notional city/test-range centroids".into()],
        }),
        "basing" => Ok(Study {
            name: name.into(),
            description: "Basing sweep: ships at 12 sea positions from the Baltic and North Sea to the \
                          Barents and Greenland Seas against the russia-us trajectories"
                .into(),
            sites: SEA_POSITIONS
                .iter()
                .map(|&(n, lat, lon)| site(n, lat, lon, Basing::Sea, None, "notional ship station"))
                .collect(),
            threats: threats(&russian_fields(), &us_aims()),
            burnout_speeds_m_s: default_speeds_m_s(),
            delays_s: vec![60.0],
            envelope: Envelope::default(),
            notes: vec!["Sea positions are notional ship stations chosen to sweep basing".into()],
        }),
        other => Err(AnalysisError::UnknownStudy { name: other.to_string(), valid: STUDY_NAMES.join(", ") }),
    }
}

/// Parses `NAME=LAT,LON` (degrees) into a site; the basing is `sea` if the name contains "ship".
pub fn parse_site(s: &str) -> Result<Site, AnalysisError> {
    let bad = |why: String| AnalysisError::BadSite { input: s.to_string(), why };
    let (name, coords) = s.split_once('=').ok_or_else(|| bad("expected NAME=LAT,LON".into()))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(bad("the name before '=' is empty".into()));
    }
    let (lat, lon) = coords.split_once(',').ok_or_else(|| bad("expected LAT,LON after '='".into()))?;
    let num = |p: &str, what: &str| {
        p.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| bad(format!("{what} {:?} is not a number", p.trim())))
    };
    let (lat, lon) = (num(lat, "latitude")?, num(lon, "longitude")?);
    if lat.abs() > 90.0 {
        return Err(bad(format!("latitude {lat} is out of range [-90, 90]")));
    }
    if lon.abs() > 180.0 {
        return Err(bad(format!("longitude {lon} is out of range [-180, 180]")));
    }
    let basing = if name.to_lowercase().contains("ship") { Basing::Sea } else { Basing::Land };
    Ok(site(name, lat, lon, basing, None, "user-defined site"))
}

/// Checks burnout speeds (m/s, positive, finite) and delays (s, ≥ 0, finite).
pub fn validate_sweep(
    speeds_m_s: &[f64],
    delays_s: &[f64],
    envelope: &Envelope,
) -> Result<(), AnalysisError> {
    if speeds_m_s.is_empty() {
        return Err(AnalysisError::BadValue {
            what: "burnout speed",
            value: f64::NAN,
            valid: "at least one value",
        });
    }
    if let Some(&v) = speeds_m_s.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
        return Err(AnalysisError::BadValue { what: "burnout speed (km/s)", value: v / 1e3, valid: "> 0" });
    }
    if delays_s.is_empty() {
        return Err(AnalysisError::BadValue { what: "delay", value: f64::NAN, valid: "at least one value" });
    }
    if let Some(&d) = delays_s.iter().find(|d| !(d.is_finite() && **d >= 0.0)) {
        return Err(AnalysisError::BadValue { what: "delay (s)", value: d, valid: ">= 0" });
    }
    let e = envelope;
    if !(e.burn_time_s.is_finite() && e.burn_time_s > 0.0) {
        return Err(AnalysisError::BadValue { what: "burn time (s)", value: e.burn_time_s, valid: "> 0" });
    }
    if !(e.min_alt_m.is_finite() && e.min_alt_m >= 0.0) {
        return Err(AnalysisError::BadValue {
            what: "minimum altitude (km)",
            value: e.min_alt_m / 1e3,
            valid: ">= 0",
        });
    }
    if !(e.max_alt_m > e.min_alt_m) {
        return Err(AnalysisError::BadValue {
            what: "maximum altitude (km)",
            value: e.max_alt_m / 1e3,
            valid: "above the minimum altitude",
        });
    }
    if !(e.max_range_m > 0.0) {
        return Err(AnalysisError::BadValue {
            what: "maximum range (km)",
            value: e.max_range_m / 1e3,
            valid: "> 0",
        });
    }
    Ok(())
}
