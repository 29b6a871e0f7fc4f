//! `shieldnet merge`: joins the shard directories of one campaign into the directory the unsharded
//! campaign would have written, byte for byte.

use clap::Args;
use shieldnet_sim::campaign::merge;
use std::path::PathBuf;

/// Arguments of `shieldnet merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard directories (written by `shieldnet campaign --shard I/K --out DIR`), in any order.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output directory of the merged campaign.
    #[arg(long)]
    pub out: PathBuf,
    /// Do not draw the SVG plots.
    #[arg(long)]
    pub no_plots: bool,
}

/// Runs the command; returns the exit code.
pub fn execute(args: MergeArgs) -> i32 {
    let mut shards = Vec::new();
    for d in &args.dirs {
        match shieldnet_export::campaign_out::read_campaign_dir(d) {
            Ok(r) => shards.push(r),
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        }
    }
    let merged = match merge(shards) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if let Err(code) = super::campaign::write_outputs(&args.out, &merged, args.no_plots) {
        return code;
    }
    println!("merged {} shards into {}", args.dirs.len(), args.out.display());
    0
}
