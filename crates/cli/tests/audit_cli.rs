//! `shieldnet audit verify|show` on logs written to disk: exit codes and precise reports.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;
use shieldnet_audit::{LogBuilder, LogConfig, PartyKeys, SignedEnvelope, TrustStore, write_dir_logs};

fn write_run(dir: &Path) {
    let a_keys = PartyKeys::derive_for_simulation(3, "NATO").unwrap();
    let b_keys = PartyKeys::derive_for_simulation(3, "RU").unwrap();
    let trust = TrustStore::from_keys([&a_keys, &b_keys]);
    let cfg = LogConfig { checkpoint_every: 4, sign_entries: false };
    let mut a = LogBuilder::new(a_keys.clone(), cfg, 0.0).unwrap();
    let mut b = LogBuilder::new(b_keys, cfg, 0.0).unwrap();
    for k in 1..=5u64 {
        let t = k as f64;
        let m = SignedEnvelope::sign(&a_keys, k, t, format!("track {k}").into_bytes()).unwrap();
        a.record_sent(t, &m, &["RU"]).unwrap();
        b.record_received(t + 0.1, &m).unwrap();
        b.record_decision(t + 0.2, &json!({"type": "engagement_order", "threat": k})).unwrap();
    }
    let cp = a.close(6.0).unwrap();
    b.record_partner_checkpoint(6.1, &cp).unwrap();
    b.close(6.2).unwrap();
    write_dir_logs(dir, &[("NATO", &a.take_output()), ("RU", &b.take_output())], &trust).unwrap();
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("shieldnet-cli-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn shieldnet(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_shieldnet")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn verify_clean_tampered_and_unreadable() {
    let dir = tmp("verify");
    write_run(&dir);
    let d = dir.to_str().unwrap();
    let (code, out, err) = shieldnet(&["audit", "verify", d]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("OK: 2 logs"), "{out}");
    assert!(err.contains("independently obtained"), "{err}");

    let (code, out, _) = shieldnet(&["audit", "verify", d, "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true);

    // Change RU's decision about threat 3 (entry 7, line 8).
    let p = dir.join("audit-RU.jsonl");
    let text = std::fs::read_to_string(&p).unwrap().replace("\"threat\":3", "\"threat\":4");
    std::fs::write(&p, text).unwrap();
    let (code, out, _) = shieldnet(&["audit", "verify", d]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("RU entry 7 (line 8): hash-mismatch"), "{out}");

    let (code, _, _) = shieldnet(&["audit", "verify", "/nonexistent/shieldnet-audit-dir"]);
    assert_eq!(code, 2);
    let (code, _, _) = shieldnet(&["audit", "verify", d, "--keys", "/nonexistent/trust.txt"]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn show_prints_a_timeline() {
    let dir = tmp("show");
    write_run(&dir);
    let d = dir.to_str().unwrap();
    let (code, out, err) = shieldnet(&["audit", "show", d]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("msg 2 → RU"), "{out}");
    assert!(out.contains("msg 2 ← NATO"), "{out}");
    assert!(out.contains("engagement_order"), "{out}");
    let (code, out, _) = shieldnet(&["audit", "show", d, "--party", "NATO"]);
    assert_eq!(code, 0);
    assert!(!out.lines().any(|l| l.split_whitespace().nth(1) == Some("RU")), "{out}");
    let (code, _, _) = shieldnet(&["audit", "show", d, "--party", "XX"]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn verify_checks_the_policy_rules_of_a_run_and_refuses_a_bad_rules_file() {
    let dir = tmp("policy");
    let d = dir.to_str().unwrap();
    let (code, out, err) = shieldnet(&["run", "--out", d, "--seed", "2011"]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = shieldnet(&["audit", "verify", d]);
    assert_eq!(code, 0, "a clean run verifies: {out}{err}");
    // The parties agreed that NATO never intercepts over a box around the whole theatre.
    let rules = json!({"format": 1, "rules": [{"rule": "no_intercept_over", "party": "NATO", "region": "theatre",
        "polygon": [[20.0, -20.0], [20.0, 80.0], [75.0, 80.0], [75.0, -20.0]]}]});
    std::fs::write(dir.join("policy.json"), rules.to_string()).unwrap();
    let (code, out, _) = shieldnet(&["audit", "verify", d]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("policy: 1 rule(s) checked over every decision: no_intercept_over (NATO)"), "{out}");
    assert!(out.contains("over theatre"), "{out}");
    // A rules file that is not valid: exit 2, naming the file and the place.
    std::fs::write(dir.join("policy.json"), "{\"format\": 1,\n \"rules\": [{\"rule\": \"anything_goes\"}]}")
        .unwrap();
    let (code, _, err) = shieldnet(&["audit", "verify", d]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("policy.json: line 2"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
