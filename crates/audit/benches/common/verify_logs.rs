//! Two parties' audit logs for the verification benchmark and profiling example: messages both ways,
//! decisions, and checkpoints exchanged with the partner. Included by `benches/verify.rs` and
//! `examples/verify_profile.rs` (`#[path]`), so both measure the same logs.

use serde_json::json;
use shieldnet_audit::{LogBuilder, LogConfig, PartyKeys, SignedEnvelope, TrustStore};

/// Builds NATO's and RU's logs with about `total` entries between them.
pub fn build(total: u64, config: LogConfig) -> (TrustStore, Vec<u8>, Vec<u8>) {
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
