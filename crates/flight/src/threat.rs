//! Threat flight: a simple kinematic boost to a burnout point, then a ballistic coast aimed by Newton
//! iteration so that the missile hits its aim point on the rotating Earth.
//!
//! The boost is a cubic Hermite path in ECEF from rest on the launch pad to the burnout state (position
//! and Earth-relative velocity): enough to give realistic burnout time, altitude and downrange for
//! sensors, without modelling thrust. The coast is integrated in ECI (RK4, point mass + J2 gravity, no
//! drag); the Earth turns underneath, so the aim point is hit where it is at impact time.

use crate::trajectory::{StateEci, Trajectory};
use nalgebra::Vector2;
use shieldnet_earth::constants::GM;
use shieldnet_earth::gravity::{self, GravityModel};
use shieldnet_earth::{EarthRotation, Ecef, Eci, Geodetic, Vec3};

/// The boost phase of a missile type, as the burnout point it reaches.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BoostSpec {
    /// Boost duration, s.
    pub burnout_time_s: f64,
    /// Altitude at burnout, m.
    pub burnout_altitude_m: f64,
    /// Ground distance from the launch point to the burnout point, m.
    pub burnout_downrange_m: f64,
}

/// Why a threat trajectory could not be flown.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FlightError {
    /// Launch and aim points (nearly) coincide.
    #[error("launch and aim points are {0:.1} km apart; a ballistic shot needs at least 1 km")]
    CoincidentPoints(f64),
    /// Launch and aim points are (nearly) antipodal: the trajectory plane is undefined.
    #[error("launch and aim points are nearly antipodal ({0:.2}° apart); the trajectory plane is undefined")]
    Antipodal(f64),
    /// The boost would carry the missile past the middle of its range.
    #[error(
        "burnout downrange {burnout_km:.0} km is more than half the {range_km:.0} km ground range; shorten the boost"
    )]
    BoostTooLong {
        /// Burnout downrange, km.
        burnout_km: f64,
        /// Launch-to-aim ground range, km.
        range_km: f64,
    },
    /// An input is outside its valid domain.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The aiming iteration did not converge.
    #[error("could not aim the coast at the target: miss {miss_km:.1} km after {iterations} iterations")]
    NoConvergence {
        /// Remaining miss distance, km.
        miss_km: f64,
        /// Iterations done.
        iterations: u32,
    },
}

/// Coast integration step, s.
const COAST_STEP_S: f64 = 2.0;
/// Boost sampling step, s.
const BOOST_STEP_S: f64 = 1.0;
/// Aiming tolerance, m.
const AIM_TOLERANCE_M: f64 = 20.0;

