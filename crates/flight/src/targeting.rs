//! Two-body targeting on the rotating Earth: the burnout velocity that carries a missile from its
//! burnout point to an Earth-fixed aim point, found with Izzo's Lambert solver aimed at where the
//! target *will be* (in inertial space) at impact, for a chosen trajectory shape (minimum energy,
//! given burnout speed, apogee or flight-path angle). The numerical flight (J2, drag) then corrects the
//! aim point (see [`crate::missile`]).

use crate::lambert::{Way, lambert};
use crate::{EarthModel, FlightError};
use serde::{Deserialize, Serialize};
use shieldnet_earth::{Ecef, Eci, Vec3};
use std::f64::consts::PI;

/// The trajectory shape a missile is steered to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Shape {
    /// Least Earth-relative burnout speed (what the booster must supply).
    MinimumEnergy,
    /// A given Earth-relative burnout speed: the depressed (low) or lofted (high) of the two arcs.
    BurnoutSpeed {
        /// Earth-relative burnout speed, m/s.
        speed_m_s: f64,
        /// Take the lofted arc (else the depressed one).
        lofted: bool,
    },
    /// A given apogee altitude above the surface below the burnout point, m.
    Apogee {
        /// Apogee altitude, m.
        altitude_m: f64,
    },
    /// A given flight-path angle of the Earth-relative velocity above the local horizontal, rad.
    FlightPathAngle {
        /// Flight-path angle, rad.
        gamma_rad: f64,
    },
}

/// The Keplerian solution for one aim.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeplerAim {
    /// Free-flight time, s.
    pub flight_time_s: f64,
    /// Inertial burnout velocity, m/s.
    pub vel: Eci,
    /// Earth-relative burnout speed |v − ω×r|, m/s.
    pub relative_speed_m_s: f64,
    /// Flight-path angle of the Earth-relative velocity, rad.
    pub relative_gamma_rad: f64,
    /// Highest radius on the arc, m.
    pub max_radius_m: f64,
    /// The aim point's inertial position at impact.
    pub target: Eci,
}

/// Evaluates the Lambert arc for a flight time.
fn eval(
    model: &EarthModel,
    r_b: &Eci,
    t_b: f64,
    aim: &Ecef,
    way: Way,
    tof: f64,
) -> Result<KeplerAim, FlightError> {
    let target = model.rotation.ecef_to_eci(aim, t_b + tof);
    let arc = lambert(r_b, &target, tof, way, model.mu())?;
    let w = model.rotation.omega_vec();
    let rel = arc.v1.0 - w.cross(&r_b.0);
    let rn = r_b.0.norm();
    let speed = rel.norm();
    let gamma = (rel.dot(&r_b.0) / (rn * speed)).clamp(-1.0, 1.0).asin();
    let max_r = arc_max_radius(model.mu(), &r_b.0, &arc.v1.0, &target.0, way);
    Ok(KeplerAim {
        flight_time_s: tof,
        vel: arc.v1,
        relative_speed_m_s: speed,
        relative_gamma_rad: gamma,
        max_radius_m: max_r,
        target,
    })
}

/// Earth-relative burnout speed of the Lambert arc for a flight time (the minimum-energy search needs
/// nothing else), m/s; infinite where no arc exists.
fn relative_speed(model: &EarthModel, r_b: &Eci, t_b: f64, aim: &Ecef, way: Way, tof: f64) -> f64 {
    let target = model.rotation.ecef_to_eci(aim, t_b + tof);
    match lambert(r_b, &target, tof, way, model.mu()) {
        Ok(arc) => (arc.v1.0 - model.rotation.omega_vec().cross(&r_b.0)).norm(),
        Err(_) => f64::INFINITY,
    }
}

/// Orbit elements needed for arc checks: (a, e, true anomaly of r1).
fn conic(mu: f64, r: &Vec3, v: &Vec3) -> (f64, f64, f64) {
    let rn = r.norm();
    let energy = v.norm_squared() / 2.0 - mu / rn;
    let a = -mu / (2.0 * energy);
    let evec = (r * (v.norm_squared() - mu / rn) - v * r.dot(v)) / mu;
    let e = evec.norm();
    let cosf = if e > 1e-12 { (evec.dot(r) / (e * rn)).clamp(-1.0, 1.0) } else { 1.0 };
    let mut f = cosf.acos();
    if r.dot(v) < 0.0 {
        f = 2.0 * PI - f;
    }
    (a, e, f)
}

