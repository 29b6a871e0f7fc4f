//! Replays the detections of a `shieldnet run --out DIR` through each party's tracker with a chosen
//! filter and associator, and reports OSPA against the threat truth and the tracking time. Used by
//! `tools/stonesoup_compare.py` so that our tracker and Stone Soup's see exactly the same detections.
//!
//! ```text
//! cargo run --release -p shieldnet-tracking --example replay -- DIR [ekf|ukf|imm|imm-ukf] [gnn|jpda|jipda] [c_m]
//! ```
//! DIR must hold `detections.csv`, `truth.csv` and `radars.csv` (`id,party,lat_deg,lon_deg,alt_m,
//! boresight_az_deg,half_width_az_deg,min_el_deg,max_el_deg,max_range_km,revisit_s`, written by the
//! script from the scenario). Writes `DIR/ours_tracks_<filter>.csv` (`t_s,party,track,x_m,y_m,z_m`:
//! confirmed tracks predicted to each truth time) and prints one JSON line of results.

use shieldnet_earth::{Geodetic, LookAngles, Vec3};
use shieldnet_sensors::{Detection, Radar, RadarSpec, Scan};
use shieldnet_tracking::filter::{self, Estimator};
use shieldnet_tracking::imm::ImmConfig;
use shieldnet_tracking::metrics::ospa;
use shieldnet_tracking::{Associator, Tracker, TrackerConfig};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::time::Instant;

fn read_csv(path: &std::path::Path) -> Vec<BTreeMap<String, String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap_or("").split(',').map(|s| s.trim().to_string()).collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| header.iter().cloned().zip(l.split(',').map(|s| s.trim().to_string())).collect())
        .collect()
}

