//! Profiling helper for `audit verify`: `verify_profile build DIR` writes two 100k-entry logs;
//! `verify_profile verify DIR N` verifies them N times (for callgrind / perf stat).

use shieldnet_audit::{LogConfig, TrustStore, verify_dir};

#[path = "../benches/common/verify_logs.rs"]
mod verify_logs;
use verify_logs::build;

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
