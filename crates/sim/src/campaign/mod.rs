//! Monte Carlo campaigns: many seeded runs of a scenario (and of each combination of a parameter
//! sweep), run in parallel, reduced to per-run and per-threat rows and a summary with confidence
//! intervals.
//!
//! ## Determinism at every scale
//! Run `i` of a campaign is `world::run` with the campaign seed and `run_index = i`; every random
//! draw of it comes from streams keyed by (seed, i, purpose, entity), so its result does not depend
//! on the thread or machine that ran it. Rows are collected in (combination, run) order and every
//! reduction is sequential in that order, so the output is byte-identical for any thread count. A
//! shard `I/K` runs the runs `i` with `i mod K == I` (of every combination); [`merge`] of the `K`
//! shards gives the same [`CampaignResults`] as the unsharded campaign.
//!
//! ## Example
//! ```no_run
//! use shieldnet_sim::campaign::{CampaignPlan, run_campaign};
//! use shieldnet_sim::scenario::load_builtin;
//!
//! let plan = CampaignPlan::new(load_builtin("epaa-2015").unwrap(), None, 100, vec![]).unwrap();
//! let results = run_campaign(&plan, None, 2, &|| {}).unwrap();
//! let summary = &shieldnet_sim::campaign::summarize(&results)[0];
//! println!("P(no leaker) = {:.3}", summary.p_zero_leakers.value);
//! ```

pub mod stats;
pub mod vary;

use crate::build::{Setup, build};
use crate::report::{Outcome, RunReport};
use crate::scenario::{Scenario, load_str, to_toml_string};
use crate::world::{RunOptions, SimError, run_prepared};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use stats::{Estimate, Z95, mean_ci, wilson};
use std::fmt;
use std::str::FromStr;
pub use vary::{Variation, VaryError};

/// The format tag written into every campaign manifest.
pub const FORMAT: &str = "shieldnet-campaign/1";

/// Why a campaign could not be planned, run or merged.
#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    /// A `--vary` argument is unusable.
    #[error(transparent)]
    Vary(#[from] VaryError),
    /// A combination of the sweep is not a valid scenario.
    #[error("combination `{label}` is not a valid scenario: {message}")]
    InvalidCombination {
        /// The combination.
        label: String,
        /// The first problem.
        message: String,
    },
    /// A run failed.
    #[error("combination `{label}`, run {run}: {source}")]
    Run {
        /// The combination.
        label: String,
        /// The run index.
        run: u64,
        /// The cause.
        #[source]
        source: SimError,
    },
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Requested threads.
        threads: usize,
        /// The cause.
        message: String,
    },
    /// Shards cannot be merged.
    #[error("cannot merge: {0}")]
    Merge(String),
    /// A `--shard` argument is unusable.
    #[error("--shard {0}: expected I/K with 0 <= I < K (e.g. 0/4), I as in a job-array index")]
    BadShard(String),
}

/// A share of a campaign: the runs `i` with `i mod count == index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, 0-based.
    pub index: u64,
    /// Number of shards.
    pub count: u64,
}

impl Shard {
    /// Whether run `i` belongs to this shard.
    pub fn owns(&self, run: u64) -> bool {
        run % self.count == self.index
    }
}

