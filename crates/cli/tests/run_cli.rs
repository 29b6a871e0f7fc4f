//! The `run`, `scenarios` and `scenario show` commands as a user calls them.

use std::process::Command;

fn shieldnet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shieldnet")).args(args).output().expect("binary runs")
}

#[test]
fn run_json_has_the_documented_keys_and_is_deterministic() {
    let a = shieldnet(&["run", "--json"]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(v["scenario"], "epaa-2015");
    assert_eq!(v["seed"], 2011);
    let threats = v["threats"].as_array().unwrap();
    assert!(!threats.is_empty());
    for t in threats {
        assert!(t["id"].is_string());
        assert!(["intercepted", "leaked"].contains(&t["outcome"].as_str().unwrap()), "{}", t["outcome"]);
        let fd = t["first_detection_s"].as_object().unwrap();
        assert!(fd.contains_key("NATO") && fd.contains_key("RUS"));
        assert!(fd.values().all(|x| x.is_null() || x.is_f64()));
    }
    for p in v["parties"].as_array().unwrap() {
        assert!(p["id"].is_string() && p["interceptors_fired"].is_u64());
    }
    let events = v["events"].as_array().unwrap();
    assert!(events.windows(2).all(|w| w[0]["t_s"].as_f64() <= w[1]["t_s"].as_f64()));
    let b = shieldnet(&["run", "--json"]);
    assert_eq!(a.stdout, b.stdout, "same scenario and seed must give byte-identical JSON");
    let c = shieldnet(&["run", "--json", "--seed", "12"]);
    let vc: serde_json::Value = serde_json::from_slice(&c.stdout).unwrap();
    assert_eq!(vc["seed"], 12);
}

#[test]
fn run_out_writes_the_four_csv_files_with_headers() {
    let dir = std::env::temp_dir().join(format!("shieldnet-run-out-{}", std::process::id()));
    let out = shieldnet(&["run", "two-radars-one-threat", "--out", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let expect = [
        ("truth.csv", "t_s,object,kind,lat_deg,lon_deg,alt_m,x_m,y_m,z_m"),
        (
            "detections.csv",
            "t_s,party,radar,range_m,az_deg,el_deg,sigma_range_m,sigma_az_mrad,sigma_el_mrad,truth",
        ),
        (
            "tracks.csv",
            "t_s,party,track,source,lat_deg,lon_deg,alt_m,x_m,y_m,z_m,vx_m_s,vy_m_s,vz_m_s,sigma_pos_m",
        ),
        ("events.csv", "t_s,kind,party,subject,detail"),
    ];
    for (file, header) in expect {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(header), "{file}");
        assert!(lines.next().is_some(), "{file} has no rows");
    }
    // The run's signed record verifies, and a single changed byte is caught (exit code 1).
    let verify = shieldnet(&["audit", "verify", dir.to_str().unwrap()]);
    assert_eq!(verify.status.code(), Some(0), "{}", String::from_utf8_lossy(&verify.stdout));
    let log = dir.join("audit-BLUE.jsonl");
    let mut bytes = std::fs::read(&log).unwrap();
    let k = bytes.len() / 2;
    bytes[k] ^= 0x01;
    std::fs::write(&log, &bytes).unwrap();
    let tampered = shieldnet(&["audit", "verify", dir.to_str().unwrap()]);
    assert_eq!(tampered.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_scenario_file_exits_2_naming_file_line_and_field() {
    let path = std::env::temp_dir().join(format!("shieldnet-bad-{}.toml", std::process::id()));
    let text = shieldnet(&["scenario", "show", "two-radars-one-threat"]).stdout;
    let text = String::from_utf8(text).unwrap().replace("lat_deg = 38.349", "lat_deg = 95.0");
    std::fs::write(&path, &text).unwrap();
    let out = shieldnet(&["run", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = text.lines().position(|l| l.contains("lat_deg = 95.0")).unwrap() + 1;
    assert!(err.contains("radar[0].lat_deg"), "{err}");
    assert!(err.contains(&format!(":{line}:")), "line {line} not named: {err}");
    assert!(err.contains("[-90, 90]"), "{err}");
    std::fs::remove_file(&path).ok();
    let missing = shieldnet(&["run", "/nonexistent/scenario.toml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/scenario.toml"));
}

#[test]
fn scenarios_are_listed_and_shown_as_toml_that_loads_back() {
    let list = String::from_utf8(shieldnet(&["scenarios"]).stdout).unwrap();
    assert!(list.contains("epaa-2015") && list.contains("two-radars-one-threat"));
    let shown = shieldnet(&["scenario", "show", "epaa-2015"]);
    assert!(shown.status.success());
    let path = std::env::temp_dir().join(format!("shieldnet-shown-{}.toml", std::process::id()));
    std::fs::write(&path, &shown.stdout).unwrap();
    let from_file = shieldnet(&["run", path.to_str().unwrap(), "--json"]);
    let builtin = shieldnet(&["run", "--json"]);
    assert_eq!(from_file.stdout, builtin.stdout);
    std::fs::remove_file(&path).ok();
    let unknown = shieldnet(&["scenario", "show", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
}
