//! Coordinate frames as types and the named conversions between them.

use crate::Vec3;
use crate::constants::{WGS84_A, WGS84_B, WGS84_E2};
use serde::{Deserialize, Serialize};

/// A point on or above the WGS-84 ellipsoid: geodetic latitude and longitude (radians), height above the
/// ellipsoid (metres).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Geodetic {
    /// Geodetic latitude, rad, in [−π/2, π/2].
    pub lat_rad: f64,
    /// Longitude, rad, east positive.
    pub lon_rad: f64,
    /// Height above the WGS-84 ellipsoid, m.
    pub alt_m: f64,
}

/// A position (or velocity) in the Earth-centred, Earth-fixed frame, metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ecef(pub Vec3);

/// A position (or velocity) in the Earth-centred inertial frame whose axes coincide with ECEF at the
/// scenario epoch's Earth rotation angle of zero (see [`crate::EarthRotation`]), metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Eci(pub Vec3);

/// A vector in the local East-North-Up frame of some origin, metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Enu(pub Vec3);

/// Range, azimuth (from north, clockwise) and elevation (above the local horizontal plane of the
/// ellipsoid normal) of a point seen from an origin.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LookAngles {
    /// Slant range, m.
    pub range_m: f64,
    /// Azimuth, rad, in [0, 2π).
    pub az_rad: f64,
    /// Elevation, rad, in [−π/2, π/2].
    pub el_rad: f64,
}

impl Geodetic {
    /// Builds a geodetic point from degrees (latitude, longitude) and metres (height).
    pub fn from_degrees(lat_deg: f64, lon_deg: f64, alt_m: f64) -> Self {
        Self { lat_rad: lat_deg.to_radians(), lon_rad: lon_deg.to_radians(), alt_m }
    }

    /// Latitude in degrees.
    pub fn lat_deg(&self) -> f64 {
        self.lat_rad.to_degrees()
    }

    /// Longitude in degrees, in (−180, 180].
    pub fn lon_deg(&self) -> f64 {
        let mut d = self.lon_rad.to_degrees() % 360.0;
        if d > 180.0 {
            d -= 360.0;
        } else if d <= -180.0 {
            d += 360.0;
        }
        d
    }

    /// Converts geodetic coordinates to ECEF (closed form, NGA TR8350.2 eq. 4-14).
    pub fn to_ecef(&self) -> Ecef {
        let (sl, cl) = self.lat_rad.sin_cos();
        let (so, co) = self.lon_rad.sin_cos();
        let n = WGS84_A / (1.0 - WGS84_E2 * sl * sl).sqrt();
        Ecef(Vec3::new(
            (n + self.alt_m) * cl * co,
            (n + self.alt_m) * cl * so,
            (n * (1.0 - WGS84_E2) + self.alt_m) * sl,
        ))
    }

    /// Unit vectors (east, north, up) of the local frame at this point, expressed in ECEF.
    pub fn enu_axes(&self) -> [Vec3; 3] {
        let (sl, cl) = self.lat_rad.sin_cos();
        let (so, co) = self.lon_rad.sin_cos();
        [Vec3::new(-so, co, 0.0), Vec3::new(-sl * co, -sl * so, cl), Vec3::new(cl * co, cl * so, sl)]
    }

    /// Great-circle (spherical, mean radius) central angle to another point, rad.
    pub fn central_angle_to(&self, other: &Geodetic) -> f64 {
        let dlat = other.lat_rad - self.lat_rad;
        let dlon = other.lon_rad - self.lon_rad;
        let a = (dlat / 2.0).sin().powi(2)
            + self.lat_rad.cos() * other.lat_rad.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * a.sqrt().min(1.0).asin()
    }
}

