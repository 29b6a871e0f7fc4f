//! Engagement feasibility from a simple interceptor fly-out model.
//!
//! The interceptor accelerates uniformly to its burnout speed over its burn time (covering ½·v·t_b), then
//! coasts at burnout speed along the line of sight to the intercept point. An intercept point is
//! feasible when it lies within the interceptor's slant range and altitude band, above the battery's
//! horizon (no shortcut through the Earth), and the launch it needs comes no earlier than the earliest
//! possible launch. Gravity losses and the curved fly-out are left to the flight-physics model.

use serde::{Deserialize, Serialize};
use shieldnet_earth::{Ecef, Geodetic};

/// Fly-out kinematics of an interceptor type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InterceptorKinematics {
    /// Burnout speed, m/s.
    pub burnout_speed_m_s: f64,
    /// Burn time, s.
    pub burn_time_s: f64,
    /// Greatest slant range, m.
    pub max_range_m: f64,
    /// Lowest intercept altitude, m.
    pub min_alt_m: f64,
    /// Highest intercept altitude, m.
    pub max_alt_m: f64,
}

impl InterceptorKinematics {
    /// An SM-3 Block IB-like interceptor (notional: 3 km/s, 40 s burn, 1,000 km, 70–500 km).
    pub fn example() -> Self {
        Self {
            burnout_speed_m_s: 3000.0,
            burn_time_s: 40.0,
            max_range_m: 1_000e3,
            min_alt_m: 70e3,
            max_alt_m: 500e3,
        }
    }
}

/// Fly-out time to a point `distance_m` away.
pub fn flyout_time_s(distance_m: f64, kin: &InterceptorKinematics) -> f64 {
    let boost_distance = 0.5 * kin.burnout_speed_m_s * kin.burn_time_s;
    if distance_m <= boost_distance {
        (2.0 * distance_m * kin.burn_time_s / kin.burnout_speed_m_s).sqrt()
    } else {
        kin.burn_time_s + (distance_m - boost_distance) / kin.burnout_speed_m_s
    }
}

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
}

/// The earliest and latest feasible intercepts of one battery against one threat.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EngagementWindow {
    /// Earliest feasible intercept.
    pub earliest: InterceptOpportunity,
    /// Latest feasible intercept.
    pub latest: InterceptOpportunity,
}

/// The engagement window of a battery at `site` against a predicted `path` (time, ECEF position),
/// launching no earlier than `earliest_launch_s`. `None` when no point of the path is feasible.
pub fn window(
    path: &[(f64, Ecef)],
    site: &Geodetic,
    kin: &InterceptorKinematics,
    earliest_launch_s: f64,
) -> Option<EngagementWindow> {
    let site_ecef = site.to_ecef();
    let opportunity = |t: f64, p: &Ecef| -> Option<InterceptOpportunity> {
        let la = p.look_angles_from(site);
        if la.range_m > kin.max_range_m || la.el_rad < 0.0 {
            return None;
        }
        let alt = p.to_geodetic().alt_m;
        if alt < kin.min_alt_m || alt > kin.max_alt_m {
            return None;
        }
        let flyout = flyout_time_s((p.0 - site_ecef.0).norm(), kin);
        let launch = t - flyout;
        (launch >= earliest_launch_s).then_some(InterceptOpportunity {
            intercept_time_s: t,
            point: *p,
            launch_time_s: launch,
            flyout_s: flyout,
        })
    };
    let mut earliest = None;
    let mut latest = None;
    for (k, (t, p)) in path.iter().enumerate() {
        if let Some(o) = opportunity(*t, p) {
            if earliest.is_none() {
                // Refine between the previous (infeasible) sample and this one by bisection on a
                // linear interpolation of the path.
                earliest = Some(match k.checked_sub(1).map(|j| path[j]) {
                    Some((t0, p0)) => refine(t0, &p0, *t, p, o, &opportunity),
                    None => o,
                });
            }
            latest = Some(o);
        }
    }
    Some(EngagementWindow { earliest: earliest?, latest: latest? })
}

fn refine(
    t0: f64,
    p0: &Ecef,
    t1: f64,
    p1: &Ecef,
    mut best: InterceptOpportunity,
    opportunity: &dyn Fn(f64, &Ecef) -> Option<InterceptOpportunity>,
) -> InterceptOpportunity {
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..20 {
        let mid = 0.5 * (lo + hi);
        let p = Ecef(p0.0 + (p1.0 - p0.0) * mid);
        match opportunity(t0 + (t1 - t0) * mid, &p) {
            Some(o) => {
                best = o;
                hi = mid;
            }
            None => lo = mid,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::Vec3;

    /// A straight-line "threat" passing 300 km overhead of the site, moving east at 3 km/s.
    fn path(site: &Geodetic) -> Vec<(f64, Ecef)> {
        let [e, _, u] = site.enu_axes();
        let c = site.to_ecef().0 + u * 300e3;
        (0..=400).map(|k| (k as f64 * 2.0, Ecef(c + e * (3000.0 * (k as f64 * 2.0 - 200.0))))).collect()
    }

    #[test]
    fn earliest_intercept_satisfies_the_launch_constraint_exactly() {
        let site = Geodetic::from_degrees(44.0, 24.0, 0.0);
        let kin = InterceptorKinematics::example();
        let p = path(&site);
        let w = window(&p, &site, &kin, 100.0).unwrap();
        // The constraint launch ≥ 100 s binds: launch time equals 100 s to within the bisection tolerance.
        assert!((w.earliest.launch_time_s - 100.0).abs() < 0.01, "{:?}", w.earliest);
        assert!(w.earliest.intercept_time_s - w.earliest.flyout_s - w.earliest.launch_time_s < 1e-9);
        // The latest feasible point is where the path leaves the 1,000 km slant range.
        let d = (w.latest.point.0 - site.to_ecef().0).norm();
        assert!(d <= 1_000e3 && d > 990e3, "{d}");
        assert!(w.latest.intercept_time_s > w.earliest.intercept_time_s);
    }

    #[test]
    fn a_point_below_the_horizon_or_out_of_range_is_never_feasible() {
        let site = Geodetic::from_degrees(44.0, 24.0, 0.0);
        let kin = InterceptorKinematics { max_range_m: 5_000e3, ..InterceptorKinematics::example() };
        let [e, _, u] = site.enu_axes();
        // 3,000 km away at 100 km altitude: far below the horizon.
        let far = Ecef(site.to_ecef().0 + e * 3_000e3 - u * 600e3);
        assert!(far.look_angles_from(&site).el_rad < 0.0);
        assert!(window(&[(500.0, far)], &site, &kin, 0.0).is_none());
        let _ = Vec3::zeros();
    }
}
