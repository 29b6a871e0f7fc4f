//! Sector authority (cooperation mode M4): geographic sectors, each owned by one party, which alone may
//! engage a threat whose **intercept point** lies over its sector.
//!
//! Authority follows the intercept point (the airspace where the kill and its debris happen), as in
//! the sectoral proposal where each side intercepts what overflies its area. A consequence the
//! analysis measures: a threat crossing a sector boundary may be engaged by both owners (no
//! announcements flow in M4) or, if the owner of the sector it crosses cannot reach it there, by none.

use serde::{Deserialize, Serialize};
use shieldnet_earth::{Ecef, Geodetic};

/// A sector: a polygon of (latitude, longitude) vertices in radians, edges straight in the
/// latitude/longitude plane (not crossing the antimeridian), owned by one party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sector {
    /// Identifier.
    pub id: String,
    /// Index of the owning party.
    pub owner: u32,
    /// Vertices (latitude, longitude), radians.
    pub vertices: Vec<(f64, f64)>,
}

impl Sector {
    /// Whether the point's sub-point lies inside the polygon (ray casting; boundary points may go
    /// either way).
    pub fn contains(&self, p: &Geodetic) -> bool {
        let (lat, lon) = (p.lat_rad, p.lon_rad);
        let v = &self.vertices;
        let n = v.len();
        let mut inside = false;
        for i in 0..n {
            let (lat_i, lon_i) = v[i];
            let (lat_j, lon_j) = v[(i + n - 1) % n];
            if (lat_i > lat) != (lat_j > lat)
                && lon < (lon_j - lon_i) * (lat - lat_i) / (lat_j - lat_i) + lon_i
            {
                inside = !inside;
            }
        }
        inside
    }
}

/// Whether `party` has authority over an intercept at `point`: it lies in a sector `party` owns.
pub fn has_authority(sectors: &[Sector], party: u32, point: &Ecef) -> bool {
    let g = point.to_geodetic();
    sectors.iter().any(|s| s.owner == party && s.contains(&g))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sq(owner: u32, lat0: f64, lon0: f64) -> Sector {
        let d = |a: f64, b: f64| (a.to_radians(), b.to_radians());
        Sector {
            id: format!("s{owner}"),
            owner,
            vertices: vec![
                d(lat0, lon0),
                d(lat0, lon0 + 10.0),
                d(lat0 + 10.0, lon0 + 10.0),
                d(lat0 + 10.0, lon0),
            ],
        }
    }

    #[test]
    fn authority_by_hand() {
        let s = [sq(0, 30.0, 20.0), sq(1, 40.0, 30.0)];
        let at = |lat: f64, lon: f64| Geodetic::from_degrees(lat, lon, 150e3).to_ecef();
        assert!(has_authority(&s, 0, &at(35.0, 25.0)));
        assert!(!has_authority(&s, 1, &at(35.0, 25.0)));
        assert!(has_authority(&s, 1, &at(45.0, 35.0)));
        assert!(!has_authority(&s, 0, &at(45.0, 35.0)));
        // Outside both.
        assert!(!has_authority(&s, 0, &at(55.0, 25.0)) && !has_authority(&s, 1, &at(55.0, 25.0)));
        // A triangle: (0,0), (0,10), (10,0) contains (2,2) but not (6,6).
        let d = |a: f64, b: f64| (a.to_radians(), b.to_radians());
        let t = Sector { id: "t".into(), owner: 0, vertices: vec![d(0.0, 0.0), d(0.0, 10.0), d(10.0, 0.0)] };
        assert!(t.contains(&Geodetic::from_degrees(2.0, 2.0, 0.0)));
        assert!(!t.contains(&Geodetic::from_degrees(6.0, 6.0, 0.0)));
    }
}
