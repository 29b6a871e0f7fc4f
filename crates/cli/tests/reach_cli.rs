//! Runs `shieldnet reach` as a process: the JSON contract of issue 7, CSV and SVG outputs, --explain,
//! and exit code 2 with a clear message on bad input.

use std::process::Command;

fn shieldnet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shieldnet")).args(args).output().expect("run shieldnet")
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = shieldnet(args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn default_study_json_has_one_row_per_site_trajectory_speed_and_delay() {
    let v = json(&["reach", "--json"]);
    let rows = v["rows"].as_array().unwrap();
    // 4 sites × 42 trajectories × 7 burnout speeds (3.0..6.0 km/s) × 1 delay.
    assert_eq!(rows.len(), 4 * 42 * 7);
    assert!(v["assumptions"].as_array().unwrap().len() >= 8);
    let sites = ["Deveselu", "Redzikowo", "Norwegian Sea ship", "North Sea ship"];
    let mut speeds: Vec<f64> = Vec::new();
    for r in rows {
        for k in ["site", "launch", "aim", "burnout_speed_km_s", "delay_s", "feasible"] {
            assert!(!r[k].is_null(), "missing {k} in {r}");
        }
        for k in ["earliest_intercept_s", "intercept_altitude_km", "margin_s"] {
            assert!(r.get(k).is_some(), "missing {k}");
        }
        assert!(sites.contains(&r["site"].as_str().unwrap()));
        assert_eq!(r["delay_s"].as_f64(), Some(60.0));
        let v = r["burnout_speed_km_s"].as_f64().unwrap();
        if !speeds.contains(&v) {
            speeds.push(v);
        }
        if r["feasible"].as_bool().unwrap() {
            // Commit = threat burnout (180 s) + 60 s; the interceptor burns 40 s.
            let e = r["earliest_intercept_s"].as_f64().unwrap();
            let launch = r["interceptor_launch_s"].as_f64().unwrap();
            assert!(launch >= 240.0 - 1e-9, "{r}");
            assert!(e >= launch + 40.0 - 1e-9, "{r}");
            assert!((r["fly_out_s"].as_f64().unwrap() - (e - launch)).abs() < 1e-6);
            assert!(r["required_speed_km_s"].as_f64().unwrap() <= v + 1e-9);
            assert!(r["intercept_altitude_km"].as_f64().unwrap() >= 70.0);
            assert!(r["margin_s"].as_f64().unwrap() >= 0.0);
        } else {
            assert!(r["earliest_intercept_s"].is_null() && r["margin_s"].is_null());
        }
    }
    assert_eq!(speeds, vec![3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0]);
    // Reachable fraction per site never falls with speed.
    for site in sites {
        let mut last = 0;
        for sp in &speeds {
            let n = rows
                .iter()
                .filter(|r| r["site"] == site && r["burnout_speed_km_s"].as_f64() == Some(*sp))
                .filter(|r| r["feasible"].as_bool().unwrap())
                .count();
            assert!(n >= last, "{site} {sp}");
            last = n;
        }
    }
}

#[test]
fn user_sites_speeds_and_delays_with_csv_map_and_chart() {
    let dir = std::env::temp_dir().join(format!("shieldnet-reach-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (csv, map, chart) = (dir.join("r.csv"), dir.join("m.svg"), dir.join("c.svg"));
    let v = json(&[
        "reach",
        "--site",
        "Barents ship=72.0,30.0",
        "--site",
        "Azores=38.7,-27.2",
        "--burnout-speed",
        "4.5,6.5",
        "--delay",
        "0,120",
        "--burn-time",
        "30",
        "--json",
        "--csv",
        csv.to_str().unwrap(),
        "--map",
        map.to_str().unwrap(),
        "--chart",
        chart.to_str().unwrap(),
    ]);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2 * 42 * 2 * 2);
    assert_eq!(rows[0]["site"], "Barents ship");
    assert_eq!(rows[0]["launch"], "Kozelsk");
    assert_eq!(rows[0]["aim"], "Washington");
    assert_eq!(rows[0]["burnout_speed_km_s"].as_f64(), Some(4.5));
    assert_eq!((rows[0]["delay_s"].as_f64(), rows[1]["delay_s"].as_f64()), (Some(0.0), Some(120.0)));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert!(
        lines.next().unwrap().starts_with("site,basing,launch,aim,threat_class,burnout_speed_km_s,delay_s")
    );
    assert_eq!(lines.count(), rows.len());
    for f in [&map, &chart] {
        let svg = std::fs::read_to_string(f).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("polyline"), "{}", f.display());
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn explain_prints_the_timeline_and_the_reason() {
    let out = shieldnet(&["reach", "--explain", "deveselu:Kozelsk->Washington", "--burnout-speed", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "Assumptions",
        "threat launch",
        "threat burnout",
        "commit",
        "NOT FEASIBLE",
        "why: out of speed",
        "tail chase",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let v = json(&[
        "reach",
        "--explain",
        "Norwegian Sea ship:Kozelsk->Washington",
        "--burnout-speed",
        "6",
        "--json",
    ]);
    let e = &v["explanations"][0];
    assert_eq!(e["feasible"], true);
    let whats: Vec<&str> =
        e["timeline"].as_array().unwrap().iter().map(|x| x["what"].as_str().unwrap()).collect();
    assert!(whats.iter().any(|w| w.starts_with("interceptor launch")));
    assert!(whats.iter().any(|w| w.starts_with("earliest feasible intercept")));
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let cases: [(&[&str], &str); 7] = [
        (&["reach", "--site", "Deveselu 44.1,24.4"], "expected NAME=LAT,LON"),
        (&["reach", "--site", "X=95,10"], "latitude 95 is out of range"),
        (&["reach", "--site", "X=45,abc"], "longitude \"abc\" is not a number"),
        (&["reach", "--burnout-speed", "-3"], "burnout speed (km/s): -3"),
        (&["reach", "--delay", "-5"], "delay (s): -5"),
        (&["reach", "--study", "nope"], "unknown study \"nope\""),
        (&["reach", "--explain", "Deveselu:Kozelsk->Paris"], "unknown launch/aim pair"),
    ];
    for (args, msg) in cases {
        let out = shieldnet(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(msg), "{args:?}: {err}");
    }
}

#[test]
fn epaa_study_uses_each_phases_notional_speed_unless_overridden() {
    let v = json(&["reach", "--study", "epaa", "--json"]);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5 * 42);
    for r in rows {
        let want = match r["site"].as_str().unwrap() {
            "P1-2011 ship E. Med" | "Deveselu" => 3.0,
            "Redzikowo" => 4.5,
            _ => 5.5,
        };
        assert_eq!(r["burnout_speed_km_s"].as_f64(), Some(want), "{r}");
    }
    assert!(v["assumptions"].as_array().unwrap().iter().any(|a| a.as_str().unwrap().contains("EPAA")));
    let v = json(&["reach", "--study", "epaa", "--burnout-speed", "4,5", "--json"]);
    assert_eq!(v["rows"].as_array().unwrap().len(), 5 * 42 * 2);
    let v = json(&["reach", "--study", "iran", "--burnout-speed", "5", "--json"]);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4 * 32);
    assert!(
        rows.iter().any(|r| r["threat_class"] == "irbm") && rows.iter().any(|r| r["threat_class"] == "icbm")
    );
}
