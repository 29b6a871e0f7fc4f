//! Lambert's problem by Izzo's method (D. Izzo, "Revisiting Lambert's problem", *Celestial Mechanics
//! and Dynamical Astronomy* 121 (2015) 1–15): the zero-revolution solution, short or long way, by
//! Householder iterations on Izzo's universal variable x with his initial guess.
//!
//! Hand-written rather than taken from the `lambert_izzo` crate: ballistic targeting needs only the
//! zero-revolution case, runs inside Monte Carlo and assignment loops (so no allocation, no iterator of
//! solutions), and works in shieldnet's typed frames; the whole solver is ~150 lines and is checked
//! against Vallado's Example 7-5 and by propagating its answers.
//!
//! ```
//! use shieldnet_earth::{Eci, Vec3};
//! use shieldnet_flight::lambert::{lambert, Way};
//! let mu = 3.986_004_418e14;
//! let r1 = Eci(Vec3::new(15_945_340.0, 0.0, 0.0));
//! let r2 = Eci(Vec3::new(12_214_838.99, 10_249_467.31, 0.0));
//! let arc = lambert(&r1, &r2, 76.0 * 60.0, Way::Short, mu).unwrap();
//! assert!((arc.v1.0.x - 2_058.913).abs() < 0.01);
//! ```

use shieldnet_earth::Eci;
#[cfg(test)]
use shieldnet_earth::Vec3;
use thiserror::Error;

/// Which way round the transfer goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Way {
    /// Transfer angle in (0, π).
    Short,
    /// Transfer angle in (π, 2π).
    Long,
}

/// Failures of the Lambert solver.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum LambertError {
    /// The two positions coincide (no chord).
    #[error("the two positions coincide")]
    Coincident,
    /// The positions are collinear with the centre (0° or 180° transfer): the plane is undefined.
    #[error("the transfer plane is undefined (positions collinear with the Earth's centre)")]
    Collinear,
    /// Time of flight must be positive and finite.
    #[error("time of flight must be positive, got {0} s")]
    BadTimeOfFlight(f64),
    /// Householder iterations did not converge.
    #[error("Lambert iterations did not converge")]
    NoConvergence,
}

/// The conic arc joining two positions in a given time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LambertArc {
    /// Velocity at the first position (inertial, m/s).
    pub v1: Eci,
    /// Velocity at the second position (inertial, m/s).
    pub v2: Eci,
    /// Izzo's x (x < 1 ellipse, 1 parabola, > 1 hyperbola).
    pub x: f64,
    /// Householder iterations used.
    pub iterations: u32,
}

/// Solves Lambert's problem: the Keplerian arc from `r1` to `r2` in `tof_s` seconds about a centre of
/// gravitational parameter `mu` (m³/s²), going the `way` given, zero revolutions.
pub fn lambert(r1: &Eci, r2: &Eci, tof_s: f64, way: Way, mu: f64) -> Result<LambertArc, LambertError> {
    if !(tof_s > 0.0 && tof_s.is_finite()) {
        return Err(LambertError::BadTimeOfFlight(tof_s));
    }
    let (r1v, r2v) = (r1.0, r2.0);
    let c = (r2v - r1v).norm();
    let (r1n, r2n) = (r1v.norm(), r2v.norm());
    if c < 1e-9 * r1n.max(1.0) {
        return Err(LambertError::Coincident);
    }
    let s = 0.5 * (r1n + r2n + c);
    let ir1 = r1v / r1n;
    let ir2 = r2v / r2n;
    let h = ir1.cross(&ir2);
    let hn = h.norm();
    if hn < 1e-10 {
        return Err(LambertError::Collinear);
    }
    let ih = h / hn;
    let mut ll = (1.0 - (c / s).min(1.0)).sqrt();
    let (mut it1, mut it2) = (ih.cross(&ir1), ih.cross(&ir2));
    if way == Way::Long {
        ll = -ll;
        it1 = -it1;
        it2 = -it2;
    }
    let t_nd = (2.0 * mu / (s * s * s)).sqrt() * tof_s;
    let (x, iterations) = find_x(ll, t_nd)?;
    let y = (1.0 - ll * ll * (1.0 - x * x)).sqrt();
    let gamma = (mu * s / 2.0).sqrt();
    let rho = (r1n - r2n) / c;
    let sigma = (1.0 - rho * rho).max(0.0).sqrt();
    let vr1 = gamma * ((ll * y - x) - rho * (ll * y + x)) / r1n;
    let vr2 = -gamma * ((ll * y - x) + rho * (ll * y + x)) / r2n;
    let vt1 = gamma * sigma * (y + ll * x) / r1n;
    let vt2 = gamma * sigma * (y + ll * x) / r2n;
    Ok(LambertArc { v1: Eci(ir1 * vr1 + it1 * vt1), v2: Eci(ir2 * vr2 + it2 * vt2), x, iterations })
}

