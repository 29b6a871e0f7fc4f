//! From a validated scenario to the world's cast: the Earth's orientation, flown threats, radars,
//! batteries, assets, sharing agreements, and one node configuration per party.

use crate::scenario::{Mode, Scenario, SharedKind};
use crate::world::SimError;
use shieldnet_earth::rotation::julian_date;
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_engagement::DefendedAsset;
use shieldnet_engagement::feasibility::InterceptorKinematics;
use shieldnet_engagement::planner::BatteryState;
use shieldnet_flight::{BoostSpec, Trajectory, fly_threat};
use shieldnet_node::{NodeConfig, Policy, ShareFilter, ShareTo};
use shieldnet_sensors::{Radar, RadarSpec};

/// One threat missile with its flown trajectory.
#[derive(Debug, Clone)]
pub struct ThreatSpec {
    /// Identifier (`RAID-n`).
    pub id: String,
    /// Raid it belongs to.
    pub raid: String,
    /// Launch point.
    pub launch: Geodetic,
    /// Aim point.
    pub aim: Geodetic,
    /// The trajectory.
    pub trajectory: Trajectory,
    /// Radar cross-section while boosting (booster attached), m².
    pub rcs_booster_m2: f64,
    /// Radar cross-section after burnout (reentry vehicle), m².
    pub rcs_rv_m2: f64,
}

impl ThreatSpec {
    /// Whether its motor burns at `t_s` (between launch and burnout).
    pub fn thrusting(&self, t_s: f64) -> bool {
        t_s >= self.trajectory.launch_time_s() && t_s < self.trajectory.burnout_time_s()
    }

    /// Radar cross-section at `t_s`: the booster's until burnout, the reentry vehicle's after.
    pub fn rcs_m2(&self, t_s: f64) -> f64 {
        if t_s < self.trajectory.burnout_time_s() { self.rcs_booster_m2 } else { self.rcs_rv_m2 }
    }
}

/// A battery in the world.
#[derive(Debug, Clone)]
pub struct BatterySpec {
    /// Owning party index.
    pub party: u32,
    /// The planner's view (owned by the party's node).
    pub state: BatteryState,
    /// Homing basket radius, m.
    pub divert_m: f64,
    /// Kill-assessment delay, s.
    pub kill_assessment_s: f64,
}

/// A directed sharing agreement between party indices.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Sender.
    pub from: u32,
    /// Receiver.
    pub to: u32,
    /// Launch notices flow.
    pub launch_notices: bool,
    /// Track reports flow.
    pub tracks: bool,
    /// Engagement announcements and kill assessments flow.
    pub engagements: bool,
    /// Raw detections flow.
    pub detections: bool,
    /// Track report interval, s.
    pub interval_s: f64,
    /// Latency, s.
    pub latency_s: f64,
    /// Loss probability.
    pub loss: f64,
    /// Which tracks may flow.
    pub filter: ShareFilter,
    /// Extra delay per message, uniform in [0, jitter_s], s.
    pub jitter_s: f64,
    /// Shared position accuracy (precision degradation), m.
    pub position_sigma_m: Option<f64>,
}

/// Everything the world needs.
#[derive(Debug, Clone)]
pub struct Setup {
    /// Earth orientation over the run.
    pub rotation: EarthRotation,
    /// Party ids in scenario order.
    pub parties: Vec<String>,
    /// Threats.
    pub threats: Vec<ThreatSpec>,
    /// Radars.
    pub radars: Vec<Radar>,
    /// Infrared early-warning satellites.
    pub ir_satellites: Vec<shieldnet_sensors::IrSatellite>,
    /// Batteries.
    pub batteries: Vec<BatterySpec>,
    /// Defended assets.
    pub assets: Vec<DefendedAsset>,
    /// Agreements in force under the cooperation mode.
    pub agreements: Vec<Agreement>,
    /// One node configuration per party.
    pub nodes: Vec<NodeConfig>,
}

