//! Sensors: what a party's radars can see and the detections they report.
//!
//! A [`Radar`] looks at its field of regard every `revisit_s`; a target is visible when it is inside the
//! azimuth sector, between the elevation limits, within range and not hidden by the Earth. A visible
//! target is detected with probability `pd`; its measured range, azimuth and elevation carry Gaussian
//! noise, and every detection carries its measurement covariance. False alarms appear uniformly in the
//! searched volume. With a radar equation ([`RadarEquation`]) Pd, false alarms and noise follow from
//! SNR; [`horizon`] adds the 4/3-Earth radio horizon, [`cue`] a cued (narrowed) search, and
//! [`infrared`] space-based early-warning satellites that report lines of sight to boosting missiles.
//!
//! ```
//! use shieldnet_earth::Geodetic;
//! use shieldnet_sensors::{Radar, RadarSpec};
//! let spec = RadarSpec::example();
//! let radar = Radar::new(0, 0, spec);
//! let above = Geodetic::from_degrees(38.6, 38.5, 150e3).to_ecef();
//! assert!(radar.can_see(&above));
//! ```

pub mod cue;
pub mod detection;
pub mod detection_model;
pub mod horizon;
pub mod infrared;
pub mod radar;
mod volume_bounds;

pub use cue::Cue;
pub use detection::{Detection, RangeRate, Scan};
pub use detection_model::{RadarEquation, Swerling};
pub use infrared::{IrDetection, IrSatellite, IrSatelliteSpec, IrTarget, LosFrame};
pub use radar::{Radar, RadarSpec, Target};
