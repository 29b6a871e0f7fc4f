//! The rules a deserialised scenario must satisfy, each problem named by its field path.
//!
//! The bounds are listed in the documentation of the parent module.

use super::error::FieldPath;
use super::schema::{MissileType, Scenario};
use shieldnet_earth::Geodetic;
use shieldnet_earth::constants::MEAN_RADIUS;
use std::collections::BTreeMap;

#[path = "validate_battle.rs"]
mod battle;
mod sensors;
mod tracking;

/// One rule broken, before it is located in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    /// Where.
    pub path: FieldPath,
    /// What is wrong.
    pub message: String,
    /// What would be valid.
    pub hint: String,
}

/// Lowest site altitude accepted, m (the Dead Sea shore is about -430 m).
pub const MIN_SITE_ALT_M: f64 = -500.0;
/// Highest site altitude accepted, m (above the highest summit, 8849 m).
pub const MAX_SITE_ALT_M: f64 = 10_000.0;

/// An interval of valid values.
#[derive(Debug, Clone, Copy)]
enum Bound {
    /// [lo, hi]
    Closed(f64, f64),
    /// [lo, hi)
    ClosedOpen(f64, f64),
    /// (lo, hi]
    OpenClosed(f64, f64),
    /// > lo
    Above(f64),
    /// >= lo
    AtLeast(f64),
}

impl Bound {
    fn contains(self, v: f64) -> bool {
        v.is_finite()
            && match self {
                Bound::Closed(lo, hi) => lo <= v && v <= hi,
                Bound::ClosedOpen(lo, hi) => lo <= v && v < hi,
                Bound::OpenClosed(lo, hi) => lo < v && v <= hi,
                Bound::Above(lo) => v > lo,
                Bound::AtLeast(lo) => v >= lo,
            }
    }

    fn describe(self, unit: &str) -> String {
        let interval = match self {
            Bound::Closed(lo, hi) => format!("a value in [{lo}, {hi}]"),
            Bound::ClosedOpen(lo, hi) => format!("a value in [{lo}, {hi})"),
            Bound::OpenClosed(lo, hi) => format!("a value in ({lo}, {hi}]"),
            Bound::Above(lo) => format!("a value > {lo}"),
            Bound::AtLeast(lo) => format!("a value >= {lo}"),
        };
        if unit.is_empty() { format!("expected {interval}") } else { format!("expected {interval} {unit}") }
    }
}

const LAT: Bound = Bound::Closed(-90.0, 90.0);
const LON: Bound = Bound::Closed(-180.0, 180.0);
const ALT: Bound = Bound::Closed(MIN_SITE_ALT_M, MAX_SITE_ALT_M);
const POSITIVE: Bound = Bound::Above(0.0);
const NON_NEGATIVE: Bound = Bound::AtLeast(0.0);
const PROBABILITY: Bound = Bound::Closed(0.0, 1.0);
const ELEVATION: Bound = Bound::Closed(-90.0, 90.0);

