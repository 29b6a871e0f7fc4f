//! Infrared line-of-sight reports in the tracker: two geostationary satellites start a track by
//! triangulation and keep it updated; the estimate is consistent (NEES and NIS inside χ² bounds over
//! seeded runs) for each motion model, and a late report of an object already tracked starts nothing.
//! Angle updates also move the IMM mode probabilities: tracked on angle reports alone, a missile's
//! track is in the boost mode while it burns and moves to the ballistic mode after burnout.

use nalgebra::{Matrix2, Vector3};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::{BoostSpec, fly_threat};
use shieldnet_sensors::LosFrame;
use shieldnet_sensors::infrared::geostationary;
use shieldnet_tracking::angle_tracking::AngleReport;
use shieldnet_tracking::filter::{self, Estimator};
use shieldnet_tracking::imm::ImmConfig;
use shieldnet_tracking::ukf::UkfParams;
use shieldnet_tracking::{State6, Tracker, TrackerConfig, angles, motion};

const SIGMA: f64 = 30e-6;
const REVISIT_S: f64 = 5.0;
const LOOKS: usize = 30;

fn satellites() -> [Vector3<f64>; 2] {
    [geostationary(10f64.to_radians()).0, geostationary(90f64.to_radians()).0]
}

/// A ballistic object over Iran, 80 km up, climbing at 1.5 km/s and flying north-west at 2.5 km/s.
fn truth0() -> State6 {
    let g = Geodetic::from_degrees(33.0, 52.0, 80e3);
    let p = g.to_ecef().0;
    let [e, n, u] = g.enu_axes();
    let v = (n - e).normalize() * 2_500.0 + u * 1_500.0;
    State6::new(p.x, p.y, p.z, v.x, v.y, v.z)
}

fn reports(t: f64, x: &State6, rng: &mut ChaCha8Rng) -> Vec<AngleReport> {
    satellites()
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let a = LosFrame::new(&shieldnet_earth::Ecef(*o)).angles(&Vector3::new(x[0], x[1], x[2]));
            let mut n = || -> f64 { StandardNormal.sample(rng) };
            AngleReport {
                time_s: t,
                sensor: i as u32,
                origin: [o.x, o.y, o.z],
                angles: [a[0] + SIGMA * n(), a[1] + SIGMA * n()],
                sigma_rad: SIGMA,
            }
        })
        .collect()
}

struct Consistency {
    nees: Vec<f64>,
    nis: Vec<f64>,
}

