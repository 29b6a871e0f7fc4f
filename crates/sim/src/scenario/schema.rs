//! The scenario file schema (TOML). Field names carry their units; angles are in degrees here, at
//! the edge, and converted to radians when the world is built. Every table rejects unknown fields.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use super::schema_sensors::{IrSatellite, RadarDetection};
use super::schema_tracking::is_default;
pub use super::schema_tracking::{
    AssociatorChoice, ConfirmationChoice, FilterChoice, MotionChoice, PartyTracking, ResolvedTracking,
};

/// A whole scenario as written in a `.toml` file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name, epoch, duration, seed and time step.
    pub scenario: ScenarioHeader,
    /// The parties (each commands only its own sensors and interceptors).
    #[serde(rename = "party")]
    pub parties: Vec<Party>,
    /// Ground or ship-borne radars.
    #[serde(rename = "radar", default)]
    pub radars: Vec<Radar>,
    /// Space-based infrared early-warning satellites.
    #[serde(rename = "ir_satellite", default, skip_serializing_if = "Vec::is_empty")]
    pub ir_satellites: Vec<IrSatellite>,
    /// Interceptor types by name.
    #[serde(default)]
    pub interceptor_types: BTreeMap<String, InterceptorType>,
    /// Interceptor batteries (launch sites).
    #[serde(rename = "battery", default)]
    pub batteries: Vec<Battery>,
    /// Ballistic missile types by name.
    pub missile_types: BTreeMap<String, MissileType>,
    /// Assets the parties defend.
    #[serde(rename = "defended_asset", default)]
    pub defended_assets: Vec<DefendedAsset>,
    /// Directed data-sharing agreements.
    #[serde(rename = "sharing", default)]
    pub sharing: Vec<Sharing>,
    /// How the parties cooperate.
    #[serde(default)]
    pub cooperation: Cooperation,
    /// Tracker settings shared by every party's tracker.
    #[serde(default)]
    pub tracking: TrackingSettings,
    /// Missile raids (the threats).
    #[serde(rename = "raid")]
    pub raids: Vec<Raid>,
    /// Engagement sectors (used in mode M4).
    #[serde(rename = "sector", default, skip_serializing_if = "Vec::is_empty")]
    pub sectors: Vec<Sector>,
    /// Firing doctrine of every battle manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doctrine: Option<DoctrineSettings>,
    /// Rules the parties agreed on, checked by `shieldnet audit verify` over the signed record.
    #[serde(rename = "policy", default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<PolicyRuleSpec>,
}

/// `[[policy]]`: a rule over one party's engagement decisions, written with the run's audit logs
/// (`policy.json`) and checked by `shieldnet audit verify`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRuleSpec {
    /// `impact_in_defended_area` (engage only threats whose predicted impact is in the party's
    /// defended area) or `no_intercept_over` (no planned intercept over a region).
    pub rule: String,
    /// The party bound by the rule.
    pub party: String,
    /// `impact_in_defended_area`: ids of the party's `[[defended_asset]]`s whose footprints form the
    /// defended area (default: all of the party's assets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assets: Option<Vec<String>>,
    /// `no_intercept_over`: the region's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `no_intercept_over`: polygon of `[latitude, longitude]` vertices, degrees (at least three).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vertices: Vec<[f64; 2]>,
}

/// `[[sector]]`: a geographic sector whose owner alone engages threats over it in mode M4 (authority
/// follows the predicted intercept point).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    /// Identifier.
    pub id: String,
    /// Owning party.
    pub owner: String,
    /// Polygon of `[latitude, longitude]` vertices, degrees (at least three; edges straight in
    /// latitude/longitude; must not cross ±180°).
    pub vertices: Vec<[f64; 2]>,
}

/// `[doctrine]`: how battle managers fire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoctrineSettings {
    /// Fraction of each battery's rounds kept for later waves (only ever a threat's first shot).
    #[serde(default)]
    pub reserve_fraction: f64,
    /// Shots fired at once when the window allows no shoot-look-shoot.
    #[serde(default = "default_salvo")]
    pub salvo_size: u32,
    /// Largest number of threats assigned by the exact solver (above: VLNS heuristic).
    #[serde(default = "default_exact_max")]
    pub exact_max_targets: u32,
}

