//! The Earth a trajectory is flown over, selectable per run: figure (sphere or WGS-84 ellipsoid),
//! rotation, gravity terms and atmosphere.

use crate::FlightError;
use serde::{Deserialize, Serialize};
use shieldnet_earth::constants::{GM, MEAN_RADIUS, WGS84_A, WGS84_B, WGS84_E2};
use shieldnet_earth::gravity::{self, GravityModel};
use shieldnet_earth::{EarthRotation, Ecef, Geodetic, Vec3};

/// The figure of the Earth: where the surface is and how latitude is measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Figure {
    /// A sphere of the mean radius R₁ = 6371.0088 km; latitudes are geocentric.
    Sphere,
    /// The WGS-84 ellipsoid; latitudes are geodetic.
    Wgs84,
}

/// Everything about the Earth a trajectory needs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EarthModel {
    /// Shape of the surface.
    pub figure: Figure,
    /// Orientation over time (use [`EarthRotation::non_rotating`] for textbook comparisons).
    pub rotation: EarthRotation,
    /// Gravity terms.
    pub gravity: GravityModel,
    /// Whether the US Standard Atmosphere 1976 acts (drag) on vehicles that have a ballistic
    /// coefficient.
    pub atmosphere: bool,
}

impl EarthModel {
    /// Spherical, non-rotating, point-mass gravity, vacuum: the textbook Earth.
    pub fn textbook() -> Self {
        Self {
            figure: Figure::Sphere,
            rotation: EarthRotation::non_rotating(),
            gravity: GravityModel::PointMass,
            atmosphere: false,
        }
    }

    /// Spherical, rotating, point-mass gravity, vacuum.
    pub fn spherical_rotating(rotation: EarthRotation) -> Self {
        Self { figure: Figure::Sphere, rotation, gravity: GravityModel::PointMass, atmosphere: false }
    }

    /// The full model: WGS-84, rotating, J2 gravity, atmosphere.
    pub fn full(rotation: EarthRotation) -> Self {
        Self { figure: Figure::Wgs84, rotation, gravity: GravityModel::J2, atmosphere: true }
    }

    /// Gravitational parameter used by every model, m³/s².
    pub fn mu(&self) -> f64 {
        GM
    }

    /// Gravitational acceleration at a position (ECI or ECEF coordinates: the field is symmetric about
    /// the shared z axis), m/s².
    #[inline]
    pub fn gravity(&self, r: &Vec3) -> Vec3 {
        gravity::acceleration(r, self.gravity)
    }

    /// Radius of the surface below a position (ECI or ECEF coordinates), m.
    #[inline]
    pub fn surface_radius_below(&self, r: &Vec3) -> f64 {
        match self.figure {
            Figure::Sphere => MEAN_RADIUS,
            Figure::Wgs84 => {
                // Ellipsoid radius at geocentric latitude φc: b / √(1 − e² cos²φc).
                let r2 = r.norm_squared();
                let cos2 = (r.x * r.x + r.y * r.y) / r2;
                WGS84_B / (1.0 - WGS84_E2 * cos2).sqrt()
            }
        }
    }

    /// Height above the surface along the radius (ECI or ECEF coordinates), m. On the ellipsoid this
    /// differs from the geodetic height by less than 5e-6 of the height (5 m at 1000 km).
    #[inline]
    pub fn altitude(&self, r: &Vec3) -> f64 {
        r.norm() - self.surface_radius_below(r)
    }

    /// Highest surface radius anywhere (the equatorial radius on WGS-84), m.
    #[inline]
    pub fn max_surface_radius(&self) -> f64 {
        match self.figure {
            Figure::Sphere => MEAN_RADIUS,
            Figure::Wgs84 => WGS84_A,
        }
    }

    /// Lowest surface radius anywhere, m.
    pub fn min_surface_radius(&self) -> f64 {
        match self.figure {
            Figure::Sphere => MEAN_RADIUS,
            Figure::Wgs84 => WGS84_B,
        }
    }

    /// The ECEF position of a point given by latitude, longitude and height in this model's figure
    /// (geocentric latitude on the sphere, geodetic on WGS-84).
    pub fn to_ecef(&self, p: &Geodetic) -> Ecef {
        match self.figure {
            Figure::Wgs84 => p.to_ecef(),
            Figure::Sphere => {
                let (sl, cl) = p.lat_rad.sin_cos();
                let (so, co) = p.lon_rad.sin_cos();
                Ecef(Vec3::new(cl * co, cl * so, sl) * (MEAN_RADIUS + p.alt_m))
            }
        }
    }

    /// Latitude, longitude and height of an ECEF position in this model's figure.
    pub fn to_geodetic(&self, p: &Ecef) -> Geodetic {
        match self.figure {
            Figure::Wgs84 => p.to_geodetic(),
            Figure::Sphere => {
                let r = p.0.norm();
                Geodetic {
                    lat_rad: (p.0.z / r).clamp(-1.0, 1.0).asin(),
                    lon_rad: p.0.y.atan2(p.0.x),
                    alt_m: r - MEAN_RADIUS,
                }
            }
        }
    }

    /// Ground distance between two surface points, m: great circle on the sphere; on WGS-84 the
    /// great circle on the mean sphere through their geodetic coordinates (within 0.5 % of the geodesic).
    pub fn ground_range(&self, a: &Geodetic, b: &Geodetic) -> f64 {
        a.central_angle_to(b) * MEAN_RADIUS
    }
}

/// Checks a point's latitude and longitude (degrees on input to the error only) and returns it.
pub fn validate_point(what: &'static str, p: &Geodetic) -> Result<(), FlightError> {
    let lat = p.lat_rad.to_degrees();
    if !lat.is_finite() || lat.abs() > 90.0 {
        return Err(FlightError::LatitudeOutOfRange { what, value_deg: lat });
    }
    if !p.lon_rad.is_finite() {
        return Err(FlightError::LongitudeInvalid { what, value_deg: p.lon_rad.to_degrees() });
    }
    if !p.alt_m.is_finite() || p.alt_m.abs() > 100_000.0 {
        return Err(FlightError::InvalidParameter {
            name: "point height (m)",
            value: p.alt_m,
            reason: "launch and aim points must lie within 100 km of the surface",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_altitude_matches_geodetic_height() {
        let m = EarthModel::full(EarthRotation::non_rotating());
        for (lat, h) in [(0.0, 0.0), (45.0, 0.0), (60.0, 100e3), (89.0, 1_000e3), (-30.0, 10.0)] {
            let p = Geodetic::from_degrees(lat, 10.0, h);
            let alt = m.altitude(&p.to_ecef().0);
            assert!((alt - h).abs() < 1e-6 + 6e-6 * h, "{lat} {h}: {alt}");
        }
    }

    #[test]
    fn sphere_round_trips() {
        let m = EarthModel::textbook();
        let p = Geodetic::from_degrees(33.0, -117.0, 1234.0);
        let q = m.to_geodetic(&m.to_ecef(&p));
        assert!((q.lat_rad - p.lat_rad).abs() < 1e-14 && (q.alt_m - p.alt_m).abs() < 1e-6);
        assert!((m.altitude(&m.to_ecef(&p).0) - 1234.0).abs() < 1e-6);
    }

    #[test]
    fn bad_points_are_named() {
        let e = validate_point("aim", &Geodetic::from_degrees(91.0, 0.0, 0.0)).unwrap_err();
        assert!(e.to_string().contains("aim latitude 91"));
    }
}