fn f(row: &BTreeMap<String, String>, k: &str) -> f64 {
    row[k].parse().unwrap_or_else(|_| panic!("bad {k}: {}", row[k]))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(args.get(1).expect("usage: replay DIR [filter] [associator] [c_m]"));
    let filter_name = args.get(2).map(String::as_str).unwrap_or("ekf").to_string();
    let assoc = args.get(3).map(String::as_str).unwrap_or("gnn");
    let c: f64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(10_000.0);
    let mut cfg = TrackerConfig::default();
    match filter_name.as_str() {
        "ekf" => {}
        "ukf" => cfg.estimator = Estimator::Ukf,
        "imm" => cfg.imm = Some(ImmConfig::default()),
        "imm-ukf" => {
            cfg.imm = Some(ImmConfig::default());
            cfg.estimator = Estimator::Ukf;
        }
        other => panic!("unknown filter {other}"),
    }
    match assoc {
        "gnn" => {}
        "jpda" => cfg.associator = Associator::Jpda,
        "jipda" => cfg.associator = Associator::Jipda,
        other => panic!("unknown associator {other}"),
    }
    // Radars, per party.
    let mut radars: Vec<(String, Radar)> = Vec::new();
    for (i, r) in read_csv(&dir.join("radars.csv")).iter().enumerate() {
        let spec = RadarSpec {
            id: r["id"].clone(),
            site: Geodetic::from_degrees(f(r, "lat_deg"), f(r, "lon_deg"), f(r, "alt_m")),
            boresight_az_rad: f(r, "boresight_az_deg").to_radians(),
            half_width_az_rad: f(r, "half_width_az_deg").to_radians(),
            min_el_rad: f(r, "min_el_deg").to_radians(),
            max_el_rad: f(r, "max_el_deg").to_radians(),
            max_range_m: f(r, "max_range_km") * 1e3,
            revisit_s: f(r, "revisit_s"),
            ..RadarSpec::example()
        };
        radars.push((r["party"].clone(), Radar::new(i as u32, 0, spec)));
    }
    // Detections keyed by (radar index, look time in ms).
    let mut dets: BTreeMap<(usize, i64), Vec<Detection>> = BTreeMap::new();
    let mut t_end: f64 = 0.0;
    for d in read_csv(&dir.join("detections.csv")) {
        let Some(ri) = radars.iter().position(|(_, r)| r.spec.id == d["radar"]) else { continue };
        let t = f(&d, "t_s");
        t_end = t_end.max(t);
        dets.entry((ri, (t * 1000.0).round() as i64)).or_default().push(Detection {
            time_s: t,
            radar: ri as u32,
            measured: LookAngles {
                range_m: f(&d, "range_m"),
                az_rad: f(&d, "az_deg").to_radians(),
                el_rad: f(&d, "el_deg").to_radians(),
            },
            sigma: [f(&d, "sigma_range_m"), f(&d, "sigma_az_mrad") * 1e-3, f(&d, "sigma_el_mrad") * 1e-3],
            truth: None,
            range_rate: None,
        });
    }
    // Threat truth per time.
    let mut truth: BTreeMap<i64, Vec<Vec3>> = BTreeMap::new();
    for r in read_csv(&dir.join("truth.csv")) {
        if r["kind"] != "threat" {
            continue;
        }
        truth.entry((f(&r, "t_s") * 1000.0).round() as i64).or_default().push(Vec3::new(
            f(&r, "x_m"),
            f(&r, "y_m"),
            f(&r, "z_m"),
        ));
    }
    let t_last = truth.keys().last().map(|k| *k as f64 / 1000.0).unwrap_or(t_end).max(t_end);
    let parties: Vec<String> = {
        let mut p: Vec<String> = radars.iter().map(|(p, _)| p.clone()).collect();
        p.dedup();
        p.sort();
        p.dedup();
        p
    };
    let mut out = String::from("t_s,party,track,x_m,y_m,z_m\n");
    let mut results = Vec::new();
    let mut total_s = 0.0;
    let mut total_scans = 0usize;
    let mut total_dets = 0usize;
    for party in &parties {
        // All looks of this party's radars, in (time, radar) order, empty looks included.
        let mut looks: Vec<(f64, usize)> = Vec::new();
        for (ri, (p, r)) in radars.iter().enumerate() {
            if p == party {
                looks.extend(r.look_times(0.0, t_last).map(|t| (t, ri)));
            }
        }
        looks.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let scans: Vec<Scan> = looks
            .iter()
            .map(|&(t, ri)| Scan {
                time_s: t,
                radar: ri as u32,
                site: radars[ri].1.spec.site,
                detections: dets.get(&(ri, (t * 1000.0).round() as i64)).cloned().unwrap_or_default(),
                window: None,
            })
            .collect();
        total_scans += scans.len();
        total_dets += scans.iter().map(|s| s.detections.len()).sum::<usize>();
        let mut tracker = Tracker::new(cfg.clone());
        let mut k = 0;
        let mut ospa_sum = 0.0;
        let mut n = 0usize;
        let mut elapsed = 0.0;
        for (&tk, xs) in &truth {
            let t = tk as f64 / 1000.0;
            let start = Instant::now();
            while k < scans.len() && scans[k].time_s <= t + 1e-9 {
                tracker.process_scan(&scans[k], &radars[scans[k].radar as usize].1);
                k += 1;
            }
            elapsed += start.elapsed().as_secs_f64();
            let ys: Vec<Vec3> = tracker
                .tracks()
                .iter()
                .filter(|tr| tr.is_confirmed())
                .map(|tr| {
                    let (x, _) =
                        filter::predict(Estimator::Ekf, &tr.state, &tr.cov, t - tr.time_s, 0.0, &cfg.ukf);
                    out.push_str(&format!("{t},{party},{},{},{},{}\n", tr.id, x[0], x[1], x[2]));
                    Vec3::new(x[0], x[1], x[2])
                })
                .collect();
            ospa_sum += ospa(xs, &ys, c, 1.0);
            n += 1;
        }
        total_s += elapsed;
        results.push(format!(
            "{{\"party\":\"{party}\",\"mean_ospa_m\":{:.3},\"steps\":{n},\"tracking_s\":{elapsed:.6}}}",
            ospa_sum / n.max(1) as f64
        ));
    }
    fs::File::create(dir.join(format!("ours_tracks_{filter_name}.csv")))
        .and_then(|mut fh| fh.write_all(out.as_bytes()))
        .expect("write tracks");
    println!(
        "{{\"filter\":\"{filter_name}\",\"associator\":\"{assoc}\",\"c_m\":{c},\"scans\":{total_scans},\"detections\":{total_dets},\"tracking_s\":{total_s:.6},\"simulated_s\":{t_last},\"parties\":[{}]}}",
        results.join(",")
    );
}
