//! Consistency of each filter (EKF, UKF, and the IMM on EKF and UKF) on a ballistic coast, and the IMM
//! moving its probability from the boost mode to the ballistic mode at burnout.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::{BoostSpec, Trajectory, fly_threat};
use shieldnet_sensors::{Radar, RadarSpec};
use shieldnet_tracking::filter::{self, Estimator};
use shieldnet_tracking::imm::{BALLISTIC, ImmConfig, ImmState};
use shieldnet_tracking::measurement::{self, Meas3};
use shieldnet_tracking::metrics::{chi2_mean_bounds, nees6};
use shieldnet_tracking::ukf::UkfParams;
use shieldnet_tracking::{Cov6, State6, Tracker, TrackerConfig};

fn rotation() -> EarthRotation {
    EarthRotation::at_julian_date(2_457_175.0)
}

fn threat() -> Trajectory {
    let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
    let aim = Geodetic::from_degrees(39.93, 32.86, 0.0);
    let boost = BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
    fly_threat(&launch, &aim, 0.0, &boost, &rotation()).unwrap()
}

fn truth_state(traj: &Trajectory, t: f64) -> State6 {
    let (p, v) = traj.ecef_at(t, &rotation()).unwrap();
    State6::new(p.0.x, p.0.y, p.0.z, v.0.x, v.0.y, v.0.z)
}

#[derive(Clone, Copy, Debug)]
enum Filter {
    Single(Estimator),
    Imm(Estimator),
}

/// Runs `runs` seeded single-target filters on the coast of the threat and returns, per look, the
/// run-averaged NEES and NIS (only looks after a settling time). For the IMM these are of the
/// ballistic mode (the model that is true on a coast), and the third vector is the NEES of the
/// combined (moment-matched) estimate; for a single filter the third vector equals the first.
fn monte_carlo(f: Filter, runs: u64) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let traj = threat();
    let mut spec = RadarSpec::example();
    spec.pd = 1.0;
    let radar = Radar::new(0, 0, spec);
    let q = 1e-6;
    let params = UkfParams::default();
    let icfg = ImmConfig { initial_boost_probability: 0.01, ..ImmConfig::default() };
    let t0 = traj.burnout_time_s() + 20.0;
    let times: Vec<f64> = radar
        .look_times(t0, traj.impact_time_s() - 30.0)
        .filter(|&t| radar.can_see(&traj.ecef_at(t, &rotation()).unwrap().0))
        .collect();
    assert!(times.len() > 100, "{}", times.len());
    let mut nees_sum = vec![0.0; times.len()];
    let mut nis_sum = vec![0.0; times.len()];
    let mut combined_sum = vec![0.0; times.len()];
    for seed in 0..runs {
        let mut rng = ChaCha8Rng::seed_from_u64(500 + seed);
        // Initial estimate drawn from the initial covariance around the truth: consistent at t0.
        let p0 = Cov6::from_diagonal(&State6::new(1e6, 1e6, 1e6, 1e4, 1e4, 1e4));
        let l = p0.cholesky().unwrap().l();
        let n = State6::from_fn(|_, _| StandardNormal.sample(&mut rng));
        let mut x = truth_state(&traj, times[0]) + l * n;
        let mut p = p0;
        let mut imm = ImmState::new(&x, &p, &icfg);
        let mut t_prev = times[0];
        for (k, &t) in times.iter().enumerate() {
            let truth = truth_state(&traj, t);
            let pos = traj.ecef_at(t, &rotation()).unwrap().0;
            let scan = radar.look(t, &[(0, pos)], &mut rng);
            let d = &scan.detections[0];
            let z = Meas3::new(d.measured.range_m, d.measured.az_rad, d.measured.el_rad);
            let r = measurement::noise(&d.sigma);
            let dt = t - t_prev;
            t_prev = t;
            let (nis, nees, combined) = match f {
                Filter::Single(e) => {
                    (x, p) = filter::predict(e, &x, &p, dt, q, &params);
                    let proj = filter::project(e, &x, &p, &scan.site, &params);
                    let inn = proj.innovation(&z, &r).unwrap();
                    (x, p) = proj.update(&x, &p, &inn, &r);
                    let nees = nees6(&x, &p, &truth).unwrap();
                    (inn.d2, nees, nees)
                }
                Filter::Imm(e) => {
                    imm.predict(dt, q, &icfg, e, &params);
                    let projs = imm.project(e, &scan.site, &params);
                    let inn = projs[BALLISTIC].innovation(&z, &r).unwrap();
                    imm.update(&projs, &z, &r).unwrap();
                    let (xc, pc) = imm.combined();
                    let nees = nees6(&imm.x[BALLISTIC], &imm.p[BALLISTIC], &truth).unwrap();
                    (inn.d2, nees, nees6(&xc, &pc, &truth).unwrap())
                }
            };
            nees_sum[k] += nees;
            nis_sum[k] += nis;
            combined_sum[k] += combined;
        }
    }
    let skip = 10;
    let avg = |v: &[f64]| v[skip..].iter().map(|s| s / runs as f64).collect();
    (avg(&nees_sum), avg(&nis_sum), avg(&combined_sum))
}