/// Builds the world's cast from a scenario (assumed validated by the loader).
pub fn build(scn: &Scenario) -> Result<Setup, SimError> {
    let rotation = EarthRotation::at_julian_date(epoch_julian_date(&scn.scenario.epoch)?);
    let parties: Vec<String> = scn.parties.iter().map(|p| p.id.clone()).collect();
    let party_index = |id: &str| -> Result<u32, SimError> {
        parties
            .iter()
            .position(|p| p == id)
            .map(|i| i as u32)
            .ok_or_else(|| SimError::Invalid(format!("unknown party '{id}'")))
    };
    let mode = scn.cooperation.mode;
    let policy = match mode {
        Mode::M0 | Mode::M1 | Mode::M2 => Policy { defend_partners: false, coordinate: false },
        Mode::M3 => Policy { defend_partners: true, coordinate: true },
        // M4: sector authority replaces announcements; M5: one manager, nothing to deconflict.
        Mode::M4 | Mode::M5 => Policy { defend_partners: true, coordinate: false },
    };
    let assets: Vec<DefendedAsset> = scn
        .defended_assets
        .iter()
        .map(|a| {
            Ok(DefendedAsset {
                id: a.id.clone(),
                party: party_index(&a.party)?,
                position: Geodetic::from_degrees(a.lat_deg, a.lon_deg, 0.0),
                radius_m: a.radius_km * 1e3,
                value: a.value,
            })
        })
        .collect::<Result<_, SimError>>()?;
    let mut threats = Vec::new();
    for raid in &scn.raids {
        let mt = scn.missile_types.get(&raid.missile).ok_or_else(|| {
            SimError::Invalid(format!("raid '{}': unknown missile type '{}'", raid.id, raid.missile))
        })?;
        let aim = match (&raid.aim_asset, raid.aim_lat_deg, raid.aim_lon_deg) {
            (Some(id), _, _) => assets
                .iter()
                .find(|a| a.id == *id)
                .map(|a| a.position)
                .ok_or_else(|| SimError::Invalid(format!("raid '{}': unknown asset '{id}'", raid.id)))?,
            (None, Some(lat), Some(lon)) => Geodetic::from_degrees(lat, lon, 0.0),
            _ => return Err(SimError::Invalid(format!("raid '{}' has no aim point", raid.id))),
        };
        let launch = Geodetic::from_degrees(raid.launch_lat_deg, raid.launch_lon_deg, 0.0);
        let boost = BoostSpec {
            burnout_time_s: mt.burnout_time_s,
            burnout_altitude_m: mt.burnout_altitude_km * 1e3,
            burnout_downrange_m: mt.burnout_downrange_km * 1e3,
        };
        for k in 0..raid.count {
            let id = format!("{}-{}", raid.id, k + 1);
            let t0 = raid.time_s + k as f64 * raid.spacing_s;
            let trajectory = fly_threat(&launch, &aim, t0, &boost, &rotation)
                .map_err(|source| SimError::Flight { threat: id.clone(), source })?;
            threats.push(ThreatSpec {
                id,
                raid: raid.id.clone(),
                launch,
                aim,
                trajectory,
                rcs_booster_m2: mt.rcs_booster_m2,
                rcs_rv_m2: mt.rcs_rv_m2,
            });
        }
    }
    let radars: Vec<Radar> = scn
        .radars
        .iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(Radar::new(
                i as u32,
                party_index(&r.party)?,
                RadarSpec {
                    id: r.id.clone(),
                    site: Geodetic::from_degrees(r.lat_deg, r.lon_deg, r.alt_m),
                    boresight_az_rad: r.boresight_az_deg.to_radians(),
                    half_width_az_rad: r.half_width_az_deg.to_radians(),
                    min_el_rad: r.min_el_deg.to_radians(),
                    max_el_rad: r.max_el_deg.to_radians(),
                    max_range_m: r.max_range_km * 1e3,
                    revisit_s: r.revisit_s,
                    sigma_range_m: r.sigma_range_m,
                    sigma_az_rad: r.sigma_az_mrad * 1e-3,
                    sigma_el_rad: r.sigma_el_mrad * 1e-3,
                    pd: r.pd,
                    false_alarms_per_scan: r.false_alarms_per_scan,
                    detection: r.detection.as_ref().map(crate::build_sensors::radar_equation),
                    refraction: r.refraction,
                    sigma_range_rate_m_s: r.sigma_range_rate_m_s,
                    track_revisit_s: r.track_revisit_s,
                },
            ))
        })
        .collect::<Result<_, SimError>>()?;
    let batteries: Vec<BatterySpec> = scn
        .batteries
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let it = scn.interceptor_types.get(&b.interceptor).ok_or_else(|| {
                SimError::Invalid(format!("battery '{}': unknown interceptor type '{}'", b.id, b.interceptor))
            })?;
            Ok(BatterySpec {
                party: party_index(&b.party)?,
                state: BatteryState {
                    index: i as u32,
                    id: b.id.clone(),
                    site: Geodetic::from_degrees(b.lat_deg, b.lon_deg, b.alt_m),
                    kinematics: InterceptorKinematics {
                        burnout_speed_m_s: it.burnout_speed_km_s * 1e3,
                        burn_time_s: it.burn_time_s,
                        max_range_m: it.max_range_km * 1e3,
                        min_alt_m: it.min_intercept_alt_km * 1e3,
                        max_alt_m: it.max_intercept_alt_km * 1e3,
                    },
                    pk: it.pk,
                    reaction_time_s: it.reaction_time_s,
                    kill_assessment_s: it.kill_assessment_s,
                    magazine: b.rounds,
                    rounds_left: b.rounds,
                },
                divert_m: it.divert_km * 1e3,
                kill_assessment_s: it.kill_assessment_s,
            })
        })
        .collect::<Result<_, SimError>>()?;
    let mut agreements: Vec<Agreement> = match mode {
        Mode::M0 => Vec::new(),
        _ => scn
            .sharing
            .iter()
            .map(|s| {
                Ok(Agreement {
                    from: party_index(&s.from)?,
                    to: party_index(&s.to)?,
                    launch_notices: s.what.contains(&SharedKind::LaunchNotices),
                    tracks: mode >= Mode::M2 && s.what.contains(&SharedKind::Tracks),
                    engagements: mode >= Mode::M3 && s.what.contains(&SharedKind::Engagements),
                    detections: mode >= Mode::M2 && s.what.contains(&SharedKind::Detections),
                    interval_s: s.interval_s,
                    latency_s: s.latency_s,
                    loss: s.loss,
                    filter: ShareFilter {
                        region: s
                            .region
                            .as_ref()
                            .map(|r| r.iter().map(|v| (v[0].to_radians(), v[1].to_radians())).collect()),
                        min_altitude_m: s.min_altitude_km.map(|h| h * 1e3),
                        threat_class_only: s.threat_class_only,
                    },
                    jitter_s: s.jitter_s,
                    position_sigma_m: s.position_sigma_m,
                })
            })
            .collect::<Result<_, SimError>>()?,
    };
    if mode == Mode::M5 {
        crate::battle_setup::share_everything(&mut agreements);
    }
    let battle = crate::battle_setup::battle_config(scn, rotation, &parties)?;
    let max_latency = agreements.iter().map(|a| a.latency_s + a.jitter_s).fold(0.0, f64::max);
    let max_interval = agreements.iter().map(|a| a.interval_s).fold(0.0, f64::max);
    let dt = scn.scenario.time_step_s;
    let nodes = (0..parties.len() as u32)
        .map(|p| NodeConfig {
            party_index: p,
            party_id: parties[p as usize].clone(),
            party_order: parties.clone(),
            radars: radars.iter().filter(|r| r.party == p).cloned().collect(),
            batteries: crate::battle_setup::commanded(mode, p, &batteries),
            battle: battle.for_party(mode, p),
            assets: assets.clone(),
            share: agreements
                .iter()
                .filter(|a| a.from == p)
                .map(|a| ShareTo {
                    to: parties[a.to as usize].clone(),
                    launch_notices: a.launch_notices,
                    tracks: a.tracks,
                    engagements: a.engagements,
                    detections: a.detections,
                    interval_s: a.interval_s,
                    filter: a.filter.clone(),
                    position_sigma_m: a.position_sigma_m,
                    noise_seed: 0,
                })
                .collect(),
            policy,
            tracker: crate::tracker_setup::tracker_config(&scn.tracking, &parties[p as usize]),
            fusion: fusion_rule(&scn.parties[p as usize]),
            decision_interval_s: 4.0f64.max(dt),
            coordination_hold_s: max_latency + 2.0 * dt,
            // A partner track not refreshed for three report intervals (plus latency) is taken as
            // dropped by its owner.
            partner_track_max_age_s: 3.0 * max_interval + max_latency + dt,
            audit: None,
        })
        .collect();
    let ir_satellites = crate::build_sensors::ir_satellites(scn, &parties)?;
    Ok(Setup { rotation, parties, threats, radars, ir_satellites, batteries, assets, agreements, nodes })
}

