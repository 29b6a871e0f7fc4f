//! Errors of the flight crate. Every message names the problem and, where it helps, the limit broken.

use crate::integrate::IntegrateError;
use crate::lambert::LambertError;
use thiserror::Error;

/// Why a trajectory could not be computed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum FlightError {
    /// A latitude outside [−90°, 90°] (or not finite).
    #[error("{what} latitude {value_deg}° is out of range [-90, 90]")]
    LatitudeOutOfRange {
        /// Which point ("launch", "aim", "site").
        what: &'static str,
        /// The value given, degrees.
        value_deg: f64,
    },
    /// A longitude that is not finite (any finite value is wrapped).
    #[error("{what} longitude {value_deg} is not a finite number")]
    LongitudeInvalid {
        /// Which point.
        what: &'static str,
        /// The value given, degrees.
        value_deg: f64,
    },
    /// Launch and aim points coincide.
    #[error("launch and aim points coincide (ground range {range_m:.1} m): nothing to fly")]
    CoincidentPoints {
        /// Their ground separation, m.
        range_m: f64,
    },
    /// Launch and aim points are (nearly) antipodal: every great circle joins them.
    #[error(
        "launch and aim points are antipodal (range angle {angle_deg:.3}°): the trajectory plane is undefined"
    )]
    AntipodalPoints {
        /// Range angle, degrees.
        angle_deg: f64,
    },
    /// The burnout speed is too low to reach the aim point.
    #[error(
        "burnout speed {speed_m_s:.1} m/s cannot reach the aim point: at least {minimum_m_s:.1} m/s is needed"
    )]
    CannotReach {
        /// Speed asked, m/s.
        speed_m_s: f64,
        /// Least speed that reaches, m/s.
        minimum_m_s: f64,
    },
    /// The speed (or the arc asked for) escapes the Earth.
    #[error("burnout speed {speed_m_s:.1} m/s escapes the Earth (escape speed {escape_m_s:.1} m/s)")]
    Escapes {
        /// Speed asked or needed, m/s.
        speed_m_s: f64,
        /// Escape speed at burnout, m/s.
        escape_m_s: f64,
    },
    /// The arc asked for dips below the Earth's surface before reaching the aim point.
    #[error("the arc passes below the Earth's surface (lowest altitude {min_altitude_m:.0} m)")]
    BelowSurface {
        /// Lowest altitude on the arc, m.
        min_altitude_m: f64,
    },
    /// The apogee asked for cannot join the two points.
    #[error("apogee altitude {apogee_m:.0} m is infeasible for this range: {reason}")]
    InfeasibleApogee {
        /// Apogee asked, m.
        apogee_m: f64,
        /// Why.
        reason: &'static str,
    },
    /// A parameter out of its valid range.
    #[error("invalid {name} = {value}: {reason}")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// Value given.
        value: f64,
        /// What is allowed.
        reason: &'static str,
    },
    /// The missile's boost cannot supply the velocity the target needs.
    #[error(
        "the booster cannot reach the aim point: {velocity_to_go_m_s:.0} m/s still needed when the last stage burnt out"
    )]
    InsufficientBoost {
        /// Velocity still to be gained at the last stage's burnout, m/s.
        velocity_to_go_m_s: f64,
    },
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
    /// The flown trajectory never came down.
    #[error("the trajectory does not return to the surface within {max_time_s} s")]
    NoImpact {
        /// Flight-time limit, s.
        max_time_s: f64,
    },
    /// The aim-point correction did not converge.
    #[error("targeting did not converge: miss {miss_m:.0} m after {iterations} iterations")]
    NoConvergence {
        /// Last miss distance, m.
        miss_m: f64,
        /// Iterations made.
        iterations: u32,
    },
    /// The Lambert solver failed.
    #[error("Lambert targeting failed: {0}")]
    Lambert(#[from] LambertError),
    /// The integrator failed.
    #[error("integration failed: {0}")]
    Integrate(#[from] IntegrateError),
}
