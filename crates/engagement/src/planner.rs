//! What a battle manager plans with: its batteries, the threats offered to it, and the shots it plans.
//! The planning itself is [`crate::battle::plan`].

use crate::doctrine::FirePolicy;
use crate::feasibility::{InterceptOpportunity, InterceptorKinematics};
use serde::{Deserialize, Serialize};
use shieldnet_earth::Geodetic;
use shieldnet_flight::Trajectory;

/// A battery as its battle manager sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatteryState {
    /// Index in the scenario.
    pub index: u32,
    /// Identifier.
    pub id: String,
    /// Site.
    pub site: Geodetic,
    /// Fly-out kinematics.
    pub kinematics: InterceptorKinematics,
    /// Single-shot kill probability (of a feasible intercept).
    pub pk: f64,
    /// Time from decision to launch, s.
    pub reaction_time_s: f64,
    /// Time from intercept to the kill assessment, s.
    pub kill_assessment_s: f64,
    /// Rounds at the start of the run.
    pub magazine: u32,
    /// Rounds left.
    pub rounds_left: u32,
}

/// A threat offered to the battle manager.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    /// Picture track id.
    pub track_id: u32,
    /// Value of what it threatens (times the probability it hits it).
    pub value: f64,
    /// Predicted flight (inertial), from [`crate::threat::ThreatAssessment::trajectory`].
    pub trajectory: &'a Trajectory,
}

/// A planned shot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlannedShot {
    /// Battery index.
    pub battery: u32,
    /// Picture track id.
    pub track_id: u32,
    /// The intercept it aims for.
    pub opportunity: InterceptOpportunity,
    /// The doctrine applied to its threat.
    pub policy: FirePolicy,
    /// Whether the round comes from the battery's reserve.
    pub from_reserve: bool,
}