/// Householder iterations on x for the zero-revolution case.
fn find_x(ll: f64, t: f64) -> Result<(f64, u32), LambertError> {
    let t0 = ll.acos() + ll * (1.0 - ll * ll).sqrt();
    let t1 = 2.0 * (1.0 - ll * ll * ll) / 3.0;
    // Initial guess (Izzo eq. 30, with the corrected middle branch).
    let mut x0 = if t >= t0 {
        (t0 / t).powf(2.0 / 3.0) - 1.0
    } else if t < t1 {
        2.5 * t1 / t * (t1 - t) / (1.0 - ll.powi(5)) + 1.0
    } else {
        (2f64.ln() * (t / t0).ln() / (t1 / t0).ln()).exp() - 1.0
    };
    for i in 1..=35u32 {
        let y = (1.0 - ll * ll * (1.0 - x0 * x0)).sqrt();
        let tx = tof(x0, y, ll);
        let fval = tx - t;
        let omx2 = 1.0 - x0 * x0;
        let d1 = (3.0 * tx * x0 - 2.0 + 2.0 * ll.powi(3) * x0 / y) / omx2;
        let d2 = (3.0 * tx + 5.0 * x0 * d1 + 2.0 * (1.0 - ll * ll) * ll.powi(3) / y.powi(3)) / omx2;
        let d3 = (7.0 * x0 * d2 + 8.0 * d1 - 6.0 * (1.0 - ll * ll) * ll.powi(5) * x0 / y.powi(5)) / omx2;
        let x =
            x0 - fval * ((d1 * d1 - fval * d2 / 2.0) / (d1 * (d1 * d1 - fval * d2) + d3 * fval * fval / 6.0));
        if !x.is_finite() {
            return Err(LambertError::NoConvergence);
        }
        if (x - x0).abs() < 1e-13 {
            return Ok((x, i));
        }
        x0 = x;
    }
    Err(LambertError::NoConvergence)
}

/// Non-dimensional time of flight T(x) (Izzo eq. 18, with Battin's series near x = 1).
fn tof(x: f64, y: f64, ll: f64) -> f64 {
    if x > 0.6f64.sqrt() && x < 1.4f64.sqrt() {
        let eta = y - ll * x;
        let s1 = (1.0 - ll - x * eta) * 0.5;
        let q = 4.0 / 3.0 * hyp2f1b(s1);
        (eta.powi(3) * q + 4.0 * ll * eta) * 0.5
    } else {
        let omx2 = 1.0 - x * x;
        let psi = if x < 1.0 {
            (x * y + ll * omx2).clamp(-1.0, 1.0).acos()
        } else {
            ((y - x * ll) * (x * x - 1.0).sqrt()).asinh()
        };
        (psi / omx2.abs().sqrt() - x + ll * y) / omx2
    }
}

