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

/// [`predict`] in place: the same values written over `x` and `p`.
pub fn predict_in_place(x: &mut State6, p: &mut Cov6, dt: f64, q: f64) {
    if dt == 0.0 {
        return;
    }
    let phi = motion::transition(x, dt);
    *x = motion::propagate(x, dt);
    mat6::congruence_plus_in_place(&phi, p, &motion::process_noise(q, dt));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The in-place prediction gives [`predict`]'s state and covariance bit for bit.
    #[test]
    fn in_place_prediction_equals_the_prediction() {
        let mut next = crate::test_rng::uniform(9);
        for _ in 0..50 {
            let x = State6::new(
                4.0e6 + 1e6 * next(),
                3.0e6 + 1e6 * next(),
                4.2e6 + 1e6 * next(),
                3e3 * (next() - 0.5),
                3e3 * (next() - 0.5),
                3e3 * (next() - 0.5),
            );
            let mut a = Cov6::zeros();
            for v in a.iter_mut() {
                *v = 100.0 * (next() - 0.5);
            }
            let p = a * a.transpose();
            let (dt, q) = (8.0 * next(), 50.0 * next());
            let (xn, pn) = predict(&x, &p, dt, q);
            let (mut xi, mut pi) = (x, p);
            predict_in_place(&mut xi, &mut pi, dt, q);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(xi.as_slice()), bits(xn.as_slice()));
            assert_eq!(bits(pi.as_slice()), bits(pn.as_slice()));
        }
    }
}
