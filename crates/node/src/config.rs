//! What a party node is configured with: its own assets, its agreements and its policy.

use serde::{Deserialize, Serialize};
use shieldnet_audit::{PartyKeys, TrustStore};
use shieldnet_earth::Geodetic;
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
    /// Send launch notices (mode M1 and up).
    pub launch_notices: bool,
    /// Send track reports.
    pub tracks: bool,
    /// Send engagement announcements and kill assessments.
    pub engagements: bool,
    /// Send raw detections of own radars ([`crate::detection_sharing`]).
    pub detections: bool,
    /// Interval between track reports (and between batches of detections), s.
    pub interval_s: f64,
    /// Which tracks may be shared.
    pub filter: ShareFilter,
    /// Degrade shared positions to this accuracy (1σ per axis), m ([`crate::degrade`]).
    pub position_sigma_m: Option<f64>,
    /// Seed of the noise stream that degrades this agreement's reports (set by the world per run).
    pub noise_seed: u64,
}

/// Which of a party's tracks an agreement lets through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShareFilter {
    /// Polygon of (latitude, longitude) vertices, radians: only tracks inside are shared.
    pub region: Option<Vec<(f64, f64)>>,
    /// Only tracks at or above this altitude are shared, m.
    pub min_altitude_m: Option<f64>,
    /// Only threat-class tracks are shared: objects moving at missile speed
    /// ([`THREAT_CLASS_MIN_SPEED_M_S`] or faster, Earth-fixed).
    pub threat_class_only: bool,
}

/// Least Earth-fixed speed of a track classed as a threat (a ballistic missile or its reentry
/// vehicle), m/s: aircraft and clutter are slower.
pub const THREAT_CLASS_MIN_SPEED_M_S: f64 = 1_000.0;

/// Whether a track with this ECEF state (position m, velocity m/s) is classed as a threat: moving at
/// [`THREAT_CLASS_MIN_SPEED_M_S`] or faster, Earth-fixed (a NaN speed is not).
pub fn is_threat_class(state: &shieldnet_tracking::State6) -> bool {
    let speed = state.fixed_rows::<3>(3).norm();
    speed.partial_cmp(&THREAT_CLASS_MIN_SPEED_M_S).is_some_and(|o| o != std::cmp::Ordering::Less)
}

impl ShareFilter {
    /// Whether a track with this ECEF state (position m, velocity m/s) may be shared.
    pub fn admits_state(&self, state: &shieldnet_tracking::State6) -> bool {
        if self.threat_class_only && !is_threat_class(state) {
            return false;
        }
        if self.min_altitude_m.is_none() && self.region.is_none() {
            // Nothing left to test: skip the geodetic conversion.
            return true;
        }
        self.admits(&shieldnet_earth::Ecef(state.fixed_rows::<3>(0).into_owned()).to_geodetic())
    }

    /// Whether a track at this position may be shared (region and altitude; see
    /// [`ShareFilter::admits_state`] for the threat-class test).
    pub fn admits(&self, position: &Geodetic) -> bool {
        // A NaN altitude never passes the floor.
        if let Some(h) = self.min_altitude_m
            && position.alt_m.partial_cmp(&h).is_none_or(|o| o == std::cmp::Ordering::Less)
        {
            return false;
        }
        match &self.region {
            Some(poly) => inside(poly, position.lat_rad, position.lon_rad),
            None => true,
        }
    }
}