/// Gauss hypergeometric ₂F₁(3, 1; 5/2; z) by its series.
fn hyp2f1b(z: f64) -> f64 {
    if z >= 1.0 {
        return f64::INFINITY;
    }
    let mut res = 1.0;
    let mut term = 1.0;
    let mut i = 0.0;
    loop {
        term *= (3.0 + i) * (1.0 + i) / (2.5 + i) * z / (i + 1.0);
        let old = res;
        res += term;
        if res == old || i > 200.0 {
            return res;
        }
        i += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrate::{Dp5Options, dopri5};

    /// Two-body propagation with the Dormand–Prince integrator at tight tolerance (independent of
    /// the Lambert solver).
    fn kepler_propagate(r0: &Vec3, v0: &Vec3, dt: f64, mu: f64) -> (Vec3, Vec3) {
        let f = |_t: f64, y: &[f64; 6]| {
            let r = Vec3::new(y[0], y[1], y[2]);
            let a = -mu / r.norm().powi(3) * r;
            [y[3], y[4], y[5], a.x, a.y, a.z]
        };
        let opts = Dp5Options { rtol: 1e-12, atol: 1e-6, ..Default::default() };
        let y = dopri5(f, 0.0, [r0.x, r0.y, r0.z, v0.x, v0.y, v0.z], dt, &opts, &[], |_| {}).unwrap().y;
        (Vec3::new(y[0], y[1], y[2]), Vec3::new(y[3], y[4], y[5]))
    }

    /// Vallado, *Fundamentals of Astrodynamics and Applications*, Example 7-5 (published to 1e-6 km/s).
    #[test]
    fn vallado_example_7_5() {
        let mu = 3.986_004_418e14;
        let r1 = Eci(Vec3::new(15_945_340.0, 0.0, 0.0));
        let r2 = Eci(Vec3::new(12_214_838.99, 10_249_467.31, 0.0));
        let arc = lambert(&r1, &r2, 76.0 * 60.0, Way::Short, mu).unwrap();
        let v1 = arc.v1.0 / 1000.0;
        let v2 = arc.v2.0 / 1000.0;
        let (w1, w2) = (Vec3::new(2.058913, 2.915965, 0.0), Vec3::new(-3.451565, 0.910315, 0.0));
        for i in 0..3 {
            assert!((v1[i] - w1[i]).abs() < 1e-6, "v1[{i}] = {}", v1[i]);
            assert!((v2[i] - w2[i]).abs() < 1e-6, "v2[{i}] = {}", v2[i]);
        }
        assert!(arc.iterations <= 4);
    }

    /// Curtis, *Orbital Mechanics for Engineering Students*, Example 5.2 (published to 1e-4 km/s).
    #[test]
    fn curtis_example_5_2() {
        let mu = 3.986e14;
        let r1 = Eci(Vec3::new(5_000e3, 10_000e3, 2_100e3));
        let r2 = Eci(Vec3::new(-14_600e3, 2_500e3, 7_000e3));
        let arc = lambert(&r1, &r2, 3600.0, Way::Short, mu).unwrap();
        assert!((arc.v1.0 / 1000.0 - Vec3::new(-5.9925, 1.9254, 3.2456)).norm() < 2e-4);
        assert!((arc.v2.0 / 1000.0 - Vec3::new(-3.3125, -4.1966, -0.38529)).norm() < 2e-4);
    }

    #[test]
    fn short_and_long_way_arcs_arrive_where_and_when_asked() {
        let mu = 3.986_004_418e14;
        let r1 = Vec3::new(6_500e3, 500e3, 1_000e3);
        let r2 = Vec3::new(-2_000e3, 6_000e3, 1_500e3);
        for (way, tof) in [(Way::Short, 1_800.0), (Way::Long, 5_000.0), (Way::Short, 300.0)] {
            let arc = lambert(&Eci(r1), &Eci(r2), tof, way, mu).unwrap();
            let (r, v) = kepler_propagate(&r1, &arc.v1.0, tof, mu);
            assert!((r - r2).norm() < 1e-6 * r2.norm(), "{way:?}: {}", (r - r2).norm());
            assert!((v - arc.v2.0).norm() < 1e-6 * v.norm());
            let h = r1.cross(&arc.v1.0);
            let plane = r1.cross(&r2);
            assert_eq!(h.dot(&plane) > 0.0, way == Way::Short);
        }
    }

    #[test]
    fn degenerate_geometry_is_an_error() {
        let mu = 3.986e14;
        let r1 = Eci(Vec3::new(7e6, 0.0, 0.0));
        assert_eq!(lambert(&r1, &r1, 100.0, Way::Short, mu), Err(LambertError::Coincident));
        let anti = Eci(Vec3::new(-7e6, 0.0, 0.0));
        assert_eq!(lambert(&r1, &anti, 3000.0, Way::Short, mu), Err(LambertError::Collinear));
        let r2 = Eci(Vec3::new(0.0, 7e6, 0.0));
        assert!(lambert(&r1, &r2, -1.0, Way::Short, mu).is_err());
    }

    proptest::proptest! {
        #[test]
        fn lambert_round_trips_through_kepler(
            a in 0.2f64..3.0, b in -1.0f64..1.0, tof in 200.0f64..20_000.0, long in proptest::bool::ANY
        ) {
            let mu = 3.986_004_418e14;
            let r1 = Vec3::new(6.6e6, 0.0, 0.3e6);
            let r2 = Vec3::new(7.0e6 * a.cos(), 7.0e6 * a.sin(), 1.0e6 * b);
            let way = if long { Way::Long } else { Way::Short };
            let arc = lambert(&Eci(r1), &Eci(r2), tof, way, mu).unwrap();
            let (r, _) = kepler_propagate(&r1, &arc.v1.0, tof, mu);
            proptest::prop_assert!((r - r2).norm() < 1e-2, "{}", (r - r2).norm());
        }
    }
}