/// The fusion rule a `[[party]]` chose.
fn fusion_rule(party: &crate::scenario::schema::Party) -> shieldnet_fusion::FusionRule {
    use crate::scenario::schema::FusionChoice;
    use shieldnet_fusion::FusionRule;
    match party.fusion {
        FusionChoice::CiTrace => FusionRule::CiTrace,
        FusionChoice::CiDeterminant => FusionRule::CiDeterminant,
        FusionChoice::Naive => FusionRule::Naive,
        FusionChoice::BarShalomCampo => {
            FusionRule::BarShalomCampo { correlation: party.fusion_correlation.unwrap_or(0.0) }
        }
    }
}

/// Julian date of a TOML datetime with date, time and offset (e.g. `2015-06-01T12:00:00Z`).
pub fn epoch_julian_date(dt: &toml::value::Datetime) -> Result<f64, SimError> {
    let (Some(d), Some(t), Some(off)) = (dt.date, dt.time, dt.offset) else {
        return Err(SimError::Invalid(format!(
            "epoch '{dt}' must be a full UTC date-time such as 2015-06-01T12:00:00Z"
        )));
    };
    let offset_min = match off {
        toml::value::Offset::Z => 0,
        toml::value::Offset::Custom { minutes } => minutes,
    };
    let second = f64::from(t.second.unwrap_or(0)) + f64::from(t.nanosecond.unwrap_or(0)) * 1e-9;
    let jd = julian_date(
        i32::from(d.year),
        u32::from(d.month),
        u32::from(d.day),
        u32::from(t.hour),
        u32::from(t.minute),
        second,
    );
    Ok(jd - f64::from(offset_min) / 1440.0)
}
