//! Interacting multiple model (IMM) estimator over a **ballistic** and a **boost** mode
//! (Blom & Bar-Shalom 1988; Bar-Shalom, Li & Kirubarajan, *Estimation with Applications to Tracking and
//! Navigation*, §11.6).
//!
//! Both modes share the 6-state ECEF position/velocity state and the gravity + J2 + Coriolis model of
//! [`crate::motion`]; they differ in the white-acceleration process noise: the ballistic mode has the
//! tracker's small density, the boost mode a large one that covers the unknown thrust acceleration
//! (tens of m/s² for a ballistic missile in boost). This "multiple process-noise level" IMM needs no
//! state augmentation, so mixing is exact, it runs on the EKF or the UKF unchanged, and a track started
//! on a boosting missile keeps up with it while the ballistic mode takes over at burnout — which is what
//! the mode probability reports. A 9-state thrust model would estimate the acceleration vector but
//! mixing unequal state sizes needs ad-hoc augmentation; with radar revisits of a few seconds the
//! noise-level IMM reaches the same post-burnout accuracy (the ballistic mode is exact there).
//!
//! Mode switching is a continuous-time Markov chain: a boost mode lasts on average
//! `mean_boost_s` and the ballistic mode `mean_ballistic_s` (long: a missile does not re-ignite, the
//! small rate lets a track started in the wrong mode recover).

use crate::filter::{self, Estimator, Innovation, Projection};
use crate::ukf::UkfParams;
use crate::{Cov6, State6};
use nalgebra::Matrix3;
use serde::{Deserialize, Serialize};
use shieldnet_earth::Geodetic;

/// Number of modes.
pub const MODES: usize = 2;
/// Index of the ballistic mode.
pub const BALLISTIC: usize = 0;
/// Index of the boost mode.
pub const BOOST: usize = 1;

/// IMM settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ImmConfig {
    /// White-acceleration density of the boost mode, m²/s³ (≈ a²·T for thrust a over revisit T).
    pub boost_accel_noise_m2_s3: f64,
    /// Mean time in the boost mode before switching to ballistic, s.
    pub mean_boost_s: f64,
    /// Mean time in the ballistic mode before switching to boost, s.
    pub mean_ballistic_s: f64,
    /// Initial probability of the boost mode for a new track.
    pub initial_boost_probability: f64,
}

impl Default for ImmConfig {
    fn default() -> Self {
        Self {
            boost_accel_noise_m2_s3: 4_000.0,
            mean_boost_s: 60.0,
            mean_ballistic_s: 100_000.0,
            initial_boost_probability: 0.5,
        }
    }
}

/// Per-track IMM state: mode probabilities and the mode-conditioned Gaussians.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImmState {
    /// Mode probabilities (ballistic, boost).
    pub mu: [f64; MODES],
    /// Mode-conditioned states.
    pub x: [State6; MODES],
    /// Mode-conditioned covariances.
    pub p: [Cov6; MODES],
}

impl ImmState {
    /// A new IMM state with both modes at (x, P).
    pub fn new(x: &State6, p: &Cov6, cfg: &ImmConfig) -> Self {
        let b = cfg.initial_boost_probability.clamp(1e-6, 1.0 - 1e-6);
        Self { mu: [1.0 - b, b], x: [*x; MODES], p: [*p; MODES] }
    }

    /// Probability of the boost mode.
    pub fn boost_probability(&self) -> f64 {
        self.mu[BOOST]
    }

    /// Moment-matched combination of the modes.
    pub fn combined(&self) -> (State6, Cov6) {
        combine(&self.mu, &self.x, &self.p)
    }

    /// Mixing and mode-matched prediction by `dt` seconds; `q_ballistic` is the ballistic mode's
    /// density. After this, `mu` holds the predicted mode probabilities.
    pub fn predict(
        &mut self,
        dt: f64,
        q_ballistic: f64,
        cfg: &ImmConfig,
        kind: Estimator,
        params: &UkfParams,
    ) {
        if dt <= 0.0 {
            return;
        }
        let to_ballistic = 1.0 - (-dt / cfg.mean_boost_s).exp();
        let to_boost = 1.0 - (-dt / cfg.mean_ballistic_s).exp();
        // pi[i][j]: probability of moving from mode i to mode j.
        let pi = [[1.0 - to_boost, to_boost], [to_ballistic, 1.0 - to_ballistic]];
        let mut c = [0.0; MODES];
        for j in 0..MODES {
            c[j] = (0..MODES).map(|i| pi[i][j] * self.mu[i]).sum::<f64>().max(1e-300);
        }
        let mut mixed_x = [State6::zeros(); MODES];
        let mut mixed_p = [Cov6::zeros(); MODES];
        for j in 0..MODES {
            let w: [f64; MODES] = std::array::from_fn(|i| pi[i][j] * self.mu[i] / c[j]);
            let (x, p) = combine(&w, &self.x, &self.p);
            mixed_x[j] = x;
            mixed_p[j] = p;
        }
        let q = [q_ballistic, cfg.boost_accel_noise_m2_s3];
        for j in 0..MODES {
            let (x, p) = filter::predict(kind, &mixed_x[j], &mixed_p[j], dt, q[j], params);
            self.x[j] = x;
            self.p[j] = p;
        }
        let total: f64 = c.iter().sum();
        self.mu = c.map(|v| v / total);
    }

    /// Mode-matched projections into a radar's measurement space.
    pub fn project(&self, kind: Estimator, site: &Geodetic, params: &UkfParams) -> [Projection; MODES] {
        std::array::from_fn(|j| filter::project(kind, &self.x[j], &self.p[j], site, params))
    }

    /// Mode-matched updates with one measurement and the mode-probability update from the
    /// likelihoods. Returns the combined innovation distance of the most probable mode (for noise
    /// monitoring) or `None` if no mode could form an innovation.
    pub fn update(
        &mut self,
        projections: &[Projection; MODES],
        z: &crate::measurement::Meas3,
        r: &Matrix3<f64>,
    ) -> Option<f64> {
        let inns: [Option<Innovation>; MODES] = std::array::from_fn(|j| projections[j].innovation(z, r));
        let logs: [f64; MODES] = std::array::from_fn(|j| {
            inns[j].as_ref().map(|i| i.log_likelihood()).unwrap_or(f64::NEG_INFINITY)
        });
        let max = logs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        if !max.is_finite() {
            return None;
        }
        let mut post: [f64; MODES] = std::array::from_fn(|j| self.mu[j] * (logs[j] - max).exp());
        let total: f64 = post.iter().sum();
        post.iter_mut().for_each(|v| *v = (*v / total).max(1e-12));
        let total: f64 = post.iter().sum();
        self.mu = post.map(|v| v / total);
        for j in 0..MODES {
            if let Some(inn) = &inns[j] {
                let (x, p) = projections[j].update(&self.x[j], &self.p[j], inn, r);
                self.x[j] = x;
                self.p[j] = p;
            }
        }
        let best = if self.mu[BALLISTIC] >= self.mu[BOOST] { BALLISTIC } else { BOOST };
        inns[best].as_ref().map(|i| i.d2)
    }
}

/// Moment-matched mixture of Gaussians with weights `w`.
pub fn combine(w: &[f64; MODES], x: &[State6; MODES], p: &[Cov6; MODES]) -> (State6, Cov6) {
    let mean: State6 = (0..MODES).map(|i| x[i] * w[i]).sum();
    let mut cov = Cov6::zeros();
    for i in 0..MODES {
        let d = x[i] - mean;
        cov += (p[i] + d * d.transpose()) * w[i];
    }
    (mean, (cov + cov.transpose()) * 0.5)
}
