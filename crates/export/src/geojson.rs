//! GeoJSON (RFC 7946) of a run for QGIS: coordinates are `[longitude, latitude]` (altitude in
//! metres as a third member for ground tracks). Every feature has `kind` among its properties:
//!
//! | kind | geometry | properties |
//! |---|---|---|
//! | `radar`, `battery`, `defended_asset` | Point | `id`, `party` (+ `rounds`, `interceptor`, `radius_km`) |
//! | `coverage` | Polygon | `id`, `party`, `max_range_km` — the radar's azimuth sector out to its range (capped at the 1,000 km-altitude horizon) |
//! | `asset_footprint` | Polygon | `id`, `party`, `radius_km` |
//! | `ground_track` | LineString | `id`, `object_kind` (`threat`/`interceptor`), `t_start_s`, `t_end_s` |
//! | `impact` | Point | `threat`, `t_s`, `asset_hit` — where a threat reached the ground |
//! | `intercept` | Point | `threat`, `t_s`, `party` — where it was destroyed |

use crate::run_dir::{RunData, circle, radar_footprint};
use serde_json::{Value, json};
use shieldnet_sim::report::Outcome;

fn feature(geometry: Value, properties: Value) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

fn polygon(ring: &[(f64, f64)]) -> Value {
    json!({"type": "Polygon", "coordinates": [ring.iter().map(|(lon, lat)| [*lon, *lat]).collect::<Vec<_>>()]})
}

/// Builds the FeatureCollection.
pub fn build(d: &RunData) -> Value {
    let scn = &d.scenario;
    let mut f = Vec::new();
    for r in &scn.radars {
        f.push(feature(
            json!({"type": "Point", "coordinates": [r.lon_deg, r.lat_deg]}),
            json!({"kind": "radar", "id": r.id, "party": r.party, "alt_m": r.alt_m}),
        ));
        f.push(feature(
            polygon(&radar_footprint(r)),
            json!({"kind": "coverage", "id": r.id, "party": r.party, "max_range_km": r.max_range_km}),
        ));
    }
    for b in &scn.batteries {
        f.push(feature(
            json!({"type": "Point", "coordinates": [b.lon_deg, b.lat_deg]}),
            json!({"kind": "battery", "id": b.id, "party": b.party, "rounds": b.rounds, "interceptor": b.interceptor}),
        ));
    }
    for a in &scn.defended_assets {
        f.push(feature(
            json!({"type": "Point", "coordinates": [a.lon_deg, a.lat_deg]}),
            json!({"kind": "defended_asset", "id": a.id, "party": a.party, "radius_km": a.radius_km}),
        ));
        f.push(feature(
            polygon(&circle(a.lat_deg, a.lon_deg, a.radius_km * 1000.0)),
            json!({"kind": "asset_footprint", "id": a.id, "party": a.party, "radius_km": a.radius_km}),
        ));
    }
    let truth = d.truth_by_object();
    for (obj, rows) in &truth {
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else { continue };
        let coords: Vec<[f64; 3]> = rows.iter().map(|r| [r.lon_deg, r.lat_deg, r.alt_m]).collect();
        if coords.len() >= 2 {
            f.push(feature(
                json!({"type": "LineString", "coordinates": coords}),
                json!({"kind": "ground_track", "id": obj, "object_kind": first.kind, "t_start_s": first.t_s, "t_end_s": last.t_s}),
            ));
        }
    }
    for t in &d.report.threats {
        let rows = truth.get(t.id.as_str());
        match t.outcome {
            Outcome::Leaked => {
                // The impact point: the last truth sample, else the aim point.
                let (lon, lat) = rows
                    .and_then(|r| r.last())
                    .map_or((t.aim_lon_deg, t.aim_lat_deg), |r| (r.lon_deg, r.lat_deg));
                f.push(feature(
                    json!({"type": "Point", "coordinates": [lon, lat]}),
                    json!({"kind": "impact", "threat": t.id, "t_s": t.impact_time_s, "asset_hit": t.asset_hit}),
                ));
            }
            Outcome::Intercepted => {
                if let (Some(ti), Some(rows)) = (t.intercept_time_s, rows)
                    && let Some(r) = rows.iter().rev().find(|r| r.t_s <= ti + 1e-9).or(rows.last())
                {
                    f.push(feature(
                        json!({"type": "Point", "coordinates": [r.lon_deg, r.lat_deg, r.alt_m]}),
                        json!({"kind": "intercept", "threat": t.id, "t_s": ti, "party": t.intercepted_by}),
                    ));
                }
            }
            Outcome::InFlight => {}
        }
    }
    json!({"type": "FeatureCollection", "name": format!("shieldnet {} seed {}", d.report.scenario, d.report.seed), "features": f})
}

/// Writes the FeatureCollection to `path`.
pub fn write(path: &std::path::Path, d: &RunData) -> std::io::Result<()> {
    let mut bytes = serde_json::to_vec(&build(d)).map_err(std::io::Error::from)?;
    bytes.push(b'\n');
    std::fs::write(path, bytes)
}
