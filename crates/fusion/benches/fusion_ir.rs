//! The fusion benchmark's update as a fixed workload for instruction counting (no timing, no
//! criterion): builds issue 5's 1,000 × 1,000 theatre (`tests/common/theatre.rs`), runs one update to
//! reach the steady state, then `UPDATES` more. Count the instructions of `Fuser::picture` with
//!
//! ```text
//! cargo bench -p shieldnet-fusion --bench fusion_ir --no-run
//! valgrind --tool=callgrind --toggle-collect='*Fuser*picture*' \
//!     target/release/deps/fusion_ir-<hash> --bench
//! ```
//!
//! and divide the total by `UPDATES` + 1: load-independent, unlike the timings of `benches/fusion.rs`.

use shieldnet_fusion::{Fuser, FusionRule};
use shieldnet_tracking::Track;
use std::hint::black_box;

#[path = "../tests/common/theatre.rs"]
mod theatre;

const N: usize = 1_000;
const UPDATES: usize = 9;

fn main() {
    let (local, partner) = theatre::theatre(N, 0.7, 2011);
    let local = local.as_local();
    let refs: Vec<&Track> = local.iter().collect();
    let mut fuser = Fuser::new(1.0, 30.0).with_rule(FusionRule::CiTrace);
    for (t, r) in partner.as_reports() {
        fuser.ingest("RUS", t, &r, theatre::NOW_S);
    }
    let mut fused = 0;
    for _ in 0..=UPDATES {
        let picture = black_box(fuser.picture(theatre::NOW_S, &refs));
        fused = picture.iter().filter(|f| f.local.is_some() && !f.partners.is_empty()).count();
    }
    println!("{} updates of {N} partner × {N} local tracks, {fused} pairs fused", UPDATES + 1);
}
