//! Runs the benchmark's interceptor-reach query many times, for profiling
//! (`valgrind --tool=callgrind target/release/examples/reach_profile`).

use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::coast::CoastOptions;
use shieldnet_flight::missile::{Boost, FlightPlan, Missile, fly};
use shieldnet_flight::{EarthModel, InterceptorKinematics, intercept_window};
use std::hint::black_box;

fn main() {
    let model = EarthModel::full(EarthRotation::at_julian_date(2_455_927.5));
    let plan = FlightPlan {
        reentry_beta_kg_m2: Some(50_000.0),
        miss_tolerance_m: 1_000.0,
        coast: CoastOptions::fast(),
        ..FlightPlan::new(model)
    };
    let threat = fly(
        &Geodetic::from_degrees(35.0, 51.0, 0.0),
        &Geodetic::from_degrees(50.0, 10.0, 0.0),
        0.0,
        &Boost::Staged(Missile::preset("irbm").expect("preset")),
        &plan,
    )
    .expect("threat flies")
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
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let start = std::time::Instant::now();
    let mut w = None;
    for _ in 0..n {
        w = black_box(intercept_window(black_box(&threat), &site, &kin, 60.0, &rot));
    }
    let w = w.expect("reachable");
    println!(
        "{n} queries, {:.2} µs each (wall); window {:.1}..{:.1} s",
        start.elapsed().as_secs_f64() * 1e6 / n as f64,
        w.earliest.t_s,
        w.latest.t_s
    );
}
