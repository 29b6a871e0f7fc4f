//! Gravity: point mass plus the J2 zonal term. The J2 field is symmetric about the z axis, so the same
//! formula holds in ECI and ECEF coordinates (both share z).

use crate::Vec3;
use crate::constants::{GM, J2, WGS84_A};

/// Which gravity terms to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GravityModel {
    /// μ/r² toward the centre.
    PointMass,
    /// Point mass plus J2 oblateness.
    J2,
}

/// Gravitational acceleration (m/s²) at position `r` (m, ECI or ECEF coordinates).
#[inline]
pub fn acceleration(r: &Vec3, model: GravityModel) -> Vec3 {
    let inv_r2 = 1.0 / r.norm_squared();
    // −GM/r³ (one division and one square root).
    let k = -GM * inv_r2 * inv_r2.sqrt();
    match model {
        GravityModel::PointMass => r * k,
        GravityModel::J2 => {
            // J2: a = −GM/r³ r [1 − q(5 z²/r² − 1)] (z: −3 instead of −1), q = 3/2 J2 a²/r².
            let q = 1.5 * J2 * WGS84_A * WGS84_A * inv_r2;
            let s5 = 5.0 * r.z * r.z * inv_r2;
            let kxy = k * (1.0 - q * (s5 - 1.0));
            Vec3::new(kxy * r.x, kxy * r.y, k * (1.0 - q * (s5 - 3.0)) * r.z)
        }
    }
}

/// Jacobian ∂a/∂r of the point-mass term (the J2 part is three orders of magnitude smaller and is left
/// to process noise in filters).
pub fn point_mass_gradient(r: &Vec3) -> nalgebra::Matrix3<f64> {
    let rn = r.norm();
    let r3 = rn * rn * rn;
    let r5 = r3 * rn * rn;
    nalgebra::Matrix3::identity() * (-GM / r3) + (r * r.transpose()) * (3.0 * GM / r5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_gravity_at_equator_and_pole() {
        // Attraction only (no centrifugal term): g = GM/a² (1 + 3/2 J2) at the equator.
        let eq = acceleration(&Vec3::new(WGS84_A, 0.0, 0.0), GravityModel::J2);
        let want = GM / (WGS84_A * WGS84_A) * (1.0 + 1.5 * J2);
        assert!((eq.norm() - want).abs() < 1e-9);
        assert!((eq.norm() - 9.8143).abs() < 1e-3);
        // Equatorial normal gravity 9.7803 m/s² = attraction − ω²a.
        let centrifugal = crate::constants::OMEGA_EARTH.powi(2) * WGS84_A;
        assert!((eq.norm() - centrifugal - 9.780_325).abs() < 2e-3);
    }

    /// The J2 acceleration is the gradient of the J2 potential V = GM/r [1 − J2 (a/r)² P₂(sin φ)]
    /// (central differences, off the equator where every term is exercised).
    #[test]
    fn j2_acceleration_is_the_gradient_of_the_potential() {
        let v = |p: &Vec3| {
            let r = p.norm();
            let s = p.z / r;
            GM / r * (1.0 - J2 * (WGS84_A / r).powi(2) * (1.5 * s * s - 0.5))
        };
        for p in
            [Vec3::new(4.0e6, 3.0e6, 4.5e6), Vec3::new(-1.0e6, 2.0e6, -6.2e6), Vec3::new(7.0e6, 0.0, 1.0e5)]
        {
            let a = acceleration(&p, GravityModel::J2);
            for i in 0..3 {
                let mut d = Vec3::zeros();
                d[i] = 1.0;
                let fd = (v(&(p + d)) - v(&(p - d))) / 2.0;
                assert!((fd - a[i]).abs() < 1e-6, "{i}: {fd} vs {}", a[i]);
            }
        }
    }

    #[test]
    fn gradient_matches_finite_difference() {
        let r = Vec3::new(4.0e6, 3.0e6, 4.5e6);
        let g = point_mass_gradient(&r);
        for j in 0..3 {
            let mut dr = Vec3::zeros();
            dr[j] = 1.0;
            let fd = (acceleration(&(r + dr), GravityModel::PointMass)
                - acceleration(&(r - dr), GravityModel::PointMass))
                / 2.0;
            for i in 0..3 {
                assert!((fd[i] - g[(i, j)]).abs() < 1e-12);
            }
        }
    }
}
