//! Tracking benchmark: 1,000 ballistic objects seen by 10 radars for 600 simulated seconds (every
//! radar all-round, 2 s revisit, Pd 0.9, 2 false alarms per look). Detections are generated before
//! timing; only `Tracker::process_scan` is timed. Prints simulated seconds per CPU second for the
//! whole run (one party holding all 10 radars, EKF + GNN, the default gating: automatic), then the
//! same run with all-pairs gating and with the range window, checks that all three end with the
//! same tracks and prints the speed-up ratios, then lets criterion time a 60-s slice with each gate.
//!
//! ```text
//! cargo bench -p shieldnet-tracking --bench tracker
//! SHIELDNET_TRACKER_GATE=Auto valgrind --tool=callgrind target/release/deps/tracker-* --bench
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::{Ecef, Geodetic, Vec3};
use shieldnet_sensors::{Radar, RadarSpec, Scan};
use shieldnet_tracking::gating::GateIndex;
use shieldnet_tracking::metrics::{Siap, ospa};
use shieldnet_tracking::{State6, Tracker, TrackerConfig, motion};
use std::time::Instant;

const OBJECTS: usize = 1_000;
const RADARS: usize = 10;
const DURATION_S: f64 = 600.0;

fn scenario() -> (Vec<Radar>, Vec<Scan>, Vec<Vec3>) {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let radars: Vec<Radar> = (0..RADARS)
        .map(|i| {
            let mut spec = RadarSpec::example();
            spec.id = format!("r{i}");
            spec.site = Geodetic::from_degrees(30.0 + 1.2 * i as f64, 35.0 + 2.5 * i as f64, 500.0);
            spec.boresight_az_rad = 0.0;
            spec.half_width_az_rad = std::f64::consts::PI;
            spec.max_range_m = 3_000e3;
            spec.false_alarms_per_scan = 2.0;
            Radar::new(i as u32, 0, spec)
        })
        .collect();
    // Objects: ballistic states over the region, 150-600 km up, 2-4 km/s.
    let mut states: Vec<State6> = (0..OBJECTS)
        .map(|_| {
            let g = Geodetic::from_degrees(
                30.0 + 12.0 * rng.random::<f64>(),
                38.0 + 20.0 * rng.random::<f64>(),
                150e3 + 450e3 * rng.random::<f64>(),
            );
            let p = g.to_ecef().0;
            let [e, n, u] = g.enu_axes();
            let heading = rng.random::<f64>() * std::f64::consts::TAU;
            let speed = 2_000.0 + 2_000.0 * rng.random::<f64>();
            let v = (e * heading.sin() + n * heading.cos()) * speed + u * (rng.random::<f64>() * 1_500.0);
            State6::new(p.x, p.y, p.z, v.x, v.y, v.z)
        })
        .collect();
    let mut scans = Vec::new();
    let dt = 2.0;
    let mut t = 0.0;
    while t < DURATION_S {
        t += dt;
        states.iter_mut().for_each(|s| *s = motion::propagate(s, dt));
        let targets: Vec<(u32, Ecef)> = states
            .iter()
            .enumerate()
            .map(|(i, s)| (i as u32, Ecef(Vec3::new(s[0], s[1], s[2]))))
            .filter(|(_, p)| p.to_geodetic().alt_m > 0.0)
            .collect();
        for r in &radars {
            scans.push(r.look(t, &targets, &mut rng));
        }
    }
    let alive: Vec<Vec3> = states
        .iter()
        .map(|s| Vec3::new(s[0], s[1], s[2]))
        .filter(|p| Ecef(*p).to_geodetic().alt_m > 0.0)
        .collect();
    (radars, scans, alive)
}

