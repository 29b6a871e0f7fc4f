//! Sensor physics in runs: the radar equation with RCS by flight phase, infrared early-warning
//! satellites and the cue they give a radar, and the validation of their tables. Infrared
//! line-of-sight reports also reach the party's tracker through its node: with two geostationary
//! satellites a party whose radars cannot see the boost holds a confirmed own track of the missile
//! during the boost, in its picture, near the truth; the run stays deterministic.

use shieldnet_sim::scenario::{builtin_source, load_str};
use shieldnet_sim::{RunOptions, RunReport, run};

/// The two-radars scenario with a weak radar equation on the Kürecik radar: the 5 m² booster gives a
/// search SNR of a few (Pd of a few per cent per look, Swerling I) and the 0.1 m² reentry vehicle
/// far less; optional infrared satellites for the party.
fn scenario(satellites: &str) -> String {
    let base = builtin_source("two-radars-one-threat").expect("built-in");
    let detection = r#"false_alarms_per_scan = 0.0

[radar.detection]
power_aperture_w_m2 = 24.0
gain_db = 49.0
dwell_s = 0.1
system_noise_temp_k = 500.0
losses_db = 10.0
pfa = 1e-6
swerling = 1
reference_rcs_m2 = 0.1
resolution_cells = 1e5
"#;
    let text = base.replacen("false_alarms_per_scan = 0.0\n", detection, 1);
    assert_ne!(text, base);
    format!("{text}\n{satellites}")
}

const TWO_GEO: &str = r#"
[[ir_satellite]]
id = "geo-east"
party = "BLUE"
lon_deg = 70.0
revisit_s = 5.0
sigma_urad = 30.0
pd = 0.95
latency_s = 15.0

[[ir_satellite]]
id = "geo-west"
party = "BLUE"
lon_deg = 10.0
revisit_s = 5.0
sigma_urad = 30.0
pd = 0.95
latency_s = 15.0
"#;

fn run_text(text: &str) -> RunReport {
    let s = load_str(text, "test.toml").unwrap_or_else(|e| panic!("{e}"));
    run(&s, &RunOptions::default()).unwrap().0
}

fn first_detection(r: &RunReport) -> Option<f64> {
    r.threats[0].first_detection_s["BLUE"]
}

#[test]
fn infrared_warning_comes_during_boost_after_the_latency_and_cues_an_earlier_radar_detection() {
    let without = run_text(&scenario(""));
    let with = run_text(&scenario(TWO_GEO));
    assert!(without.events.iter().all(|e| e.kind != "ir_warning"));
    let warn: Vec<_> = with.events.iter().filter(|e| e.kind == "ir_warning").collect();
    assert_eq!(warn.len(), 1, "one first warning for the one threat");
    // Launch at 10 s, burnout at 120 s: the plume clears the 10 km cloud tops well inside the boost;
    // the first report arrives 15 s (latency) after a look at a multiple of 5 s.
    let w = warn[0];
    assert!(w.t_s > 10.0 + 15.0 && w.t_s < 120.0 + 15.0, "{}", w.t_s);
    assert!((w.t_s % 5.0).abs() < 1e-9, "{}", w.t_s);
    assert!(w.detail.starts_with("by geo-"), "{}", w.detail);
    // The cued looks (dwell gain up to 30) detect the booster sooner than the search alone.
    let (a, b) = (first_detection(&without), first_detection(&with));
    let b = b.expect("cued radar detects the threat");
    assert!(a.is_none_or(|a| b < a), "cued {b} vs search {a:?}");
    assert!(b < 120.0 + 2.0 * 60.0, "{b}");
}