impl FromStr for Shard {
    type Err = CampaignError;
    fn from_str(s: &str) -> Result<Self, CampaignError> {
        let bad = || CampaignError::BadShard(s.to_owned());
        let (i, k) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = i.trim().parse().map_err(|_| bad())?;
        let count: u64 = k.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One combination of a sweep, as recorded in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CombinationInfo {
    /// Index, 0-based, in sweep order.
    pub index: usize,
    /// `param=value, …`, or `base` when nothing is varied.
    pub label: String,
    /// The `(param, value)` pairs.
    pub settings: Vec<(String, String)>,
    /// Cooperation mode in force.
    pub mode: String,
}

/// What a campaign is: everything that must agree between shards to merge them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// Scenario name.
    pub scenario: String,
    /// FNV-1a 64-bit hash of the base scenario written as canonical TOML.
    pub scenario_hash: String,
    /// Campaign seed.
    pub seed: u64,
    /// Runs per combination.
    pub runs: u64,
    /// Party ids, in scenario order (the order of per-party columns).
    pub parties: Vec<String>,
    /// The `--vary` arguments.
    pub variations: Vec<Variation>,
    /// The combinations.
    pub combinations: Vec<CombinationInfo>,
    /// The shard these results cover; `None` for a whole campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

/// A campaign ready to run: the manifest and one validated scenario per combination.
#[derive(Debug, Clone)]
pub struct CampaignPlan {
    /// The manifest (with `shard: None`).
    pub manifest: Manifest,
    /// Scenario of each combination.
    pub scenarios: Vec<Scenario>,
}

fn fnv1a(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

impl CampaignPlan {
    /// Plans `runs` runs of `base` (seed `seed` or the scenario's) for every combination of
    /// `variations`. Each combination is validated as a scenario file would be, and its cooperation
    /// mode must be implemented.
    pub fn new(
        base: Scenario,
        seed: Option<u64>,
        runs: u64,
        variations: Vec<Variation>,
    ) -> Result<Self, CampaignError> {
        let canonical = to_toml_string(&base).map_err(|e| CampaignError::InvalidCombination {
            label: "base".into(),
            message: e.to_string(),
        })?;
        let mut scenarios = Vec::new();
        let mut combinations = Vec::new();
        for (index, settings) in vary::combinations(&variations).into_iter().enumerate() {
            let mut scn = base.clone();
            for (p, v) in &settings {
                vary::apply(&mut scn, p, v).map_err(|message| VaryError {
                    arg: format!(
                        "{p}={}",
                        variations.iter().find(|x| &x.param == p).map_or(v.clone(), |x| x.values.join(","))
                    ),
                    message,
                })?;
            }
            let label = if settings.is_empty() {
                "base".to_owned()
            } else {
                settings.iter().map(|(p, v)| format!("{p}={v}")).collect::<Vec<_>>().join(", ")
            };
            let invalid =
                |message: String| CampaignError::InvalidCombination { label: label.clone(), message };
            if !settings.is_empty() {
                let text = to_toml_string(&scn).map_err(|e| invalid(e.to_string()))?;
                scn = load_str(&text, &format!("combination {label}"))
                    .map_err(|e| invalid(format!("{}: {} ({})", e.field(), e.message(), e.hint())))?;
            }
            crate::build::build(&scn).map_err(|e| invalid(e.to_string()))?;
            combinations.push(CombinationInfo {
                index,
                label,
                settings,
                mode: format!("{:?}", scn.cooperation.mode),
            });
            scenarios.push(scn);
        }
        let manifest = Manifest {
            format: FORMAT.into(),
            scenario: base.scenario.name.clone(),
            scenario_hash: fnv1a(&canonical),
            seed: seed.unwrap_or(base.scenario.seed),
            runs,
            parties: base.parties.iter().map(|p| p.id.clone()).collect(),
            variations,
            combinations,
            shard: None,
        };
        Ok(Self { manifest, scenarios })
    }

    /// Number of runs a shard (or the whole campaign) makes, over all combinations.
    pub fn job_count(&self, shard: Option<Shard>) -> u64 {
        let per = match shard {
            None => self.manifest.runs,
            Some(s) => (0..self.manifest.runs).filter(|r| s.owns(*r)).count() as u64,
        };
        per * self.scenarios.len() as u64
    }
}

/// One run of one combination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    /// Combination index.
    pub combination: usize,
    /// Run index.
    pub run: u64,
    /// Threats launched.
    pub threats: u32,
    /// Threats that reached the ground.
    pub leakers: u32,
    /// Threats destroyed.
    pub intercepted: u32,
    /// Threats still flying at the end.
    pub in_flight: u32,
    /// Interceptors launched, all parties.
    pub interceptors_spent: u32,
    /// Interceptors launched per party (manifest order).
    pub spent_by_party: Vec<u32>,
    /// Interceptor pairs of different parties in flight toward one threat at once.
    pub double_engagements: u32,
}

/// One threat of one run of one combination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreatRow {
    /// Combination index.
    pub combination: usize,
    /// Run index.
    pub run: u64,
    /// Threat id.
    pub threat: String,
    /// Raid id.
    pub raid: String,
    /// Launch time, s after the epoch.
    pub launch_time_s: f64,
    /// Impact time had it not been intercepted, s.
    pub impact_time_s: f64,
    /// Fate.
    pub outcome: Outcome,
    /// Party whose interceptor destroyed it.
    pub intercepted_by: Option<String>,
    /// Intercept time, s.
    pub intercept_time_s: Option<f64>,
    /// Defended asset hit.
    pub asset_hit: Option<String>,
    /// Interceptors fired at it, all parties.
    pub interceptors_fired: u32,
    /// Interceptors fired at it per party.
    pub fired_by_party: Vec<u32>,
    /// First detection by each party's own radars, s.
    pub first_detection_s: Vec<Option<f64>>,
    /// First own confirmed track per party, s.
    pub first_own_track_s: Vec<Option<f64>>,
    /// First appearance in each party's fused picture, s.
    pub first_picture_s: Vec<Option<f64>>,
}

/// The rows of a campaign or of a shard, in (combination, run) order.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignResults {
    /// What was run.
    pub manifest: Manifest,
    /// One row per run.
    pub runs: Vec<RunRow>,
    /// One row per run and threat.
    pub threats: Vec<ThreatRow>,
}