/// CPU time of this thread, s (Linux `/proc/thread-self/stat`, 100 ticks per second), so the ratios
/// below hold on a loaded machine; wall time where that file is missing.
fn cpu_s(wall_start: Instant) -> f64 {
    let ticks = std::fs::read_to_string("/proc/thread-self/stat").ok().and_then(|s| {
        let rest = &s[s.rfind(')')? + 1..];
        let mut f = rest.split_whitespace().skip(11);
        Some(f.next()?.parse::<f64>().ok()? + f.next()?.parse::<f64>().ok()?)
    });
    ticks.map_or_else(|| wall_start.elapsed().as_secs_f64(), |t| t / 100.0)
}

fn run(radars: &[Radar], scans: &[Scan], gate_index: GateIndex) -> Tracker {
    let mut tracker = Tracker::new(TrackerConfig { gate_index, ..TrackerConfig::default() });
    for s in scans {
        tracker.process_scan(s, &radars[s.radar as usize]);
    }
    tracker
}

fn bench(c: &mut Criterion) {
    let (radars, scans, alive) = scenario();
    // For instruction counts (`valgrind --tool=callgrind`, load-independent): one full run with the
    // gate named in SHIELDNET_TRACKER_GATE (`none`: scenario only) and stop.
    if let Ok(name) = std::env::var("SHIELDNET_TRACKER_GATE") {
        let all = [GateIndex::Auto, GateIndex::AllPairs, GateIndex::RangeWindow, GateIndex::KdTree];
        if let Some(g) = all.into_iter().find(|g| format!("{g:?}") == name) {
            std::hint::black_box(run(&radars, &scans, g));
        }
        return;
    }
    let detections: usize = scans.iter().map(|s| s.detections.len()).sum();
    let start = Instant::now();
    let cpu0 = cpu_s(start);
    let tracker = run(&radars, &scans, GateIndex::Auto);
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_s(start) - cpu0;
    let confirmed: Vec<Vec3> =
        tracker.tracks().iter().filter(|t| t.is_confirmed()).map(|t| t.position().0).collect();
    let mut siap = Siap::new(1_000.0);
    siap.step(&alive, &confirmed);
    eprintln!(
        "at {DURATION_S} s: {} objects still flying, {} confirmed tracks; SIAP completeness {:.3}, spuriousness {:.3}, position accuracy {:.0} m; OSPA(c = 10 km, p = 1) {:.0} m",
        alive.len(),
        confirmed.len(),
        siap.completeness(),
        siap.spuriousness(),
        siap.position_accuracy(),
        ospa(&alive, &confirmed, 10_000.0, 1.0)
    );
    let confirmed = confirmed.len();
    eprintln!(
        "{OBJECTS} objects, {RADARS} radars, {DURATION_S} s: {} looks, {detections} detections, {confirmed} confirmed tracks at the end; tracking took {wall:.2} s wall, {cpu:.2} s CPU = {:.1} simulated s per CPU s",
        scans.len(),
        DURATION_S / cpu
    );
    // The same run with the other candidate searches: identical tracks, different time.
    for other in [GateIndex::AllPairs, GateIndex::RangeWindow] {
        let start = Instant::now();
        let c0 = cpu_s(start);
        let t = run(&radars, &scans, other);
        let (w, c) = (start.elapsed().as_secs_f64(), cpu_s(start) - c0);
        assert_eq!(t.tracks(), tracker.tracks(), "{other:?} gating changed the tracks");
        eprintln!(
            "same run, {other:?} gating: {w:.2} s wall, {c:.2} s CPU = {:.1} simulated s per CPU s; automatic gating is {:.2}x faster in CPU time ({:.2}x in wall time)",
            DURATION_S / c,
            c / cpu,
            w / wall
        );
    }
    let slice: Vec<Scan> = scans.iter().filter(|s| s.time_s <= 60.0).cloned().collect();
    let mut g = c.benchmark_group("tracker");
    g.sample_size(10);
    for gate in [GateIndex::Auto, GateIndex::RangeWindow, GateIndex::AllPairs] {
        g.bench_function(format!("1000 objects x 10 radars, first 60 s, {gate:?} gating"), |b| {
            b.iter(|| run(&radars, &slice, gate))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