/// Transfer angle from r1 to r2 going the given way, rad.
fn transfer_angle(r1: &Vec3, r2: &Vec3, way: Way) -> f64 {
    let c = (r1.dot(r2) / (r1.norm() * r2.norm())).clamp(-1.0, 1.0).acos();
    match way {
        Way::Short => c,
        Way::Long => 2.0 * PI - c,
    }
}

/// Largest radius on the arc from r1 (velocity v1) to r2.
fn arc_max_radius(mu: f64, r1: &Vec3, v1: &Vec3, r2: &Vec3, way: Way) -> f64 {
    let (a, e, f1) = conic(mu, r1, v1);
    let f2 = f1 + transfer_angle(r1, r2, way);
    let passes_apogee = e < 1.0 && a > 0.0 && f1 < PI && f2 > PI;
    if passes_apogee { a * (1.0 + e) } else { r1.norm().max(r2.norm()) }
}

/// Smallest radius on the arc from r1 (velocity v1) to r2.
fn arc_min_radius(mu: f64, r1: &Vec3, v1: &Vec3, r2: &Vec3, way: Way) -> f64 {
    let (a, e, f1) = conic(mu, r1, v1);
    let f2 = f1 + transfer_angle(r1, r2, way);
    let passes_perigee = f2 > 2.0 * PI;
    if passes_perigee { a * (1.0 - e) } else { r1.norm().min(r2.norm()) }
}

/// Brent's minimisation of a unimodal function on [a, b] to tolerance `tol`.
fn brent_min(f: &mut dyn FnMut(f64) -> f64, mut a: f64, mut b: f64, tol: f64) -> f64 {
    const CG: f64 = 0.381_966_011_250_105;
    let mut x = a + CG * (b - a);
    let (mut w, mut v) = (x, x);
    let mut fx = f(x);
    let (mut fw, mut fv) = (fx, fx);
    let (mut d, mut e): (f64, f64) = (0.0, 0.0);
    for _ in 0..100 {
        let xm = 0.5 * (a + b);
        let tol1 = tol;
        let tol2 = 2.0 * tol1;
        if (x - xm).abs() <= tol2 - 0.5 * (b - a) {
            break;
        }
        let mut golden = true;
        if e.abs() > tol1 {
            let r = (x - w) * (fx - fv);
            let mut q = (x - v) * (fx - fw);
            let mut p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            let etemp = e;
            e = d;
            if !(p.abs() >= (0.5 * q * etemp).abs() || p <= q * (a - x) || p >= q * (b - x)) {
                d = p / q;
                let u = x + d;
                if u - a < tol2 || b - u < tol2 {
                    d = tol1.copysign(xm - x);
                }
                golden = false;
            }
        }
        if golden {
            e = if x >= xm { a - x } else { b - x };
            d = CG * e;
        }
        let u = if d.abs() >= tol1 { x + d } else { x + tol1.copysign(d) };
        let fu = f(u);
        if fu <= fx {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            (v, fv, w, fw, x, fx) = (w, fw, x, fx, u, fu);
        } else {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                (v, fv, w, fw) = (w, fw, u, fu);
            } else if fu <= fv || v == x || v == w {
                (v, fv) = (u, fu);
            }
        }
    }
    x
}

/// Root of f on [a, b] (f(a), f(b) of opposite signs) by Illinois regula falsi to `tol` in x.
fn bracket_root(
    f: &mut dyn FnMut(f64) -> f64,
    mut a: f64,
    mut fa: f64,
    mut b: f64,
    mut fb: f64,
    tol: f64,
) -> f64 {
    let mut side = 0;
    for _ in 0..200 {
        if (b - a).abs() < tol {
            break;
        }
        let c = (a * fb - b * fa) / (fb - fa);
        let c = if c.is_finite() && c > a.min(b) && c < a.max(b) { c } else { 0.5 * (a + b) };
        let fc = f(c);
        if fc == 0.0 {
            return c;
        }
        if (fc > 0.0) == (fb > 0.0) {
            b = c;
            fb = fc;
            if side == 1 {
                fa *= 0.5;
            }
            side = 1;
        } else {
            a = c;
            fa = fc;
            if side == -1 {
                fb *= 0.5;
            }
            side = -1;
        }
    }
    if fa.abs() < fb.abs() { a } else { b }
}

