//! Party nodes and the world as separate processes.
//!
//! The party node logic is the same sans-IO [`shieldnet_node::PartyNode`] the in-process simulation
//! steps; this crate only moves its inputs and outputs across a network:
//! - [`frames`]: the frames between the world and the nodes and their bytes (MessagePack, size-capped,
//!   versioned, never trusted);
//! - [`transport`]: the publish/subscribe interface, with an in-process bus; [`zenoh_transport`] the
//!   real one (feature `zenoh`: peer mode, explicit TCP endpoints on loopback, no router);
//! - [`world_host`]: the world's side ([`world_host::RemoteNodes`], a [`shieldnet_sim::NodeHost`]),
//!   lockstep or real time, with node loss and return;
//! - [`node_runner`]: the node's side ([`node_runner::serve_node`]);
//! - [`faults`]: injected loss, duplication and reordering;
//! - [`topics`]: key names.

pub mod faults;
pub mod frames;
pub mod node_runner;
pub mod topics;
pub mod transport;
pub mod world_host;
#[cfg(feature = "zenoh")]
pub mod zenoh_transport;

pub use faults::Faults;
pub use node_runner::{NodeOptions, NodeSummary, serve_node};
pub use transport::{MemoryBus, NetError, Transport};
pub use world_host::{Pace, RemoteNodes, Timing};
