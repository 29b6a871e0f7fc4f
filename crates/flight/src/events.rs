//! Events a coast can locate besides impact and apogee: crossing an altitude, and entering (or
//! leaving) a sensor's field of regard. Each is a continuous function of the inertial state that
//! changes sign at the event; the integrator finds the root on its dense output
//! ([`crate::integrate::dopri5`]), so event times are accurate to the dense output (~1e-9 s in the
//! root, fourth order in the step), not to the step size.

use crate::EarthModel;
use crate::integrate::Crossing;
use shieldnet_earth::{Ecef, Geodetic, Vec3};
use std::f64::consts::PI;

/// A sensor's field of regard: an azimuth sector about a boresight, elevation limits and a maximum
/// range, seen from a site (the volume a radar searches, as in `sensors::Radar::in_volume`). With a
/// lower elevation limit ≥ 0 every point inside also has a line of sight clear of the ellipsoid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldOfRegard {
    site_ecef: Ecef,
    axes: [Vec3; 3],
    /// Boresight azimuth, clockwise from north, rad.
    pub boresight_az_rad: f64,
    /// Half-width of the azimuth sector, rad (≥ π: all round).
    pub half_width_az_rad: f64,
    /// Lowest elevation, rad.
    pub min_el_rad: f64,
    /// Highest elevation, rad.
    pub max_el_rad: f64,
    /// Maximum range, m.
    pub max_range_m: f64,
}

impl FieldOfRegard {
    /// The field of regard of a sensor at `site` (WGS-84 geodetic).
    pub fn new(
        site: &Geodetic,
        boresight_az_rad: f64,
        half_width_az_rad: f64,
        min_el_rad: f64,
        max_el_rad: f64,
        max_range_m: f64,
    ) -> Self {
        Self {
            site_ecef: site.to_ecef(),
            axes: site.enu_axes(),
            boresight_az_rad,
            half_width_az_rad,
            min_el_rad,
            max_el_rad,
            max_range_m,
        }
    }

    /// Signed margin of an Earth-fixed point: positive inside, negative outside, zero on the
    /// boundary. It is the smallest of the elevation margins (rad), the azimuth margin (rad) and the
    /// relative range margin (1 − range / max range), so it is continuous and its sign is exact.
    pub fn margin(&self, p: &Ecef) -> f64 {
        let d = p.0 - self.site_ecef.0;
        let [east, north, up] = &self.axes;
        let range = d.norm();
        if range == 0.0 {
            return -1.0;
        }
        let el = (up.dot(&d) / range).clamp(-1.0, 1.0).asin();
        let mut m = (1.0 - range / self.max_range_m).min(el - self.min_el_rad).min(self.max_el_rad - el);
        if self.half_width_az_rad < PI {
            let az = east.dot(&d).atan2(north.dot(&d));
            let daz = (az - self.boresight_az_rad + PI).rem_euclid(2.0 * PI) - PI;
            m = m.min(self.half_width_az_rad - daz.abs());
        }
        m
    }

    /// Whether an Earth-fixed point lies inside.
    pub fn contains(&self, p: &Ecef) -> bool {
        self.margin(p) >= 0.0
    }
}

/// An event to locate during a coast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CoastEvent {
    /// Crossing an altitude above the surface (the model's figure), in the given direction (rising:
    /// climbing through it).
    Altitude {
        /// Altitude, m.
        altitude_m: f64,
        /// Which crossings count.
        crossing: Crossing,
    },
    /// Entering a sensor's field of regard (the margin rising through zero).
    EntersFieldOfRegard(FieldOfRegard),
    /// Leaving a sensor's field of regard.
    LeavesFieldOfRegard(FieldOfRegard),
}

impl CoastEvent {
    /// The event function at time `t_s` and inertial position `r` (m), and the crossings that count.
    pub(crate) fn value(&self, model: &EarthModel, t_s: f64, r: &Vec3) -> f64 {
        match self {
            CoastEvent::Altitude { altitude_m, .. } => model.altitude(r) - altitude_m,
            CoastEvent::EntersFieldOfRegard(f) | CoastEvent::LeavesFieldOfRegard(f) => {
                f.margin(&model.rotation.eci_to_ecef(&shieldnet_earth::Eci(*r), t_s))
            }
        }
    }