/// Flies a ballistic missile from `launch` to `aim`, launched at `launch_time_s`; the coast is a
/// minimum-energy-like arc (burnout flight-path angle from the spherical closed form).
pub fn fly_threat(
    launch: &Geodetic,
    aim: &Geodetic,
    launch_time_s: f64,
    boost: &BoostSpec,
    rotation: &EarthRotation,
) -> Result<Trajectory, FlightError> {
    validate(launch, aim, launch_time_s, boost)?;
    let mean_r = shieldnet_earth::constants::MEAN_RADIUS;
    let psi = launch.central_angle_to(aim);
    if psi * mean_r < 1_000.0 {
        return Err(FlightError::CoincidentPoints(psi * mean_r / 1e3));
    }
    if psi > std::f64::consts::PI - 0.02 {
        return Err(FlightError::Antipodal(psi.to_degrees()));
    }
    if boost.burnout_downrange_m > 0.5 * psi * mean_r {
        return Err(FlightError::BoostTooLong {
            burnout_km: boost.burnout_downrange_m / 1e3,
            range_km: psi * mean_r / 1e3,
        });
    }
    let mut burnout = great_circle_point(launch, aim, boost.burnout_downrange_m / mean_r / psi);
    burnout.alt_m = boost.burnout_altitude_m;
    let t_burnout = launch_time_s + boost.burnout_time_s;
    let r_b = burnout.to_ecef();
    let aim_surface = Geodetic { alt_m: 0.0, ..*aim };
    let aim_ecef = aim_surface.to_ecef();

    // Initial guess from the spherical, non-rotating closed form (bmd-field.md §4.4).
    let psi_rem = burnout.central_angle_to(aim);
    let r1 = r_b.norm();
    let r2 = aim_ecef.norm();
    let gamma = 0.5 * psi_rem.sin().atan2(r1 / r2 - psi_rem.cos());
    let nu =
        (1.0 - psi_rem.cos()) / ((r1 / r2) * gamma.cos().powi(2) - (psi_rem + gamma).cos() * gamma.cos());
    let mut params = Vector2::new((nu * GM / r1).sqrt(), initial_bearing(&burnout, aim));

    let residual = |p: &Vector2<f64>| -> Result<(Vector2<f64>, Vec<StateEci>), FlightError> {
        let (pos, vel) = burnout_state_eci(&burnout, &r_b, p[0], gamma, p[1], t_burnout, rotation);
        let coast = integrate_coast(pos, vel, t_burnout, rotation)?;
        let last = coast[coast.len() - 1];
        let impact = rotation.eci_to_ecef(&last.pos, last.t_s);
        let enu = impact.to_enu(&aim_surface).0;
        Ok((Vector2::new(enu.x, enu.y), coast))
    };

    let mut iterations = 0;
    loop {
        let (res, coast) = residual(&params)?;
        if res.norm() < AIM_TOLERANCE_M {
            let boost_samples = boost_samples(launch, &r_b, &coast[0], launch_time_s, t_burnout, rotation);
            let mut samples = boost_samples;
            samples.extend_from_slice(&coast);
            return Ok(Trajectory::new(samples, t_burnout));
        }
        iterations += 1;
        if iterations > 25 || !res.norm().is_finite() {
            return Err(FlightError::NoConvergence { miss_km: res.norm() / 1e3, iterations });
        }
        let steps = [0.5, 1e-5];
        let mut jac = nalgebra::Matrix2::zeros();
        for (k, h) in steps.iter().enumerate() {
            let mut p = params;
            p[k] += h;
            let (r, _) = residual(&p)?;
            jac.set_column(k, &((r - res) / *h));
        }
        let Some(inv) = jac.try_inverse() else {
            return Err(FlightError::NoConvergence { miss_km: res.norm() / 1e3, iterations });
        };
        let mut delta = -(inv * res);
        // Keep speed steps modest so the iteration never throws the coast into orbit.
        let cap = 0.2 * params[0];
        if delta[0].abs() > cap {
            delta *= cap / delta[0].abs();
        }
        params += delta;
    }
}

fn validate(launch: &Geodetic, aim: &Geodetic, t0: f64, boost: &BoostSpec) -> Result<(), FlightError> {
    for (name, g) in [("launch", launch), ("aim", aim)] {
        let lat_ok = g.lat_rad.is_finite() && g.lat_rad.abs() <= std::f64::consts::FRAC_PI_2;
        if !lat_ok || !g.lon_rad.is_finite() {
            return Err(FlightError::InvalidInput(format!(
                "{name} latitude {:.3}° is outside [-90, 90]",
                g.lat_rad.to_degrees()
            )));
        }
    }
    let positive = [
        ("burnout time", boost.burnout_time_s),
        ("burnout altitude", boost.burnout_altitude_m),
        ("burnout downrange", boost.burnout_downrange_m),
    ];
    for (name, v) in positive {
        if !(v > 0.0 && v.is_finite()) {
            return Err(FlightError::InvalidInput(format!("{name} must be positive, got {v}")));
        }
    }
    if !t0.is_finite() {
        return Err(FlightError::InvalidInput("launch time is not finite".into()));
    }
    Ok(())
}

/// The point a fraction `f` of the way along the great circle from `a` to `b` (spherical slerp).
fn great_circle_point(a: &Geodetic, b: &Geodetic, f: f64) -> Geodetic {
    let unit = |g: &Geodetic| {
        Vec3::new(g.lat_rad.cos() * g.lon_rad.cos(), g.lat_rad.cos() * g.lon_rad.sin(), g.lat_rad.sin())
    };
    let (ua, ub) = (unit(a), unit(b));
    let omega = ua.dot(&ub).clamp(-1.0, 1.0).acos();
    let p = (ua * ((1.0 - f) * omega).sin() + ub * (f * omega).sin()) / omega.sin();
    Geodetic { lat_rad: p.z.clamp(-1.0, 1.0).asin(), lon_rad: p.y.atan2(p.x), alt_m: 0.0 }
}

/// Initial great-circle bearing from `a` to `b`, rad clockwise from north.
fn initial_bearing(a: &Geodetic, b: &Geodetic) -> f64 {
    let dlon = b.lon_rad - a.lon_rad;
    let y = dlon.sin() * b.lat_rad.cos();
    let x = a.lat_rad.cos() * b.lat_rad.sin() - a.lat_rad.sin() * b.lat_rad.cos() * dlon.cos();
    y.atan2(x)
}

