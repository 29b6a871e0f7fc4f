//! `shieldnet compare-modes`: the same scenario and seeds under every cooperation mode, side by side.

use super::scenario_source;
use clap::Args;
use shieldnet_sim::compare::{CompareOptions, compare_modes, render};

/// Arguments of `shieldnet compare-modes`.
#[derive(Debug, Args)]
pub struct CompareModesArgs {
    /// A built-in scenario name (see `shieldnet scenarios`) or a scenario file; default epaa-2015.
    pub scenario: Option<String>,
    /// Seed overriding the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Seeded runs per mode; with more than one, figures are means with 95 % intervals.
    #[arg(long, default_value_t = 1)]
    pub runs: u64,
    /// Worker threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print the comparison as one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command; returns the exit code.
pub fn execute(args: CompareModesArgs) -> i32 {
    let scn = match scenario_source::load(args.scenario.as_deref()) {
        Ok(s) => s,
        Err(e) => return scenario_source::report(e),
    };
    let opts = CompareOptions { seed: args.seed, runs: args.runs, threads: args.threads };
    let c = match compare_modes(&scn, &opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot compare modes on scenario {}: {e}", scn.scenario.name);
            return 2;
        }
    };
    if args.json {
        match serde_json::to_string_pretty(&c) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot encode the comparison: {e}");
                return 1;
            }
        }
    } else {
        print!("{}", render(&c));
    }
    0
}
