//! The response: threat evaluation ([`threat`]), engagement feasibility from a simple interceptor fly-out
//! ([`feasibility`]), one-round-per-threat engagement planning with an optimal assignment ([`planner`]),
//! and the deconfliction rule that keeps cooperating parties from engaging one threat twice
//! ([`coordination`]).
//!
//! ```
//! use shieldnet_engagement::feasibility::{InterceptorKinematics, flyout_time_s};
//! let kin = InterceptorKinematics::example();
//! // Boost covers ½·v·t_b; beyond that the interceptor coasts at burnout speed.
//! let t = flyout_time_s(0.5 * 3000.0 * 40.0 + 300e3, &kin);
//! assert!((t - 140.0).abs() < 1e-9);
//! ```

pub mod coordination;
pub mod feasibility;
pub mod planner;
pub mod threat;
pub mod wta;

pub use feasibility::{EngagementWindow, InterceptOpportunity, InterceptorKinematics};
pub use threat::{DefendedAsset, ThreatAssessment};
