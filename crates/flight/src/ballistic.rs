//! Closed-form Keplerian ballistic arcs over a spherical, non-rotating Earth with burnout and re-entry
//! at the same radius (Bate, Mueller & White 1971, ch. 6; shared/reference/bmd-field.md §4.4). These
//! are the textbook results analysts check the simulator against, and the starting guesses for the
//! numerical targeting.
//!
//! ```
//! use shieldnet_flight::ballistic::minimum_energy;
//! let arc = minimum_energy(10_000e3 / 6_371_008.8, 6_371_008.8, 3.986_004_418e14).unwrap();
//! assert!((arc.burnout_speed_m_s - 7_198.0).abs() < 5.0);
//! ```

use crate::FlightError;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// A symmetric ballistic arc (burnout and re-entry at radius r).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BallisticArc {
    /// Central range angle Ψ, rad.
    pub range_angle_rad: f64,
    /// Burnout (and re-entry) radius, m.
    pub radius_m: f64,
    /// Burnout speed, m/s.
    pub burnout_speed_m_s: f64,
    /// Flight-path angle above the local horizontal at burnout, rad.
    pub flight_path_angle_rad: f64,
    /// Free-flight time, s.
    pub flight_time_s: f64,
    /// Apogee radius, m.
    pub apogee_radius_m: f64,
    /// Semi-major axis, m.
    pub semi_major_axis_m: f64,
    /// Eccentricity.
    pub eccentricity: f64,
}

impl BallisticArc {
    /// Apogee altitude above the burnout radius, m.
    pub fn apogee_altitude_m(&self) -> f64 {
        self.apogee_radius_m - self.radius_m
    }
}

fn check_range(psi: f64, r: f64) -> Result<(), FlightError> {
    if !(psi > 0.0 && psi < 2.0 * PI) {
        return Err(FlightError::InvalidParameter {
            name: "range angle",
            value: psi,
            reason: "must lie in (0, 2π) rad",
        });
    }
    if !(r > 0.0 && r.is_finite()) {
        return Err(FlightError::InvalidParameter { name: "radius", value: r, reason: "must be positive" });
    }
    Ok(())
}

/// The arc from ν = v²r/μ and γ (symmetric, r₁ = r₂).
fn arc_from(psi: f64, r: f64, nu: f64, gamma: f64, mu: f64) -> Result<BallisticArc, FlightError> {
    let v = (nu * mu / r).sqrt();
    if nu >= 2.0 {
        return Err(FlightError::Escapes { speed_m_s: v, escape_m_s: (2.0 * mu / r).sqrt() });
    }
    let a = r / (2.0 - nu);
    let e = (1.0 - nu * (2.0 - nu) * gamma.cos().powi(2)).max(0.0).sqrt();
    let cos_e1 = ((1.0 - r / a) / e).clamp(-1.0, 1.0);
    let e1 = cos_e1.acos();
    let t = 2.0 * (a * a * a / mu).sqrt() * (PI - e1 + e * e1.sin());
    Ok(BallisticArc {
        range_angle_rad: psi,
        radius_m: r,
        burnout_speed_m_s: v,
        flight_path_angle_rad: gamma,
        flight_time_s: t,
        apogee_radius_m: a * (1.0 + e),
        semi_major_axis_m: a,
        eccentricity: e,
    })
}

/// The minimum-energy arc for range angle Ψ: γ* = π/4 − Ψ/4, ν* = 2 sin(Ψ/2)/(1 + sin(Ψ/2)).
pub fn minimum_energy(range_angle_rad: f64, radius_m: f64, mu: f64) -> Result<BallisticArc, FlightError> {
    check_range(range_angle_rad, radius_m)?;
    let s = (range_angle_rad / 2.0).sin();
    let nu = 2.0 * s / (1.0 + s);
    arc_from(range_angle_rad, radius_m, nu, PI / 4.0 - range_angle_rad / 4.0, mu)
}

/// The arc for range angle Ψ flown at flight-path angle γ (the hit equation with r₁ = r₂).
pub fn for_flight_path_angle(
    range_angle_rad: f64,
    gamma_rad: f64,
    radius_m: f64,
    mu: f64,
) -> Result<BallisticArc, FlightError> {
    check_range(range_angle_rad, radius_m)?;
    if !(gamma_rad > 0.0 && gamma_rad < PI / 2.0) {
        return Err(FlightError::InvalidParameter {
            name: "flight-path angle",
            value: gamma_rad,
            reason: "must lie in (0, 90°)",
        });
    }
    let c = gamma_rad.cos();
    let nu = (1.0 - range_angle_rad.cos()) / (c * c - (range_angle_rad + gamma_rad).cos() * c);
    if !(nu > 0.0) {
        return Err(FlightError::InvalidParameter {
            name: "flight-path angle",
            value: gamma_rad,
            reason: "no ballistic arc at this angle for this range",
        });
    }
    arc_from(range_angle_rad, radius_m, nu, gamma_rad, mu)
}