fn check(f: Filter) {
    let runs = 40;
    let (nees, nis, combined) = monte_carlo(f, runs as u64);
    // The combined IMM estimate carries the residual boost mode's spread, so it may be conservative
    // but must never be overconfident.
    let (_, hi) = chi2_mean_bounds(6, runs, 0.005);
    let grand = combined.iter().sum::<f64>() / combined.len() as f64;
    eprintln!("{f:?} combined NEES: mean {grand:.3}");
    assert!(grand < hi, "{f:?} combined NEES {grand} above {hi}");
    for (name, v, dim) in [("NEES", &nees, 6), ("NIS", &nis, 3)] {
        // 99 % two-sided bounds of the run-averaged statistic.
        let (lo, hi) = chi2_mean_bounds(dim, runs, 0.005);
        let inside = v.iter().filter(|&&m| m >= lo && m <= hi).count() as f64 / v.len() as f64;
        let grand = v.iter().sum::<f64>() / v.len() as f64;
        eprintln!(
            "{f:?} {name}: mean {grand:.3} (dim {dim}), {:.1}% inside [{lo:.2}, {hi:.2}]",
            inside * 100.0
        );
        match f {
            Filter::Single(_) => {
                // The grand mean over all looks of a consistent filter is close to the dimension.
                assert!((grand - dim as f64).abs() < 0.15 * dim as f64, "{f:?} {name} mean {grand}");
                assert!(inside > 0.9, "{f:?} {name}: only {:.0}% inside", inside * 100.0);
            }
            Filter::Imm(_) => {
                // On a pure coast the boost mode, mixed in at each look, acts as extra process noise on
                // the near-noise-free ballistic mode: the IMM is conservative by design. It must never
                // be overconfident, and not more than twice too pessimistic.
                let frac_above = v.iter().filter(|&&m| m > hi).count() as f64 / v.len() as f64;
                assert!(grand < hi && grand > 0.5 * dim as f64, "{f:?} {name} mean {grand}");
                assert!(frac_above < 0.05, "{f:?} {name}: {:.0}% above the band", frac_above * 100.0);
            }
        }
    }
}

#[test]
fn ekf_is_consistent_on_the_ballistic_model() {
    check(Filter::Single(Estimator::Ekf));
}

#[test]
fn ukf_is_consistent_on_the_ballistic_model() {
    check(Filter::Single(Estimator::Ukf));
}

#[test]
fn imm_ekf_is_consistent_on_a_ballistic_coast() {
    check(Filter::Imm(Estimator::Ekf));
}

#[test]
fn imm_ukf_is_consistent_on_a_ballistic_coast() {
    check(Filter::Imm(Estimator::Ukf));
}

/// A radar 300 km from the launch point, under the flight path, sees the boost from low altitude.
fn launch_area_radar() -> Radar {
    let mut spec = RadarSpec::example();
    spec.id = "launch-area".into();
    spec.site = Geodetic::from_degrees(36.0, 51.0, 1000.0);
    spec.boresight_az_rad = 0.0;
    spec.half_width_az_rad = std::f64::consts::PI;
    spec.max_el_rad = 89f64.to_radians();
    spec.max_range_m = 3_000e3;
    spec.revisit_s = 1.0;
    spec.pd = 1.0;
    Radar::new(0, 0, spec)
}

#[test]
fn imm_moves_probability_from_boost_to_ballistic_at_burnout() {
    let traj = threat();
    let radar = launch_area_radar();
    let burnout = traj.burnout_time_s();
    for estimator in [Estimator::Ekf, Estimator::Ukf] {
        let cfg = TrackerConfig { estimator, imm: Some(ImmConfig::default()), ..TrackerConfig::default() };
        let mut tracker = Tracker::new(cfg);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut boost_phase = Vec::new();
        let mut coast_phase = Vec::new();
        let mut first_seen = None;
        for t in radar.look_times(0.0, burnout + 120.0) {
            let pos = traj.ecef_at(t, &rotation()).unwrap().0;
            if first_seen.is_none() && radar.can_see(&pos) {
                first_seen = Some(t);
            }
            let scan = radar.look(t, &[(0, pos)], &mut rng);
            tracker.process_scan(&scan, &radar);
            let Some(track) = tracker.tracks().iter().find(|t| t.is_confirmed()) else { continue };
            let pb = track.boost_probability().unwrap();
            if t > burnout - 40.0 && t <= burnout {
                boost_phase.push(pb);
            }
            if t > burnout + 30.0 {
                coast_phase.push(pb);
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        eprintln!(
            "{estimator:?}: first seen {first_seen:?}, boost-mode probability {:.3} in the last 40 s of boost, {:.3} from 30 s after burnout",
            mean(&boost_phase),
            mean(&coast_phase)
        );
        assert!(boost_phase.len() >= 30 && coast_phase.len() >= 60);
        assert!(mean(&boost_phase) > 0.7, "{estimator:?} boost phase {}", mean(&boost_phase));
        assert!(mean(&coast_phase) < 0.1, "{estimator:?} coast phase {}", mean(&coast_phase));
    }
}
