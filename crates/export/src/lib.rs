//! Writers for a run's results: the human summary ([`summary`]) and the CSV files of `--out DIR`
//! ([`csv_files`]).

pub mod csv_files;
pub mod summary;

pub use csv_files::{ExportError, write_run_dir};
pub use summary::render_summary;
pub mod campaign_out;
pub mod czml;
pub mod geojson;
pub mod kml;
#[cfg(feature = "parquet")]
pub mod parquet_out;
pub mod plots;
pub mod run_dir;
