//! `shieldnet`: the only place that prints and decides exit codes. Each subcommand lives in its own
//! module under `commands/`.

mod commands;

use clap::Parser;

/// With `--features mimalloc`, mimalloc serves every allocation (faster for the small, short-lived
/// vectors a run allocates at every step).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = commands::Cli::parse();
    std::process::exit(commands::dispatch(cli));
}
