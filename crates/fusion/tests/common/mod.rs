//! Test data shared by the integration tests (and the benchmark, through `#[path]`).

pub mod theatre;
