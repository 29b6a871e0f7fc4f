//! Engagement feasibility from the gravity fly-out of `shieldnet_flight::interceptor`.
//!
//! For a battery and a threat's predicted path (an inertial [`Trajectory`], see
//! [`ThreatAssessment::trajectory`](crate::threat::ThreatAssessment::trajectory)), the window of
//! feasible intercepts: the earliest and latest intercept time at which an interceptor launched no
//! earlier than a given time can meet the threat, with the launch time, intercept point and altitude.
//! Each candidate time is checked by [`probe_at`] (impulse at mid-burn, Keplerian coast by Lambert,
//! Earth-relative burnout speed limit, altitude band, ground range, no path through the Earth). An
//! optional predicate on the intercept point restricts the window to a region (sector authority, M4).
//!
//! The window is searched on a grid of at most [`GRID_STEP_S`], each end refined to 0.5 s by regula
//! falsi on the feasibility margin ([`search_window`]); if the feasible set is several disjoint
//! intervals, only its first and last points are reported.

use serde::{Deserialize, Serialize};
use shieldnet_earth::{EarthRotation, Ecef, Geodetic};
pub use shieldnet_flight::InterceptorKinematics;
use shieldnet_flight::Trajectory;
use shieldnet_flight::interceptor::{InterceptPoint, probe_at, search_window};

/// Largest spacing of the search grid over the threat's remaining flight, s.
pub const GRID_STEP_S: f64 = 20.0;
/// Tolerance on the window's ends, s.
const REFINE_TOL_S: f64 = 0.5;

/// One feasible intercept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InterceptOpportunity {
    /// Intercept time, s.
    pub intercept_time_s: f64,
    /// Intercept point.
    pub point: Ecef,
    /// Launch time needed, s.
    pub launch_time_s: f64,
    /// Fly-out time, s.
    pub flyout_s: f64,
    /// Altitude of the intercept above the ellipsoid, m.
    pub altitude_m: f64,
}

impl From<InterceptPoint> for InterceptOpportunity {
    fn from(p: InterceptPoint) -> Self {
        Self {
            intercept_time_s: p.t_s,
            point: p.pos_ecef,
            launch_time_s: p.launch_time_s,
            flyout_s: p.fly_out_time_s,
            altitude_m: p.altitude_m,
        }
    }
}

/// The earliest and latest feasible intercepts of one battery against one threat.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EngagementWindow {
    /// Earliest feasible intercept.
    pub earliest: InterceptOpportunity,
    /// Latest feasible intercept.
    pub latest: InterceptOpportunity,
}

impl EngagementWindow {
    /// Length of the window (latest minus earliest intercept time), s.
    pub fn duration_s(&self) -> f64 {
        self.latest.intercept_time_s - self.earliest.intercept_time_s
    }
}

/// The engagement window of a battery at `site` against `threat`, launching no earlier than
/// `earliest_launch_s`. `None` when no intercept is feasible.
pub fn window(
    threat: &Trajectory,
    site: &Geodetic,
    kin: &InterceptorKinematics,
    earliest_launch_s: f64,
    rotation: &EarthRotation,
) -> Option<EngagementWindow> {
    window_where(threat, site, kin, earliest_launch_s, rotation, &|_| true)
}