fn rows_of(parties: &[String], combination: usize, run: u64, r: &RunReport) -> (RunRow, Vec<ThreatRow>) {
    let count = |o: Outcome| r.threats.iter().filter(|t| t.outcome == o).count() as u32;
    let spent_by_party: Vec<u32> = parties
        .iter()
        .map(|p| r.parties.iter().find(|x| &x.id == p).map_or(0, |x| x.interceptors_fired))
        .collect();
    let run_row = RunRow {
        combination,
        run,
        threats: r.threats.len() as u32,
        leakers: count(Outcome::Leaked),
        intercepted: count(Outcome::Intercepted),
        in_flight: count(Outcome::InFlight),
        interceptors_spent: spent_by_party.iter().sum(),
        spent_by_party,
        double_engagements: r.double_engagements,
    };
    let threats = r
        .threats
        .iter()
        .map(|t| {
            let per = |m: &std::collections::BTreeMap<String, Option<f64>>| -> Vec<Option<f64>> {
                parties.iter().map(|p| m.get(p).copied().flatten()).collect()
            };
            let fired_by_party: Vec<u32> =
                parties.iter().map(|p| t.interceptors_fired.get(p).copied().unwrap_or(0)).collect();
            ThreatRow {
                combination,
                run,
                threat: t.id.clone(),
                raid: t.raid.clone(),
                launch_time_s: t.launch_time_s,
                impact_time_s: t.impact_time_s,
                outcome: t.outcome,
                intercepted_by: t.intercepted_by.clone(),
                intercept_time_s: t.intercept_time_s,
                asset_hit: t.asset_hit.clone(),
                interceptors_fired: fired_by_party.iter().sum(),
                fired_by_party,
                first_detection_s: per(&t.first_detection_s),
                first_own_track_s: per(&t.first_own_track_s),
                first_picture_s: per(&t.first_picture_s),
            }
        })
        .collect();
    (run_row, threats)
}

