//! Capability ("transparency") analysis: which threat trajectories an interceptor site can reach,
//! kinematically, swept over interceptor burnout speed, launch delay after threat burnout and basing
//! (land sites, ships at sea positions). Backs `shieldnet reach`.
//!
//! ```no_run
//! use shieldnet_analysis::{study, sweep};
//! let s = study::builtin("russia-us").unwrap();
//! let rot = sweep::rotation();
//! let trajectories = sweep::fly_all(&s.threats, &rot).unwrap();
//! let rows = sweep::sweep(&s, &trajectories, &rot, sweep::DEFAULT_STEP_S);
//! assert_eq!(rows.len(), 4 * 42 * 7);
//! ```
//!
//! The model ([`reach`]) and every assumption ([`assumptions`]) are stated in the outputs.

// `!(x > y)` is deliberate: it rejects NaN inputs, which `x <= y` would let through.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod assumptions;
pub mod error;
pub mod explain;
pub mod output;
pub mod reach;
pub mod study;
pub mod svg;
pub mod sweep;

pub use error::AnalysisError;