#[test]
fn runs_with_sensor_physics_are_deterministic() {
    let text = scenario(TWO_GEO);
    let a = serde_json::to_string(&run_text(&text)).unwrap();
    let b = serde_json::to_string(&run_text(&text)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn bad_sensor_tables_are_reported_with_their_field_and_what_is_valid() {
    let text = scenario(TWO_GEO).replacen("swerling = 1", "swerling = 2", 1);
    let e = load_str(&text, "test.toml").unwrap_err();
    assert_eq!(e.field(), "radar[0].detection.swerling");
    assert_eq!(e.hint(), "expected 0, 1 or 3");
    let line = text.lines().position(|l| l == "swerling = 2").unwrap() + 1;
    assert_eq!(e.line(), Some(line));
    let text = scenario(TWO_GEO).replacen("sigma_urad = 30.0", "sigma_urad = -1.0", 1);
    let e = load_str(&text, "test.toml").unwrap_err();
    assert_eq!(e.field(), "ir_satellite[0].sigma_urad");
    let text =
        scenario(TWO_GEO).replacen("party = \"BLUE\"\nlon_deg = 10.0", "party = \"RED\"\nlon_deg = 10.0", 1);
    let e = load_str(&text, "test.toml").unwrap_err();
    assert_eq!(e.field(), "ir_satellite[1].party");
    let text = scenario("").replacen("resolution_cells = 1e5", "beamwidth_mrad = 10.0", 1);
    let e = load_str(&text, "test.toml").unwrap_err();
    assert_eq!(e.field(), "radar[0].detection.range_resolution_m");
}

#[test]
fn the_run_report_carries_each_partys_tracking_metrics() {
    let r = run_text(builtin_source("two-radars-one-threat").unwrap());
    let m = &r.parties[0].tracking;
    // One threat flying ~10 … 700 s, scored every 5 s: about 140 instants.
    assert!(m.samples > 100, "{}", m.samples);
    // The radars hold it for most of its flight (not in the early boost, below their horizon).
    assert!(m.siap_completeness > 0.5 && m.siap_completeness <= 1.0, "{m:?}");
    assert!(m.siap_spuriousness < 0.1 && m.siap_position_accuracy_m < 2_000.0, "{m:?}");
    assert!(m.ospa_mean_m > 0.0 && m.ospa_mean_m < m.cutoff_m, "{m:?}");
    // GOSPA (p = 1) is the sum of its parts.
    assert!(m.gospa_mean_m >= m.gospa_localisation_mean_m);
    let json = serde_json::to_value(&r).unwrap();
    assert!(json["parties"][0]["tracking"]["siap_longest_segment"].as_f64().unwrap() > 0.5);
}

#[test]
fn track_mode_revisits_look_at_confirmed_tracks_between_search_looks() {
    let base = builtin_source("two-radars-one-threat").unwrap();
    // The Ankara radar searches every 2 s; with track mode every 0.5 s its confirmed track is
    // looked at three more times per search interval.
    let with_track = base.replacen("revisit_s = 2.0\n", "revisit_s = 2.0\ntrack_revisit_s = 0.5\n", 1);
    assert_ne!(with_track, base);
    let count = |text: &str| {
        let s = load_str(text, "t.toml").unwrap();
        let (report, rec) = run(&s, &RunOptions { record: true, ..RunOptions::default() }).unwrap();
        let rows: Vec<f64> =
            rec.unwrap().detections.iter().filter(|d| d.radar == "sband-ankara").map(|d| d.t_s).collect();
        (report, rows)
    };
    let (_, search) = count(base);
    let (report, both) = count(&with_track);
    let off_grid = both.iter().filter(|t| (*t / 2.0 - (*t / 2.0).round()).abs() > 1e-9).count();
    assert!(search.iter().all(|t| (t / 2.0 - (t / 2.0).round()).abs() < 1e-9));
    // Off-grid (track-mode) detections: 3 per 2 s while the track is confirmed and visible, Pd 0.9.
    assert!(
        off_grid as f64 > 1.5 * search.len() as f64,
        "{off_grid} track-mode vs {} search detections",
        search.len()
    );
    assert!(report.parties[0].tracking.siap_completeness > 0.5);
    let bad = base.replacen("revisit_s = 2.0\n", "revisit_s = 2.0\ntrack_revisit_s = 3.0\n", 1);
    let e = load_str(&bad, "t.toml").unwrap_err();
    assert_eq!(e.field(), "radar[1].track_revisit_s");
    assert_eq!(e.hint(), "expected a value in (0, 2) s");
}

/// The two-radars scenario with the X-band radar turned west, away from the launch: only the
/// Ankara radar sees the threat, near the end of its flight.
fn turned_away(satellites: &str) -> String {
    let base = builtin_source("two-radars-one-threat").expect("built-in");
    let text = base.replacen("boresight_az_deg = 90.0", "boresight_az_deg = 270.0", 1);
    assert_ne!(text, base);
    format!("{text}\n{satellites}")
}

#[test]
fn infrared_reports_give_an_own_track_during_the_boost() {
    let without = run_text(&turned_away(""));
    let with = run_text(&turned_away(TWO_GEO));
    let own = |r: &RunReport| r.threats[0].first_own_track_s["BLUE"];
    let picture = |r: &RunReport| r.threats[0].first_picture_s["BLUE"];
    // Radar only: the threat (launch 10 s, burnout 120 s) is first tracked long after its boost.
    let radar_only = own(&without).expect("the Ankara radar tracks the descent");
    assert!(radar_only > 300.0, "{radar_only}");
    // With the satellites: a confirmed own track (the picture holds it within 25 km of the truth)
    // during the boost, after the plume clears the cloud tops, two looks and the 15-s latency.
    let ir = own(&with).expect("infrared track");
    assert!(ir > 10.0 + 15.0 + 5.0 && ir < 120.0 + 15.0, "first own track at {ir} s");
    assert!(picture(&with).is_some_and(|p| p <= ir + 1.0), "{:?}", picture(&with));
    assert!(with.parties[0].tracks_confirmed >= 1);
    // Same scenario, same seed: the same report.
    assert_eq!(with, run_text(&turned_away(TWO_GEO)));
}
