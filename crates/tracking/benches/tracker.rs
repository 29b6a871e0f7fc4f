//! Tracking benchmark: 1,000 ballistic objects seen by 10 radars for 600 simulated seconds (every
//! radar all-round, 2 s revisit, Pd 0.9, 2 false alarms per look). Detections are generated before
//! timing; only `Tracker::process_scan` is timed. Prints simulated seconds per wall second for the
//! whole run (one party holding all 10 radars, EKF + GNN, the default), then lets criterion time a
//! 60-s slice.
//!
//! ```text
//! cargo bench -p shieldnet-tracking --bench tracker
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::{Ecef, Geodetic, Vec3};
use shieldnet_sensors::{Radar, RadarSpec, Scan};
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

fn run(radars: &[Radar], scans: &[Scan]) -> Tracker {
    let mut tracker = Tracker::new(TrackerConfig::default());
    for s in scans {
        tracker.process_scan(s, &radars[s.radar as usize]);
    }
    tracker
}

fn bench(c: &mut Criterion) {
    let (radars, scans, alive) = scenario();
    let detections: usize = scans.iter().map(|s| s.detections.len()).sum();
    let start = Instant::now();
    let tracker = run(&radars, &scans);
    let wall = start.elapsed().as_secs_f64();
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
        "{OBJECTS} objects, {RADARS} radars, {DURATION_S} s: {} looks, {detections} detections, {confirmed} confirmed tracks at the end; tracking took {wall:.2} s wall = {:.1} simulated s per wall s",
        scans.len(),
        DURATION_S / wall
    );
    let slice: Vec<Scan> = scans.iter().filter(|s| s.time_s <= 60.0).cloned().collect();
    let mut g = c.benchmark_group("tracker");
    g.sample_size(10);
    g.bench_function("1000 objects x 10 radars, first 60 s", |b| b.iter(|| run(&radars, &slice)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
