//! Loading scenarios: every error names the file, line, column and field, and says what would be valid.

use shieldnet_sim::scenario::{
    ErrorKind, Mode, ScenarioError, SharedKind, builtin_description, builtin_names, builtin_source,
    load_builtin, load_file, load_str, to_toml_string,
};

/// A small scenario using every table; each line that a test mutates is unique.
const BASE: &str = r#"[scenario]
name = "base"
description = "test scenario"
epoch = 2015-06-01T12:00:00Z
duration_s = 600.0
time_step_s = 1.0
seed = 5

[cooperation]
mode = "M2"

[tracking]
confirm_m = 2
confirm_n = 3
delete_after_misses = 5
accel_noise_m2_s3 = 10.0

[[party]]
id = "NATO"

[[party]]
id = "RUS"

[[radar]]
id = "r-x"
party = "NATO"
lat_deg = 38.349
lon_deg = 37.794
alt_m = 2085.0
boresight_az_deg = 110.0
half_width_az_deg = 60.0
min_el_deg = 1.0
max_el_deg = 70.0
max_range_km = 1500.0
revisit_s = 1.0
sigma_range_m = 15.0
sigma_az_mrad = 0.5
sigma_el_mrad = 0.6
pd = 0.95
false_alarms_per_scan = 0.5

[[radar]]
id = "r-uhf"
party = "RUS"
lat_deg = 44.93
lon_deg = 40.98
alt_m = 160.0
boresight_az_deg = 175.0
half_width_az_deg = 61.0
min_el_deg = 2.0
max_el_deg = 60.0
max_range_km = 4000.0
revisit_s = 2.0
sigma_range_m = 80.0
sigma_az_mrad = 3.0
sigma_el_mrad = 3.1
pd = 0.9
false_alarms_per_scan = 2.0

[interceptor_types.sm3]
burnout_speed_km_s = 3.0
burn_time_s = 50.0
max_range_km = 900.0
min_intercept_alt_km = 70.0
max_intercept_alt_km = 500.0
pk = 0.7
reaction_time_s = 30.0
kill_assessment_s = 10.0
divert_km = 3.0

[[battery]]
id = "b-dev"
party = "NATO"
lat_deg = 44.079
lon_deg = 24.413
alt_m = 150.0
interceptor = "sm3"
rounds = 24

[missile_types.mrbm]
class = "MRBM"
burnout_time_s = 110.0
burnout_altitude_km = 100.0
burnout_downrange_km = 130.0
rcs_booster_m2 = 5.0
rcs_rv_m2 = 0.1

[[defended_asset]]
id = "bucharest"
party = "NATO"
lat_deg = 44.43
lon_deg = 26.10
radius_km = 30.0
value = 100.0

[[defended_asset]]
id = "krasnodar"
party = "RUS"
lat_deg = 45.04
lon_deg = 38.98
radius_km = 31.0
value = 90.0

[[sharing]]
from = "NATO"
to = "RUS"
what = ["tracks", "engagements"]
interval_s = 2.0
latency_s = 3.0
loss = 0.0

[[sharing]]
from = "RUS"
to = "NATO"
what = ["tracks"]
interval_s = 4.0
latency_s = 5.0
loss = 0.1

[[raid]]
id = "raid-a"
missile = "mrbm"
launch_lat_deg = 38.08
launch_lon_deg = 46.29
aim_asset = "bucharest"
time_s = 0.0
count = 2
spacing_s = 30.0

[[raid]]
id = "raid-b"
missile = "mrbm"
launch_lat_deg = 35.23
launch_lon_deg = 53.92
aim_lat_deg = 45.1
aim_lon_deg = 39.0
time_s = 100.0
"#;

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

/// BASE with the unique line `from` replaced by `to` (which may span several lines).
fn mutate(from: &str, to: &str) -> String {
    mutate_text(BASE, from, to)
}

fn mutate_text(text: &str, from: &str, to: &str) -> String {
    let from_line = format!("\n{from}\n");
    assert_eq!(text.matches(&from_line).count(), 1, "`{from}` must be a unique line of the text");
    text.replacen(&from_line, &format!("\n{to}\n"), 1)
}

/// The 1-based line where the unique block of whole lines `block` starts in `text`.
fn line_of(text: &str, block: &str) -> usize {
    let hits: Vec<usize> = text
        .match_indices(block)
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
        .filter(|&i| matches!(text.as_bytes().get(i + block.len()), None | Some(b'\n')))
        .collect();
    assert_eq!(hits.len(), 1, "`{block}` must occur exactly once as whole lines, found at {hits:?}");
    text[..hits[0]].matches('\n').count() + 1
}

/// The 1-based column where the value of a `key = value` line starts.
fn value_column(line: &str) -> usize {
    line.find("= ").expect("a key = value line") + 3
}

fn load_err(text: &str) -> ScenarioError {
    match load_str(text, "scenario.toml") {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e,
    }
}

/// The problem reported at `field`, failing with the whole list when there is none.
fn problem<'a>(err: &'a ScenarioError, field: &str) -> &'a ScenarioError {
    err.all().find(|e| e.field() == field).unwrap_or_else(|| {
        let all: Vec<String> = err.all().map(ToString::to_string).collect();
        panic!("no problem at `{field}`; found:\n{}", all.join("\n"))
    })
}

/// One mutation of BASE and what must be reported.
struct Case {
    /// A unique line of BASE.
    from: &'static str,
    /// Its replacement.
    to: &'static str,
    /// The field path of the problem.
    field: &'static str,
    /// A phrase of the message or the hint.
    phrase: &'static str,
    /// The block whose first line the error must point at (default: the first line of `to` that differs
    /// from `from`, at its value).
    at: Option<&'static str>,
}