/// As [`window`], counting only intercepts whose point satisfies `admit` (e.g. lies in a sector).
pub fn window_where(
    threat: &Trajectory,
    site: &Geodetic,
    kin: &InterceptorKinematics,
    earliest_launch_s: f64,
    rotation: &EarthRotation,
    admit: &dyn Fn(&Ecef) -> bool,
) -> Option<EngagementWindow> {
    let site_ecef = site.to_ecef();
    let t0 = threat.launch_time_s().max(earliest_launch_s + kin.burn_time_s);
    let t1 = threat.impact_time_s();
    if t1.partial_cmp(&t0) != Some(std::cmp::Ordering::Greater)
        || kin.burnout_speed_m_s.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)
    {
        return None;
    }
    let probe = |t: f64| {
        probe_at(threat, &site_ecef, kin, earliest_launch_s, rotation, t)
            .filter_map(|p| admit(&p.pos_ecef).then(|| InterceptOpportunity::from(p)))
    };
    let n = ((t1 - t0) / GRID_STEP_S).ceil().max(1.0) as usize;
    let (earliest, latest) = search_window(t0, t1, n, REFINE_TOL_S, probe)?;
    Some(EngagementWindow { earliest, latest })
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_flight::interceptor::reach_at;
    use shieldnet_flight::{BoostSpec, fly_threat, intercept_window};

    fn setup() -> (Trajectory, EarthRotation) {
        let rot = EarthRotation::at_julian_date(2_457_175.0);
        let boost =
            BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 130e3 };
        let tr = fly_threat(
            &Geodetic::from_degrees(38.08, 46.29, 0.0),
            &Geodetic::from_degrees(44.43, 26.10, 0.0),
            0.0,
            &boost,
            &rot,
        )
        .unwrap();
        (tr, rot)
    }

    fn sm3() -> InterceptorKinematics {
        InterceptorKinematics {
            burnout_speed_m_s: 3000.0,
            burn_time_s: 50.0,
            max_range_m: 900e3,
            min_alt_m: 70e3,
            max_alt_m: 500e3,
        }
    }

    #[test]
    fn window_ends_are_feasible_and_bracketed_by_infeasible_times() {
        let (tr, rot) = setup();
        let site = Geodetic::from_degrees(44.079, 24.413, 150.0);
        let kin = sm3();
        let w = window(&tr, &site, &kin, 100.0, &rot).expect("Deveselu reaches a Tabriz–Bucharest shot");
        for o in [w.earliest, w.latest] {
            assert!(o.launch_time_s >= 100.0 - 1e-9);
            assert!((o.intercept_time_s - o.launch_time_s - o.flyout_s).abs() < 1e-6);
            assert!(o.altitude_m >= 70e3 - 1.0 && o.altitude_m <= 500e3 + 1.0, "{o:?}");
            // The point is the threat's position at the intercept time.
            let (p, _) = tr.ecef_at(o.intercept_time_s, &rot).unwrap();
            assert!((p.0 - o.point.0).norm() < 1.0);
        }
        assert!(w.duration_s() > 0.0);
        let site_e = site.to_ecef();
        let feasible = |t: f64| reach_at(&tr, &site_e, &kin, 100.0, &rot, t).is_some();
        assert!(!feasible(w.earliest.intercept_time_s - 1.0));
        assert!(!feasible(w.latest.intercept_time_s + 1.0));
        // The reach helper's own window search (a coarser grid) finds the same interval.
        let r = intercept_window(&tr, &site_e, &kin, 100.0, &rot).unwrap();
        assert!((r.earliest.t_s - w.earliest.intercept_time_s).abs() < 1.5);
        assert!((r.latest.t_s - w.latest.intercept_time_s).abs() < 1.5);
    }

    #[test]
    fn a_late_launch_or_a_distant_site_gives_no_window() {
        let (tr, rot) = setup();
        let kin = sm3();
        let site = Geodetic::from_degrees(44.079, 24.413, 150.0);
        assert!(window(&tr, &site, &kin, tr.impact_time_s() - 30.0, &rot).is_none());
        let far = Geodetic::from_degrees(-30.0, 140.0, 0.0);
        assert!(window(&tr, &far, &kin, 0.0, &rot).is_none());
    }

    #[test]
    fn a_region_predicate_restricts_the_window() {
        let (tr, rot) = setup();
        let kin = sm3();
        let site = Geodetic::from_degrees(44.079, 24.413, 150.0);
        let full = window(&tr, &site, &kin, 0.0, &rot).unwrap();
        // Only intercepts west of 29° E (the full window runs from about 31° E to 27° E, westward).
        let west = |p: &Ecef| p.to_geodetic().lon_rad < 29f64.to_radians();
        let w = window_where(&tr, &site, &kin, 0.0, &rot, &west).unwrap();
        assert!(west(&w.earliest.point) && west(&w.latest.point));
        assert!(w.earliest.intercept_time_s > full.earliest.intercept_time_s + 10.0);
        assert!((w.latest.intercept_time_s - full.latest.intercept_time_s).abs() < 1e-9);
        // Just before the restricted window's start the point is still east of 29° E.
        let (p, _) = tr.ecef_at(w.earliest.intercept_time_s - 1.0, &rot).unwrap();
        assert!(!west(&p));
        assert!(window_where(&tr, &site, &kin, 0.0, &rot, &|_| false).is_none());
    }
}
