//! The reentry motion model: the ballistic ECEF model of [`crate::motion`] plus aerodynamic drag
//! with an **estimated** ballistic coefficient, for the IMM's reentry mode.
//!
//! The state is the ECEF position and velocity plus κ = 1/β (m²/kg; β = m/(C_D·A) the ballistic
//! coefficient), so that the drag acceleration −½·ρ(h)·κ·|v|·v is linear in the extra state (the
//! ECEF velocity is the air-relative velocity, the atmosphere turning with the Earth). Density is the
//! US Standard Atmosphere 1976 ([`shieldnet_earth::atmosphere::density`]) at the radial height above
//! the WGS-84 ellipsoid. κ follows a slow random walk (β changes as the vehicle decelerates).
//! Prediction is RK4 (sub-steps ≤ 1 s); the transition matrix is taken by central differences of the
//! propagator, which is exact to second order and keeps the drag partials out of hand-written code.

use crate::motion;
use crate::{Cov6, State6};
use nalgebra::{SMatrix, SVector, Vector3};
use shieldnet_earth::atmosphere;
use shieldnet_earth::constants::{WGS84_B, WGS84_E2};

/// Reentry state: ECEF position (m), velocity (m/s), κ = 1/β (m²/kg).
pub type State7 = SVector<f64, 7>;
/// Its covariance.
pub type Cov7 = SMatrix<f64, 7, 7>;

/// Altitude above which drag is neglected, m.
pub const DRAG_CEILING_M: f64 = 600e3;
const MAX_SUBSTEP_S: f64 = 1.0;

/// Radial height above the WGS-84 ellipsoid of an ECEF position, m (within 5 m of the geodetic
/// height below 1,000 km).
pub fn altitude(r: &Vector3<f64>) -> f64 {
    let r2 = r.norm_squared();
    let cos2 = (r.x * r.x + r.y * r.y) / r2;
    r2.sqrt() - WGS84_B / (1.0 - WGS84_E2 * cos2).sqrt()
}

/// Drag acceleration of a body with κ = 1/β at ECEF position `r` and velocity `v`, m/s².
pub fn drag(r: &Vector3<f64>, v: &Vector3<f64>, kappa: f64) -> Vector3<f64> {
    let h = altitude(r);
    if h >= DRAG_CEILING_M {
        return Vector3::zeros();
    }
    -v * (0.5 * atmosphere::density(h) * kappa * v.norm())
}

/// Time derivative of a reentry state.
pub fn derivative(x: &State7) -> State7 {
    let s6 = State6::new(x[0], x[1], x[2], x[3], x[4], x[5]);
    let d = motion::derivative(&s6);
    let a = drag(&Vector3::new(x[0], x[1], x[2]), &Vector3::new(x[3], x[4], x[5]), x[6]);
    State7::from_column_slice(&[d[0], d[1], d[2], d[3] + a.x, d[4] + a.y, d[5] + a.z, 0.0])
}

/// Propagates a reentry state by `dt` seconds (RK4, sub-steps ≤ 1 s).
pub fn propagate(x: &State7, dt: f64) -> State7 {
    let n = (dt.abs() / MAX_SUBSTEP_S).ceil().max(1.0) as usize;
    let h = dt / n as f64;
    let mut s = *x;
    for _ in 0..n {
        let k1 = derivative(&s);
        let k2 = derivative(&(s + k1 * (h / 2.0)));
        let k3 = derivative(&(s + k2 * (h / 2.0)));
        let k4 = derivative(&(s + k3 * h));
        s += (k1 + k2 * 2.0 + k3 * 2.0 + k4) * (h / 6.0);
    }
    s
}

/// State transition matrix over `dt` by central differences of [`propagate`].
pub fn transition(x: &State7, dt: f64) -> Cov7 {
    let mut phi = Cov7::zeros();
    for j in 0..7 {
        let step = match j {
            0..=2 => 1.0,
            3..=5 => 0.01,
            _ => 1e-3 * x[6].abs().max(1e-5),
        };
        let mut dx = State7::zeros();
        dx[j] = step;
        let col = (propagate(&(x + dx), dt) - propagate(&(x - dx), dt)) / (2.0 * step);
        phi.set_column(j, &col);
    }
    phi
}

/// Process noise: white acceleration of density `q` (m²/s³) on the kinematics and a random walk
/// of density `q_kappa` ((m²/kg)²/s) on κ.
pub fn process_noise(q: f64, q_kappa: f64, dt: f64) -> Cov7 {
    let mut m = Cov7::zeros();
    m.fixed_view_mut::<6, 6>(0, 0).copy_from(&motion::process_noise(q, dt));
    m[(6, 6)] = q_kappa * dt.abs();
    m
}

/// EKF prediction of a reentry Gaussian.
pub fn predict(x: &State7, p: &Cov7, dt: f64, q: f64, q_kappa: f64) -> (State7, Cov7) {
    if dt == 0.0 {
        return (*x, *p);
    }
    let phi = transition(x, dt);
    let pn = phi * p * phi.transpose() + process_noise(q, q_kappa, dt);
    (propagate(x, dt), (pn + pn.transpose()) * 0.5)
}

/// Splits a reentry Gaussian into its kinematic part, κ's mean and variance, and their cross-covariance.
pub fn split(x: &State7, p: &Cov7) -> (State6, Cov6, f64, f64, SVector<f64, 6>) {
    (
        x.fixed_rows::<6>(0).into_owned(),
        p.fixed_view::<6, 6>(0, 0).into_owned(),
        x[6],
        p[(6, 6)],
        p.fixed_view::<6, 1>(0, 6).into_owned(),
    )
}

/// Joins a kinematic Gaussian with κ (mean, variance) and their cross-covariance.
pub fn join(x: &State6, p: &Cov6, kappa: f64, var: f64, cross: &SVector<f64, 6>) -> (State7, Cov7) {
    let mut x7 = State7::zeros();
    x7.fixed_rows_mut::<6>(0).copy_from(x);
    x7[6] = kappa;
    let mut p7 = Cov7::zeros();
    p7.fixed_view_mut::<6, 6>(0, 0).copy_from(p);
    p7.fixed_view_mut::<6, 1>(0, 6).copy_from(cross);
    p7.fixed_view_mut::<1, 6>(6, 0).copy_from(&cross.transpose());
    p7[(6, 6)] = var;
    (x7, p7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::Geodetic;

    #[test]
    fn drag_is_the_us76_formula_and_vanishes_above_the_ceiling() {
        // 50 km over the equator, 4 km/s, β = 2,000 kg/m²: a = ρ(50 km)·v²/(2β) with US76 ρ(50 km)
        // = 1.0269e-3 kg/m³ → 4.1076 m/s².
        let r = Geodetic::from_degrees(0.0, 30.0, 50e3).to_ecef().0;
        let v = Vector3::new(0.0, 0.0, -4_000.0);
        let a = drag(&r, &v, 1.0 / 2_000.0);
        assert!((a.z - 1.0269e-3 * 16e6 / 4_000.0).abs() < 2e-3, "{a}");
        assert!(a.x.abs() < 1e-12 && a.y.abs() < 1e-12);
        let high = Geodetic::from_degrees(0.0, 30.0, 700e3).to_ecef().0;
        assert_eq!(drag(&high, &v, 1.0), Vector3::zeros());
        assert!((altitude(&r) - 50e3).abs() < 1.0);
    }
}
