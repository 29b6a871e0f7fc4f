//! Node throughput (signed partner track reports handled per second, from frame bytes to the fused
//! picture) and message round-trip time between two endpoints: over the in-process bus (the baseline)
//! and, with `--features zenoh`, over zenoh on loopback.
//!
//! `cargo bench -p shieldnet-net --bench net [--features zenoh]`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shieldnet_audit::{PartyKeys, SignedEnvelope, TrustStore};
use shieldnet_fusion::messages::{MESSAGE_VERSION, TimedTrackReport, TrackReport};
use shieldnet_fusion::{Body as MsgBody, Message};
use shieldnet_net::frames::{self, Body, StepFrame, WireFrame};
use shieldnet_net::{MemoryBus, Transport};
use shieldnet_node::{AuditSetup, NodeConfig, NodeInput, PartyNode, Policy, Wire};
use std::hint::black_box;
use std::time::Duration;

/// Partner tracks per step (two messages of 50 reports).
const REPORTS_PER_STEP: usize = 100;

fn node(trust: &TrustStore, keys: PartyKeys) -> PartyNode {
    let audit = AuditSetup { keys, trust: trust.clone(), max_message_age_s: 60.0 };
    let policy = Policy { defend_partners: false, coordinate: false };
    PartyNode::new(NodeConfig::messages_only(&["A", "B"], policy, audit))
}

/// The step frame of step `k`: REPORTS_PER_STEP signed reports of distinct partner tracks.
fn step_frame(b: &PartyKeys, k: u64) -> Vec<u8> {
    let t = k as f64;
    let mut inbox = Vec::new();
    for chunk in 0..(REPORTS_PER_STEP / 50) {
        let reports: Vec<TimedTrackReport> = (0..50)
            .map(|i| {
                let id = (chunk * 50 + i) as u32;
                let x = 4.0e6 + id as f64 * 50e3;
                let state = [x + 2000.0 * t, 3.0e6, 4.0e6, 2000.0, 0.0, 0.0];
                let mut cov_upper = vec![0.0; 21];
                for (d, idx) in [0usize, 6, 11, 15, 18, 20].into_iter().enumerate() {
                    cov_upper[idx] = if d < 3 { 1e4 } else { 100.0 };
                }
                TimedTrackReport {
                    time_of_validity_s: t,
                    report: TrackReport { track_id: id, state, cov_upper },
                }
            })
            .collect();
        let seq = k * 10 + chunk as u64;
        let m = Message {
            version: MESSAGE_VERSION,
            sender: "B".into(),
            seq,
            time_of_validity_s: t,
            body: MsgBody::TrackReports(reports),
        };
        let env = SignedEnvelope::sign(b, seq, t, m.encode()).unwrap();
        inbox.push(WireFrame::Signed(env.to_bytes()));
    }
    frames::encode(&Body::Step(StepFrame {
        step: k,
        now_s: t,
        scans: vec![],
        angles: vec![],
        inbox,
        outcomes: vec![],
    }))
}

/// CPU time used by the calling thread, s (Linux), so the figure holds on a loaded machine.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass, which lives for the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "no thread CPU clock");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Feeds every step frame to a fresh node; returns the reports handled.
fn feed(trust: &TrustStore, keys: &PartyKeys, steps: &[Vec<u8>]) -> usize {
    let mut n = node(trust, keys.clone());
    for f in steps {
        let Ok(Body::Step(sf)) = frames::decode(f) else { unreachable!() };
        let inbox: Vec<Wire> = sf.inbox.iter().map(|w| w.to_wire().unwrap()).collect();
        let out =
            n.step(NodeInput { now_s: sf.now_s, scans: &[], angles: &[], inbox: &inbox, outcomes: &[] });
        black_box(out.picture.len());
    }
    assert_eq!(n.rejected_messages().values().sum::<u32>(), 0);
    REPORTS_PER_STEP * steps.len()
}

fn throughput(c: &mut Criterion) {
    let a = PartyKeys::derive_for_simulation(1, "A").unwrap();
    let b = PartyKeys::derive_for_simulation(1, "B").unwrap();
    let trust = TrustStore::from_keys([&a, &b]);
    let steps: Vec<Vec<u8>> = (1..=200).map(|k| step_frame(&b, k)).collect();
    // The figure in CPU time of this thread (criterion below reports wall time).
    let (cpu0, wall0) = (thread_cpu_seconds(), std::time::Instant::now());
    let reports: usize = (0..3).map(|_| feed(&trust, &a, &steps)).sum();
    let (cpu, wall) = (thread_cpu_seconds() - cpu0, wall0.elapsed().as_secs_f64());
    println!(
        "node throughput: {:.0} signed partner track reports per CPU-second ({:.0} per wall second; goal 10,000)",
        reports as f64 / cpu,
        reports as f64 / wall
    );
    let mut g = c.benchmark_group("node");
    g.throughput(Throughput::Elements((REPORTS_PER_STEP * steps.len()) as u64));
    g.sample_size(10);
    g.bench_function("track_reports_from_frames", |bench| bench.iter(|| feed(&trust, &a, &steps)));
    g.finish();
}

fn ping_pong<T: Transport + 'static>(c: &mut Criterion, name: &str, a: T, b: T) {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let s2 = stop.clone();
    let echo = std::thread::spawn(move || {
        while !s2.load(std::sync::atomic::Ordering::Relaxed) {
            if let Ok(Some(r)) = b.recv_timeout(Duration::from_millis(50)) {
                let _ = b.publish("bench/pong", &r.payload);
            }
        }
    });
    let payload = vec![7u8; 512];
    // Warm up the route.
    for _ in 0..50 {
        a.publish("bench/ping", &payload).unwrap();
        let _ = a.recv_timeout(Duration::from_millis(200));
    }
    c.bench_function(name, |bench| {
        bench.iter(|| {
            a.publish("bench/ping", &payload).unwrap();
            a.recv_timeout(Duration::from_secs(2)).unwrap().expect("pong");
        })
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = echo.join();
}

fn round_trip(c: &mut Criterion) {
    let bus = MemoryBus::new();
    let a = bus.endpoint(&["bench/pong".into()]);
    let b = bus.endpoint(&["bench/ping".into()]);
    ping_pong(c, "round_trip/memory_bus_512B", a, b);
    #[cfg(feature = "zenoh")]
    {
        use shieldnet_net::zenoh_transport::{Endpoints, ZenohTransport};
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let b = ZenohTransport::open(
            &Endpoints { listen: vec![addr.clone()], connect: vec![] },
            &["bench/ping".into()],
        )
        .unwrap();
        let a =
            ZenohTransport::open(&Endpoints { listen: vec![], connect: vec![addr] }, &["bench/pong".into()])
                .unwrap();
        std::thread::sleep(Duration::from_millis(500));
        ping_pong(c, "round_trip/zenoh_loopback_512B", a, b);
    }
}

criterion_group!(benches, throughput, round_trip);
criterion_main!(benches);
