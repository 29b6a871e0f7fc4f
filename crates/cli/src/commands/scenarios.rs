//! `shieldnet scenarios` and `shieldnet scenario show NAME`.

use clap::Subcommand;
use shieldnet_sim::scenario;

/// `shieldnet scenario …` subcommands.
#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Print a built-in scenario as TOML (a starting point for your own file).
    Show {
        /// Built-in scenario name.
        name: String,
    },
}

/// Lists the built-in scenarios.
pub fn list() -> i32 {
    for name in scenario::builtin_names() {
        println!("{name:<24} {}", scenario::builtin_description(name).unwrap_or(""));
    }
    0
}

/// Runs a `scenario` subcommand.
pub fn execute(cmd: ScenarioCommand) -> i32 {
    match cmd {
        ScenarioCommand::Show { name } => match scenario::builtin_source(&name) {
            Some(src) => {
                print!("{src}");
                0
            }
            None => {
                eprintln!(
                    "error: no built-in scenario named '{name}'; built-ins: {}",
                    scenario::builtin_names().join(", ")
                );
                2
            }
        },
    }
}
