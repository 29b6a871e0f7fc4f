//! Scenario files (schema, loading with precise errors, built-in scenarios) and the world that plays
//! truth, sensors and the event loop around the party nodes.
//!
//! [`world::run`] builds a [`world::World`] from a validated [`scenario::Scenario`], flies every threat,
//! lets each party's radars look, steps every [`shieldnet_node::PartyNode`], carries messages between
//! parties per the sharing agreements (with latency and loss), flies interceptors and draws intercept
//! outcomes, and returns a [`report::RunReport`].

pub mod battle_setup;
pub mod build;
pub mod build_sensors;
pub mod campaign;
pub mod compare;
pub mod early_warning;
pub mod host;
pub mod independence;
mod look_targets;
pub mod party_metrics;
pub mod policy_setup;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sharing_metrics;
mod step_truth;
pub mod track_mode;
pub mod tracker_setup;
pub mod world;

pub use host::{HostEvent, LocalNodes, NodeFinish, NodeHost, ReceivedNotice};
pub use report::{RunRecord, RunReport};
pub use world::{
    RunOptions, SimError, attach_simulation_keys, run, run_prepared, run_with_host, seed_share_noise,
};
