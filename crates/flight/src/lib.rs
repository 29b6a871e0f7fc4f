//! Flight: threats from launch to impact on the rotating Earth.
//!
//! [`fly_threat`] flies a ballistic missile: a simple kinematic boost to a burnout state, then a
//! ballistic coast under point-mass + J2 gravity in the inertial frame, with the burnout velocity found
//! by Newton iteration so that the missile hits its aim point on the rotating Earth.
//!
//! ```
//! use shieldnet_earth::{EarthRotation, Geodetic};
//! use shieldnet_flight::{fly_threat, BoostSpec};
//! let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
//! let aim = Geodetic::from_degrees(39.93, 32.86, 0.0);
//! let boost = BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
//! let traj = fly_threat(&launch, &aim, 0.0, &boost, &EarthRotation::at_julian_date(2_457_175.0)).unwrap();
//! assert!(traj.impact_time_s() > 600.0);
//! ```

pub mod threat;
pub mod trajectory;

pub use threat::{BoostSpec, FlightError, fly_threat};
pub use trajectory::{StateEci, Trajectory};
