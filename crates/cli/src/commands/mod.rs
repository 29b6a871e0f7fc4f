//! Subcommands. Exit codes: 0 success, 1 a check failed (e.g. audit verify), 2 invalid input.

pub mod wta;

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
    /// List the built-in scenarios.
    Scenarios,
    /// Solve a static weapon-target assignment instance (JSON).
    Wta(wta::WtaArgs),
}

/// Runs a parsed command and returns the process exit code.
pub fn dispatch(cli: Cli) -> i32 {
    match cli.command {
        Command::Scenarios => {
            println!("(no built-in scenarios yet)");
            0
        }
        Command::Wta(args) => wta::run(args),
    }
}
