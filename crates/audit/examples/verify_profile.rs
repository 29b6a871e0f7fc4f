//! Profiling helper for `audit verify`: `verify_profile build DIR` writes two 100k-entry logs;
//! `verify_profile verify DIR N` verifies them N times (for callgrind / perf stat).

use serde_json::json;
use shieldnet_audit::{LogBuilder, LogConfig, PartyKeys, SignedEnvelope, TrustStore, verify_dir};

/// Builds NATO's and RU's logs with about `total` entries between them.
fn build(total: u64, config: LogConfig) -> (TrustStore, Vec<u8>, Vec<u8>) {
    let nato = PartyKeys::derive_for_simulation(1, "NATO").unwrap();
    let ru = PartyKeys::derive_for_simulation(1, "RU").unwrap();
    let trust = TrustStore::from_keys([&nato, &ru]);
    let mut a = LogBuilder::new(nato.clone(), config, 0.0).unwrap();
    let mut b = LogBuilder::new(ru.clone(), config, 0.0).unwrap();
    let mut k = 0u64;
    let mut last_cp = (0, 0);
    while a.len() + b.len() < total {
        k += 1;
        let t = k as f64 * 0.1;
        let payload = format!(
            r#"{{"track":{k},"pos_m":[3512345.1,2412345.2,4512345.3],"vel_mps":[-1200.5,300.25,-4000.0]}}"#
        );
        let m = SignedEnvelope::sign(&nato, k, t, payload.into_bytes()).unwrap();
        a.record_sent(t, &m, &["RU"]).unwrap();
        b.record_received(t + 0.01, &m).unwrap();
        if k.is_multiple_of(2) {
            a.record_decision(
                t + 0.02,
                &json!({"type": "engagement_order", "threat": k, "battery": "Aegis-1", "rounds": 2}),
            )
            .unwrap();
            b.record_decision(t + 0.03, &json!({"type": "kill_assessment", "threat": k - 1, "killed": true}))
                .unwrap();
        }
        if let Some(cp) = a.latest_checkpoint().filter(|c| c.tree_size != last_cp.0).cloned() {
            last_cp.0 = cp.tree_size;
            b.record_partner_checkpoint(t + 0.04, &cp).unwrap();
        }
        if let Some(cp) = b.latest_checkpoint().filter(|c| c.tree_size != last_cp.1).cloned() {
            last_cp.1 = cp.tree_size;
            a.record_partner_checkpoint(t + 0.04, &cp).unwrap();
        }
    }
    let t = k as f64 * 0.1 + 1.0;
    a.close(t).unwrap();
    b.close(t).unwrap();
    (trust, a.take_output(), b.take_output())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::Path::new(&args[2]);
    if args[1] == "build" {
        let (trust, a, b) = build(100_000, LogConfig::default());
        shieldnet_audit::write_dir_logs(dir, &[("NATO", &a), ("RU", &b)], &trust).unwrap();
    } else {
        let trust = TrustStore::parse(&std::fs::read_to_string(dir.join("trust.txt")).unwrap()).unwrap();
        let n: usize = args[3].parse().unwrap();
        for _ in 0..n {
            let r = verify_dir(dir, &trust, &[]).unwrap();
            assert!(r.is_ok(), "{:?}", &r.findings[..r.findings.len().min(5)]);
        }
    }
}
