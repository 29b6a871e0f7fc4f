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
    let summaries = match shieldnet_export::campaign_out::write_campaign_dir(&args.out, &merged) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    if !args.no_plots
        && let Err(e) =
            shieldnet_export::plots::write_campaign_plots(&args.out.join("plots"), &merged, &summaries)
    {
        eprintln!("error: {e}");
        return 1;
    }
    print!("{}", shieldnet_export::campaign_out::render_campaign_summary(&merged.manifest, &summaries));
    println!("merged {} shards into {}", args.dirs.len(), args.out.display());
    0
}
