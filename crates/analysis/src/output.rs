//! Table outputs: the JSON document and the CSV file of a sweep.

use crate::error::AnalysisError;
use crate::study::{Site, Study};
use crate::sweep::{Row, Summary};
use serde::Serialize;
use std::path::Path;

/// The `--json` document: `{"study", "assumptions", "sites", "summary", "rows"}`.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// Study name.
    pub study: &'a str,
    /// Study description.
    pub description: &'a str,
    /// Every modelling assumption, one sentence each.
    pub assumptions: &'a [String],
    /// The sites.
    pub sites: &'a [Site],
    /// Reachable fraction per (site, speed, delay).
    pub summary: &'a [Summary],
    /// One row per (site, trajectory, burnout speed, delay).
    pub rows: &'a [Row],
}

impl<'a> Document<'a> {
    /// The document of a study's sweep.
    pub fn new(study: &'a Study, assumptions: &'a [String], summary: &'a [Summary], rows: &'a [Row]) -> Self {
        Self {
            study: &study.name,
            description: &study.description,
            assumptions,
            sites: &study.sites,
            summary,
            rows,
        }
    }
}

/// Writes the rows as CSV (one header line, empty cells for nulls).
pub fn write_csv(path: &Path, rows: &[Row]) -> Result<(), AnalysisError> {
    let err =
        |e: &dyn std::fmt::Display| AnalysisError::Write { path: path.to_path_buf(), message: e.to_string() };
    let mut w = csv::Writer::from_path(path).map_err(|e| err(&e))?;
    for r in rows {
        w.serialize(r).map_err(|e| err(&e))?;
    }
    w.flush().map_err(|e| err(&e))
}
