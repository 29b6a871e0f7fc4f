//! The files of a campaign directory (`shieldnet campaign --out DIR`), and reading them back for
//! `shieldnet merge`.
//!
//! | file | content |
//! |---|---|
//! | `campaign.json` | the [`Manifest`]: scenario, its hash, seed, runs, parties, sweep, combinations, shard |
//! | `runs.csv`, `runs.jsonl` | one row per run: `combination, run, threats, leakers, intercepted, in_flight, interceptors_spent, spent_<PARTY>…, double_engagements` |
//! | `threats.csv`, `threats.jsonl` | one row per run and threat: `combination, run, threat, raid, launch_time_s, impact_time_s, outcome, intercepted_by, intercept_time_s, asset_hit, interceptors_fired, fired_<PARTY>…, first_detection_s_<PARTY>…, first_own_track_s_<PARTY>…, first_picture_s_<PARTY>…` |
//! | `summary.csv`, `summary.json` | one row per combination: estimates with 95 % bounds (`_lo`, `_hi`) |
//! | `runs.parquet`, `threats.parquet` | with the cargo feature `parquet` only: the CSV columns, typed |
//!
//! Times are seconds after the scenario epoch (delays in the summary are seconds after launch); an
//! empty CSV cell (JSON `null`) means "never". Numbers are written in the shortest form that reads
//! back to the same `f64`, so a merge of shards reproduces the unsharded files byte for byte.

use serde::Serialize;
use shieldnet_sim::campaign::stats::Estimate;
use shieldnet_sim::campaign::{CampaignResults, CombinationSummary, Manifest, RunRow, ThreatRow, summarize};
use shieldnet_sim::report::Outcome;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A campaign file could not be written or read.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CampaignFileError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

fn ferr(path: &Path, e: impl std::fmt::Display) -> CampaignFileError {
    CampaignFileError { path: path.to_path_buf(), message: e.to_string() }
}

fn num(x: f64) -> String {
    format!("{x}")
}

fn opt(x: Option<f64>) -> String {
    x.map(num).unwrap_or_default()
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Intercepted => "intercepted",
        Outcome::Leaked => "leaked",
        Outcome::InFlight => "in_flight",
    }
}

fn run_header(parties: &[String]) -> Vec<String> {
    let mut h: Vec<String> =
        ["combination", "run", "threats", "leakers", "intercepted", "in_flight", "interceptors_spent"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    h.extend(parties.iter().map(|p| format!("spent_{p}")));
    h.push("double_engagements".into());
    h
}

fn threat_header(parties: &[String]) -> Vec<String> {
    let mut h: Vec<String> = [
        "combination",
        "run",
        "threat",
        "raid",
        "launch_time_s",
        "impact_time_s",
        "outcome",
        "intercepted_by",
        "intercept_time_s",
        "asset_hit",
        "interceptors_fired",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for prefix in ["fired", "first_detection_s", "first_own_track_s", "first_picture_s"] {
        h.extend(parties.iter().map(|p| format!("{prefix}_{p}")));
    }
    h
}

fn csv_bytes(header: &[String], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(&r)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

fn run_record(r: &RunRow) -> Vec<String> {
    let mut v = vec![
        r.combination.to_string(),
        r.run.to_string(),
        r.threats.to_string(),
        r.leakers.to_string(),
        r.intercepted.to_string(),
        r.in_flight.to_string(),
        r.interceptors_spent.to_string(),
    ];
    v.extend(r.spent_by_party.iter().map(|x| x.to_string()));
    v.push(r.double_engagements.to_string());
    v
}

fn threat_record(t: &ThreatRow) -> Vec<String> {
    let mut v = vec![
        t.combination.to_string(),
        t.run.to_string(),
        t.threat.clone(),
        t.raid.clone(),
        num(t.launch_time_s),
        num(t.impact_time_s),
        outcome_name(t.outcome).into(),
        t.intercepted_by.clone().unwrap_or_default(),
        opt(t.intercept_time_s),
        t.asset_hit.clone().unwrap_or_default(),
        t.interceptors_fired.to_string(),
    ];
    v.extend(t.fired_by_party.iter().map(|x| x.to_string()));
    for col in [&t.first_detection_s, &t.first_own_track_s, &t.first_picture_s] {
        v.extend(col.iter().map(|x| opt(*x)));
    }
    v
}

#[derive(Serialize)]
struct RunJson<'a> {
    combination: usize,
    run: u64,
    threats: u32,
    leakers: u32,
    intercepted: u32,
    in_flight: u32,
    interceptors_spent: u32,
    spent_by_party: BTreeMap<&'a str, u32>,
    double_engagements: u32,
}

#[derive(Serialize)]
struct ThreatJson<'a> {
    combination: usize,
    run: u64,
    threat: &'a str,
    raid: &'a str,
    launch_time_s: f64,
    impact_time_s: f64,
    outcome: Outcome,
    intercepted_by: Option<&'a str>,
    intercept_time_s: Option<f64>,
    asset_hit: Option<&'a str>,
    interceptors_fired: u32,
    fired_by_party: BTreeMap<&'a str, u32>,
    first_detection_s: BTreeMap<&'a str, Option<f64>>,
    first_own_track_s: BTreeMap<&'a str, Option<f64>>,
    first_picture_s: BTreeMap<&'a str, Option<f64>>,
}

fn jsonl<T: Serialize>(items: impl Iterator<Item = T>) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    for it in items {
        serde_json::to_writer(&mut out, &it)?;
        out.push(b'\n');
    }
    Ok(out)
}

