//! The response: threat evaluation ([`threat`], its path integrator in [`ballistic_path`]), engagement feasibility from the gravity fly-out of
//! `shieldnet_flight::interceptor` ([`feasibility`]), the battle manager that assigns interceptors by a
//! static weapon-target assignment ([`battle`], solvers in [`wta`]) under a firing doctrine
//! ([`doctrine`]), sector authority ([`sectors`]), the deconfliction rule that keeps cooperating
//! parties from engaging one threat twice ([`coordination`]).
//!
//! ```
//! use shieldnet_engagement::doctrine::{Doctrine, FirePolicy};
//! let d = Doctrine { reserve_fraction: 0.25, ..Doctrine::default() };
//! assert_eq!(d.reserve_of(24), 6);
//! assert_eq!(d.shots_now(FirePolicy::Salvo), 2);
//! ```

pub mod ballistic_path;
pub mod battle;
pub mod coordination;
pub mod doctrine;
pub mod feasibility;
pub mod planner;
pub mod sectors;
pub mod threat;
pub mod wta;

pub use doctrine::{Doctrine, FirePolicy};
pub use feasibility::{EngagementWindow, InterceptOpportunity, InterceptorKinematics};
pub use sectors::Sector;
pub use threat::{DefendedAsset, ThreatAssessment};
