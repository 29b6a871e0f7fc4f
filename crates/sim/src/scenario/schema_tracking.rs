//! Scenario choices of the tracker in `[tracking]`: the filter, the motion model, the associator and
//! the confirmation logic of every party's tracker, and `[tracking.party.ID]` overrides for one party.

use serde::{Deserialize, Serialize};

/// `filter`: the Gaussian filter of each track (or of each IMM mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FilterChoice {
    /// Extended Kalman filter.
    #[default]
    Ekf,
    /// Unscented Kalman filter.
    Ukf,
}

/// `motion`: the motion model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MotionChoice {
    /// Ballistic (gravity + J2 in ECEF) with adaptive process noise.
    #[default]
    Ballistic,
    /// IMM over a boost and a ballistic mode.
    Imm,
    /// IMM over boost, ballistic and reentry (drag with an estimated ballistic coefficient).
    ImmReentry,
}

/// `associator`: the data associator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AssociatorChoice {
    /// Global nearest neighbour (optimal assignment).
    #[default]
    Gnn,
    /// Joint probabilistic data association.
    Jpda,
    /// Joint integrated PDA: JPDA with a probability of existence per track, which confirms and
    /// deletes tracks (so `confirmation = "sprt"` does not apply).
    Jipda,
}

/// `confirmation`: the track confirmation logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationChoice {
    /// M detections in the last N looks (`confirm_m`, `confirm_n`).
    #[default]
    MOfN,
    /// Sequential probability ratio test on the track score.
    Sprt,
}

/// `[tracking.party.ID]`: choices for one party's tracker; an omitted field takes `[tracking]`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PartyTracking {
    /// Filter of this party's tracker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterChoice>,
    /// Motion model of this party's tracker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motion: Option<MotionChoice>,
    /// Associator of this party's tracker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associator: Option<AssociatorChoice>,
    /// Confirmation logic of this party's tracker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<ConfirmationChoice>,
}

/// The four choices resolved for one party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResolvedTracking {
    /// Filter.
    pub filter: FilterChoice,
    /// Motion model.
    pub motion: MotionChoice,
    /// Associator.
    pub associator: AssociatorChoice,
    /// Confirmation logic.
    pub confirmation: ConfirmationChoice,
}

pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}
