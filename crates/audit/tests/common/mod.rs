//! A small deterministic two-party exchange used by the tests.
#![allow(dead_code)]

use serde_json::json;
use shieldnet_audit::{
    Finding, FindingKind, LogBuilder, LogConfig, PartyKeys, SignedEnvelope, TrustStore, VerifyReport,
    verify_logs,
};

pub struct Exchange {
    pub nato_keys: PartyKeys,
    pub ru_keys: PartyKeys,
    pub trust: TrustStore,
    pub nato: Vec<u8>,
    pub ru: Vec<u8>,
}

pub fn keys() -> (PartyKeys, PartyKeys, TrustStore) {
    let n = PartyKeys::derive_for_simulation(2012, "NATO").unwrap();
    let r = PartyKeys::derive_for_simulation(2012, "RU").unwrap();
    let t = TrustStore::from_keys([&n, &r]);
    (n, r, t)
}

/// NATO and RU exchange track reports both ways, decide, exchange checkpoints and close.
/// `tamper` may change the decision NATO records at t = 3 (to build a rewritten history).
pub fn exchange_with(config: LogConfig, nato_keys: &PartyKeys, nato_decision_threat: u64) -> Exchange {
    exchange_steps(config, nato_keys, nato_decision_threat, 3)
}

/// As [`exchange_with`] with `steps` rounds of messages.
pub fn exchange_steps(
    config: LogConfig,
    nato_keys: &PartyKeys,
    nato_decision_threat: u64,
    steps: u32,
) -> Exchange {
    let (_, ru_keys, trust) = keys();
    let mut a = LogBuilder::new(nato_keys.clone(), config, 0.0).unwrap();
    let mut b = LogBuilder::new(ru_keys.clone(), config, 0.0).unwrap();
    let mut a_seq = 0;
    let mut b_seq = 0;
    for step in 1..=steps {
        let t = f64::from(step);
        a_seq += 1;
        let m = SignedEnvelope::sign(nato_keys, a_seq, t, format!("NATO track {step}").into_bytes()).unwrap();
        a.record_sent(t, &m, &["RU"]).unwrap();
        let got = SignedEnvelope::decode(&m.to_bytes()).unwrap();
        b.record_received(t + 0.25, &got).unwrap();
        b_seq += 1;
        let m = SignedEnvelope::sign(&ru_keys, b_seq, t + 0.5, vec![step as u8; 5]).unwrap();
        b.record_sent(t + 0.5, &m, &["NATO"]).unwrap();
        a.record_received(t + 0.75, &m).unwrap();
        let threat = if step == steps { nato_decision_threat } else { u64::from(step) };
        a.record_decision(
            t + 0.8,
            &json!({"type": "engagement_order", "threat": threat, "battery": "Aegis-1"}),
        )
        .unwrap();
        b.record_decision(
            t + 0.9,
            &json!({"type": "kill_assessment", "threat": step, "killed": step % 2 == 0}),
        )
        .unwrap();
        // Exchange the latest checkpoints.
        if let Some(cp) = a.latest_checkpoint().cloned() {
            b.record_partner_checkpoint(t + 0.95, &cp).unwrap();
        }
        if let Some(cp) = b.latest_checkpoint().cloned() {
            a.record_partner_checkpoint(t + 0.95, &cp).unwrap();
        }
    }
    let t_end = f64::from(steps) + 1.0;
    let cp = a.close(t_end).unwrap();
    b.record_partner_checkpoint(t_end + 0.1, &cp).unwrap();
    b.close(t_end + 0.2).unwrap();
    Exchange { nato_keys: nato_keys.clone(), ru_keys, trust, nato: a.take_output(), ru: b.take_output() }
}

pub fn exchange(config: LogConfig) -> Exchange {
    let (n, _, _) = keys();
    exchange_with(config, &n, 3)
}

pub fn small_config() -> LogConfig {
    LogConfig { checkpoint_every: 4, sign_entries: false }
}

pub fn verify2(trust: &TrustStore, nato: &[u8], ru: &[u8]) -> VerifyReport {
    verify_logs(&[("NATO", nato), ("RU", ru)], trust, &[])
}

pub fn lines(log: &[u8]) -> Vec<Vec<u8>> {
    log.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

pub fn has(report: &VerifyReport, party: &str, kind: FindingKind) -> bool {
    report.findings.iter().any(|f| f.party == party && f.kind == kind)
}

pub fn show(findings: &[Finding]) -> String {
    findings.iter().map(|f| format!("  {f}\n")).collect()
}
