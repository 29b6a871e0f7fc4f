//! `shieldnet bench`: quick performance figures, each also given as a ratio to a fixed baseline
//! workload measured in the same process, so that figures from different machines or loads compare.
//! Times are the CPU time of the measuring thread (per core, whatever else the machine is doing). The
//! criterion benchmarks (`cargo bench`, wall clock) are the careful measurement; this is the quick look.

use clap::Args;
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::coast::CoastOptions;
use shieldnet_flight::missile::{Boost, FlightPlan, Missile, fly};
use shieldnet_flight::{BoostSpec, EarthModel, InterceptorKinematics, fly_threat, intercept_window};
use shieldnet_sim::scenario::load_builtin;
use shieldnet_sim::{RunOptions, run};
use std::hint::black_box;
use std::time::Instant;

/// Arguments of `shieldnet bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Repetitions of each measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub repeat: usize,
}

/// The baseline: 20,000 RK4 steps of a two-body orbit (pure floating-point work, no allocation).
fn baseline() {
    let (mut r, mut v) = ([7.0e6f64, 0.0, 0.0], [0.0f64, 7.5e3, 0.0]);
    let mu = 3.986_004_418e14;
    let acc = |p: [f64; 3]| {
        let d = (p[0] * p[0] + p[1] * p[1] + p[2] * p[2]).sqrt();
        let k = -mu / (d * d * d);
        [k * p[0], k * p[1], k * p[2]]
    };
    let h = 1.0;
    for _ in 0..20_000 {
        let add = |a: [f64; 3], b: [f64; 3], s: f64| [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
        let k1v = acc(r);
        let k1r = v;
        let k2v = acc(add(r, k1r, h / 2.0));
        let k2r = add(v, k1v, h / 2.0);
        let k3v = acc(add(r, k2r, h / 2.0));
        let k3r = add(v, k2v, h / 2.0);
        let k4v = acc(add(r, k3r, h));
        let k4r = add(v, k3v, h);
        for i in 0..3 {
            r[i] += h / 6.0 * (k1r[i] + 2.0 * k2r[i] + 2.0 * k3r[i] + k4r[i]);
            v[i] += h / 6.0 * (k1v[i] + 2.0 * k2v[i] + 2.0 * k3v[i] + k4v[i]);
        }
    }
    black_box((r, v));
}

/// CPU time used by the calling thread, s (on Linux; elsewhere the wall clock, so figures then include
/// time spent waiting for a core on a loaded machine).
#[cfg(target_os = "linux")]
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec we pass, which lives for the call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc == 0 { ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9 } else { wall_seconds() }
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_seconds() -> f64 {
    wall_seconds()
}

fn wall_seconds() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Median over `repeat` repetitions of the CPU time `f` takes on this thread, s.
fn median_seconds(repeat: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..repeat.max(1))
        .map(|_| {
            let s = thread_cpu_seconds();
            f();
            thread_cpu_seconds() - s
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// Runs the measurements and prints them; returns the exit code.
pub fn execute(args: BenchArgs) -> i32 {
    let scn = match load_builtin("epaa-2015") {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let base = median_seconds(args.repeat, baseline);
    let rotation = EarthRotation::at_julian_date(2_457_175.0);
    let boost = BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 130e3 };
    let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
    let aim = Geodetic::from_degrees(44.43, 26.10, 0.0);
    // The figure: full ICBM trajectories (WGS-84, rotating, J2, drag, adaptive DP5, impact
    // within 1 km), as in the criterion benchmark `icbm_burnout_state_full_model`.
    let icbm_plan = FlightPlan {
        reentry_beta_kg_m2: Some(50_000.0),
        miss_tolerance_m: 1_000.0,
        coast: CoastOptions::fast(),
        ..FlightPlan::new(EarthModel::full(EarthRotation::at_julian_date(2_455_927.5)))
    };
    let (icbm_launch, icbm_aim) =
        (Geodetic::from_degrees(54.0, 35.8, 0.0), Geodetic::from_degrees(38.9, -77.0, 0.0));
    let icbm_batch = 200;
    let icbm = median_seconds(args.repeat, || {
        for _ in 0..icbm_batch {
            black_box(fly(&icbm_launch, &icbm_aim, 0.0, &Boost::None, &icbm_plan).ok());
        }
    }) / icbm_batch as f64;
    // The interceptor-reach query, as in the criterion benchmark `intercept_window`: an
    // SM-3-like interceptor at Deveselu against an Iran–Germany IRBM.
    let irbm = Missile::preset("irbm").ok_or("no preset irbm".to_string()).and_then(|m| {
        let (from, to) = (Geodetic::from_degrees(35.0, 51.0, 0.0), Geodetic::from_degrees(50.0, 10.0, 0.0));
        fly(&from, &to, 0.0, &Boost::Staged(m), &icbm_plan).map_err(|e| e.to_string())
    });
    let reach_site = Geodetic::from_degrees(44.08, 24.41, 0.0).to_ecef();
    let kin = InterceptorKinematics {
        burnout_speed_m_s: 4_500.0,
        burn_time_s: 40.0,
        max_range_m: 1_500e3,
        min_alt_m: 70e3,
        max_alt_m: 1_500e3,
    };
    let reach_batch = 1_000;
    let reach = match &irbm {
        Ok(f) => {
            let rot = icbm_plan.model.rotation;
            median_seconds(args.repeat, || {
                for _ in 0..reach_batch {
                    black_box(intercept_window(&f.trajectory, &reach_site, &kin, 60.0, &rot));
                }
            }) / reach_batch as f64
        }
        Err(e) => {
            eprintln!("error: the benchmark's IRBM did not fly: {e}");
            return 1;
        }
    };
    let cases: Vec<(&str, f64)> = vec![
        ("interceptor reach query (intercept window)", reach),
        ("ICBM trajectory (full model, 8,000 km, 1 km)", icbm),
        (
            "threat trajectory (fly_threat, 2,000 km)",
            median_seconds(args.repeat, || {
                black_box(fly_threat(&launch, &aim, 0.0, &boost, &rotation).ok());
            }),
        ),
        (
            "default run, plain messages (campaign mode)",
            median_seconds(args.repeat, || {
                black_box(run(&scn, &RunOptions::default()).ok());
            }),
        ),
        (
            "default run, signed and audited messages",
            median_seconds(args.repeat, || {
                black_box(run(&scn, &RunOptions { audit: true, ..Default::default() }).ok());
            }),
        ),
    ];
    println!("baseline (20,000 RK4 two-body steps): {:.3} ms", base * 1e3);
    println!("{:<48} {:>12} {:>14}", "measurement", "median", "× baseline");
    for (name, t) in cases {
        println!("{name:<48} {:>9.3} ms {:>14.4}", t * 1e3, t / base);
    }
    println!("ICBM trajectories per second on one core: {:.0}", 1.0 / icbm);
    println!("interceptor reach query: {:.1} µs", reach * 1e6);
    0
}
