//! KML of a run for Google Earth: sites and coverage footprints, and time-animated tracks
//! (`gx:Track`, one `<when>` and `<gx:coord>` per sample, altitude absolute) of threats,
//! interceptors and each party's picture tracks, in folders that can be switched on and off.
//!
//! Written as text with escaping (the `kml` crate has no `gx:Track` or `TimeSpan`).

use crate::run_dir::{RunData, circle, radar_footprint};
use std::fmt::Write;

/// KML 2.2 namespace.
pub const KML_NS: &str = "http://www.opengis.net/kml/2.2";
/// Google extensions namespace (`gx:Track`).
pub const GX_NS: &str = "http://www.google.com/kml/ext/2.2";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// KML colour `aabbggrr` of an RGB colour.
fn abgr(rgb: [u8; 3], a: u8) -> String {
    format!("{a:02x}{:02x}{:02x}{:02x}", rgb[2], rgb[1], rgb[0])
}

const PARTY_RGB: [[u8; 3]; 6] =
    [[30, 144, 255], [220, 20, 60], [50, 205, 50], [255, 165, 0], [186, 85, 211], [0, 206, 209]];

fn ring(coords: &[(f64, f64)]) -> String {
    coords.iter().map(|(lon, lat)| format!("{lon:.5},{lat:.5},0")).collect::<Vec<_>>().join(" ")
}

fn track(s: &mut String, d: &RunData, name: &str, style: &str, samples: &[(f64, f64, f64, f64)]) {
    let _ = writeln!(s, "<Placemark><name>{}</name><styleUrl>#{style}</styleUrl>", esc(name));
    let _ = writeln!(s, "<gx:Track><altitudeMode>absolute</altitudeMode>");
    for (t, ..) in samples {
        let _ = writeln!(s, "<when>{}</when>", d.iso(*t));
    }
    for (_, lon, lat, alt) in samples {
        let _ = writeln!(s, "<gx:coord>{lon:.6} {lat:.6} {alt:.1}</gx:coord>");
    }
    let _ = writeln!(s, "</gx:Track></Placemark>");
}

/// Builds the KML document.
pub fn build(d: &RunData) -> String {
    let scn = &d.scenario;
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(s, r#"<kml xmlns="{KML_NS}" xmlns:gx="{GX_NS}">"#);
    let _ =
        writeln!(s, "<Document><name>shieldnet {} seed {}</name>", esc(&d.report.scenario), d.report.seed);
    let _ = writeln!(
        s,
        r#"<Style id="threat"><IconStyle><color>ff0045ff</color><scale>0.8</scale></IconStyle><LineStyle><color>ff0045ff</color><width>2</width></LineStyle></Style>"#
    );
    for (i, p) in scn.parties.iter().enumerate() {
        let c = PARTY_RGB[i % PARTY_RGB.len()];
        let _ = writeln!(
            s,
            r#"<Style id="party-{i}"><IconStyle><color>{}</color><scale>0.6</scale></IconStyle><LineStyle><color>{}</color><width>1.5</width></LineStyle><PolyStyle><color>{}</color></PolyStyle></Style><!-- {} -->"#,
            abgr(c, 255),
            abgr(c, 255),
            abgr(c, 50),
            esc(&p.id)
        );
    }
    let pidx = |p: &str| scn.parties.iter().position(|x| x.id == p).unwrap_or(0);
    let _ = writeln!(s, "<Folder><name>Sites</name>");
    for r in &scn.radars {
        let _ = writeln!(
            s,
            "<Placemark><name>{}</name><description>radar of {}</description><styleUrl>#party-{}</styleUrl><Point><coordinates>{},{},{}</coordinates></Point></Placemark>",
            esc(&r.id),
            esc(&r.party),
            pidx(&r.party),
            r.lon_deg,
            r.lat_deg,
            r.alt_m
        );
    }
    for b in &scn.batteries {
        let _ = writeln!(
            s,
            "<Placemark><name>{}</name><description>battery of {}: {} x {}</description><styleUrl>#party-{}</styleUrl><Point><coordinates>{},{},{}</coordinates></Point></Placemark>",
            esc(&b.id),
            esc(&b.party),
            b.rounds,
            esc(&b.interceptor),
            pidx(&b.party),
            b.lon_deg,
            b.lat_deg,
            b.alt_m
        );
    }
    for a in &scn.defended_assets {
        let _ = writeln!(
            s,
            "<Placemark><name>{}</name><description>defended asset of {}</description><styleUrl>#party-{}</styleUrl><Polygon><outerBoundaryIs><LinearRing><coordinates>{}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
            esc(&a.id),
            esc(&a.party),
            pidx(&a.party),
            ring(&circle(a.lat_deg, a.lon_deg, a.radius_km * 1000.0))
        );
    }
    let _ = writeln!(
        s,
        "</Folder><Folder><name>Radar coverage (ground footprints)</name><visibility>0</visibility>"
    );
    for r in &scn.radars {
        let _ = writeln!(
            s,
            "<Placemark><name>{} coverage</name><visibility>0</visibility><styleUrl>#party-{}</styleUrl><Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>{}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>",
            esc(&r.id),
            pidx(&r.party),
            ring(&radar_footprint(r))
        );
    }
    let _ = writeln!(s, "</Folder>");
    let truth = d.truth_by_object();
    for (kind, folder) in [("threat", "Threats"), ("interceptor", "Interceptors")] {
        let _ = writeln!(s, "<Folder><name>{folder}</name>");
        for (obj, rows) in truth.iter().filter(|(_, r)| r.first().is_some_and(|x| x.kind == kind)) {
            let style = if kind == "threat" {
                "threat".to_string()
            } else {
                format!("party-{}", pidx(obj.split('-').next().unwrap_or("")))
            };
            let samples: Vec<_> = rows.iter().map(|r| (r.t_s, r.lon_deg, r.lat_deg, r.alt_m)).collect();
            track(&mut s, d, obj, &style, &samples);
        }
        let _ = writeln!(s, "</Folder>");
    }
    let tracks = d.tracks_by_party();
    for p in &scn.parties {
        let _ = writeln!(s, "<Folder><name>{} picture tracks</name>", esc(&p.id));
        for ((_, id), rows) in tracks.iter().filter(|((party, _), _)| *party == p.id) {
            let samples: Vec<_> = rows.iter().map(|r| (r.t_s, r.lon_deg, r.lat_deg, r.alt_m)).collect();
            track(&mut s, d, &format!("{} track {id}", p.id), &format!("party-{}", pidx(&p.id)), &samples);
        }
        let _ = writeln!(s, "</Folder>");
    }
    let _ = writeln!(s, "</Document></kml>");
    s
}

/// Writes the KML document to `path`.
pub fn write(path: &std::path::Path, d: &RunData) -> std::io::Result<()> {
    std::fs::write(path, build(d))
}
