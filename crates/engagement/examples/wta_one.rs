//! Solves one generated instance exactly and prints the statistics (debug aid).
use shieldnet_engagement::wta::{InstanceClass, SolveOptions, generate, solve};
fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let class = match a[0].as_str() {
        "A" => InstanceClass::A,
        "B" => InstanceClass::B,
        "C" => InstanceClass::C,
        d => InstanceClass::D { mu: d[1..].parse().unwrap() },
    };
    let t: usize = a[1].parse().unwrap();
    let seed: u64 = a[2].parse().unwrap();
    let inst = generate(class, t, seed);
    if a.get(3).map(String::as_str) == Some("json") {
        println!("{}", shieldnet_engagement::wta::io::to_json(&inst));
        return;
    }
    let t0 = std::time::Instant::now();
    let s = solve(&inst, &SolveOptions::exact()).unwrap();
    println!(
        "obj {} lb {} optimal {} {:?} {:.1} ms",
        s.objective,
        s.lower_bound,
        s.optimal,
        s.stats,
        t0.elapsed().as_secs_f64() * 1e3
    );
}
