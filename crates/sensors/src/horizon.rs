//! The radio horizon with atmospheric refraction in the effective-Earth-radius model.
//!
//! Standard refraction bends a ray toward the ground about a quarter as much as the Earth curves, so
//! a ray is straight over an Earth of radius k·R with k = 4/3 (Skolnik, *Introduction to Radar
//! Systems*, §8.3; ITU-R P.834). Ground distances are kept: two points a central angle φ apart on the
//! true Earth are φ/k apart on the effective one, at the same heights. The **apparent elevation** of
//! a target is its elevation in that geometry (higher than the geometric one), and the target is
//! above the radio horizon when the straight ray on the effective Earth clears its surface. For a
//! sensor at height h₁ and a target at h₂ the largest ground distance is then
//! k·R·(acos(kR/(kR+h₁)) + acos(kR/(kR+h₂))) ≈ √(2kRh₁) + √(2kRh₂).
//!
//! The Earth is taken locally as a sphere whose radius is the geocentric radius of the sensor's
//! ellipsoid foot point.

use shieldnet_earth::Ecef;

/// Effective Earth radius factor of the standard atmosphere.
pub const FOUR_THIRDS: f64 = 4.0 / 3.0;

/// A sensor site seen in the effective-Earth geometry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EffectiveEarth {
    /// Effective radius factor k.
    pub k: f64,
    /// Local Earth radius R (geocentric radius of the site's foot point), m.
    pub radius_m: f64,
    /// Site height above that sphere, m.
    pub site_height_m: f64,
    site_unit: shieldnet_earth::Vec3,
}

impl EffectiveEarth {
    /// The geometry of a site at `site` (ECEF) with height `site_alt_m` above the ellipsoid.
    pub fn new(site: &Ecef, site_alt_m: f64, k: f64) -> Self {
        let r = site.0.norm();
        Self { k, radius_m: r - site_alt_m, site_height_m: site_alt_m, site_unit: site.0 / r }
    }

    /// Apparent elevation (rad) of a target and whether the straight ray on the effective Earth
    /// clears the surface.
    pub fn apparent(&self, target: &Ecef) -> (f64, bool) {
        let rt = target.0.norm();
        let phi = (target.0 / rt).dot(&self.site_unit).clamp(-1.0, 1.0).acos() / self.k;
        let kr = self.k * self.radius_m;
        let r1 = kr + self.site_height_m;
        let r2 = kr + (rt - self.radius_m);
        let (s, c) = phi.sin_cos();
        // Target in the plane of the site: site at (0, r1), target at (r2 sin φ', r2 cos φ').
        let (dx, dy) = (r2 * s, r2 * c - r1);
        let el = dy.atan2(dx);
        // Closest approach of the segment to the centre.
        let dd = dx * dx + dy * dy;
        let t = if dd > 0.0 { (-(r1 * dy) / dd).clamp(0.0, 1.0) } else { 0.0 };
        let (cx, cy) = (dx * t, r1 + dy * t);
        let clear = (cx * cx + cy * cy).sqrt() >= kr - 1.0;
        (el, clear)
    }
}

/// Greatest ground distance (m, along a sphere of radius `radius_m`) at which a target at height
/// `target_m` is above the horizon of a sensor at height `sensor_m`, for effective radius factor `k`
/// (exact tangent geometry).
pub fn radio_horizon_m(sensor_m: f64, target_m: f64, radius_m: f64, k: f64) -> f64 {
    let kr = k * radius_m;
    kr * ((kr / (kr + sensor_m)).acos() + (kr / (kr + target_m)).acos())
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::Geodetic;
    use shieldnet_earth::constants::WGS84_A;

    #[test]
    fn horizon_distance_matches_the_square_root_rule() {
        // 4/3 Earth, sensor at 100 m, target at 100 km: √(2kRh₁) + √(2kRh₂) = 41.2 + 1,304 km.
        let d = radio_horizon_m(100.0, 100e3, 6_371e3, FOUR_THIRDS);
        let approx =
            (2.0 * FOUR_THIRDS * 6_371e3 * 100.0f64).sqrt() + (2.0 * FOUR_THIRDS * 6_371e3 * 100e3f64).sqrt();
        assert!((d / approx - 1.0).abs() < 0.01, "{d} vs {approx}");
    }

    #[test]
    fn apparent_elevation_exceeds_the_geometric_one_and_equals_it_for_k_one() {
        let site = Geodetic::from_degrees(0.0, 0.0, 50.0);
        let target = Geodetic::from_degrees(0.0, 8.0, 300e3).to_ecef();
        let geo = target.look_angles_from(&site).el_rad;
        let one = EffectiveEarth::new(&site.to_ecef(), 50.0, 1.0).apparent(&target).0;
        let k43 = EffectiveEarth::new(&site.to_ecef(), 50.0, FOUR_THIRDS).apparent(&target).0;
        // On the equator the sphere of radius a is exact.
        assert!((one - geo).abs() < 1e-9, "{one} vs {geo}");
        assert!(k43 > geo + 0.5f64.to_radians(), "{k43} vs {geo}");
        assert_eq!(WGS84_A, EffectiveEarth::new(&site.to_ecef(), 50.0, 1.0).radius_m.round());
    }
}
