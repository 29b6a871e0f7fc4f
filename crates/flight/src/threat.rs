//! Threat flight for the world: a simple kinematic boost to a burnout point given by a scenario's
//! missile type, then a ballistic coast flown with the flight crate's physics — Lambert targeting on
//! the rotating Earth (minimum-energy arc from the burnout point) and an adaptive Dormand–Prince coast
//! under point-mass + J2 gravity in ECI, with the aim point corrected until the impact lands within
//! 20 m of the target.
//!
//! The boost is a cubic Hermite path in ECEF from rest on the launch pad to the burnout state (position
//! and Earth-relative velocity): enough to give realistic burnout time, altitude and downrange for
//! sensors, without modelling thrust (see [`crate::missile`] for a flown staged boost). No drag acts
//! on the coast (a [`BoostSpec`] carries no ballistic coefficient).

use crate::coast::{CoastOptions, DragPhase, coast_to_impact};
use crate::lambert::Way;
use crate::missile::validate_pair;
use crate::targeting::{Shape, kepler_aim, kepler_aim_with_time};
use crate::trajectory::{StateEci, Trajectory};
use crate::{EarthModel, Figure, FlightError};
use shieldnet_earth::gravity::GravityModel;
use shieldnet_earth::{EarthRotation, Ecef, Geodetic, Vec3};

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

/// Boost sampling step, s.
const BOOST_STEP_S: f64 = 1.0;
/// Aiming tolerance, m.
const AIM_TOLERANCE_M: f64 = 20.0;
/// Aim-point corrections allowed.
const MAX_ITERATIONS: u32 = 12;

/// Longest step between stored trajectory samples, s.
const SAMPLE_STEP_MAX_S: f64 = 5.0;

/// Flies a ballistic missile from `launch` to `aim`, launched at `launch_time_s`: kinematic boost to
/// the burnout point, then the minimum-energy coast (WGS-84, rotating Earth, J2) that hits the aim
/// point within 20 m.
pub fn fly_threat(
    launch: &Geodetic,
    aim: &Geodetic,
    launch_time_s: f64,
    boost: &BoostSpec,
    rotation: &EarthRotation,
) -> Result<Trajectory, FlightError> {
    let model = EarthModel {
        figure: Figure::Wgs84,
        rotation: *rotation,
        gravity: GravityModel::J2,
        atmosphere: false,
    };
    validate_pair(&model, launch, aim)?;
    validate(launch_time_s, boost)?;
    let mean_r = shieldnet_earth::constants::MEAN_RADIUS;
    let psi = launch.central_angle_to(aim);
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
    let r_b_eci = rotation.ecef_to_eci(&r_b, t_burnout);
    let aim_surface = Geodetic { alt_m: 0.0, ..*aim };
    let aim_ecef = aim_surface.to_ecef();
    let [east, north, _] = aim_surface.enu_axes();
    let opts = CoastOptions::fast();
    let mut virtual_aim = aim_ecef;
    let mut coast = Vec::with_capacity(128);
    let mut miss = f64::INFINITY;
    let mut last_tof: Option<f64> = None;
    for _ in 0..MAX_ITERATIONS {
        let k = match last_tof {
            Some(tof) => kepler_aim_with_time(&model, &r_b_eci, t_burnout, &virtual_aim, tof, Way::Short)?,
            None => kepler_aim(&model, &r_b_eci, t_burnout, &virtual_aim, Shape::MinimumEnergy, Way::Short)?,
        };
        last_tof = Some(k.flight_time_s);
        let start = StateEci { t_s: t_burnout, pos: r_b_eci, vel: k.vel };
        coast.clear();
        coast.push(start);
        let end = coast_to_impact(&model, None, DragPhase::Always, &start, 0.0, &opts, Some(&mut coast))?;
        let impact = rotation.eci_to_ecef(&end.end.pos, end.end.t_s);
        let d = impact.0 - aim_ecef.0;
        let horiz: Vec3 = east * d.dot(&east) + north * d.dot(&north);
        miss = horiz.norm();
        if miss < AIM_TOLERANCE_M {
            // Fly the converged coast once more with short steps, so that sensors and filters reading
            // the sampled trajectory through Hermite interpolation see it to well under a metre.
            let mut dense = CoastOptions::fast();
            dense.integrator.h_max = SAMPLE_STEP_MAX_S;
            coast.clear();
            coast.push(start);
            coast_to_impact(&model, None, DragPhase::Always, &start, 0.0, &dense, Some(&mut coast))?;
            let mut samples = boost_samples(launch, &r_b, &coast[0], launch_time_s, t_burnout, rotation);
            samples.extend_from_slice(&coast);
            return Ok(Trajectory::new(samples, t_burnout));
        }
        let mut g = Ecef(virtual_aim.0 - horiz).to_geodetic();
        g.alt_m = 0.0;
        virtual_aim = g.to_ecef();
    }
    Err(FlightError::NoConvergence { miss_m: miss, iterations: MAX_ITERATIONS })
}

fn validate(t0: f64, boost: &BoostSpec) -> Result<(), FlightError> {
    let positive = [
        ("burnout time (s)", boost.burnout_time_s),
        ("burnout altitude (m)", boost.burnout_altitude_m),
        ("burnout downrange (m)", boost.burnout_downrange_m),
    ];
    for (name, v) in positive {
        if !(v > 0.0 && v.is_finite()) {
            return Err(FlightError::InvalidParameter { name, value: v, reason: "must be positive" });
        }
    }
    if !t0.is_finite() {
        return Err(FlightError::InvalidParameter {
            name: "launch time (s)",
            value: t0,
            reason: "must be finite",
        });
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
    use shieldnet_earth::constants::GM;

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
        assert!(matches!(
            fly_threat(&a, &a, 0.0, &mrbm(), &rot()),
            Err(FlightError::CoincidentPoints { .. })
        ));
        let anti = Geodetic::from_degrees(-10.0, -170.0, 0.0);
        assert!(matches!(
            fly_threat(&a, &anti, 0.0, &mrbm(), &rot()),
            Err(FlightError::AntipodalPoints { .. })
        ));
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
