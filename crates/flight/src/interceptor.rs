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
//!   regula falsi (Illinois) on a feasibility margin to 0.5 s; feasible intervals shorter than the grid spacing can be missed, and if the feasible set
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

/// Scale turning a speed margin into metres (the other margins' unit) for the root finder, s.
const SPEED_MARGIN_SCALE_S: f64 = 100.0;

/// One intercept time tried: a signed margin, ≥ 0 exactly when the intercept is feasible, and the
/// intercept itself when it is.
///
/// The margin is the binding constraint's slack in metres (speed slacks scaled by 100 s). It is
/// continuous wherever one constraint decides feasibility, so the window's ends can be found by
/// regula falsi rather than bisection; only its sign is relied on for correctness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probe<P> {
    /// Signed feasibility margin, m (≥ 0: feasible).
    pub margin: f64,
    /// The intercept when feasible.
    pub point: Option<P>,
}

impl<P> Probe<P> {
    fn infeasible(margin: f64) -> Self {
        Self { margin: margin.min(-f64::MIN_POSITIVE), point: None }
    }

    /// The same probe with its point mapped (e.g. to a caller's own intercept type), made infeasible
    /// (margin −1 m) where `admit` refuses the point.
    pub fn filter_map<Q>(self, f: impl FnOnce(P) -> Option<Q>) -> Probe<Q> {
        match self.point.map(f) {
            Some(Some(q)) => Probe { margin: self.margin, point: Some(q) },
            Some(None) => Probe::infeasible(-1.0),
            None => Probe { margin: self.margin, point: None },
        }
    }
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
    probe_at(threat, site, kin, decision_time_s, rotation, t_i).point
}

/// [`reach_at`] with the feasibility margin (see [`Probe`]): the constraints are checked cheapest
/// first and the first one violated gives the (negative) margin.
pub fn probe_at(
    threat: &Trajectory,
    site: &Ecef,
    kin: &InterceptorKinematics,
    decision_time_s: f64,
    rotation: &EarthRotation,
    t_i: f64,
) -> Probe<InterceptPoint> {
    let Some(st) = threat.state_at(t_i) else { return Probe::infeasible(-1.0) };
    let tau_max = t_i - decision_time_s;
    if tau_max < kin.burn_time_s {
        // No time to burn out: the slack in time, at a nominal 1 km/s.
        return Probe::infeasible((tau_max - kin.burn_time_s) * 1e3);
    }
    let model = EarthModel::full(*rotation);
    let p = st.pos.0;
    let alt = model.altitude(&p);
    let alt_margin = (alt - kin.min_alt_m).min(kin.max_alt_m - alt);
    if alt_margin < 0.0 {
        return Probe::infeasible(alt_margin);
    }
    // Ground range from the angle between the site and the point, taken in the inertial frame at
    // t_i (rotation keeps angles): compared through cosines, the arc cosine only for a kept point.
    let site_eci = rotation.ecef_to_eci(site, t_i).0;
    let cosang = (p.dot(&site_eci) / (p.norm() * site_eci.norm())).clamp(-1.0, 1.0);
    let cos_max = (kin.max_range_m / MEAN_RADIUS).min(PI).cos();
    if cosang < cos_max {
        // Beyond the range limit: the arc excess, m.
        return Probe::infeasible((kin.max_range_m - cosang.acos() * MEAN_RADIUS).min(-1.0));
    }
    let half_burn = 0.5 * kin.burn_time_s;
    // Coast time: minimum-energy if there is time, else as long as possible. The site's distance
    // from the centre does not depend on the time; only the chord needs its inertial position.
    let r1_guess = rotation.ecef_to_eci(site, t_i - tau_max + half_burn).0;
    let t_me = min_energy_time(site.0.norm(), p.norm(), (p - r1_guess).norm());
    let coast = t_me.min(tau_max - half_burn).max(1.0);
    let t_impulse = t_i - coast;
    let r1 = rotation.ecef_to_eci(site, t_impulse);
    let w = rotation.omega_vec();
    // Exact quick rejection: any arc between r1 and p leaves r1 at least at the minimum-energy
    // (a = s/2) inertial speed, and the site's own rotation gives at most |ω×r1| of it.
    let (n1, n2, chord) = (r1.0.norm(), p.norm(), (p - r1.0).norm());
    let v_me = (GM * (2.0 / n1 - 4.0 / (n1 + n2 + chord))).max(0.0).sqrt();
    let bound_margin = kin.burnout_speed_m_s - (v_me - w.cross(&r1.0).norm());
    if bound_margin < 0.0 {
        return Probe::infeasible(bound_margin * SPEED_MARGIN_SCALE_S);
    }
    let Ok(arc) = lambert(&r1, &st.pos, coast, Way::Short, GM) else { return Probe::infeasible(-1.0) };
    let rel = arc.v1.0 - w.cross(&r1.0);
    let speed = rel.norm();
    // Speed slack, and the climb: the arc must leave the site going up.
    let margin = (kin.burnout_speed_m_s - speed).min(rel.dot(&r1.0) / n1) * SPEED_MARGIN_SCALE_S;
    if !(margin > 0.0) {
        return Probe::infeasible(margin);
    }
    let margin = margin.min(alt_margin);
    let point = InterceptPoint {
        t_s: t_i,
        pos: st.pos,
        pos_ecef: rotation.eci_to_ecef(&st.pos, t_i),
        altitude_m: alt,
        ground_range_m: cosang.acos() * MEAN_RADIUS,
        launch_time_s: t_impulse - half_burn,
        fly_out_time_s: coast + half_burn,
        required_speed_m_s: speed,
        closing_speed_m_s: (arc.v2.0 - st.vel.0).norm(),
    };
    Probe { margin: margin.min((kin.max_range_m - point.ground_range_m).max(0.0)), point: Some(point) }
}

