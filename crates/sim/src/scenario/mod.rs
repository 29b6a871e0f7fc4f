//! Scenario files: the schema and its loading.

pub mod schema;
pub use schema::*;