fn summary_header(parties: &[String]) -> Vec<String> {
    let mut h: Vec<String> =
        ["combination", "label", "mode", "runs", "zero_leaker_runs"].iter().map(|s| s.to_string()).collect();
    let est = |h: &mut Vec<String>, name: &str| {
        h.push(name.to_string());
        h.push(format!("{name}_lo"));
        h.push(format!("{name}_hi"));
    };
    for name in ["p_zero_leakers", "mean_leakers", "p_leak_per_threat", "mean_interceptors"] {
        est(&mut h, name);
    }
    for p in parties {
        for name in
            ["p_detected", "detection_delay_s", "p_in_picture", "picture_delay_s", "interceptors_spent"]
        {
            est(&mut h, &format!("{p}_{name}"));
        }
    }
    h
}

fn summary_record(s: &CombinationSummary) -> Vec<String> {
    let mut v = vec![
        s.combination.to_string(),
        s.label.clone(),
        s.mode.clone(),
        s.runs.to_string(),
        s.zero_leaker_runs.to_string(),
    ];
    let est = |v: &mut Vec<String>, e: &Estimate| {
        v.push(num(e.value));
        v.push(num(e.lo));
        v.push(num(e.hi));
    };
    for e in [&s.p_zero_leakers, &s.mean_leakers, &s.p_leak_per_threat, &s.mean_interceptors] {
        est(&mut v, e);
    }
    for p in &s.parties {
        for e in
            [&p.p_detected, &p.detection_delay_s, &p.p_in_picture, &p.picture_delay_s, &p.interceptors_spent]
        {
            est(&mut v, e);
        }
    }
    v
}

/// The summary file content: the manifest's identity and one entry per combination.
#[derive(Serialize)]
struct SummaryJson<'a> {
    scenario: &'a str,
    seed: u64,
    runs: u64,
    shard: Option<String>,
    interval: &'static str,
    combinations: &'a [CombinationSummary],
}

