//! The battle manager: assigns the interceptors it commands across the current threats by a static
//! weapon-target assignment, then applies the firing doctrine.
//!
//! Targets are the threats offered (value = threatened asset value × probability of hitting it);
//! weapon types are the batteries with rounds beyond their reserve; the kill probability of a
//! (battery, threat) pair is the battery's Pk when the threat lies in its engagement window
//! ([`crate::feasibility`], restricted to admitted intercept points) and 0 otherwise, so a threat
//! outside every window is never assigned. The assignment is solved exactly (certified optimal) for up
//! to [`Doctrine::exact_max_targets`] threats, by VLNS above. Of the rounds the assignment gives a
//! threat, [`Doctrine::shots_now`] are fired now, earliest intercepts first (one under
//! shoot-look-shoot, a salvo otherwise); the rest stay for a later decision. Threats left without a
//! round then get one first shot each from the reserve, most valuable first.

use crate::doctrine::{Doctrine, FirePolicy, policy_for, second_launch_s};
use crate::feasibility::{EngagementWindow, window_where};
use crate::planner::{BatteryState, Candidate, PlannedShot};
use crate::wta::{Heuristic, SolveOptions, WeaponType, WtaInstance, solve};
use shieldnet_earth::{EarthRotation, Ecef};

/// What a planning decision depends on besides threats and batteries.
pub struct PlanContext<'a> {
    /// Decision time, s.
    pub now_s: f64,
    /// Least delay before any launch (coordination hold), s.
    pub hold_s: f64,
    /// Earth orientation.
    pub rotation: &'a EarthRotation,
    /// Doctrine in force.
    pub doctrine: &'a Doctrine,
    /// Which intercept points this manager may use (sector authority); `|_| true` for any.
    pub admit: &'a dyn Fn(&Ecef) -> bool,
}

/// A planning decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Shots to launch (at their opportunity's launch time).
    pub shots: Vec<PlannedShot>,
    /// Threats (track ids) no battery can reach.
    pub unreachable: Vec<u32>,
    /// Threats reachable but left without a shot (no rounds).
    pub unserved: Vec<u32>,
    /// Whether the assignment was certified optimal.
    pub optimal: bool,
}