impl Ecef {
    /// Converts ECEF to geodetic coordinates: Bowring's starting value refined by fixed-point iteration
    /// on the latitude (converges to 1e-15 rad within a few steps for any point from the Earth's interior
    /// to geostationary height); exact on the polar axis.
    pub fn to_geodetic(&self) -> Geodetic {
        let (x, y, z) = (self.0.x, self.0.y, self.0.z);
        let a = WGS84_A;
        let b = WGS84_B;
        let e2 = WGS84_E2;
        let p = (x * x + y * y).sqrt();
        let lon = y.atan2(x);
        if p < 1e-9 {
            // On the polar axis: latitude ±90°, height measured from the pole.
            let lat = if z >= 0.0 { std::f64::consts::FRAC_PI_2 } else { -std::f64::consts::FRAC_PI_2 };
            return Geodetic { lat_rad: lat, lon_rad: 0.0, alt_m: z.abs() - b };
        }
        let mut lat = (z / (p * (1.0 - e2))).atan();
        for _ in 0..5 {
            let sl = lat.sin();
            let n = a / (1.0 - e2 * sl * sl).sqrt();
            let h = p / lat.cos() - n;
            let new = (z / (p * (1.0 - e2 * n / (n + h)))).atan();
            if (new - lat).abs() < 1e-15 {
                lat = new;
                break;
            }
            lat = new;
        }
        let (sl, cl) = lat.sin_cos();
        let n = a / (1.0 - e2 * sl * sl).sqrt();
        let alt = if cl.abs() > 1e-10 { p / cl - n } else { z.abs() / sl.abs() - n * (1.0 - e2) };
        Geodetic { lat_rad: lat, lon_rad: lon, alt_m: alt }
    }

    /// The vector from `origin` to this point, expressed in the origin's East-North-Up frame.
    pub fn to_enu(&self, origin: &Geodetic) -> Enu {
        let d = self.0 - origin.to_ecef().0;
        let [e, n, u] = origin.enu_axes();
        Enu(Vec3::new(e.dot(&d), n.dot(&d), u.dot(&d)))
    }

    /// Range, azimuth and elevation of this point seen from `origin`.
    pub fn look_angles_from(&self, origin: &Geodetic) -> LookAngles {
        self.to_enu(origin).look_angles()
    }

    /// Euclidean norm, m.
    pub fn norm(&self) -> f64 {
        self.0.norm()
    }
}

impl Enu {
    /// Range, azimuth (clockwise from north) and elevation of this local vector.
    pub fn look_angles(&self) -> LookAngles {
        let v = self.0;
        let range = v.norm();
        let mut az = v.x.atan2(v.y);
        if az < 0.0 {
            az += std::f64::consts::TAU;
        }
        let el = if range > 0.0 { (v.z / range).clamp(-1.0, 1.0).asin() } else { 0.0 };
        LookAngles { range_m: range, az_rad: az, el_rad: el }
    }

    /// Converts this local vector at `origin` back to an ECEF position.
    pub fn to_ecef(&self, origin: &Geodetic) -> Ecef {
        let [e, n, u] = origin.enu_axes();
        Ecef(origin.to_ecef().0 + e * self.0.x + n * self.0.y + u * self.0.z)
    }
}