/// `runs` seeded runs; NEES of the single track at the last look, NIS of every update after the
/// first two instants (computed here from the track's prior, independently of the tracker).
fn run(cfg: &TrackerConfig, runs: u64) -> Consistency {
    let mut c = Consistency { nees: Vec::new(), nis: Vec::new() };
    for seed in 0..runs {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut tracker = Tracker::new(cfg.clone());
        let mut x = truth0();
        for k in 0..LOOKS {
            let t = k as f64 * REVISIT_S;
            if k > 0 {
                x = motion::propagate(&x, REVISIT_S);
            }
            let reps = reports(t, &x, &mut rng);
            if k >= 2 && cfg.imm.is_none() {
                // Reports of the first two instants start the track (two fixes).
                let tr = &tracker.tracks()[0];
                let q = cfg.accel_noise_m2_s3 * tr.noise_scale;
                let (mut xp, mut pp) = filter::predict(
                    cfg.estimator,
                    &tr.state,
                    &tr.cov,
                    t - tr.time_s,
                    q,
                    &UkfParams::default(),
                );
                // Sequential updates, as the tracker applies them (sensor order).
                for r in &reps {
                    let f = LosFrame::new(&shieldnet_earth::Ecef(Vector3::from(r.origin)));
                    let h = angles::jacobian(&f, &xp);
                    let s = h * pp * h.transpose() + Matrix2::identity() * SIGMA * SIGMA;
                    let nu = angles::Meas2::new(r.angles[0], r.angles[1]) - angles::predict(&f, &xp);
                    c.nis.push((nu.transpose() * s.try_inverse().unwrap() * nu)[0]);
                    let z = angles::Meas2::new(r.angles[0], r.angles[1]);
                    (xp, pp, _) = angles::update(&f, &xp, &pp, &z, SIGMA).unwrap();
                }
            }
            let o = tracker.process_angles(&reps);
            if std::env::var("DBG").is_ok() {
                for tr in tracker.tracks() {
                    let e = tr.state - x;
                    eprintln!(
                        "k {k} {o:?} id {} pos err {:.0} vel err {:.0} sigma {:.0} scale {}",
                        tr.id,
                        e.fixed_rows::<3>(0).norm(),
                        e.fixed_rows::<3>(3).norm(),
                        tr.position_sigma_m(),
                        tr.noise_scale
                    );
                }
            }
            // The first fix waits for a second instant; then one object, one track.
            assert_eq!(tracker.tracks().len(), usize::from(k > 0), "seed {seed}, look {k}");
        }
        let tr = &tracker.tracks()[0];
        assert!(tr.is_confirmed(), "seed {seed}");
        // Two fixes (four reports) started it, every later report updates it, except that a 99.9 %
        // gate lets about one report in a thousand go (each then starts nothing alone).
        assert!(tr.updates as usize >= 2 * LOOKS - 2, "seed {seed}: {} updates", tr.updates);
        let e = tr.state - x;
        c.nees.push((e.transpose() * tr.cov.try_inverse().unwrap() * e)[0]);
    }
    c
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Two-sided 99 % band of the mean of `n` χ²(dof) draws (normal approximation, n·dof large).
fn band(dof: f64, n: usize) -> (f64, f64) {
    let half = 2.576 * (2.0 * dof / n as f64).sqrt();
    (dof - half, dof + half)
}

#[test]
fn triangulated_tracks_are_consistent_with_the_ekf_and_the_ukf() {
    // The truth flies the filter's own model with no process noise, so the filter is tuned with
    // almost none: its NEES must then be χ²-consistent (the default 25 m²/s³ is conservative).
    for estimator in [Estimator::Ekf, Estimator::Ukf] {
        let default = run(&TrackerConfig { estimator, ..TrackerConfig::default() }, 20);
        assert!(mean(&default.nees) < band(6.0, 20).1, "{estimator:?} overconfident by default");
        let cfg = TrackerConfig { estimator, accel_noise_m2_s3: 1e-3, ..TrackerConfig::default() };
        let c = run(&cfg, 60);
        let (lo, hi) = band(6.0, c.nees.len());
        let nees = mean(&c.nees);
        assert!(nees > lo && nees < hi, "{estimator:?}: mean NEES {nees} outside [{lo}, {hi}]");
        let (lo, hi) = band(2.0, c.nis.len());
        let nis = mean(&c.nis);
        eprintln!(
            "{estimator:?}: mean NEES {nees:.2} over {} runs, mean NIS {nis:.3} over {} updates",
            c.nees.len(),
            c.nis.len()
        );
        assert!(
            nis > lo && nis < hi,
            "{estimator:?}: mean NIS {nis} outside [{lo}, {hi}] over {}",
            c.nis.len()
        );
    }
}

#[test]
fn triangulated_tracks_are_consistent_with_the_imm() {
    // The ballistic mode is exact here and the boost mode only widens the mixture: the combined
    // estimate must not be overconfident (NEES below the upper bound) and stay near the truth.
    for reentry in [None, Some(Default::default())] {
        let cfg = TrackerConfig {
            imm: Some(ImmConfig { reentry, ..ImmConfig::default() }),
            ..TrackerConfig::default()
        };
        let c = run(&cfg, 40);
        let (_, hi) = band(6.0, c.nees.len());
        let nees = mean(&c.nees);
        eprintln!("IMM (reentry {}): mean NEES {nees:.2} over {} runs", reentry.is_some(), c.nees.len());
        assert!(nees < hi && nees > 1.0, "reentry {}: mean NEES {nees}", reentry.is_some());
    }
}

#[test]
fn a_late_report_of_a_newer_track_updates_nothing_and_starts_nothing() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut tracker = Tracker::new(TrackerConfig::default());
    let x0 = truth0();
    let x5 = motion::propagate(&x0, 5.0);
    let x10 = motion::propagate(&x0, 10.0);
    tracker.process_angles(&reports(0.0, &x0, &mut rng));
    tracker.process_angles(&reports(10.0, &x10, &mut rng));
    let before = tracker.tracks()[0].clone();
    // Reports observed at 5 s arrive after the track was updated at 10 s.
    let out = tracker.process_angles(&reports(5.0, &x5, &mut rng));
    assert!(out.started.is_empty() && out.associations.is_empty(), "{out:?}");
    assert_eq!(tracker.tracks(), &[before]);
    // A lone line of sight of an unknown object starts nothing.
    let far = State6::new(x0[0] + 500e3, x0[1], x0[2], 0.0, 0.0, 0.0);
    let lone = reports(12.0, &far, &mut rng).remove(0);
    assert!(tracker.process_angles(&[lone]).started.is_empty());
}

