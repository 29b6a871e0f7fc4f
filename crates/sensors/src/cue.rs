//! Cues: a window of the sky where another sensor (an infrared satellite) says a target is, which a
//! radar searches instead of its whole volume.
//!
//! In the search radar equation the SNR of a target is proportional to the time spent per beam,
//! i.e. to the frame time divided by the solid angle searched (Skolnik §2.13: SNR ∝ P_av·A_e·t_s /
//! (Ω·R⁴)). Searching a cue window of solid angle Ω_c instead of the full volume Ω_s in the same
//! frame time multiplies the dwell per beam, and with it the SNR, by Ω_s/Ω_c (capped by the radar's
//! energy budget `max_cue_dwell_gain`), and divides the resolution cells, and with them the false
//! alarms, by the same ratio. Targets outside the window are not looked at.

use serde::{Deserialize, Serialize};
use shieldnet_earth::LookAngles;

/// A circular window of directions in a radar's local frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cue {
    /// Azimuth of the window centre, rad clockwise from north.
    pub az_rad: f64,
    /// Elevation of the window centre, rad.
    pub el_rad: f64,
    /// Angular radius of the window, rad.
    pub half_angle_rad: f64,
}

impl Cue {
    /// Solid angle of the window, sr: 2π(1 − cos w).
    pub fn solid_angle_sr(&self) -> f64 {
        std::f64::consts::TAU * (1.0 - self.half_angle_rad.cos())
    }

    /// Angle between the window centre and a direction, rad.
    pub fn offset_rad(&self, la: &LookAngles) -> f64 {
        let unit = |az: f64, el: f64| {
            let (se, ce) = el.sin_cos();
            let (sa, ca) = az.sin_cos();
            [ce * sa, ce * ca, se]
        };
        let a = unit(self.az_rad, self.el_rad);
        let b = unit(la.az_rad, la.el_rad);
        (a[0] * b[0] + a[1] * b[1] + a[2] * b[2]).clamp(-1.0, 1.0).acos()
    }

    /// Whether a direction falls inside the window.
    pub fn contains(&self, la: &LookAngles) -> bool {
        self.offset_rad(la) <= self.half_angle_rad
    }

    /// A random direction uniform over the window (for false alarms), from two uniforms in [0, 1).
    pub fn sample(&self, u1: f64, u2: f64) -> (f64, f64) {
        // Uniform on the spherical cap around the pole, then rotated to the centre.
        let cos_t = 1.0 - u1 * (1.0 - self.half_angle_rad.cos());
        let sin_t = (1.0 - cos_t * cos_t).max(0.0).sqrt();
        let psi = std::f64::consts::TAU * u2;
        let local = [sin_t * psi.cos(), sin_t * psi.sin(), cos_t];
        // Basis: c = centre, e1 = up-ish perpendicular, e2 = c × e1.
        let (se, ce) = self.el_rad.sin_cos();
        let (sa, ca) = self.az_rad.sin_cos();
        let c = [ce * sa, ce * ca, se];
        let e1 = [-se * sa, -se * ca, ce];
        let e2 = [c[1] * e1[2] - c[2] * e1[1], c[2] * e1[0] - c[0] * e1[2], c[0] * e1[1] - c[1] * e1[0]];
        let v: [f64; 3] = std::array::from_fn(|k| local[0] * e1[k] + local[1] * e2[k] + local[2] * c[k]);
        let az = v[0].atan2(v[1]).rem_euclid(std::f64::consts::TAU);
        (az, v[2].clamp(-1.0, 1.0).asin())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solid_angle_and_sampling_stay_inside_the_window() {
        let c = Cue { az_rad: 1.9, el_rad: 0.2, half_angle_rad: 0.05 };
        // Small cap: ≈ π w² = 7.8520e-3 sr (exact 2π(1 − cos 0.05) = 7.85235e-3).
        assert!((c.solid_angle_sr() - 7.852_35e-3).abs() < 1e-7);
        for i in 0..50 {
            for j in 0..10 {
                let (az, el) = c.sample(i as f64 / 50.0, j as f64 / 10.0);
                let la = LookAngles { range_m: 1.0, az_rad: az, el_rad: el };
                assert!(c.offset_rad(&la) <= c.half_angle_rad + 1e-12);
            }
        }
        // u1 = 1 lands on the rim.
        let (az, el) = c.sample(1.0, 0.3);
        let la = LookAngles { range_m: 1.0, az_rad: az, el_rad: el };
        assert!((c.offset_rad(&la) - 0.05).abs() < 1e-9);
    }
}
