//! Data sharing between parties: the message set ([`messages`]), covariance intersection
//! ([`covariance_intersection`]) and the fused picture that associates partner tracks with a party's own
//! tracks and fuses them ([`picture`]).
//!
//! A party shares only tracks from its **own** sensors, never fused ones: re-broadcasting fused tracks
//! would feed a partner's data back to it as if it were independent (double counting, "data incest").
//! Because the two parties' tracks of one object still share the same prior dynamics and may share
//! process noise, their errors are correlated by an unknown amount; covariance intersection is the
//! default fusion rule since it stays consistent for any such correlation.
//!
//! ```
//! use nalgebra::{Matrix2, Vector2};
//! use shieldnet_fusion::covariance_intersection::fuse;
//! let (x, p, w) = fuse(&Vector2::new(0.0, 0.0), &Matrix2::new(1.0, 0.0, 0.0, 4.0),
//!                      &Vector2::new(1.0, 1.0), &Matrix2::new(4.0, 0.0, 0.0, 1.0));
//! assert!((w - 0.5).abs() < 1e-6 && (p[(0, 0)] - 1.6).abs() < 1e-6 && (x[0] - 0.2).abs() < 1e-6);
//! ```

pub mod association;
pub mod covariance_intersection;
pub mod eigen;
pub mod messages;
pub mod picture;
mod products;
pub mod rules;

pub use messages::{
    Body, DetectionLook, EngagementAnnouncement, EngagementStatus, KillAssessment, LaunchNotice, Message,
    SharedDetection, TimedTrackReport, TrackReport,
};
pub use picture::{FusedTrack, Fuser, PARTNER_ID_BASE};
pub use rules::FusionRule;
