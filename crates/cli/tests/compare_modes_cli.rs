//! `shieldnet compare-modes` as a user calls it.

use std::process::Command;

fn shieldnet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_shieldnet")).args(args).output().expect("binary runs")
}

#[test]
fn json_and_tables_hold_every_supported_mode_and_note_the_others() {
    let out = shieldnet(&["compare-modes", "two-radars-one-threat", "--runs", "2", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["runs"], 2);
    let modes: Vec<&str> =
        v["modes"].as_array().unwrap().iter().map(|m| m["mode"].as_str().unwrap()).collect();
    let skipped: Vec<&str> =
        v["skipped"].as_array().unwrap().iter().map(|m| m["mode"].as_str().unwrap()).collect();
    // Every mode is either compared or noted as skipped, in order, and M0 always runs.
    let mut all: Vec<&str> = modes.iter().chain(&skipped).copied().collect();
    all.sort();
    assert_eq!(all, ["M0", "M1", "M2", "M3", "M4", "M5"]);
    assert_eq!(modes[0], "M0");
    let t = &v["modes"][0]["parties"][0]["threats"][0];
    for key in ["detected", "first_detection_s", "first_detection_alt_km", "track_initiation_s", "leaked"] {
        assert!(t.get(key).is_some(), "{key} missing");
    }
    let text = shieldnet(&["compare-modes", "two-radars-one-threat"]);
    assert!(text.status.success());
    let s = String::from_utf8_lossy(&text.stdout);
    for m in &modes {
        assert!(s.contains(&format!("\n{m} ")), "mode {m} missing from the table:\n{s}");
    }
    for m in &skipped {
        assert!(s.contains(&format!("note: mode {m} skipped")), "{s}");
    }
}

#[test]
fn bad_input_exits_2() {
    let out = shieldnet(&["compare-modes", "no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let out = shieldnet(&["compare-modes", "--runs", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--runs must be at least 1"));
}
