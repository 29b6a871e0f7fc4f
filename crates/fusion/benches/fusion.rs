//! Track-to-track fusion benchmark: 1,000 partner tracks against 1,000 local tracks per update
//! (issue 5's goal: under 5 ms), on realistic data (`tests/common/theatre.rs`: a theatre of raids,
//! radar-like covariances, reports 0–5 s old; 70 % of the objects seen by both parties).
//!
//! First prints one figure measured in this run: the full update (`Fuser::picture`: prediction of
//! both track sets to the picture time, association, fusion) with the spatial pre-gate and with the
//! all-pairs association it replaced, and their ratio; then criterion times each variant and the
//! association step alone.
//!
//! ```text
//! cargo bench -p shieldnet-fusion --bench fusion
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use shieldnet_fusion::association::{assign_all_pairs, assign_pregated};
use shieldnet_fusion::{Fuser, FusionRule};
use shieldnet_tracking::Track;
use std::hint::black_box;
use std::time::Instant;

#[path = "../tests/common/theatre.rs"]
mod theatre;

const N: usize = 1_000;
const GATE: f64 = 16.27;
const Q: f64 = 1.0;

fn fuser(partner: &theatre::Tracks, local: &[&Track], pregate: bool) -> Fuser {
    let mut f = Fuser::new(Q, 30.0).with_rule(FusionRule::CiTrace).with_pregate(pregate);
    for (t, r) in partner.as_reports() {
        f.ingest("RUS", t, &r, theatre::NOW_S);
    }
    // One update first, so that timed updates run in the steady state (pairings held).
    f.picture(theatre::NOW_S, local);
    f
}

/// CPU time of this process (user + system), s, from /proc (Linux; `None` elsewhere). On a machine
/// shared with other jobs the wall clock overstates the cost; CPU time does not.
fn cpu_time_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Mean wall and CPU time of one call, ms (CPU time resolution 10 ms over all `reps` calls).
fn mean_ms(mut f: impl FnMut(), reps: u32) -> (f64, f64) {
    f();
    let (t0, c0) = (Instant::now(), cpu_time_s());
    for _ in 0..reps {
        f();
    }
    let wall = t0.elapsed().as_secs_f64() * 1e3 / reps as f64;
    let cpu = match (c0, cpu_time_s()) {
        (Some(a), Some(b)) => (b - a) * 1e3 / reps as f64,
        _ => f64::NAN,
    };
    (wall, cpu)
}

fn summary() {
    let (local, partner) = theatre::theatre(N, 0.7, 2011);
    let local = local.as_local();
    let refs: Vec<&Track> = local.iter().collect();
    let mut gated = fuser(&partner, &refs, true);
    let mut all = fuser(&partner, &refs, false);
    let a = gated.picture(theatre::NOW_S, &refs);
    let b = all.picture(theatre::NOW_S, &refs);
    assert_eq!(a, b, "the pre-gated picture differs from the all-pairs one");
    let fused = a.iter().filter(|f| f.local.is_some() && !f.partners.is_empty()).count();
    let (w_gated, c_gated) = mean_ms(|| drop(black_box(gated.picture(theatre::NOW_S, &refs))), 200);
    let (w_all, c_all) = mean_ms(|| drop(black_box(all.picture(theatre::NOW_S, &refs))), 5);
    println!(
        "fusion update, {N} partner × {N} local tracks ({fused} pairs fused), mean per update:\n  \
         pre-gated  {c_gated:7.2} ms CPU ({w_gated:7.2} ms wall)\n  \
         all pairs  {c_all:7.2} ms CPU ({w_all:7.2} ms wall)\n  \
         speed-up   {:.1}× CPU ({:.1}× wall)",
        c_all / c_gated,
        w_all / w_gated
    );
}

fn bench(c: &mut Criterion) {
    summary();
    let (local, partner) = theatre::theatre(N, 0.7, 2011);
    let local_tracks = local.as_local();
    let refs: Vec<&Track> = local_tracks.iter().collect();
    let mut gated = fuser(&partner, &refs, true);
    c.bench_function("picture 1000x1000 pre-gated", |b| b.iter(|| gated.picture(theatre::NOW_S, &refs)));
    let p = partner.predicted(theatre::NOW_S, Q);
    let l = local.predicted(theatre::NOW_S, Q);
    c.bench_function("association 1000x1000 pre-gated", |b| {
        b.iter(|| assign_pregated(&p, &l, GATE, |_, _, d2| d2))
    });
    let mut group = c.benchmark_group("baseline");
    group.sample_size(10);
    group.bench_function("association 1000x1000 all pairs", |b| {
        b.iter(|| assign_all_pairs(&p, &l, GATE, |_, _, d2| d2))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