/// The Keplerian aim from burnout position `r_b` at time `t_b` to the Earth-fixed point `aim`, for
/// the given shape, going the given way round. Checks that the arc stays above the surface and is
/// sub-orbital.
pub fn kepler_aim(
    model: &EarthModel,
    r_b: &Eci,
    t_b: f64,
    aim: &Ecef,
    shape: Shape,
    way: Way,
) -> Result<KeplerAim, FlightError> {
    let mu = model.mu();
    let rb = r_b.0.norm();
    // Scale for flight times: the non-rotating minimum-energy time for this range angle.
    let aim_now = model.rotation.ecef_to_eci(aim, t_b);
    let psi = transfer_angle(&r_b.0, &aim_now.0, way).max(1e-4);
    let t_ref = crate::ballistic::minimum_energy(psi, rb, mu)?.flight_time_s;
    let ev = |tof: f64| eval(model, r_b, t_b, aim, way, tof);
    let speed =
        |k: &Result<KeplerAim, FlightError>| k.as_ref().map_or(f64::INFINITY, |k| k.relative_speed_m_s);
    let t_me = {
        let mut f = |t: f64| relative_speed(model, r_b, t_b, aim, way, t);
        brent_min(&mut f, 0.3 * t_ref, 2.5 * t_ref, 1e-3)
    };
    let me = ev(t_me)?;
    let escape = (2.0 * mu / rb).sqrt();
    let chosen = match shape {
        Shape::MinimumEnergy => me,
        Shape::BurnoutSpeed { speed_m_s, lofted } => {
            if !(speed_m_s.is_finite() && speed_m_s > 0.0) {
                return Err(FlightError::InvalidParameter {
                    name: "burnout speed (m/s)",
                    value: speed_m_s,
                    reason: "must be positive",
                });
            }
            if speed_m_s < me.relative_speed_m_s {
                return Err(FlightError::CannotReach { speed_m_s, minimum_m_s: me.relative_speed_m_s });
            }
            // Inertial speed ≈ relative + up to ωr; escape is judged on the inertial speed.
            let inertial_max = speed_m_s + model.rotation.omega_rad_s * rb;
            if speed_m_s >= escape || (lofted && inertial_max >= escape) {
                return Err(FlightError::Escapes { speed_m_s, escape_m_s: escape });
            }
            let mut g = |t: f64| speed(&ev(t)) - speed_m_s;
            let (lo, hi) = find_bracket(&mut g, t_me, lofted, t_ref)?;
            let t = bracket_root(&mut g, lo.0, lo.1, hi.0, hi.1, 1e-4);
            ev(t)?
        }
        Shape::Apogee { altitude_m } => {
            let want = model.surface_radius_below(&r_b.0) + altitude_m;
            if !(altitude_m.is_finite() && want > rb) {
                return Err(FlightError::InfeasibleApogee {
                    apogee_m: altitude_m,
                    reason: "apogee must be above burnout",
                });
            }
            let lofted = want > me.max_radius_m;
            let mut g = |t: f64| ev(t).map_or(f64::NAN, |k| k.max_radius_m - want);
            let (lo, hi) =
                find_bracket(&mut g, t_me, lofted, t_ref).map_err(|_| FlightError::InfeasibleApogee {
                    apogee_m: altitude_m,
                    reason: "no sub-orbital arc to the aim point has this apogee",
                })?;
            let t = bracket_root(&mut g, lo.0, lo.1, hi.0, hi.1, 1e-4);
            ev(t)?
        }
        Shape::FlightPathAngle { gamma_rad } => {
            if !(gamma_rad > 0.0 && gamma_rad < PI / 2.0) {
                return Err(FlightError::InvalidParameter {
                    name: "flight-path angle (rad)",
                    value: gamma_rad,
                    reason: "must lie in (0, π/2)",
                });
            }
            let lofted = gamma_rad > me.relative_gamma_rad;
            let mut g = |t: f64| ev(t).map_or(f64::NAN, |k| k.relative_gamma_rad - gamma_rad);
            let (lo, hi) = find_bracket(&mut g, t_me, lofted, t_ref)?;
            let t = bracket_root(&mut g, lo.0, lo.1, hi.0, hi.1, 1e-4);
            ev(t)?
        }
    };
    check_arc(model, r_b, chosen, way)
}

