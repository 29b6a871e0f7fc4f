//! Memory stays bounded over long runs: a track keeps only its last N looks (a bit window, no list of
//! past states), and under steady clutter the number of live tracks stays near the clutter rate
//! times the few looks a false track lives, whatever the run's length.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::{BoostSpec, fly_threat};
use shieldnet_sensors::{Radar, RadarSpec};
use shieldnet_tracking::{Associator, Tracker, TrackerConfig};

#[test]
fn live_tracks_stay_bounded_under_clutter_for_ten_thousand_seconds() {
    let mut spec = RadarSpec::example();
    spec.false_alarms_per_scan = 20.0;
    let radar = Radar::new(0, 0, spec);
    for associator in [Associator::Gnn, Associator::Jpda, Associator::Jipda] {
        let mut tracker = Tracker::new(TrackerConfig { associator, ..TrackerConfig::default() });
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (mut most, mut started) = (0, 0);
        let mut most_late = 0;
        for t in radar.look_times(0.0, 10_000.0) {
            let out = tracker.process_scan(&radar.look(t, &[], &mut rng), &radar);
            started += out.started.len();
            most = most.max(tracker.tracks().len());
            if t > 5_000.0 {
                most_late = most_late.max(tracker.tracks().len());
            }
        }
        eprintln!(
            "{associator:?}: {started} tracks started, at most {most} alive ({most_late} after 5,000 s)"
        );
        // 5,000 looks × 20 false alarms ≈ 100,000 tracks started; a false track lives a few looks
        // (M-of-N: deleted at its second miss; JIPDA: existence below 5e-5 after two misses), so about
        // 20 × 3 are alive at once. Bounded: the second half of the run holds no more than the first.
        assert!(started > 90_000, "{started}");
        assert!(most <= 120, "{associator:?}: {most} live tracks");
        assert!(most_late <= most);
    }
}

#[test]
fn a_track_keeps_only_its_last_n_looks() {
    let rotation = EarthRotation::at_julian_date(2_457_175.0);
    let boost = BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
    let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
    let a = fly_threat(&launch, &Geodetic::from_degrees(39.93, 32.86, 0.0), 0.0, &boost, &rotation).unwrap();
    let radar = Radar::new(0, 0, RadarSpec::example());
    let cfg = TrackerConfig::default();
    let mut tracker = Tracker::new(cfg.clone());
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut looks = 0;
    for t in radar.look_times(150.0, a.impact_time_s() - 60.0) {
        let p = a.ecef_at(t, &rotation).unwrap().0;
        tracker.process_scan(&radar.look(t, &[(0, p)], &mut rng), &radar);
        looks += 1;
        for tr in tracker.tracks() {
            assert!(tr.looks_in_window() <= cfg.confirm_n && tr.hits_in_window() <= tr.looks_in_window());
        }
    }
    let tr = tracker.tracks().iter().find(|t| t.is_confirmed()).expect("the threat's track");
    // Hundreds of looks, hundreds of updates; what the track holds of them is the N-look window.
    assert!(looks > 200 && tr.updates > 150, "{looks} looks, {} updates", tr.updates);
    assert_eq!(tr.looks_in_window(), cfg.confirm_n);
}
