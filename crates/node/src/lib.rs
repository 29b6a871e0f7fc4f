//! The party node: everything one party runs, as a pure state machine ("sans-IO").
//!
//! A [`PartyNode`] is fed the time, its own radars' looks, the messages its partners sent it and the
//! outcomes of its own engagements; it returns the messages it sends, the launch orders for its own
//! batteries, and what happened (events). It never reads a clock, a socket or a file, so the same code
//! runs inside the deterministic simulation and, as its own process, over a network.
//!
//! Inside a step: partner messages are ingested, the tracker processes the looks, the fused picture is
//! built, tracks are shared per the sharing agreements, threats are evaluated and engagements planned
//! (own batteries only), and planned launches are checked against partners' announcements before they
//! go.

pub mod battle;
pub mod config;
pub mod degrade;
pub mod detection_sharing;
pub mod events;
pub mod launch_warning;
pub mod party_node;
pub mod policy;

pub use battle::BattleConfig;
pub use config::{AuditSetup, NodeConfig, Policy, ShareFilter, ShareTo};
pub use events::{
    AimUpdate, EngagementOutcome, LaunchOrder, NodeEvent, NodeInput, NodeOutput, Outgoing, Wire,
};
pub use party_node::PartyNode;
