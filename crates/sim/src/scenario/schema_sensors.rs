//! Scenario tables for sensor physics: a radar's `[radar.detection]` (radar equation and detector)
//! and `[[ir_satellite]]` (space-based infrared early warning). Units are in the field names.

use serde::{Deserialize, Serialize};

/// `[radar.detection]`: the radar equation and detector; when present, Pd, false alarms and noise
/// follow from SNR (see `shieldnet_sensors::detection_model`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RadarDetection {
    /// Average power × effective aperture, W·m².
    pub power_aperture_w_m2: f64,
    /// Transmit gain, dB.
    pub gain_db: f64,
    /// Coherent dwell per beam position, s.
    pub dwell_s: f64,
    /// System noise temperature, K.
    pub system_noise_temp_k: f64,
    /// Total losses, dB.
    pub losses_db: f64,
    /// False-alarm probability per resolution cell.
    pub pfa: f64,
    /// Swerling case of the targets: 0, 1 or 3.
    #[serde(default = "swerling_one")]
    pub swerling: u8,
    /// RCS used for objects without their own (reference RCS), m².
    pub reference_rcs_m2: f64,
    /// SNR at which the `sigma_*` of the radar hold (used without a beamwidth), dB.
    #[serde(default = "twenty")]
    pub noise_reference_snr_db: f64,
    /// Resolution cells in the searched volume (false alarms = pfa × cells per look).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_cells: Option<f64>,
    /// 3 dB beamwidth, mrad: noise σ_angle = θ/(1.6·√(2·SNR)) (with `range_resolution_m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beamwidth_mrad: Option<f64>,
    /// Range resolution, m: noise σ_range = ΔR/√(2·SNR) (with `beamwidth_mrad`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_resolution_m: Option<f64>,
    /// Largest dwell gain of a cued search (energy budget), ≥ 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cue_dwell_gain: Option<f64>,
}

fn swerling_one() -> u8 {
    1
}

fn twenty() -> f64 {
    20.0
}

/// `[[ir_satellite]]`: an infrared early-warning satellite fixed in the Earth frame (geostationary,
/// or a highly elliptical orbit's apogee dwell), owned by a party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IrSatellite {
    /// Identifier.
    pub id: String,
    /// Owning party.
    pub party: String,
    /// Sub-satellite latitude, degrees (0 for geostationary).
    #[serde(default)]
    pub lat_deg: f64,
    /// Sub-satellite longitude, degrees.
    pub lon_deg: f64,
    /// Altitude, km (35,786 for geostationary).
    #[serde(default = "geo_altitude")]
    pub alt_km: f64,
    /// Time between looks, s.
    pub revisit_s: f64,
    /// Line-of-sight angular noise per axis (1σ), µrad.
    pub sigma_urad: f64,
    /// Detection probability of a visible plume per look.
    pub pd: f64,
    /// Delay from observation to report, s.
    pub latency_s: f64,
    /// Lowest altitude at which a plume is seen (cloud tops), km.
    #[serde(default = "cloud_tops")]
    pub min_altitude_km: f64,
}

fn geo_altitude() -> f64 {
    35_786.0
}

fn cloud_tops() -> f64 {
    10.0
}
