//! `audit verify` throughput: two parties' logs totalling 100,000 entries (messages both ways,
//! decisions, checkpoints every 256 entries exchanged with the partner).
//!
//! Run: `cargo bench -p shieldnet-audit --bench verify`

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use shieldnet_audit::{LogBuilder, LogConfig, PartyKeys, SignedEnvelope, TrustStore, verify_logs};

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

/// Process CPU time (user + system) in seconds, from /proc on Linux; `None` elsewhere.
fn cpu_s() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let f: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
    Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
}

fn bench(c: &mut Criterion) {
    for (name, config) in [
        ("verify_100k_checkpointed", LogConfig::default()),
        ("verify_100k_entry_signatures", LogConfig { checkpoint_every: 256, sign_entries: true }),
    ] {
        let (trust, a, b) = build(100_000, config);
        let logs: [(&str, &[u8]); 2] = [("NATO", &a), ("RU", &b)];
        let r = verify_logs(&logs, &trust, &[]);
        assert!(r.is_ok(), "{:?}", &r.findings[..r.findings.len().min(5)]);
        let n = r.total_entries();
        // One plain timing, printed as entries per second.
        let (t0, c0) = (Instant::now(), cpu_s());
        for _ in 0..3 {
            black_box(verify_logs(black_box(&logs), &trust, &[]));
        }
        let dt = t0.elapsed().as_secs_f64() / 3.0;
        let cpu = cpu_s().zip(c0).map(|(c1, c0)| (c1 - c0) / 3.0);
        println!(
            "{name}: {n} entries, {:.1} MB; wall {:.3} s = {:.0} entries/s; CPU {} (all threads)",
            (a.len() + b.len()) as f64 / 1e6,
            dt,
            n as f64 / dt,
            cpu.map_or("n/a".to_owned(), |c| format!(
                "{c:.3} s = {:.0} entries per CPU-second",
                n as f64 / c
            ))
        );
        let mut g = c.benchmark_group("audit");
        g.sample_size(10);
        g.throughput(Throughput::Elements(n));
        g.bench_function(name, |bch| bch.iter(|| black_box(verify_logs(black_box(&logs), &trust, &[]))));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