/// Runs a campaign (or one shard of it) on `threads` worker threads (0 = one per core). `progress`
/// is called once after each run, from whichever thread made it.
pub fn run_campaign(
    plan: &CampaignPlan,
    shard: Option<Shard>,
    threads: usize,
    progress: &(dyn Fn() + Sync),
) -> Result<CampaignResults, CampaignError> {
    let m = &plan.manifest;
    let jobs: Vec<(usize, u64)> = (0..plan.scenarios.len())
        .flat_map(|c| (0..m.runs).filter(move |r| shard.is_none_or(|s| s.owns(*r))).map(move |r| (c, r)))
        .collect();
    // Each combination's cast (threat trajectories, radars, ...) holds no randomness: build it once.
    let setups: Vec<Setup> = plan
        .scenarios
        .iter()
        .enumerate()
        .map(|(c, scn)| {
            build(scn).map_err(|source| CampaignError::Run {
                label: m.combinations[c].label.clone(),
                run: jobs.iter().find(|j| j.0 == c).map_or(0, |j| j.1),
                source,
            })
        })
        .collect::<Result<_, _>>()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CampaignError::Threads { threads, message: e.to_string() })?;
    let outputs: Vec<Result<(RunRow, Vec<ThreatRow>), CampaignError>> = pool.install(|| {
        jobs.par_iter()
            .map(|&(c, r)| {
                // No audit signing and no tracking metrics: campaigns report outcomes only, and both cost time.
                let opts = RunOptions {
                    seed: Some(m.seed),
                    run_index: r,
                    record: false,
                    audit: false,
                    outcomes_only: true,
                };
                let out = run_prepared(&plan.scenarios[c], &setups[c], &opts)
                    .map(|(report, _)| rows_of(&m.parties, c, r, &report))
                    .map_err(|source| CampaignError::Run {
                        label: m.combinations[c].label.clone(),
                        run: r,
                        source,
                    });
                progress();
                out
            })
            .collect()
    });
    let mut runs = Vec::with_capacity(outputs.len());
    let mut threats = Vec::new();
    for o in outputs {
        let (row, t) = o?;
        runs.push(row);
        threats.extend(t);
    }
    Ok(CampaignResults { manifest: Manifest { shard, ..m.clone() }, runs, threats })
}

/// Merges the results of the `K` shards of one campaign (in any order) into the results of the whole
/// campaign. Refuses shards of different scenarios, seeds, run counts, sweeps or shard counts, a
/// missing or repeated shard, and shards whose rows are not the runs they should hold.
pub fn merge(mut shards: Vec<CampaignResults>) -> Result<CampaignResults, CampaignError> {
    let err = |m: String| CampaignError::Merge(m);
    let first = shards.first().ok_or_else(|| err("no shard given".into()))?;
    let k = first.manifest.shard.map_or(1, |s| s.count);
    let whole = Manifest { shard: None, ..first.manifest.clone() };
    for s in &shards {
        let m = &s.manifest;
        let what = m.shard.map_or("an unsharded campaign".to_string(), |x| format!("shard {x}"));
        let differs = |field: &str, a: &dyn fmt::Display, b: &dyn fmt::Display| {
            err(format!(
                "{what} has {field} {a} but the first shard has {b}; shards must come from one campaign"
            ))
        };
        if m.format != whole.format {
            return Err(differs("format", &m.format, &whole.format));
        }
        if m.scenario != whole.scenario || m.scenario_hash != whole.scenario_hash {
            return Err(differs(
                "scenario",
                &format!("{} ({})", m.scenario, m.scenario_hash),
                &format!("{} ({})", whole.scenario, whole.scenario_hash),
            ));
        }
        if m.seed != whole.seed {
            return Err(differs("seed", &m.seed, &whole.seed));
        }
        if m.runs != whole.runs {
            return Err(differs("runs", &m.runs, &whole.runs));
        }
        if m.variations != whole.variations
            || m.combinations != whole.combinations
            || m.parties != whole.parties
        {
            let show = |v: &[Variation]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ");
            return Err(differs("sweep", &show(&m.variations), &show(&whole.variations)));
        }
        let kk = m.shard.map_or(1, |x| x.count);
        if kk != k {
            return Err(differs("shard count", &kk, &k));
        }
    }
    shards.sort_by_key(|s| s.manifest.shard.map_or(0, |x| x.index));
    let indices: Vec<u64> = shards.iter().map(|s| s.manifest.shard.map_or(0, |x| x.index)).collect();
    if let Some(w) = indices.windows(2).find(|w| w[0] == w[1]) {
        return Err(err(format!("shard {}/{k} is given more than once", w[0])));
    }
    let missing: Vec<String> = (0..k).filter(|i| !indices.contains(i)).map(|i| format!("{i}/{k}")).collect();
    if !missing.is_empty() {
        let list = missing.join(", ");
        let verb = if missing.len() == 1 { "shard {list} is" } else { "shards {list} are" };
        return Err(err(format!(
            "{} missing (give all {k} shard directories)",
            verb.replace("{list}", &list)
        )));
    }
    // Check each shard holds exactly its runs, then interleave by (combination, run).
    let mut runs: Vec<RunRow> = Vec::new();
    let mut threats: Vec<ThreatRow> = Vec::new();
    for s in &shards {
        let sh = s.manifest.shard.unwrap_or(Shard { index: 0, count: 1 });
        let expected: Vec<(usize, u64)> = (0..whole.combinations.len())
            .flat_map(|c| (0..whole.runs).filter(move |r| sh.owns(*r)).map(move |r| (c, r)))
            .collect();
        let got: Vec<(usize, u64)> = s.runs.iter().map(|r| (r.combination, r.run)).collect();
        if got != expected {
            return Err(err(format!(
                "shard {sh} holds {} run rows but should hold {} (an interrupted or edited shard?)",
                got.len(),
                expected.len()
            )));
        }
        if s.threats.iter().any(|t| !sh.owns(t.run) || t.combination >= whole.combinations.len()) {
            return Err(err(format!("shard {sh} holds threat rows of runs it does not own")));
        }
        runs.extend(s.runs.iter().cloned());
        threats.extend(s.threats.iter().cloned());
    }
    runs.sort_by_key(|r| (r.combination, r.run));
    // Stable sort: keeps the threat order within a run.
    threats.sort_by_key(|t| (t.combination, t.run));
    Ok(CampaignResults { manifest: whole, runs, threats })
}