/// Plans shots of `batteries` against `candidates` (see the module documentation).
pub fn plan(candidates: &[Candidate<'_>], batteries: &[BatteryState], ctx: &PlanContext<'_>) -> Plan {
    let windows: Vec<Vec<Option<EngagementWindow>>> = candidates
        .iter()
        .map(|c| {
            batteries
                .iter()
                .map(|b| {
                    if b.rounds_left == 0 || b.pk <= 0.0 {
                        return None;
                    }
                    let earliest_launch = ctx.now_s + b.reaction_time_s.max(ctx.hold_s);
                    window_where(
                        c.trajectory,
                        &b.site,
                        &b.kinematics,
                        earliest_launch,
                        ctx.rotation,
                        ctx.admit,
                    )
                })
                .collect()
        })
        .collect();
    let mut out = Plan { optimal: true, ..Plan::default() };
    let reachable: Vec<usize> =
        (0..candidates.len()).filter(|&i| windows[i].iter().any(Option::is_some)).collect();
    out.unreachable =
        (0..candidates.len()).filter(|i| !reachable.contains(i)).map(|i| candidates[i].track_id).collect();
    if reachable.is_empty() {
        return out;
    }
    let mut left: Vec<u32> = batteries.iter().map(|b| b.rounds_left).collect();
    let usable: Vec<u32> =
        batteries.iter().map(|b| b.rounds_left.saturating_sub(ctx.doctrine.reserve_of(b.magazine))).collect();
    let weapons: Vec<usize> = (0..batteries.len()).filter(|&b| usable[b] > 0).collect();
    let mut shots_of = vec![0u32; candidates.len()];
    if !weapons.is_empty() {
        let instance = WtaInstance {
            target_values: reachable.iter().map(|&i| candidates[i].value.max(0.0)).collect(),
            weapons: weapons
                .iter()
                .map(|&b| WeaponType {
                    count: usable[b],
                    pk: reachable
                        .iter()
                        .map(|&i| if windows[i][b].is_some() { batteries[b].pk.clamp(0.0, 1.0) } else { 0.0 })
                        .collect(),
                })
                .collect(),
        };
        let options = if reachable.len() <= ctx.doctrine.exact_max_targets {
            SolveOptions::exact()
        } else {
            SolveOptions::heuristic(Heuristic::Vlns)
        };
        if let Ok(sol) = solve(&instance, &options) {
            out.optimal = sol.optimal;
            for (col, &i) in reachable.iter().enumerate() {
                // Rounds the assignment gives this threat, earliest intercepts first.
                let mut rounds: Vec<(usize, EngagementWindow)> = Vec::new();
                for (row, &b) in weapons.iter().enumerate() {
                    if let Some(w) = windows[i][b] {
                        rounds.extend(std::iter::repeat_n((b, w), sol.assignment[row][col] as usize));
                    }
                }
                rounds.sort_by(|x, y| {
                    x.1.earliest
                        .intercept_time_s
                        .total_cmp(&y.1.earliest.intercept_time_s)
                        .then(x.0.cmp(&y.0))
                });
                let policy = threat_policy(&candidates[i], &windows[i], batteries, ctx);
                for &(b, w) in rounds.iter().take(ctx.doctrine.shots_now(policy) as usize) {
                    left[b] -= 1;
                    shots_of[i] += 1;
                    out.shots.push(shot(&batteries[b], candidates[i].track_id, &w, policy, false));
                }
            }
        } else {
            out.optimal = false;
        }
    }
    // Reserve rounds: one first shot for each reachable threat still uncovered, most valuable first.
    let mut uncovered: Vec<usize> = reachable.iter().copied().filter(|&i| shots_of[i] == 0).collect();
    uncovered.sort_by(|&a, &b| candidates[b].value.total_cmp(&candidates[a].value).then(a.cmp(&b)));
    for i in uncovered {
        let best = (0..batteries.len())
            .filter(|&b| left[b] > 0)
            .filter_map(|b| windows[i][b].map(|w| (b, w)))
            .min_by(|x, y| {
                batteries[y.0]
                    .pk
                    .total_cmp(&batteries[x.0].pk)
                    .then(x.1.earliest.intercept_time_s.total_cmp(&y.1.earliest.intercept_time_s))
                    .then(x.0.cmp(&y.0))
            });
        match best {
            Some((b, w)) => {
                left[b] -= 1;
                let policy = threat_policy(&candidates[i], &windows[i], batteries, ctx);
                out.shots.push(shot(&batteries[b], candidates[i].track_id, &w, policy, true));
            }
            None => out.unserved.push(candidates[i].track_id),
        }
    }
    out
}

/// The doctrine's policy for one threat: shoot-look-shoot when some battery with rounds still has a
/// window for a launch after the first shot's intercept, kill assessment and reaction time.
fn threat_policy(
    c: &Candidate<'_>,
    windows: &[Option<EngagementWindow>],
    batteries: &[BatteryState],
    ctx: &PlanContext<'_>,
) -> FirePolicy {
    let Some((fb, first)) = windows
        .iter()
        .enumerate()
        .filter_map(|(b, w)| w.map(|w| (b, w)))
        .min_by(|x, y| x.1.earliest.intercept_time_s.total_cmp(&y.1.earliest.intercept_time_s))
    else {
        return FirePolicy::Salvo;
    };
    let ka = batteries[fb].kill_assessment_s;
    let second = batteries.iter().enumerate().any(|(b, bat)| {
        windows[b].is_some_and(|w| {
            let t2 = second_launch_s(first.earliest.intercept_time_s, ka, bat.reaction_time_s);
            // Cheap rejection before the fly-out search: the window cannot outlast its latest point.
            t2 < w.latest.intercept_time_s
                && window_where(c.trajectory, &bat.site, &bat.kinematics, t2, ctx.rotation, ctx.admit)
                    .is_some()
        })
    });
    policy_for(second)
}

fn shot(
    b: &BatteryState,
    track_id: u32,
    w: &EngagementWindow,
    policy: FirePolicy,
    from_reserve: bool,
) -> PlannedShot {
    PlannedShot { battery: b.index, track_id, opportunity: w.earliest, policy, from_reserve }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feasibility::InterceptorKinematics;
    use shieldnet_earth::Geodetic;
    use shieldnet_flight::{BoostSpec, Trajectory, fly_threat};

    fn rot() -> EarthRotation {
        EarthRotation::at_julian_date(2_457_175.0)
    }

    fn threat(launch: (f64, f64), aim: (f64, f64), t0: f64) -> Trajectory {
        let boost =
            BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 130e3 };
        let l = Geodetic::from_degrees(launch.0, launch.1, 0.0);
        let a = Geodetic::from_degrees(aim.0, aim.1, 0.0);
        fly_threat(&l, &a, t0, &boost, &rot()).unwrap()
    }

    fn deveselu(rounds: u32, magazine: u32) -> BatteryState {
        BatteryState {
            index: 3,
            id: "aa-deveselu".into(),
            site: Geodetic::from_degrees(44.079, 24.413, 150.0),
            kinematics: InterceptorKinematics {
                burnout_speed_m_s: 3000.0,
                burn_time_s: 50.0,
                max_range_m: 900e3,
                min_alt_m: 70e3,
                max_alt_m: 500e3,
            },
            pk: 0.7,
            reaction_time_s: 30.0,
            kill_assessment_s: 10.0,
            magazine,
            rounds_left: rounds,
        }
    }

    fn ctx<'a>(rot: &'a EarthRotation, d: &'a Doctrine) -> PlanContext<'a> {
        PlanContext { now_s: 100.0, hold_s: 0.0, rotation: rot, doctrine: d, admit: &|_| true }
    }

    const TABRIZ: (f64, f64) = (38.08, 46.29);
    const BUCHAREST: (f64, f64) = (44.43, 26.10);

    #[test]
    fn a_threat_outside_every_window_is_never_assigned() {
        let (r, d) = (rot(), Doctrine::default());
        let near = threat(TABRIZ, BUCHAREST, 0.0);
        // North Korea → Japan: thousands of km from Deveselu.
        let far = threat((39.0, 125.7), (35.7, 139.7), 0.0);
        let c = [
            Candidate { track_id: 1, value: 50.0, trajectory: &near },
            Candidate { track_id: 2, value: 1000.0, trajectory: &far },
        ];
        let p = plan(&c, &[deveselu(24, 24)], &ctx(&r, &d));
        assert!(p.optimal);
        assert!(p.shots.iter().all(|s| s.track_id == 1), "{:?}", p.shots);
        assert!(!p.shots.is_empty());
        assert_eq!(p.unreachable, vec![2]);
        for s in &p.shots {
            assert!(s.opportunity.launch_time_s >= 130.0 - 1e-9);
        }
    }

    #[test]
    fn doctrine_looks_when_the_window_allows_and_salvoes_when_not() {
        let r = rot();
        let tr = threat(TABRIZ, BUCHAREST, 0.0);
        let c = [Candidate { track_id: 7, value: 100.0, trajectory: &tr }];
        let d = Doctrine::default();
        // The policy agrees with a direct check: is there a window for a launch after the first
        // intercept plus assessment and reaction? With instant assessment and reaction there is
        // (the window's end is not the first intercept), so shoot-look-shoot: one shot.
        let cases = [
            (0.0, 0.0, Some(FirePolicy::ShootLookShoot)),
            (10.0, 30.0, None),
            (10_000.0, 30.0, Some(FirePolicy::Salvo)),
        ];
        for (ka, reaction, known) in cases {
            let b = BatteryState { kill_assessment_s: ka, reaction_time_s: reaction, ..deveselu(24, 24) };
            let p = plan(&c, std::slice::from_ref(&b), &ctx(&r, &d));
            let first = p.shots[0].opportunity.intercept_time_s;
            let again =
                window_where(&tr, &b.site, &b.kinematics, first + ka + reaction, &r, &|_| true).is_some();
            let expect = if again { FirePolicy::ShootLookShoot } else { FirePolicy::Salvo };
            if let Some(k) = known {
                assert_eq!(expect, k, "ka {ka} reaction {reaction}");
            }
            assert!(p.shots.iter().all(|s| s.policy == expect));
            assert_eq!(p.shots.len() as u32, d.shots_now(expect), "ka {ka}");
        }
    }

    #[test]
    fn scarce_rounds_go_to_the_most_valuable_threat_and_the_reserve_covers_only_first_shots() {
        let r = rot();
        let a = threat(TABRIZ, BUCHAREST, 0.0);
        let b = threat(TABRIZ, BUCHAREST, 20.0);
        let c = [
            Candidate { track_id: 1, value: 10.0, trajectory: &a },
            Candidate { track_id: 2, value: 90.0, trajectory: &b },
        ];
        let d = Doctrine::default();
        let p = plan(&c, &[deveselu(1, 24)], &ctx(&r, &d));
        assert_eq!(p.shots.len(), 1);
        assert_eq!(p.shots[0].track_id, 2);
        assert_eq!(p.unserved, vec![1]);
        // Magazine 4 with half in reserve and 3 rounds left: one usable round (to the valuable
        // threat), then one reserve round gives the other threat its first shot; one reserve round
        // stays, even if the doctrine asks for salvos.
        let d = Doctrine { reserve_fraction: 0.5, ..Doctrine::default() };
        let salvo = BatteryState { kill_assessment_s: 10_000.0, ..deveselu(3, 4) };
        let p = plan(&c, &[salvo], &ctx(&r, &d));
        let tracks: Vec<(u32, bool)> = p.shots.iter().map(|s| (s.track_id, s.from_reserve)).collect();
        assert_eq!(tracks, vec![(2, false), (1, true)]);
    }
}
