//! What a run reports: per-threat fates, per-party figures, the time-ordered event log, and (on
//! request) the row data behind the CSV files.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The fate of a threat at the end of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Destroyed by an interceptor.
    Intercepted,
    /// Reached the ground.
    Leaked,
    /// Still flying when the scenario ended.
    InFlight,
}

/// One threat's story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreatReport {
    /// Identifier.
    pub id: String,
    /// Raid.
    pub raid: String,
    /// Launch time, s.
    pub launch_time_s: f64,
    /// Launch point, degrees.
    pub launch_lat_deg: f64,
    /// Launch point, degrees.
    pub launch_lon_deg: f64,
    /// Aim point, degrees.
    pub aim_lat_deg: f64,
    /// Aim point, degrees.
    pub aim_lon_deg: f64,
    /// Impact time if not intercepted, s.
    pub impact_time_s: f64,
    /// Fate.
    pub outcome: Outcome,
    /// Party whose interceptor destroyed it.
    pub intercepted_by: Option<String>,
    /// Intercept time, s.
    pub intercept_time_s: Option<f64>,
    /// Defended asset inside whose footprint it landed.
    pub asset_hit: Option<String>,
    /// Interceptors fired at it, per party.
    pub interceptors_fired: BTreeMap<String, u32>,
    /// First detection by each party's own radars, s (null if never).
    pub first_detection_s: BTreeMap<String, Option<f64>>,
    /// First time each party had its own confirmed track on it, s.
    pub first_own_track_s: BTreeMap<String, Option<f64>>,
    /// First time it appeared in each party's fused picture (own or partner track), s.
    pub first_picture_s: BTreeMap<String, Option<f64>>,
    /// First time each party received a partner's launch notice of it (mode M1 and up), s.
    #[serde(default)]
    pub first_warning_s: BTreeMap<String, Option<f64>>,
    /// Per party that fired at it: distance from the threat's true position to the picture track the
    /// party's first interceptor was launched on, at launch (position error at hand-over), m.
    #[serde(default)]
    pub handover_error_m: BTreeMap<String, f64>,
}

/// One party's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyReport {
    /// Party id.
    pub id: String,
    /// Interceptors launched.
    pub interceptors_fired: u32,
    /// Tracks confirmed by its own tracker.
    pub tracks_confirmed: u32,
    /// Messages sent to partners.
    pub messages_sent: u32,
    /// Messages received from partners.
    pub messages_received: u32,
    /// Received messages rejected (unsigned, bad signature, replayed, stale, malformed).
    pub messages_rejected: u32,
    /// Messages received from partners by body kind (`TrackReports`, `LaunchNotice`, `Engagement`, …).
    #[serde(default)]
    pub messages_received_by_kind: BTreeMap<String, u32>,
    /// Seconds by which partner data put each threat into the picture before the party's own track
    /// did (null where it never had an own track; 0 where own sensors were first).
    pub warning_gained_s: BTreeMap<String, Option<f64>>,
    /// Tracking quality of its own tracker (OSPA, GOSPA, SIAP; see `party_metrics`). Not scored
    /// (`samples: 0`) in runs with `RunOptions::outcomes_only` (campaign runs).
    #[serde(default)]
    pub tracking: crate::party_metrics::TrackingMetrics,
}

/// One entry of the event log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Time, s.
    pub t_s: f64,
    /// Kind, e.g. `launch`, `detection`, `track_confirmed`, `interceptor_launched`, `intercept`.
    pub kind: String,
    /// Party concerned, if any.
    pub party: Option<String>,
    /// Object concerned (threat, track, engagement).
    pub subject: String,
    /// Details.
    pub detail: String,
}

/// The run's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Cooperation mode.
    pub mode: String,
    /// Simulated duration, s.
    pub duration_s: f64,
    /// Per threat.
    pub threats: Vec<ThreatReport>,
    /// Per party.
    pub parties: Vec<PartyReport>,
    /// Interceptor pairs from different parties in flight toward one threat at once.
    pub double_engagements: u32,
    /// How far each pair of parties' pictures agreed (SIAP commonality), see
    /// [`crate::sharing_metrics::Commonality`].
    #[serde(default)]
    pub commonality: Vec<crate::sharing_metrics::PairCommonality>,
    /// Time-ordered events.
    pub events: Vec<Event>,
}

/// Row data of a run, kept when requested (for `--out DIR`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunRecord {
    /// Each party's audit log (JSON Lines), when the run authenticated its messages.
    #[serde(skip)]
    pub audit_logs: Vec<(String, Vec<u8>)>,
    /// The parties' public keys, for verifying the audit logs.
    #[serde(skip)]
    pub audit_trust: Option<shieldnet_audit::TrustStore>,
    /// The scenario's policy rules, written beside the audit logs for `audit verify` (when the run
    /// authenticated its messages and the scenario states rules).
    pub audit_policy: Option<shieldnet_node::policy::PolicySet>,
    /// Truth samples.
    pub truth: Vec<TruthRow>,
    /// Detections.
    pub detections: Vec<DetectionRow>,
    /// Picture tracks.
    pub tracks: Vec<TrackRow>,
}

/// A truth sample of a threat or interceptor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthRow {
    /// Time, s.
    pub t_s: f64,
    /// Object id.
    pub object: String,
    /// `threat` or `interceptor`.
    pub kind: String,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Altitude, m.
    pub alt_m: f64,
    /// ECEF x, m.
    pub x_m: f64,
    /// ECEF y, m.
    pub y_m: f64,
    /// ECEF z, m.
    pub z_m: f64,
}

/// A detection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectionRow {
    /// Time, s.
    pub t_s: f64,
    /// Party.
    pub party: String,
    /// Radar id.
    pub radar: String,
    /// Measured range, m.
    pub range_m: f64,
    /// Measured azimuth, degrees.
    pub az_deg: f64,
    /// Measured elevation, degrees.
    pub el_deg: f64,
    /// Range noise 1σ, m.
    pub sigma_range_m: f64,
    /// Azimuth noise 1σ, mrad.
    pub sigma_az_mrad: f64,
    /// Elevation noise 1σ, mrad.
    pub sigma_el_mrad: f64,
    /// Threat that caused it (empty for a false alarm).
    pub truth: String,
}

/// A track of a party's picture at one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackRow {
    /// Time, s.
    pub t_s: f64,
    /// Party whose picture it is.
    pub party: String,
    /// Picture track id.
    pub track: u32,
    /// `own`, `fused` (own and partner) or `partner` (partner only).
    pub source: String,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Altitude, m.
    pub alt_m: f64,
    /// ECEF x, m.
    pub x_m: f64,
    /// ECEF y, m.
    pub y_m: f64,
    /// ECEF z, m.
    pub z_m: f64,
    /// ECEF vx, m/s.
    pub vx_m_s: f64,
    /// ECEF vy, m/s.
    pub vy_m_s: f64,
    /// ECEF vz, m/s.
    pub vz_m_s: f64,
    /// RMS position standard deviation, m.
    pub sigma_pos_m: f64,
}
