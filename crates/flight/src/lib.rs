//! Flight physics for shieldnet: integrators, the Earth a missile flies over, ballistic missiles (staged
//! boost, coast, re-entry with drag), Lambert and closed-form targeting, interceptor fly-out and reach.
//!
//! Trajectories are integrated in the inertial frame (ECI) with the Earth turning underneath; the
//! air, the surface and the aim point are Earth-fixed and are moved into ECI at the instant they are
//! needed. See `ARCHITECTURE.md` for why.
//!
//! ```
//! use shieldnet_earth::{EarthRotation, Geodetic};
//! use shieldnet_flight::missile::{fly, Boost, FlightPlan};
//! use shieldnet_flight::EarthModel;
//! // Textbook minimum-energy shot over a quarter of the Earth.
//! let plan = FlightPlan::new(EarthModel::textbook());
//! let f = fly(&Geodetic::from_degrees(0.0, 0.0, 0.0), &Geodetic::from_degrees(0.0, 90.0, 0.0), 0.0,
//!             &Boost::None, &plan).unwrap();
//! assert!((f.flight_path_angle_rad.to_degrees() - 22.5).abs() < 1e-3);
//!
//! // A threat for the world (kinematic boost, J2 coast on the rotating Earth).
//! use shieldnet_flight::{fly_threat, BoostSpec};
//! let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
//! let aim = Geodetic::from_degrees(39.93, 32.86, 0.0);
//! let boost = BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
//! let traj = fly_threat(&launch, &aim, 0.0, &boost, &EarthRotation::at_julian_date(2_457_175.0)).unwrap();
//! assert!(traj.impact_time_s() > 600.0);
//! ```

// `!(x > y)` is deliberate throughout: it rejects NaN inputs, which `x <= y` would let through.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
// The integrators index several fixed-size arrays in lock-step.
#![allow(clippy::needless_range_loop)]

pub mod ballistic;
pub mod coast;
pub mod earth_model;
pub mod error;
pub mod events;
pub mod integrate;
pub mod interceptor;
pub mod lambert;
pub mod missile;
pub mod targeting;
pub mod threat;
pub mod trajectory;

pub use earth_model::{EarthModel, Figure};
pub use error::FlightError;
pub use interceptor::{InterceptPoint, InterceptWindow, InterceptorKinematics, intercept_window};
pub use threat::{BoostSpec, fly_threat};
pub use trajectory::{StateEci, Trajectory};
