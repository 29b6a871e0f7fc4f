//! The ballistic motion model in ECEF: point-mass + J2 gravity with the Coriolis and centrifugal terms
//! of the rotating frame, and white-acceleration process noise for unmodelled thrust and drag.

use crate::{Cov6, State6};
use nalgebra::{Matrix3, Vector3};
use shieldnet_earth::constants::OMEGA_EARTH;
use shieldnet_earth::gravity::{self, GravityModel};

/// Longest integration sub-step of a prediction, s.
const MAX_SUBSTEP_S: f64 = 2.0;

/// Time derivative of the ECEF state under gravity and the rotating-frame terms.
pub fn derivative(x: &State6) -> State6 {
    let r = Vector3::new(x[0], x[1], x[2]);
    let v = Vector3::new(x[3], x[4], x[5]);
    let w = Vector3::new(0.0, 0.0, OMEGA_EARTH);
    let a = gravity::acceleration(&r, GravityModel::J2) - 2.0 * w.cross(&v) - w.cross(&w.cross(&r));
    State6::new(v.x, v.y, v.z, a.x, a.y, a.z)
}

/// Propagates a state by `dt` seconds (RK4 with sub-steps of at most 2 s; `dt` may be negative).
pub fn propagate(x: &State6, dt: f64) -> State6 {
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

/// State transition matrix over `dt` from the Jacobian F = [[0, I], [G − Ω², −2Ω]] (third-order
/// series; accurate for the few-second steps between looks).
pub fn transition(x: &State6, dt: f64) -> Cov6 {
    let r = Vector3::new(x[0], x[1], x[2]);
    let om = Matrix3::new(0.0, -OMEGA_EARTH, 0.0, OMEGA_EARTH, 0.0, 0.0, 0.0, 0.0, 0.0);
    let g = gravity::point_mass_gradient(&r) - om * om;
    let mut f = Cov6::zeros();
    f.fixed_view_mut::<3, 3>(0, 3).copy_from(&Matrix3::identity());
    f.fixed_view_mut::<3, 3>(3, 0).copy_from(&g);
    f.fixed_view_mut::<3, 3>(3, 3).copy_from(&(-2.0 * om));
    let fd = f * dt;
    Cov6::identity() + fd + fd * fd / 2.0 + fd * fd * fd / 6.0
}

/// Process noise of white acceleration with spectral density `q` (m²/s³) over `dt`.
pub fn process_noise(q: f64, dt: f64) -> Cov6 {
    let dt = dt.abs();
    let mut m = Cov6::zeros();
    for i in 0..3 {
        m[(i, i)] = q * dt.powi(3) / 3.0;
        m[(i, i + 3)] = q * dt.powi(2) / 2.0;
        m[(i + 3, i)] = q * dt.powi(2) / 2.0;
        m[(i + 3, i + 3)] = q * dt;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transition_matches_finite_differences_of_the_propagator() {
        let x = State6::new(4.0e6, 3.0e6, 4.2e6, 1500.0, -2200.0, 800.0);
        let dt = 4.0;
        let phi = transition(&x, dt);
        for j in 0..6 {
            let h = if j < 3 { 10.0 } else { 0.1 };
            let mut dx = State6::zeros();
            dx[j] = h;
            let col = (propagate(&(x + dx), dt) - propagate(&(x - dx), dt)) / (2.0 * h);
            for i in 0..6 {
                assert!((col[i] - phi[(i, j)]).abs() < 2e-5, "({i},{j}): {} vs {}", col[i], phi[(i, j)]);
            }
        }
    }

    #[test]
    fn propagation_forward_then_back_returns_to_the_start() {
        let x = State6::new(5.0e6, 1.0e6, 4.0e6, -1000.0, 3000.0, 1500.0);
        let back = propagate(&propagate(&x, 37.0), -37.0);
        assert!((back - x).norm() < 1e-6);
    }
}
