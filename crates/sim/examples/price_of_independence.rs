//! Prints the price of independence on a scenario: per mode, mean leakers, interceptors spent, double
//! engagements and uncovered threats over seeded runs, and the extra leakers against the joint
//! optimum M5.
//!
//! ```text
//! cargo run --release -p shieldnet-sim --example price_of_independence -- [SCENARIO] [--seeds N]
//! ```

use shieldnet_sim::independence::price_of_independence;
use shieldnet_sim::scenario::{Mode, load_builtin, load_file};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut name = "epaa-2015".to_string();
    let mut n = 5u64;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--seeds" {
            n = args.get(i + 1).ok_or("--seeds needs a number")?.parse()?;
            i += 2;
        } else {
            name = args[i].clone();
            i += 1;
        }
    }
    let scn =
        if name.ends_with(".toml") { load_file(std::path::Path::new(&name))? } else { load_builtin(&name)? };
    let seeds: Vec<u64> = (1..=n).collect();
    let prices = price_of_independence(&scn, &[Mode::M0, Mode::M2, Mode::M3, Mode::M4], &seeds)?;
    println!("scenario {name}, {n} seeds");
    println!("mode   leakers  interceptors  double  uncovered  price (leakers over M5)");
    for p in prices {
        let f = &p.figures;
        println!(
            "{:<5} {:>8.2} {:>13.2} {:>7.2} {:>10.2} {:>+10.2}",
            format!("{:?}", f.mode),
            f.leakers,
            f.interceptors,
            f.double_engagements,
            f.uncovered,
            p.extra_leakers
        );
    }
    Ok(())
}