/// The two arcs (depressed, lofted) for range angle Ψ at burnout speed v:
/// sin(2γ + Ψ/2) = (2 − ν)/ν · sin(Ψ/2).
pub fn for_speed(
    range_angle_rad: f64,
    speed_m_s: f64,
    radius_m: f64,
    mu: f64,
) -> Result<(BallisticArc, BallisticArc), FlightError> {
    check_range(range_angle_rad, radius_m)?;
    let nu = speed_m_s * speed_m_s * radius_m / mu;
    let min = minimum_energy(range_angle_rad, radius_m, mu)?;
    if nu >= 2.0 {
        return Err(FlightError::Escapes { speed_m_s, escape_m_s: (2.0 * mu / radius_m).sqrt() });
    }
    if speed_m_s < min.burnout_speed_m_s {
        return Err(FlightError::CannotReach { speed_m_s, minimum_m_s: min.burnout_speed_m_s });
    }
    let k = ((2.0 - nu) / nu * (range_angle_rad / 2.0).sin()).min(1.0);
    let low = 0.5 * (k.asin() - range_angle_rad / 2.0);
    let high = 0.5 * (PI - k.asin() - range_angle_rad / 2.0);
    if low <= 0.0 {
        return Err(FlightError::BelowSurface { min_altitude_m: f64::NAN });
    }
    Ok((
        arc_from(range_angle_rad, radius_m, nu, low, mu)?,
        arc_from(range_angle_rad, radius_m, nu, high, mu)?,
    ))
}

/// The (lofted or depressed) arc for range angle Ψ with apogee radius r_a:
/// e = (r_a − r)/(r cos f₁ + r_a), f₁ = π − Ψ/2, a = r_a/(1 + e), v² = μ(2/r − 1/a).
pub fn for_apogee(
    range_angle_rad: f64,
    apogee_radius_m: f64,
    radius_m: f64,
    mu: f64,
) -> Result<BallisticArc, FlightError> {
    check_range(range_angle_rad, radius_m)?;
    if !(apogee_radius_m > radius_m) {
        return Err(FlightError::InfeasibleApogee {
            apogee_m: apogee_radius_m - radius_m,
            reason: "apogee must be above burnout",
        });
    }
    let f1 = PI - range_angle_rad / 2.0;
    let e = (apogee_radius_m - radius_m) / (radius_m * f1.cos() + apogee_radius_m);
    if !(0.0..1.0).contains(&e) {
        return Err(FlightError::InfeasibleApogee {
            apogee_m: apogee_radius_m - radius_m,
            reason: "too low to span this range on a ballistic arc",
        });
    }
    let a = apogee_radius_m / (1.0 + e);
    let v2 = mu * (2.0 / radius_m - 1.0 / a);
    let nu = v2 * radius_m / mu;
    // Flight-path angle from the angular momentum h = √(μ a (1 − e²)) = r v cos γ.
    let h = (mu * a * (1.0 - e * e)).sqrt();
    let gamma = (h / (radius_m * v2.sqrt())).clamp(-1.0, 1.0).acos();
    arc_from(range_angle_rad, radius_m, nu, gamma, mu)
}

/// Largest range angle reachable with burnout speed v: Ψ_max = 2 asin(ν/(2 − ν)) (π when ν ≥ 1).
pub fn max_range_angle(speed_m_s: f64, radius_m: f64, mu: f64) -> f64 {
    let nu = speed_m_s * speed_m_s * radius_m / mu;
    if nu >= 1.0 { PI } else { 2.0 * (nu / (2.0 - nu)).asin() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::constants::{GM, MEAN_RADIUS};

    #[test]
    fn minimum_energy_satisfies_the_hit_equation_and_the_optimal_angle() {
        for km in [300.0, 1_000.0, 3_000.0, 10_000.0, 15_000.0] {
            let psi = km * 1e3 / MEAN_RADIUS;
            let me = minimum_energy(psi, MEAN_RADIUS, GM).unwrap();
            let via_gamma = for_flight_path_angle(psi, me.flight_path_angle_rad, MEAN_RADIUS, GM).unwrap();
            assert!((via_gamma.burnout_speed_m_s - me.burnout_speed_m_s).abs() < 1e-6);
            // The minimum-energy arc is also the one found from its own apogee.
            let via_apo = for_apogee(psi, me.apogee_radius_m, MEAN_RADIUS, GM).unwrap();
            assert!((via_apo.burnout_speed_m_s - me.burnout_speed_m_s).abs() < 1e-6);
            assert!((via_apo.flight_time_s - me.flight_time_s).abs() < 1e-6);
            // Inverse: Ψ_max at ν* is Ψ.
            assert!((max_range_angle(me.burnout_speed_m_s, MEAN_RADIUS, GM) - psi).abs() < 1e-12);
        }
    }

    /// Independent numbers computed by hand from the formulas in bmd-field.md §4.4 for Ψ = 90°:
    /// ν* = 2 sin45°/(1 + sin45°) = 0.828427; γ* = 22.5°.
    #[test]
    fn quarter_earth_arc() {
        let me = minimum_energy(PI / 2.0, MEAN_RADIUS, GM).unwrap();
        let nu = me.burnout_speed_m_s.powi(2) * MEAN_RADIUS / GM;
        assert!((nu - 0.828_427_124_746).abs() < 1e-9);
        assert!((me.flight_path_angle_rad.to_degrees() - 22.5).abs() < 1e-12);
    }

    #[test]
    fn speed_gives_a_depressed_and_a_lofted_arc() {
        let psi = 8_000e3 / MEAN_RADIUS;
        let me = minimum_energy(psi, MEAN_RADIUS, GM).unwrap();
        let (lo, hi) = for_speed(psi, me.burnout_speed_m_s * 1.03, MEAN_RADIUS, GM).unwrap();
        assert!(lo.flight_path_angle_rad < me.flight_path_angle_rad);
        assert!(hi.flight_path_angle_rad > me.flight_path_angle_rad);
        assert!(lo.flight_time_s < me.flight_time_s && hi.flight_time_s > me.flight_time_s);
        assert!(matches!(for_speed(psi, 3_000.0, MEAN_RADIUS, GM), Err(FlightError::CannotReach { .. })));
        assert!(matches!(for_speed(psi, 12_000.0, MEAN_RADIUS, GM), Err(FlightError::Escapes { .. })));
    }
}
