//! Resolving the SCENARIO argument: a built-in name or a file path.

use shieldnet_sim::scenario::{self, Scenario, ScenarioError};
use std::path::Path;

/// The default scenario of `shieldnet run`.
pub const DEFAULT_SCENARIO: &str = "epaa-2015";

/// Loads a built-in scenario by name, or a scenario file by path.
pub fn load(arg: Option<&str>) -> Result<Scenario, ScenarioError> {
    let name = arg.unwrap_or(DEFAULT_SCENARIO);
    if scenario::builtin_source(name).is_some() {
        return scenario::load_builtin(name);
    }
    scenario::load_file(Path::new(name))
}

/// Prints a scenario error with its source snippet and returns exit code 2.
pub fn report(err: ScenarioError) -> i32 {
    let n = err.count();
    eprintln!("{:?}", miette::Report::new(err));
    if n > 1 {
        eprintln!("({n} problems in total)");
    }
    2
}
