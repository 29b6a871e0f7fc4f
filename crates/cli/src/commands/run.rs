//! `shieldnet run`: one run of a scenario, printed as a summary or JSON, optionally written as CSV.

use super::scenario_source;
use clap::Args;
use shieldnet_sim::scenario::Scenario;
use shieldnet_sim::{RunOptions, RunRecord, RunReport, run};
use std::path::{Path, PathBuf};

/// Arguments of `shieldnet run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A built-in scenario name (see `shieldnet scenarios`) or a scenario file; default epaa-2015.
    pub scenario: Option<String>,
    /// Seed overriding the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print the report as one JSON object instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Write truth.csv, detections.csv, tracks.csv and events.csv into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run every party node as its own process and the world as another, talking over zenoh on
    /// loopback, in lockstep (same report as the in-process run). Needs the `distributed` feature.
    #[arg(long)]
    pub distributed: bool,
    /// With --distributed: real-time mode (simulated time runs against the wall clock; nodes never
    /// wait for each other; results are not reproducible).
    #[arg(long, requires = "distributed")]
    pub realtime: bool,
    /// With --realtime: simulated seconds per wall-clock second.
    #[arg(long, default_value_t = 1.0, requires = "realtime")]
    pub rate: f64,
}

/// The options of a single run, local or distributed: audited, with the full report, recorded for
/// a run directory when `record`.
pub(super) fn run_options(seed: Option<u64>, record: bool) -> RunOptions {
    RunOptions { seed, run_index: 0, record, audit: true, outcomes_only: false }
}

/// Runs the command; returns the exit code.
pub fn execute(args: RunArgs) -> i32 {
    let scn = match scenario_source::load(args.scenario.as_deref()) {
        Ok(s) => s,
        Err(e) => return scenario_source::report(e),
    };
    if args.distributed {
        return super::distributed::run_distributed(&args, &scn);
    }
    let (report, record) = match run(&scn, &run_options(args.seed, args.out.is_some())) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot run scenario {}: {e}", scn.scenario.name);
            return 2;
        }
    };
    emit(&scn, &report, record.as_ref(), args.out.as_deref(), args.json)
}

/// Writes the run directory if asked and prints the report (summary or JSON); returns the exit code.
pub(super) fn emit(
    scn: &Scenario,
    report: &RunReport,
    record: Option<&RunRecord>,
    out: Option<&Path>,
    json: bool,
) -> i32 {
    if let (Some(dir), Some(record)) = (out, record)
        && let Err(e) = shieldnet_export::write_run_dir(dir, report, record)
            .map_err(|e| e.to_string())
            .and_then(|()| shieldnet_export::run_dir::write_scenario(dir, scn).map_err(|e| e.to_string()))
    {
        eprintln!("error: {e}");
        return 1;
    }
    if json {
        match serde_json::to_string_pretty(report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot encode the report: {e}");
                return 1;
            }
        }
    } else {
        print!("{}", shieldnet_export::render_summary(report));
        if let Some(dir) = out {
            println!(
                "wrote truth.csv, detections.csv, tracks.csv, events.csv, report.json, scenario.toml and the audit \
                 logs to {} (check them with `shieldnet audit verify {}`)",
                dir.display(),
                dir.display()
            );
        }
    }
    0
}
