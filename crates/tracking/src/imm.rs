//! Interacting multiple model (IMM) estimator over a **ballistic** and a **boost** mode, and optionally
//! a **reentry** mode with drag and an estimated ballistic coefficient
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
//! The reentry mode ([`crate::reentry`], enabled by [`ImmConfig::reentry`]) carries κ = 1/β beside the
//! shared 6-state. Mixing acts on the 6-state as for the other modes; κ's mean and variance stay the
//! reentry mode's own (the other modes have no κ), and the κ–kinematics cross-covariance is reset at
//! each mixing (conservative; prediction rebuilds it through the drag partials, which is how an update
//! learns κ). The reentry mode always runs the EKF (the transition by central differences).
//!
//! Mode switching is a continuous-time Markov chain: a boost mode lasts on average
//! `mean_boost_s` and the ballistic mode `mean_ballistic_s` (long: a missile does not re-ignite, the
//! small rate lets a track started in the wrong mode recover).

use crate::filter::{self, Estimator, Innovation, Projection};
use crate::ukf::UkfParams;
use crate::{Cov6, State6, reentry};
use nalgebra::Matrix3;
use serde::{Deserialize, Serialize};
use shieldnet_earth::Geodetic;

/// Largest number of modes.
pub const MODES: usize = 3;
/// Index of the ballistic mode.
pub const BALLISTIC: usize = 0;
/// Index of the boost mode.
pub const BOOST: usize = 1;
/// Index of the reentry (drag) mode, when enabled.
pub const REENTRY: usize = 2;

/// Settings of the reentry mode.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReentryConfig {
    /// Initial κ = 1/β, m²/kg (1/β for a typical reentry vehicle; 2e-4 ↔ β = 5,000 kg/m²).
    pub initial_kappa_m2_kg: f64,
    /// Initial standard deviation of κ, m²/kg.
    pub kappa_sigma_m2_kg: f64,
    /// Random-walk density of κ, (m²/kg)²/s.
    pub kappa_noise: f64,
    /// Mean time in the ballistic mode before switching to reentry, s.
    pub mean_ballistic_s: f64,
    /// Mean time in the reentry mode before switching to ballistic, s.
    pub mean_reentry_s: f64,
}

impl Default for ReentryConfig {
    fn default() -> Self {
        Self {
            initial_kappa_m2_kg: 2e-4,
            kappa_sigma_m2_kg: 3e-4,
            kappa_noise: 1e-12,
            mean_ballistic_s: 200.0,
            mean_reentry_s: 200.0,
        }
    }
}

/// κ of the reentry mode: mean, variance and cross-covariance with the 6-state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DragState {
    /// Mean of κ = 1/β, m²/kg.
    pub kappa: f64,
    /// Variance of κ.
    pub var: f64,
    /// Cross-covariance of the 6-state with κ.
    pub cross: nalgebra::SVector<f64, 6>,
}

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
    /// The reentry mode, if enabled.
    #[serde(default)]
    pub reentry: Option<ReentryConfig>,
}

impl Default for ImmConfig {
    fn default() -> Self {
        Self {
            boost_accel_noise_m2_s3: 4_000.0,
            mean_boost_s: 60.0,
            mean_ballistic_s: 100_000.0,
            initial_boost_probability: 0.5,
            reentry: None,
        }
    }
}

/// Per-track IMM state: mode probabilities and the mode-conditioned Gaussians (the reentry entries
/// are used only when `drag` is present).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImmState {
    /// Mode probabilities (ballistic, boost, reentry).
    pub mu: [f64; MODES],
    /// Mode-conditioned states.
    pub x: [State6; MODES],
    /// Mode-conditioned covariances.
    pub p: [Cov6; MODES],
    /// κ of the reentry mode, when enabled.
    #[serde(default)]
    pub drag: Option<DragState>,
}

