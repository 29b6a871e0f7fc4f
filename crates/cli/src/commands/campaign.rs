//! `shieldnet campaign`: many seeded runs in parallel, per-run and per-threat rows, a summary with
//! 95 % intervals, optionally a parameter sweep and a shard of a larger campaign.

use super::scenario_source;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use shieldnet_sim::campaign::{CampaignPlan, CampaignResults, Shard, Variation, run_campaign};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `shieldnet campaign`.
#[derive(Debug, Args)]
pub struct CampaignArgs {
    /// A built-in scenario name or a scenario file; default epaa-2015.
    pub scenario: Option<String>,
    /// Runs per combination.
    #[arg(long, default_value_t = 100)]
    pub runs: u64,
    /// Worker threads (0 = one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Seed overriding the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Sweep a parameter: PARAM=V1,V2,… (repeatable; the combinations are the cartesian product).
    /// PARAM is battery.ID.rounds, sharing.latency_s, sharing.interval_s, sharing.loss,
    /// cooperation.mode (M0, M2, M3), radar.ID.pd, radar.ID.max_range_km or interceptor_types.NAME.pk.
    #[arg(long = "vary", value_name = "PARAM=LIST")]
    pub vary: Vec<String>,
    /// Run only shard I of K (runs i with i mod K = I; I from 0); merge the K directories with
    /// `shieldnet merge`.
    #[arg(long, value_name = "I/K")]
    pub shard: Option<String>,
    /// Output directory (campaign.json, runs.csv/jsonl, threats.csv/jsonl, summary.csv/json, plots/).
    #[arg(long)]
    pub out: PathBuf,
    /// Do not draw the SVG plots.
    #[arg(long)]
    pub no_plots: bool,
}

/// Runs the command; returns the exit code.
pub fn execute(args: CampaignArgs) -> i32 {
    let scn = match scenario_source::load(args.scenario.as_deref()) {
        Ok(s) => s,
        Err(e) => return scenario_source::report(e),
    };
    let mut variations = Vec::new();
    for v in &args.vary {
        match v.parse::<Variation>() {
            Ok(v) => variations.push(v),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    }
    let shard = match args.shard.as_deref().map(str::parse::<Shard>).transpose() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if args.runs == 0 {
        eprintln!("error: --runs must be at least 1");
        return 2;
    }
    let plan = match CampaignPlan::new(scn, args.seed, args.runs, variations) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let jobs = plan.job_count(shard);
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::with_draw_target(Some(jobs), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {pos}/{len} runs  {per_sec}  eta {eta}",
        ) {
            b.set_style(style.progress_chars("=> "));
        }
        b
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let results = match run_campaign(&plan, shard, args.threads, &|| bar.inc(1)) {
        Ok(r) => r,
        Err(e) => {
            bar.abandon();
            eprintln!("error: {e}");
            return 1;
        }
    };
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let threads = if args.threads == 0 {
        std::thread::available_parallelism().map_or(1, usize::from)
    } else {
        args.threads
    };
    eprintln!("{jobs} runs in {secs:.1} s ({:.1} runs/s) on {threads} threads", jobs as f64 / secs.max(1e-9));
    if let Err(code) = write_outputs(&args.out, &results, args.no_plots) {
        return code;
    }
    println!("wrote {}", args.out.display());
    0
}

/// Writes a campaign's files, plots (unless `no_plots`) and prints its summary; `Err` holds the exit code.
pub(super) fn write_outputs(out: &Path, results: &CampaignResults, no_plots: bool) -> Result<(), i32> {
    let summaries = shieldnet_export::campaign_out::write_campaign_dir(out, results).map_err(|e| {
        eprintln!("error: {e}");
        1
    })?;
    if !no_plots
        && let Err(e) = shieldnet_export::plots::write_campaign_plots(&out.join("plots"), results, &summaries)
    {
        eprintln!("error: {e}");
        return Err(1);
    }
    print!("{}", shieldnet_export::campaign_out::render_campaign_summary(&results.manifest, &summaries));
    Ok(())
}
