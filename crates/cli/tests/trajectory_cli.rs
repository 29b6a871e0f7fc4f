//! Runs `shieldnet trajectory` as a process: JSON keys and values, CSV output, and exit code 2 with a
//! clear message on bad input.

use std::process::Command;

fn shieldnet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shieldnet")).args(args).output().expect("run shieldnet")
}

#[test]
fn textbook_minimum_energy_json_matches_the_closed_form() {
    let out = shieldnet(&[
        "trajectory",
        "--launch",
        "0,0",
        "--aim",
        "0,-60",
        "--earth",
        "spherical",
        "--rotation",
        "off",
        "--boost",
        "none",
        "--min-energy",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for key in [
        "ground_range_km",
        "burnout_speed_km_s",
        "flight_path_angle_deg",
        "flight_time_s",
        "apogee_altitude_km",
        "impact_lat_deg",
        "impact_lon_deg",
        "miss_distance_km",
    ] {
        assert!(v[key].is_number(), "missing {key}");
    }
    // Ψ = 60°: ν* = 2 sin30°/(1 + sin30°) = 2/3, γ* = 45° − 15° = 30°.
    let nu = v["burnout_speed_km_s"].as_f64().unwrap().powi(2) * 1e6 * 6_371_008.8 / 3.986_004_418e14;
    assert!((nu - 2.0 / 3.0).abs() < 1e-6, "{nu}");
    assert!((v["flight_path_angle_deg"].as_f64().unwrap() - 30.0).abs() < 1e-3);
    let tb = &v["textbook_minimum_energy"];
    for k in ["flight_time_s", "apogee_altitude_km"] {
        let (a, b) = (v[k].as_f64().unwrap(), tb[k].as_f64().unwrap());
        assert!(((a - b) / b).abs() < 1e-3, "{k}: {a} vs {b}");
    }
    assert!((v["impact_lon_deg"].as_f64().unwrap() + 60.0).abs() < 1e-3);
}

#[test]
fn full_model_with_a_preset_hits_and_writes_csv() {
    let dir = std::env::temp_dir().join(format!("shieldnet-traj-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("t.csv");
    let out = shieldnet(&[
        "trajectory",
        "--launch",
        "35.2,53.9",
        "--aim",
        "44.4,26.1",
        "--boost",
        "preset",
        "irbm",
        "--json",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["miss_distance_km"].as_f64().unwrap() < 1.0);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("t_s,phase,lat_deg,lon_deg,alt_m,x_ecef_m"));
    assert!(lines.count() > 20);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_input_exits_with_code_2_and_names_the_problem() {
    let cases: [(&[&str], &str); 5] = [
        (&["trajectory", "--launch", "95,0", "--aim", "10,10"], "latitude 95"),
        (&["trajectory", "--launch", "10,10", "--aim", "10,10"], "coincide"),
        (&["trajectory", "--launch", "10,10", "--aim", "-10,-170"], "antipodal"),
        (&["trajectory", "--launch", "0,0", "--aim", "0,90", "--burnout-speed", "3"], "cannot reach"),
        (&["trajectory", "--launch", "0,0", "--aim", "0,90", "--burnout-speed", "12"], "escapes"),
    ];
    for (args, needle) in cases {
        let out = shieldnet(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

/// The shape flags reach the flight: `--apogee` gives that apogee, `--burnout-speed` that burnout
/// speed (textbook Earth, where both are exact), and the model switches `--j2` and `--drag` change the
/// full-model flight while it still hits.
#[test]
fn shape_and_model_flags_take_effect() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = shieldnet(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let textbook = [
        "trajectory",
        "--launch",
        "0,0",
        "--aim",
        "0,40",
        "--earth",
        "spherical",
        "--rotation",
        "off",
        "--j2",
        "off",
        "--drag",
        "off",
        "--boost",
        "none",
        "--json",
    ];
    let apo = json(&[&textbook[..], &["--apogee", "1500"]].concat());
    assert!((apo["apogee_altitude_km"].as_f64().unwrap() - 1500.0).abs() < 1.5, "{apo}");
    let fast = json(&[&textbook[..], &["--burnout-speed", "7"]].concat());
    assert!((fast["burnout_speed_km_s"].as_f64().unwrap() - 7.0).abs() < 1e-3, "{fast}");
    let me = json(&[&textbook[..], &["--min-energy"]].concat());
    // The depressed 7 km/s arc is lower and faster than the minimum-energy one.
    assert!(fast["flight_path_angle_deg"].as_f64() < me["flight_path_angle_deg"].as_f64());
    assert!(fast["flight_time_s"].as_f64() < me["flight_time_s"].as_f64());
    let full = [
        "trajectory",
        "--launch",
        "54,35.8",
        "--aim",
        "38.9,-77",
        "--earth",
        "wgs84",
        "--rotation",
        "on",
        "--boost",
        "none",
        "--json",
    ];
    let on = json(&[&full[..], &["--j2", "on", "--drag", "on"]].concat());
    let off = json(&[&full[..], &["--j2", "off", "--drag", "off"]].concat());
    for f in [&on, &off] {
        assert!(f["miss_distance_km"].as_f64().unwrap() < 1.0, "{f}");
    }
    let dt = (on["flight_time_s"].as_f64().unwrap() - off["flight_time_s"].as_f64().unwrap()).abs();
    assert!(dt > 0.5, "J2 and drag change an 8,000 km flight by more than 0.5 s: {dt}");
    // Malformed and impossible values are bad input too.
    for (args, needle) in [
        (&["trajectory", "--launch", "abc,1", "--aim", "10,10"][..], "launch"),
        (&["trajectory", "--launch", "0,0", "--aim", "0,40", "--apogee=-5"][..], "apogee"),
        (&["trajectory", "--launch", "0,0", "--aim", "0,40", "--earth", "mars"][..], "mars"),
    ] {
        let out = shieldnet(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.to_lowercase().contains(needle), "{args:?}: {err}");
    }
}