/// Writes every file of a campaign directory (created if missing) and returns the summaries.
pub fn write_campaign_dir(
    dir: &Path,
    res: &CampaignResults,
) -> Result<Vec<CombinationSummary>, CampaignFileError> {
    std::fs::create_dir_all(dir).map_err(|e| ferr(dir, e))?;
    let m = &res.manifest;
    let parties = &m.parties;
    let summaries = summarize(res);
    let put = |name: &str, bytes: Result<Vec<u8>, String>| -> Result<(), CampaignFileError> {
        let path = dir.join(name);
        let bytes = bytes.map_err(|e| ferr(&path, e))?;
        std::fs::write(&path, bytes).map_err(|e| ferr(&path, e))
    };
    let pretty = |v: &dyn erased::Ser| v.to_pretty();
    put("campaign.json", pretty(m))?;
    put(
        "runs.csv",
        csv_bytes(&run_header(parties), res.runs.iter().map(run_record)).map_err(|e| e.to_string()),
    )?;
    put(
        "threats.csv",
        csv_bytes(&threat_header(parties), res.threats.iter().map(threat_record)).map_err(|e| e.to_string()),
    )?;
    let by_party_u32 = |v: &[u32]| -> BTreeMap<&str, u32> {
        parties.iter().map(String::as_str).zip(v.iter().copied()).collect()
    };
    let by_party_t = |v: &[Option<f64>]| -> BTreeMap<&str, Option<f64>> {
        parties.iter().map(String::as_str).zip(v.iter().copied()).collect()
    };
    put(
        "runs.jsonl",
        jsonl(res.runs.iter().map(|r| RunJson {
            combination: r.combination,
            run: r.run,
            threats: r.threats,
            leakers: r.leakers,
            intercepted: r.intercepted,
            in_flight: r.in_flight,
            interceptors_spent: r.interceptors_spent,
            spent_by_party: by_party_u32(&r.spent_by_party),
            double_engagements: r.double_engagements,
        }))
        .map_err(|e| e.to_string()),
    )?;
    put(
        "threats.jsonl",
        jsonl(res.threats.iter().map(|t| ThreatJson {
            combination: t.combination,
            run: t.run,
            threat: &t.threat,
            raid: &t.raid,
            launch_time_s: t.launch_time_s,
            impact_time_s: t.impact_time_s,
            outcome: t.outcome,
            intercepted_by: t.intercepted_by.as_deref(),
            intercept_time_s: t.intercept_time_s,
            asset_hit: t.asset_hit.as_deref(),
            interceptors_fired: t.interceptors_fired,
            fired_by_party: by_party_u32(&t.fired_by_party),
            first_detection_s: by_party_t(&t.first_detection_s),
            first_own_track_s: by_party_t(&t.first_own_track_s),
            first_picture_s: by_party_t(&t.first_picture_s),
        }))
        .map_err(|e| e.to_string()),
    )?;
    put(
        "summary.csv",
        csv_bytes(&summary_header(parties), summaries.iter().map(summary_record)).map_err(|e| e.to_string()),
    )?;
    let sj = SummaryJson {
        scenario: &m.scenario,
        seed: m.seed,
        runs: m.runs,
        shard: m.shard.map(|s| s.to_string()),
        interval: "95 %: Wilson score for proportions (p_*), normal approximation for means",
        combinations: &summaries,
    };
    put("summary.json", pretty(&sj))?;
    #[cfg(feature = "parquet")]
    crate::parquet_out::write_campaign_parquet(dir, res)?;
    Ok(summaries)
}

mod erased {
    //! Pretty JSON of any serialisable value, behind a trait object.
    pub trait Ser {
        fn to_pretty(&self) -> Result<Vec<u8>, String>;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_pretty(&self) -> Result<Vec<u8>, String> {
            let mut v = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
            v.push(b'\n');
            Ok(v)
        }
    }
}

struct Table {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    fn read(path: &Path) -> Result<Self, CampaignFileError> {
        let mut r = csv::Reader::from_path(path).map_err(|e| ferr(path, e))?;
        let header = r.headers().map_err(|e| ferr(path, e))?.iter().map(str::to_owned).collect();
        let rows = r.records().collect::<Result<Vec<_>, _>>().map_err(|e| ferr(path, e))?;
        Ok(Self { path: path.to_path_buf(), header, rows })
    }

    fn check_header(&self, expected: &[String]) -> Result<(), CampaignFileError> {
        if self.header != expected {
            return Err(ferr(
                &self.path,
                format!("unexpected columns {:?}; expected {:?}", self.header.join(","), expected.join(",")),
            ));
        }
        Ok(())
    }
}

struct Cells<'a> {
    t: &'a Table,
    row: usize,
    rec: &'a csv::StringRecord,
    i: usize,
}

impl Cells<'_> {
    fn text(&mut self) -> Result<String, CampaignFileError> {
        let s = self
            .rec
            .get(self.i)
            .ok_or_else(|| ferr(&self.t.path, format!("row {}: too few cells", self.row + 2)))?;
        self.i += 1;
        Ok(s.to_owned())
    }
    fn parse<T: std::str::FromStr>(&mut self) -> Result<T, CampaignFileError> {
        let col = self.t.header.get(self.i).cloned().unwrap_or_default();
        let s = self.text()?;
        s.parse()
            .map_err(|_| ferr(&self.t.path, format!("row {}, column {col}: cannot read `{s}`", self.row + 2)))
    }
    fn opt_f64(&mut self) -> Result<Option<f64>, CampaignFileError> {
        if self.rec.get(self.i) == Some("") {
            self.i += 1;
            return Ok(None);
        }
        self.parse().map(Some)
    }
    fn opt_text(&mut self) -> Result<Option<String>, CampaignFileError> {
        let s = self.text()?;
        Ok((!s.is_empty()).then_some(s))
    }
}