/// Collects problems.
#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, path: FieldPath, message: impl Into<String>, hint: impl Into<String>) {
        self.problems.push(Problem { path, message: message.into(), hint: hint.into() });
    }

    /// Checks a number against a bound; `what` names it in the message, `unit` follows the interval.
    fn number(&mut self, path: FieldPath, v: f64, bound: Bound, what: &str, unit: &str) -> bool {
        if bound.contains(v) {
            return true;
        }
        let message = if v.is_finite() {
            format!("{what} {v} is out of range")
        } else {
            format!("{what} {v} is not a finite number")
        };
        self.push(path, message, bound.describe(unit));
        false
    }

    fn lat(&mut self, path: FieldPath, v: f64) -> bool {
        self.number(path, v, LAT, "latitude", "degrees")
    }

    fn lon(&mut self, path: FieldPath, v: f64) -> bool {
        self.number(path, v, LON, "longitude", "degrees")
    }

    fn alt(&mut self, path: FieldPath, v: f64) -> bool {
        self.number(path, v, ALT, "altitude", "m")
    }

    fn not_empty(&mut self, path: FieldPath, v: &str, what: &str) {
        if v.trim().is_empty() {
            self.push(path, format!("{what} is empty"), format!("expected a non-empty {what}"));
        }
    }

    /// Checks that `name` is one of `known`; `kind` is singular ("party"), `kinds` plural ("parties").
    fn known<'a>(
        &mut self,
        path: FieldPath,
        name: &str,
        known: impl IntoIterator<Item = &'a str> + Clone,
        kind: &str,
        kinds: &str,
    ) {
        if known.clone().into_iter().any(|k| k == name) {
            return;
        }
        let list: Vec<&str> = known.into_iter().collect();
        let hint = if list.is_empty() {
            format!("no {kinds} are defined")
        } else {
            format!("known {kinds}: {}", list.join(", "))
        };
        self.push(path, format!("unknown {kind} `{name}`"), hint);
    }

    /// Checks that ids are unique within one array of tables (`table` is its TOML name).
    fn unique_ids<'a>(&mut self, table: &str, ids: impl Iterator<Item = &'a str>) {
        let mut first: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, id) in ids.enumerate() {
            let path = FieldPath::root().key(table).index(i).key("id");
            self.not_empty(path.clone(), id, "id");
            if let Some(&j) = first.get(id) {
                self.push(
                    path,
                    format!("duplicate {table} id `{id}` (already used by {table}[{j}])"),
                    format!("expected an id not used by any other [[{table}]]"),
                );
            } else {
                first.insert(id, i);
            }
        }
    }
}

