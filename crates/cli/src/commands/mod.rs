//! Subcommands. Exit codes: 0 success, 1 a check failed or output could not be written, 2 invalid
//! input (bad file, bad argument).

mod bench;
mod campaign;
mod compare_modes;
mod distributed;
mod export;
mod merge;
mod reach;
mod run;
mod scenario_source;
mod scenarios;
pub mod trajectory;
mod view;
pub mod wta;

pub mod audit;

use clap::{Parser, Subcommand};

/// Cooperative ballistic-missile defence: simulate, track, share, coordinate, verify.
#[derive(Debug, Parser)]
#[command(name = "shieldnet", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario once (default: the built-in epaa-2015) and print who saw, shared and fired what.
    Run(run::RunArgs),
    /// List the built-in scenarios.
    Scenarios,
    /// Quick performance figures, as ratios to a baseline workload measured in the same run.
    Bench(bench::BenchArgs),
    /// Work with scenarios.
    #[command(subcommand)]
    Scenario(scenarios::ScenarioCommand),
    /// Fly one ballistic missile from a launch point to an aim point.
    Trajectory(trajectory::TrajectoryArgs),
    /// Verify or show the signed record of a run.
    Audit(audit::AuditArgs),
    /// Solve a static weapon-target assignment instance (JSON).
    Wta(wta::WtaArgs),
    /// Run a Monte Carlo campaign (many seeded runs in parallel, optional sweep and shard).
    Campaign(campaign::CampaignArgs),
    /// Run the same scenario and seeds under every cooperation mode and compare them side by side.
    CompareModes(compare_modes::CompareModesArgs),
    /// Merge the shard directories of one campaign into the unsharded result.
    Merge(merge::MergeArgs),
    /// Export one run directory as CZML (CesiumJS), KML (Google Earth) and/or GeoJSON (QGIS).
    Export(export::ExportArgs),
    /// Which threat trajectories interceptor sites can reach (transparency analysis; default study
    /// russia-us): sweeps burnout speed, delay and basing; --json, --csv, --map, --chart, --explain.
    Reach(reach::ReachArgs),
    /// Serve a page on localhost that shows one run directory (map, tracks, time slider).
    View(view::ViewArgs),
    /// Write a new signing key pair for a party (`<party>.key`, `<party>.pub`).
    Keygen(distributed::KeygenArgs),
    /// Run one party node as its own process (feature `distributed`).
    Node(distributed::NodeArgs),
    /// Run the world (truth, sensors, network) for node processes (feature `distributed`).
    World(distributed::WorldArgs),
}

/// Runs a parsed command and returns the process exit code.
pub fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::Run(args) => run::execute(args),
        Command::Scenarios => scenarios::list(),
        Command::Bench(args) => bench::execute(args),
        Command::Scenario(cmd) => scenarios::execute(cmd),
        Command::Trajectory(args) => trajectory::run(&args),
        Command::Audit(args) => audit::run(args),
        Command::Wta(args) => wta::run(args),
        Command::Campaign(args) => campaign::execute(args),
        Command::CompareModes(args) => compare_modes::execute(args),
        Command::Merge(args) => merge::execute(args),
        Command::Export(args) => export::execute(args),
        Command::View(args) => view::execute(args),
        Command::Reach(args) => reach::execute(args),
        Command::Keygen(args) => distributed::keygen(args),
        Command::Node(args) => distributed::node(args),
        Command::World(args) => distributed::world(args),
    }
}
