//! `shieldnet reach`: which threat trajectories interceptor sites can reach, swept over burnout speed,
//! launch delay after threat burnout and basing (text summary, `--json`, `--csv`, SVG map and chart,
//! `--explain` for one pair). With no arguments it runs the built-in study `russia-us`.

use clap::Args;
use shieldnet_analysis::AnalysisError;
use shieldnet_analysis::assumptions::assumptions;
use shieldnet_analysis::explain::{Explanation, explain};
use shieldnet_analysis::output::{Document, write_csv};
use shieldnet_analysis::study::{self, STUDY_NAMES, Study};
use shieldnet_analysis::sweep::{self, DEFAULT_STEP_S, Summary, site_speeds};
use std::path::PathBuf;

/// Arguments of `shieldnet reach`.
#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Built-in study: russia-us (default), epaa, iran, basing (ships at 12 sea positions).
    #[arg(long, default_value = "russia-us")]
    pub study: String,
    /// Interceptor site "NAME=LAT,LON" in degrees (repeatable; replaces the study's sites; a name
    /// containing "ship" is sea-based).
    #[arg(long = "site", value_name = "NAME=LAT,LON", allow_hyphen_values = true)]
    pub sites: Vec<String>,
    /// Interceptor burnout speeds, km/s, comma-separated (default: the study's, 3.0..6.0).
    #[arg(long, value_name = "KM_S,...", value_delimiter = ',', allow_negative_numbers = true)]
    pub burnout_speed: Vec<f64>,
    /// Interceptor launch delays after threat burnout, s, comma-separated (default 60).
    #[arg(long, value_name = "S,...", value_delimiter = ',', allow_negative_numbers = true)]
    pub delay: Vec<f64>,
    /// Interceptor burn time, s (default 40).
    #[arg(long, value_name = "S", allow_negative_numbers = true)]
    pub burn_time: Option<f64>,
    /// Lowest intercept altitude, km (default 70).
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    pub min_alt_km: Option<f64>,
    /// Highest intercept altitude, km (default: no limit).
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    pub max_alt_km: Option<f64>,
    /// Largest ground range from the site to the intercept, km (default: no limit).
    #[arg(long, value_name = "KM", allow_negative_numbers = true)]
    pub max_range_km: Option<f64>,
    /// Spacing of the intercept-time grid, s.
    #[arg(long, value_name = "S", default_value_t = DEFAULT_STEP_S, allow_negative_numbers = true)]
    pub step: f64,
    /// Print JSON: {"study", "assumptions", "sites", "summary", "rows": [...]}.
    #[arg(long)]
    pub json: bool,
    /// Write the rows to this CSV file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Write an SVG map (ground tracks coloured by reachability, sites, earliest intercepts).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Write an SVG chart of the reachable fraction against burnout speed per site.
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
    /// Explain one pair instead of sweeping: "SITE:LAUNCH->AIM" (names as in the study, any case),
    /// e.g. "Redzikowo:Kozelsk->Washington"; one timeline per burnout speed and delay.
    #[arg(long, value_name = "SITE:LAUNCH->AIM")]
    pub explain: Option<String>,
}

fn code(e: &AnalysisError) -> i32 {
    match e {
        AnalysisError::Flight { .. } | AnalysisError::Write { .. } => 1,
        _ => 2,
    }
}

/// Runs the command; returns the exit code.
pub fn execute(args: ReachArgs) -> i32 {
    match run(&args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            code(&e)
        }
    }
}

/// The study with the command line's overrides applied and validated.
fn build_study(args: &ReachArgs) -> Result<Study, AnalysisError> {
    let mut s = study::builtin(&args.study)?;
    if !args.sites.is_empty() {
        s.sites = args.sites.iter().map(|t| study::parse_site(t)).collect::<Result<_, _>>()?;
    }
    if !args.burnout_speed.is_empty() {
        s.burnout_speeds_m_s = args.burnout_speed.iter().map(|v| v * 1e3).collect();
        for site in &mut s.sites {
            site.burnout_speeds_m_s = None;
        }
    }
    if !args.delay.is_empty() {
        s.delays_s = args.delay.clone();
    }
    if let Some(b) = args.burn_time {
        s.envelope.burn_time_s = b;
    }
    if let Some(h) = args.min_alt_km {
        s.envelope.min_alt_m = h * 1e3;
    }
    if let Some(h) = args.max_alt_km {
        s.envelope.max_alt_m = h * 1e3;
    }
    if let Some(r) = args.max_range_km {
        s.envelope.max_range_m = r * 1e3;
    }
    if !(args.step.is_finite() && args.step >= 1.0 && args.step <= 120.0) {
        return Err(AnalysisError::BadValue { what: "--step (s)", value: args.step, valid: "1 to 120" });
    }
    for site in &s.sites {
        study::validate_sweep(site_speeds(site, &s), &s.delays_s, &s.envelope)?;
    }
    Ok(s)
}

