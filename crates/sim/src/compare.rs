//! Cooperation modes side by side: the same scenario and the same seeded runs under every mode the
//! build supports, reduced to per-party, per-threat figures with 95 % intervals.
//!
//! Run `r` of every mode uses the random streams of (seed, r), so modes are compared on the same
//! radar noise and the same Pk draws wherever their histories coincide, and figures "over M0" are
//! paired differences run by run. Jobs (mode, run) run in parallel; results are collected and reduced
//! in (mode, run) order, so the output does not depend on the number of threads.

use crate::build::{Setup, build};
use crate::campaign::stats::{Estimate, Z95, mean_ci_t, wilson};
use crate::report::{Outcome, RunReport};
use crate::scenario::{Mode, Scenario};
use crate::world::{RunOptions, SimError, run};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Every cooperation mode, in order.
pub const ALL_MODES: [Mode; 6] = [Mode::M0, Mode::M1, Mode::M2, Mode::M3, Mode::M4, Mode::M5];

/// Options of a comparison.
#[derive(Debug, Clone, Copy)]
pub struct CompareOptions {
    /// Seed overriding the scenario's.
    pub seed: Option<u64>,
    /// Seeded runs per mode (at least 1).
    pub runs: u64,
    /// Worker threads (0 = one per core).
    pub threads: usize,
}

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// The run count is zero.
    #[error("--runs must be at least 1")]
    NoRuns,
    /// No mode could be built (M0 always can, so the scenario itself is broken).
    #[error("{0}")]
    Build(SimError),
    /// A run failed.
    #[error("mode {mode}, run {run}: {source}")]
    Run {
        /// Mode.
        mode: String,
        /// Run index.
        run: u64,
        /// Cause.
        #[source]
        source: SimError,
    },
    /// The thread pool could not be made.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Cause.
        message: String,
    },
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comparison {
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Runs per mode.
    pub runs: u64,
    /// Parties in scenario order.
    pub parties: Vec<String>,
    /// Threat ids.
    pub threats: Vec<String>,
    /// One entry per mode that ran, in mode order.
    pub modes: Vec<ModeSummary>,
    /// Modes the build does not support yet, with the reason.
    pub skipped: Vec<SkippedMode>,
}

/// A mode left out of the comparison.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SkippedMode {
    /// Mode.
    pub mode: String,
    /// Why.
    pub reason: String,
}

/// One mode's figures over all runs. Counts are means per run with Student-t intervals.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModeSummary {
    /// Mode.
    pub mode: String,
    /// Threats that reached the ground, per run.
    pub leakers: Estimate,
    /// Threats that landed inside a defended asset's footprint, per run.
    pub asset_hits: Estimate,
    /// Interceptors fired by all parties, per run.
    pub interceptors_fired: Estimate,
    /// Double engagements, per run.
    pub double_engagements: Estimate,
    /// Price of independence: leakers in this mode minus leakers in M5, paired by run (absent while
    /// M5 does not run).
    pub price_of_independence: Option<Estimate>,
    /// Commonality of each pair of parties' pictures.
    pub commonality: Vec<PairSummary>,
    /// Per party.
    pub parties: Vec<PartySummary>,
}

/// Commonality of one pair of parties.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairSummary {
    /// First party.
    pub a: String,
    /// Second party.
    pub b: String,
    /// Fraction of (step, threat) pairs held by either whose tracks agree (mean over runs).
    pub commonality: Estimate,
}

/// One party's figures under one mode.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartySummary {
    /// Party.
    pub party: String,
    /// Interceptors it fired, per run.
    pub interceptors_fired: Estimate,
    /// Threats that landed in its own assets' footprints, per run.
    pub asset_hits: Estimate,
    /// Messages it received from partners, by kind, per run.
    pub messages_received: BTreeMap<String, Estimate>,
    /// Per threat.
    pub threats: Vec<ThreatSummary>,
}

/// One threat as one party saw it under one mode. Times are s after the epoch; a time's mean is over
/// the runs where the event happened (`None` when it never did).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThreatSummary {
    /// Threat id.
    pub threat: String,
    /// Fraction of runs in which the party's own radars detected it (Wilson interval).
    pub detected: Estimate,
    /// First detection by own radars.
    pub first_detection_s: Option<Estimate>,
    /// Threat altitude at that first detection, km.
    pub first_detection_alt_km: Option<Estimate>,
    /// First own confirmed track (track initiation).
    pub track_initiation_s: Option<Estimate>,
    /// First time in the party's picture (own or partner track).
    pub first_picture_s: Option<Estimate>,
    /// First time the party knew of the threat by any means: picture or a partner's launch notice.
    pub first_alert_s: Option<Estimate>,
    /// Warning time gained over M0: alert time in M0 minus alert time in this mode, paired by run
    /// over runs where both alerted.
    pub warning_gained_over_m0_s: Option<Estimate>,
    /// Position error of the picture track at the party's first launch at this threat, m.
    pub handover_error_m: Option<Estimate>,
    /// Fraction of runs in which the threat reached the ground (Wilson interval).
    pub leaked: Estimate,
}

