//! `shieldnet export RUN_DIR`: CZML (CesiumJS), KML (Google Earth) and GeoJSON (QGIS) of one run.

use clap::Args;
use shieldnet_export::run_dir::RunData;
use std::path::PathBuf;

/// Arguments of `shieldnet export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A run directory written by `shieldnet run --out DIR`.
    pub run_dir: PathBuf,
    /// Write CZML (time-tagged positions, coverage volumes) to this file.
    #[arg(long)]
    pub czml: Option<PathBuf>,
    /// Write KML (animated tracks) to this file.
    #[arg(long)]
    pub kml: Option<PathBuf>,
    /// Write GeoJSON (sites, footprints, impact points, ground tracks) to this file.
    #[arg(long)]
    pub geojson: Option<PathBuf>,
}

/// Runs the command; returns the exit code.
pub fn execute(args: ExportArgs) -> i32 {
    if args.czml.is_none() && args.kml.is_none() && args.geojson.is_none() {
        eprintln!("error: nothing to write; give --czml FILE, --kml FILE and/or --geojson FILE");
        return 2;
    }
    let data = match RunData::load(&args.run_dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    type Writer = fn(&std::path::Path, &RunData) -> std::io::Result<()>;
    let jobs: [(&Option<PathBuf>, Writer); 3] = [
        (&args.czml, shieldnet_export::czml::write),
        (&args.kml, shieldnet_export::kml::write),
        (&args.geojson, shieldnet_export::geojson::write),
    ];
    for (path, write) in jobs {
        if let Some(p) = path {
            if let Err(e) = write(p, &data) {
                eprintln!("error: cannot write {}: {e}", p.display());
                return 1;
            }
            println!("wrote {}", p.display());
        }
    }
    0
}
