//! CZML of a run for CesiumJS: a `document` packet with the clock, then one packet per object.
//!
//! | packet id | content |
//! |---|---|
//! | `document` | name, version, clock over the run (ISO 8601 interval) |
//! | `party/P` | a parent per party: toggling it hides that party's tracks |
//! | `radar/ID`, `battery/ID`, `asset/ID` | sites (`cartographicDegrees`), assets with their footprint ellipse |
//! | `coverage/ID` | the radar's coverage volume: an ellipsoid sector (radius = instrumented range, clock and cone angles from the azimuth sector and elevation limits, in the site's east-north-up frame) |
//! | `threat/ID`, `interceptor/ID` | time-tagged truth positions (`cartesian`, `referenceFrame` `FIXED` = ECEF, seconds after `epoch`), availability from first to last sample, path and point |
//! | `track/P/N` | party P's picture track N (parent `party/P`), positions as above |
//! | `intercept/ID` | where and when a threat was destroyed |

use crate::run_dir::RunData;
use serde_json::{Value, json};

fn party_rgba(i: usize) -> [u8; 4] {
    const C: [[u8; 4]; 6] = [
        [30, 144, 255, 255],
        [220, 20, 60, 255],
        [50, 205, 50, 255],
        [255, 165, 0, 255],
        [186, 85, 211, 255],
        [0, 206, 209, 255],
    ];
    C[i % C.len()]
}

fn samples<'a>(rows: impl Iterator<Item = (f64, f64, f64, f64)> + 'a) -> Vec<Value> {
    rows.flat_map(|(t, x, y, z)| [json!(t), json!(x), json!(y), json!(z)]).collect()
}