fn run(args: &ReachArgs) -> Result<(), AnalysisError> {
    let s = build_study(args)?;
    let rot = sweep::rotation();
    let notes = assumptions(&s, args.step);
    if let Some(pair) = &args.explain {
        return run_explain(args, &s, pair, &notes);
    }
    let trajectories = sweep::fly_all(&s.threats, &rot)?;
    let rows = sweep::sweep(&s, &trajectories, &rot, args.step);
    let summary = sweep::summarize(&rows);
    if let Some(p) = &args.csv {
        write_csv(p, &rows)?;
    }
    if let Some(p) = &args.map {
        shieldnet_analysis::svg::write_map(p, &s, &trajectories, &rows, &rot)?;
    }
    if let Some(p) = &args.chart {
        shieldnet_analysis::svg::write_chart(p, &s, &summary)?;
    }
    if args.json {
        let doc = Document::new(&s, &notes, &summary, &rows);
        println!("{}", serde_json::to_string_pretty(&doc).expect("rows serialize"));
    } else {
        print_text(&s, &notes, &summary, rows.len());
    }
    Ok(())
}

fn print_header(s: &Study, notes: &[String]) {
    println!("shieldnet reach — study {}: {}", s.name, s.description);
    println!("Assumptions (notional parameters; kinematic feasibility only):");
    for n in notes {
        println!("  - {n}");
    }
}

fn print_text(s: &Study, notes: &[String], summary: &[Summary], n_rows: usize) {
    print_header(s, notes);
    println!();
    println!("Sites:");
    for site in &s.sites {
        let speeds: Vec<String> = site_speeds(site, s).iter().map(|v| format!("{:.1}", v / 1e3)).collect();
        println!(
            "  {:<28} {:>7.2} {:>8.2}  {:<4} speeds {} km/s  {}",
            site.point.name,
            site.point.lat_deg,
            site.point.lon_deg,
            format!("{:?}", site.basing).to_lowercase(),
            speeds.join(","),
            site.note
        );
    }
    println!();
    println!("Reachable trajectories ({} threats) per site, burnout speed and delay:", s.threats.len());
    println!("  {:<28} {:>10} {:>8} {:>10} {:>9}", "site", "speed km/s", "delay s", "reachable", "fraction");
    for x in summary {
        println!(
            "  {:<28} {:>10.1} {:>8.0} {:>10} {:>9.2}",
            x.site,
            x.burnout_speed_km_s,
            x.delay_s,
            format!("{}/{}", x.reachable, x.total),
            x.fraction()
        );
    }
    println!();
    println!("{n_rows} rows (site × trajectory × speed × delay): use --json or --csv FILE for all of them.");
}

fn run_explain(args: &ReachArgs, s: &Study, pair: &str, notes: &[String]) -> Result<(), AnalysisError> {
    let bad = |why: &str| {
        let sites: Vec<&str> = s.sites.iter().map(|x| x.point.name.as_str()).collect();
        let mut launches: Vec<&str> = s.threats.iter().map(|t| t.launch.name.as_str()).collect();
        launches.dedup();
        let mut aims: Vec<&str> = s.threats.iter().map(|t| t.aim.name.as_str()).collect();
        aims.sort();
        aims.dedup();
        AnalysisError::NotInStudy(format!(
            "--explain {pair:?}: {why}; expected SITE:LAUNCH->AIM with sites [{}], launches [{}], aims [{}] \
             (study {}; built-in studies: {})",
            sites.join(", "),
            launches.join(", "),
            aims.join(", "),
            s.name,
            STUDY_NAMES.join(", ")
        ))
    };
    let (site_name, rest) = pair.split_once(':').ok_or_else(|| bad("no ':' after the site"))?;
    let (launch, aim) = rest.split_once("->").ok_or_else(|| bad("no '->' between launch and aim"))?;
    let eq = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    let site = s.sites.iter().find(|x| eq(&x.point.name, site_name)).ok_or_else(|| bad("unknown site"))?;
    let k = s
        .threats
        .iter()
        .position(|t| eq(&t.launch.name, launch) && eq(&t.aim.name, aim))
        .ok_or_else(|| bad("unknown launch/aim pair"))?;
    let rot = sweep::rotation();
    let tr = sweep::fly_all(std::slice::from_ref(&s.threats[k]), &rot)?;
    let mut out: Vec<Explanation> = Vec::new();
    for &v in site_speeds(site, s) {
        for &d in &s.delays_s {
            out.push(explain(site, &s.threats[k], &tr[0], v, d, &s.envelope, &rot, args.step));
        }
    }
    if args.json {
        let doc = serde_json::json!({ "study": s.name, "assumptions": notes, "explanations": out });
        println!("{}", serde_json::to_string_pretty(&doc).expect("serialize"));
        return Ok(());
    }
    print_header(s, notes);
    for e in &out {
        println!();
        println!(
            "{} vs {} -> {}: burnout speed {:.1} km/s, delay {:.0} s: {}",
            e.site,
            e.launch,
            e.aim,
            e.burnout_speed_km_s,
            e.delay_s,
            if e.feasible { "FEASIBLE" } else { "NOT FEASIBLE" }
        );
        for ev in &e.timeline {
            println!("  T+{:>7.1} s  {}", ev.t_s, ev.what);
        }
        for r in &e.reasons {
            println!("  why: {r}");
        }
    }
    Ok(())
}
