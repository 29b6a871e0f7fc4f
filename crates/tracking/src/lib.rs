//! Multi-target tracking, one tracker per party on that party's own detections.
//!
//! The pipeline per radar look (a [`shieldnet_sensors::Scan`]): predict every track to the look time
//! with the ballistic motion model ([`motion`]; a tentative track the look cannot concern is predicted
//! later, [`deferred`]), gate detections by Mahalanobis distance, associate
//! with global nearest neighbour solved as an optimal rectangular assignment ([`assignment`]), update
//! with the extended Kalman filter ([`ekf`]) through the radar measurement model ([`measurement`]),
//! count hits and misses for M-of-N confirmation and deletion, and start tentative tracks from
//! unassociated detections ([`tracker`]).
//!
//! Selectable in [`TrackerConfig`]: the filter ([`filter::Estimator`]: EKF, default, or UKF
//! ([`ukf`])), the boost/ballistic IMM ([`imm`]), the associator ([`Associator`]: GNN, default, or
//! JPDA ([`jpda`]), or JIPDA ([`jipda`]): JPDA with a probability of existence that confirms and
//! deletes tracks) and the confirmation logic ([`Confirmation`]: M-of-N, default, or the SPRT score
//! ([`sprt`])). [`metrics`] holds OSPA, GOSPA, NEES and SIAP with Stone Soup's conventions. The IMM can
//! add a reentry mode with drag and an estimated ballistic coefficient ([`reentry`]); a detection's
//! range rate, when present, is a sequential scalar update after the GNN update; [`angles`] holds the
//! angle-only (infrared) measurement model, triangulation and the cues it gives radars.
//!
//! ```
//! use shieldnet_tracking::assignment::solve_min;
//! let cost = vec![vec![4.0, 1.0, 3.0], vec![2.0, 0.0, 5.0]];
//! assert_eq!(solve_min(&cost), Some(vec![1, 0]));
//! ```

pub mod angle_tracking;
pub mod angles;
pub mod assignment;
pub mod deferred;
pub mod ekf;
pub mod filter;
pub mod gating;
mod gnn;
pub mod imm;
pub mod jipda;
pub mod joseph;
pub mod jpda;
mod look_buffers;
pub mod mat6;
pub mod measurement;
pub mod metrics;
pub mod motion;
pub mod partner_scan;
pub mod pregate;
pub mod reentry;
pub mod sprt;
#[cfg(test)]
mod test_rng;
pub mod track;
pub mod tracker;
pub mod ukf;

pub use track::{Track, TrackStatus};
pub use tracker::{Associator, Confirmation, Tracker, TrackerConfig};

/// Six-element state: ECEF position (m) then ECEF velocity (m/s).
pub type State6 = nalgebra::SVector<f64, 6>;
/// 6×6 covariance of a [`State6`].
pub type Cov6 = nalgebra::SMatrix<f64, 6, 6>;