/// Every problem with `s`, in no particular order.
pub(crate) fn validate(s: &Scenario) -> Vec<Problem> {
    let mut c = Checker::default();
    let root = FieldPath::root();
    let parties: Vec<&str> = s.parties.iter().map(|p| p.id.as_str()).collect();
    let party_names = || parties.iter().copied();

    // [scenario]
    let h = root.key("scenario");
    c.not_empty(h.key("name"), &s.scenario.name, "scenario name");
    let epoch = &s.scenario.epoch;
    if epoch.date.is_none() || epoch.time.is_none() || epoch.offset.is_none() {
        c.push(
            h.key("epoch"),
            format!("epoch {epoch} is not a full date-time with a UTC offset"),
            "expected a UTC instant such as 2015-06-01T12:00:00Z",
        );
    }
    let duration_ok = c.number(h.key("duration_s"), s.scenario.duration_s, POSITIVE, "duration", "s");
    if c.number(h.key("time_step_s"), s.scenario.time_step_s, POSITIVE, "time step", "s")
        && duration_ok
        && s.scenario.time_step_s > s.scenario.duration_s
    {
        c.push(
            h.key("time_step_s"),
            format!(
                "time step {} s is longer than the duration {} s",
                s.scenario.time_step_s, s.scenario.duration_s
            ),
            format!("expected a value in (0, {}] s (at most duration_s)", s.scenario.duration_s),
        );
    }

    // [[party]]
    if s.parties.is_empty() {
        c.push(
            root.key("party"),
            "no parties are defined",
            "expected at least one [[party]] table with an id",
        );
    }
    c.unique_ids("party", s.parties.iter().map(|p| p.id.as_str()));
    for (i, party) in s.parties.iter().enumerate() {
        let p = root.key("party").index(i);
        match (party.fusion, party.fusion_correlation) {
            (super::schema::FusionChoice::BarShalomCampo, None) => c.push(
                p.key("fusion"),
                "bar_shalom_campo needs the assumed correlation",
                "expected `fusion_correlation` in [0, 1) beside `fusion = \"bar_shalom_campo\"`",
            ),
            (super::schema::FusionChoice::BarShalomCampo, Some(r)) => {
                c.number(p.key("fusion_correlation"), r, Bound::ClosedOpen(0.0, 1.0), "correlation", "");
            }
            (_, Some(_)) => c.push(
                p.key("fusion_correlation"),
                "a correlation is given but the fusion rule does not use one",
                "expected `fusion = \"bar_shalom_campo\"` with it, or no `fusion_correlation`",
            ),
            (_, None) => {}
        }
    }

    // [[radar]]
    c.unique_ids("radar", s.radars.iter().map(|r| r.id.as_str()));
    for (i, r) in s.radars.iter().enumerate() {
        let p = root.key("radar").index(i);
        c.known(p.key("party"), &r.party, party_names(), "party", "parties");
        c.lat(p.key("lat_deg"), r.lat_deg);
        c.lon(p.key("lon_deg"), r.lon_deg);
        c.alt(p.key("alt_m"), r.alt_m);
        c.number(
            p.key("boresight_az_deg"),
            r.boresight_az_deg,
            Bound::ClosedOpen(0.0, 360.0),
            "boresight azimuth",
            "degrees",
        );
        c.number(
            p.key("half_width_az_deg"),
            r.half_width_az_deg,
            Bound::OpenClosed(0.0, 180.0),
            "azimuth half-width",
            "degrees (180 = all round)",
        );
        let min_ok = c.number(p.key("min_el_deg"), r.min_el_deg, ELEVATION, "minimum elevation", "degrees");
        let max_ok = c.number(p.key("max_el_deg"), r.max_el_deg, ELEVATION, "maximum elevation", "degrees");
        if min_ok && max_ok && r.min_el_deg >= r.max_el_deg {
            c.push(
                p.key("min_el_deg"),
                format!(
                    "minimum elevation {} is not below the maximum elevation {}",
                    r.min_el_deg, r.max_el_deg
                ),
                "expected min_el_deg < max_el_deg",
            );
        }
        c.number(p.key("max_range_km"), r.max_range_km, POSITIVE, "maximum range", "km");
        c.number(p.key("revisit_s"), r.revisit_s, POSITIVE, "revisit time", "s");
        c.number(p.key("sigma_range_m"), r.sigma_range_m, POSITIVE, "range noise", "m");
        c.number(p.key("sigma_az_mrad"), r.sigma_az_mrad, POSITIVE, "azimuth noise", "mrad");
        c.number(p.key("sigma_el_mrad"), r.sigma_el_mrad, POSITIVE, "elevation noise", "mrad");
        c.number(p.key("pd"), r.pd, PROBABILITY, "detection probability", "");
        c.number(
            p.key("false_alarms_per_scan"),
            r.false_alarms_per_scan,
            NON_NEGATIVE,
            "false alarm rate",
            "per scan",
        );
        sensors::radar_extras(&mut c, &p, r);
    }
    sensors::ir_satellites(&mut c, s, party_names());

    // [interceptor_types.*]
    for (name, t) in &s.interceptor_types {
        let p = root.key("interceptor_types").key(name.as_str());
        c.not_empty(p.clone(), name, "interceptor type name");
        c.number(p.key("burnout_speed_km_s"), t.burnout_speed_km_s, POSITIVE, "burnout speed", "km/s");
        c.number(p.key("burn_time_s"), t.burn_time_s, POSITIVE, "burn time", "s");
        c.number(p.key("max_range_km"), t.max_range_km, POSITIVE, "maximum range", "km");
        let min_ok = c.number(
            p.key("min_intercept_alt_km"),
            t.min_intercept_alt_km,
            NON_NEGATIVE,
            "minimum intercept altitude",
            "km",
        );
        let max_ok = c.number(
            p.key("max_intercept_alt_km"),
            t.max_intercept_alt_km,
            POSITIVE,
            "maximum intercept altitude",
            "km",
        );
        if min_ok && max_ok && t.min_intercept_alt_km >= t.max_intercept_alt_km {
            c.push(
                p.key("min_intercept_alt_km"),
                format!(
                    "minimum intercept altitude {} km is not below the maximum {} km",
                    t.min_intercept_alt_km, t.max_intercept_alt_km
                ),
                "expected min_intercept_alt_km < max_intercept_alt_km",
            );
        }
        c.number(p.key("pk"), t.pk, PROBABILITY, "kill probability", "");
        c.number(p.key("reaction_time_s"), t.reaction_time_s, NON_NEGATIVE, "reaction time", "s");
        c.number(p.key("kill_assessment_s"), t.kill_assessment_s, NON_NEGATIVE, "kill assessment time", "s");
        c.number(p.key("divert_km"), t.divert_km, POSITIVE, "divert radius", "km");
    }

    // [[battery]]
    c.unique_ids("battery", s.batteries.iter().map(|b| b.id.as_str()));
    for (i, b) in s.batteries.iter().enumerate() {
        let p = root.key("battery").index(i);
        c.known(p.key("party"), &b.party, party_names(), "party", "parties");
        c.lat(p.key("lat_deg"), b.lat_deg);
        c.lon(p.key("lon_deg"), b.lon_deg);
        c.alt(p.key("alt_m"), b.alt_m);
        c.known(
            p.key("interceptor"),
            &b.interceptor,
            s.interceptor_types.keys().map(String::as_str),
            "interceptor type",
            "interceptor types",
        );
    }

    // [missile_types.*]
    for (name, m) in &s.missile_types {
        let p = root.key("missile_types").key(name.as_str());
        c.not_empty(p.clone(), name, "missile type name");
        c.number(p.key("burnout_time_s"), m.burnout_time_s, POSITIVE, "burnout time", "s");
        c.number(p.key("burnout_altitude_km"), m.burnout_altitude_km, POSITIVE, "burnout altitude", "km");
        c.number(
            p.key("burnout_downrange_km"),
            m.burnout_downrange_km,
            POSITIVE,
            "burnout downrange distance",
            "km",
        );
        c.number(p.key("rcs_booster_m2"), m.rcs_booster_m2, POSITIVE, "booster radar cross-section", "m²");
        c.number(p.key("rcs_rv_m2"), m.rcs_rv_m2, POSITIVE, "reentry vehicle radar cross-section", "m²");
    }

    // [[defended_asset]]
    c.unique_ids("defended_asset", s.defended_assets.iter().map(|a| a.id.as_str()));
    for (i, a) in s.defended_assets.iter().enumerate() {
        let p = root.key("defended_asset").index(i);
        c.known(p.key("party"), &a.party, party_names(), "party", "parties");
        c.lat(p.key("lat_deg"), a.lat_deg);
        c.lon(p.key("lon_deg"), a.lon_deg);
        c.number(p.key("radius_km"), a.radius_km, POSITIVE, "radius", "km");
        c.number(p.key("value"), a.value, NON_NEGATIVE, "value", "");
    }

    // [[sharing]]
    for (i, sh) in s.sharing.iter().enumerate() {
        let p = root.key("sharing").index(i);
        c.known(p.key("from"), &sh.from, party_names(), "party", "parties");
        c.known(p.key("to"), &sh.to, party_names(), "party", "parties");
        if sh.from == sh.to {
            c.push(
                p.key("to"),
                format!("party `{}` shares with itself", sh.to),
                "expected `to` to name a party other than `from`",
            );
        }
        if sh.what.is_empty() {
            c.push(
                p.key("what"),
                "nothing is shared",
                "expected at least one of \"launch_notices\", \"tracks\", \"engagements\", \"detections\"",
            );
        }
        c.number(p.key("interval_s"), sh.interval_s, POSITIVE, "reporting interval", "s");
        c.number(p.key("latency_s"), sh.latency_s, NON_NEGATIVE, "latency", "s");
        c.number(p.key("loss"), sh.loss, PROBABILITY, "loss probability", "");
        if let Some(region) = &sh.region {
            if region.len() < 3 {
                c.push(
                    p.key("region"),
                    format!("region has {} vertices", region.len()),
                    "expected a polygon of at least 3 [latitude, longitude] vertices",
                );
            }
            for (k, v) in region.iter().enumerate() {
                c.lat(p.key("region").index(k).index(0), v[0]);
                c.lon(p.key("region").index(k).index(1), v[1]);
            }
        }
        if let Some(h) = sh.min_altitude_km {
            c.number(p.key("min_altitude_km"), h, NON_NEGATIVE, "minimum shared altitude", "km");
        }
        c.number(p.key("jitter_s"), sh.jitter_s, NON_NEGATIVE, "latency jitter", "s");
        if let Some(sigma) = sh.position_sigma_m {
            c.number(p.key("position_sigma_m"), sigma, POSITIVE, "shared position accuracy", "m");
        }
    }

    // [tracking]
    let t = &s.tracking;
    let p = root.key("tracking");
    if t.confirm_m < 1 {
        c.push(p.key("confirm_m"), "confirm_m 0 is out of range", "expected an integer in [1, confirm_n]");
    }
    if t.confirm_n < 1 {
        c.push(p.key("confirm_n"), "confirm_n 0 is out of range", "expected an integer >= 1");
    }
    if t.confirm_m > t.confirm_n {
        c.push(
            p.key("confirm_m"),
            format!("confirm_m {} exceeds confirm_n {}", t.confirm_m, t.confirm_n),
            "expected 1 <= confirm_m <= confirm_n (M detections in the last N looks)",
        );
    }
    if t.delete_after_misses < 1 {
        c.push(
            p.key("delete_after_misses"),
            "delete_after_misses 0 is out of range",
            "expected an integer >= 1",
        );
    }
    c.number(p.key("accel_noise_m2_s3"), t.accel_noise_m2_s3, NON_NEGATIVE, "process noise", "m²/s³");
    tracking::party_overrides(&mut c, s, party_names());
    tracking::jipda_confirmation(&mut c, s);

    // [[raid]]
    if s.raids.is_empty() {
        c.push(root.key("raid"), "no raids are defined", "expected at least one [[raid]] table");
    }
    c.unique_ids("raid", s.raids.iter().map(|r| r.id.as_str()));
    let duration = s.scenario.duration_s;
    for (i, r) in s.raids.iter().enumerate() {
        let p = root.key("raid").index(i);
        c.known(
            p.key("missile"),
            &r.missile,
            s.missile_types.keys().map(String::as_str),
            "missile type",
            "missile types",
        );
        c.lat(p.key("launch_lat_deg"), r.launch_lat_deg);
        c.lon(p.key("launch_lon_deg"), r.launch_lon_deg);
        let launch_ok = LAT.contains(r.launch_lat_deg) && LON.contains(r.launch_lon_deg);
        // The aim point, when it is valid, and the field that sets it.
        let mut aim: Option<(f64, f64, FieldPath)> = None;
        match (&r.aim_asset, r.aim_lat_deg, r.aim_lon_deg) {
            (Some(asset), None, None) => {
                c.known(
                    p.key("aim_asset"),
                    asset,
                    s.defended_assets.iter().map(|a| a.id.as_str()),
                    "defended asset",
                    "defended assets",
                );
                if let Some(a) = s.defended_assets.iter().find(|a| &a.id == asset)
                    && LAT.contains(a.lat_deg)
                    && LON.contains(a.lon_deg)
                {
                    aim = Some((a.lat_deg, a.lon_deg, p.key("aim_asset")));
                }
            }
            (None, Some(lat), Some(lon)) => {
                let lat_ok = c.lat(p.key("aim_lat_deg"), lat);
                let lon_ok = c.lon(p.key("aim_lon_deg"), lon);
                if lat_ok && lon_ok {
                    aim = Some((lat, lon, p.key("aim_lat_deg")));
                }
            }
            (Some(_), _, _) => c.push(
                p.key("aim_asset"),
                "both `aim_asset` and an aim latitude/longitude are given",
                "expected either `aim_asset` or both `aim_lat_deg` and `aim_lon_deg`, not both",
            ),
            (None, None, None) => c.push(
                p.clone(),
                "the raid has no aim point",
                "expected either `aim_asset` or both `aim_lat_deg` and `aim_lon_deg`",
            ),
            (None, Some(_), None) => c.push(
                p.key("aim_lon_deg"),
                "`aim_lat_deg` is given without `aim_lon_deg`",
                "expected both `aim_lat_deg` and `aim_lon_deg`, or `aim_asset`",
            ),
            (None, None, Some(_)) => c.push(
                p.key("aim_lat_deg"),
                "`aim_lon_deg` is given without `aim_lat_deg`",
                "expected both `aim_lat_deg` and `aim_lon_deg`, or `aim_asset`",
            ),
        }
        if let (true, Some((lat, lon, aim_path)), Some(m)) = (launch_ok, aim, s.missile_types.get(&r.missile))
        {
            check_geometry(&mut c, aim_path, (r.launch_lat_deg, r.launch_lon_deg), (lat, lon), &r.missile, m);
        }
        let spacing_ok = c.number(p.key("spacing_s"), r.spacing_s, NON_NEGATIVE, "launch spacing", "s");
        if r.count < 1 {
            c.push(p.key("count"), "count 0 is out of range", "expected at least 1 missile");
        }
        let window = if duration.is_finite() && duration > 0.0 {
            Bound::ClosedOpen(0.0, duration)
        } else {
            Bound::AtLeast(0.0)
        };
        let time_ok = c.number(p.key("time_s"), r.time_s, window, "launch time", "s, inside the scenario");
        if time_ok && spacing_ok && r.count > 1 && duration.is_finite() && duration > 0.0 {
            let last = r.time_s + f64::from(r.count - 1) * r.spacing_s;
            if last >= duration {
                c.push(
                    p.key("count"),
                    format!("the last of {} launches is at {last} s, not before the scenario ends at {duration} s", r.count),
                    format!("expected time_s + (count - 1) * spacing_s < duration_s ({duration} s)"),
                );
            }
        }
    }

    battle::check(&mut c, s);
    c.problems
}

