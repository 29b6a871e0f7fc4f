//! Earth rotation: the angle linking the inertial frame [`Eci`] to the Earth-fixed frame [`Ecef`].
//!
//! shieldnet's ECI frame is the Celestial Intermediate Reference System without precession and
//! nutation (they move the pole by arc-seconds over a scenario's hours, far below what matters for
//! ballistic missile defence): ECEF = R_z(θ(t))·ECI with θ the Earth Rotation Angle (IERS 2010, eq. 5.15).

use crate::constants::OMEGA_EARTH;
use crate::{Ecef, Eci, Vec3};
use serde::{Deserialize, Serialize};

/// The Earth's orientation over a scenario: θ(t) = θ₀ + ω·t, with t in seconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EarthRotation {
    /// Earth rotation angle at the scenario epoch, rad.
    pub theta0_rad: f64,
    /// Rotation rate, rad/s (zero for a non-rotating Earth).
    pub omega_rad_s: f64,
}

impl EarthRotation {
    /// The rotating Earth at a UTC epoch given as a Julian date (UT1 ≈ UTC to within 0.9 s, which moves
    /// the Earth by at most 0.4 km at the equator: irrelevant for scenario geometry).
    pub fn at_julian_date(jd_utc: f64) -> Self {
        let du = jd_utc - 2_451_545.0;
        let frac = 0.779_057_273_264_0 + 1.002_737_811_911_354_5 * du;
        let theta0 = frac.rem_euclid(1.0) * std::f64::consts::TAU;
        Self { theta0_rad: theta0, omega_rad_s: OMEGA_EARTH }
    }

    /// A non-rotating Earth whose ECI and ECEF axes coincide (for textbook comparisons).
    pub fn non_rotating() -> Self {
        Self { theta0_rad: 0.0, omega_rad_s: 0.0 }
    }

    /// Rotation angle θ(t), rad.
    pub fn angle(&self, t_s: f64) -> f64 {
        self.theta0_rad + self.omega_rad_s * t_s
    }

    /// Angular velocity vector (ECI and ECEF alike: along z), rad/s.
    pub fn omega_vec(&self) -> Vec3 {
        Vec3::new(0.0, 0.0, self.omega_rad_s)
    }

    /// ECI position at time t to ECEF.
    pub fn eci_to_ecef(&self, p: &Eci, t_s: f64) -> Ecef {
        Ecef(rot_z(self.angle(t_s), &p.0))
    }

    /// ECEF position at time t to ECI.
    pub fn ecef_to_eci(&self, p: &Ecef, t_s: f64) -> Eci {
        Eci(rot_z(-self.angle(t_s), &p.0))
    }

    /// ECI state (position, velocity) at time t to the ECEF state, including the transport term −ω×r.
    pub fn eci_state_to_ecef(&self, p: &Eci, v: &Eci, t_s: f64) -> (Ecef, Ecef) {
        let r_ecef = rot_z(self.angle(t_s), &p.0);
        let v_rot = rot_z(self.angle(t_s), &v.0);
        (Ecef(r_ecef), Ecef(v_rot - self.omega_vec().cross(&r_ecef)))
    }

    /// ECEF state (position, velocity) at time t to the ECI state, including the transport term +ω×r.
    pub fn ecef_state_to_eci(&self, p: &Ecef, v: &Ecef, t_s: f64) -> (Eci, Eci) {
        let v_inertial_ecef_axes = v.0 + self.omega_vec().cross(&p.0);
        (Eci(rot_z(-self.angle(t_s), &p.0)), Eci(rot_z(-self.angle(t_s), &v_inertial_ecef_axes)))
    }
}

/// ECEF states to ECI along a path sampled at increasing times, mostly at a constant spacing (a
/// predicted trajectory): the rotation at each sample is the previous one turned by ω·Δt (angle
/// addition) instead of a fresh sine and cosine of θ(t). It is re-anchored on an exact sin/cos every
/// [`RotationSweep::ANCHOR_EVERY`] samples and wherever the spacing changes, so the rounding error
/// stays within a few ulps of [`EarthRotation::ecef_state_to_eci`] (tested); it costs one sin/cos per
/// sixteen samples of a regular path instead of one per sample.
#[derive(Debug, Clone)]
pub struct RotationSweep {
    rotation: EarthRotation,
    /// Time of the previous sample, s, if any.
    last_t_s: Option<f64>,
    /// Spacing the step rotation was made for, s.
    step_s: f64,
    /// (sin, cos) of ω·`step_s`.
    step_sin_cos: (f64, f64),
    /// (sin, cos) of θ at the previous sample.
    sin_cos: (f64, f64),
    /// Samples since the last exact anchor.
    since_anchor: u32,
}

impl RotationSweep {
    /// Samples between exact anchors.
    pub const ANCHOR_EVERY: u32 = 16;

    /// A sweep with no sample yet.
    pub fn new(rotation: EarthRotation) -> Self {
        Self {
            rotation,
            last_t_s: None,
            step_s: f64::NAN,
            step_sin_cos: (0.0, 1.0),
            sin_cos: (0.0, 1.0),
            since_anchor: 0,
        }
    }