fn default_salvo() -> u32 {
    2
}

fn default_exact_max() -> u32 {
    40
}

/// `[scenario]`: identity and timing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioHeader {
    /// Short name.
    pub name: String,
    /// What the scenario shows; say here that real-system parameters are notional.
    #[serde(default)]
    pub description: String,
    /// UTC instant of t = 0 (fixes the Earth's orientation).
    pub epoch: toml::value::Datetime,
    /// Simulated duration, s.
    pub duration_s: f64,
    /// Simulation step, s.
    pub time_step_s: f64,
    /// Seed of every random stream.
    pub seed: u64,
}

/// `[[party]]`: one independent party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Identifier used by every cross-reference.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// How this party fuses partner tracks with its own (default covariance intersection by trace).
    #[serde(default, skip_serializing_if = "is_default_fusion")]
    pub fusion: FusionChoice,
    /// Correlation coefficient assumed between the two parties' track errors, for
    /// `fusion = "bar_shalom_campo"` only, in [0, 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fusion_correlation: Option<f64>,
}

/// `fusion` of a `[[party]]`: the track-to-track fusion rule (see `shieldnet_fusion::rules`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FusionChoice {
    /// Covariance intersection, ω minimising the trace.
    #[default]
    CiTrace,
    /// Covariance intersection, ω minimising the determinant.
    CiDeterminant,
    /// Naive fusion assuming independent errors (overconfident; for comparison).
    Naive,
    /// Bar-Shalom–Campo with the correlation given in `fusion_correlation`.
    BarShalomCampo,
}

fn is_default_fusion(f: &FusionChoice) -> bool {
    *f == FusionChoice::CiTrace
}

/// `[[radar]]`: a radar with a field of regard, range limit and noise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Radar {
    /// Identifier.
    pub id: String,
    /// Owning party.
    pub party: String,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Height above the ellipsoid, m.
    #[serde(default)]
    pub alt_m: f64,
    /// Centre of the azimuth sector, degrees clockwise from north.
    pub boresight_az_deg: f64,
    /// Half-width of the azimuth sector, degrees (180 = all round).
    pub half_width_az_deg: f64,
    /// Lowest elevation searched (elevation mask), degrees.
    pub min_el_deg: f64,
    /// Highest elevation searched, degrees.
    pub max_el_deg: f64,
    /// Instrumented range, km.
    pub max_range_km: f64,
    /// Time between looks at the same volume, s.
    pub revisit_s: f64,
    /// Range noise (1σ), m.
    pub sigma_range_m: f64,
    /// Azimuth noise (1σ), mrad.
    pub sigma_az_mrad: f64,
    /// Elevation noise (1σ), mrad.
    pub sigma_el_mrad: f64,
    /// Probability of detecting a visible target in one look.
    pub pd: f64,
    /// Mean number of false alarms per look over the whole searched volume.
    #[serde(default)]
    pub false_alarms_per_scan: f64,
    /// Horizon and elevation mask with standard (4/3-Earth) refraction.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refraction: bool,
    /// Range-rate noise (1σ), m/s: when given, detections also measure range rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma_range_rate_m_s: Option<f64>,
    /// Track-mode revisit, s: each confirmed own track inside the volume also gets a look in a small
    /// window around it this often (shorter than `revisit_s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_revisit_s: Option<f64>,
    /// Radar equation and detector (Pd, false alarms and noise from SNR instead of `pd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detection: Option<RadarDetection>,
}

