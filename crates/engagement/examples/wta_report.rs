//! Benchmark figures for the WTA solvers, per instance class: exact certification time and each
//! heuristic's gap to the certified optimum and time, with MMR (same run) as the baseline.
//!
//! ```text
//! cargo run --release -p shieldnet-engagement --example wta_report -- [CLASS:T ...] [--seeds N] [--first K]
//! ```
//! Default: A:80 B:40 C:80 A:200 B:200 with 10 seeds. Classes: A (W=T), B (W=2T), C (W=T/2),
//! D1/D2/D3 (Andersen-style, T/2 types with μ rounds). Single thread.

use std::time::Instant;

use shieldnet_engagement::wta::{Heuristic, InstanceClass, SolveOptions, generate, relative_gap, solve};

fn parse_class(s: &str) -> InstanceClass {
    match s {
        "A" => InstanceClass::A,
        "B" => InstanceClass::B,
        "C" => InstanceClass::C,
        d if d.starts_with('D') => InstanceClass::D { mu: d[1..].parse().expect("D<mu>") },
        _ => panic!("unknown class {s}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut specs = Vec::new();
    let mut seeds = 10u64;
    let mut first = 0u64;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seeds" => {
                seeds = args[i + 1].parse().unwrap();
                i += 1;
            }
            "--first" => {
                first = args[i + 1].parse().unwrap();
                i += 1;
            }
            s => {
                let (c, t) = s.split_once(':').expect("CLASS:T");
                specs.push((parse_class(c), t.parse::<usize>().unwrap()));
            }
        }
        i += 1;
    }
    if specs.is_empty() {
        specs = vec![
            (InstanceClass::A, 80),
            (InstanceClass::B, 40),
            (InstanceClass::B, 80),
            (InstanceClass::C, 80),
            (InstanceClass::A, 200),
            (InstanceClass::B, 200),
        ];
    }
    println!(
        "{:<6} {:>9} {:>5} | {:>9} {:>9} {:>7} | {:<12} {:>8} {:>8} {:>9} {:>9} {:>7}",
        "class",
        "W x T",
        "seeds",
        "exact ms",
        "max ms",
        "certif",
        "heuristic",
        "mean gap",
        "max gap",
        "mean ms",
        "max ms",
        "xMMR"
    );
    for (class, t) in specs {
        let w = class.weapon_types(t);
        let mut exact_ms = Vec::new();
        let mut certified = 0;
        let mut gaps = vec![Vec::new(); Heuristic::ALL.len()];
        let mut times = vec![Vec::new(); Heuristic::ALL.len()];
        for k in first..first + seeds {
            let inst = generate(class, t, k);
            let t0 = Instant::now();
            let e = solve(&inst, &SolveOptions::exact()).unwrap();
            exact_ms.push(t0.elapsed().as_secs_f64() * 1e3);
            if e.optimal {
                certified += 1;
            } else {
                eprintln!(
                    "  {} {t} seed {k}: not certified, gap {:.3e} ({:?})",
                    class.label(),
                    relative_gap(e.objective, e.lower_bound),
                    e.stats
                );
            }
            for (h_idx, &h) in Heuristic::ALL.iter().enumerate() {
                // Repeat fast heuristics to get a stable time.
                let reps = 3;
                let t0 = Instant::now();
                let mut sol = None;
                for _ in 0..reps {
                    sol = Some(solve(&inst, &SolveOptions::heuristic(h)).unwrap());
                }
                times[h_idx].push(t0.elapsed().as_secs_f64() * 1e3 / reps as f64);
                let sol = sol.unwrap();
                gaps[h_idx].push((sol.objective - e.objective) / e.objective.max(1e-300));
            }
        }
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let max = |v: &[f64]| v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let mmr_ms = mean(&times[0]);
        for (h_idx, &h) in Heuristic::ALL.iter().enumerate() {
            let left = if h_idx == 0 {
                format!(
                    "{:<6} {:>9} {:>5} | {:>9.1} {:>9.1} {:>4}/{:<2}",
                    class.label(),
                    format!("{w}x{t}"),
                    seeds,
                    mean(&exact_ms),
                    max(&exact_ms),
                    certified,
                    seeds
                )
            } else {
                format!("{:<6} {:>9} {:>5} | {:>9} {:>9} {:>7}", "", "", "", "", "", "")
            };
            println!(
                "{left} | {:<12} {:>7.3}% {:>7.3}% {:>9.3} {:>9.3} {:>6.1}x",
                h.name(),
                100.0 * mean(&gaps[h_idx]),
                100.0 * max(&gaps[h_idx]),
                mean(&times[h_idx]),
                max(&times[h_idx]),
                mean(&times[h_idx]) / mmr_ms
            );
        }
    }
}
