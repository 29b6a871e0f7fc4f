//! Unscented Kalman filter steps on the ballistic model and the radar measurement model.
//!
//! Scaled unscented transform (Julier; Wan & van der Merwe) with Stone Soup's defaults α = 0.5, β = 2,
//! κ = 3 − n, so that a cross-check with `UnscentedKalmanPredictor`/`UnscentedKalmanUpdater` uses the
//! same sigma points. The azimuth component is averaged as wrapped deviations from the central sigma
//! point so that targets near north do not average 0 and 2π to π.

use crate::measurement::{self, Meas3};
use crate::{Cov6, State6, motion};
use nalgebra::{Matrix3, SMatrix};
use serde::{Deserialize, Serialize};
use shieldnet_earth::Geodetic;
use shieldnet_sensors::radar::wrap_pi;

/// Parameters of the scaled unscented transform.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UkfParams {
    /// Spread α.
    pub alpha: f64,
    /// Prior-knowledge β (2 is optimal for Gaussians).
    pub beta: f64,
    /// Secondary scaling κ; Stone Soup's default is 3 − n.
    pub kappa: f64,
}

impl Default for UkfParams {
    fn default() -> Self {
        Self { alpha: 0.5, beta: 2.0, kappa: 3.0 - 6.0 }
    }
}

/// The 13 sigma points of a 6-state Gaussian and their mean and covariance weights.
pub struct SigmaPoints {
    /// Points, the mean first.
    pub points: [State6; 13],
    /// Mean weights.
    pub wm: [f64; 13],
    /// Covariance weights.
    pub wc: [f64; 13],
}

impl UkfParams {
    /// Sigma points of (x, P); `None` when P is not positive definite even after a small jitter.
    pub fn sigma_points(&self, x: &State6, p: &Cov6) -> Option<SigmaPoints> {
        let n = 6.0;
        let c = self.alpha * self.alpha * (n + self.kappa);
        let lambda = c - n;
        let chol = nalgebra::Cholesky::new(p * c).or_else(|| {
            let jitter = Cov6::from_diagonal(&p.diagonal().map(|d| d.abs().max(1e-12) * 1e-9));
            nalgebra::Cholesky::new((p + jitter) * c)
        })?;
        let l = chol.l();
        let mut points = [*x; 13];
        for i in 0..6 {
            let col = l.column(i).into_owned();
            points[1 + i] = x + col;
            points[7 + i] = x - col;
        }
        let w = 1.0 / (2.0 * c);
        let mut wm = [w; 13];
        let mut wc = [w; 13];
        wm[0] = lambda / c;
        wc[0] = lambda / c + (1.0 - self.alpha * self.alpha + self.beta);
        Some(SigmaPoints { points, wm, wc })
    }
}

/// Predicts state and covariance by `dt` seconds with process noise density `q`, by propagating the
/// sigma points through the ballistic model. Falls back to the EKF step if P is not positive definite.
pub fn predict(x: &State6, p: &Cov6, dt: f64, q: f64, params: &UkfParams) -> (State6, Cov6) {
    if dt == 0.0 {
        return (*x, *p);
    }
    let Some(sp) = params.sigma_points(x, p) else {
        return crate::ekf::predict(x, p, dt, q);
    };
    let prop: Vec<State6> = sp.points.iter().map(|s| motion::propagate(s, dt)).collect();
    let mean: State6 = prop.iter().zip(sp.wm.iter()).map(|(s, w)| s * *w).sum();
    let mut cov = motion::process_noise(q, dt);
    for (s, w) in prop.iter().zip(sp.wc.iter()) {
        let d = s - mean;
        cov += d * d.transpose() * *w;
    }
    (mean, (cov + cov.transpose()) * 0.5)
}

