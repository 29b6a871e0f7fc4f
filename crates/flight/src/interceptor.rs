//! Interceptor fly-out and reach: for a threat trajectory, the earliest and latest points at which an
//! interceptor from a given site, launched no earlier than a launch-decision time, can meet it.
//!
//! # Model and assumptions
//! - **Boost as an impulse at mid-burn.** A burn of duration t_b from rest that ends at speed v_bo
//!   covers, to first order, the same ground as an impulse of v_bo applied at t_b/2 at the launch site
//!   (gravity during the burn neglected). So the interceptor's coast starts at the site's inertial
//!   position at t_L + t_b/2 with inertial velocity ω×r_site + Δv, |Δv| ≤ v_bo (Earth-relative).
//! - **Coast under gravity**, point mass, as a Keplerian arc found by Izzo's Lambert solver — never a
//!   straight line through the Earth. The arc must leave the site climbing (positive flight-path
//!   angle), which keeps it above the surface up to the intercept point.
//! - **Energy management.** An interceptor able to reach a point faster than needed can waste energy
//!   (lofting, dog-legs, or a later launch), so a point is reachable if the Earth-relative speed of the
//!   Lambert arc is at most v_bo. The launch time is free in [decision time, intercept − t_b]: the
//!   coast time is the minimum-energy (Lagrange) time of the geometry when there is time for it,
//!   otherwise the longest available.
//! - **Envelope limits**: intercept altitude in [min_alt, max_alt], ground range from the site
//!   (great circle on the mean sphere) at most max_range, intercept no earlier than burnout.
//! - Drag on the interceptor, J2, divert and seeker limits are ignored; the threat's own trajectory
//!   carries whatever physics it was flown with.
//! - The window is found on a time grid of at most 90 s spacing (6 to 24 intervals) refined by
//!   bisection to 0.5 s; feasible intervals shorter than the grid spacing can be missed, and if the feasible set
//!   is several disjoint intervals only its first and last points are reported.

use crate::lambert::{Way, lambert};
use crate::{EarthModel, Trajectory};
use serde::{Deserialize, Serialize};
use shieldnet_earth::constants::{GM, MEAN_RADIUS};
use shieldnet_earth::{EarthRotation, Ecef, Eci};
use std::f64::consts::PI;

/// Kinematic description of an interceptor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InterceptorKinematics {
    /// Earth-relative burnout speed, m/s.
    pub burnout_speed_m_s: f64,
    /// Burn time, s.
    pub burn_time_s: f64,
    /// Largest ground range from the site to the intercept point, m.
    pub max_range_m: f64,
    /// Lowest intercept altitude, m.
    pub min_alt_m: f64,
    /// Highest intercept altitude, m.
    pub max_alt_m: f64,
}

/// One feasible intercept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InterceptPoint {
    /// Intercept time, s.
    pub t_s: f64,
    /// Intercept position (the threat's), inertial.
    pub pos: Eci,
    /// Intercept position, Earth-fixed.
    pub pos_ecef: Ecef,
    /// Altitude of the intercept, m.
    pub altitude_m: f64,
    /// Ground range from the site, m.
    pub ground_range_m: f64,
    /// Interceptor launch time, s.
    pub launch_time_s: f64,
    /// Interceptor flight time (launch to intercept), s.
    pub fly_out_time_s: f64,
    /// Earth-relative burnout speed this intercept needs, m/s (≤ the interceptor's).
    pub required_speed_m_s: f64,
    /// Closing speed between interceptor and threat at intercept, m/s.
    pub closing_speed_m_s: f64,
}

/// The earliest and latest feasible intercepts of a threat.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InterceptWindow {
    /// First feasible intercept.
    pub earliest: InterceptPoint,
    /// Last feasible intercept.
    pub latest: InterceptPoint,
}

/// Minimum-energy (Lagrange) transfer time between two radii with chord c, short way, s.
pub fn min_energy_time(r1: f64, r2: f64, c: f64) -> f64 {
    let s = 0.5 * (r1 + r2 + c);
    let am = 0.5 * s;
    let beta = 2.0 * ((s - c) / s).max(0.0).sqrt().min(1.0).asin();
    (am * am * am / GM).sqrt() * (PI - beta + beta.sin())
}

