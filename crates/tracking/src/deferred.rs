//! Deferred prediction of tentative tracks that a look cannot concern.
//!
//! A look predicts every track to its instant before gating. A tentative track that the look's radar
//! cannot see and that no detection of the look can gate with takes no part in it: no association, no
//! miss. Its prediction is then deferred: the track keeps its time of validity and is predicted from
//! there, in one step, at the first look that may concern it (or by the angle and partner paths, which
//! predict from any earlier time). Deferring is bounded by [`MAX_DEFER_S`], so a track out of every
//! look is still predicted, and dropped by the covariance test, with at most that delay.
//!
//! What is exact and what is approximate:
//! - whether a detection may gate uses the Cartesian pre-gate bound ([`crate::pregate`]) about the
//!   position extrapolated to second order (p + v·dt + a·dt²/2, a the model's acceleration; within a
//!   few metres of the prediction for dt ≤ [`MAX_DEFER_S`], inside the bound's 10 m slack) with a
//!   bound on the predicted position covariance (below), so a deferred track would have had no
//!   in-gate detection;
//! - whether the radar sees the track is the radar's test on the extrapolated position: it can differ
//!   from the test on the predicted position only within metres of the coverage boundary;
//! - the deferred prediction over several looks' intervals in one step differs from the chain of
//!   one-interval predictions at the level of the linearisation and integration (tested against the
//!   chained predictions: metre-level in state, well inside the covariance).
//!
//! Deferring applies to single-model EKF tracks under GNN association on looks the pre-gate serves;
//! otherwise, and for confirmed tracks (which the party's picture and reports use), every track is
//! predicted at every look.

use crate::gating::{self, GateIndex};
use crate::measurement::SiteFrame;
use crate::pregate::LookPoints;
use crate::track::{Track, TrackStatus};
use crate::tracker::{Associator, TrackerConfig};
use crate::{Cov6, State6, filter::Estimator, motion};
use nalgebra::Vector3;
use shieldnet_sensors::{Radar, Scan};

/// Longest time a tentative track's prediction is deferred, s.
pub const MAX_DEFER_S: f64 = 10.0;

/// Bound on the norm of the gravity-gradient block G − Ω² of the motion Jacobian, s⁻² (2μ/r³ is
/// 3.1e-6 at the surface; tracks below it are dropped).
const GRADIENT_MAX: f64 = 4e-6;
/// Bound on the norm of the Coriolis block −2Ω, s⁻¹ (2ω = 1.46e-4).
const CORIOLIS_MAX: f64 = 1.5e-4;

/// Whether a look of `n_tracks` tracks and `n_meas` detections may defer predictions under `cfg`.
pub(crate) fn applies(cfg: &TrackerConfig, n_tracks: usize, n_meas: usize) -> bool {
    cfg.estimator == Estimator::Ekf
        && cfg.gate_index == GateIndex::Auto
        && cfg.imm.is_none()
        && cfg.associator == Associator::Gnn
        && n_tracks * n_meas < gating::AUTO_MIN_PAIRS
}

/// The look at `time_s` that decides deferral: its detections (pre-gate points), site frame, radar
/// and window.
pub(crate) struct Look<'a> {
    pub time_s: f64,
    pub points: &'a LookPoints,
    pub frame: &'a SiteFrame,
    pub scan: &'a Scan,
    pub radar: Option<&'a Radar>,
    pub gate_chi2: f64,
    pub accel_noise_m2_s3: f64,
}

impl Look<'_> {
    /// Whether the prediction of `t` to this look can be deferred: a tentative track, later than
    /// its time of validity by at most [`MAX_DEFER_S`], that the radar cannot see and that no
    /// detection can gate with (see the module documentation).
    pub(crate) fn defers(&self, t: &Track) -> bool {
        let dt = self.time_s - t.time_s;
        if t.status != TrackStatus::Tentative || !(dt > 0.0 && dt <= MAX_DEFER_S) {
            return false;
        }
        let p = extrapolated_position(&t.state, dt);
        let x = State6::new(p.x, p.y, p.z, 0.0, 0.0, 0.0);
        // The visibility test first: most tracks it keeps are seen (and would pass no other test).
        if let Some(radar) = self.radar {
            let looked = match &self.scan.window {
                None => true,
                Some(w) => w.contains(&shieldnet_earth::Enu(self.frame.enu(&x)).look_angles()),
            };
            if looked && radar.can_see(&shieldnet_earth::Ecef(p)) {
                return false;
            }
        }
        let f = position_covariance_bound(&t.cov, dt, self.accel_noise_m2_s3 * t.noise_scale);
        !self.points.any_near(self.frame, &x, f, self.gate_chi2)
    }
}