/// Point-in-polygon by ray casting in the latitude/longitude plane (edges straight in lat/lon).
fn inside(poly: &[(f64, f64)], lat: f64, lon: f64) -> bool {
    let mut inside = false;
    let n = poly.len();
    for i in 0..n {
        let (lat_i, lon_i) = poly[i];
        let (lat_j, lon_j) = poly[(i + n - 1) % n];
        if (lat_i > lat) != (lat_j > lat) && lon < (lon_j - lon_i) * (lat - lat_i) / (lat_j - lat_i) + lon_i {
            inside = !inside;
        }
    }
    inside
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
    /// Batteries this node commands: its own, or every party's under a joint manager (M5).
    pub batteries: Vec<BatteryState>,
    /// Battle manager: Earth orientation, doctrine, sector authority.
    pub battle: crate::battle::BattleConfig,
    /// Every defended asset (own and partners').
    pub assets: Vec<DefendedAsset>,
    /// Outgoing agreements.
    pub share: Vec<ShareTo>,
    /// Behaviour under the cooperation mode.
    pub policy: Policy,
    /// Tracker settings.
    pub tracker: TrackerConfig,
    /// How partner tracks are fused with own tracks.
    pub fusion: shieldnet_fusion::FusionRule,
    /// Time between engagement decisions, s.
    pub decision_interval_s: f64,
    /// Least time between announcing a plan and launching, s (covers partners' message latency).
    pub coordination_hold_s: f64,
    /// Partner tracks older than this are dropped, s.
    pub partner_track_max_age_s: f64,
    /// Signed messages and an audit log, or plain messages and no log (fast Monte Carlo runs).
    pub audit: Option<AuditSetup>,
}

impl NodeConfig {
    /// A node of party `party_order[0]` that authenticates with `audit`, with no radar, battery,
    /// defended asset or outgoing agreement, the default tracker and fusion rule, decisions every 4 s
    /// and partner tracks kept 10 s: a node fed messages directly (tests of what it accepts,
    /// throughput benchmarks).
    pub fn messages_only(party_order: &[&str], policy: Policy, audit: AuditSetup) -> Self {
        Self {
            party_index: 0,
            party_id: party_order.first().copied().unwrap_or_default().to_string(),
            party_order: party_order.iter().map(|p| p.to_string()).collect(),
            radars: vec![],
            batteries: vec![],
            battle: crate::battle::BattleConfig::new(shieldnet_earth::EarthRotation::at_julian_date(
                2_457_175.0,
            )),
            assets: vec![],
            share: vec![],
            policy,
            tracker: TrackerConfig::default(),
            fusion: Default::default(),
            decision_interval_s: 4.0,
            coordination_hold_s: 5.0,
            partner_track_max_age_s: 10.0,
            audit: Some(audit),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> ShareFilter {
        let d = |a: f64, b: f64| (a.to_radians(), b.to_radians());
        ShareFilter {
            region: Some(vec![d(30.0, 30.0), d(30.0, 40.0), d(40.0, 40.0), d(40.0, 30.0)]),
            min_altitude_m: None,
            threat_class_only: false,
        }
    }

    #[test]
    fn threat_class_filter_by_speed() {
        let f = ShareFilter { threat_class_only: true, ..ShareFilter::default() };
        let p = Geodetic::from_degrees(35.0, 35.0, 100e3).to_ecef().0;
        let at = |v: f64| shieldnet_tracking::State6::new(p.x, p.y, p.z, v, 0.0, 0.0);
        assert!(f.admits_state(&at(2500.0)));
        assert!(!f.admits_state(&at(250.0)));
        assert!(!f.admits_state(&at(f64::NAN)));
        assert!(ShareFilter::default().admits_state(&at(250.0)));
    }

    #[test]
    fn region_and_altitude_filters_by_hand() {
        let f = square();
        assert!(f.admits(&Geodetic::from_degrees(35.0, 35.0, 0.0)));
        assert!(!f.admits(&Geodetic::from_degrees(45.0, 35.0, 0.0)));
        assert!(!f.admits(&Geodetic::from_degrees(35.0, 29.9, 0.0)));
        let high = ShareFilter { min_altitude_m: Some(50e3), ..ShareFilter::default() };
        assert!(high.admits(&Geodetic::from_degrees(0.0, 0.0, 60e3)));
        assert!(!high.admits(&Geodetic::from_degrees(0.0, 0.0, 40e3)));
        assert!(!high.admits(&Geodetic::from_degrees(0.0, 0.0, f64::NAN)));
    }

    proptest::proptest! {
        /// A region filter never lets a track outside the region through.
        #[test]
        fn never_admits_outside_the_region(lat in -89.0f64..89.0, lon in -179.0f64..179.0) {
            let admitted = square().admits(&Geodetic::from_degrees(lat, lon, 100e3));
            let inside = (30.0..=40.0).contains(&lat) && (30.0..=40.0).contains(&lon);
            proptest::prop_assert!(!admitted || inside);
        }
    }
}