/// Per-party detection figures of one combination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyDetection {
    /// Party id.
    pub party: String,
    /// Fraction of threats its own radars detected (Wilson 95 %).
    pub p_detected: Estimate,
    /// Mean time from launch to its first own detection, over detected threats, s.
    pub detection_delay_s: Estimate,
    /// Fraction of threats that entered its fused picture (Wilson 95 %).
    pub p_in_picture: Estimate,
    /// Mean time from launch to entering its fused picture, s.
    pub picture_delay_s: Estimate,
    /// Mean interceptors it spent per run.
    pub interceptors_spent: Estimate,
}

/// The summary of one combination. Intervals are 95 %: Wilson for proportions, normal
/// approximation for means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CombinationSummary {
    /// Combination index.
    pub combination: usize,
    /// Combination label.
    pub label: String,
    /// Cooperation mode.
    pub mode: String,
    /// Runs summarised.
    pub runs: u64,
    /// Runs without a leaker.
    pub zero_leaker_runs: u64,
    /// Probability that no threat leaks.
    pub p_zero_leakers: Estimate,
    /// Mean leakers per run.
    pub mean_leakers: Estimate,
    /// Probability that a given threat leaks (over all threats of all runs).
    pub p_leak_per_threat: Estimate,
    /// Mean interceptors spent per run.
    pub mean_interceptors: Estimate,
    /// Per party.
    pub parties: Vec<PartyDetection>,
}

