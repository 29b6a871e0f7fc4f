//! Filter consistency: over seeded Monte Carlo runs, the normalised estimation error squared (NEES) of
//! the ballistic EKF tracking a ballistic coast stays inside its chi-square bounds.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::{BoostSpec, fly_threat};
use shieldnet_sensors::{Radar, RadarSpec};
use shieldnet_tracking::{State6, Tracker, TrackerConfig};

#[test]
fn nees_of_the_ballistic_ekf_is_inside_chi_square_bounds() {
    let rotation = EarthRotation::at_julian_date(2_457_175.0);
    let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
    let aim = Geodetic::from_degrees(39.93, 32.86, 0.0);
    let boost = BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
    let traj = fly_threat(&launch, &aim, 0.0, &boost, &rotation).unwrap();
    let mut spec = RadarSpec::example();
    spec.pd = 1.0;
    let radar = Radar::new(0, 0, spec);
    let runs = 50;
    // NEES sums per look time, over runs (only looks where every run had a confirmed track).
    let mut sums: std::collections::BTreeMap<i64, (f64, usize)> = Default::default();
    for seed in 0..runs {
        // The truth is a drag-free ballistic coast, which is exactly the filter's motion model, so the
        // process noise is set to (almost) zero: any inconsistency then comes from the filter itself.
        let cfg = TrackerConfig { accel_noise_m2_s3: 1e-9, ..TrackerConfig::default() };
        let mut tracker = Tracker::new(cfg);
        let mut rng = ChaCha8Rng::seed_from_u64(1000 + seed);
        let t_start = traj.burnout_time_s() + 20.0;
        for t in radar.look_times(t_start, traj.impact_time_s() - 30.0) {
            let (p, v) = traj.ecef_at(t, &rotation).unwrap();
            let scan = radar.look(t, &[(0, p)], &mut rng);
            tracker.process_scan(&scan, &radar);
            // Let the filter settle for 60 s after the first look before measuring.
            if t < t_start + 60.0 {
                continue;
            }
            if let Some(track) = tracker.tracks().iter().find(|t| t.is_confirmed()) {
                let truth = State6::new(p.0.x, p.0.y, p.0.z, v.0.x, v.0.y, v.0.z);
                let e = track.state - truth;
                let nees = (e.transpose() * track.cov.try_inverse().unwrap() * e)[0];
                let entry = sums.entry((t * 10.0) as i64).or_default();
                entry.0 += nees;
                entry.1 += 1;
            }
        }
    }
    let full: Vec<f64> =
        sums.values().filter(|(_, n)| *n == runs as usize).map(|(s, n)| s / *n as f64).collect();
    assert!(full.len() > 50, "too few looks with a confirmed track in every run: {}", full.len());
    // 99 % two-sided bounds of the run-averaged NEES of a 6-state filter over 50 runs:
    // χ²(300) quantiles 0.005 and 0.995 are 242.6 and 364.3, divided by 50.
    let (lo, hi) = (242.6 / 50.0, 364.3 / 50.0);
    let inside = full.iter().filter(|&&m| m >= lo && m <= hi).count() as f64 / full.len() as f64;
    let grand = full.iter().sum::<f64>() / full.len() as f64;
    eprintln!("mean NEES {grand:.3}, {:.0}% of look times inside the 99% band", inside * 100.0);
    assert!(grand > lo && grand < hi, "mean NEES {grand} outside [{lo}, {hi}]");
    assert!(inside > 0.9, "only {:.0}% of look times inside the 99% band", inside * 100.0);
}
