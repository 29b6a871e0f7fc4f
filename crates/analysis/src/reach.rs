//! The reach model: for one (site, threat trajectory) pair, the Earth-relative burnout speed an
//! interceptor needs to meet the threat at each instant of a fixed time grid, given the time it may
//! launch (commit time). One [`ReachProfile`] serves every delay and every burnout speed.
//!
//! # Model
//! - The boost is an impulse at mid-burn (as in `flight::interceptor`): the coast starts at the site's
//!   inertial position at t_L + t_b/2 with Earth-relative speed ≤ v_bo.
//! - The coast is a Keplerian arc (point-mass gravity) found by Izzo's Lambert solver, short way,
//!   never a straight line; it must leave the site climbing, which keeps it above the surface.
//! - For an intercept at t_i the coast time τ is free in [t_b/2, τ_a], τ_a = t_i − t_commit − t_b/2.
//!   s(τ) is the Earth-relative departure speed of the arc. The model takes τ_ref, the inertial
//!   minimum-energy (Lagrange) time of the geometry (closed form, no iteration), as the
//!   energy-optimal coast and needs
//!   `s(τ_ref)` if τ_a ≥ τ_ref (the interceptor waits, or wastes energy), otherwise
//!   `max(s(τ_a), s(τ_ref))` (it launches at commit and flies as long as it can).
//! - A point is reachable with burnout speed v when the needed speed is ≤ v and the intercept lies in
//!   the altitude band (height above the ellipsoid along the radius) and within the ground range
//!   limit (great circle on the mean sphere).
//!
//! # Monotonicity (why the sweep never contradicts itself)
//! The time grid is fixed (threat burnout + k·step) and independent of speed and delay. For a grid
//! point the needed speed does not depend on v, so feasibility can only grow with v. Against delay:
//! s(τ) is quasi-convex in τ (falls to a minimum near the minimum-energy time, then rises), so
//! `max(s(τ_a), s(τ_ref))` never falls as τ_a shrinks, whatever τ_ref is; hence a later commit never
//! lowers the needed speed. The property tests in `tests/monotone.rs` check both on real trajectories.

use serde::Serialize;
use shieldnet_earth::constants::{GM, MEAN_RADIUS};
use shieldnet_earth::{EarthRotation, Ecef, Eci, Geodetic};
use shieldnet_flight::Trajectory;
use shieldnet_flight::interceptor::min_energy_time;
use shieldnet_flight::lambert::{Way, lambert};

/// Interceptor envelope shared by all burnout speeds of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Envelope {
    /// Burn time, s (the boost is an impulse at half of it).
    pub burn_time_s: f64,
    /// Lowest intercept altitude, m (exo-atmospheric kill vehicle).
    pub min_alt_m: f64,
    /// Highest intercept altitude, m (f64::INFINITY: no limit beyond kinematics).
    pub max_alt_m: f64,
    /// Largest ground range from the site to the intercept point, m (INFINITY: no limit).
    pub max_range_m: f64,
}

impl Default for Envelope {
    fn default() -> Self {
        Self { burn_time_s: 40.0, min_alt_m: 70e3, max_alt_m: f64::INFINITY, max_range_m: f64::INFINITY }
    }
}

/// Why a grid instant is out of the envelope regardless of speed and delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PointLimit {
    /// Inside the envelope.
    None,
    /// Threat below the lowest intercept altitude.
    TooLow,
    /// Threat above the highest intercept altitude.
    TooHigh,
    /// Threat beyond the ground range limit.
    TooFar,
    /// No climbing Keplerian arc reaches it.
    NoArc,
    /// Even the energy-optimal arc needs more than the profile's speed cap.
    OverCap,
}

/// One instant of the grid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridPoint {
    /// Intercept time, s.
    pub t_s: f64,
    /// Threat position, inertial.
    pub pos: Eci,
    /// Threat velocity, inertial.
    pub vel: Eci,
    /// Threat altitude, m.
    pub altitude_m: f64,
    /// Great-circle ground range from the site (mean sphere), m.
    pub ground_range_m: f64,
    /// Envelope limit, if any.
    pub limit: PointLimit,
    /// Energy-optimal coast time τ_ref, s.
    pub tau_ref_s: f64,
    /// Earth-relative speed needed with coast τ_ref, m/s (INFINITY: none).
    pub speed_ref_m_s: f64,
}

/// The needed speed at one grid instant for one commit time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Need {
    /// Earth-relative burnout speed needed, m/s (INFINITY: unreachable at any speed).
    pub speed_m_s: f64,
    /// Coast time of the arc flown, s.
    pub coast_s: f64,
    /// Interceptor launch time, s.
    pub launch_time_s: f64,
}