/// `[interceptor_types.NAME]`: a simple fly-out model of an interceptor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterceptorType {
    /// Speed at burnout, km/s.
    pub burnout_speed_km_s: f64,
    /// Boost duration, s (the interceptor averages half its burnout speed while boosting).
    pub burn_time_s: f64,
    /// Greatest slant range from the launcher at intercept, km.
    pub max_range_km: f64,
    /// Lowest intercept altitude, km.
    pub min_intercept_alt_km: f64,
    /// Highest intercept altitude, km.
    pub max_intercept_alt_km: f64,
    /// Single-shot kill probability when the kill vehicle reaches the target's basket.
    pub pk: f64,
    /// Time from engagement decision to launch, s.
    pub reaction_time_s: f64,
    /// Time after the intercept before the outcome is known (kill assessment), s.
    pub kill_assessment_s: f64,
    /// Radius within which the kill vehicle's seeker and divert can home on the target, km.
    pub divert_km: f64,
}

/// `[[battery]]`: an interceptor launch site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Battery {
    /// Identifier.
    pub id: String,
    /// Owning party (the only party that can order its launches).
    pub party: String,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Height above the ellipsoid, m.
    #[serde(default)]
    pub alt_m: f64,
    /// Name of an `[interceptor_types.*]` entry.
    pub interceptor: String,
    /// Interceptors available.
    pub rounds: u32,
}

/// `[missile_types.NAME]`: a ballistic missile class with a simple boost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissileType {
    /// Free-text class, e.g. "MRBM".
    #[serde(default)]
    pub class: String,
    /// Boost duration, s.
    pub burnout_time_s: f64,
    /// Altitude at burnout, km.
    pub burnout_altitude_km: f64,
    /// Ground distance from the launch point at burnout, km.
    pub burnout_downrange_km: f64,
    /// Radar cross-section while boosting, m².
    pub rcs_booster_m2: f64,
    /// Radar cross-section of the reentry vehicle after burnout, m².
    pub rcs_rv_m2: f64,
}

/// `[[defended_asset]]`: something a party defends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefendedAsset {
    /// Identifier.
    pub id: String,
    /// Owning party.
    pub party: String,
    /// Latitude, degrees.
    pub lat_deg: f64,
    /// Longitude, degrees.
    pub lon_deg: f64,
    /// Radius of the defended footprint, km.
    pub radius_km: f64,
    /// Relative value (weight in assignment).
    pub value: f64,
}

/// What a sharing agreement lets flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedKind {
    /// Launch notices (time, launch area, rough azimuth): flow from mode M1 up.
    LaunchNotices,
    /// Track reports (state and covariance).
    Tracks,
    /// Engagement announcements and kill assessments (mode M3 up).
    Engagements,
    /// Raw detections of the sender's radars (mode M2 up), batched every `interval_s`; filtered by
    /// `region`, `min_altitude_km` and `threat_class_only` (a detection the sender's tracker put on a
    /// threat-class track) and degraded by `position_sigma_m` like tracks.
    Detections,
}

/// `[[sharing]]`: what flows from one party to another, how often and how late.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sharing {
    /// Sending party.
    pub from: String,
    /// Receiving party.
    pub to: String,
    /// Kinds of message that flow.
    pub what: Vec<SharedKind>,
    /// Interval between track reports (and between batches of detections), s.
    pub interval_s: f64,
    /// Transport latency, s.
    pub latency_s: f64,
    /// Probability that a message is lost.
    #[serde(default)]
    pub loss: f64,
    /// Share only tracks whose position lies inside this polygon of `[latitude, longitude]` vertices,
    /// degrees (at least three; edges are straight in latitude/longitude; must not cross ±180°).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Vec<[f64; 2]>>,
    /// Share only tracks at or above this altitude, km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_altitude_km: Option<f64>,
    /// Extra delay per message drawn uniformly in [0, jitter_s] (seeded per link), s. Messages may
    /// then arrive out of order.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub jitter_s: f64,
    /// Degrade shared track positions to this accuracy: the sender adds Gaussian noise of this 1σ per
    /// axis and adds σ² to the position covariance, so the partner's fusion stays consistent, m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_sigma_m: Option<f64>,
    /// Share only threat-class tracks (moving at missile speed, at least 1 km/s), not slow objects or
    /// clutter.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub threat_class_only: bool,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// The cooperation modes of design.md §5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
