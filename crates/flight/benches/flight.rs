//! Criterion benchmarks: full ICBM trajectories (WGS-84, rotating, J2, drag, adaptive DP5, impact
//! within 1 km of the aim point) and the interceptor-reach query.
//!
//! `cargo bench -p shieldnet-flight --bench flight`

use criterion::{Criterion, criterion_group, criterion_main};
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::coast::CoastOptions;
use shieldnet_flight::missile::{Boost, FlightPlan, Missile, fly};
use shieldnet_flight::{EarthModel, InterceptorKinematics, intercept_window};
use std::hint::black_box;

fn plan() -> FlightPlan {
    let model = EarthModel::full(EarthRotation::at_julian_date(2_455_927.5));
    FlightPlan {
        reentry_beta_kg_m2: Some(50_000.0),
        miss_tolerance_m: 1_000.0,
        coast: CoastOptions::fast(),
        ..FlightPlan::new(model)
    }
}

fn bench(c: &mut Criterion) {
    let plan = plan();
    let launch = Geodetic::from_degrees(54.0, 35.8, 0.0);
    let aim = Geodetic::from_degrees(38.9, -77.0, 0.0);
    c.bench_function("icbm_burnout_state_full_model", |b| {
        b.iter(|| fly(black_box(&launch), black_box(&aim), 0.0, &Boost::None, &plan).unwrap())
    });
    let icbm = Boost::Staged(Missile::preset("icbm-solid").unwrap());
    let boosted = FlightPlan { boost_step_s: 1.0, ..plan };
    c.bench_function("icbm_staged_boost_full_model", |b| {
        b.iter(|| fly(black_box(&launch), black_box(&aim), 0.0, &icbm, &boosted).unwrap())
    });
    let threat = fly(
        &Geodetic::from_degrees(35.0, 51.0, 0.0),
        &Geodetic::from_degrees(50.0, 10.0, 0.0),
        0.0,
        &Boost::Staged(Missile::preset("irbm").unwrap()),
        &plan,
    )
    .unwrap()
    .trajectory;
    let site = Geodetic::from_degrees(44.08, 24.41, 0.0).to_ecef();
    let kin = InterceptorKinematics {
        burnout_speed_m_s: 4_500.0,
        burn_time_s: 40.0,
        max_range_m: 1_500e3,
        min_alt_m: 70e3,
        max_alt_m: 1_500e3,
    };
    let rot = plan.model.rotation;
    c.bench_function("intercept_window", |b| {
        b.iter(|| intercept_window(black_box(&threat), &site, &kin, 60.0, &rot).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