impl ImmState {
    /// A new IMM state with both modes at (x, P).
    pub fn new(x: &State6, p: &Cov6, cfg: &ImmConfig) -> Self {
        let b = cfg.initial_boost_probability.clamp(1e-6, 1.0 - 1e-6);
        match &cfg.reentry {
            None => Self { mu: [1.0 - b, b, 0.0], x: [*x; MODES], p: [*p; MODES], drag: None },
            Some(r) => Self {
                mu: [(1.0 - b) * 0.5, b, (1.0 - b) * 0.5],
                x: [*x; MODES],
                p: [*p; MODES],
                drag: Some(DragState {
                    kappa: r.initial_kappa_m2_kg,
                    var: r.kappa_sigma_m2_kg.powi(2),
                    cross: nalgebra::SVector::zeros(),
                }),
            },
        }
    }

    /// Number of modes in use (2, or 3 with the reentry mode).
    pub fn modes(&self) -> usize {
        if self.drag.is_some() { 3 } else { 2 }
    }

    /// Probability of the reentry mode (0 when it is not enabled).
    pub fn reentry_probability(&self) -> f64 {
        if self.drag.is_some() { self.mu[REENTRY] } else { 0.0 }
    }

    /// Estimated ballistic coefficient β = 1/κ of the reentry mode, kg/m², if enabled and κ > 0.
    pub fn ballistic_coefficient(&self) -> Option<f64> {
        self.drag.as_ref().filter(|d| d.kappa > 0.0).map(|d| 1.0 / d.kappa)
    }

    /// Probability of the boost mode.
    pub fn boost_probability(&self) -> f64 {
        self.mu[BOOST]
    }

    /// Moment-matched combination of the modes.
    pub fn combined(&self) -> (State6, Cov6) {
        let n = self.modes();
        combine(&self.mu[..n], &self.x[..n], &self.p[..n])
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
        let n = self.modes();
        let to_ballistic = 1.0 - (-dt / cfg.mean_boost_s).exp();
        let to_boost = 1.0 - (-dt / cfg.mean_ballistic_s).exp();
        let (to_reentry, from_reentry) = match (&cfg.reentry, n) {
            (Some(r), 3) => (1.0 - (-dt / r.mean_ballistic_s).exp(), 1.0 - (-dt / r.mean_reentry_s).exp()),
            _ => (0.0, 0.0),
        };
        // pi[i][j]: probability of moving from mode i to mode j.
        let pi = [
            [1.0 - to_boost - to_reentry, to_boost, to_reentry],
            [to_ballistic, 1.0 - to_ballistic, 0.0],
            [from_reentry, 0.0, 1.0 - from_reentry],
        ];
        let mut c = [0.0; MODES];
        for j in 0..n {
            c[j] = (0..n).map(|i| pi[i][j] * self.mu[i]).sum::<f64>().max(1e-300);
        }
        let mut mixed_x = [State6::zeros(); MODES];
        let mut mixed_p = [Cov6::zeros(); MODES];
        for j in 0..n {
            let w: Vec<f64> = (0..n).map(|i| pi[i][j] * self.mu[i] / c[j]).collect();
            let (x, p) = combine(&w, &self.x[..n], &self.p[..n]);
            mixed_x[j] = x;
            mixed_p[j] = p;
        }
        let q = [q_ballistic, cfg.boost_accel_noise_m2_s3];
        for j in 0..2 {
            let (x, p) = filter::predict(kind, &mixed_x[j], &mixed_p[j], dt, q[j], params);
            self.x[j] = x;
            self.p[j] = p;
        }
        if let (Some(d), Some(r)) = (&mut self.drag, &cfg.reentry) {
            let zero = nalgebra::SVector::<f64, 6>::zeros();
            let (x7, p7) = reentry::join(&mixed_x[REENTRY], &mixed_p[REENTRY], d.kappa, d.var, &zero);
            let (x7, p7) = reentry::predict(&x7, &p7, dt, q_ballistic, r.kappa_noise);
            let (x, p, kappa, var, cross) = reentry::split(&x7, &p7);
            self.x[REENTRY] = x;
            self.p[REENTRY] = p;
            *d = DragState { kappa, var, cross };
        }
        let total: f64 = c[..n].iter().sum();
        for (m, cj) in self.mu.iter_mut().zip(&c).take(n) {
            *m = cj / total;
        }
    }

