//! `shieldnet wta FILE.json [--exact | --heuristic NAME] [--time-limit S] [--json]`: solves a
//! static weapon-target assignment instance.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use shieldnet_engagement::wta::{Heuristic, Method, SolveOptions, io, relative_gap, solve};

/// Arguments of `shieldnet wta`.
#[derive(Debug, Args)]
pub struct WtaArgs {
    /// Instance file: {"target_values": [..], "weapons": [{"count": n, "pk": [..]}, ..]}.
    pub file: PathBuf,
    /// Prove optimality (the default).
    #[arg(long, conflicts_with = "heuristic")]
    pub exact: bool,
    /// Run a heuristic instead: mmr, assignment, local-search, vlns.
    #[arg(long, value_name = "NAME")]
    pub heuristic: Option<String>,
    /// Wall-clock limit in seconds (the exact solver then returns its best solution and bound).
    #[arg(long, value_name = "S")]
    pub time_limit: Option<f64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `shieldnet wta`; returns the exit code (2 on invalid input).
pub fn run(args: WtaArgs) -> i32 {
    let method = match &args.heuristic {
        None => Method::Exact,
        Some(name) => match Heuristic::from_name(name) {
            Some(h) => Method::Heuristic(h),
            None => {
                eprintln!(
                    "error: unknown heuristic `{name}` (expected mmr, assignment, local-search or vlns)"
                );
                return 2;
            }
        },
    };
    let time_limit = match args.time_limit {
        None => None,
        Some(s) if s.is_finite() && s >= 0.0 => Some(Duration::from_secs_f64(s)),
        Some(s) => {
            eprintln!("error: --time-limit {s} is invalid: must be a finite number of seconds >= 0");
            return 2;
        }
    };
    let instance = match io::read_instance(&args.file) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            return 2;
        }
    };
    let t0 = Instant::now();
    let solution = match solve(&instance, &SolveOptions { method, time_limit }) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            return 2;
        }
    };
    let solve_ms = t0.elapsed().as_secs_f64() * 1e3;
    let method_name = match method {
        Method::Exact => "exact".to_string(),
        Method::Heuristic(h) => h.name().to_string(),
    };
    let gap = relative_gap(solution.objective, solution.lower_bound);
    if args.json {
        let out = serde_json::json!({
            "method": method_name,
            "objective": solution.objective,
            "lower_bound": solution.lower_bound,
            "gap": gap,
            "optimal": solution.optimal,
            "assignment": solution.assignment,
            "solve_ms": solve_ms,
            "time_limited": solution.stats.time_limited,
            "stats": solution.stats,
        });
        println!("{}", serde_json::to_string_pretty(&out).expect("json"));
    } else {
        println!(
            "{} targets, {} weapon types, {} rounds; method {method_name}",
            instance.num_targets(),
            instance.num_weapon_types(),
            instance.total_rounds()
        );
        println!("expected surviving value  {:.6}", solution.objective);
        println!("lower bound               {:.6}  (gap {:.2e})", solution.lower_bound, gap);
        println!("optimal                   {}", solution.optimal);
        println!("solve time                {solve_ms:.1} ms");
        println!("target  value  rounds (type x count)");
        for (j, v) in instance.target_values.iter().enumerate() {
            let rounds: Vec<String> = solution
                .assignment
                .iter()
                .enumerate()
                .filter(|(_, row)| row[j] > 0)
                .map(|(i, row)| if row[j] == 1 { format!("{i}") } else { format!("{i}x{}", row[j]) })
                .collect();
            println!("{j:>6}  {v:>6.1}  {}", if rounds.is_empty() { "-".into() } else { rounds.join(" ") });
        }
    }
    0
}