/// Reads back a campaign directory written by [`write_campaign_dir`] (a whole campaign or a shard).
pub fn read_campaign_dir(dir: &Path) -> Result<CampaignResults, CampaignFileError> {
    let mpath = dir.join("campaign.json");
    let text = std::fs::read_to_string(&mpath)
        .map_err(|e| ferr(&mpath, format!("{e} (not a campaign directory?)")))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| ferr(&mpath, e))?;
    let np = manifest.parties.len();
    let rt = Table::read(&dir.join("runs.csv"))?;
    rt.check_header(&run_header(&manifest.parties))?;
    let mut runs = Vec::with_capacity(rt.rows.len());
    for (row, rec) in rt.rows.iter().enumerate() {
        let mut c = Cells { t: &rt, row, rec, i: 0 };
        runs.push(RunRow {
            combination: c.parse()?,
            run: c.parse()?,
            threats: c.parse()?,
            leakers: c.parse()?,
            intercepted: c.parse()?,
            in_flight: c.parse()?,
            interceptors_spent: c.parse()?,
            spent_by_party: (0..np).map(|_| c.parse()).collect::<Result<_, _>>()?,
            double_engagements: c.parse()?,
        });
    }
    let tt = Table::read(&dir.join("threats.csv"))?;
    tt.check_header(&threat_header(&manifest.parties))?;
    let mut threats = Vec::with_capacity(tt.rows.len());
    for (row, rec) in tt.rows.iter().enumerate() {
        let mut c = Cells { t: &tt, row, rec, i: 0 };
        let combination = c.parse()?;
        let run = c.parse()?;
        let threat = c.text()?;
        let raid = c.text()?;
        let launch_time_s = c.parse()?;
        let impact_time_s = c.parse()?;
        let o = c.text()?;
        let outcome = match o.as_str() {
            "intercepted" => Outcome::Intercepted,
            "leaked" => Outcome::Leaked,
            "in_flight" => Outcome::InFlight,
            _ => return Err(ferr(&tt.path, format!("row {}: unknown outcome `{o}`", row + 2))),
        };
        threats.push(ThreatRow {
            combination,
            run,
            threat,
            raid,
            launch_time_s,
            impact_time_s,
            outcome,
            intercepted_by: c.opt_text()?,
            intercept_time_s: c.opt_f64()?,
            asset_hit: c.opt_text()?,
            interceptors_fired: c.parse()?,
            fired_by_party: (0..np).map(|_| c.parse()).collect::<Result<_, _>>()?,
            first_detection_s: (0..np).map(|_| c.opt_f64()).collect::<Result<_, _>>()?,
            first_own_track_s: (0..np).map(|_| c.opt_f64()).collect::<Result<_, _>>()?,
            first_picture_s: (0..np).map(|_| c.opt_f64()).collect::<Result<_, _>>()?,
        });
    }
    Ok(CampaignResults { manifest, runs, threats })
}

fn ci(e: &Estimate, digits: usize) -> String {
    format!("{:.d$} [{:.d$}, {:.d$}]", e.value, e.lo, e.hi, d = digits)
}

/// Renders the summaries as text: one block per combination.
pub fn render_campaign_summary(m: &Manifest, summaries: &[CombinationSummary]) -> String {
    let mut s = String::new();
    let shard = m.shard.map(|x| format!("  shard {x}")).unwrap_or_default();
    let _ = writeln!(
        s,
        "campaign {}  seed {}  {} runs per combination{shard}  (95 % intervals)",
        m.scenario, m.seed, m.runs
    );
    for c in summaries {
        let _ = writeln!(s);
        let _ = writeln!(s, "[{}] {}  (mode {}, {} runs)", c.combination, c.label, c.mode, c.runs);
        let _ = writeln!(s, "  P(no leaker)          {}", ci(&c.p_zero_leakers, 4));
        let _ = writeln!(s, "  leakers per run       {}", ci(&c.mean_leakers, 3));
        let _ = writeln!(s, "  P(threat leaks)       {}", ci(&c.p_leak_per_threat, 4));
        let _ = writeln!(s, "  interceptors per run  {}", ci(&c.mean_interceptors, 2));
        for p in &c.parties {
            let _ = writeln!(
                s,
                "  {:<8} spent {:>6.2}  detects {:>5.1} %  detection {:>6.1} s after launch  in picture {:>5.1} % at {:>6.1} s",
                p.party,
                p.interceptors_spent.value,
                100.0 * p.p_detected.value,
                p.detection_delay_s.value,
                100.0 * p.p_in_picture.value,
                p.picture_delay_s.value
            );
        }
    }
    s
}