/// Whether the interceptor can meet the threat at time `t_i`; the intercept if so.
pub fn reach_at(
    threat: &Trajectory,
    site: &Ecef,
    kin: &InterceptorKinematics,
    decision_time_s: f64,
    rotation: &EarthRotation,
    t_i: f64,
) -> Option<InterceptPoint> {
    let model = EarthModel::full(*rotation);
    let st = threat.state_at(t_i)?;
    let tau_max = t_i - decision_time_s;
    if tau_max < kin.burn_time_s {
        return None;
    }
    let p = st.pos.0;
    let alt = model.altitude(&p);
    if alt < kin.min_alt_m || alt > kin.max_alt_m {
        return None;
    }
    let p_ecef = rotation.eci_to_ecef(&st.pos, t_i);
    let cosang = (p_ecef.0.dot(&site.0) / (p_ecef.0.norm() * site.0.norm())).clamp(-1.0, 1.0);
    let ground = cosang.acos() * MEAN_RADIUS;
    if ground > kin.max_range_m {
        return None;
    }
    let half_burn = 0.5 * kin.burn_time_s;
    // Coast time: minimum-energy if there is time, else as long as possible.
    let r1_guess = rotation.ecef_to_eci(site, t_i - tau_max + half_burn).0;
    let t_me = min_energy_time(r1_guess.norm(), p.norm(), (p - r1_guess).norm());
    let coast = t_me.min(tau_max - half_burn).max(1.0);
    let t_impulse = t_i - coast;
    let r1 = rotation.ecef_to_eci(site, t_impulse);
    let w = rotation.omega_vec();
    // Exact quick rejection: any arc between r1 and p leaves r1 at least at the minimum-energy
    // (a = s/2) inertial speed, and the site's own rotation gives at most |ω×r1| of it.
    let (n1, n2, chord) = (r1.0.norm(), p.norm(), (p - r1.0).norm());
    let v_me = (GM * (2.0 / n1 - 4.0 / (n1 + n2 + chord))).max(0.0).sqrt();
    if v_me - w.cross(&r1.0).norm() > kin.burnout_speed_m_s {
        return None;
    }
    let arc = lambert(&r1, &st.pos, coast, Way::Short, GM).ok()?;
    let rel = arc.v1.0 - w.cross(&r1.0);
    let speed = rel.norm();
    if speed > kin.burnout_speed_m_s || rel.dot(&r1.0) <= 0.0 {
        return None;
    }
    Some(InterceptPoint {
        t_s: t_i,
        pos: st.pos,
        pos_ecef: p_ecef,
        altitude_m: alt,
        ground_range_m: ground,
        launch_time_s: t_impulse - half_burn,
        fly_out_time_s: coast + half_burn,
        required_speed_m_s: speed,
        closing_speed_m_s: (arc.v2.0 - st.vel.0).norm(),
    })
}

/// The earliest and latest feasible intercepts of `threat` by an interceptor at `site` launched no
/// earlier than `decision_time_s`, or None if the threat cannot be reached. See the module
/// documentation for the model.
pub fn intercept_window(
    threat: &Trajectory,
    site: &Ecef,
    kin: &InterceptorKinematics,
    decision_time_s: f64,
    rotation: &EarthRotation,
) -> Option<InterceptWindow> {
    let t0 = threat.launch_time_s().max(decision_time_s + kin.burn_time_s);
    let t1 = threat.impact_time_s();
    if !(t1 > t0) || !(kin.burnout_speed_m_s > 0.0) {
        return None;
    }
    let n = (((t1 - t0) / 90.0).ceil() as usize).clamp(6, 24);
    let dt = (t1 - t0) / n as f64;
    let at = |t: f64| reach_at(threat, site, kin, decision_time_s, rotation, t);
    // Only the first and last feasible grid points matter: scan in from both ends.
    let (first, e) = (0..=n).find_map(|i| at(t0 + dt * i as f64).map(|p| (i, p)))?;
    let (last, l) = (first..=n).rev().find_map(|i| at(t0 + dt * i as f64).map(|p| (i, p)))?;
    let refine = |mut good: f64, mut bad: f64, mut best: InterceptPoint| {
        while (good - bad).abs() > 0.5 {
            let mid = 0.5 * (good + bad);
            match at(mid) {
                Some(p) => {
                    good = mid;
                    best = p;
                }
                None => bad = mid,
            }
        }
        best
    };
    let earliest = if first == 0 { e } else { refine(e.t_s, t0 + dt * (first - 1) as f64, e) };
    let latest = if last == n { l } else { refine(l.t_s, t0 + dt * (last + 1) as f64, l) };
    Some(InterceptWindow { earliest, latest })
}

