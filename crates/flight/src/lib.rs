//! Flight physics for shieldnet.
pub mod ballistic;
pub mod coast;
pub mod earth_model;
pub mod error;
pub mod integrate;
pub mod interceptor;
pub mod lambert;
pub mod missile;
pub mod targeting;
pub mod trajectory;

pub use earth_model::{EarthModel, Figure};
pub use error::FlightError;
pub use trajectory::{StateEci, Trajectory};
