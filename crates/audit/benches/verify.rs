//! `audit verify` throughput: two parties' logs totalling 100,000 entries (messages both ways,
//! decisions, checkpoints every 256 entries exchanged with the partner).
//!
//! Run: `cargo bench -p shieldnet-audit --bench verify`

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shieldnet_audit::{LogConfig, verify_logs};

#[path = "common/verify_logs.rs"]
mod verify_logs;
use verify_logs::build;

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
