//! Kernels of the tracker and the threat assessment, each beside the form it replaced (the
//! baseline, timed in the same run): the 6×6 products of [`mat6`] against nalgebra's, the EKF
//! prediction, the transition matrix and the propagator.
//!
//! ```text
//! cargo bench -p shieldnet-tracking --bench kernels
//! # instructions per call (load-independent): one kernel, 100,000 calls, no criterion
//! SHIELDNET_KERNEL=predict valgrind --tool=callgrind target/release/deps/kernels-* --bench
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use shieldnet_tracking::{Cov6, State6, ekf, mat6, motion};
use std::hint::black_box;

fn state() -> State6 {
    State6::new(4.0e6, 3.0e6, 4.2e6, 1500.0, -2200.0, 800.0)
}

fn cov() -> Cov6 {
    let a = Cov6::from_fn(|i, j| ((i * 7 + j * 3) % 5) as f64 + if i == j { 4.0 } else { 0.0 });
    a * a.transpose() * 100.0
}

/// One call of a kernel.
type Kernel = Box<dyn Fn()>;

/// The kernels by name: (name, one call).
fn kernels() -> Vec<(&'static str, Kernel)> {
    let (x, p) = (state(), cov());
    let phi = motion::transition(&x, 2.0);
    vec![
        (
            "mul6",
            Box::new(move || {
                black_box(mat6::mul(black_box(&phi), black_box(&p)));
            }),
        ),
        (
            "mul6_nalgebra",
            Box::new(move || {
                black_box(black_box(phi) * black_box(p));
            }),
        ),
        (
            "transition",
            Box::new(move || {
                black_box(motion::transition(black_box(&x), 2.0));
            }),
        ),
        (
            "propagate_2s",
            Box::new(move || {
                black_box(motion::propagate(black_box(&x), 2.0));
            }),
        ),
        (
            "predict",
            Box::new(move || {
                black_box(ekf::predict(black_box(&x), black_box(&p), 2.0, 25.0));
            }),
        ),
    ]
}

fn bench(c: &mut Criterion) {
    if let Ok(name) = std::env::var("SHIELDNET_KERNEL") {
        if let Some((_, f)) = kernels().into_iter().find(|(n, _)| *n == name) {
            for _ in 0..100_000 {
                f();
            }
        }
        return;
    }
    let mut g = c.benchmark_group("kernels");
    for (name, f) in kernels() {
        g.bench_function(name, |b| b.iter(&f));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
