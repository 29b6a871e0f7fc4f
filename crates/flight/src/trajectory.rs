//! A flown trajectory: inertial state samples at the integrator's accepted steps, interpolated by
//! cubic Hermite polynomials (position and velocity at both ends of an interval).

use serde::{Deserialize, Serialize};
use shieldnet_earth::{EarthRotation, Ecef, Eci, Geodetic};

/// ECI state sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StateEci {
    /// Time since the scenario epoch, s.
    pub t_s: f64,
    /// Inertial position, m.
    pub pos: Eci,
    /// Inertial velocity, m/s.
    pub vel: Eci,
}

impl StateEci {
    /// The same state in the Earth-fixed frame (position, Earth-relative velocity).
    pub fn to_ecef(&self, rotation: &EarthRotation) -> (Ecef, Ecef) {
        rotation.eci_state_to_ecef(&self.pos, &self.vel, self.t_s)
    }
}

/// A flown trajectory, sampled; `state_at(t)` interpolates (cubic Hermite) and returns None outside
/// [launch, impact].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    samples: Vec<StateEci>,
    launch_time_s: f64,
    burnout_time_s: f64,
    impact_time_s: f64,
}

impl Trajectory {
    /// Builds a trajectory from time-ordered samples (the first at launch, the last at impact).
    /// Samples out of order or closer than 1 µs are dropped.
    pub fn new(samples: Vec<StateEci>, burnout_time_s: f64) -> Self {
        let mut clean = samples;
        // In place: drops each sample not more than 1 µs after the last one kept (or not comparable).
        clean.dedup_by(|s, kept| s.t_s.partial_cmp(&(kept.t_s + 1e-6)) != Some(std::cmp::Ordering::Greater));
        let launch = clean.first().map_or(0.0, |s| s.t_s);
        let impact = clean.last().map_or(0.0, |s| s.t_s);
        Self { samples: clean, launch_time_s: launch, burnout_time_s, impact_time_s: impact }
    }

    /// Interpolated state at `t_s`, or None outside [launch, impact].
    pub fn state_at(&self, t_s: f64) -> Option<StateEci> {
        if !(t_s >= self.launch_time_s && t_s <= self.impact_time_s) || self.samples.is_empty() {
            return None;
        }
        let i = self.samples.partition_point(|s| s.t_s <= t_s);
        if i == 0 {
            return Some(self.samples[0]);
        }
        if i >= self.samples.len() {
            return self.samples.last().copied();
        }
        Some(hermite(&self.samples[i - 1], &self.samples[i], t_s))
    }

    /// Launch time, s.
    pub fn launch_time_s(&self) -> f64 {
        self.launch_time_s
    }

    /// Burnout time (end of the boost), s.
    pub fn burnout_time_s(&self) -> f64 {
        self.burnout_time_s
    }

    /// Impact time, s.
    pub fn impact_time_s(&self) -> f64 {
        self.impact_time_s
    }

    /// The samples.
    pub fn samples(&self) -> &[StateEci] {
        &self.samples
    }

    /// Earth-fixed position and velocity at `t_s`.
    pub fn ecef_at(&self, t_s: f64, rotation: &EarthRotation) -> Option<(Ecef, Ecef)> {
        self.state_at(t_s).map(|s| rotation.eci_state_to_ecef(&s.pos, &s.vel, t_s))
    }

    /// Geodetic (WGS-84) position at `t_s`.
    pub fn geodetic_at(&self, t_s: f64, rotation: &EarthRotation) -> Option<Geodetic> {
        self.ecef_at(t_s, rotation).map(|(p, _)| p.to_geodetic())
    }
}

/// Cubic Hermite interpolation between two states (position from positions and velocities; velocity
/// as the derivative of the same cubic).
pub fn hermite(a: &StateEci, b: &StateEci, t_s: f64) -> StateEci {
    let h = b.t_s - a.t_s;
    let s = (t_s - a.t_s) / h;
    let (s2, s3) = (s * s, s * s * s);
    let h00 = 2.0 * s3 - 3.0 * s2 + 1.0;
    let h10 = s3 - 2.0 * s2 + s;
    let h01 = -2.0 * s3 + 3.0 * s2;
    let h11 = s3 - s2;
    let pos = a.pos.0 * h00 + a.vel.0 * (h10 * h) + b.pos.0 * h01 + b.vel.0 * (h11 * h);
    let d00 = (6.0 * s2 - 6.0 * s) / h;
    let d10 = 3.0 * s2 - 4.0 * s + 1.0;
    let d01 = (-6.0 * s2 + 6.0 * s) / h;
    let d11 = 3.0 * s2 - 2.0 * s;
    let vel = a.pos.0 * d00 + a.vel.0 * d10 + b.pos.0 * d01 + b.vel.0 * d11;
    StateEci { t_s, pos: Eci(pos), vel: Eci(vel) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::Vec3;

    #[test]
    fn hermite_is_exact_for_cubics_and_bounds_are_respected() {
        // x(t) = t³ − 2t: velocity 3t² − 2.
        let st = |t: f64| StateEci {
            t_s: t,
            pos: Eci(Vec3::new(t.powi(3) - 2.0 * t, 0.0, 0.0)),
            vel: Eci(Vec3::new(3.0 * t * t - 2.0, 0.0, 0.0)),
        };
        let tr = Trajectory::new(vec![st(0.0), st(1.0), st(3.0)], 1.0);
        let s = tr.state_at(2.2).unwrap();
        assert!((s.pos.0.x - st(2.2).pos.0.x).abs() < 1e-12);
        assert!((s.vel.0.x - st(2.2).vel.0.x).abs() < 1e-12);
        assert!(tr.state_at(-0.1).is_none() && tr.state_at(3.1).is_none());
        assert_eq!(tr.state_at(3.0).unwrap().pos, st(3.0).pos);
    }
}