/// Largest launch-to-aim central angle the threat flight accepts, rad (nearly antipodal points leave the
/// trajectory plane undefined; the same limit as `shieldnet_flight::threat::fly_threat`).
const MAX_CENTRAL_ANGLE_RAD: f64 = std::f64::consts::PI - 0.02;

/// Checks that a raid's ground range suits its missile: at least twice the burnout downrange (the boost
/// must end before mid-course), at least 1 km, and not nearly antipodal.
fn check_geometry(
    c: &mut Checker,
    path: FieldPath,
    launch: (f64, f64),
    aim: (f64, f64),
    missile: &str,
    m: &MissileType,
) {
    let geodetic = |(lat, lon): (f64, f64)| Geodetic::from_degrees(lat, lon, 0.0);
    let psi = geodetic(launch).central_angle_to(&geodetic(aim));
    let range_km = psi * MEAN_RADIUS / 1e3;
    if psi > MAX_CENTRAL_ANGLE_RAD {
        c.push(
            path,
            format!("the aim point is nearly antipodal to the launch point ({:.2}° apart)", psi.to_degrees()),
            format!(
                "expected launch and aim points less than {:.2}° apart",
                MAX_CENTRAL_ANGLE_RAD.to_degrees()
            ),
        );
        return;
    }
    let burnout = m.burnout_downrange_km;
    if !POSITIVE.contains(burnout) {
        return;
    }
    let min_km = (2.0 * burnout).max(1.0);
    if range_km < min_km {
        c.push(
            path,
            format!(
                "the ground range {range_km:.1} km is too short for missile `{missile}` (burnout {burnout} km downrange)"
            ),
            format!(
                "expected a ground range of at least {min_km} km (twice the missile's burnout_downrange_km)"
            ),
        );
    }
}
