//! The reentry mode of the IMM on a reentry vehicle flown by the flight crate (ECI, J2, US76 drag,
//! rotating Earth; an independent integration): the drag model takes the mode probability in the
//! dense atmosphere, estimates the ballistic coefficient, tracks better than the drag-free IMM, and
//! stays consistent (NEES).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::{EarthRotation, Ecef, Eci, Geodetic, Vec3};
use shieldnet_flight::EarthModel;
use shieldnet_flight::coast::acceleration;
use shieldnet_sensors::{Radar, RadarSpec};
use shieldnet_tracking::imm::{ImmConfig, REENTRY, ReentryConfig};
use shieldnet_tracking::reentry::altitude;
use shieldnet_tracking::{State6, Tracker, TrackerConfig};

const BETA: f64 = 3_000.0;

fn rotation() -> EarthRotation {
    EarthRotation::at_julian_date(2_457_175.0)
}

/// Truth states (t, ECEF state) every 0.5 s from 200 km altitude to 8 km: RK4 in ECI at 0.01 s.
fn truth() -> Vec<(f64, State6)> {
    let rot = rotation();
    let model = EarthModel::full(rot);
    let start = Geodetic::from_degrees(36.0, 41.0, 200e3);
    let p = start.to_ecef();
    let [east, north, up] = start.enu_axes();
    // 4.5 km/s heading west-north-west, 25° below the horizontal.
    let (c, s) = (25f64.to_radians().cos(), 25f64.to_radians().sin());
    let dir = (-east * 0.9 + north * 0.3).normalize();
    let v = Ecef((dir * c - up * s) * 4_500.0);
    let (ri, vi) = rot.ecef_state_to_eci(&p, &v, 0.0);
    let (mut r, mut u) = (ri.0, vi.0);
    let f = |r: &Vec3, u: &Vec3| acceleration(&model, Some(BETA), r, u);
    let h = 0.01;
    let mut out = Vec::new();
    for k in 0..=200_000u32 {
        let t = k as f64 * h;
        if k % 50 == 0 {
            let (pe, ve) = rot.eci_state_to_ecef(&Eci(r), &Eci(u), t);
            if altitude(&pe.0) < 8e3 {
                break;
            }
            out.push((t, State6::new(pe.0.x, pe.0.y, pe.0.z, ve.0.x, ve.0.y, ve.0.z)));
        }
        let (k1r, k1v) = (u, f(&r, &u));
        let (k2r, k2v) = (u + k1v * (h / 2.0), f(&(r + k1r * (h / 2.0)), &(u + k1v * (h / 2.0))));
        let (k3r, k3v) = (u + k2v * (h / 2.0), f(&(r + k2r * (h / 2.0)), &(u + k2v * (h / 2.0))));
        let (k4r, k4v) = (u + k3v * h, f(&(r + k3r * h), &(u + k3v * h)));
        r += (k1r + k2r * 2.0 + k3r * 2.0 + k4r) * (h / 6.0);
        u += (k1v + k2v * 2.0 + k3v * 2.0 + k4v) * (h / 6.0);
    }
    out
}

/// A radar below the end of the descent.
fn radar(truth: &[(f64, State6)]) -> Radar {
    let last = truth.last().unwrap().1;
    let ground = Ecef(Vec3::new(last[0], last[1], last[2])).to_geodetic();
    let mut spec = RadarSpec::example();
    spec.site =
        Geodetic { alt_m: 0.0, ..Geodetic::from_degrees(ground.lat_deg() + 1.0, ground.lon_deg(), 0.0) };
    spec.boresight_az_rad = 0.0;
    spec.half_width_az_rad = std::f64::consts::PI;
    spec.min_el_rad = 0.0;
    spec.max_el_rad = 89f64.to_radians();
    spec.max_range_m = 2_000e3;
    spec.revisit_s = 0.5;
    spec.sigma_range_m = 10.0;
    spec.sigma_az_rad = 0.5e-3;
    spec.sigma_el_rad = 0.5e-3;
    spec.pd = 1.0;
    Radar::new(0, 0, spec)
}

struct Run {
    /// (altitude, position error², NEES of the reentry mode's estimate (of the combined one without
    /// that mode), reentry probability, β estimate)
    rows: Vec<(f64, f64, f64, f64, Option<f64>)>,
}

fn run(reentry: bool, seed: u64) -> Run {
    run_q(reentry, seed, 1.0)
}

