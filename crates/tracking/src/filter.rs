//! One interface over the EKF and the UKF for the tracker: predict, project into measurement space
//! once per track and look, then form an innovation per candidate detection and update.

use crate::measurement::{self, Meas3};
use crate::ukf::{self, UkfParams};
use crate::{Cov6, State6, ekf};
use nalgebra::{Matrix3, SMatrix};
use serde::{Deserialize, Serialize};
use shieldnet_earth::Geodetic;

/// Which Gaussian filter a track runs (alone, or inside each mode of the IMM).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Estimator {
    /// Extended Kalman filter (Jacobians; Joseph-form update).
    #[default]
    Ekf,
    /// Unscented Kalman filter (Stone Soup's α = 0.5, β = 2, κ = 3 − n by default).
    Ukf,
}

/// A track's Gaussian seen from one radar: predicted measurement, its covariance before measurement
/// noise, and the state–measurement cross-covariance (P Hᵀ for the EKF).
#[derive(Debug, Clone)]
pub struct Projection {
    /// Predicted measurement ẑ.
    pub z: Meas3,
    /// H P Hᵀ (EKF) or the unscented measurement covariance (UKF).
    pub pzz: Matrix3<f64>,
    /// P Hᵀ (EKF) or the unscented cross-covariance (UKF).
    pub pxz: SMatrix<f64, 6, 3>,
    /// Measurement Jacobian, for the EKF's Joseph-form update.
    pub h: Option<SMatrix<f64, 3, 6>>,
}

/// The innovation of one detection against a [`Projection`].
#[derive(Debug, Clone)]
pub struct Innovation {
    /// z − ẑ, azimuth wrapped.
    pub nu: Meas3,
    /// Innovation covariance S.
    pub s: Matrix3<f64>,
    /// S⁻¹.
    pub s_inv: Matrix3<f64>,
    /// Squared Mahalanobis distance νᵀS⁻¹ν (the NIS).
    pub d2: f64,
}

impl Innovation {
    /// Gaussian log-likelihood ln N(ν; 0, S).
    pub fn log_likelihood(&self) -> f64 {
        self.log_likelihood_with(self.s.determinant().max(1e-300).ln())
    }

    /// [`Innovation::log_likelihood`] given `ln_det` = ln max(|S|, 1e-300), computed once elsewhere.
    pub(crate) fn log_likelihood_with(&self, ln_det: f64) -> f64 {
        -0.5 * (self.d2 + ln_det + 3.0 * (2.0 * std::f64::consts::PI).ln())
    }
}

/// Predicts a Gaussian by `dt` seconds with white-acceleration density `q`.
pub fn predict(kind: Estimator, x: &State6, p: &Cov6, dt: f64, q: f64, params: &UkfParams) -> (State6, Cov6) {
    match kind {
        Estimator::Ekf => ekf::predict(x, p, dt, q),
        Estimator::Ukf => ukf::predict(x, p, dt, q, params),
    }
}

/// Projects a Gaussian into the measurement space of a radar at `site`.
pub fn project(kind: Estimator, x: &State6, p: &Cov6, site: &Geodetic, params: &UkfParams) -> Projection {
    project_in(kind, x, p, &measurement::SiteFrame::new(site), params)
}

/// [`project`] with the site's frame computed once by the caller.
pub fn project_in(
    kind: Estimator,
    x: &State6,
    p: &Cov6,
    frame: &measurement::SiteFrame,
    params: &UkfParams,
) -> Projection {
    if kind == Estimator::Ukf
        && let Some((z, pzz, pxz)) = ukf::project_in(x, p, frame, params)
    {
        return Projection { z, pzz, pxz, h: None };
    }
    let h = frame.jacobian(x);
    let (pxz, pzz) = crate::joseph::project_position(p, &h);
    Projection { z: frame.predict(x), pzz, pxz, h: Some(h) }
}

impl Projection {
    /// Innovation of measurement `z` with noise covariance `r`; `None` if S is singular.
    pub fn innovation(&self, z: &Meas3, r: &Matrix3<f64>) -> Option<Innovation> {
        let nu = measurement::innovation(z, &self.z);
        let s = self.pzz + r;
        let s_inv = s.try_inverse()?;
        let d2 = (nu.transpose() * s_inv * nu)[0];
        Some(Innovation { nu, s, s_inv, d2 })
    }

    /// Kalman update of (x, P) with an innovation formed from this projection.
    pub fn update(&self, x: &State6, p: &Cov6, inn: &Innovation, r: &Matrix3<f64>) -> (State6, Cov6) {
        let k = self.pxz * inn.s_inv;
        let xn = x + k * inn.nu;
        match &self.h {
            Some(h) => (xn, crate::joseph::update_position(&k, h, p, r)),
            None => {
                let pn = p - k * inn.s * k.transpose();
                (xn, (pn + pn.transpose()) * 0.5)
            }
        }
    }

    /// Probabilistic data association update (Bar-Shalom & Tse 1975): `weighted` holds (β_j,
    /// innovation_j) of the gated detections and `beta0` the probability that none is the track's. The
    /// gain is formed from the first innovation's S (the same for all when measurement noise is).
    pub fn update_pda(
        &self,
        x: &State6,
        p: &Cov6,
        weighted: &[(f64, &Innovation)],
        beta0: f64,
    ) -> (State6, Cov6) {
        let Some((_, first)) = weighted.first() else { return (*x, *p) };
        let k = self.pxz * first.s_inv;
        let nu: Meas3 = weighted.iter().map(|(b, i)| i.nu * *b).sum();
        let mut spread = Matrix3::zeros();
        for (b, i) in weighted {
            spread += i.nu * i.nu.transpose() * *b;
        }
        spread -= nu * nu.transpose();
        let pc = p - k * first.s * k.transpose();
        let pn = p * beta0 + pc * (1.0 - beta0) + k * spread * k.transpose();
        (x + k * nu, (pn + pn.transpose()) * 0.5)
    }
}