/// The inertial burnout state for an Earth-relative speed, flight-path angle and azimuth.
fn burnout_state_eci(
    burnout: &Geodetic,
    r_b: &Ecef,
    speed: f64,
    gamma: f64,
    azimuth: f64,
    t: f64,
    rotation: &EarthRotation,
) -> (Eci, Eci) {
    let [e, n, u] = burnout.enu_axes();
    let v_rel = (e * azimuth.sin() + n * azimuth.cos()) * (speed * gamma.cos()) + u * (speed * gamma.sin());
    rotation.ecef_state_to_eci(r_b, &Ecef(v_rel), t)
}

/// RK4 coast in ECI until the geodetic altitude reaches zero; the last sample is on the surface.
fn integrate_coast(
    pos: Eci,
    vel: Eci,
    t0: f64,
    rotation: &EarthRotation,
) -> Result<Vec<StateEci>, FlightError> {
    let mut out = Vec::with_capacity(1200);
    let mut s = StateEci { t_s: t0, pos, vel };
    out.push(s);
    let max_steps = (4.0 * 3600.0 / COAST_STEP_S) as usize;
    for _ in 0..max_steps {
        let next = rk4_step(&s, COAST_STEP_S);
        if altitude(&next, rotation) <= 0.0 {
            // Bisect the step for the surface crossing.
            let (mut lo, mut hi) = (0.0, COAST_STEP_S);
            for _ in 0..40 {
                let mid = 0.5 * (lo + hi);
                if altitude(&rk4_step(&s, mid), rotation) > 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            if hi > 1e-9 {
                out.push(rk4_step(&s, hi));
            }
            return Ok(out);
        }
        s = next;
        out.push(s);
    }
    Err(FlightError::InvalidInput(
        "the coast did not come back to the surface within 4 h (orbital speed)".into(),
    ))
}

fn altitude(s: &StateEci, rotation: &EarthRotation) -> f64 {
    rotation.eci_to_ecef(&s.pos, s.t_s).to_geodetic().alt_m
}

fn rk4_step(s: &StateEci, h: f64) -> StateEci {
    let acc = |r: &Vec3| gravity::acceleration(r, GravityModel::J2);
    let (r0, v0) = (s.pos.0, s.vel.0);
    let k1v = acc(&r0);
    let k1r = v0;
    let k2v = acc(&(r0 + k1r * (h / 2.0)));
    let k2r = v0 + k1v * (h / 2.0);
    let k3v = acc(&(r0 + k2r * (h / 2.0)));
    let k3r = v0 + k2v * (h / 2.0);
    let k4v = acc(&(r0 + k3r * h));
    let k4r = v0 + k3v * h;
    StateEci {
        t_s: s.t_s + h,
        pos: Eci(r0 + (k1r + k2r * 2.0 + k3r * 2.0 + k4r) * (h / 6.0)),
        vel: Eci(v0 + (k1v + k2v * 2.0 + k3v * 2.0 + k4v) * (h / 6.0)),
    }
}

/// Boost samples: a cubic Hermite path in ECEF from rest at the launch point to the burnout state.
fn boost_samples(
    launch: &Geodetic,
    r_b: &Ecef,
    burnout: &StateEci,
    t0: f64,
    tb: f64,
    rotation: &EarthRotation,
) -> Vec<StateEci> {
    let p0 = Geodetic { alt_m: launch.alt_m.max(0.0), ..*launch }.to_ecef().0;
    let (_, v_rel_b) = rotation.eci_state_to_ecef(&burnout.pos, &burnout.vel, tb);
    let p1 = r_b.0;
    let v1 = v_rel_b.0;
    let h = tb - t0;
    let n = (h / BOOST_STEP_S).ceil().max(1.0) as usize;
    (0..n)
        .map(|i| {
            let t = t0 + h * i as f64 / n as f64;
            let u = (t - t0) / h;
            let (u2, u3) = (u * u, u * u * u);
            let mut pos =
                p0 * (2.0 * u3 - 3.0 * u2 + 1.0) + p1 * (-2.0 * u3 + 3.0 * u2) + v1 * (h * (u3 - u2));
            let vel = p0 * ((6.0 * u2 - 6.0 * u) / h)
                + p1 * ((-6.0 * u2 + 6.0 * u) / h)
                + v1 * (3.0 * u2 - 2.0 * u);
            let g = Ecef(pos).to_geodetic();
            if g.alt_m < 0.0 {
                pos = Geodetic { alt_m: 0.0, ..g }.to_ecef().0;
            }
            let (pe, ve) = rotation.ecef_state_to_eci(&Ecef(pos), &Ecef(vel), t);
            StateEci { t_s: t, pos: pe, vel: ve }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rot() -> EarthRotation {
        EarthRotation::at_julian_date(2_457_175.0)
    }

    fn mrbm() -> BoostSpec {
        BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 }
    }

    #[test]
    fn hits_the_aim_point_on_the_rotating_earth() {
        let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
        for aim in [Geodetic::from_degrees(44.43, 26.10, 0.0), Geodetic::from_degrees(45.04, 38.98, 0.0)] {
            let traj = fly_threat(&launch, &aim, 30.0, &mrbm(), &rot()).unwrap();
            let end = traj.geodetic_at(traj.impact_time_s(), &rot()).unwrap();
            let miss = end.to_ecef().0 - aim.to_ecef().0;
            assert!(miss.norm() < 100.0, "miss {} m", miss.norm());
            assert!(end.alt_m.abs() < 1.0);
            // Burnout state where the boost spec puts it.
            let b = traj.geodetic_at(30.0 + 110.0, &rot()).unwrap();
            assert!((b.alt_m - 100e3).abs() < 1.0);
            assert!(
                (launch.central_angle_to(&b) * shieldnet_earth::constants::MEAN_RADIUS - 120e3).abs() < 500.0
            );
        }
    }

    #[test]
    fn coast_matches_closed_form_minimum_energy_flight_time_on_a_non_rotating_earth() {
        // A 2,000 km class shot. With rotation off and J2 small, the flight time of the coast from burnout
        // must be close to the spherical closed form (bmd-field.md §4.4) for the same range angle.
        let launch = Geodetic::from_degrees(0.0, 0.0, 0.0);
        let aim = Geodetic::from_degrees(0.0, 18.0, 0.0);
        let traj = fly_threat(&launch, &aim, 0.0, &mrbm(), &EarthRotation::non_rotating()).unwrap();
        let coast_t = traj.impact_time_s() - traj.burnout_time_s();
        let b = traj.state_at(traj.burnout_time_s()).unwrap();
        let r1 = b.pos.0.norm();
        let v = b.vel.0.norm();
        let nu = v * v * r1 / GM;
        let a = r1 / (2.0 - nu);
        let sin_g = b.pos.0.dot(&b.vel.0) / (r1 * v);
        let cos_g = (1.0 - sin_g * sin_g).sqrt();
        let e = (1.0 - nu * (2.0 - nu) * cos_g * cos_g).sqrt();
        // Eccentric anomaly at burnout and at impact radius (equatorial radius).
        let ecc_anom = |r: f64| ((1.0 - r / a) / e).clamp(-1.0, 1.0).acos();
        let n = (GM / a.powi(3)).sqrt();
        let m = |ea: f64| ea - e * ea.sin();
        let r2 = shieldnet_earth::constants::WGS84_A;
        let t_up = (m(std::f64::consts::PI) - m(ecc_anom(r1))) / n;
        let t_down = (m(std::f64::consts::PI) - m(ecc_anom(r2))) / n;
        let kepler = t_up + t_down;
        assert!((coast_t - kepler).abs() / kepler < 0.01, "coast {coast_t} s vs Kepler {kepler} s");
    }

    #[test]
    fn rejects_coincident_and_antipodal_points() {
        let a = Geodetic::from_degrees(10.0, 10.0, 0.0);
        assert!(matches!(fly_threat(&a, &a, 0.0, &mrbm(), &rot()), Err(FlightError::CoincidentPoints(_))));
        let anti = Geodetic::from_degrees(-10.0, -170.0, 0.0);
        assert!(matches!(fly_threat(&a, &anti, 0.0, &mrbm(), &rot()), Err(FlightError::Antipodal(_))));
    }

    #[test]
    fn interpolation_is_continuous_and_consistent_with_velocity() {
        let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
        let aim = Geodetic::from_degrees(39.93, 32.86, 0.0);
        let traj = fly_threat(&launch, &aim, 0.0, &mrbm(), &rot()).unwrap();
        for t in [50.0, 200.3, 400.7] {
            let a = traj.state_at(t).unwrap();
            let b = traj.state_at(t + 0.01).unwrap();
            let fd = (b.pos.0 - a.pos.0) / 0.01;
            assert!((fd - a.vel.0).norm() < 1.0, "t={t}: {} vs {}", fd, a.vel.0);
        }
        assert!(traj.state_at(-1.0).is_none());
    }
}
