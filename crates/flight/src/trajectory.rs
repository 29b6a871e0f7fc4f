//! A flown trajectory as time-ordered inertial samples with cubic Hermite interpolation.

use serde::{Deserialize, Serialize};
use shieldnet_earth::{EarthRotation, Ecef, Eci, Geodetic};

/// One inertial state sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StateEci {
    /// Time since the scenario epoch, s.
    pub t_s: f64,
    /// Position, m.
    pub pos: Eci,
    /// Velocity, m/s.
    pub vel: Eci,
}

/// A trajectory from launch to impact, sampled in ECI; positions between samples are interpolated with
/// cubic Hermite polynomials (exact to the integrator's accuracy for the smooth coast).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    samples: Vec<StateEci>,
    burnout_time_s: f64,
}

impl Trajectory {
    /// Builds a trajectory from time-ordered samples (at least two, strictly increasing times).
    pub fn new(samples: Vec<StateEci>, burnout_time_s: f64) -> Self {
        debug_assert!(samples.len() >= 2);
        debug_assert!(samples.windows(2).all(|w| w[1].t_s > w[0].t_s));
        Self { samples, burnout_time_s }
    }

    /// Launch time, s.
    pub fn launch_time_s(&self) -> f64 {
        self.samples[0].t_s
    }

    /// Burnout (end of boost) time, s.
    pub fn burnout_time_s(&self) -> f64 {
        self.burnout_time_s
    }

    /// Impact time, s.
    pub fn impact_time_s(&self) -> f64 {
        self.samples[self.samples.len() - 1].t_s
    }

    /// The samples.
    pub fn samples(&self) -> &[StateEci] {
        &self.samples
    }

    /// Interpolated state at `t_s`, or `None` outside [launch, impact].
    pub fn state_at(&self, t_s: f64) -> Option<StateEci> {
        let s = &self.samples;
        if !(t_s >= s[0].t_s && t_s <= s[s.len() - 1].t_s) {
            return None;
        }
        let i = match s.binary_search_by(|x| x.t_s.total_cmp(&t_s)) {
            Ok(i) => return Some(s[i]),
            Err(i) => i - 1,
        };
        let (a, b) = (&s[i], &s[i + 1]);
        let h = b.t_s - a.t_s;
        let u = (t_s - a.t_s) / h;
        let (u2, u3) = (u * u, u * u * u);
        let h00 = 2.0 * u3 - 3.0 * u2 + 1.0;
        let h10 = u3 - 2.0 * u2 + u;
        let h01 = -2.0 * u3 + 3.0 * u2;
        let h11 = u3 - u2;
        let pos = a.pos.0 * h00 + a.vel.0 * (h10 * h) + b.pos.0 * h01 + b.vel.0 * (h11 * h);
        let d00 = (6.0 * u2 - 6.0 * u) / h;
        let d10 = 3.0 * u2 - 4.0 * u + 1.0;
        let d01 = (-6.0 * u2 + 6.0 * u) / h;
        let d11 = 3.0 * u2 - 2.0 * u;
        let vel = a.pos.0 * d00 + a.vel.0 * d10 + b.pos.0 * d01 + b.vel.0 * d11;
        Some(StateEci { t_s, pos: Eci(pos), vel: Eci(vel) })
    }

    /// Earth-fixed position and velocity at `t_s`.
    pub fn ecef_at(&self, t_s: f64, rotation: &EarthRotation) -> Option<(Ecef, Ecef)> {
        self.state_at(t_s).map(|s| rotation.eci_state_to_ecef(&s.pos, &s.vel, t_s))
    }

    /// Geodetic position at `t_s`.
    pub fn geodetic_at(&self, t_s: f64, rotation: &EarthRotation) -> Option<Geodetic> {
        self.ecef_at(t_s, rotation).map(|(p, _)| p.to_geodetic())
    }
}