    /// Mode-matched projections into a radar's measurement space.
    pub fn project(&self, kind: Estimator, site: &Geodetic, params: &UkfParams) -> Vec<Projection> {
        (0..self.modes())
            .map(|j| {
                let k = if j == REENTRY { Estimator::Ekf } else { kind };
                filter::project(k, &self.x[j], &self.p[j], site, params)
            })
            .collect()
    }

    /// Bayes update of the mode probabilities with each mode's measurement log-likelihood
    /// `logs[j]` = ln N(ν_j; 0, S_j) (−∞ for a mode without one); each probability is kept at least
    /// 1e-12 so that a mode can recover. Returns `false`, changing nothing, if no mode has a finite
    /// likelihood.
    pub fn reweight(&mut self, logs: &[f64]) -> bool {
        let n = self.modes().min(logs.len());
        let max = logs[..n].iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        if !max.is_finite() {
            return false;
        }
        let mut post: Vec<f64> = (0..n).map(|j| self.mu[j] * (logs[j] - max).exp()).collect();
        let total: f64 = post.iter().sum();
        post.iter_mut().for_each(|v| *v = (*v / total).max(1e-12));
        let total: f64 = post.iter().sum();
        for (m, pj) in self.mu.iter_mut().zip(&post) {
            *m = pj / total;
        }
        true
    }

    /// Mode-matched updates with one measurement and the mode-probability update from the
    /// likelihoods. Returns the combined innovation distance of the most probable mode (for noise
    /// monitoring) or `None` if no mode could form an innovation.
    pub fn update(
        &mut self,
        projections: &[Projection],
        z: &crate::measurement::Meas3,
        r: &Matrix3<f64>,
    ) -> Option<f64> {
        let n = self.modes().min(projections.len());
        let inns: Vec<Option<Innovation>> = projections[..n].iter().map(|pr| pr.innovation(z, r)).collect();
        let logs: Vec<f64> = inns
            .iter()
            .map(|i| i.as_ref().map(|i| i.log_likelihood()).unwrap_or(f64::NEG_INFINITY))
            .collect();
        if !self.reweight(&logs) {
            return None;
        }
        for j in 0..n {
            if let Some(inn) = &inns[j] {
                if j == REENTRY
                    && let (Some(d), Some(h)) = (&mut self.drag, &projections[j].h)
                {
                    // κ's gain from its cross-covariance: K_κ = (cross_ᵀ Hᵀ) S⁻¹.
                    let pkz = d.cross.transpose() * h.transpose();
                    let kk = pkz * inn.s_inv;
                    let kx = projections[j].pxz * inn.s_inv;
                    d.kappa += (kk * inn.nu)[0];
                    d.var = (d.var - (kk * inn.s * kk.transpose())[0]).max(1e-16);
                    d.cross -= kx * inn.s * kk.transpose();
                }
                let (x, p) = projections[j].update(&self.x[j], &self.p[j], inn, r);
                self.x[j] = x;
                self.p[j] = p;
            }
        }
        let best = (0..n).max_by(|&a, &b| self.mu[a].total_cmp(&self.mu[b]).then(b.cmp(&a))).unwrap_or(0);
        inns[best].as_ref().map(|i| i.d2)
    }
}

/// Moment-matched mixture of Gaussians with weights `w`.
pub fn combine(w: &[f64], x: &[State6], p: &[Cov6]) -> (State6, Cov6) {
    let mean: State6 = (0..w.len()).map(|i| x[i] * w[i]).sum();
    let mut cov = Cov6::zeros();
    for i in 0..w.len() {
        let d = x[i] - mean;
        cov += (p[i] + d * d.transpose()) * w[i];
    }
    (mean, (cov + cov.transpose()) * 0.5)
}
