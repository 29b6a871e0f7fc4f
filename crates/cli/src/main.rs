//! `shieldnet`: the only place that prints and decides exit codes. Each subcommand lives in its own
//! module under `commands/`.

mod commands;

use clap::Parser;

fn main() {
    let cli = commands::Cli::parse();
    std::process::exit(commands::dispatch(cli));
}
