//! Flight physics for shieldnet.
pub mod integrate;
pub mod lambert;