    /// (sin θ, cos θ) at `t_s`, from the previous sample's by one step when the spacing is the same.
    fn sin_cos_at(&mut self, t_s: f64) -> (f64, f64) {
        let spacing = self.last_t_s.map(|last| t_s - last);
        self.last_t_s = Some(t_s);
        // Same spacing to well under a microsecond: the angle differs from ω·step by < 1e-10 rad·ω.
        let regular = spacing.is_some_and(|d| (d - self.step_s).abs() <= 1e-9 * self.step_s.abs().max(1.0));
        if regular && self.since_anchor + 1 < Self::ANCHOR_EVERY {
            let (s, c) = self.sin_cos;
            let (ds, dc) = self.step_sin_cos;
            self.sin_cos = (s * dc + c * ds, c * dc - s * ds);
            self.since_anchor += 1;
        } else {
            if let Some(d) = spacing.filter(|_| !regular) {
                self.step_s = d;
                self.step_sin_cos = (self.rotation.omega_rad_s * d).sin_cos();
            }
            self.sin_cos = self.rotation.angle(t_s).sin_cos();
            self.since_anchor = 0;
        }
        self.sin_cos
    }

    /// ECEF state (position, velocity) at `t_s` to ECI, as [`EarthRotation::ecef_state_to_eci`];
    /// `t_s` follows the previous call's.
    pub fn ecef_state_to_eci(&mut self, p: &Ecef, v: &Ecef, t_s: f64) -> (Eci, Eci) {
        let (s, c) = self.sin_cos_at(t_s);
        // R_z(−θ): the inverse of `rot_z(θ)`.
        let back = |u: &Vec3| Vec3::new(c * u.x - s * u.y, s * u.x + c * u.y, u.z);
        let v_inertial_ecef_axes = v.0 + self.rotation.omega_vec().cross(&p.0);
        (Eci(back(&p.0)), Eci(back(&v_inertial_ecef_axes)))
    }
}

/// Passive rotation about z: the coordinates of `v` in a frame rotated by `angle`.
fn rot_z(angle: f64, v: &Vec3) -> Vec3 {
    let (s, c) = angle.sin_cos();
    Vec3::new(c * v.x + s * v.y, -s * v.x + c * v.y, v.z)
}

/// Julian date of a UTC calendar instant (proleptic Gregorian; Meeus, Astronomical Algorithms, ch. 7).
pub fn julian_date(year: i32, month: u32, day: u32, hour: u32, minute: u32, second: f64) -> f64 {
    let (y, m) = if month <= 2 { (year - 1, month + 12) } else { (year, month) };
    let a = (y as f64 / 100.0).floor();
    let b = 2.0 - a + (a / 4.0).floor();
    let day_frac = (hour as f64 + minute as f64 / 60.0 + second / 3600.0) / 24.0;
    (365.25 * (y as f64 + 4716.0)).floor() + (30.6001 * (m as f64 + 1.0)).floor() + day as f64 + day_frac + b
        - 1524.5
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Geodetic;

    #[test]
    fn julian_date_of_j2000_and_meeus_example() {
        assert!((julian_date(2000, 1, 1, 12, 0, 0.0) - 2_451_545.0).abs() < 1e-9);
        // Meeus example 7.a: 1957 October 4.81 = JD 2436116.31.
        assert!((julian_date(1957, 10, 4, 19, 26, 24.0) - 2_436_116.31).abs() < 1e-6);
    }

    #[test]
    fn earth_rotation_angle_at_j2000_matches_iers_constant() {
        let r = EarthRotation::at_julian_date(2_451_545.0);
        assert!((r.theta0_rad - 0.779_057_273_264 * std::f64::consts::TAU).abs() < 1e-12);
    }

    #[test]
    fn a_ground_point_is_at_rest_in_ecef_and_moves_at_omega_r_in_eci() {
        let rot = EarthRotation::at_julian_date(2_457_000.3);
        let p = Geodetic::from_degrees(0.0, 10.0, 0.0).to_ecef();
        let (pi, vi) = rot.ecef_state_to_eci(&p, &Ecef(Vec3::zeros()), 100.0);
        // 465.1 m/s eastward at the equator (bmd-field.md §4.5).
        assert!((vi.0.norm() - 465.10).abs() < 0.01, "{}", vi.0.norm());
        let (pe, ve) = rot.eci_state_to_ecef(&pi, &vi, 100.0);
        assert!((pe.0 - p.0).norm() < 1e-6);
        assert!(ve.0.norm() < 1e-9);
    }
    #[test]
    fn a_rotation_sweep_agrees_with_the_direct_conversion_to_a_few_ulps() {
        // A 20-minute path every 4 s from an odd start (times accumulated as the path integrator does),
        // then an off-grid impact sample; positions and velocities of Earth-orbit size.
        let rot = EarthRotation::at_julian_date(2_457_000.3);
        let mut sweep = RotationSweep::new(rot);
        let mut t = 37.3;
        let mut times = vec![];
        for _ in 0..300 {
            times.push(t);
            t += 4.0;
        }
        times.push(t - 1.7);
        let mut worst: f64 = 0.0;
        for (k, &t) in times.iter().enumerate() {
            let p = Ecef(Vec3::new(4.0e6 + 1e3 * k as f64, -3.1e6, 4.2e6 - 2e3 * k as f64));
            let v = Ecef(Vec3::new(-1.5e3, 2.5e3, 3.0e3 - k as f64));
            let (pa, va) = rot.ecef_state_to_eci(&p, &v, t);
            let (pb, vb) = sweep.ecef_state_to_eci(&p, &v, t);
            worst = worst.max((pa.0 - pb.0).norm() / p.0.norm()).max((va.0 - vb.0).norm() / va.0.norm());
        }
        assert!(worst < 2e-15, "largest relative difference {worst:e}");
        assert!(worst > 0.0, "the recurrence is not the direct conversion");
    }
}