/// The first and last feasible points of `probe` over [t0, t1]: probed on a grid of `n` intervals
/// (scanning in from both ends), each end then refined to `tol_s` by the Illinois variant of regula
/// falsi on the margin, which keeps the end bracketed (always correct) and converges much faster
/// than bisection where the margin is smooth. None when no grid point is feasible; feasible
/// intervals shorter than the grid spacing can be missed, and of several disjoint intervals only
/// the first and last points are reported.
pub fn search_window<P: Copy>(
    t0: f64,
    t1: f64,
    n: usize,
    tol_s: f64,
    probe: impl Fn(f64) -> Probe<P>,
) -> Option<(P, P)> {
    let n = n.max(1);
    let dt = (t1 - t0) / n as f64;
    let time = |i: usize| if i == n { t1 } else { t0 + dt * i as f64 };
    // Scan from `from` towards `to` for the first feasible grid point, remembering the margin of
    // the infeasible point just before it (the other side of the bracket).
    let scan = |indices: &mut dyn Iterator<Item = usize>| {
        let mut before: Option<(usize, f64)> = None;
        for i in indices {
            let pr = probe(time(i));
            match pr.point {
                Some(p) => return Some((i, pr.margin, p, before)),
                None => before = Some((i, pr.margin)),
            }
        }
        None
    };
    let (first, m_first, p_first, before_first) = scan(&mut (0..=n))?;
    let (last, m_last, p_last, after_last) = scan(&mut (first..=n).rev())?;
    let earliest = match before_first {
        None => p_first,
        Some((i, bad)) => refine_end((time(first), m_first, p_first), (time(i), bad), tol_s, &probe),
    };
    let latest = match after_last {
        None => p_last,
        Some((i, bad)) => refine_end((time(last), m_last, p_last), (time(i), bad), tol_s, &probe),
    };
    Some((earliest, latest))
}