/// Builds the CZML document (a JSON array of packets).
pub fn build(d: &RunData) -> Value {
    let scn = &d.scenario;
    let (t0, t1) = d.span();
    let epoch = d.iso(0.0);
    let interval = |a: f64, b: f64| format!("{}/{}", d.iso(a), d.iso(b));
    let mut packets = vec![json!({
        "id": "document",
        "name": format!("shieldnet {} seed {}", d.report.scenario, d.report.seed),
        "version": "1.0",
        "clock": {
            "interval": interval(t0, t1),
            "currentTime": d.iso(t0),
            "multiplier": 10,
            "range": "LOOP_STOP",
            "step": "SYSTEM_CLOCK_MULTIPLIER"
        }
    })];
    let party_index = |p: &str| scn.parties.iter().position(|x| x.id == p).unwrap_or(0);
    for (i, p) in scn.parties.iter().enumerate() {
        packets.push(json!({"id": format!("party/{}", p.id), "name": format!("{} picture", p.id),
            "properties": {"party": p.id, "color": party_rgba(i)}}));
    }
    for r in &scn.radars {
        let c = party_rgba(party_index(&r.party));
        packets.push(json!({
            "id": format!("radar/{}", r.id), "name": r.id,
            "properties": {"party": r.party, "kind": "radar"},
            "position": {"cartographicDegrees": [r.lon_deg, r.lat_deg, r.alt_m]},
            "point": {"pixelSize": 9, "color": {"rgba": c}},
            "label": {"text": r.id, "font": "11pt sans-serif", "pixelOffset": {"cartesian2": [10, -10]}}
        }));
        // East-north-up frame at the site: clock from east towards north, cone from up.
        let full = r.half_width_az_deg >= 180.0;
        let clock_lo = (90.0 - r.boresight_az_deg - r.half_width_az_deg).to_radians();
        let clock_hi = (90.0 - r.boresight_az_deg + r.half_width_az_deg).to_radians();
        let range = r.max_range_km * 1000.0;
        let mut ell = json!({
            "radii": {"cartesian": [range, range, range]},
            "minimumCone": (90.0 - r.max_el_deg).to_radians(),
            "maximumCone": (90.0 - r.min_el_deg).to_radians(),
            "fill": true,
            "material": {"solidColor": {"color": {"rgba": [c[0], c[1], c[2], 40]}}},
            "outline": true,
            "outlineColor": {"rgba": [c[0], c[1], c[2], 120]}
        });
        if !full {
            ell["minimumClock"] = json!(clock_lo);
            ell["maximumClock"] = json!(clock_hi);
        }
        packets.push(json!({
            "id": format!("coverage/{}", r.id), "name": format!("{} coverage", r.id),
            "properties": {"party": r.party, "kind": "coverage", "max_range_km": r.max_range_km},
            "position": {"cartographicDegrees": [r.lon_deg, r.lat_deg, r.alt_m]},
            "ellipsoid": ell
        }));
    }
    for b in &scn.batteries {
        let c = party_rgba(party_index(&b.party));
        packets.push(json!({
            "id": format!("battery/{}", b.id), "name": b.id,
            "properties": {"party": b.party, "kind": "battery", "interceptor": b.interceptor, "rounds": b.rounds},
            "position": {"cartographicDegrees": [b.lon_deg, b.lat_deg, b.alt_m]},
            "point": {"pixelSize": 11, "color": {"rgba": c}, "outlineColor": {"rgba": [255, 255, 255, 255]}, "outlineWidth": 2},
            "label": {"text": b.id, "font": "11pt sans-serif", "pixelOffset": {"cartesian2": [10, 10]}}
        }));
    }
    for a in &scn.defended_assets {
        let c = party_rgba(party_index(&a.party));
        packets.push(json!({
            "id": format!("asset/{}", a.id), "name": a.id,
            "properties": {"party": a.party, "kind": "defended_asset"},
            "position": {"cartographicDegrees": [a.lon_deg, a.lat_deg, 0.0]},
            "ellipse": {"semiMajorAxis": a.radius_km * 1000.0, "semiMinorAxis": a.radius_km * 1000.0,
                "material": {"solidColor": {"color": {"rgba": [c[0], c[1], c[2], 60]}}}},
            "label": {"text": a.id, "font": "10pt sans-serif"}
        }));
    }
    for (obj, rows) in d.truth_by_object() {
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else { continue };
        let threat = first.kind == "threat";
        let color = if threat {
            [255, 69, 0, 255]
        } else {
            party_rgba(party_index(obj.split('-').next().unwrap_or("")))
        };
        packets.push(json!({
            "id": format!("{}/{}", first.kind, obj), "name": obj,
            "availability": interval(first.t_s, last.t_s),
            "properties": {"kind": first.kind},
            "position": {
                "epoch": epoch, "referenceFrame": "FIXED",
                "interpolationAlgorithm": "LAGRANGE", "interpolationDegree": 1,
                "cartesian": samples(rows.iter().map(|r| (r.t_s, r.x_m, r.y_m, r.z_m)))
            },
            "point": {"pixelSize": if threat { 7 } else { 5 }, "color": {"rgba": color}},
            "path": {"width": if threat { 2 } else { 1 }, "leadTime": 0, "trailTime": 100000,
                "material": {"solidColor": {"color": {"rgba": color}}}},
            "label": {"text": obj, "font": "9pt sans-serif", "show": threat, "pixelOffset": {"cartesian2": [8, -8]}}
        }));
    }
    for ((party, track), rows) in d.tracks_by_party() {
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else { continue };
        let c = party_rgba(party_index(party));
        packets.push(json!({
            "id": format!("track/{party}/{track}"), "name": format!("{party} track {track}"),
            "parent": format!("party/{party}"),
            "availability": interval(first.t_s, last.t_s),
            "properties": {"party": party, "kind": "track", "source": first.source},
            "position": {
                "epoch": epoch, "referenceFrame": "FIXED",
                "interpolationAlgorithm": "LAGRANGE", "interpolationDegree": 1,
                "cartesian": samples(rows.iter().map(|r| (r.t_s, r.x_m, r.y_m, r.z_m)))
            },
            "point": {"pixelSize": 4, "color": {"rgba": c}},
            "path": {"width": 1, "leadTime": 0, "trailTime": 60, "material": {"solidColor": {"color": {"rgba": c}}}}
        }));
    }
    let truth = d.truth_by_object();
    for t in &d.report.threats {
        let Some(ti) = t.intercept_time_s else { continue };
        let Some(row) = truth
            .get(t.id.as_str())
            .and_then(|rows| rows.iter().rev().find(|r| r.t_s <= ti + 1e-9).or(rows.last()))
        else {
            continue;
        };
        packets.push(json!({
            "id": format!("intercept/{}", t.id), "name": format!("intercept of {}", t.id),
            "availability": interval(ti, t1.max(ti)),
            "properties": {"kind": "intercept", "party": t.intercepted_by, "t_s": ti},
            "position": {"cartesian": [row.x_m, row.y_m, row.z_m]},
            "point": {"pixelSize": 12, "color": {"rgba": [255, 255, 0, 255]}, "outlineColor": {"rgba": [0, 0, 0, 255]}, "outlineWidth": 1}
        }));
    }
    Value::Array(packets)
}

/// Writes the CZML document to `path`.
pub fn write(path: &std::path::Path, d: &RunData) -> std::io::Result<()> {
    let mut bytes = serde_json::to_vec(&build(d)).map_err(std::io::Error::from)?;
    bytes.push(b'\n');
    std::fs::write(path, bytes)
}
