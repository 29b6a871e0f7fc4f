//! Criterion benchmarks of the reach sweep.
//!
//! `sweep_10k_x5x10`: 10,000 minimum-energy ICBM trajectories (100 launch points over western and
//! central Russia × 100 aim points over the United States, flown once in setup) × 5 sites × 10
//! burnout speeds (2.0..6.5 km/s), one delay (60 s), 10 s grid — the speed target (< 30 s on
//! 2 cores). `reach_pair_7_speeds`: one (site, trajectory) pair with the study's 7 speeds.
//!
//! `cargo bench -p shieldnet-analysis --bench sweep`

use criterion::{Criterion, criterion_group, criterion_main};
use shieldnet_analysis::study::{self, NamedPoint, Study};
use shieldnet_analysis::sweep::{self, DEFAULT_STEP_S};
use std::hint::black_box;

fn big_study() -> Study {
    let mut s = study::builtin("russia-us").unwrap();
    let launches: Vec<NamedPoint> = (0..100)
        .map(|i| NamedPoint::new(&format!("L{i}"), 50.0 + (i / 10) as f64, 30.0 + 6.0 * (i % 10) as f64))
        .collect();
    let aims: Vec<NamedPoint> = (0..100)
        .map(|i| {
            NamedPoint::new(&format!("A{i}"), 32.0 + 2.0 * (i / 10) as f64, -124.0 + 5.5 * (i % 10) as f64)
        })
        .collect();
    s.threats = study::threats(&launches, &aims);
    s.sites.push(study::parse_site("Barents Sea ship=72.0,30.0").unwrap());
    s.burnout_speeds_m_s = (0..10).map(|i| 2_000.0 + 500.0 * i as f64).collect();
    s
}

fn bench(c: &mut Criterion) {
    let rot = sweep::rotation();
    let small = study::builtin("russia-us").unwrap();
    let small_tr = sweep::fly_all(&small.threats, &rot).unwrap();
    c.bench_function("reach_pair_7_speeds", |b| {
        b.iter(|| {
            sweep::pair_rows(
                &small.sites[2],
                &small.threats[0],
                black_box(&small_tr[0]),
                &small.burnout_speeds_m_s,
                &small.delays_s,
                &small.envelope,
                &rot,
                DEFAULT_STEP_S,
            )
        })
    });
    let s = big_study();
    let tr = sweep::fly_all(&s.threats, &rot).unwrap();
    assert_eq!(tr.len(), 10_000);
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10);
    g.bench_function("sweep_10k_x5x10", |b| {
        b.iter(|| {
            let rows = sweep::sweep(black_box(&s), &tr, &rot, DEFAULT_STEP_S);
            assert_eq!(rows.len(), 10_000 * 5 * 10);
            rows
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
