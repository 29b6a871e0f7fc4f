//! Errors of the analysis crate.

use thiserror::Error;

/// What can go wrong building or running a study.
#[derive(Debug, Error)]
pub enum AnalysisError {
    /// No built-in study of that name.
    #[error("unknown study {name:?}; built-in studies: {valid}")]
    UnknownStudy {
        /// The name asked for.
        name: String,
        /// Valid names.
        valid: String,
    },
    /// A site given as text could not be read.
    #[error("bad site {input:?}: {why} (expected NAME=LAT,LON in degrees, e.g. Deveselu=44.08,24.41)")]
    BadSite {
        /// The text.
        input: String,
        /// What is wrong.
        why: String,
    },
    /// A numeric parameter is out of range.
    #[error("bad {what}: {value} (valid: {valid})")]
    BadValue {
        /// Which parameter.
        what: &'static str,
        /// The value given.
        value: f64,
        /// What is valid.
        valid: &'static str,
    },
    /// A pair named in --explain is not in the study.
    #[error("{0}")]
    NotInStudy(String),
    /// A threat trajectory could not be flown.
    #[error("cannot fly {launch} -> {aim}: {source}")]
    Flight {
        /// Launch name.
        launch: String,
        /// Aim name.
        aim: String,
        /// The cause.
        source: shieldnet_flight::FlightError,
    },
    /// An output file could not be written.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The cause.
        message: String,
    },
}
