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
pub fn acceleration(r: &Vec3, model: GravityModel) -> Vec3 {
    let r2 = r.norm_squared();
    let rn = r2.sqrt();
    let mut a = -GM / (r2 * rn) * r;
    if model == GravityModel::J2 {
        let z2_r2 = r.z * r.z / r2;
        let k = 1.5 * J2 * GM * WGS84_A * WGS84_A / (r2 * r2 * rn);
        a.x += k * r.x * (5.0 * z2_r2 - 1.0);
        a.y += k * r.y * (5.0 * z2_r2 - 1.0);
        a.z += k * r.z * (5.0 * z2_r2 - 3.0);
    }
    a
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