/// The position of a straight-up shot's peak for a given burnout speed (for sanity checks), m:
/// r_max from v²/2 − μ/r = −μ/r_max, with the burn-phase climb of v·t_b/2 added.
pub fn vertical_reach_m(kin: &InterceptorKinematics) -> f64 {
    let r = MEAN_RADIUS + 0.5 * kin.burnout_speed_m_s * kin.burn_time_s;
    let e = kin.burnout_speed_m_s.powi(2) / 2.0 - GM / r;
    if e >= 0.0 { f64::INFINITY } else { -GM / e - MEAN_RADIUS }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::missile::{Boost, FlightPlan, fly};
    use shieldnet_earth::Geodetic;

    fn threat() -> (Trajectory, EarthRotation) {
        let rot = EarthRotation::at_julian_date(2_455_927.5);
        let plan = FlightPlan::new(EarthModel::full(rot));
        // Iran-like launch towards central Europe.
        let f = fly(
            &Geodetic::from_degrees(35.0, 51.0, 0.0),
            &Geodetic::from_degrees(50.0, 10.0, 0.0),
            0.0,
            &Boost::Staged(crate::missile::Missile::preset("irbm").unwrap()),
            &plan,
        )
        .unwrap();
        (f.trajectory, rot)
    }

    #[test]
    fn a_site_under_the_path_has_a_window_and_faster_interceptors_widen_it() {
        let (tr, rot) = threat();
        // Deveselu, Romania: under the flight path.
        let site = Geodetic::from_degrees(44.08, 24.41, 0.0).to_ecef();
        let slow = InterceptorKinematics {
            burnout_speed_m_s: 3_500.0,
            burn_time_s: 40.0,
            max_range_m: 1_500e3,
            min_alt_m: 70e3,
            max_alt_m: 1_500e3,
        };
        let fast = InterceptorKinematics { burnout_speed_m_s: 4_500.0, ..slow };
        let ws = intercept_window(&tr, &site, &slow, 60.0, &rot).expect("slow window");
        let wf = intercept_window(&tr, &site, &fast, 60.0, &rot).expect("fast window");
        assert!(ws.earliest.t_s <= ws.latest.t_s);
        assert!(wf.earliest.t_s <= ws.earliest.t_s + 0.2);
        assert!(wf.latest.t_s >= ws.latest.t_s - 0.2);
        for p in [ws.earliest, ws.latest, wf.earliest, wf.latest] {
            assert!(p.altitude_m >= 70e3 - 1.0 && p.ground_range_m <= 1_500e3 + 1.0);
            assert!(p.launch_time_s >= 60.0 - 1e-6);
            assert!(p.required_speed_m_s <= 4_500.0);
        }
        // A later launch decision shrinks the window from the front.
        let late = intercept_window(&tr, &site, &fast, 600.0, &rot);
        if let Some(l) = late {
            assert!(l.earliest.t_s >= wf.earliest.t_s);
        }
    }

    #[test]
    fn a_distant_site_cannot_reach() {
        let (tr, rot) = threat();
        let site = Geodetic::from_degrees(-30.0, 140.0, 0.0).to_ecef();
        let kin = InterceptorKinematics {
            burnout_speed_m_s: 3_000.0,
            burn_time_s: 40.0,
            max_range_m: 1_000e3,
            min_alt_m: 70e3,
            max_alt_m: 1_000e3,
        };
        assert!(intercept_window(&tr, &site, &kin, 0.0, &rot).is_none());
    }

    /// The fly-out is a Keplerian arc: a point straight above the site higher than the vertical reach
    /// is unreachable, one below it is reachable.
    #[test]
    fn vertical_reach_bounds_the_overhead_intercept() {
        let kin = InterceptorKinematics {
            burnout_speed_m_s: 3_000.0,
            burn_time_s: 40.0,
            max_range_m: 1e7,
            min_alt_m: 0.0,
            max_alt_m: 1e7,
        };
        let peak = vertical_reach_m(&kin);
        assert!(peak > 400e3 && peak < 600e3, "{peak}");
    }
}
