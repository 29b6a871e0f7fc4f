//! Rules for the sensor-physics tables: `[radar.detection]`, the radar's refraction and range-rate
//! fields, and `[[ir_satellite]]`.

use super::{Bound, Checker, NON_NEGATIVE, POSITIVE, PROBABILITY};
use crate::scenario::error::FieldPath;
use crate::scenario::schema::{Radar, Scenario};

/// Checks a radar's optional sensor-physics fields (`p` is the radar's path).
pub(super) fn radar_extras(c: &mut Checker, p: &FieldPath, r: &Radar) {
    if let Some(v) = r.sigma_range_rate_m_s {
        c.number(p.key("sigma_range_rate_m_s"), v, POSITIVE, "range-rate noise", "m/s");
    }
    if let Some(v) = r.track_revisit_s
        && c.number(p.key("track_revisit_s"), v, POSITIVE, "track revisit time", "s")
        && r.revisit_s > 0.0
        && v >= r.revisit_s
    {
        c.push(
            p.key("track_revisit_s"),
            format!("track revisit {v} s is not shorter than the search revisit {} s", r.revisit_s),
            format!("expected a value in (0, {}) s", r.revisit_s),
        );
    }
    let Some(d) = &r.detection else { return };
    let p = p.key("detection");
    c.number(p.key("power_aperture_w_m2"), d.power_aperture_w_m2, POSITIVE, "power-aperture product", "W·m²");
    c.number(p.key("gain_db"), d.gain_db, Bound::Closed(0.0, 80.0), "antenna gain", "dB");
    c.number(p.key("dwell_s"), d.dwell_s, POSITIVE, "dwell", "s");
    c.number(p.key("system_noise_temp_k"), d.system_noise_temp_k, POSITIVE, "system noise temperature", "K");
    c.number(p.key("losses_db"), d.losses_db, Bound::Closed(0.0, 60.0), "losses", "dB");
    c.number(p.key("pfa"), d.pfa, Bound::OpenClosed(0.0, 0.1), "false-alarm probability", "");
    if !matches!(d.swerling, 0 | 1 | 3) {
        c.push(
            p.key("swerling"),
            format!("Swerling case {} is not supported", d.swerling),
            "expected 0, 1 or 3",
        );
    }
    c.number(p.key("reference_rcs_m2"), d.reference_rcs_m2, POSITIVE, "reference radar cross-section", "m²");
    c.number(
        p.key("noise_reference_snr_db"),
        d.noise_reference_snr_db,
        Bound::Closed(-20.0, 60.0),
        "noise reference SNR",
        "dB",
    );
    if let Some(v) = d.resolution_cells {
        c.number(p.key("resolution_cells"), v, POSITIVE, "resolution cell count", "");
    }
    if let Some(v) = d.beamwidth_mrad {
        c.number(p.key("beamwidth_mrad"), v, POSITIVE, "beamwidth", "mrad");
    }
    if let Some(v) = d.range_resolution_m {
        c.number(p.key("range_resolution_m"), v, POSITIVE, "range resolution", "m");
    }
    if d.beamwidth_mrad.is_some() != d.range_resolution_m.is_some() {
        let missing = if d.beamwidth_mrad.is_none() { "beamwidth_mrad" } else { "range_resolution_m" };
        c.push(
            p.key(missing),
            format!("{missing} is missing"),
            "expected both beamwidth_mrad and range_resolution_m, or neither",
        );
    }
    if let Some(v) = d.max_cue_dwell_gain {
        c.number(p.key("max_cue_dwell_gain"), v, Bound::AtLeast(1.0), "cue dwell gain", "");
    }
}

/// Checks every `[[ir_satellite]]`.
pub(super) fn ir_satellites<'a>(
    c: &mut Checker,
    s: &'a Scenario,
    parties: impl IntoIterator<Item = &'a str> + Clone,
) {
    c.unique_ids("ir_satellite", s.ir_satellites.iter().map(|t| t.id.as_str()));
    for (i, t) in s.ir_satellites.iter().enumerate() {
        let p = FieldPath::root().key("ir_satellite").index(i);
        c.known(p.key("party"), &t.party, parties.clone(), "party", "parties");
        c.lat(p.key("lat_deg"), t.lat_deg);
        c.lon(p.key("lon_deg"), t.lon_deg);
        c.number(p.key("alt_km"), t.alt_km, Bound::Closed(200.0, 100_000.0), "satellite altitude", "km");
        c.number(p.key("revisit_s"), t.revisit_s, POSITIVE, "revisit time", "s");
        c.number(p.key("sigma_urad"), t.sigma_urad, POSITIVE, "angular noise", "µrad");
        c.number(p.key("pd"), t.pd, PROBABILITY, "detection probability", "");
        c.number(p.key("latency_s"), t.latency_s, NON_NEGATIVE, "reporting latency", "s");
        c.number(
            p.key("min_altitude_km"),
            t.min_altitude_km,
            Bound::Closed(0.0, 100.0),
            "cloud-top altitude",
            "km",
        );
    }
}
