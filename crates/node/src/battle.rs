//! How a node's battle manager is set up: the Earth's orientation (for interceptor fly-outs), the
//! firing doctrine, and the engagement authority (sectors, mode M4).

use shieldnet_earth::{EarthRotation, Ecef};
use shieldnet_engagement::Doctrine;
use shieldnet_engagement::sectors::{Sector, has_authority};

/// Battle-manager settings of a node.
#[derive(Debug, Clone, PartialEq)]
pub struct BattleConfig {
    /// Earth orientation over the run.
    pub rotation: EarthRotation,
    /// Firing doctrine.
    pub doctrine: Doctrine,
    /// Sectors whose owner alone may engage over them (M4); `None`: authority everywhere.
    pub sectors: Option<Vec<Sector>>,
}

impl BattleConfig {
    /// Default doctrine, authority everywhere.
    pub fn new(rotation: EarthRotation) -> Self {
        Self { rotation, doctrine: Doctrine::default(), sectors: None }
    }

    /// Whether party `party` may intercept at `point`.
    pub fn may_intercept_at(&self, party: u32, point: &Ecef) -> bool {
        self.sectors.as_ref().is_none_or(|s| has_authority(s, party, point))
    }
}