/// Unscented projection of (x, P) into measurement space from `site`: predicted measurement, its
/// covariance without measurement noise, and the state–measurement cross-covariance.
pub fn project(
    x: &State6,
    p: &Cov6,
    site: &Geodetic,
    params: &UkfParams,
) -> Option<(Meas3, Matrix3<f64>, SMatrix<f64, 6, 3>)> {
    project_in(x, p, &measurement::SiteFrame::new(site), params)
}

/// [`project`] with the site's frame computed once by the caller.
pub fn project_in(
    x: &State6,
    p: &Cov6,
    frame: &measurement::SiteFrame,
    params: &UkfParams,
) -> Option<(Meas3, Matrix3<f64>, SMatrix<f64, 6, 3>)> {
    let sp = params.sigma_points(x, p)?;
    let zs: Vec<Meas3> = sp.points.iter().map(|s| frame.predict(s)).collect();
    let z0 = zs[0];
    let dev = |z: &Meas3, c: &Meas3| {
        let mut d = z - c;
        d[1] = wrap_pi(d[1]);
        d
    };
    let mut zbar = z0;
    for (z, w) in zs.iter().zip(sp.wm.iter()) {
        zbar += dev(z, &z0) * *w;
    }
    let mut pzz = Matrix3::zeros();
    let mut pxz = SMatrix::<f64, 6, 3>::zeros();
    for ((z, s), w) in zs.iter().zip(sp.points.iter()).zip(sp.wc.iter()) {
        let dz = dev(z, &zbar);
        pzz += dz * dz.transpose() * *w;
        pxz += (s - x) * dz.transpose() * *w;
    }
    Some((zbar, (pzz + pzz.transpose()) * 0.5, pxz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigma_points_reproduce_mean_and_covariance() {
        let x = State6::new(4.0e6, 3.0e6, 4.2e6, 1500.0, -2200.0, 800.0);
        let mut p = Cov6::identity() * 100.0;
        p[(0, 3)] = 5.0;
        p[(3, 0)] = 5.0;
        let sp = UkfParams::default().sigma_points(&x, &p).unwrap();
        let mean: State6 = sp.points.iter().zip(sp.wm.iter()).map(|(s, w)| s * *w).sum();
        assert!((mean - x).norm() < 1e-6);
        let mut cov = Cov6::zeros();
        for (s, w) in sp.points.iter().zip(sp.wm.iter()) {
            cov += (s - x) * (s - x).transpose() * *w;
        }
        assert!((cov - p).norm() < 1e-6);
        assert!((sp.wm.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn prediction_agrees_with_the_ekf_for_small_uncertainty() {
        let x = State6::new(4.0e6, 3.0e6, 4.2e6, 1500.0, -2200.0, 800.0);
        let p = Cov6::identity() * 100.0;
        let (xu, pu) = predict(&x, &p, 4.0, 25.0, &UkfParams::default());
        let (xe, pe) = crate::ekf::predict(&x, &p, 4.0, 25.0);
        assert!((xu - xe).norm() < 1e-3, "{}", (xu - xe).norm());
        assert!((pu - pe).norm() / pe.norm() < 1e-4);
    }

    #[test]
    fn projection_agrees_with_the_linearisation_for_small_uncertainty() {
        let site = Geodetic::from_degrees(38.3, 37.8, 2000.0);
        let pos = Geodetic::from_degrees(36.0, 45.0, 250e3).to_ecef().0;
        let x = State6::new(pos.x, pos.y, pos.z, 1000.0, 0.0, 0.0);
        let p = Cov6::identity() * 100.0;
        let (z, s, pxz) = project(&x, &p, &site, &UkfParams::default()).unwrap();
        let h = measurement::jacobian(&x, &site);
        let zp = measurement::predict(&x, &site);
        assert!((z[0] - zp[0]).abs() < 1e-3 && (z[1] - zp[1]).abs() < 1e-9);
        let hph = h * p * h.transpose();
        assert!((s - hph).norm() / hph.norm() < 1e-4);
        assert!((pxz - p * h.transpose()).norm() / pxz.norm() < 1e-4);
    }
}
