//! Extended Kalman filter steps on the ballistic model and the radar measurement model.

use crate::measurement::{self, Meas3};
use crate::{Cov6, State6, mat6, motion};
use nalgebra::{Matrix3, SMatrix};
use shieldnet_earth::Geodetic;

/// Predicts state and covariance by `dt` seconds with process noise density `q`.
pub fn predict(x: &State6, p: &Cov6, dt: f64, q: f64) -> (State6, Cov6) {
    if dt == 0.0 {
        return (*x, *p);
    }
    let phi = motion::transition(x, dt);
    let xn = motion::propagate(x, dt);
    (xn, mat6::congruence_plus(&phi, p, &motion::process_noise(q, dt)))
}

/// Innovation, its covariance S and the measurement Jacobian for a measurement from `site`.
pub struct Innovation {
    /// z − h(x), azimuth wrapped.
    pub nu: Meas3,
    /// Innovation covariance.
    pub s: Matrix3<f64>,
    /// Inverse of S.
    pub s_inv: Matrix3<f64>,
    /// Measurement Jacobian.
    pub h: SMatrix<f64, 3, 6>,
}

impl Innovation {
    /// Squared Mahalanobis distance νᵀS⁻¹ν (the NIS).
    pub fn distance_squared(&self) -> f64 {
        (self.nu.transpose() * self.s_inv * self.nu)[0]
    }
}

/// Computes the innovation of measurement `z` (with covariance `r`) against the predicted track.
pub fn innovation(x: &State6, p: &Cov6, z: &Meas3, r: &Matrix3<f64>, site: &Geodetic) -> Option<Innovation> {
    let h = measurement::jacobian(x, site);
    let nu = measurement::innovation(z, &measurement::predict(x, site));
    let s = h * p * h.transpose() + r;
    let s_inv = s.try_inverse()?;
    Some(Innovation { nu, s, s_inv, h })
}

/// Kalman update with the Joseph-form covariance (stays symmetric positive definite).
pub fn update(x: &State6, p: &Cov6, inn: &Innovation, r: &Matrix3<f64>) -> (State6, Cov6) {
    let k = p * inn.h.transpose() * inn.s_inv;
    let xn = x + k * inn.nu;
    let i_kh = Cov6::identity() - k * inn.h;
    let pn = i_kh * p * i_kh.transpose() + k * r * k.transpose();
    (xn, symmetrize(&pn))
}

fn symmetrize(p: &Cov6) -> Cov6 {
    (p + p.transpose()) * 0.5
}
