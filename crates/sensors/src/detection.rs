//! Detections and scans: what a radar reports from one look.

use serde::{Deserialize, Serialize};
use shieldnet_earth::{Ecef, Geodetic, LookAngles};

/// One reported detection: a noisy range/azimuth/elevation measurement with its covariance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Measurement time, s since the epoch.
    pub time_s: f64,
    /// Index of the reporting radar in the scenario.
    pub radar: u32,
    /// Measured range, azimuth and elevation in the radar's ENU frame.
    pub measured: LookAngles,
    /// Standard deviations of range (m), azimuth (rad) and elevation (rad).
    pub sigma: [f64; 3],
    /// Ground-truth label, for metrics and reports only: the index of the threat that caused it, or
    /// `None` for a false alarm. Trackers never read it.
    pub truth: Option<u32>,
    /// Measured range rate, when the radar measures it.
    #[serde(default)]
    pub range_rate: Option<RangeRate>,
}

/// A range-rate (Doppler) measurement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RangeRate {
    /// Measured d(range)/dt, m/s (positive opening).
    pub value_m_s: f64,
    /// Its noise (1σ), m/s.
    pub sigma_m_s: f64,
}

impl Detection {
    /// The measured point in ECEF (no noise removal).
    pub fn position_ecef(&self, site: &Geodetic) -> Ecef {
        self.measured.to_enu().to_ecef(site)
    }
}

/// All detections from one look of one radar at one instant, with what the tracker needs to know about
/// the look itself (where the radar is and which volume it searched, so that a track inside the volume
/// that got no detection counts a miss).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    /// Look time, s.
    pub time_s: f64,
    /// Radar index.
    pub radar: u32,
    /// Radar site.
    pub site: Geodetic,
    /// The detections.
    pub detections: Vec<Detection>,
    /// The window searched when the look covered only part of the volume (a cued search or a
    /// track-mode look): a track outside it was not looked at and must not count a miss.
    #[serde(default)]
    pub window: Option<crate::cue::Cue>,
}