fn run_q(reentry: bool, seed: u64, q: f64) -> Run {
    let truth = truth();
    let radar = radar(&truth);
    let imm = ImmConfig {
        initial_boost_probability: 0.01,
        reentry: reentry.then(ReentryConfig::default),
        ..ImmConfig::default()
    };
    let cfg = TrackerConfig { imm: Some(imm), accel_noise_m2_s3: q, ..TrackerConfig::default() };
    let mut tracker = Tracker::new(cfg);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = Vec::new();
    for (t, x) in &truth {
        let p = Ecef(Vec3::new(x[0], x[1], x[2]));
        let scan = radar.look(*t, &[(0, p)], &mut rng);
        tracker.process_scan(&scan, &radar);
        if let Some(tr) = tracker.tracks().iter().find(|t| t.is_confirmed()) {
            let e = tr.state - x;
            let m = tr.imm.as_ref().unwrap();
            let (xm, pm) = if reentry { (m.x[REENTRY], m.p[REENTRY]) } else { (tr.state, tr.cov) };
            let em = xm - x;
            let nees = (em.transpose() * pm.try_inverse().unwrap() * em)[0];
            rows.push((
                altitude(&p.0),
                e.fixed_rows::<3>(0).norm_squared(),
                nees,
                m.reentry_probability(),
                m.ballistic_coefficient(),
            ));
        }
    }
    Run { rows }
}

#[test]
fn the_drag_mode_wins_in_the_atmosphere_and_estimates_the_ballistic_coefficient() {
    let with = run(true, 1);
    let without = run(false, 1);
    let dense = |r: &Run| -> Vec<(f64, f64, f64, f64, Option<f64>)> {
        r.rows.iter().copied().filter(|row| row.0 < 50e3).collect()
    };
    let (a, b) = (dense(&with), dense(&without));
    assert!(a.len() > 40 && b.len() > 40, "{} {}", a.len(), b.len());
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let mu = mean(&a.iter().map(|r| r.3).collect::<Vec<_>>());
    let rms_a = mean(&a.iter().map(|r| r.1).collect::<Vec<_>>()).sqrt();
    let rms_b = mean(&b.iter().map(|r| r.1).collect::<Vec<_>>()).sqrt();
    let beta = a.last().unwrap().4.unwrap();
    eprintln!(
        "below 50 km: reentry-mode probability {mu:.3}, position RMS {rms_a:.1} m with the drag mode vs {rms_b:.1} m without; β estimate {beta:.0} kg/m² (truth {BETA})"
    );
    assert!(mu > 0.8, "reentry-mode probability {mu}");
    assert!(rms_a < 0.7 * rms_b, "{rms_a} vs {rms_b}");
    assert!((beta / BETA - 1.0).abs() < 0.15, "β {beta}");
}

#[test]
fn the_reentry_imm_is_consistent_in_the_atmosphere() {
    // Run-averaged NEES of the reentry mode's estimate (the model that is true here; process noise
    // almost zero) at each instant below 50 km over 30 seeded runs,
    // against the 99 % band of the mean of 30 χ²(6) draws (χ²(180) quantiles 0.005/0.995 = 137.2
    // and 228.9, over 30).
    let runs = 30;
    let mut per_step: Vec<(f64, usize)> = Vec::new();
    for seed in 0..runs {
        let r = run_q(true, 100 + seed, 1e-4);
        for (k, row) in r.rows.iter().filter(|row| row.0 < 50e3).enumerate() {
            if per_step.len() <= k {
                per_step.push((0.0, 0));
            }
            per_step[k].0 += row.2;
            per_step[k].1 += 1;
        }
    }
    let means: Vec<f64> =
        per_step.iter().filter(|(_, n)| *n == runs as usize).map(|(s, n)| s / *n as f64).collect();
    let (lo, hi) = (137.2 / 30.0, 228.9 / 30.0);
    let grand = means.iter().sum::<f64>() / means.len() as f64;
    let inside = means.iter().filter(|&&m| m >= lo && m <= hi).count() as f64 / means.len() as f64;
    eprintln!(
        "reentry IMM below 50 km: mean NEES {grand:.2} over {} instants, {:.0} % inside the 99 % band",
        means.len(),
        inside * 100.0
    );
    assert!(means.len() > 30);
    assert!(grand > lo && grand < hi, "mean NEES {grand}");
    assert!(inside > 0.8, "{inside}");
}
