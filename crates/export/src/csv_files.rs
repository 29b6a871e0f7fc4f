//! `--out DIR`: `truth.csv`, `detections.csv`, `tracks.csv`, `events.csv` and `report.json` (columns
//! documented in the README; one header row; times in seconds since the scenario epoch; angles in
//! degrees; lengths in metres), and, when the run authenticated its messages, each party's audit log `audit-PARTY.jsonl`
//! with the parties' public keys in `trust.txt` (checked by `shieldnet audit verify DIR`).

use serde::Serialize;
use shieldnet_sim::{RunRecord, RunReport};
use std::path::{Path, PathBuf};

/// A file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct ExportError {
    /// The file.
    pub path: PathBuf,
    /// The cause.
    #[source]
    pub source: csv::Error,
}

/// Writes the four CSV files and `report.json` into `dir` (created if missing).
pub fn write_run_dir(dir: &Path, report: &RunReport, record: &RunRecord) -> Result<(), ExportError> {
    std::fs::create_dir_all(dir).map_err(|e| ExportError { path: dir.to_path_buf(), source: e.into() })?;
    write(&dir.join("truth.csv"), &record.truth)?;
    write(&dir.join("detections.csv"), &record.detections)?;
    write(&dir.join("tracks.csv"), &record.tracks)?;
    let events: Vec<EventRow<'_>> = report
        .events
        .iter()
        .map(|e| EventRow {
            t_s: e.t_s,
            kind: &e.kind,
            party: e.party.as_deref().unwrap_or(""),
            subject: &e.subject,
            detail: &e.detail,
        })
        .collect();
    write(&dir.join("events.csv"), &events)?;
    if let Some(trust) = &record.audit_trust {
        let logs: Vec<(&str, &[u8])> =
            record.audit_logs.iter().map(|(p, l)| (p.as_str(), l.as_slice())).collect();
        shieldnet_audit::write_dir_logs(dir, &logs, trust)
            .map_err(|e| ExportError { path: dir.to_path_buf(), source: e.into() })?;
        if let Some(policy) = &record.audit_policy {
            let path = dir.join(shieldnet_sim::policy_setup::POLICY_FILE_NAME);
            std::fs::write(&path, policy.to_json()).map_err(|e| ExportError { path, source: e.into() })?;
        }
    }
    // report.json: read back by `shieldnet export` and `shieldnet view` (see run_dir.rs).
    let path = dir.join("report.json");
    let json = serde_json::to_vec_pretty(report).map_err(std::io::Error::from);
    json.and_then(|j| std::fs::write(&path, j)).map_err(|e| ExportError { path, source: e.into() })
}

#[derive(Serialize)]
struct EventRow<'a> {
    t_s: f64,
    kind: &'a str,
    party: &'a str,
    subject: &'a str,
    detail: &'a str,
}

fn write<T: Serialize>(path: &Path, rows: &[T]) -> Result<(), ExportError> {
    let err = |source: csv::Error| ExportError { path: path.to_path_buf(), source };
    let mut w = csv::Writer::from_path(path).map_err(err)?;
    for r in rows {
        w.serialize(r).map_err(err)?;
    }
    w.flush().map_err(|e| err(e.into()))
}
