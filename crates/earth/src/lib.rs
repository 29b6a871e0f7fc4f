//! The Earth shieldnet flies over: the WGS-84 ellipsoid, coordinate frames as distinct types, the Earth
//! rotation that links inertial and Earth-fixed frames, and gravity (point mass + J2).
//!
//! Every position crossing a module boundary carries its frame in its type: [`Geodetic`], [`Ecef`],
//! [`Eci`] or [`Enu`]. All quantities are SI (metres, seconds, radians).
//!
//! ```
//! use shieldnet_earth::{Geodetic, Ecef};
//! let deveselu = Geodetic::from_degrees(44.079, 24.413, 0.0);
//! let ecef: Ecef = deveselu.to_ecef();
//! let back = ecef.to_geodetic();
//! assert!((back.lat_rad - deveselu.lat_rad).abs() < 1e-12);
//! ```

pub mod atmosphere;
pub mod constants;
pub mod frames;
pub mod gravity;
pub mod rotation;

pub use frames::{Ecef, Eci, Enu, Geodetic, LookAngles};
pub use rotation::{EarthRotation, RotationSweep};

/// Re-export of the 3-vector type used by all frames.
pub type Vec3 = nalgebra::Vector3<f64>;