pub enum Mode {
    /// Independent: nothing shared.
    M0,
    /// Launch warning only.
    M1,
    /// Data fusion centre: tracks shared, each party fires on its fused picture.
    M2,
    /// Joint planning: M2 plus engagement announcements and deconfliction.
    #[default]
    M3,
    /// Sectoral engagement authority.
    M4,
    /// Integrated: one fire control over every interceptor.
    M5,
}

/// `[cooperation]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Cooperation {
    /// The mode in force.
    pub mode: Mode,
}

/// `[tracking]`: tracker settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingSettings {
    /// Detections needed (M) within the last N looks to confirm a track.
    pub confirm_m: u32,
    /// Window (N) of the M-of-N confirmation.
    pub confirm_n: u32,
    /// Consecutive missed looks after which a track is deleted.
    pub delete_after_misses: u32,
    /// Process noise: white acceleration spectral density, m²/s³.
    pub accel_noise_m2_s3: f64,
    /// Filter of every party's tracker: `"ekf"` (default) or `"ukf"`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub filter: FilterChoice,
    /// Motion model: `"ballistic"` (default), `"imm"` (boost/ballistic) or `"imm_reentry"`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub motion: MotionChoice,
    /// Associator: `"gnn"` (default), `"jpda"` or `"jipda"` (existence confirms and deletes tracks).
    #[serde(default, skip_serializing_if = "is_default")]
    pub associator: AssociatorChoice,
    /// Confirmation: `"m_of_n"` (default) or `"sprt"`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub confirmation: ConfirmationChoice,
    /// `[tracking.party.ID]`: overrides for one party's tracker, by party id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub party: BTreeMap<String, PartyTracking>,
}

impl TrackingSettings {
    /// The choices in force for party `id` (its overrides over the defaults of `[tracking]`).
    pub fn for_party(&self, id: &str) -> ResolvedTracking {
        let o = self.party.get(id).copied().unwrap_or_default();
        ResolvedTracking {
            filter: o.filter.unwrap_or(self.filter),
            motion: o.motion.unwrap_or(self.motion),
            associator: o.associator.unwrap_or(self.associator),
            confirmation: o.confirmation.unwrap_or(self.confirmation),
        }
    }
}

impl Default for TrackingSettings {
    fn default() -> Self {
        Self {
            confirm_m: 3,
            confirm_n: 4,
            delete_after_misses: 4,
            accel_noise_m2_s3: 25.0,
            filter: FilterChoice::Ekf,
            motion: MotionChoice::Ballistic,
            associator: AssociatorChoice::Gnn,
            confirmation: ConfirmationChoice::MOfN,
            party: BTreeMap::new(),
        }
    }
}

/// `[[raid]]`: one or more missiles of one type from one launch point toward one aim point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Raid {
    /// Identifier; threats are named `ID-1`, `ID-2`, ….
    pub id: String,
    /// Name of a `[missile_types.*]` entry.
    pub missile: String,
    /// Launch latitude, degrees.
    pub launch_lat_deg: f64,
    /// Launch longitude, degrees.
    pub launch_lon_deg: f64,
    /// Aim point: the id of a defended asset, or omitted when `aim_lat_deg`/`aim_lon_deg` are given.
    #[serde(default)]
    pub aim_asset: Option<String>,
    /// Aim latitude, degrees (when no `aim_asset`).
    #[serde(default)]
    pub aim_lat_deg: Option<f64>,
    /// Aim longitude, degrees (when no `aim_asset`).
    #[serde(default)]
    pub aim_lon_deg: Option<f64>,
    /// Launch time of the first missile, s after the epoch.
    pub time_s: f64,
    /// Number of missiles.
    #[serde(default = "one")]
    pub count: u32,
    /// Time between launches, s.
    #[serde(default)]
    pub spacing_s: f64,
}

fn one() -> u32 {
    1
}
