//! Sensor parts of building the world: the radar equation of a `[radar.detection]` table and the
//! infrared satellites of `[[ir_satellite]]` tables, converted to SI units.

use crate::scenario::{IrSatellite as IrTable, RadarDetection, Scenario};
use crate::world::SimError;
use shieldnet_earth::Geodetic;
use shieldnet_sensors::{IrSatellite, IrSatelliteSpec, RadarEquation, Swerling};

/// The sensors crate's radar equation from a scenario table (assumed validated).
pub fn radar_equation(d: &RadarDetection) -> RadarEquation {
    RadarEquation {
        power_aperture_w_m2: d.power_aperture_w_m2,
        gain_db: d.gain_db,
        dwell_s: d.dwell_s,
        system_noise_temp_k: d.system_noise_temp_k,
        losses_db: d.losses_db,
        pfa: d.pfa,
        swerling: match d.swerling {
            0 => Swerling::Zero,
            3 => Swerling::Three,
            _ => Swerling::One,
        },
        default_rcs_m2: d.reference_rcs_m2,
        noise_reference_snr_db: d.noise_reference_snr_db,
        resolution_cells: d.resolution_cells,
        beamwidth_rad: d.beamwidth_mrad.map(|b| b * 1e-3),
        range_resolution_m: d.range_resolution_m,
        max_cue_dwell_gain: d.max_cue_dwell_gain.unwrap_or(RadarEquation::example().max_cue_dwell_gain),
    }
}

fn ir_spec(t: &IrTable) -> IrSatelliteSpec {
    let p = Geodetic::from_degrees(t.lat_deg, t.lon_deg, t.alt_km * 1e3).to_ecef();
    IrSatelliteSpec {
        id: t.id.clone(),
        position: p.0.into(),
        revisit_s: t.revisit_s,
        sigma_rad: t.sigma_urad * 1e-6,
        pd: t.pd,
        latency_s: t.latency_s,
        min_altitude_m: t.min_altitude_km * 1e3,
    }
}

/// The scenario's infrared satellites, indexed in file order, owned by their party's index.
pub fn ir_satellites(scn: &Scenario, parties: &[String]) -> Result<Vec<IrSatellite>, SimError> {
    scn.ir_satellites
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let party = parties.iter().position(|p| *p == t.party).ok_or_else(|| {
                SimError::Invalid(format!("ir_satellite '{}': unknown party '{}'", t.id, t.party))
            })?;
            Ok(IrSatellite::new(i as u32, party as u32, ir_spec(t)))
        })
        .collect()
}
