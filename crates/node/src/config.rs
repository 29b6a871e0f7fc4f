//! What a party node is configured with: its own assets, its agreements and its policy.

use serde::{Deserialize, Serialize};
use shieldnet_audit::{PartyKeys, TrustStore};
use shieldnet_engagement::DefendedAsset;
use shieldnet_engagement::planner::BatteryState;
use shieldnet_sensors::Radar;
use shieldnet_tracking::TrackerConfig;

/// How a party behaves under the cooperation mode in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Engage threats to partners' assets too (not only one's own).
    pub defend_partners: bool,
    /// Announce engagements to partners and withdraw plans that lose the deconfliction rule.
    pub coordinate: bool,
}

/// One outgoing sharing agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareTo {
    /// Receiving party id.
    pub to: String,
    /// Send track reports.
    pub tracks: bool,
    /// Send engagement announcements and kill assessments.
    pub engagements: bool,
    /// Interval between track reports, s.
    pub interval_s: f64,
}

/// Message authentication and the audit record: the party's signing key and the partners it trusts.
#[derive(Clone)]
pub struct AuditSetup {
    /// This party's signing key.
    pub keys: PartyKeys,
    /// Public keys of every party whose messages are accepted.
    pub trust: TrustStore,
    /// Messages whose time of validity is older than this are rejected as stale, s.
    pub max_message_age_s: f64,
}

impl std::fmt::Debug for AuditSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditSetup").field("party", &self.keys.party()).finish_non_exhaustive()
    }
}

/// Everything a node is configured with.
#[derive(Debug, Clone)]
pub struct NodeConfig {
    /// Index of this party in the scenario.
    pub party_index: u32,
    /// Party id.
    pub party_id: String,
    /// Every party id in scenario order (the order breaks deconfliction ties).
    pub party_order: Vec<String>,
    /// Own radars.
    pub radars: Vec<Radar>,
    /// Own batteries.
    pub batteries: Vec<BatteryState>,
    /// Every defended asset (own and partners').
    pub assets: Vec<DefendedAsset>,
    /// Outgoing agreements.
    pub share: Vec<ShareTo>,
    /// Behaviour under the cooperation mode.
    pub policy: Policy,
    /// Tracker settings.
    pub tracker: TrackerConfig,
    /// Time between engagement decisions, s.
    pub decision_interval_s: f64,
    /// Least time between announcing a plan and launching, s (covers partners' message latency).
    pub coordination_hold_s: f64,
    /// Partner tracks older than this are dropped, s.
    pub partner_track_max_age_s: f64,
    /// Signed messages and an audit log, or plain messages and no log (fast Monte Carlo runs).
    pub audit: Option<AuditSetup>,
}