impl LookAngles {
    /// The local East-North-Up vector these look angles point to.
    pub fn to_enu(&self) -> Enu {
        let (se, ce) = self.el_rad.sin_cos();
        let (sa, ca) = self.az_rad.sin_cos();
        Enu(Vec3::new(self.range_m * ce * sa, self.range_m * ce * ca, self.range_m * se))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Check vectors from shared/reference/bmd-field.md §3.2 that reproduce independently (the Deveselu,
    /// Kürecik and Gabala rows there were computed from slightly different coordinates and are checked
    /// against `map_3d`, a port of pymap3d, instead).
    #[test]
    fn geodetic_to_ecef_matches_published_check_vectors() {
        let cases = [
            (54.479, 17.109, 0.0, [3_549_595.914, 1_092_608.658, 5_167_902.242]),
            (0.0, 0.0, 0.0, [6_378_137.0, 0.0, 0.0]),
            (90.0, 0.0, 0.0, [0.0, 0.0, 6_356_752.314]),
        ];
        for (lat, lon, h, want) in cases {
            let e = Geodetic::from_degrees(lat, lon, h).to_ecef().0;
            for i in 0..3 {
                assert!((e[i] - want[i]).abs() < 2e-3, "{lat},{lon}: axis {i}: {} vs {}", e[i], want[i]);
            }
        }
    }

    #[test]
    fn conversions_agree_with_map_3d() {
        for &(lat, lon, h) in
            &[(44.079, 24.413, 0.0), (38.349, 37.794, 2085.0), (40.871, 47.803, 0.0), (-70.0, -150.0, 9e5)]
        {
            let e = Geodetic::from_degrees(lat, lon, h).to_ecef().0;
            let (x, y, z) =
                map_3d::geodetic2ecef(lat.to_radians(), lon.to_radians(), h, map_3d::Ellipsoid::WGS84);
            assert!((e - Vec3::new(x, y, z)).norm() < 1e-6);
            let origin = Geodetic::from_degrees(lat + 1.0, lon - 2.0, 100.0);
            let enu = Ecef(e).to_enu(&origin).0;
            let (ee, nn, uu) = map_3d::ecef2enu(
                x,
                y,
                z,
                origin.lat_rad,
                origin.lon_rad,
                origin.alt_m,
                map_3d::Ellipsoid::WGS84,
            );
            assert!((enu - Vec3::new(ee, nn, uu)).norm() < 1e-6);
        }
    }

    #[test]
    fn semi_minor_axis_matches_published_value() {
        assert!((WGS84_B - 6_356_752.314_2).abs() < 1e-4);
        assert!((WGS84_E2 - 6.694_379_990_14e-3).abs() < 1e-14);
    }

    #[test]
    fn ecef_to_geodetic_round_trips_including_poles_and_high_altitude() {
        for &(lat, lon, h) in &[
            (0.0, 0.0, 0.0),
            (89.999_999, 12.0, 1000.0),
            (-90.0, 0.0, 0.0),
            (45.0, -120.0, 1_200_000.0),
            (-33.9, 151.2, -100.0),
            (60.0, 179.999, 36_000_000.0),
        ] {
            let g = Geodetic::from_degrees(lat, lon, h);
            let back = g.to_ecef().to_geodetic();
            assert!((back.lat_deg() - lat).abs() < 1e-9, "lat {lat}: {}", back.lat_deg());
            if lat.abs() < 90.0 {
                assert!((back.lon_deg() - lon).abs() < 1e-9);
            }
            assert!((back.alt_m - h).abs() < 1e-4, "h {h}: {}", back.alt_m);
        }
    }

    #[test]
    fn look_angles_of_a_point_straight_up_and_due_east() {
        let o = Geodetic::from_degrees(44.0, 24.0, 0.0);
        let up = Geodetic::from_degrees(44.0, 24.0, 100_000.0).to_ecef();
        let la = up.look_angles_from(&o);
        assert!((la.el_rad - std::f64::consts::FRAC_PI_2).abs() < 1e-9);
        assert!((la.range_m - 100_000.0).abs() < 1e-6);
        let east = Enu(Vec3::new(1000.0, 0.0, 0.0)).to_ecef(&o);
        let la = east.look_angles_from(&o);
        assert!((la.az_rad - std::f64::consts::FRAC_PI_2).abs() < 1e-12);
        assert!(la.el_rad.abs() < 1e-12);
    }

    proptest::proptest! {
        #[test]
        fn look_angles_round_trip(r in 1.0f64..5e6, az in 0.0f64..std::f64::consts::TAU, el in -1.5f64..1.5) {
            let la = LookAngles { range_m: r, az_rad: az, el_rad: el };
            let back = la.to_enu().look_angles();
            proptest::prop_assert!((back.range_m - r).abs() < 1e-6 * r);
            proptest::prop_assert!((back.el_rad - el).abs() < 1e-9);
            proptest::prop_assert!((back.az_rad - az).abs() < 1e-9);
        }
    }
}