/// A threat trajectory seen from one site: grid instants with their envelope limits and
/// energy-optimal needed speeds.
#[derive(Debug, Clone)]
pub struct ReachProfile {
    site: Ecef,
    rotation: EarthRotation,
    envelope: Envelope,
    points: Vec<GridPoint>,
}

/// Earth-relative departure speed of the short-way Keplerian arc from the site (impulse at
/// `t_i − tau`) to `target` at `t_i`, or INFINITY if there is none or it does not climb.
pub fn departure_speed(site: &Ecef, target: &Eci, t_i: f64, tau: f64, rotation: &EarthRotation) -> f64 {
    if !(tau > 0.0) {
        return f64::INFINITY;
    }
    let r1 = rotation.ecef_to_eci(site, t_i - tau);
    let Ok(arc) = lambert(&r1, target, tau, Way::Short, GM) else {
        return f64::INFINITY;
    };
    let rel = arc.v1.0 - rotation.omega_vec().cross(&r1.0);
    if rel.dot(&r1.0) <= 0.0 || !rel.norm().is_finite() {
        return f64::INFINITY;
    }
    rel.norm()
}

/// The energy-optimal coast: the inertial minimum-energy (Lagrange) transfer from the site to
/// `target` at `t_i`, with the site's departure position made consistent with the transfer time by
/// fixed-point passes. Returns (τ_ref, Earth-relative departure speed, or INFINITY if the arc does
/// not climb), with the velocity in closed form (Lagrange f and g of the minimum-energy ellipse,
/// p = r₁r₂(1 − cos Δν)/c): no iteration of Lambert's problem.
pub fn min_energy_departure(site: &Ecef, target: &Eci, t_i: f64, rotation: &EarthRotation) -> (f64, f64) {
    let r2v = target.0;
    let r2 = r2v.norm();
    let mut tau = 0.0;
    let mut r1v = rotation.ecef_to_eci(site, t_i).0;
    for _ in 0..5 {
        tau = min_energy_time(r1v.norm(), r2, (r2v - r1v).norm());
        r1v = rotation.ecef_to_eci(site, t_i - tau).0;
    }
    let r1 = r1v.norm();
    let c = (r2v - r1v).norm();
    let cos_dnu = (r1v.dot(&r2v) / (r1 * r2)).clamp(-1.0, 1.0);
    let sin_dnu = r1v.cross(&r2v).norm() / (r1 * r2);
    if !(c > 0.0) || !(sin_dnu > 1e-9) {
        return (tau, f64::INFINITY);
    }
    let p = r1 * r2 * (1.0 - cos_dnu) / c;
    let f = 1.0 - r2 / p * (1.0 - cos_dnu);
    let g = r1 * r2 * sin_dnu / (GM * p).sqrt();
    let v1 = (r2v - r1v * f) / g;
    let rel = v1 - rotation.omega_vec().cross(&r1v);
    if rel.dot(&r1v) <= 0.0 || !rel.norm().is_finite() {
        return (tau, f64::INFINITY);
    }
    // The fixed point leaves τ and the departure point consistent to well under a millisecond; the
    // 1 cm/s added keeps the reference at or above the Lambert speed of the same arc, which the
    // monotonicity argument needs.
    (tau, rel.norm() + 0.01)
}

/// Height above the WGS-84 ellipsoid along the geocentric radius, m (within metres of the geodetic
/// height at the altitudes that matter here; needs no rotation since |r| and z are frame-invariant).
pub fn radial_altitude_m(r: &shieldnet_earth::Vec3) -> f64 {
    use shieldnet_earth::constants::{WGS84_A, WGS84_E2};
    let n = r.norm();
    let s2 = (r.z / n).powi(2);
    n - WGS84_A * ((1.0 - WGS84_E2) / (1.0 - WGS84_E2 * (1.0 - s2))).sqrt()
}

/// Ground range between two Earth-fixed points on the mean sphere, m.
pub fn ground_range_m(a: &Ecef, b: &Ecef) -> f64 {
    let c = (a.0.dot(&b.0) / (a.0.norm() * b.0.norm())).clamp(-1.0, 1.0);
    c.acos() * MEAN_RADIUS
}

