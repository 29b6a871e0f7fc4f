//! Inputs and outputs of a node step.

use serde::{Deserialize, Serialize};
use shieldnet_audit::SignedEnvelope;
use shieldnet_earth::{Ecef, Geodetic};
use shieldnet_fusion::{FusedTrack, Message};
use shieldnet_sensors::Scan;

/// The outcome of one of the node's own engagements, as its sensors assess it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EngagementOutcome {
    /// The node's engagement id.
    pub engagement_id: u32,
    /// Whether the threat was destroyed.
    pub killed: bool,
}

/// Everything a node is fed in one step.
#[derive(Debug, Clone, Copy)]
pub struct NodeInput<'a> {
    /// Current time, s.
    pub now_s: f64,
    /// Own radars' looks since the previous step, in time order.
    pub scans: &'a [Scan],
    /// Own infrared satellites' line-of-sight reports delivered since the previous step (processed
    /// before the looks: they were observed earlier, a latency ago).
    pub angles: &'a [shieldnet_tracking::angle_tracking::AngleReport],
    /// Messages delivered since the previous step, in delivery order (untrusted: checked by the node).
    pub inbox: &'a [Wire],
    /// Kill assessments of own engagements that became known.
    pub outcomes: &'a [EngagementOutcome],
}

/// A message as it crosses between parties: signed by its sender (the normal case) or plain (runs
/// configured without authentication, e.g. Monte Carlo campaigns where every party is simulated).
#[derive(Debug, Clone, PartialEq)]
pub enum Wire {
    /// An unsigned message.
    Plain(Message),
    /// A signed envelope whose payload is the encoded message.
    Signed(SignedEnvelope),
}

impl Wire {
    /// The sender's sequence number.
    pub fn seq(&self) -> u64 {
        match self {
            Wire::Plain(m) => m.seq,
            Wire::Signed(e) => e.seq,
        }
    }
}

/// A message to send to one partner.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// Receiving party id.
    pub to: String,
    /// The message on the wire.
    pub wire: Wire,
}

/// An order to launch one interceptor from one of the node's own batteries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LaunchOrder {
    /// The node's engagement id.
    pub engagement_id: u32,
    /// Battery index in the scenario.
    pub battery: u32,
    /// Where the interceptor is sent.
    pub aim_point: Ecef,
    /// When it should get there, s.
    pub intercept_time_s: f64,
}

/// A new aim point for an interceptor in flight (in-flight target update from the latest picture).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AimUpdate {
    /// The node's engagement id.
    pub engagement_id: u32,
    /// Predicted threat position at the engagement's intercept time.
    pub aim_point: Ecef,
}

/// Something that happened inside the node, for the run's event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NodeEvent {
    /// A track was confirmed.
    TrackConfirmed {
        /// Track id.
        track: u32,
    },
    /// A track was dropped.
    TrackDeleted {
        /// Track id.
        track: u32,
    },
    /// An engagement was planned.
    EngagementPlanned {
        /// Engagement id.
        engagement: u32,
        /// Picture track id.
        track: u32,
        /// Battery id.
        battery: String,
        /// Planned launch time, s.
        launch_time_s: f64,
        /// Predicted intercept time, s.
        intercept_time_s: f64,
        /// Predicted impact point of the threat (from the threat assessment), for policy checks.
        predicted_impact: Geodetic,
        /// Planned intercept point, for policy checks.
        intercept_point: Geodetic,
    },
    /// A plan was withdrawn.
    EngagementCancelled {
        /// Engagement id.
        engagement: u32,
        /// Why.
        reason: String,
    },
    /// An interceptor was launched.
    InterceptorLaunched {
        /// Engagement id.
        engagement: u32,
        /// Battery id.
        battery: String,
    },
    /// A kill assessment arrived.
    KillAssessed {
        /// Engagement id.
        engagement: u32,
        /// Whether the threat was destroyed.
        killed: bool,
    },
}

/// Everything a node step produces.
#[derive(Debug, Clone, Default)]
pub struct NodeOutput {
    /// Messages to partners.
    pub outgoing: Vec<Outgoing>,
    /// Launch orders for own batteries.
    pub launches: Vec<LaunchOrder>,
    /// In-flight target updates for own interceptors.
    pub aim_updates: Vec<AimUpdate>,
    /// Events.
    pub events: Vec<NodeEvent>,
    /// The fused picture at the end of the step.
    pub picture: Vec<FusedTrack>,
}
