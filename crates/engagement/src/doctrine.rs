//! Firing doctrine: how many interceptors a threat gets now, and how many rounds are kept back.
//!
//! Per threat, from its engagement windows: **shoot-look-shoot** when, after the first interceptor's
//! earliest intercept and its kill assessment (plus the battery's reaction time), some battery still
//! has an engagement window for a launch at that time; otherwise a **salvo** of
//! [`Doctrine::salvo_size`] shots at once. A **reserve** of each battery's magazine is kept for later
//! waves: reserve rounds only ever give an otherwise uncovered threat its first shot, never a second.

use serde::{Deserialize, Serialize};

/// The firing doctrine in force.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Doctrine {
    /// Fraction of each battery's magazine held back for later waves, in [0, 1].
    pub reserve_fraction: f64,
    /// Shots fired at once at a threat whose windows do not allow shoot-look-shoot (≥ 1).
    pub salvo_size: u32,
    /// Largest number of threats for which the weapon-target assignment is solved exactly (certified
    /// optimal); above it the VLNS heuristic is used.
    pub exact_max_targets: usize,
}

impl Default for Doctrine {
    /// No reserve, salvos of two, exact assignment up to 40 threats.
    fn default() -> Self {
        Self { reserve_fraction: 0.0, salvo_size: 2, exact_max_targets: 40 }
    }
}

/// How a threat is engaged this time round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FirePolicy {
    /// One shot now; another after the kill assessment if it missed.
    ShootLookShoot,
    /// Several shots now (the window leaves no time to look).
    Salvo,
}

impl Doctrine {
    /// Rounds of a magazine of `magazine` rounds held in reserve: ⌊fraction × magazine⌋.
    pub fn reserve_of(&self, magazine: u32) -> u32 {
        (self.reserve_fraction.clamp(0.0, 1.0) * f64::from(magazine)).floor() as u32
    }

    /// Shots fired now at a threat under `policy`.
    pub fn shots_now(&self, policy: FirePolicy) -> u32 {
        match policy {
            FirePolicy::ShootLookShoot => 1,
            FirePolicy::Salvo => self.salvo_size.max(1),
        }
    }
}

/// When a second interceptor could be launched after a first shot that intercepts at
/// `first_intercept_s`: after the kill assessment (`kill_assessment_s`) and the reaction time of the
/// battery that would fire again (`reaction_s`).
pub fn second_launch_s(first_intercept_s: f64, kill_assessment_s: f64, reaction_s: f64) -> f64 {
    first_intercept_s + kill_assessment_s + reaction_s
}

/// The policy for a threat: shoot-look-shoot when some battery still has an engagement window for a
/// launch at [`second_launch_s`] (`second_shot_feasible`), a salvo otherwise.
pub fn policy_for(second_shot_feasible: bool) -> FirePolicy {
    if second_shot_feasible { FirePolicy::ShootLookShoot } else { FirePolicy::Salvo }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_when_a_second_launch_after_assessment_is_feasible() {
        // First intercept at 500 s, assessment 10 s, reaction 30 s: the second launch is at 540 s.
        assert_eq!(second_launch_s(500.0, 10.0, 30.0), 540.0);
        assert_eq!(policy_for(true), FirePolicy::ShootLookShoot);
        assert_eq!(policy_for(false), FirePolicy::Salvo);
    }

    #[test]
    fn reserve_and_shots() {
        let d = Doctrine { reserve_fraction: 0.25, ..Doctrine::default() };
        assert_eq!(d.reserve_of(24), 6);
        assert_eq!(d.reserve_of(7), 1);
        assert_eq!(Doctrine::default().reserve_of(24), 0);
        assert_eq!(d.shots_now(FirePolicy::Salvo), 2);
        assert_eq!(d.shots_now(FirePolicy::ShootLookShoot), 1);
    }
}