impl ReachProfile {
    /// Samples `threat` every `step_s` from its burnout to its impact (the grid is burnout + k·step,
    /// k ≥ 1) and computes, for each instant, the envelope limit and the energy-optimal needed speed.
    /// Instants whose energy-optimal speed exceeds `speed_cap_m_s` need more than the cap at any
    /// commit time and are marked [`PointLimit::OverCap`]; use INFINITY to keep every instant.
    pub fn new(
        threat: &Trajectory,
        site: &Geodetic,
        envelope: &Envelope,
        rotation: &EarthRotation,
        step_s: f64,
        speed_cap_m_s: f64,
    ) -> Self {
        let site_ecef = site.to_ecef();
        let t0 = threat.burnout_time_s();
        let t1 = threat.impact_time_s();
        let step = if step_s > 0.0 { step_s } else { 10.0 };
        let n = if t1 > t0 { ((t1 - t0) / step).floor() as usize } else { 0 };
        let half_burn = 0.5 * envelope.burn_time_s;
        let mut points = Vec::with_capacity(n);
        for k in 1..=n {
            let t = t0 + step * k as f64;
            let Some(st) = threat.state_at(t) else { continue };
            let altitude_m = radial_altitude_m(&st.pos.0);
            let site_eci = rotation.ecef_to_eci(&site_ecef, t).0;
            let cosang = (st.pos.0.dot(&site_eci) / (st.pos.0.norm() * site_eci.norm())).clamp(-1.0, 1.0);
            let ground = cosang.acos() * MEAN_RADIUS;
            let limit = if altitude_m < envelope.min_alt_m {
                PointLimit::TooLow
            } else if altitude_m > envelope.max_alt_m {
                PointLimit::TooHigh
            } else if ground > envelope.max_range_m {
                PointLimit::TooFar
            } else {
                PointLimit::None
            };
            let (mut tau_ref, mut speed_ref) = (f64::NAN, f64::INFINITY);
            let mut limit = limit;
            if limit == PointLimit::None {
                let (tau, speed) = min_energy_departure(&site_ecef, &st.pos, t, rotation);
                if tau < half_burn {
                    // Too close for a coast that long: the shortest allowed coast is the reference.
                    tau_ref = half_burn;
                    speed_ref = departure_speed(&site_ecef, &st.pos, t, half_burn, rotation);
                } else {
                    (tau_ref, speed_ref) = (tau, speed);
                }
                if !speed_ref.is_finite() {
                    limit = PointLimit::NoArc;
                } else if speed_ref > speed_cap_m_s {
                    limit = PointLimit::OverCap;
                }
            }
            points.push(GridPoint {
                t_s: t,
                pos: st.pos,
                vel: st.vel,
                altitude_m,
                ground_range_m: ground,
                limit,
                tau_ref_s: tau_ref,
                speed_ref_m_s: speed_ref,
            });
        }
        Self { site: site_ecef, rotation: *rotation, envelope: *envelope, points }
    }

    /// The grid instants.
    pub fn points(&self) -> &[GridPoint] {
        &self.points
    }

    /// The site, Earth-fixed.
    pub fn site(&self) -> &Ecef {
        &self.site
    }

    /// Needed speed at grid instant `i` if the interceptor may launch from `commit_time_s` on
    /// (INFINITY when out of the envelope or above the profile's speed cap: exact for every speed up
    /// to the cap).
    pub fn need(&self, i: usize, commit_time_s: f64) -> Need {
        let p = &self.points[i];
        let half_burn = 0.5 * self.envelope.burn_time_s;
        let tau_a = p.t_s - commit_time_s - half_burn;
        let none = Need { speed_m_s: f64::INFINITY, coast_s: f64::NAN, launch_time_s: f64::NAN };
        if p.limit != PointLimit::None || tau_a < half_burn {
            return none;
        }
        if tau_a >= p.tau_ref_s {
            return Need {
                speed_m_s: p.speed_ref_m_s,
                coast_s: p.tau_ref_s,
                launch_time_s: p.t_s - p.tau_ref_s - half_burn,
            };
        }
        let s = departure_speed(&self.site, &p.pos, p.t_s, tau_a, &self.rotation);
        Need { speed_m_s: s.max(p.speed_ref_m_s), coast_s: tau_a, launch_time_s: commit_time_s }
    }

    /// Needed speeds at every grid instant for one commit time.
    pub fn needs(&self, commit_time_s: f64) -> Vec<Need> {
        (0..self.points.len()).map(|i| self.need(i, commit_time_s)).collect()
    }
}

/// Outcome for one burnout speed, from the needs of one commit time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Index of the earliest feasible grid instant.
    pub earliest: usize,
    /// Index of the latest feasible grid instant.
    pub latest: usize,
}

/// The feasible window of a burnout speed: first and last grid instants whose need is at most
/// `speed_m_s` (feasible instants in between may have gaps).
pub fn window(needs: &[Need], speed_m_s: f64) -> Option<Window> {
    let earliest = needs.iter().position(|n| n.speed_m_s <= speed_m_s)?;
    let latest = needs.iter().rposition(|n| n.speed_m_s <= speed_m_s)?;
    Some(Window { earliest, latest })
}