const fn case(from: &'static str, to: &'static str, field: &'static str, phrase: &'static str) -> Case {
    Case { from, to, field, phrase, at: None }
}

const fn case_at(
    from: &'static str,
    to: &'static str,
    field: &'static str,
    phrase: &'static str,
    at: &'static str,
) -> Case {
    Case { from, to, field, phrase, at: Some(at) }
}

/// Runs the cases; each must give exactly one problem of `kind`, at the expected field, line and column.
fn check(cases: &[Case], kind: ErrorKind) {
    let mut failures = Vec::new();
    for c in cases {
        let text = mutate(c.from, c.to);
        let err = match load_str(&text, "scenario.toml") {
            Ok(_) => {
                failures.push(format!("`{}`: loaded without error", c.to));
                continue;
            }
            Err(e) => e,
        };
        let all: Vec<String> = err.all().map(ToString::to_string).collect();
        let Some(p) = err.all().find(|e| e.field() == c.field) else {
            failures.push(format!("`{}`: no problem at `{}`; found {all:?}", c.to, c.field));
            continue;
        };
        if err.count() != 1 {
            failures.push(format!("`{}`: expected one problem, found {all:?}", c.to));
        }
        if p.kind() != kind {
            failures.push(format!("`{}`: kind {:?}, expected {kind:?}", c.to, p.kind()));
        }
        if !(p.message().contains(c.phrase) || p.hint().contains(c.phrase)) {
            failures.push(format!("`{}`: `{}` not in message or hint of {p}", c.to, c.phrase));
        }
        if p.hint().is_empty() {
            failures.push(format!("`{}`: no hint in {p}", c.to));
        }
        let (at_line, at_column) = match c.at {
            Some(at) => {
                let l = line_of(&text, at);
                let line_text = text.lines().nth(l - 1).unwrap_or_default();
                (l, if at.starts_with('[') { 1 } else { value_column(line_text) })
            }
            None => {
                // The first line of `to` that differs from `from`.
                let from: Vec<&str> = c.from.lines().collect();
                let idx = c.to.lines().enumerate().position(|(i, l)| from.get(i) != Some(&l)).unwrap_or(0);
                let changed = c.to.lines().nth(idx).unwrap_or_default();
                (line_of(&text, c.to) + idx, value_column(changed))
            }
        };
        if p.line() != Some(at_line) || p.column() != Some(at_column) {
            failures.push(format!(
                "`{}`: at {:?}:{:?}, expected {at_line}:{at_column} ({p})",
                c.to,
                p.line(),
                p.column()
            ));
        }
        if p.source_name() != "scenario.toml" {
            failures.push(format!("`{}`: source name {}", c.to, p.source_name()));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

// ------------------------------------------------------------------------------------------------
// The base scenario itself
// ------------------------------------------------------------------------------------------------

#[test]
fn the_base_scenario_loads_with_its_values() {
    let s = load_str(BASE, "base.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.scenario.name, "base");
    assert_eq!(s.scenario.seed, 5);
    assert_eq!(s.cooperation.mode, Mode::M2);
    assert_eq!(s.radars.len(), 2);
    assert_eq!(s.radars[1].half_width_az_deg, 61.0);
    assert_eq!(s.sharing[1].what, [SharedKind::Tracks]);
    assert_eq!(s.raids[0].count, 2);
    assert_eq!(s.raids[1].count, 1, "count defaults to 1");
    assert_eq!(s.raids[1].aim_asset, None);
}

// ------------------------------------------------------------------------------------------------
// Display and rendering
// ------------------------------------------------------------------------------------------------

#[test]
fn display_is_file_line_column_field_message_and_hint() {
    let text = mutate("lat_deg = 44.93", "lat_deg = 95");
    let err = load_err(&text);
    let line = line_of(&text, "lat_deg = 95");
    assert_eq!(
        err.to_string(),
        format!(
            "scenario.toml:{line}:11: radar[1].lat_deg: latitude 95 is out of range; \
             expected a value in [-90, 90] degrees"
        )
    );
    assert_eq!(err.line(), Some(line));
    assert_eq!(err.column(), Some(11));
    assert_eq!(err.field(), "radar[1].lat_deg");
    assert_eq!(err.message(), "latitude 95 is out of range");
    assert_eq!(err.hint(), "expected a value in [-90, 90] degrees");
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let span = err.span().unwrap();
    assert_eq!(&text[span], "95");
}

#[test]
fn miette_renders_the_snippet_the_label_and_the_hint() {
    let text = mutate("pd = 0.9", "pd = 1.5");
    let err = load_err(&text);
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(200)
        .render_report(&mut out, &err)
        .unwrap();
    assert!(out.contains("scenario.toml"), "{out}");
    assert!(out.contains("pd = 1.5"), "{out}");
    assert!(out.contains("detection probability 1.5 is out of range"), "{out}");
    assert!(out.contains("expected a value in [0, 1]"), "{out}");
    assert!(out.contains("shieldnet::scenario::invalid"), "{out}");
}

#[test]
fn every_problem_is_reported_in_file_order() {
    let text = mutate("lat_deg = 44.93", "lat_deg = 95");
    let text = mutate_text(&text, "pk = 0.7", "pk = 7.0");
    let text = mutate_text(&text, "party = \"NATO\"\nlat_deg = 38.349", "party = \"NAT0\"\nlat_deg = 38.349");
    let text = mutate_text(&text, "time_s = 100.0", "time_s = 600.0");
    let err = load_err(&text);
    let fields: Vec<String> = err.all().map(|e| e.field()).collect();
    assert_eq!(
        fields,
        ["radar[0].party", "radar[1].lat_deg", "interceptor_types.sm3.pk", "raid[1].time_s"],
        "{err}"
    );
    assert_eq!(err.count(), 4);
    assert_eq!(err.others().len(), 3);
    let lines: Vec<usize> = err.all().map(|e| e.line().unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
    assert!(err.to_string().ends_with("(and 3 more problems)"), "{err}");
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(200)
        .render_report(&mut out, &err)
        .unwrap();
    assert!(out.contains("launch time 600 is out of range"), "related problems are rendered: {out}");
}

// ------------------------------------------------------------------------------------------------
// Range rules
// ------------------------------------------------------------------------------------------------

#[test]
fn latitudes_and_longitudes_must_be_on_the_globe() {
    check(
        &[
            case("lat_deg = 38.349", "lat_deg = -90.5", "radar[0].lat_deg", "[-90, 90] degrees"),
            case("lon_deg = 40.98", "lon_deg = 180.5", "radar[1].lon_deg", "[-180, 180] degrees"),
            case("lat_deg = 44.079", "lat_deg = 91.0", "battery[0].lat_deg", "latitude 91 is out of range"),
            case("lon_deg = 24.413", "lon_deg = -181.0", "battery[0].lon_deg", "[-180, 180] degrees"),
            case("lat_deg = 44.43", "lat_deg = 100.0", "defended_asset[0].lat_deg", "[-90, 90] degrees"),
            case("lon_deg = 38.98", "lon_deg = 200.0", "defended_asset[1].lon_deg", "[-180, 180] degrees"),
            case("launch_lat_deg = 38.08", "launch_lat_deg = -99.0", "raid[0].launch_lat_deg", "[-90, 90]"),
            case("launch_lon_deg = 53.92", "launch_lon_deg = 999.0", "raid[1].launch_lon_deg", "[-180, 180]"),
            case("aim_lat_deg = 45.1", "aim_lat_deg = 90.1", "raid[1].aim_lat_deg", "[-90, 90] degrees"),
            case("aim_lon_deg = 39.0", "aim_lon_deg = -180.1", "raid[1].aim_lon_deg", "[-180, 180] degrees"),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn altitudes_must_be_between_the_dead_sea_and_above_everest() {
    check(
        &[
            case("alt_m = 2085.0", "alt_m = -501.0", "radar[0].alt_m", "expected a value in [-500, 10000] m"),
            case("alt_m = 150.0", "alt_m = 10001.0", "battery[0].alt_m", "[-500, 10000] m"),
        ],
        ErrorKind::Invalid,
    );
    // The Dead Sea shore is fine.
    assert!(load_str(&mutate("alt_m = 160.0", "alt_m = -430.0"), "s").is_ok());
}

#[test]
fn timing_must_be_positive_and_consistent() {
    check(
        &[
            case("duration_s = 600.0", "duration_s = 0.0", "scenario.duration_s", "expected a value > 0 s"),
            case("time_step_s = 1.0", "time_step_s = -1.0", "scenario.time_step_s", "expected a value > 0 s"),
            case("time_step_s = 1.0", "time_step_s = 601.0", "scenario.time_step_s", "at most duration_s"),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn the_epoch_must_be_a_utc_instant() {
    check(
        &[
            case(
                "epoch = 2015-06-01T12:00:00Z",
                "epoch = 2015-06-01",
                "scenario.epoch",
                "2015-06-01T12:00:00Z",
            ),
            case(
                "epoch = 2015-06-01T12:00:00Z",
                "epoch = 2015-06-01T12:00:00",
                "scenario.epoch",
                "epoch 2015-06-01T12:00:00 is not a full date-time with a UTC offset",
            ),
            case(
                "epoch = 2015-06-01T12:00:00Z",
                "epoch = 12:00:00",
                "scenario.epoch",
                "expected a UTC instant",
            ),
        ],
        ErrorKind::Invalid,
    );
    assert!(
        load_str(&mutate("epoch = 2015-06-01T12:00:00Z", "epoch = 2015-06-01T15:00:00+03:00"), "s").is_ok()
    );
}

#[test]
fn numbers_must_be_finite() {
    check(
        &[
            case("duration_s = 600.0", "duration_s = inf", "scenario.duration_s", "not a finite number"),
            case("lat_deg = 38.349", "lat_deg = nan", "radar[0].lat_deg", "not a finite number"),
            case("value = 90.0", "value = inf", "defended_asset[1].value", "expected a value >= 0"),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn radar_parameters_must_be_in_range() {
    check(
        &[
            case(
                "boresight_az_deg = 110.0",
                "boresight_az_deg = 360.0",
                "radar[0].boresight_az_deg",
                "[0, 360)",
            ),
            case(
                "boresight_az_deg = 175.0",
                "boresight_az_deg = -1.0",
                "radar[1].boresight_az_deg",
                "[0, 360)",
            ),
            case(
                "half_width_az_deg = 60.0",
                "half_width_az_deg = 0.0",
                "radar[0].half_width_az_deg",
                "(0, 180]",
            ),
            case(
                "half_width_az_deg = 61.0",
                "half_width_az_deg = 181.0",
                "radar[1].half_width_az_deg",
                "(0, 180]",
            ),
            case("min_el_deg = 1.0", "min_el_deg = -91.0", "radar[0].min_el_deg", "[-90, 90] degrees"),
            case("max_el_deg = 60.0", "max_el_deg = 90.5", "radar[1].max_el_deg", "[-90, 90] degrees"),
            case("min_el_deg = 2.0", "min_el_deg = 60.0", "radar[1].min_el_deg", "min_el_deg < max_el_deg"),
            case("max_range_km = 1500.0", "max_range_km = 0.0", "radar[0].max_range_km", "> 0 km"),
            case("revisit_s = 2.0", "revisit_s = 0.0", "radar[1].revisit_s", "> 0 s"),
            case("sigma_range_m = 15.0", "sigma_range_m = -15.0", "radar[0].sigma_range_m", "> 0 m"),
            case("sigma_az_mrad = 3.0", "sigma_az_mrad = 0.0", "radar[1].sigma_az_mrad", "> 0 mrad"),
            case("sigma_el_mrad = 0.6", "sigma_el_mrad = 0.0", "radar[0].sigma_el_mrad", "> 0 mrad"),
            case("pd = 0.95", "pd = -0.01", "radar[0].pd", "expected a value in [0, 1]"),
            case("pd = 0.9", "pd = 1.5", "radar[1].pd", "detection probability 1.5 is out of range"),
            case(
                "false_alarms_per_scan = 2.0",
                "false_alarms_per_scan = -2.0",
                "radar[1].false_alarms_per_scan",
                ">= 0 per scan",
            ),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn interceptor_parameters_must_be_in_range() {
    check(
        &[
            case(
                "burnout_speed_km_s = 3.0",
                "burnout_speed_km_s = 0.0",
                "interceptor_types.sm3.burnout_speed_km_s",
                "> 0 km/s",
            ),
            case("burn_time_s = 50.0", "burn_time_s = 0.0", "interceptor_types.sm3.burn_time_s", "> 0 s"),
            case(
                "max_range_km = 900.0",
                "max_range_km = -1.0",
                "interceptor_types.sm3.max_range_km",
                "> 0 km",
            ),
            case(
                "min_intercept_alt_km = 70.0",
                "min_intercept_alt_km = 600.0",
                "interceptor_types.sm3.min_intercept_alt_km",
                "min_intercept_alt_km < max_intercept_alt_km",
            ),
            case(
                "min_intercept_alt_km = 70.0",
                "min_intercept_alt_km = -1.0",
                "interceptor_types.sm3.min_intercept_alt_km",
                ">= 0 km",
            ),
            case("pk = 0.7", "pk = 1.01", "interceptor_types.sm3.pk", "expected a value in [0, 1]"),
            case(
                "reaction_time_s = 30.0",
                "reaction_time_s = -1.0",
                "interceptor_types.sm3.reaction_time_s",
                ">= 0 s",
            ),
            case(
                "kill_assessment_s = 10.0",
                "kill_assessment_s = -0.5",
                "interceptor_types.sm3.kill_assessment_s",
                ">= 0 s",
            ),
            case("divert_km = 3.0", "divert_km = 0.0", "interceptor_types.sm3.divert_km", "> 0 km"),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn missile_asset_and_sharing_parameters_must_be_in_range() {
    check(
        &[
            case(
                "burnout_time_s = 110.0",
                "burnout_time_s = 0.0",
                "missile_types.mrbm.burnout_time_s",
                "> 0 s",
            ),
            case(
                "burnout_altitude_km = 100.0",
                "burnout_altitude_km = -5.0",
                "missile_types.mrbm.burnout_altitude_km",
                "> 0 km",
            ),
            case(
                "burnout_downrange_km = 130.0",
                "burnout_downrange_km = 0.0",
                "missile_types.mrbm.burnout_downrange_km",
                "> 0 km",
            ),
            case(
                "rcs_booster_m2 = 5.0",
                "rcs_booster_m2 = 0.0",
                "missile_types.mrbm.rcs_booster_m2",
                "> 0 m²",
            ),
            case("rcs_rv_m2 = 0.1", "rcs_rv_m2 = -0.1", "missile_types.mrbm.rcs_rv_m2", "> 0 m²"),
            case("radius_km = 31.0", "radius_km = 0.0", "defended_asset[1].radius_km", "> 0 km"),
            case("value = 100.0", "value = -1.0", "defended_asset[0].value", ">= 0"),
            case("interval_s = 4.0", "interval_s = 0.0", "sharing[1].interval_s", "> 0 s"),
            case("latency_s = 3.0", "latency_s = -3.0", "sharing[0].latency_s", ">= 0 s"),
            case("loss = 0.1", "loss = 1.1", "sharing[1].loss", "expected a value in [0, 1]"),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn tracking_settings_must_be_consistent() {
    check(
        &[
            case("confirm_m = 2", "confirm_m = 4", "tracking.confirm_m", "confirm_m <= confirm_n"),
            case("confirm_m = 2", "confirm_m = 0", "tracking.confirm_m", "[1, confirm_n]"),
            case(
                "delete_after_misses = 5",
                "delete_after_misses = 0",
                "tracking.delete_after_misses",
                ">= 1",
            ),
            case(
                "accel_noise_m2_s3 = 10.0",
                "accel_noise_m2_s3 = -1.0",
                "tracking.accel_noise_m2_s3",
                ">= 0 m²/s³",
            ),
        ],
        ErrorKind::Invalid,
    );
    // confirm_n = 0 also breaks confirm_m <= confirm_n: two problems, both at [tracking].
    let err = load_err(&mutate("confirm_n = 3", "confirm_n = 0"));
    let p = problem(&err, "tracking.confirm_n");
    assert!(p.hint().contains(">= 1"), "{p}");
    assert_eq!(p.line(), Some(line_of(BASE, "confirm_n = 3")));
    assert_eq!(err.count(), 2, "{err}");
}

#[test]
fn raids_must_launch_inside_the_scenario() {
    check(
        &[
            case("time_s = 0.0", "time_s = -1.0", "raid[0].time_s", "[0, 600) s"),
            case("time_s = 100.0", "time_s = 600.0", "raid[1].time_s", "launch time 600 is out of range"),
            case("count = 2", "count = 0", "raid[0].count", "at least 1"),
            case("spacing_s = 30.0", "spacing_s = -30.0", "raid[0].spacing_s", ">= 0 s"),
            case(
                "count = 2",
                "count = 21",
                "raid[0].count",
                "time_s + (count - 1) * spacing_s < duration_s (600 s)",
            ),
        ],
        ErrorKind::Invalid,
    );
    // The last launch just inside the scenario is fine: 0 + 19 * 30 = 570 < 600.
    assert!(load_str(&mutate("count = 2", "count = 20"), "s").is_ok());
}

// ------------------------------------------------------------------------------------------------
// Cross-references and ids
// ------------------------------------------------------------------------------------------------

#[test]
fn references_must_name_existing_entries_and_list_them() {
    check(
        &[
            case(
                "party = \"RUS\"\nlat_deg = 44.93",
                "party = \"USSR\"\nlat_deg = 44.93",
                "radar[1].party",
                "known parties: NATO, RUS",
            ),
            case(
                "party = \"NATO\"\nlat_deg = 44.079",
                "party = \"nato\"\nlat_deg = 44.079",
                "battery[0].party",
                "known parties: NATO, RUS",
            ),
            case(
                "party = \"RUS\"\nlat_deg = 45.04",
                "party = \"RU\"\nlat_deg = 45.04",
                "defended_asset[1].party",
                "unknown party `RU`",
            ),
            case(
                "interceptor = \"sm3\"",
                "interceptor = \"sm2\"",
                "battery[0].interceptor",
                "known interceptor types: sm3",
            ),
            case(
                "missile = \"mrbm\"\nlaunch_lat_deg = 35.23",
                "missile = \"irbm\"\nlaunch_lat_deg = 35.23",
                "raid[1].missile",
                "known missile types: mrbm",
            ),
            case(
                "aim_asset = \"bucharest\"",
                "aim_asset = \"paris\"",
                "raid[0].aim_asset",
                "known defended assets: bucharest, krasnodar",
            ),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn a_raid_has_exactly_one_aim() {
    check(
        &[
            case_at(
                "aim_asset = \"bucharest\"",
                "aim_asset = \"bucharest\"\naim_lat_deg = 44.0\naim_lon_deg = 26.0",
                "raid[0].aim_asset",
                "not both",
                "aim_asset = \"bucharest\"",
            ),
            case_at(
                "aim_asset = \"bucharest\"",
                "# no aim",
                "raid[0]",
                "the raid has no aim point",
                "[[raid]]\nid = \"raid-a\"",
            ),
            case_at(
                "aim_lon_deg = 39.0",
                "# no longitude",
                "raid[1].aim_lon_deg",
                "expected both `aim_lat_deg` and `aim_lon_deg`",
                "[[raid]]\nid = \"raid-b\"",
            ),
            case_at(
                "aim_lat_deg = 45.1",
                "# no latitude",
                "raid[1].aim_lat_deg",
                "expected both `aim_lat_deg` and `aim_lon_deg`",
                "[[raid]]\nid = \"raid-b\"",
            ),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn a_raid_must_fly_far_enough_for_its_boost_and_not_to_the_antipode() {
    check(
        &[
            case(
                "aim_lat_deg = 45.1\naim_lon_deg = 39.0",
                "aim_lat_deg = 35.5\naim_lon_deg = 53.92",
                "raid[1].aim_lat_deg",
                "expected a ground range of at least 260 km",
            ),
            case(
                "aim_lat_deg = 45.1\naim_lon_deg = 39.0",
                "aim_lat_deg = 35.23\naim_lon_deg = 53.92",
                "raid[1].aim_lat_deg",
                "ground range 0.0 km is too short for missile `mrbm`",
            ),
            case(
                "aim_lat_deg = 45.1\naim_lon_deg = 39.0",
                "aim_lat_deg = -35.23\naim_lon_deg = -126.08",
                "raid[1].aim_lat_deg",
                "nearly antipodal",
            ),
            case_at(
                "launch_lat_deg = 38.08\nlaunch_lon_deg = 46.29",
                "launch_lat_deg = 44.0\nlaunch_lon_deg = 26.10",
                "raid[0].aim_asset",
                "too short for missile `mrbm` (burnout 130 km downrange)",
                "aim_asset = \"bucharest\"",
            ),
        ],
        ErrorKind::Invalid,
    );
    // 261 km is enough for a 130 km boost: 35.23 N + 261 km / 111.2 km per degree.
    assert!(
        load_str(
            &mutate("aim_lat_deg = 45.1\naim_lon_deg = 39.0", "aim_lat_deg = 37.58\naim_lon_deg = 53.92"),
            "s"
        )
        .is_ok()
    );
}

#[test]
fn sharing_must_connect_two_known_parties_and_carry_something() {
    check(
        &[
            case("from = \"NATO\"", "from = \"UN\"", "sharing[0].from", "known parties: NATO, RUS"),
            case("to = \"NATO\"", "to = \"OTAN\"", "sharing[1].to", "known parties: NATO, RUS"),
            case(
                "from = \"NATO\"\nto = \"RUS\"",
                "from = \"NATO\"\nto = \"NATO\"",
                "sharing[0].to",
                "a party other than `from`",
            ),
            case(
                "what = [\"tracks\"]",
                "what = []",
                "sharing[1].what",
                "at least one of \"launch_notices\", \"tracks\", \"engagements\"",
            ),
        ],
        ErrorKind::Invalid,
    );
}

#[test]
fn ids_must_be_unique_and_not_empty() {
    check(
        &[
            case(
                "id = \"r-uhf\"\nparty = \"RUS\"",
                "id = \"r-x\"\nparty = \"RUS\"",
                "radar[1].id",
                "duplicate radar id `r-x`",
            ),
            case(
                "id = \"krasnodar\"\nparty = \"RUS\"",
                "id = \"bucharest\"\nparty = \"RUS\"",
                "defended_asset[1].id",
                "already used by defended_asset[0]",
            ),
            case(
                "id = \"raid-b\"\nmissile = \"mrbm\"\nlaunch_lat_deg = 35.23",
                "id = \"raid-a\"\nmissile = \"mrbm\"\nlaunch_lat_deg = 35.23",
                "raid[1].id",
                "already used by raid[0]",
            ),
            case("id = \"r-x\"", "id = \"\"", "radar[0].id", "expected a non-empty id"),
            case("name = \"base\"", "name = \"  \"", "scenario.name", "non-empty scenario name"),
        ],
        ErrorKind::Invalid,
    );
    // Batteries and parties: append a second one with the same id (arrays of tables may be split).
    let second = "[[battery]]\nid = \"b-dev\"\nparty = \"NATO\"\nlat_deg = 1.0\nlon_deg = 2.0\n\
                  interceptor = \"sm3\"\nrounds = 0\n";
    let text = format!("{BASE}\n{second}");
    let err = load_err(&text);
    let p = problem(&err, "battery[1].id");
    assert!(p.message().contains("duplicate battery id `b-dev` (already used by battery[0])"), "{p}");
    assert_eq!(p.line(), Some(text[..text.rfind("id = \"b-dev\"").unwrap()].matches('\n').count() + 1));
    assert_eq!(err.count(), 1, "rounds = 0 is an empty battery, not an error: {err}");

    let text = format!("{BASE}\n[[party]]\nid = \"NATO\"\n");
    let err = load_err(&text);
    let p = problem(&err, "party[2].id");
    assert!(p.message().contains("already used by party[0]"), "{p}");
    assert_eq!(p.line(), Some(text.lines().count()));
    assert_eq!(p.column(), Some(6));
    assert_eq!(err.count(), 1, "{err}");
}

#[test]
fn a_scenario_needs_a_party_and_a_raid() {
    // `party = []` must precede the first table; drop the [[party]] tables and the references to them.
    let no_parties =
        format!("party = []\n{}", BASE.replace("[[party]]\nid = \"NATO\"\n\n[[party]]\nid = \"RUS\"\n", ""));
    let err = load_err(&no_parties);
    let p = problem(&err, "party");
    assert_eq!(p.line(), Some(1));
    assert_eq!(p.column(), Some(9));
    assert!(p.hint().contains("at least one [[party]]"), "{p}");
    let q = problem(&err, "radar[0].party");
    assert_eq!(q.hint(), "no parties are defined");

    let raids_start = BASE.find("[[raid]]").unwrap();
    let no_raids = format!("raid = []\n{}", &BASE[..raids_start]);
    let err = load_err(&no_raids);
    let p = problem(&err, "raid");
    assert_eq!((p.line(), p.column()), (Some(1), Some(8)));
    assert!(p.hint().contains("at least one [[raid]]"), "{p}");
    assert_eq!(err.count(), 1, "{err}");
}

// ------------------------------------------------------------------------------------------------
// Schema errors (serde) and syntax errors
// ------------------------------------------------------------------------------------------------

#[test]
fn an_unknown_field_is_rejected_at_its_line_with_the_valid_fields() {
    let text = mutate("revisit_s = 2.0", "revisit_s = 2.0\nfrequency_ghz = 10.0");
    let err = load_err(&text);
    assert_eq!(err.kind(), ErrorKind::Schema);
    assert_eq!(err.field(), "radar[1].frequency_ghz");
    assert_eq!(err.line(), Some(line_of(&text, "frequency_ghz = 10.0")));
    assert_eq!(err.column(), Some(1));
    assert_eq!(err.message(), "unknown field `frequency_ghz`");
    assert!(err.hint().starts_with("valid fields here: `id`, `party`, `lat_deg`"), "no suggestion: {err}");
    let text = mutate("revisit_s = 2.0", "revisit = 2.0");
    let err = load_err(&text);
    assert_eq!(err.field(), "radar[1].revisit");
    assert!(err.hint().starts_with("did you mean `revisit_s`?"), "{err}");
}

#[test]
fn a_misspelt_table_gets_a_suggestion() {
    let text = BASE.replacen("[cooperation]", "[coperation]", 1);
    let err = load_err(&text);
    assert_eq!(err.field(), "coperation");
    assert_eq!(err.line(), Some(9));
    assert_eq!(err.column(), Some(2));
    assert!(
        err.hint().starts_with("did you mean `cooperation`? valid fields here: `scenario`, `party`"),
        "{err}"
    );
}

#[test]
fn wrong_types_are_reported_with_the_expected_type() {
    check(
        &[
            case("seed = 5", "seed = \"five\"", "scenario.seed", "expected a non-negative integer"),
            case("lat_deg = 44.43", "lat_deg = \"north\"", "defended_asset[0].lat_deg", "expected a number"),
            case("count = 2", "count = -2", "raid[0].count", "expected a non-negative integer"),
            case(
                "epoch = 2015-06-01T12:00:00Z",
                "epoch = \"2015-06-01\"",
                "scenario.epoch",
                "2015-06-01T12:00:00Z",
            ),
            case("mode = \"M2\"", "mode = \"M9\"", "cooperation.mode", "`M0`, `M1`, `M2`, `M3`, `M4`, `M5`"),
            case("interceptor = \"sm3\"", "interceptor = 3", "battery[0].interceptor", "expected a string"),
        ],
        ErrorKind::Schema,
    );
    // An unknown kind inside an array points at the element.
    let text = mutate("what = [\"tracks\"]", "what = [\"trucks\"]");
    let err = load_err(&text);
    assert_eq!(err.field(), "sharing[1].what[0]");
    assert_eq!(err.message(), "unknown value `trucks`");
    assert_eq!(err.hint(), "expected one of `launch_notices`, `tracks`, `engagements`, `detections`");
    assert_eq!((err.line(), err.column()), (Some(line_of(&text, "what = [\"trucks\"]")), Some(9)));
}

#[test]
fn missing_fields_and_tables_are_named() {
    // A missing field points at the header of its table.
    let text = mutate("pd = 0.9", "# pd removed");
    let err = load_err(&text);
    assert_eq!(err.kind(), ErrorKind::Schema);
    assert_eq!(err.field(), "radar[1].pd");
    assert_eq!(err.message(), "missing required field `pd`");
    let header = BASE.match_indices("[[radar]]").nth(1).unwrap().0;
    assert_eq!(err.line(), Some(BASE[..header].lines().count() + 1));
    assert_eq!(err.column(), Some(1));
    assert!(err.hint().contains("add `pd = ...`"), "{err}");

    let text = mutate("rcs_rv_m2 = 0.1", "# rcs_rv_m2 removed");
    let err = load_err(&text);
    assert_eq!(err.field(), "missile_types.mrbm.rcs_rv_m2");
    assert_eq!(err.line(), Some(line_of(&text, "[missile_types.mrbm]")));

    // A missing required table.
    let no_header = BASE.replacen(
        "[scenario]\nname = \"base\"\ndescription = \"test scenario\"\nepoch = 2015-06-01T12:00:00Z\n\
         duration_s = 600.0\ntime_step_s = 1.0\nseed = 5\n",
        "",
        1,
    );
    assert!(!no_header.contains("seed = 5"));
    let err = load_err(&no_header);
    assert_eq!(err.field(), "scenario");
    assert_eq!(err.message(), "missing required field `scenario`");
    assert_eq!(err.hint(), "expected a [scenario] table");
    assert_eq!((err.line(), err.column()), (Some(1), Some(1)));

    let missiles_start = BASE.find("[missile_types.mrbm]").unwrap();
    let assets_start = BASE.find("[[defended_asset]]").unwrap();
    let no_missiles = format!("{}{}", &BASE[..missiles_start], &BASE[assets_start..]);
    let err = load_err(&no_missiles);
    assert_eq!(err.field(), "missile_types");
    assert!(err.hint().contains("[missile_types.NAME]"), "{err}");
}

#[test]
fn syntax_errors_are_all_reported_with_their_lines() {
    let text = mutate("lat_deg = 38.349", "lat_deg = = 38.349");
    let text = mutate_text(&text, "pk = 0.7", "pk 0.7");
    let err = load_err(&text);
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert_eq!(err.line(), Some(line_of(&text, "lat_deg = = 38.349")));
    assert_eq!(err.others().last().map(|e| e.line()), Some(Some(line_of(&text, "pk 0.7"))), "{err}");
    assert!(err.all().all(|e| e.kind() == ErrorKind::Syntax && !e.hint().is_empty()));

    let dup = mutate("seed = 5", "seed = 5\nseed = 6");
    let err = load_err(&dup);
    assert_eq!(err.kind(), ErrorKind::Syntax);
    assert_eq!(err.line(), Some(line_of(&dup, "seed = 6")));
    assert!(err.message().contains("duplicate key"), "{err}");
}

// ------------------------------------------------------------------------------------------------
// Files
// ------------------------------------------------------------------------------------------------

fn temp_path(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("scenario_loading");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn a_missing_file_is_named() {
    let path = temp_path("does-not-exist.toml");
    let _ = std::fs::remove_file(&path);
    let err = load_file(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert_eq!(err.source_name(), path.display().to_string());
    assert!(
        err.to_string().starts_with(&format!("{}: cannot read the scenario file", path.display())),
        "{err}"
    );
    assert!(err.hint().contains("check the path"), "{err}");
    assert_eq!(err.line(), None);
}

#[test]
fn a_directory_is_not_a_scenario_file() {
    let dir = temp_path("a-directory.toml");
    std::fs::create_dir_all(&dir).unwrap();
    let err = load_file(&dir).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.to_string().contains("a-directory.toml"), "{err}");
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let path = temp_path("latin1.toml");
    let mut bytes = b"[scenario]\nname = \"K".to_vec();
    bytes.push(0xfc); // ü in Latin-1
    bytes.extend_from_slice(b"recik\"\n");
    std::fs::write(&path, &bytes).unwrap();
    let err = load_file(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotUtf8);
    assert_eq!((err.line(), err.column()), (Some(2), Some(10)));
    assert!(err.to_string().contains("latin1.toml:2:10"), "{err}");
    assert!(err.hint().contains("UTF-8"));
}

#[test]
fn a_file_loads_and_its_errors_carry_its_path() {
    let good = temp_path("good.toml");
    std::fs::write(&good, BASE).unwrap();
    assert_eq!(load_file(&good).unwrap(), load_str(BASE, "x").unwrap());

    let bad = temp_path("bad.toml");
    std::fs::write(&bad, mutate("pk = 0.7", "pk = 2.0")).unwrap();
    let err = load_file(&bad).unwrap_err();
    assert_eq!(err.source_name(), bad.display().to_string());
    assert!(
        err.to_string().starts_with(&format!("{}:{}:6:", bad.display(), line_of(BASE, "pk = 0.7"))),
        "{err}"
    );
}

// ------------------------------------------------------------------------------------------------
// Built-ins
// ------------------------------------------------------------------------------------------------

#[test]
fn every_builtin_loads_is_described_and_round_trips() {
    assert_eq!(builtin_names()[0], "epaa-2015", "the default scenario is listed first");
    assert!(builtin_names().contains(&"two-radars-one-threat"));
    for &name in builtin_names() {
        let s = load_builtin(name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.scenario.name, name);
        let description = builtin_description(name).unwrap();
        assert!(!description.is_empty() && !description.contains('\n'), "{name}: {description:?}");
        let source = builtin_source(name).unwrap();
        assert!(source.to_lowercase().contains("notional"), "{name} must say its values are notional");
        assert!(s.scenario.description.to_lowercase().contains("notional"));
        let written = to_toml_string(&s).unwrap();
        let back = load_str(&written, "round-trip.toml").unwrap_or_else(|e| panic!("{name}: {e}\n{written}"));
        assert_eq!(back, s, "{name} round trip");
    }
}

#[test]
fn the_base_scenario_round_trips_too() {
    let s = load_str(BASE, "base.toml").unwrap();
    let back = load_str(&to_toml_string(&s).unwrap(), "again.toml").unwrap();
    assert_eq!(back, s);
}

#[test]
fn an_unknown_builtin_lists_the_known_ones() {
    let err = load_builtin("epaa-2020").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownBuiltin);
    assert_eq!(err.source_name(), "builtin:epaa-2020");
    assert_eq!(err.hint(), "known built-in scenarios: epaa-2015, two-radars-one-threat");
    assert_eq!(builtin_source("epaa-2020"), None);
    assert_eq!(builtin_description("epaa-2020"), None);
}

#[test]
fn errors_in_a_builtin_name_it() {
    let text = builtin_source("two-radars-one-threat").unwrap().replace("pd = 0.9\n", "pd = 9.0\n");
    let err = load_str(&text, "builtin:two-radars-one-threat").unwrap_err();
    assert!(err.to_string().starts_with("builtin:two-radars-one-threat:"), "{err}");
    assert_eq!(err.field(), "radar[1].pd");
}

// ------------------------------------------------------------------------------------------------
// Robustness: damaged input gives errors, never panics, and every error is located
// ------------------------------------------------------------------------------------------------

/// Loads `text`; an error must have a position inside the text and a hint.
fn load_damaged(text: &str, what: &str) {
    if let Err(err) = load_str(text, "damaged.toml") {
        for e in err.all() {
            let span = e.span().unwrap_or_else(|| panic!("{what}: unlocated {e}"));
            assert!(span.end <= text.len(), "{what}: span {span:?} past the end: {e}");
            assert!(e.line().unwrap() <= text.lines().count() + 1, "{what}: {e}");
            assert!(!e.hint().is_empty(), "{what}: no hint in {e}");
        }
    }
}

#[test]
fn truncated_files_give_located_errors() {
    let cuts: Vec<usize> = (0..=BASE.len()).filter(|&i| BASE.is_char_boundary(i)).step_by(7).collect();
    for cut in cuts {
        load_damaged(&BASE[..cut], &format!("cut at {cut}"));
    }
}

#[test]
fn files_missing_a_line_give_located_errors() {
    let lines: Vec<&str> = BASE.lines().collect();
    let mut errors = 0;
    for i in 0..lines.len() {
        let text: Vec<&str> = lines.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, l)| *l).collect();
        let text = text.join("\n");
        load_damaged(&text, &format!("without line {}", i + 1));
        errors += usize::from(load_str(&text, "x").is_err());
    }
    // Most lines are required; the optional ones fall back to defaults.
    assert!(errors > lines.len() / 2, "only {errors} of {} deletions were rejected", lines.len());
}

#[test]
fn policy_rules_name_a_known_rule_party_and_own_assets() {
    let with = |block: &str| format!("{BASE}\n{block}\n");
    let ok =
        with("[[policy]]\nrule = \"impact_in_defended_area\"\nparty = \"NATO\"\nassets = [\"bucharest\"]");
    assert!(load_str(&ok, "s").is_ok());
    let text = with("[[policy]]\nrule = \"fly_anywhere\"\nparty = \"NATO\"");
    let e = load_err(&text);
    let p = problem(&e, "policy[0].rule");
    assert_eq!(p.line(), Some(line_of(&text, "rule = \"fly_anywhere\"")));
    assert!(p.to_string().contains("expected one of: impact_in_defended_area, no_intercept_over"), "{p}");
    // An asset of another party cannot be part of NATO's defended area.
    let text =
        with("[[policy]]\nrule = \"impact_in_defended_area\"\nparty = \"NATO\"\nassets = [\"krasnodar\"]");
    let e = load_err(&text);
    assert!(problem(&e, "policy[0].assets[0]").to_string().contains("known assets: bucharest"));
    // A region needs a polygon, on the globe.
    let text = with(
        "[[policy]]\nrule = \"no_intercept_over\"\nparty = \"NATO\"\nvertices = [[10.0, 20.0], [95.0, 20.0]]",
    );
    let e = load_err(&text);
    assert!(problem(&e, "policy[0].vertices").to_string().contains("at least 3"));
    problem(&e, "policy[0].vertices[1][0]");
}
