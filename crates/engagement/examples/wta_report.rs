//! Benchmark figures for the WTA solvers, per instance class: exact certification time and each
//! heuristic's gap to the certified optimum and time, with MMR (same run) as the baseline.
//!
//! ```text
//! cargo run --release -p shieldnet-engagement --example wta_report -- \
//!     [CLASS:T ...] [--seeds N] [--first K] [--reps R] [--reference FILE | --no-reference]
//! ```
//! Default: A:80 B:40 B:80 C:80 A:200 C:200 B:200 with 20 seeds (0..19). Classes: A (W=T),
//! B (W=2T), C (W=T/2), D1/D2/D3 (Andersen-style, T/2 types with μ rounds). Single thread.
//!
//! Gaps are `(heuristic − OPT)/OPT` against the exact solver's certified optimum (LB = UB within
//! 1e-6). Exact results are cached in a JSON-lines reference file (default
//! `examples/wta_reference.jsonl`): entries found there are reused (their exact time is the one
//! recorded when they were solved, marked `*`), missing ones are solved and appended. Times are
//! the calling thread's CPU time (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, so machine load
//! inflates them less than wall time), falling back to wall time where that clock fails. Each heuristic
//! runs `--reps` times (default 5) per instance; its time is the median of those runs.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use shieldnet_engagement::wta::{Heuristic, InstanceClass, SolveOptions, generate, relative_gap, solve};

/// One cached exact result.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Reference {
    class: String,
    targets: usize,
    seed: u64,
    objective: f64,
    lower_bound: f64,
    optimal: bool,
    exact_ms: f64,
    clock: String,
}

/// Thread CPU time in ms (`CLOCK_THREAD_CPUTIME_ID`), or wall time where that clock fails.
struct Clock {
    start: Instant,
    cpu: bool,
}

impl Clock {
    fn new() -> Self {
        let cpu = Self::thread_cpu_ms().is_some();
        Clock { start: Instant::now(), cpu }
    }
    fn thread_cpu_ms() -> Option<f64> {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid, writable timespec; the call only writes into it.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        (rc == 0).then_some(ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 * 1e-6)
    }
    fn now_ms(&self) -> f64 {
        if self.cpu
            && let Some(ms) = Self::thread_cpu_ms()
        {
            return ms;
        }
        self.start.elapsed().as_secs_f64() * 1e3
    }
    fn name(&self) -> &'static str {
        if self.cpu { "thread CPU" } else { "wall" }
    }
}

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
    let mut seeds = 20u64;
    let mut first = 0u64;
    let mut reps = 5usize;
    let mut reference =
        Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/wta_reference.jsonl"));
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
            "--reps" => {
                reps = args[i + 1].parse::<usize>().unwrap().max(1);
                i += 1;
            }
            "--reference" => {
                reference = Some(args[i + 1].clone().into());
                i += 1;
            }
            "--no-reference" => reference = None,
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
            (InstanceClass::C, 200),
            (InstanceClass::B, 200),
        ];
    }
    let mut cache: HashMap<(String, usize, u64), Reference> = HashMap::new();
    if let Some(path) = &reference
        && let Ok(text) = std::fs::read_to_string(path)
    {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let r: Reference = serde_json::from_str(line).expect("reference line");
            cache.insert((r.class.clone(), r.targets, r.seed), r);
        }
    }
    let clock = Clock::new();
    println!(
        "times: {} ms; heuristic time = median of {reps} runs per instance; gap vs certified optimum",
        clock.name()
    );
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
        let mut cached = false;
        let mut certified = 0;
        let mut gaps = vec![Vec::new(); Heuristic::ALL.len()];
        let mut times = vec![Vec::new(); Heuristic::ALL.len()];
        for k in first..first + seeds {
            let inst = generate(class, t, k);
            let key = (class.label(), t, k);
            let e = match cache.get(&key) {
                Some(r) => {
                    cached = true;
                    r.clone()
                }
                None => {
                    let t0 = clock.now_ms();
                    let e = solve(&inst, &SolveOptions::exact()).unwrap();
                    let r = Reference {
                        class: key.0.clone(),
                        targets: t,
                        seed: k,
                        objective: e.objective,
                        lower_bound: e.lower_bound,
                        optimal: e.optimal,
                        exact_ms: clock.now_ms() - t0,
                        clock: clock.name().into(),
                    };
                    if let Some(path) = &reference {
                        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
                        writeln!(f, "{}", serde_json::to_string(&r).unwrap()).unwrap();
                    }
                    cache.insert(key, r.clone());
                    r
                }
            };
            exact_ms.push(e.exact_ms);
            if e.optimal {
                certified += 1;
            } else {
                eprintln!(
                    "  {} {t} seed {k}: not certified, gap {:.3e}",
                    class.label(),
                    relative_gap(e.objective, e.lower_bound)
                );
            }
            for (h_idx, &h) in Heuristic::ALL.iter().enumerate() {
                let mut runs = Vec::with_capacity(reps);
                let mut sol = None;
                for _ in 0..reps {
                    let t0 = clock.now_ms();
                    sol = Some(solve(&inst, &SolveOptions::heuristic(h)).unwrap());
                    runs.push(clock.now_ms() - t0);
                }
                runs.sort_by(f64::total_cmp);
                times[h_idx].push(runs[reps / 2]);
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
            } else if h_idx == 1 && cached {
                format!("{:<6} {:>9} {:>5} | {:>19} {:>7}", "", "", "", "* cached exact", "")
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