/// The Keplerian aim for a given free-flight time (no shape search): what the aim-point corrections
/// of a minimum-energy flight use after the first pass, where the minimum-energy time is known and the
/// speed is stationary in it. Same checks as [`kepler_aim`].
pub fn kepler_aim_with_time(
    model: &EarthModel,
    r_b: &Eci,
    t_b: f64,
    aim: &Ecef,
    flight_time_s: f64,
    way: Way,
) -> Result<KeplerAim, FlightError> {
    let k = eval(model, r_b, t_b, aim, way, flight_time_s)?;
    check_arc(model, r_b, k, way)
}

/// Sub-orbital and above-surface checks of an arc.
fn check_arc(model: &EarthModel, r_b: &Eci, chosen: KeplerAim, way: Way) -> Result<KeplerAim, FlightError> {
    let mu = model.mu();
    let escape = (2.0 * mu / r_b.0.norm()).sqrt();
    let inertial = chosen.vel.0.norm();
    if inertial >= escape {
        return Err(FlightError::Escapes { speed_m_s: chosen.relative_speed_m_s, escape_m_s: escape });
    }
    let min_r = arc_min_radius(mu, &r_b.0, &chosen.vel.0, &chosen.target.0, way);
    let floor = model.min_surface_radius();
    if min_r < floor - 1.0 {
        return Err(FlightError::BelowSurface { min_altitude_m: min_r - floor });
    }
    Ok(chosen)
}