#[test]
fn a_late_report_of_a_track_only_predicted_since_updates_it_from_its_last_update() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut tracker = Tracker::new(TrackerConfig::default());
    let x = |t: f64| motion::propagate(&truth0(), t);
    for t in [0.0, 5.0, 10.0] {
        tracker.process_angles(&reports(t, &x(t), &mut rng));
    }
    let id = tracker.tracks()[0].id;
    // A radar look at 30 s that sees nothing there predicts the track to 30 s.
    let radar = shieldnet_sensors::Radar::new(0, 0, shieldnet_sensors::RadarSpec::example());
    let empty = shieldnet_sensors::Scan {
        time_s: 30.0,
        radar: 0,
        site: radar.spec.site,
        detections: vec![],
        window: None,
    };
    tracker.process_scan(&empty, &radar);
    assert_eq!(tracker.tracks()[0].time_s, 30.0);
    // Reports observed at 15 s, arriving now: the track goes back to 10 s and takes them.
    let out = tracker.process_angles(&reports(15.0, &x(15.0), &mut rng));
    assert_eq!(out.associations.len(), 2, "{out:?}");
    let t = &tracker.tracks()[0];
    assert_eq!((t.id, t.time_s, t.updates), (id, 15.0, 8));
    // The result equals feeding the reports in time order to a tracker that never saw the look.
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut direct = Tracker::new(TrackerConfig::default());
    for t in [0.0, 5.0, 10.0, 15.0] {
        direct.process_angles(&reports(t, &x(t), &mut rng));
    }
    assert_eq!(direct.tracks()[0].state, t.state);
    assert_eq!(direct.tracks()[0].cov, t.cov);
}

/// Burnout time of the missile of the IMM test, s.
const BURNOUT_S: f64 = 110.0;

/// Boost probability of the single track after each instant's reports, as (time, P(boost)).
fn boost_probabilities(seed: u64) -> Vec<(f64, f64)> {
    let rotation = EarthRotation::at_julian_date(2_457_175.0);
    let boost =
        BoostSpec { burnout_time_s: BURNOUT_S, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
    let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
    let threat =
        fly_threat(&launch, &Geodetic::from_degrees(39.93, 32.86, 0.0), 0.0, &boost, &rotation).unwrap();
    let cfg = TrackerConfig { imm: Some(ImmConfig::default()), ..TrackerConfig::default() };
    let mut tracker = Tracker::new(cfg);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    let mut t = 10.0;
    while t <= 300.0 {
        let p = threat.ecef_at(t, &rotation).unwrap().0.0;
        let x = State6::new(p.x, p.y, p.z, 0.0, 0.0, 0.0);
        let reports = reports(t, &x, &mut rng);
        tracker.process_angles(&reports);
        if let Some(tr) = tracker.tracks().first() {
            out.push((t, tr.boost_probability().unwrap()));
        }
        t += REVISIT_S;
    }
    assert_eq!(tracker.tracks().len(), 1, "seed {seed}: one object, one track");
    out
}

#[test]
fn angle_updates_put_a_burning_missile_in_boost_and_a_coasting_one_in_ballistic() {
    // Reports every 5 s from 10 s (burning until 110 s) to 300 s, 30 µrad; the track starts from
    // the fixes of 10 and 15 s at P(boost) = 0.5. Measured over seeds 0-4: from 45-50 s on the boost
    // mode holds 0.73-0.998 until burnout (mean over 60-110 s 0.87-0.91, lowest single value 0.731);
    // it falls from about 125 s and is at most 0.003 from 190 s on (0.000 from 210 s). Without the
    // angle likelihoods the probabilities would only follow the Markov chain (mean boost time 60 s):
    // below 0.5 from the start and decaying through the burn.
    // These reports continue after burnout (a satellite able to follow the cooling body, or any
    // angle-only sensor); the scenario's infrared sensors see plumes only.
    for seed in 0..5 {
        let mu = boost_probabilities(seed);
        if std::env::var("DBG").is_ok() {
            eprintln!("seed {seed}: {:?}", mu.iter().map(|(t, b)| format!("{t}:{b:.3}")).collect::<Vec<_>>());
        }
        let during: Vec<f64> =
            mu.iter().filter(|(t, _)| (60.0..=BURNOUT_S).contains(t)).map(|m| m.1).collect();
        let mean = during.iter().sum::<f64>() / during.len() as f64;
        let low = during.iter().cloned().fold(1.0, f64::min);
        assert!(mean >= 0.8 && low >= 0.6, "seed {seed}: boost probability in boost mean {mean}, min {low}");
        let after = mu.iter().filter(|(t, _)| *t >= 190.0).map(|m| m.1).fold(0.0, f64::max);
        assert!(after <= 0.02, "seed {seed}: boost probability after burnout up to {after}");
    }
}
