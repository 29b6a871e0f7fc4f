//! Benchmark of one full run of the default scenario (`cargo bench -p shieldnet --bench default_run`).

use criterion::{Criterion, criterion_group, criterion_main};
use shieldnet_sim::scenario::load_builtin;
use shieldnet_sim::{RunOptions, run};

fn default_run(c: &mut Criterion) {
    let scn = load_builtin("epaa-2015").expect("built-in scenario loads");
    let mut group = c.benchmark_group("default_run");
    group.sample_size(10);
    group.bench_function("epaa-2015", |b| b.iter(|| run(&scn, &RunOptions::default()).expect("runs")));
    group.finish();
}

criterion_group!(benches, default_run);
criterion_main!(benches);