/// Runs the comparison: every supported mode, `runs` seeded runs each.
pub fn compare_modes(scn: &Scenario, opts: &CompareOptions) -> Result<Comparison, CompareError> {
    if opts.runs == 0 {
        return Err(CompareError::NoRuns);
    }
    let seed = opts.seed.unwrap_or(scn.scenario.seed);
    let mut modes = Vec::new();
    let mut skipped = Vec::new();
    let mut reference: Option<Setup> = None;
    for mode in ALL_MODES {
        let mut s = scn.clone();
        s.cooperation.mode = mode;
        match build(&s) {
            Ok(setup) => {
                reference.get_or_insert(setup);
                modes.push((mode, s));
            }
            Err(SimError::UnsupportedMode(_)) => {
                skipped.push(SkippedMode { mode: format!("{mode:?}"), reason: "not implemented yet".into() })
            }
            Err(e) => return Err(CompareError::Build(e)),
        }
    }
    let setup = reference.ok_or_else(|| CompareError::Build(SimError::Invalid("no mode runs".into())))?;
    let jobs: Vec<(usize, u64)> =
        (0..modes.len()).flat_map(|m| (0..opts.runs).map(move |r| (m, r))).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| CompareError::Threads { threads: opts.threads, message: e.to_string() })?;
    let reports: Vec<Result<RunReport, CompareError>> = pool.install(|| {
        jobs.par_iter()
            .map(|&(m, r)| {
                let ro = RunOptions {
                    seed: Some(seed),
                    run_index: r,
                    record: false,
                    audit: false,
                    outcomes_only: true,
                };
                run(&modes[m].1, &ro).map(|(report, _)| report).map_err(|source| CompareError::Run {
                    mode: format!("{:?}", modes[m].0),
                    run: r,
                    source,
                })
            })
            .collect()
    });
    let mut by_mode: Vec<Vec<RunReport>> = vec![Vec::new(); modes.len()];
    for ((m, _), rep) in jobs.iter().zip(reports) {
        by_mode[*m].push(rep?);
    }
    let ctx = Context::new(scn, &setup);
    let m0 = modes.iter().position(|(m, _)| *m == Mode::M0).map(|i| ctx.alerts(&by_mode[i]));
    let m5 = modes.iter().position(|(m, _)| *m == Mode::M5).map(|i| leakers_per_run(&by_mode[i]));
    let summaries = modes
        .iter()
        .zip(&by_mode)
        .map(|((mode, _), reps)| ctx.summarise(*mode, reps, m0.as_ref(), m5.as_deref()))
        .collect();
    Ok(Comparison {
        scenario: scn.scenario.name.clone(),
        seed,
        runs: opts.runs,
        parties: setup.parties.clone(),
        threats: setup.threats.iter().map(|t| t.id.clone()).collect(),
        modes: summaries,
        skipped,
    })
}

/// Alert times per run, party and threat: [run][party][threat].
type Alerts = Vec<Vec<Vec<Option<f64>>>>;

/// What the reduction needs from the scenario: parties, threats, asset owners, trajectories.
struct Context<'a> {
    setup: &'a Setup,
    /// Owner (party id) of each defended asset, by asset id.
    asset_owner: BTreeMap<String, String>,
}

fn leakers_per_run(reps: &[RunReport]) -> Vec<f64> {
    reps.iter().map(|r| r.threats.iter().filter(|t| t.outcome == Outcome::Leaked).count() as f64).collect()
}

fn opt_mean(xs: &[f64]) -> Option<Estimate> {
    (!xs.is_empty()).then(|| mean_ci_t(xs))
}

impl<'a> Context<'a> {
    fn new(scn: &Scenario, setup: &'a Setup) -> Self {
        let asset_owner = scn.defended_assets.iter().map(|a| (a.id.clone(), a.party.clone())).collect();
        Self { setup, asset_owner }
    }

    fn alerts(&self, reps: &[RunReport]) -> Alerts {
        reps.iter()
            .map(|r| {
                self.setup.parties.iter().map(|p| r.threats.iter().map(|t| alert(t, p)).collect()).collect()
            })
            .collect()
    }