/// Position of state `x` after `dt` seconds to second order: p + v·dt + a·dt²/2 with a the motion
/// model's acceleration at `x` (gravity with J2 and the rotating-frame terms).
pub fn extrapolated_position(x: &State6, dt: f64) -> Vector3<f64> {
    let d = motion::derivative(x);
    let h = 0.5 * dt * dt;
    Vector3::new(x[0] + x[3] * dt + d[3] * h, x[1] + x[4] * dt + d[4] * h, x[2] + x[5] * dt + d[5] * h)
}

/// An upper bound on the spectral norm of the position block of `p` predicted by `dt` seconds with
/// process noise density `q`: with Φ's position rows [A B], the block is [A B] P [A B]ᵀ + Q_pp, whose
/// norm is at most (‖A‖·√‖P_pp‖ + ‖B‖·√‖P_vv‖)² + q·dt³/3 (P = L Lᵀ, triangle inequality on
/// [A B]·L), with ‖A‖ ≤ 1 + g·dt²/2 + w·g·dt³/6 and ‖B‖ ≤ dt + w·dt²/2 + (g + w²)·dt³/6 from the
/// third-order series of [`motion::transition`] (g, w the bounds on its gradient and Coriolis blocks)
/// and the blocks' norms bounded by their Frobenius norms.
pub fn position_covariance_bound(p: &Cov6, dt: f64, q: f64) -> f64 {
    let frobenius = |o: usize| {
        let mut s = 0.0;
        for j in o..o + 3 {
            for i in o..o + 3 {
                s += p[(i, j)] * p[(i, j)];
            }
        }
        s.sqrt()
    };
    let (g, w) = (GRADIENT_MAX, CORIOLIS_MAX);
    let (h2, h3) = (dt * dt / 2.0, dt * dt * dt / 6.0);
    let a = 1.0 + g * h2 + w * g * h3;
    let b = dt + w * h2 + (g + w * w) * h3;
    let s = a * frobenius(0).sqrt() + b * frobenius(3).sqrt();
    s * s + q * dt * dt * dt / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracker::Tracker;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use shieldnet_earth::Geodetic;
    use shieldnet_sensors::RadarSpec;

    /// The second-order extrapolation stays within a few metres of the motion model's propagation
    /// (RK4) over the deferral horizon, for ballistic speeds at low and high altitude.
    #[test]
    fn extrapolation_is_within_metres_of_the_propagation() {
        let mut worst = 0.0f64;
        for (lat, lon, alt) in [(37.0, 45.0, 150e3), (30.0, 50.0, 20e3), (45.0, 30.0, 1_200e3)] {
            let p = Geodetic::from_degrees(lat, lon, alt).to_ecef().0;
            for v in [[0.0, 0.0, 0.0], [-5e3, 3e3, 2e3], [2.5e3, -1e3, -6e3]] {
                let x = State6::new(p.x, p.y, p.z, v[0], v[1], v[2]);
                for dt in [0.5, 1.0, 2.0, 5.0, MAX_DEFER_S] {
                    let exact = motion::propagate(&x, dt).fixed_rows::<3>(0).into_owned();
                    worst = worst.max((extrapolated_position(&x, dt) - exact).norm());
                }
            }
        }
        assert!(worst < 5.0, "{worst} m");
        assert!(worst > 0.01, "{worst} m: the test should see the third-order term");
    }

    /// The bound holds the largest eigenvalue of the position block of the EKF prediction (the
    /// reference), for random covariances, positions and intervals, and is not loose by orders of
    /// magnitude.
    #[test]
    fn covariance_bound_holds_the_predicted_position_block() {
        let mut next = crate::test_rng::uniform(77);
        let mut tightest = f64::INFINITY;
        for _ in 0..300 {
            let g = Geodetic::from_degrees(20.0 + 40.0 * next(), 20.0 + 40.0 * next(), 1e6 * next());
            let p = g.to_ecef().0;
            let x =
                State6::new(p.x, p.y, p.z, 6e3 * (next() - 0.5), 6e3 * (next() - 0.5), 6e3 * (next() - 0.5));
            let mut a = Cov6::zeros();
            for v in a.iter_mut() {
                *v = next() - 0.5;
            }
            for i in 0..3 {
                for j in 0..6 {
                    a[(i, j)] *= 10f64.powf(4.0 * next());
                }
            }
            let cov = a * a.transpose();
            let (dt, q) = (MAX_DEFER_S * next(), 100.0 * next());
            let (_, pred) = crate::ekf::predict(&x, &cov, dt, q);
            let top = pred.fixed_view::<3, 3>(0, 0).into_owned().symmetric_eigenvalues().max();
            let bound = position_covariance_bound(&cov, dt, q);
            assert!(bound >= top, "bound {bound} below {top}");
            tightest = tightest.min(bound / top);
        }
        assert!(tightest < 3.0, "closest ratio {tightest}");
    }

    /// Two radars with disjoint coverage looking in turn, one of them at an object: with deferral,
    /// the far radar's looks leave the object's tentative track at its time (the eager tracker
    /// predicts it), every look has the same outcome as when every track is predicted at every look,
    /// and the estimates agree to far within their uncertainty.
    #[test]
    fn deferred_predictions_give_the_outcomes_of_predicting_every_look() {
        let near = Radar::new(0, 0, RadarSpec { pd: 1.0, ..RadarSpec::example() });
        let far_spec = RadarSpec {
            site: Geodetic::from_degrees(44.08, 24.41, 150.0),
            half_width_az_rad: std::f64::consts::PI,
            max_range_m: 700e3,
            ..RadarSpec::example()
        };
        let far = Radar::new(1, 0, far_spec);
        let p0 = Geodetic::from_degrees(37.0, 45.0, 150e3).to_ecef().0;
        let x0 = State6::new(p0.x, p0.y, p0.z, -1500.0, 800.0, 1200.0);
        let at = |t: f64| shieldnet_earth::Ecef(motion::propagate(&x0, t).fixed_rows::<3>(0).into_owned());
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let mut eager = Tracker::new(TrackerConfig::default());
        eager.deferral = false;
        let mut lazy = Tracker::new(TrackerConfig::default());
        let mut deferred_looks = 0;
        for k in 2..=16 {
            let t = k as f64;
            let radar = if k % 2 == 0 { &near } else { &far };
            let scan = radar.look(t, &[(0, at(t))], &mut rng);
            let (a, b) = (eager.process_scan(&scan, radar), lazy.process_scan(&scan, radar));
            assert_eq!(a, b, "look at {t} s");
            assert_eq!(eager.tracks().len(), lazy.tracks().len());
            if lazy.tracks().iter().any(|tr| tr.time_s < t) {
                deferred_looks += 1;
            }
        }
        assert!(deferred_looks >= 2, "{deferred_looks} looks deferred a prediction");
        let (a, b) = (&eager.tracks()[0], &lazy.tracks()[0]);
        assert!(a.is_confirmed() && b.is_confirmed());
        assert_eq!(a.time_s, b.time_s);
        let sigma = a.position_sigma_m();
        let dx = (a.position().0 - b.position().0).norm();
        let dv = (a.velocity().0 - b.velocity().0).norm();
        assert!(dx < 0.01 && dv < 1e-3, "position {dx} m (σ {sigma} m), velocity {dv} m/s");
        let dp = (a.cov - b.cov).abs().max() / a.cov.abs().max();
        assert!(dp < 1e-6, "covariance {dp}");
    }
}
