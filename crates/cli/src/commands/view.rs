//! `shieldnet view RUN_DIR`: a page on localhost showing a run (map with Natural Earth coastlines,
//! sites and coverage, trajectories, each party's picture tracks, interceptors and intercepts, a time
//! slider, an altitude-versus-range panel). Every asset is embedded in the binary.
//!
//! The server is a few lines of HTTP/1.1 on `std::net::TcpListener` rather than axum + tokio: it
//! serves four fixed resources to one local browser, binds only to the loopback address, and this
//! keeps the default build free of an async runtime (axum + tokio + hyper roughly double the clean
//! build time of the workspace on the 2-core machines).

use clap::Args;
use serde_json::{Value, json};
use shieldnet_export::run_dir::{RunData, circle, ground_distance_m, radar_footprint};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

const PAGE: &str = include_str!("../../assets/view.html");
const SCRIPT: &str = include_str!("../../assets/view.js");
/// Natural Earth 1:110m land outlines (public domain), see data/naturalearth/README.md.
const COASTLINES: &str = include_str!("../../../../data/naturalearth/coastlines-110m.geojson");

/// Arguments of `shieldnet view`.
#[derive(Debug, Args)]
pub struct ViewArgs {
    /// A run directory written by `shieldnet run --out DIR`.
    pub run_dir: PathBuf,
    /// Port on 127.0.0.1 (0 = any free port; the URL is printed).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
}

const COLORS: [&str; 6] = ["#1e90ff", "#dc143c", "#32cd32", "#ffa500", "#ba55d3", "#00ced1"];

fn coastlines() -> Value {
    let v: Value = serde_json::from_str(COASTLINES).unwrap_or(Value::Null);
    let mut lines = Vec::new();
    if let Some(features) = v["features"].as_array() {
        for f in features {
            if let Some(ls) = f["geometry"]["coordinates"].as_array() {
                lines.extend(ls.iter().cloned());
            }
        }
    }
    Value::Array(lines)
}

/// The page's data: sites, footprints, trajectories (t, lon, lat, alt, ground range km), tracks.
fn page_data(d: &RunData) -> Value {
    let scn = &d.scenario;
    let ring = |r: Vec<(f64, f64)>| r.into_iter().map(|(lo, la)| [lo, la]).collect::<Vec<_>>();
    let mut objects = Vec::new();
    for (obj, rows) in d.truth_by_object() {
        let Some(first) = rows.first() else { continue };
        let party = if first.kind == "interceptor" { obj.split('-').next().unwrap_or("") } else { "" };
        let samples: Vec<[f64; 5]> = rows
            .iter()
            .map(|r| {
                let range_km = ground_distance_m(first.lat_deg, first.lon_deg, r.lat_deg, r.lon_deg) / 1000.0;
                [r.t_s, r.lon_deg, r.lat_deg, r.alt_m, range_km]
            })
            .collect();
        objects.push(json!({"id": obj, "kind": first.kind, "party": party, "samples": samples}));
    }
    let tracks: Vec<Value> = d
        .tracks_by_party()
        .into_iter()
        .map(|((party, id), rows)| {
            let samples: Vec<[f64; 4]> = rows.iter().map(|r| [r.t_s, r.lon_deg, r.lat_deg, r.alt_m]).collect();
            json!({"party": party, "id": id, "source": rows.last().map_or("own", |r| r.source.as_str()), "samples": samples})
        })
        .collect();
    let truth = d.truth_by_object();
    let intercepts: Vec<Value> = d
        .report
        .threats
        .iter()
        .filter_map(|t| {
            let ti = t.intercept_time_s?;
            let rows = truth.get(t.id.as_str())?;
            let r = rows.iter().rev().find(|r| r.t_s <= ti + 1e-9).or(rows.last())?;
            Some(json!({"threat": t.id, "t_s": ti, "lon": r.lon_deg, "lat": r.lat_deg, "party": t.intercepted_by}))
        })
        .collect();
    json!({
        "scenario": d.report.scenario, "seed": d.report.seed, "mode": d.report.mode,
        "duration_s": d.report.duration_s, "epoch_iso": d.iso(0.0),
        "parties": scn.parties.iter().enumerate().map(|(i, p)| json!({"id": p.id, "color": COLORS[i % COLORS.len()]})).collect::<Vec<_>>(),
        "radars": scn.radars.iter().map(|r| json!({"id": r.id, "party": r.party, "lon": r.lon_deg, "lat": r.lat_deg, "footprint": ring(radar_footprint(r))})).collect::<Vec<_>>(),
        "batteries": scn.batteries.iter().map(|b| json!({"id": b.id, "party": b.party, "lon": b.lon_deg, "lat": b.lat_deg, "rounds": b.rounds})).collect::<Vec<_>>(),
        "assets": scn.defended_assets.iter().map(|a| json!({"id": a.id, "party": a.party, "lon": a.lon_deg, "lat": a.lat_deg, "footprint": ring(circle(a.lat_deg, a.lon_deg, a.radius_km * 1000.0))})).collect::<Vec<_>>(),
        "objects": objects,
        "tracks": tracks,
        "intercepts": intercepts,
        "coastlines": coastlines(),
    })
}

fn respond(mut s: TcpStream, pages: &[(&str, &str, &[u8])]) -> std::io::Result<()> {
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(s.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the header lines (bounded) so the browser sees a clean close.
    let mut line = String::new();
    for _ in 0..100 {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("/").split('?').next().unwrap_or("/");
    let found = pages.iter().find(|(p, ..)| *p == path);
    let (status, ctype, body): (&str, &str, &[u8]) = match (method, found) {
        ("GET" | "HEAD", Some((_, ctype, body))) => ("200 OK", ctype, body),
        ("GET" | "HEAD", None) => ("404 Not Found", "text/plain; charset=utf-8", b"not found\n"),
        _ => ("405 Method Not Allowed", "text/plain; charset=utf-8", b"method not allowed\n"),
    };
    write!(
        s,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        s.write_all(body)?;
    }
    s.flush()
}

/// Runs the command; returns the exit code (serves until interrupted).
pub fn execute(args: ViewArgs) -> i32 {
    let data = match RunData::load(&args.run_dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let json = match serde_json::to_vec(&page_data(&data)) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("error: cannot encode the page data: {e}");
            return 1;
        }
    };
    // Loopback only: the view is for the person at this machine.
    let listener = match TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e} (try --port 0)", args.port);
            return 1;
        }
    };
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    println!("serving {} at http://127.0.0.1:{port}/ (Ctrl-C to stop)", args.run_dir.display());
    let _ = std::io::stdout().flush();
    let pages: [(&str, &str, &[u8]); 3] = [
        ("/", "text/html; charset=utf-8", PAGE.as_bytes()),
        ("/app.js", "text/javascript; charset=utf-8", SCRIPT.as_bytes()),
        ("/data.json", "application/json", &json),
    ];
    for stream in listener.incoming() {
        match stream {
            Ok(s) => {
                if let Err(e) = respond(s, &pages) {
                    eprintln!("warning: request failed: {e}");
                }
            }
            Err(e) => eprintln!("warning: connection failed: {e}"),
        }
    }
    0
}
