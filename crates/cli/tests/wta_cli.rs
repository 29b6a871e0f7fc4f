//! `shieldnet wta`: JSON output keys and exit code 2 on bad input.

use std::process::Command;

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("shieldnet-wta-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shieldnet")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const GOOD: &str = r#"{"target_values": [100, 50, 20],
 "weapons": [{"count": 2, "pk": [0.8, 0.6, 0.5]}, {"count": 1, "pk": [0.3, 0.9, 0.5]}]}"#;

#[test]
fn exact_json_output_has_the_keys() {
    let f = write("good.json", GOOD);
    let (code, out, err) = run(&["wta", f.to_str().unwrap(), "--exact", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["objective", "lower_bound", "optimal", "assignment", "solve_ms"] {
        assert!(v.get(key).is_some(), "missing {key} in {out}");
    }
    assert_eq!(v["optimal"], true);
    let a = v["assignment"].as_array().unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].as_array().unwrap().len(), 3);
    // Optimum: type 0 on targets 0 and 0? Check against the objective instead of a layout.
    let obj = v["objective"].as_f64().unwrap();
    assert!(obj > 0.0 && obj <= 170.0);
}

#[test]
fn heuristic_and_table_output() {
    let f = write("good2.json", GOOD);
    for h in ["mmr", "assignment", "local-search", "vlns"] {
        let (code, out, err) =
            run(&["wta", f.to_str().unwrap(), "--heuristic", h, "--json", "--time-limit", "1"]);
        assert_eq!(code, 0, "{h}: {err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(v["objective"].as_f64().is_some());
    }
    let (code, out, _) = run(&["wta", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("expected surviving value"));
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let cases = [
        ("syntax.json", "{\"target_values\": [1, 2,", "line"),
        ("pk.json", r#"{"target_values":[1],"weapons":[{"count":1,"pk":[1.5]}]}"#, "weapons[0].pk[0]"),
        ("value.json", r#"{"target_values":[-1],"weapons":[]}"#, "target_values[0]"),
        ("count.json", r#"{"target_values":[1],"weapons":[{"count":-2,"pk":[0.5]}]}"#, "-2"),
        ("missing.json", r#"{"target_values":[1]}"#, "weapons"),
    ];
    for (name, text, needle) in cases {
        let f = write(name, text);
        let (code, _, err) = run(&["wta", f.to_str().unwrap(), "--json"]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(err.contains(needle), "{name}: {err}");
    }
    let (code, _, err) = run(&["wta", "/nonexistent/x.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let f = write("good3.json", GOOD);
    let (code, _, err) = run(&["wta", f.to_str().unwrap(), "--heuristic", "nope"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown heuristic"), "{err}");
}
