//! The price of independence: expected leakers of each cooperative mode against the joint optimum (M5,
//! one battle manager over every interceptor) on the same raid and seeds, with the interceptors spent,
//! double engagements and uncovered threats per mode.

use crate::report::{Outcome, RunReport};
use crate::scenario::{Mode, Scenario};
use crate::world::{RunOptions, SimError, run};
use serde::{Deserialize, Serialize};

/// Mean figures of one mode over a set of seeded runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModeFigures {
    /// The mode.
    pub mode: Mode,
    /// Runs averaged.
    pub runs: u32,
    /// Mean number of threats that reached the ground.
    pub leakers: f64,
    /// Mean interceptors launched (all parties).
    pub interceptors: f64,
    /// Mean double engagements (two parties' interceptors in flight at one threat).
    pub double_engagements: f64,
    /// Mean threats that leaked without any interceptor fired at them.
    pub uncovered: f64,
}

/// One mode's price of independence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Price {
    /// The mode's figures.
    pub figures: ModeFigures,
    /// Mean leakers minus those of M5 on the same seeds (positive: independence costs leakers).
    pub extra_leakers: f64,
}

/// Per-run counts of a report: (leakers, interceptors, double engagements, uncovered).
pub fn counts(r: &RunReport) -> (u32, u32, u32, u32) {
    let leaked = |t: &&crate::report::ThreatReport| t.outcome == Outcome::Leaked;
    let leakers = r.threats.iter().filter(leaked).count() as u32;
    let uncovered =
        r.threats.iter().filter(leaked).filter(|t| t.interceptors_fired.values().sum::<u32>() == 0).count()
            as u32;
    let interceptors = r.parties.iter().map(|p| p.interceptors_fired).sum();
    (leakers, interceptors, r.double_engagements, uncovered)
}

/// Mean figures of `scn` run under `mode` with seeds `seeds` (run index 0 each).
pub fn mode_figures(scn: &Scenario, mode: Mode, seeds: &[u64]) -> Result<ModeFigures, SimError> {
    let mut s = scn.clone();
    s.cooperation.mode = mode;
    let mut sum = [0u64; 4];
    for &seed in seeds {
        let (r, _) = run(&s, &RunOptions { seed: Some(seed), ..RunOptions::default() })?;
        let (a, b, c, d) = counts(&r);
        for (acc, v) in sum.iter_mut().zip([a, b, c, d]) {
            *acc += u64::from(v);
        }
    }
    let n = seeds.len().max(1) as f64;
    Ok(ModeFigures {
        mode,
        runs: seeds.len() as u32,
        leakers: sum[0] as f64 / n,
        interceptors: sum[1] as f64 / n,
        double_engagements: sum[2] as f64 / n,
        uncovered: sum[3] as f64 / n,
    })
}

/// The price of independence of each of `modes` against M5 on the same seeds: M5's figures first,
/// then one entry per mode in the order given.
pub fn price_of_independence(scn: &Scenario, modes: &[Mode], seeds: &[u64]) -> Result<Vec<Price>, SimError> {
    let joint = mode_figures(scn, Mode::M5, seeds)?;
    let mut out = vec![Price { figures: joint.clone(), extra_leakers: 0.0 }];
    for &m in modes.iter().filter(|&&m| m != Mode::M5) {
        let f = mode_figures(scn, m, seeds)?;
        out.push(Price { extra_leakers: f.leakers - joint.leakers, figures: f });
    }
    Ok(out)
}
