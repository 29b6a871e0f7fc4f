//! CZML, KML and GeoJSON of a real run of the default scenario, checked against the run's truth.

use serde_json::Value;
use shieldnet_export::run_dir::{RunData, write_scenario};
use shieldnet_sim::scenario::load_builtin;
use shieldnet_sim::{RunOptions, run};
use std::sync::OnceLock;

fn data() -> &'static RunData {
    static D: OnceLock<RunData> = OnceLock::new();
    D.get_or_init(|| {
        let scn = load_builtin("epaa-2015").unwrap();
        let (report, record) = run(
            &scn,
            &RunOptions { seed: None, run_index: 0, record: true, audit: false, outcomes_only: false },
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("shieldnet-export-test-{}", std::process::id()));
        shieldnet_export::write_run_dir(&dir, &report, &record.unwrap()).unwrap();
        write_scenario(&dir, &scn).unwrap();
        let d = RunData::load(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        d
    })
}

fn is_iso8601_utc(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && s.ends_with('Z')
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && s[..4].parse::<u32>().is_ok()
}

#[test]
fn czml_document_epochs_and_positions_round_trip() {
    let d = data();
    let text = serde_json::to_string(&shieldnet_export::czml::build(d)).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let packets = doc.as_array().unwrap();
    assert_eq!(packets[0]["id"], "document");
    assert_eq!(packets[0]["version"], "1.0");
    let interval = packets[0]["clock"]["interval"].as_str().unwrap();
    let (a, b) = interval.split_once('/').unwrap();
    assert_eq!(a, "2015-06-01T12:00:00Z");
    assert!(is_iso8601_utc(b), "{b}");
    let ids: Vec<&str> = packets.iter().filter_map(|p| p["id"].as_str()).collect();
    for want in
        ["radar/tpy2-kurecik", "coverage/voronezh-armavir", "battery/aa-deveselu", "party/NATO", "party/RUS"]
    {
        assert!(ids.contains(&want), "no packet {want}");
    }
    assert!(
        ids.iter().any(|i| i.starts_with("track/NATO/")) && ids.iter().any(|i| i.starts_with("track/RUS/"))
    );
    assert!(ids.iter().any(|i| i.starts_with("interceptor/")));
    // Every threat's samples are its truth rows.
    let truth = d.truth_by_object();
    let mut checked = 0;
    for t in &d.report.threats {
        let p = packets.iter().find(|p| p["id"] == format!("threat/{}", t.id)).expect("threat packet");
        let pos = &p["position"];
        assert_eq!(pos["referenceFrame"], "FIXED");
        assert!(is_iso8601_utc(pos["epoch"].as_str().unwrap()));
        for iv in p["availability"].as_str().unwrap().split('/') {
            assert!(is_iso8601_utc(iv), "{iv}");
        }
        let c: Vec<f64> = pos["cartesian"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
        let rows = &truth[t.id.as_str()];
        assert_eq!(c.len(), 4 * rows.len());
        for (s, r) in c.chunks(4).zip(rows) {
            assert_eq!(s[0], r.t_s);
            for (got, want) in s[1..].iter().zip([r.x_m, r.y_m, r.z_m]) {
                assert!((got - want).abs() < 1e-6, "{} at {}: {got} vs {want}", t.id, r.t_s);
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn kml_parses_with_namespaces_and_animated_tracks() {
    let d = data();
    let text = shieldnet_export::kml::build(d);
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "kml");
    assert_eq!(root.tag_name().namespace(), Some("http://www.opengis.net/kml/2.2"));
    let tracks: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.tag_name().name() == "Track"
                && n.tag_name().namespace() == Some("http://www.google.com/kml/ext/2.2")
        })
        .collect();
    assert!(tracks.len() >= 10 + 11, "{} tracks", tracks.len());
    for t in &tracks {
        let whens = t.children().filter(|c| c.tag_name().name() == "when").count();
        let coords = t.children().filter(|c| c.tag_name().name() == "coord").count();
        assert_eq!(whens, coords);
        assert!(whens > 0);
    }
    let names: Vec<&str> =
        doc.descendants().filter(|n| n.tag_name().name() == "name").filter_map(|n| n.text()).collect();
    assert!(
        names.contains(&"tabriz-bucharest-1")
            && names.contains(&"Threats")
            && names.contains(&"NATO picture tracks")
    );
}

#[test]
fn geojson_is_lon_lat() {
    let d = data();
    let g = shieldnet_export::geojson::build(d);
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    let radar = features
        .iter()
        .find(|f| f["properties"]["kind"] == "radar" && f["properties"]["id"] == "tpy2-kurecik")
        .unwrap();
    // Kürecik: latitude 38.349, longitude 37.794 -> [lon, lat].
    assert_eq!(radar["geometry"]["coordinates"], serde_json::json!([37.794, 38.349]));
    let asset = features
        .iter()
        .find(|f| f["properties"]["kind"] == "defended_asset" && f["properties"]["id"] == "warsaw")
        .unwrap();
    assert_eq!(asset["geometry"]["coordinates"], serde_json::json!([21.01, 52.23]));
    // Ground tracks start at the first truth sample, lon first.
    let truth = d.truth_by_object();
    let track = features.iter().find(|f| f["properties"]["id"] == "tabriz-bucharest-1").unwrap();
    let first = &track["geometry"]["coordinates"][0];
    let row = truth["tabriz-bucharest-1"][0];
    assert!((first[0].as_f64().unwrap() - row.lon_deg).abs() < 1e-9);
    assert!((first[1].as_f64().unwrap() - row.lat_deg).abs() < 1e-9);
    let kinds: Vec<&str> = features.iter().filter_map(|f| f["properties"]["kind"].as_str()).collect();
    for k in ["coverage", "battery", "asset_footprint", "ground_track", "intercept"] {
        assert!(kinds.contains(&k), "no {k}");
    }
    assert_eq!(
        kinds.iter().filter(|k| **k == "impact" || **k == "intercept").count(),
        d.report
            .threats
            .iter()
            .filter(|t| t.intercept_time_s.is_some() || t.outcome == shieldnet_sim::report::Outcome::Leaked)
            .count()
    );
    // Every position is a valid (lon, lat).
    fn walk(v: &Value, out: &mut Vec<(f64, f64)>) {
        match v {
            Value::Array(a) if a.len() >= 2 && a.iter().all(Value::is_number) => {
                out.push((a[0].as_f64().unwrap(), a[1].as_f64().unwrap()))
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut pts = Vec::new();
    let mut near = Vec::new();
    for f in features {
        walk(&f["geometry"]["coordinates"], &mut pts);
        if f["properties"]["kind"] != "coverage" {
            walk(&f["geometry"]["coordinates"], &mut near);
        }
    }
    assert!(pts.iter().all(|(lon, lat)| (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat)));
    // Sites, assets and trajectories all lie between 10° and 60° E and 30° and 55° N, so a swapped
    // pair would show.
    let outside = near.iter().find(|(lon, lat)| !(*lon > 10.0 && *lon < 60.0 && *lat > 30.0 && *lat < 55.0));
    assert!(outside.is_none(), "a coordinate looks swapped: {outside:?}");
}