/// Summarises results per combination, reducing sequentially in row order.
pub fn summarize(res: &CampaignResults) -> Vec<CombinationSummary> {
    let m = &res.manifest;
    m.combinations
        .iter()
        .map(|c| {
            let runs: Vec<&RunRow> = res.runs.iter().filter(|r| r.combination == c.index).collect();
            let threats: Vec<&ThreatRow> = res.threats.iter().filter(|t| t.combination == c.index).collect();
            let n = runs.len() as u64;
            let zero = runs.iter().filter(|r| r.leakers == 0).count() as u64;
            let leakers: Vec<f64> = runs.iter().map(|r| f64::from(r.leakers)).collect();
            let spent: Vec<f64> = runs.iter().map(|r| f64::from(r.interceptors_spent)).collect();
            let leaked = threats.iter().filter(|t| t.outcome == Outcome::Leaked).count() as u64;
            let nt = threats.len() as u64;
            let parties = m
                .parties
                .iter()
                .enumerate()
                .map(|(p, id)| {
                    let det: Vec<f64> = threats
                        .iter()
                        .filter_map(|t| t.first_detection_s[p].map(|d| d - t.launch_time_s))
                        .collect();
                    let pic: Vec<f64> = threats
                        .iter()
                        .filter_map(|t| t.first_picture_s[p].map(|d| d - t.launch_time_s))
                        .collect();
                    let sp: Vec<f64> = runs.iter().map(|r| f64::from(r.spent_by_party[p])).collect();
                    PartyDetection {
                        party: id.clone(),
                        p_detected: wilson(det.len() as u64, nt, Z95),
                        detection_delay_s: mean_ci(&det, Z95),
                        p_in_picture: wilson(pic.len() as u64, nt, Z95),
                        picture_delay_s: mean_ci(&pic, Z95),
                        interceptors_spent: mean_ci(&sp, Z95),
                    }
                })
                .collect();
            CombinationSummary {
                combination: c.index,
                label: c.label.clone(),
                mode: c.mode.clone(),
                runs: n,
                zero_leaker_runs: zero,
                p_zero_leakers: wilson(zero, n, Z95),
                mean_leakers: mean_ci(&leakers, Z95),
                p_leak_per_threat: wilson(leaked, nt, Z95),
                mean_interceptors: mean_ci(&spent, Z95),
                parties,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_builtin;

    fn small() -> Scenario {
        load_builtin("two-radars-one-threat").unwrap()
    }

    #[test]
    fn thread_count_does_not_change_results() {
        let plan = CampaignPlan::new(small(), None, 6, vec![]).unwrap();
        let a = run_campaign(&plan, None, 1, &|| {}).unwrap();
        let b = run_campaign(&plan, None, 2, &|| {}).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.runs.len(), 6);
    }

    #[test]
    fn shards_merge_to_the_whole() {
        let plan =
            CampaignPlan::new(small(), Some(7), 5, vec!["radar.xband-kurecik.pd=0.5,0.9".parse().unwrap()])
                .unwrap();
        let whole = run_campaign(&plan, None, 2, &|| {}).unwrap();
        let shards: Vec<CampaignResults> = (0..3)
            .rev()
            .map(|i| run_campaign(&plan, Some(Shard { index: i, count: 3 }), 1, &|| {}).unwrap())
            .collect();
        assert_eq!(merge(shards.clone()).unwrap(), whole);
        let e = merge(shards[..2].to_vec()).unwrap_err().to_string();
        assert!(e.contains("missing"), "{e}");
        let other =
            CampaignPlan::new(small(), Some(8), 5, vec!["radar.xband-kurecik.pd=0.5,0.9".parse().unwrap()])
                .unwrap();
        let mut mixed = shards.clone();
        mixed[0] = run_campaign(&other, Some(Shard { index: 2, count: 3 }), 1, &|| {}).unwrap();
        let e = merge(mixed).unwrap_err().to_string();
        assert!(e.contains("seed 7") && e.contains("one campaign"), "{e}");
    }

    #[test]
    fn shard_parse() {
        assert_eq!("1/4".parse::<Shard>().unwrap(), Shard { index: 1, count: 4 });
        assert!("4/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn unknown_mode_is_refused_when_planning() {
        let e =
            CampaignPlan::new(small(), None, 1, vec!["cooperation.mode=M2,M7".parse().unwrap()]).unwrap_err();
        assert!(e.to_string().contains("not a cooperation mode"), "{e}");
    }
}