/// Brackets a sign change of `g` on the depressed (t < t_me) or lofted (t > t_me) side of the
/// minimum-energy time. Returns ((t, g) low, (t, g) high).
#[allow(clippy::type_complexity)]
fn find_bracket(
    g: &mut dyn FnMut(f64) -> f64,
    t_me: f64,
    lofted: bool,
    t_ref: f64,
) -> Result<((f64, f64), (f64, f64)), FlightError> {
    let g_me = g(t_me);
    let mut prev = (t_me, g_me);
    let mut step = 0.05 * t_ref;
    for _ in 0..60 {
        let t = if lofted { prev.0 + step } else { (prev.0 - step).max(prev.0 * 0.5) };
        let gt = g(t);
        if gt.is_finite() && prev.1.is_finite() && (gt > 0.0) != (prev.1 > 0.0) {
            return Ok(if t < prev.0 { ((t, gt), prev) } else { (prev, (t, gt)) });
        }
        if !gt.is_finite() || t > 20.0 * t_ref || t < 1e-3 * t_ref {
            break;
        }
        prev = (t, gt);
        step *= 1.5;
    }
    Err(FlightError::InvalidParameter {
        name: "trajectory shape",
        value: g_me,
        reason: "no arc of this shape joins the burnout and aim points",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ballistic;
    use shieldnet_earth::constants::MEAN_RADIUS;
    use shieldnet_earth::{EarthRotation, Geodetic};

    fn points(model: &EarthModel, lat0: f64, lon0: f64, lat1: f64, lon1: f64) -> (Eci, Ecef) {
        let l = model.to_ecef(&Geodetic::from_degrees(lat0, lon0, 0.0));
        let a = model.to_ecef(&Geodetic::from_degrees(lat1, lon1, 0.0));
        (model.rotation.ecef_to_eci(&l, 0.0), a)
    }

    #[test]
    fn non_rotating_minimum_energy_matches_closed_form() {
        let model = EarthModel::textbook();
        for dlon in [5.0, 30.0, 90.0, 150.0] {
            let (r, a) = points(&model, 0.0, 0.0, 0.0, dlon);
            let k = kepler_aim(&model, &r, 0.0, &a, Shape::MinimumEnergy, Way::Short).unwrap();
            let cf = ballistic::minimum_energy(f64::to_radians(dlon), MEAN_RADIUS, model.mu()).unwrap();
            assert!((k.relative_speed_m_s / cf.burnout_speed_m_s - 1.0).abs() < 1e-7, "{dlon}");
            assert!((k.relative_gamma_rad - cf.flight_path_angle_rad).abs() < 1e-4, "{dlon}");
            assert!((k.flight_time_s / cf.flight_time_s - 1.0).abs() < 1e-4, "{dlon}");
            assert!((k.max_radius_m / cf.apogee_radius_m - 1.0).abs() < 1e-6, "{dlon}");
        }
    }

    #[test]
    fn shapes_match_closed_forms() {
        let model = EarthModel::textbook();
        let (r, a) = points(&model, 10.0, 20.0, 40.0, 80.0);
        let psi = transfer_angle(&r.0, &model.rotation.ecef_to_eci(&a, 0.0).0, Way::Short);
        let (lo, hi) = ballistic::for_speed(psi, 7_000.0, MEAN_RADIUS, model.mu()).unwrap();
        for (arc, lofted) in [(lo, false), (hi, true)] {
            let k = kepler_aim(
                &model,
                &r,
                0.0,
                &a,
                Shape::BurnoutSpeed { speed_m_s: 7_000.0, lofted },
                Way::Short,
            )
            .unwrap();
            assert!((k.relative_gamma_rad - arc.flight_path_angle_rad).abs() < 1e-6);
            assert!((k.flight_time_s - arc.flight_time_s).abs() < 1e-3);
        }
        let apo = ballistic::for_apogee(psi, MEAN_RADIUS + 2_500e3, MEAN_RADIUS, model.mu()).unwrap();
        let k = kepler_aim(&model, &r, 0.0, &a, Shape::Apogee { altitude_m: 2_500e3 }, Way::Short).unwrap();
        assert!((k.relative_speed_m_s - apo.burnout_speed_m_s).abs() < 1e-3);
        let fpa = ballistic::for_flight_path_angle(psi, 0.3, MEAN_RADIUS, model.mu()).unwrap();
        let k =
            kepler_aim(&model, &r, 0.0, &a, Shape::FlightPathAngle { gamma_rad: 0.3 }, Way::Short).unwrap();
        assert!((k.relative_speed_m_s - fpa.burnout_speed_m_s).abs() < 1e-3);
    }

    /// Eastward shots borrow the Earth's rotation (lower Earth-relative burnout speed), westward shots
    /// pay for it — about ±0.3 km/s on 10,000 km equatorial shots (bmd-field.md §4.5).
    #[test]
    fn rotation_helps_eastward_and_hurts_westward_shots() {
        let still = EarthModel::textbook();
        let spin =
            EarthModel::spherical_rotating(EarthRotation { theta0_rad: 0.3, omega_rad_s: 7.292_115e-5 });
        let dlon = 10_000e3 / MEAN_RADIUS;
        let v = |m: &EarthModel, east: bool| {
            let (r, a) = points(m, 0.0, 0.0, 0.0, if east { dlon.to_degrees() } else { -dlon.to_degrees() });
            kepler_aim(m, &r, 0.0, &a, Shape::MinimumEnergy, Way::Short).unwrap().relative_speed_m_s
        };
        let base = v(&still, true);
        let (east, west) = (v(&spin, true), v(&spin, false));
        assert!(east < base - 200.0 && east > base - 450.0, "east {east} base {base}");
        assert!(west > base + 200.0 && west < base + 450.0, "west {west} base {base}");
    }

    #[test]
    fn impossible_asks_are_errors() {
        let model = EarthModel::textbook();
        let (r, a) = points(&model, 0.0, 0.0, 0.0, 60.0);
        let slow = Shape::BurnoutSpeed { speed_m_s: 2_000.0, lofted: false };
        assert!(matches!(
            kepler_aim(&model, &r, 0.0, &a, slow, Way::Short),
            Err(FlightError::CannotReach { .. })
        ));
        let fast = Shape::BurnoutSpeed { speed_m_s: 12_000.0, lofted: false };
        assert!(matches!(
            kepler_aim(&model, &r, 0.0, &a, fast, Way::Short),
            Err(FlightError::Escapes { .. })
        ));
    }
}
