//! Who runs the party nodes of a world.
//!
//! The world plays truth, sensors and the network between parties; the party nodes themselves run
//! behind a [`NodeHost`]: in this process ([`LocalNodes`], the normal case) or as separate processes
//! reached over a transport (the `shieldnet-net` crate). The world hands every node its input for a
//! step and gets every output back before it moves on, so any host that answers faithfully gives the
//! same run.

use shieldnet_fusion::LaunchNotice;
use shieldnet_node::{NodeConfig, NodeInput, NodeOutput, PartyNode};
use shieldnet_tracking::Track;

/// A launch notice as a node received it: (sender, notice, time received in s).
pub type ReceivedNotice = (String, LaunchNotice, f64);

/// Something the host noticed about the nodes it runs (for example a node process that stopped
/// answering), reported into the run's events.
#[derive(Debug, Clone, PartialEq)]
pub struct HostEvent {
    /// Simulation time, s.
    pub t_s: f64,
    /// Index of the party concerned.
    pub party: u32,
    /// Event kind, e.g. `node_down`, `node_up`.
    pub kind: String,
    /// Human-readable detail.
    pub detail: String,
}

/// Runs the party nodes of one world.
pub trait NodeHost {
    /// Steps every node once, in party order; `inputs[p]` is party `p`'s input. Returns one output
    /// per party. A node that cannot answer yields an empty output, and the host says why through
    /// [`NodeHost::take_events`].
    fn step_all(&mut self, inputs: &[NodeInput<'_>]) -> Vec<NodeOutput>;

    /// Events noticed since the last call (node lost, node back).
    fn take_events(&mut self) -> Vec<HostEvent> {
        Vec::new()
    }

    /// Party `p`'s own tracks after its last step (the world schedules track-mode looks from them and
    /// scores tracking metrics on them).
    fn tracks(&self, p: usize) -> &[Track];

    /// Launch notices party `p` has received so far, in order.
    fn launch_warnings(&self, p: usize) -> &[ReceivedNotice];

    /// Ends party `p`'s run at `t_s`: closes its audit log and reports what the world needs.
    fn finish(&mut self, p: usize, t_s: f64) -> NodeFinish;
}

/// What a node reports when its run ends.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NodeFinish {
    /// How many partner messages it rejected (forged, replayed, stale, malformed...).
    pub rejected_messages: u32,
    /// Its closed audit log (JSON Lines), if it keeps one.
    pub audit_log: Option<Vec<u8>>,
}

/// Every party node in this process, stepped in party order.
pub struct LocalNodes(pub Vec<PartyNode>);

impl LocalNodes {
    /// One node per configuration.
    pub fn new(configs: &[NodeConfig]) -> Self {
        Self(configs.iter().cloned().map(PartyNode::new).collect())
    }
}

impl NodeHost for LocalNodes {
    fn step_all(&mut self, inputs: &[NodeInput<'_>]) -> Vec<NodeOutput> {
        self.0.iter_mut().zip(inputs).map(|(node, input)| node.step(*input)).collect()
    }

    fn tracks(&self, p: usize) -> &[Track] {
        self.0[p].tracker().tracks()
    }

    fn launch_warnings(&self, p: usize) -> &[ReceivedNotice] {
        self.0[p].launch_warnings()
    }

    fn finish(&mut self, p: usize, t_s: f64) -> NodeFinish {
        let node = &mut self.0[p];
        NodeFinish {
            rejected_messages: node.rejected_messages().values().sum(),
            audit_log: node.finish_audit(t_s),
        }
    }
}
