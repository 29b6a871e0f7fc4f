//! Property tests: on real ICBM and IRBM trajectories, from random sites, reachability never falls as
//! burnout speed rises or as the launch delay falls, and the earliest intercept never gets later.

use proptest::prelude::*;
use shieldnet_analysis::reach::Envelope;
use shieldnet_analysis::study::{self, NamedPoint, ThreatSpec};
use shieldnet_analysis::sweep::{self, Row, pair_rows};
use shieldnet_flight::Trajectory;
use std::sync::OnceLock;

fn flown() -> &'static (Vec<ThreatSpec>, Vec<Trajectory>) {
    static F: OnceLock<(Vec<ThreatSpec>, Vec<Trajectory>)> = OnceLock::new();
    F.get_or_init(|| {
        let mut specs = study::threats(
            &[NamedPoint::new("Kozelsk", 54.03, 35.77), NamedPoint::new("Dombarovsky", 51.09, 59.84)],
            &[NamedPoint::new("Washington", 38.90, -77.04), NamedPoint::new("Seattle", 47.61, -122.33)],
        );
        specs.extend(study::threats(
            &[NamedPoint::new("Semnan", 35.23, 53.92)],
            &[NamedPoint::new("Berlin", 52.50, 13.42), NamedPoint::new("London", 51.51, -0.10)],
        ));
        let tr = sweep::fly_all(&specs, &sweep::rotation()).unwrap();
        (specs, tr)
    })
}

fn rows(lat: f64, lon: f64, speeds: &[f64], delays: &[f64]) -> Vec<Vec<Row>> {
    let (specs, trs) = flown();
    let site = study::parse_site(&format!("S={lat},{lon}")).unwrap();
    specs
        .iter()
        .zip(trs)
        .map(|(s, t)| pair_rows(&site, s, t, speeds, delays, &Envelope::default(), &sweep::rotation(), 10.0))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn faster_interceptors_reach_no_fewer(lat in 30.0..75.0f64, lon in -30.0..70.0f64,
                                          v in 2.0..7.0f64, dv in 0.0..2.0f64, d in 0.0..300.0f64) {
        let speeds = [v * 1e3, (v + dv) * 1e3];
        for pair in rows(lat, lon, &speeds, &[d]) {
            let (slow, fast) = (&pair[0], &pair[1]);
            prop_assert!(!slow.feasible || fast.feasible, "{slow:?} vs {fast:?}");
            if let (Some(a), Some(b)) = (slow.earliest_intercept_s, fast.earliest_intercept_s) {
                prop_assert!(b <= a);
            }
        }
    }

    #[test]
    fn later_launches_reach_no_more(lat in 30.0..75.0f64, lon in -30.0..70.0f64,
                                     v in 2.0..7.0f64, d in 0.0..300.0f64, dd in 0.0..300.0f64) {
        for pair in rows(lat, lon, &[v * 1e3], &[d, d + dd]) {
            let (early, late) = (&pair[0], &pair[1]);
            prop_assert!(!late.feasible || early.feasible, "{early:?} vs {late:?}");
            if let (Some(a), Some(b)) = (early.earliest_intercept_s, late.earliest_intercept_s) {
                prop_assert!(a <= b);
            }
            if let (Some(a), Some(b)) = (early.speed_needed_km_s, late.speed_needed_km_s) {
                prop_assert!(a <= b + 1e-9);
            }
        }
    }
}

/// The reachable fraction of a whole sweep (the `russia-us` trajectories from the Norwegian Sea
/// ship) rises with speed and falls with delay, on a fine grid of both.
#[test]
fn reachable_fraction_is_monotone_over_a_fine_sweep() {
    let mut s = study::builtin("russia-us").unwrap();
    s.sites.retain(|x| x.point.name == "Norwegian Sea ship");
    s.burnout_speeds_m_s = (0..=16).map(|i| 4_000.0 + 150.0 * i as f64).collect();
    s.delays_s = (0..=8).map(|i| 40.0 * i as f64).collect();
    let rot = sweep::rotation();
    let tr = sweep::fly_all(&s.threats, &rot).unwrap();
    let sum = sweep::summarize(&sweep::sweep(&s, &tr, &rot, 10.0));
    let frac = |v: f64, d: f64| {
        sum.iter().find(|x| x.burnout_speed_km_s == v / 1e3 && x.delay_s == d).unwrap().reachable
    };
    let mut varied = false;
    for w in s.burnout_speeds_m_s.windows(2) {
        for dw in s.delays_s.windows(2) {
            assert!(frac(w[1], dw[0]) >= frac(w[0], dw[0]));
            assert!(frac(w[0], dw[0]) >= frac(w[0], dw[1]));
            varied |= frac(w[1], dw[0]) != frac(w[0], dw[0]) || frac(w[0], dw[0]) != frac(w[0], dw[1]);
        }
    }
    assert!(varied, "the sweep should cross the reachability threshold");
}
