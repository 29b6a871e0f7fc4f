//! What the cooperation mode changes in the battle managers: which batteries each node commands (M5:
//! the joint manager, hosted by the first party, commands every party's batteries), the sector
//! authority (M4), the doctrine, and what flows in M5 (everything, unfiltered).

use crate::build::{Agreement, BatterySpec};
use crate::scenario::{Mode, Scenario};
use crate::world::SimError;
use shieldnet_earth::EarthRotation;
use shieldnet_engagement::planner::BatteryState;
use shieldnet_engagement::{Doctrine, Sector};
use shieldnet_node::{BattleConfig, ShareFilter};

/// Index of the party hosting the joint battle manager in M5 (the first party listed).
pub const JOINT_HOST: u32 = 0;

/// The battle-manager settings common to all parties.
#[derive(Debug, Clone)]
pub struct BattleSetup {
    rotation: EarthRotation,
    doctrine: Doctrine,
    sectors: Vec<Sector>,
}

impl BattleSetup {
    /// The configuration of party `p`'s battle manager under `mode`: sectors apply only in M4.
    pub fn for_party(&self, mode: Mode, _p: u32) -> BattleConfig {
        BattleConfig {
            rotation: self.rotation,
            doctrine: self.doctrine,
            sectors: (mode == Mode::M4).then(|| self.sectors.clone()),
        }
    }
}

/// Doctrine and sectors from the scenario (degrees converted to radians).
pub fn battle_config(
    scn: &Scenario,
    rotation: EarthRotation,
    parties: &[String],
) -> Result<BattleSetup, SimError> {
    let doctrine = match &scn.doctrine {
        Some(d) => Doctrine {
            reserve_fraction: d.reserve_fraction,
            salvo_size: d.salvo_size,
            exact_max_targets: d.exact_max_targets as usize,
        },
        None => Doctrine::default(),
    };
    let sectors = scn
        .sectors
        .iter()
        .map(|s| {
            let owner = parties.iter().position(|p| *p == s.owner).ok_or_else(|| {
                SimError::Invalid(format!("sector '{}': unknown party '{}'", s.id, s.owner))
            })?;
            Ok(Sector {
                id: s.id.clone(),
                owner: owner as u32,
                vertices: s.vertices.iter().map(|v| (v[0].to_radians(), v[1].to_radians())).collect(),
            })
        })
        .collect::<Result<_, SimError>>()?;
    Ok(BattleSetup { rotation, doctrine, sectors })
}

/// The batteries party `p`'s node commands under `mode`: its own, or, in M5, every battery for the
/// joint host and none for the others.
pub fn commanded(mode: Mode, p: u32, batteries: &[BatterySpec]) -> Vec<BatteryState> {
    let commands = |b: &BatterySpec| if mode == Mode::M5 { p == JOINT_HOST } else { b.party == p };
    batteries.iter().filter(|b| commands(b)).map(|b| b.state.clone()).collect()
}

/// M5 shares everything: every agreement carries tracks and engagements, without filters.
pub fn share_everything(agreements: &mut [Agreement]) {
    for a in agreements {
        a.tracks = true;
        a.engagements = true;
        a.filter = ShareFilter::default();
    }
}