/// Narrows the bracket between a feasible time `good` and an infeasible one `bad` to `tol_s`;
/// returns the feasible point nearest the boundary.
fn refine_end<P: Copy>(
    good: (f64, f64, P),
    bad: (f64, f64),
    tol_s: f64,
    probe: &impl Fn(f64) -> Probe<P>,
) -> P {
    let (mut tg, mut fg, mut best) = good;
    let (mut tb, mut fb) = bad;
    // Which end was kept last time (+1 good, −1 bad): the Illinois halving of a stagnant end.
    let mut kept = 0i8;
    while (tg - tb).abs() > tol_s {
        let width = (tg - tb).abs();
        let secant = if fg > fb { tb + (tg - tb) * (-fb) / (fg - fb) } else { 0.5 * (tg + tb) };
        // Stay a little inside the bracket, so that a step always shrinks it, and close it from
        // the far side once the estimate is good.
        let (lo, hi) = (tg.min(tb), tg.max(tb));
        let inset = (0.45 * tol_s).min(0.25 * width);
        let t = if secant.is_finite() { secant.clamp(lo + inset, hi - inset) } else { 0.5 * (lo + hi) };
        let pr = probe(t);
        match pr.point {
            Some(p) => {
                (tg, fg, best) = (t, pr.margin.max(0.0), p);
                if kept == 1 {
                    fb *= 0.5;
                }
                kept = 1;
            }
            None => {
                (tb, fb) = (t, pr.margin.min(-f64::MIN_POSITIVE));
                if kept == -1 {
                    fg *= 0.5;
                }
                kept = -1;
            }
        }
    }
    best
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
    let probe = |t: f64| probe_at(threat, site, kin, decision_time_s, rotation, t);
    let (earliest, latest) = search_window(t0, t1, n, 0.5, probe)?;
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

    /// The window's ends agree with a brute-force scan at 0.05 s: the reported ends are feasible and
    /// every time more than 0.5 s outside them (up to the scan's reach) is not.
    #[test]
    fn window_ends_match_a_fine_scan() {
        let (tr, rot) = threat();
        let site = Geodetic::from_degrees(44.08, 24.41, 0.0).to_ecef();
        for speed in [3_500.0, 4_000.0, 4_500.0] {
            let kin = InterceptorKinematics {
                burnout_speed_m_s: speed,
                burn_time_s: 40.0,
                max_range_m: 1_500e3,
                min_alt_m: 70e3,
                max_alt_m: 1_500e3,
            };
            let w = intercept_window(&tr, &site, &kin, 60.0, &rot).expect("window");
            let ok = |t: f64| reach_at(&tr, &site, &kin, 60.0, &rot, t).is_some();
            assert!(ok(w.earliest.t_s) && ok(w.latest.t_s));
            let scan: Vec<f64> = (0..=2_000).map(|i| w.earliest.t_s - 100.0 + 0.05 * i as f64).collect();
            let first = scan.iter().copied().find(|&t| ok(t)).expect("feasible");
            assert!((first - w.earliest.t_s).abs() <= 0.5 + 0.05, "{speed}: {first} vs {}", w.earliest.t_s);
            let scan: Vec<f64> = (0..=2_000).map(|i| w.latest.t_s + 100.0 - 0.05 * i as f64).collect();
            let last = scan.iter().copied().find(|&t| ok(t)).expect("feasible");
            assert!((last - w.latest.t_s).abs() <= 0.5 + 0.05, "{speed}: {last} vs {}", w.latest.t_s);
        }
    }

    /// Regula falsi brackets the ends of a known feasible set, also where the margin jumps.
    #[test]
    fn search_window_finds_known_ends() {
        // Feasible on [123.4, 456.7]: a smooth margin, and one that is only a sign.
        let smooth = |t: f64| {
            let m = (t - 123.4).min(456.7 - t) * (1.0 + 0.01 * t);
            Probe { margin: if m >= 0.0 { m } else { m.min(-1e-300) }, point: (m >= 0.0).then_some(t) }
        };
        let sign = |t: f64| {
            let ok = (123.4..=456.7).contains(&t);
            Probe { margin: if ok { 1.0 } else { -1e6 }, point: ok.then_some(t) }
        };
        for (name, (e, l)) in [
            ("smooth", search_window(0.0, 1_000.0, 12, 0.5, smooth).unwrap()),
            ("sign", search_window(0.0, 1_000.0, 12, 0.5, sign).unwrap()),
        ] {
            assert!(e >= 123.4 && e - 123.4 <= 0.5, "{name}: {e}");
            assert!(l <= 456.7 && 456.7 - l <= 0.5, "{name}: {l}");
        }
        let never = |_t: f64| Probe::<f64> { margin: -1.0, point: None };
        assert!(search_window(0.0, 1_000.0, 12, 0.5, never).is_none());
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
