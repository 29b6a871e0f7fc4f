//! Criterion benchmarks of the WTA solvers (single thread):
//! `cargo bench -p shieldnet-engagement --bench wta`.
//! Per-class gap/time tables: `cargo run --release -p shieldnet-engagement --example wta_report`.

use criterion::{Criterion, criterion_group, criterion_main};
use shieldnet_engagement::wta::{Heuristic, InstanceClass, SolveOptions, generate, solve};
use std::hint::black_box;

fn heuristics(c: &mut Criterion) {
    let mut g = c.benchmark_group("wta_heuristic");
    for (class, t) in [(InstanceClass::A, 80), (InstanceClass::B, 200)] {
        let inst = generate(class, t, 0);
        for h in [Heuristic::Mmr, Heuristic::Vlns] {
            let name = format!("{}_{}x{}_{}", class.label(), class.weapon_types(t), t, h.name());
            g.bench_function(name, |b| {
                b.iter(|| solve(black_box(&inst), &SolveOptions::heuristic(h)).unwrap())
            });
        }
    }
    g.finish();
}

fn exact(c: &mut Criterion) {
    let mut g = c.benchmark_group("wta_exact");
    g.sample_size(10);
    for (class, t) in [(InstanceClass::A, 80), (InstanceClass::B, 40)] {
        let inst = generate(class, t, 0);
        let name = format!("{}_{}x{}", class.label(), class.weapon_types(t), t);
        g.bench_function(name, |b| b.iter(|| solve(black_box(&inst), &SolveOptions::exact()).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, heuristics, exact);
criterion_main!(benches);
