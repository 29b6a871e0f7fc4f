//! Infrared line-of-sight reports reach the party's tracker through its node: with two
//! geostationary satellites a party whose radars cannot see the boost holds a confirmed own track of
//! the missile during the boost, in its picture, near the truth; the run stays deterministic.

use shieldnet_sim::scenario::{builtin_source, load_str};
use shieldnet_sim::{RunOptions, RunReport, run};

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

/// The two-radars scenario with the X-band radar turned west, away from the launch: only the
/// Ankara radar sees the threat, near the end of its flight.
fn scenario(satellites: &str) -> String {
    let base = builtin_source("two-radars-one-threat").expect("built-in");
    let text = base.replacen("boresight_az_deg = 90.0", "boresight_az_deg = 270.0", 1);
    assert_ne!(text, base);
    format!("{text}\n{satellites}")
}

fn run_text(text: &str) -> RunReport {
    let s = load_str(text, "test.toml").unwrap_or_else(|e| panic!("{e}"));
    run(&s, &RunOptions::default()).unwrap().0
}

#[test]
fn infrared_reports_give_an_own_track_during_the_boost() {
    let without = run_text(&scenario(""));
    let with = run_text(&scenario(TWO_GEO));
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
    assert_eq!(with, run_text(&scenario(TWO_GEO)));
}
