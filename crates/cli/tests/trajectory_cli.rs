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
