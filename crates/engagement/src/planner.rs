//! One-round-per-threat engagement planning: each threat gets at most one interceptor per planning
//! round, chosen by an optimal assignment of batteries' rounds to threats that maximises the expected
//! value saved (value × Pk), preferring earlier intercepts (which leave time to shoot again after a
//! miss: shoot-look-shoot).

use crate::feasibility::{InterceptOpportunity, InterceptorKinematics, window};
use serde::{Deserialize, Serialize};
use shieldnet_earth::{Ecef, Geodetic};
use shieldnet_tracking::assignment::{FORBIDDEN, assign_with_dummies};

/// A battery as its owner's planner sees it.
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
    /// Single-shot kill probability.
    pub pk: f64,
    /// Time from decision to launch, s.
    pub reaction_time_s: f64,
    /// Rounds left.
    pub rounds_left: u32,
}

/// A threat offered to the planner.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    /// Picture track id.
    pub track_id: u32,
    /// Value of what it threatens (times the probability it hits it).
    pub value: f64,
    /// Predicted path (time, ECEF position).
    pub path: &'a [(f64, Ecef)],
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
}

/// Plans at most one shot per candidate at time `now_s`, with launches no earlier than
/// `now_s + max(reaction time, hold_s)`.
pub fn plan_one_round_per_threat(
    candidates: &[Candidate<'_>],
    batteries: &[BatteryState],
    now_s: f64,
    hold_s: f64,
) -> Vec<PlannedShot> {
    // Columns: one per round a battery could fire in this round of planning.
    let mut slots: Vec<usize> = Vec::new();
    for (b, bat) in batteries.iter().enumerate() {
        for _ in 0..bat.rounds_left.min(candidates.len() as u32) {
            slots.push(b);
        }
    }
    if slots.is_empty() || candidates.is_empty() {
        return Vec::new();
    }
    let windows: Vec<Vec<Option<InterceptOpportunity>>> = candidates
        .iter()
        .map(|c| {
            batteries
                .iter()
                .map(|b| {
                    window(c.path, &b.site, &b.kinematics, now_s + b.reaction_time_s.max(hold_s))
                        .map(|w| w.earliest)
                })
                .collect()
        })
        .collect();
    let cost: Vec<Vec<f64>> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            slots
                .iter()
                .map(|&b| match windows[i][b] {
                    // Expected value saved, with a small preference for earlier intercepts.
                    Some(o) => -(c.value * batteries[b].pk) + 1e-6 * (o.intercept_time_s - now_s),
                    None => FORBIDDEN,
                })
                .collect()
        })
        .collect();
    let assignment = assign_with_dummies(&cost, &vec![0.0; candidates.len()]);
    candidates
        .iter()
        .zip(assignment)
        .enumerate()
        .filter_map(|(i, (c, col))| {
            let b = slots[col?];
            windows[i][b].map(|o| PlannedShot {
                battery: batteries[b].index,
                track_id: c.track_id,
                opportunity: o,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_over(site: &Geodetic, offset_s: f64) -> Vec<(f64, Ecef)> {
        let [e, _, u] = site.enu_axes();
        let c = site.to_ecef().0 + u * 200e3;
        (0..=150)
            .map(|k| (offset_s + k as f64 * 4.0, Ecef(c + e * (3000.0 * (k as f64 * 4.0 - 300.0)))))
            .collect()
    }

    fn battery(rounds: u32) -> BatteryState {
        BatteryState {
            index: 3,
            id: "b".into(),
            site: Geodetic::from_degrees(44.0, 24.0, 0.0),
            kinematics: InterceptorKinematics::example(),
            pk: 0.8,
            reaction_time_s: 10.0,
            rounds_left: rounds,
        }
    }

    #[test]
    fn assigns_one_round_per_threat_and_never_an_infeasible_threat() {
        let b = battery(5);
        let p1 = path_over(&b.site, 0.0);
        let p2 = path_over(&b.site, 30.0);
        // A threat 5,000 km away: outside every window.
        let far_site = Geodetic::from_degrees(10.0, 80.0, 0.0);
        let p3 = path_over(&far_site, 0.0);
        let c = [
            Candidate { track_id: 1, value: 100.0, path: &p1 },
            Candidate { track_id: 2, value: 50.0, path: &p2 },
            Candidate { track_id: 3, value: 500.0, path: &p3 },
        ];
        let shots = plan_one_round_per_threat(&c, &[b], 0.0, 0.0);
        let tracks: Vec<u32> = shots.iter().map(|s| s.track_id).collect();
        assert_eq!(tracks, vec![1, 2]);
        assert!(shots.iter().all(|s| s.opportunity.launch_time_s >= 10.0 - 1e-9));
    }

    #[test]
    fn scarce_rounds_go_to_the_most_valuable_threat() {
        let b = battery(1);
        let p1 = path_over(&b.site, 0.0);
        let p2 = path_over(&b.site, 30.0);
        let c = [
            Candidate { track_id: 1, value: 10.0, path: &p1 },
            Candidate { track_id: 2, value: 90.0, path: &p2 },
        ];
        let shots = plan_one_round_per_threat(&c, &[b], 0.0, 0.0);
        assert_eq!(shots.len(), 1);
        assert_eq!(shots[0].track_id, 2);
    }
}