    fn summarise(
        &self,
        mode: Mode,
        reps: &[RunReport],
        m0: Option<&Alerts>,
        m5: Option<&[f64]>,
    ) -> ModeSummary {
        let n = reps.len() as u64;
        let per_run = |f: &dyn Fn(&RunReport) -> f64| -> Estimate {
            mean_ci_t(&reps.iter().map(f).collect::<Vec<f64>>())
        };
        let leakers = leakers_per_run(reps);
        let price = m5.map(|l5| mean_ci_t(&leakers.iter().zip(l5).map(|(a, b)| a - b).collect::<Vec<f64>>()));
        let commonality = reps
            .first()
            .map(|r| {
                r.commonality
                    .iter()
                    .enumerate()
                    .map(|(k, pc)| PairSummary {
                        a: pc.a.clone(),
                        b: pc.b.clone(),
                        commonality: mean_ci_t(
                            &reps
                                .iter()
                                .map(|r| r.commonality.get(k).map_or(0.0, |c| c.commonality))
                                .collect::<Vec<_>>(),
                        ),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let alerts = self.alerts(reps);
        let parties = self
            .setup
            .parties
            .iter()
            .enumerate()
            .map(|(pi, p)| {
                let kinds: BTreeSet<String> = reps
                    .iter()
                    .flat_map(|r| r.parties[pi].messages_received_by_kind.keys().cloned())
                    .collect();
                let messages_received = kinds
                    .into_iter()
                    .map(|k| {
                        let xs: Vec<f64> = reps
                            .iter()
                            .map(|r| {
                                f64::from(
                                    r.parties[pi].messages_received_by_kind.get(&k).copied().unwrap_or(0),
                                )
                            })
                            .collect();
                        (k, mean_ci_t(&xs))
                    })
                    .collect();
                let threats = (0..self.setup.threats.len())
                    .map(|j| self.threat_summary(reps, pi, p, j, &alerts, m0))
                    .collect();
                PartySummary {
                    party: p.clone(),
                    interceptors_fired: per_run(&|r| f64::from(r.parties[pi].interceptors_fired)),
                    asset_hits: per_run(&|r| {
                        r.threats
                            .iter()
                            .filter(|t| {
                                t.outcome == Outcome::Leaked
                                    && t.asset_hit.as_ref().and_then(|a| self.asset_owner.get(a)) == Some(p)
                            })
                            .count() as f64
                    }),
                    messages_received,
                    threats,
                }
            })
            .collect();
        let _ = n;
        ModeSummary {
            mode: format!("{mode:?}"),
            leakers: mean_ci_t(&leakers),
            asset_hits: per_run(&|r| {
                r.threats.iter().filter(|t| t.outcome == Outcome::Leaked && t.asset_hit.is_some()).count()
                    as f64
            }),
            interceptors_fired: per_run(&|r| r.parties.iter().map(|p| f64::from(p.interceptors_fired)).sum()),
            double_engagements: per_run(&|r| f64::from(r.double_engagements)),
            price_of_independence: price,
            commonality,
            parties,
        }
    }

    fn threat_summary(
        &self,
        reps: &[RunReport],
        pi: usize,
        p: &str,
        j: usize,
        alerts: &Alerts,
        m0: Option<&Alerts>,
    ) -> ThreatSummary {
        let spec = &self.setup.threats[j];
        let det: Vec<f64> =
            reps.iter().filter_map(|r| r.threats[j].first_detection_s.get(p).copied().flatten()).collect();
        let alt_km: Vec<f64> = det
            .iter()
            .filter_map(|t| spec.trajectory.ecef_at(*t, &self.setup.rotation))
            .map(|(x, _)| x.to_geodetic().alt_m / 1e3)
            .collect();
        let field = |f: &dyn Fn(&crate::report::ThreatReport) -> Option<f64>| -> Vec<f64> {
            reps.iter().filter_map(|r| f(&r.threats[j])).collect()
        };
        let gained: Vec<f64> = match m0 {
            Some(m0) => alerts
                .iter()
                .zip(m0)
                .filter_map(|(a, b)| match (a[pi][j], b[pi][j]) {
                    (Some(mine), Some(base)) => Some(base - mine),
                    _ => None,
                })
                .collect(),
            None => Vec::new(),
        };
        let n = reps.len() as u64;
        ThreatSummary {
            threat: spec.id.clone(),
            detected: wilson(det.len() as u64, n, Z95),
            first_detection_s: opt_mean(&det),
            first_detection_alt_km: opt_mean(&alt_km),
            track_initiation_s: opt_mean(&field(&|t| t.first_own_track_s.get(p).copied().flatten())),
            first_picture_s: opt_mean(&field(&|t| t.first_picture_s.get(p).copied().flatten())),
            first_alert_s: opt_mean(&alerts.iter().filter_map(|a| a[pi][j]).collect::<Vec<_>>()),
            warning_gained_over_m0_s: opt_mean(&gained),
            handover_error_m: opt_mean(&field(&|t| t.handover_error_m.get(p).copied())),
            leaked: wilson(
                reps.iter().filter(|r| r.threats[j].outcome == Outcome::Leaked).count() as u64,
                n,
                Z95,
            ),
        }
    }
}

/// When a party first knew of a threat: the earlier of its first picture track and its first launch
/// notice.
fn alert(t: &crate::report::ThreatReport, party: &str) -> Option<f64> {
    let pic = t.first_picture_s.get(party).copied().flatten();
    let warn = t.first_warning_s.get(party).copied().flatten();
    match (pic, warn) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn fmt_est(e: &Estimate, digits: usize) -> String {
    if e.hi - e.lo <= 0.0 || SINGLE_RUN.with(|c| c.get()) {
        format!("{:.*}", digits, e.value)
    } else {
        format!("{:.*} [{:.*}, {:.*}]", digits, e.value, digits, e.lo, digits, e.hi)
    }
}

fn fmt_opt(e: &Option<Estimate>, digits: usize) -> String {
    e.as_ref().map_or_else(|| "-".into(), |e| fmt_est(e, digits))
}

/// The comparison as text tables: one summary table of the modes, then per party a table of modes and
/// a table of threats by mode. Intervals are printed as `value [lo, hi]` when `runs > 1`.
pub fn render(c: &Comparison) -> String {
    SINGLE_RUN.with(|s| s.set(c.runs == 1));
    let out = render_tables(c);
    SINGLE_RUN.with(|s| s.set(false));
    out
}

thread_local! {
    /// Whether the comparison being rendered has one run (then intervals are not printed).
    static SINGLE_RUN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn render_tables(c: &Comparison) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "compare-modes: scenario {}, seed {}, {} run{} per mode{}",
        c.scenario,
        c.seed,
        c.runs,
        if c.runs == 1 { "" } else { "s" },
        if c.runs > 1 { " (means with 95 % intervals)" } else { "" }
    );
    for sk in &c.skipped {
        let _ = writeln!(s, "note: mode {} skipped: {}", sk.mode, sk.reason);
    }
    let _ = writeln!(s, "\nmode  leakers  asset hits  fired  double eng.  price of indep.  commonality");
    for m in &c.modes {
        let common: Vec<String> =
            m.commonality.iter().map(|p| format!("{}-{} {}", p.a, p.b, fmt_est(&p.commonality, 2))).collect();
        let _ = writeln!(
            s,
            "{:<4}  {:<7}  {:<10}  {:<5}  {:<11}  {:<15}  {}",
            m.mode,
            fmt_est(&m.leakers, 1),
            fmt_est(&m.asset_hits, 1),
            fmt_est(&m.interceptors_fired, 1),
            fmt_est(&m.double_engagements, 1),
            fmt_opt(&m.price_of_independence, 1),
            common.join(", ")
        );
    }
    for (pi, party) in c.parties.iter().enumerate() {
        let _ = writeln!(s, "\n== {party} ==");
        let _ = writeln!(s, "mode  fired  own assets hit  messages received (per run, by kind)");
        for m in &c.modes {
            let ps = &m.parties[pi];
            let msgs: Vec<String> =
                ps.messages_received.iter().map(|(k, e)| format!("{k} {}", fmt_est(e, 0))).collect();
            let _ = writeln!(
                s,
                "{:<4}  {:<5}  {:<14}  {}",
                m.mode,
                fmt_est(&ps.interceptors_fired, 1),
                fmt_est(&ps.asset_hits, 1),
                if msgs.is_empty() { "-".into() } else { msgs.join(", ") }
            );
        }
        let _ = writeln!(
            s,
            "threat              mode  detected  1st det s  alt km  own track s  picture s  alert s  gain vs M0 s  hand-over err m  leaked"
        );
        for (j, threat) in c.threats.iter().enumerate() {
            for m in &c.modes {
                let t = &m.parties[pi].threats[j];
                let _ = writeln!(
                    s,
                    "{:<18}  {:<4}  {:<8}  {:<9}  {:<6}  {:<11}  {:<9}  {:<7}  {:<12}  {:<15}  {}",
                    threat,
                    m.mode,
                    fmt_est(&t.detected, 2),
                    fmt_opt(&t.first_detection_s, 0),
                    fmt_opt(&t.first_detection_alt_km, 0),
                    fmt_opt(&t.track_initiation_s, 0),
                    fmt_opt(&t.first_picture_s, 0),
                    fmt_opt(&t.first_alert_s, 0),
                    fmt_opt(&t.warning_gained_over_m0_s, 0),
                    fmt_opt(&t.handover_error_m, 0),
                    fmt_est(&t.leaked, 2),
                );
            }
        }
    }
    s
}
