//! Scenario files (schema, loading with precise errors, built-in scenarios) and the world that plays
//! truth, sensors and the event loop around the party nodes.

pub mod scenario;
