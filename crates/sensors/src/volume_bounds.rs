//! A radar volume's angle limits as sines and cosines, so that most points are placed inside or
//! outside the azimuth sector and elevation band without the arc functions.
//!
//! The volume test ([`crate::Radar::in_volume`]) compares el = asin(u/r) and the wrapped azimuth offset
//! |az − boresight| (az = atan2(e, n)) with the limits. Both maps are monotonic: el ≥ m exactly when
//! u/r ≥ sin m, and the offset is ≤ w exactly when the cosine of the angle between the horizontal
//! direction (e, n) and the boresight, (e·sin b + n·cos b)/ρ, is ≥ cos w. The rounding of either side
//! is a few ulps (≤ 1e-15); a point whose sine or cosine is more than [`MARGIN`] from a limit's is
//! decided by the comparison (the arc functions' derivatives are ≥ 1 in magnitude, so that is at least
//! 1e-9 rad from the limit, where the arc-function test gives the same answer), and a point within it
//! returns `None` for the caller's exact test. The answers are therefore those of the arc-function
//! test, bit for bit (tested).

use crate::radar::RadarSpec;
use shieldnet_earth::Vec3;
use std::f64::consts::PI;

/// Distance in sine or cosine from a limit within which the exact test decides.
const MARGIN: f64 = 1e-9;

/// The sines and cosines of a radar's angle limits, with the limits they were computed from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct VolumeBounds {
    /// (min_el, max_el, boresight, half-width) the values below come from.
    limits: [f64; 4],
    sin_min_el: f64,
    sin_max_el: f64,
    sin_bore: f64,
    cos_bore: f64,
    cos_half_width: f64,
}

impl VolumeBounds {
    /// The bounds of `spec`'s angle limits.
    pub(crate) fn new(spec: &RadarSpec) -> Self {
        let (sin_bore, cos_bore) = spec.boresight_az_rad.sin_cos();
        Self {
            limits: Self::limits_of(spec),
            sin_min_el: spec.min_el_rad.sin(),
            sin_max_el: spec.max_el_rad.sin(),
            sin_bore,
            cos_bore,
            cos_half_width: spec.half_width_az_rad.cos(),
        }
    }

    fn limits_of(spec: &RadarSpec) -> [f64; 4] {
        [spec.min_el_rad, spec.max_el_rad, spec.boresight_az_rad, spec.half_width_az_rad]
    }

    /// Whether the point at `enu` (site East-North-Up, m; `range` its norm) lies inside the azimuth
    /// sector and elevation band of `spec`: `Some` when that is clear of the limits, `None` near a
    /// limit, for a non-finite or zero vector, or when `spec`'s limits are no longer those the bounds
    /// were made from.
    pub(crate) fn angles_inside(&self, spec: &RadarSpec, enu: &Vec3, range: f64) -> Option<bool> {
        if Self::limits_of(spec) != self.limits || range.is_nan() || range <= 0.0 {
            return None;
        }
        let s = enu.z / range;
        if s < self.sin_min_el - MARGIN || s > self.sin_max_el + MARGIN {
            return Some(false);
        }
        let clear_inside = s >= self.sin_min_el + MARGIN && s <= self.sin_max_el - MARGIN;
        if !clear_inside {
            return None;
        }
        // The wrapped azimuth offset never exceeds π.
        if spec.half_width_az_rad >= PI {
            return Some(true);
        }
        let rho = (enu.x * enu.x + enu.y * enu.y).sqrt();
        if rho.is_nan() || rho <= 0.0 {
            return None;
        }
        let c = (enu.x * self.sin_bore + enu.y * self.cos_bore) / rho;
        if c >= self.cos_half_width + MARGIN {
            Some(true)
        } else if c <= self.cos_half_width - MARGIN {
            Some(false)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::radar::Radar;
    use shieldnet_earth::{Enu, LookAngles};

    /// Points at, just inside and just outside every angle limit (down to a few ulps), and spread over
    /// the sphere: wherever the bounds decide, their answer is the volume test's on the look angles.
    #[test]
    fn decisions_equal_the_arc_function_test() {
        let mut next = {
            let mut s = 0x9E37_79B9_7F4A_7C15u64;
            move || {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s >> 11) as f64 / (1u64 << 53) as f64
            }
        };
        let mut specs = vec![RadarSpec::example()];
        let mut all_round = RadarSpec::example();
        all_round.half_width_az_rad = PI;
        specs.push(all_round);
        let mut north = RadarSpec::example();
        north.boresight_az_rad = 0.0;
        north.half_width_az_rad = 1.0;
        specs.push(north);
        let (mut decided, mut total) = (0, 0);
        for spec in specs {
            let radar = Radar::new(0, 0, spec.clone());
            let b = VolumeBounds::new(&spec);
            let edges_az = [
                spec.boresight_az_rad - spec.half_width_az_rad,
                spec.boresight_az_rad + spec.half_width_az_rad,
            ];
            let edges_el = [spec.min_el_rad, spec.max_el_rad];
            for k in 0..20_000 {
                let offset = match k % 4 {
                    0 => (next() - 0.5) * 1e-15,
                    1 => (next() - 0.5) * 1e-8,
                    2 => (next() - 0.5) * 1e-3,
                    _ => (next() - 0.5) * 4.0,
                };
                let (mut az, mut el) = (next() * 7.0 - 0.3, next() * 3.2 - 1.6);
                if k % 3 == 0 {
                    el = edges_el[k % 2] + offset;
                } else if k % 3 == 1 {
                    az = edges_az[k % 2] + offset;
                }
                let v = LookAngles { range_m: 1e3 + 1e6 * next(), az_rad: az, el_rad: el }.to_enu().0;
                let la = Enu(v).look_angles();
                let exact = radar.in_volume(&LookAngles { range_m: 0.0, ..la });
                total += 1;
                if let Some(inside) = b.angles_inside(&spec, &v, la.range_m) {
                    decided += 1;
                    assert_eq!(inside, exact, "{spec:?} az {az} el {el}");
                }
            }
        }
        // The points near the limits are left to the exact test; the others are decided.
        assert!(decided > total / 2 && decided < total, "{decided} of {total}");
    }

    /// Bounds made for other limits decide nothing.
    #[test]
    fn stale_bounds_decide_nothing() {
        let mut spec = RadarSpec::example();
        let b = VolumeBounds::new(&spec);
        spec.min_el_rad += 0.01;
        assert_eq!(b.angles_inside(&spec, &Vec3::new(1e5, 1e5, 1e5), 3f64.sqrt() * 1e5), None);
    }
}
