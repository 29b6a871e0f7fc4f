//! Gating one radar look of a threat complex: 2,000 objects (warheads, decoys, debris) inside a
//! 40-km sphere 1,200 km from the radar, each with a track (position σ 300 m) and a detection. The
//! objects share one range interval, so the range window holds hundreds of candidates per track
//! and the k-d tree's ball a few. Times every candidate search on the same look (all accept the same
//! pairs); the automatic choice should be the k-d tree here.
//!
//! ```text
//! cargo bench -p shieldnet-tracking --bench gating
//! SHIELDNET_GATE_ONCE=KdTree valgrind --tool=callgrind target/release/deps/gating-* --bench
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use nalgebra::{Matrix3, Vector3};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::{Ecef, Geodetic};
use shieldnet_tracking::filter::{self, Estimator, Projection};
use shieldnet_tracking::gating::{GateIndex, gate};
use shieldnet_tracking::measurement::{Meas3, SiteFrame};
use shieldnet_tracking::ukf::UkfParams;
use shieldnet_tracking::{Cov6, State6};

const OBJECTS: usize = 2_000;

/// One look at `OBJECTS` objects spread ±`along` m along the line of sight to the complex's centre
/// and ±`across` m across it, tracks off by up to `err` m with that position σ.
fn look(along: f64, across: f64, err: f64) -> (Vec<Projection>, Vec<(Meas3, Matrix3<f64>)>) {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let site = Geodetic::from_degrees(38.35, 37.79, 2_085.0);
    let frame = SiteFrame::new(&site);
    let centre = Geodetic::from_degrees(36.0, 50.0, 300e3).to_ecef().0;
    let los = (centre - frame.origin).normalize();
    let a1 = los.cross(&Vector3::z()).normalize();
    let a2 = los.cross(&a1);
    let r = Matrix3::from_diagonal(&Vector3::new(15.0f64.powi(2), 5e-4f64.powi(2), 5e-4f64.powi(2)));
    let mut projections = Vec::new();
    let mut meas = Vec::new();
    for _ in 0..OBJECTS {
        let p = centre
            + los * rng.random_range(-along..along)
            + a1 * rng.random_range(-across..across)
            + a2 * rng.random_range(-across..across);
        let la = Ecef(p).look_angles_from(&site);
        meas.push((
            Meas3::new(
                la.range_m + 15.0 * rng.random_range(-1.0..1.0),
                la.az_rad + 5e-4 * rng.random_range(-1.0..1.0),
                la.el_rad + 5e-4 * rng.random_range(-1.0..1.0),
            ),
            r,
        ));
        let e = Vector3::from_fn(|_, _| rng.random_range(-err..err));
        let x = State6::new(p.x + e.x, p.y + e.y, p.z + e.z, 0.0, 0.0, 0.0);
        let mut cov = Cov6::identity() * err.powi(2);
        for k in 3..6 {
            cov[(k, k)] = 100.0f64.powi(2);
        }
        projections.push(filter::project_in(Estimator::Ekf, &x, &cov, &frame, &UkfParams::default()));
    }
    (projections, meas)
}

fn bench(c: &mut Criterion) {
    let front = std::env::var("SHIELDNET_GATE_FRONT").is_ok();
    let (projections, meas) = if front { look(5e3, 400e3, 2e3) } else { look(20e3, 20e3, 300.0) };
    // For instruction counts (`valgrind --tool=callgrind`, load-independent): gate once with the
    // method named in SHIELDNET_GATE_ONCE (`none`: setup only) and stop.
    if let Ok(name) = std::env::var("SHIELDNET_GATE_ONCE") {
        let all = [GateIndex::AllPairs, GateIndex::RangeWindow, GateIndex::KdTree, GateIndex::Auto];
        if let Some(m) = all.into_iter().find(|m| format!("{m:?}") == name) {
            std::hint::black_box(gate(m, &projections, &meas, 16.27));
        }
        return;
    }
    let accepted: usize = gate(GateIndex::AllPairs, &projections, &meas, 16.27).iter().map(Vec::len).sum();
    eprintln!("{OBJECTS} tracks x {OBJECTS} detections in one look: {accepted} pairs in gate");
    let mut g = c.benchmark_group("gating one look of a 2000-object complex");
    g.sample_size(10);
    for method in [GateIndex::AllPairs, GateIndex::RangeWindow, GateIndex::KdTree, GateIndex::Auto] {
        g.bench_function(format!("{method:?}"), |b| b.iter(|| gate(method, &projections, &meas, 16.27)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