    /// Which sign changes of [`CoastEvent::value`] count.
    pub(crate) fn crossing(&self) -> Crossing {
        match self {
            CoastEvent::Altitude { crossing, .. } => *crossing,
            CoastEvent::EntersFieldOfRegard(_) => Crossing::Rising,
            CoastEvent::LeavesFieldOfRegard(_) => Crossing::Falling,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coast::{CoastOptions, DragPhase, coast_with_events};
    use crate::integrate::rk4_step;
    use crate::{BoostSpec, Figure, StateEci, fly_threat};
    use shieldnet_earth::gravity::GravityModel;
    use shieldnet_earth::{EarthRotation, Eci};

    type Inside<'a> = dyn Fn(f64, &[f64; 6]) -> bool + 'a;

    /// Inside test written independently of [`FieldOfRegard::margin`]: look angles from the earth
    /// crate and the radar's own comparisons.
    fn inside_by_look_angles(site: &Geodetic, f: &FieldOfRegard, p: &Ecef) -> bool {
        let la = p.look_angles_from(site);
        let mut daz = (la.az_rad - f.boresight_az_rad).abs() % (2.0 * PI);
        if daz > PI {
            daz = 2.0 * PI - daz;
        }
        la.range_m <= f.max_range_m
            && daz <= f.half_width_az_rad
            && la.el_rad >= f.min_el_rad
            && la.el_rad <= f.max_el_rad
    }

    /// The times of entering two radars' fields of regard (one entered through its range limit, one
    /// through its azimuth sector) and of climbing through 300 km, located on the dense output, agree
    /// with an independent search: fixed-step RK4 (0.05 s) over the same dynamics, the first step
    /// found inside refined by 50 bisections re-integrating from the last outside step.
    #[test]
    fn field_of_regard_and_altitude_events_match_an_independent_search() {
        let rot = EarthRotation::at_julian_date(2_457_175.0);
        let model =
            EarthModel { figure: Figure::Wgs84, rotation: rot, gravity: GravityModel::J2, atmosphere: false };
        let boost =
            BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 130e3 };
        let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
        let aim = Geodetic::from_degrees(44.43, 26.10, 0.0);
        let traj = fly_threat(&launch, &aim, 0.0, &boost, &rot).unwrap();
        let start = traj.state_at(traj.burnout_time_s()).unwrap();
        let kurecik = Geodetic::from_degrees(38.35, 37.79, 2_000.0);
        let by_range = FieldOfRegard::new(
            &kurecik,
            90f64.to_radians(),
            60f64.to_radians(),
            0.5f64.to_radians(),
            85f64.to_radians(),
            900e3,
        );
        let by_sector = FieldOfRegard::new(
            &kurecik,
            300f64.to_radians(),
            45f64.to_radians(),
            0.5f64.to_radians(),
            85f64.to_radians(),
            3_000e3,
        );
        let events = [
            CoastEvent::EntersFieldOfRegard(by_range),
            CoastEvent::EntersFieldOfRegard(by_sector),
            CoastEvent::Altitude { altitude_m: 300e3, crossing: Crossing::Rising },
        ];
        let (_, located) = coast_with_events(
            &model,
            None,
            DragPhase::Always,
            &start,
            0.0,
            &CoastOptions::default(),
            None,
            &events,
        )
        .unwrap();
        // Independent search.
        let mut f = |_t: f64, y: &[f64; 6]| {
            let a = model.gravity(&Vec3::new(y[0], y[1], y[2]));
            [y[3], y[4], y[5], a.x, a.y, a.z]
        };
        let ecef = |t: f64, y: &[f64; 6]| rot.eci_to_ecef(&Eci(Vec3::new(y[0], y[1], y[2])), t);
        let preds: [Box<Inside>; 3] = [
            Box::new(|t, y| inside_by_look_angles(&kurecik, &by_range, &ecef(t, y))),
            Box::new(|t, y| inside_by_look_angles(&kurecik, &by_sector, &ecef(t, y))),
            Box::new(|t, y| ecef(t, y).to_geodetic().alt_m >= 300e3),
        ];
        let (p, v) = (start.pos.0, start.vel.0);
        for (k, inside) in preds.iter().enumerate() {
            assert!(!inside(start.t_s, &[p.x, p.y, p.z, v.x, v.y, v.z]), "event {k} inside at start");
            let (mut t, mut y) = (start.t_s, [p.x, p.y, p.z, v.x, v.y, v.z]);
            let h = 0.05;
            loop {
                let y1 = rk4_step(&mut f, t, &y, h);
                if inside(t + h, &y1) {
                    break;
                }
                (t, y) = (t + h, y1);
                assert!(t < traj.impact_time_s(), "event {k} never happens");
            }
            let (mut lo, mut hi) = (0.0, h);
            for _ in 0..50 {
                let mid = 0.5 * (lo + hi);
                if inside(t + mid, &rk4_step(&mut f, t, &y, mid)) { hi = mid } else { lo = mid }
            }
            let want = t + hi;
            let got = located.iter().find(|e| e.index == k).map(|e: &crate::coast::LocatedEvent| e.state);
            let got: StateEci = got.unwrap_or_else(|| panic!("event {k} not located"));
            // The 300 km test uses the geodetic height, the event the radial one (5e-6 × h apart,
            // 1.5 m at 300 km, ~1 ms at the climb rate).
            let tol = if k == 2 { 5e-3 } else { 1e-3 };
            assert!((got.t_s - want).abs() < tol, "event {k}: located {} s, search {want} s", got.t_s);
        }
        // The two radars are entered at different times, in time order.
        assert!(located.windows(2).all(|w| w[0].state.t_s <= w[1].state.t_s));
    }

    #[test]
    fn margin_sign_matches_containment() {
        let site = Geodetic::from_degrees(10.0, 20.0, 0.0);
        let f = FieldOfRegard::new(&site, 0.0, 0.5, 0.1, 1.2, 2_000e3);
        let up = site.enu_axes();
        let at = |e: f64, n: f64, u: f64| Ecef(site.to_ecef().0 + up[0] * e + up[1] * n + up[2] * u);
        assert!(f.contains(&at(0.0, 500e3, 200e3)));
        assert!(!f.contains(&at(500e3, 0.0, 200e3)), "outside the sector");
        assert!(!f.contains(&at(0.0, 500e3, 10e3)), "below the lowest elevation");
        assert!(!f.contains(&at(0.0, 2_500e3, 1_000e3)), "beyond the range");
        assert!(!f.contains(&at(0.0, 1e3, 500e3)), "above the highest elevation");
    }
}
