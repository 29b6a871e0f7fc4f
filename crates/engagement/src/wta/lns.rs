//! Very large neighbourhood search (VLNS) over cyclic exchanges, in the spirit of Ahuja et al.
//! (2007): each step removes one round from **every** target that has one and re-inserts all the
//! removed rounds optimally, at most one per target, by a linear assignment over all targets.
//!
//! The assignment is sparse: each removed round only considers the `k` targets where it beats the
//! round that target lost by the most (a column shift that leaves the assignment problem
//! unchanged), plus its own target, so putting everything back is always feasible and a step never
//! makes the objective worse. The column potentials start at the removed rounds' costs, which
//! makes the shortest-path searches short. Cost per step: `O(rounds·T)` to rank candidates plus
//! the sparse assignment. Each step is followed by best-improvement 1-moves (which can change how
//! many rounds a target gets).

use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::lap::{SparseRows, solve_sparse_lap};
use super::{Problem, State};

/// Parameters of the VLNS.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VlnsParams {
    /// Exchange steps.
    pub iterations: usize,
    /// Candidate targets per removed round.
    pub candidates: usize,
    /// RNG seed (which round each target gives up).
    pub seed: u64,
}

impl VlnsParams {
    /// Default budget: about 640,000 (round, target) candidate evaluations, i.e. 8 exchange steps
    /// on 400 rounds × 200 targets, at least 6 and at most 40 steps; 8 candidates per round.
    /// (Measured with `examples/wta_report.rs`: mean gap ≈ 0.2 % on the 400 × 200 class B.)
    pub fn for_problem(p: &Problem) -> Self {
        let rounds = p.count.iter().map(|&c| c as usize).sum::<usize>().max(1);
        let iterations = (640_000 / (rounds * p.t.max(1))).clamp(6, 40);
        VlnsParams { iterations, candidates: 8, seed: 0x5EED_0001 }
    }
}

/// Runs the exchange steps on a complete state. Returns true when `deadline` cut it short.
pub(crate) fn vlns_state(p: &Problem, s: &mut State, params: VlnsParams, deadline: Option<Instant>) -> bool {
    if p.t < 2 || s.round_target.is_empty() {
        return false;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut work = Work { rounds_at: vec![Vec::new(); p.t], adj: SparseRows::default() };
    let mut cut = false;
    let multi = p.count.iter().any(|&c| c > 1);
    for it in 0..params.iterations {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            cut = true;
            break;
        }
        // With multi-round types, every other step leaves a quarter of the targets untouched so
        // that they can gain a round (round counts shift); with one round per type (classes A/B/C)
        // full steps measured better.
        let keep_prob = if multi && it % 2 == 1 { 0.25 } else { 0.0 };
        exchange(p, s, &mut rng, &mut work, params.candidates, keep_prob);
        s.refresh(p);
        one_moves(p, s);
    }
    s.refresh(p);
    if multi {
        // Swaps between rounds of different types (measured to help the multi-round classes).
        super::heuristics::improve(p, s);
    }
    cut
}

/// Buffers reused across exchange steps.
struct Work {
    rounds_at: Vec<Vec<usize>>,
    adj: SparseRows,
}

/// One exchange step (see the module documentation).
fn exchange(p: &Problem, s: &mut State, rng: &mut ChaCha8Rng, work: &mut Work, k: usize, keep_prob: f64) {
    let rounds_at = &mut work.rounds_at;
    rounds_at.iter_mut().for_each(|v| v.clear());
    for (r, &j) in s.round_target.iter().enumerate() {
        if j != usize::MAX {
            rounds_at[j].push(r);
        }
    }
    let mut removed = Vec::with_capacity(p.t);
    for j in 0..p.t {
        if rounds_at[j].is_empty() || (keep_prob > 0.0 && rng.random::<f64>() < keep_prob) {
            continue;
        }
        let r = rounds_at[j][rng.random_range(0..rounds_at[j].len())];
        removed.push(r);
        s.surv[j] /= p.q(s.round_type[r], j);
    }
    let k = k.clamp(1, p.t);
    // Column shift: each target's cost with its own removed round back (0 for targets without).
    let mut shift = vec![0.0f64; p.t];
    for &r in &removed {
        let j = s.round_target[r];
        shift[j] = -(p.v[j] * s.surv[j] * (1.0 - p.q(s.round_type[r], j)));
    }
    // Per-target factor of the gain `V_j·Q_j` (after the removal).
    let base: Vec<f64> = (0..p.t).map(|j| p.v[j] * s.surv[j]).collect();
    let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
    let adj = &mut work.adj;
    adj.clear();
    for &r in &removed {
        let i = s.round_type[r];
        let row = &p.q[i * p.t..(i + 1) * p.t];
        let home = s.round_target[r];
        // The k smallest shifted costs, kept sorted (ties: lower target first).
        best.clear();
        let mut worst = f64::INFINITY;
        for j in 0..p.t {
            let score = base[j] * (row[j] - 1.0) - shift[j];
            if score < worst || best.len() < k {
                let pos = best.partition_point(|x| x.0 <= score);
                best.insert(pos, (score, j));
                best.truncate(k);
                if best.len() == k {
                    worst = best[k - 1].0;
                }
            }
        }
        adj.edges.extend(best.iter().map(|&(c, j)| (j, c + shift[j])));
        if !best.iter().any(|&(_, j)| j == home) {
            adj.edges.push((home, shift[home]));
        }
        adj.end_row();
    }
    // Warm potentials are exact only for a square problem (see `solve_sparse_lap`).
    let v0 = (removed.len() == p.t).then_some(&shift[..]);
    let keep = match solve_sparse_lap(p.t, adj, v0) {
        Some(assign) => {
            let cost_of = |a: usize, j: usize| adj.row(a).iter().find(|x| x.0 == j).map_or(0.0, |x| x.1);
            let new_cost: f64 = assign.iter().enumerate().map(|(a, &j)| cost_of(a, j)).sum();
            let old_cost: f64 = removed.iter().map(|&r| shift[s.round_target[r]]).sum();
            // Keep the new placement only if it is no worse than putting every round back.
            (new_cost <= old_cost).then_some(assign)
        }
        None => None,
    };
    for (a, &r) in removed.iter().enumerate() {
        let j = keep.as_ref().map_or(s.round_target[r], |x| x[a]);
        s.round_target[r] = j;
        s.surv[j] *= p.q(s.round_type[r], j);
    }
}

/// Best-improvement 1-moves (re-target one round) until none improves (at most 100 passes).
pub(crate) fn one_moves(p: &Problem, s: &mut State) {
    for _ in 0..100 {
        if !one_move_pass(p, s, 1e-12) {
            break;
        }
    }
}

/// One pass of best-improvement 1-moves over every assigned round: each is re-targeted where it
/// lowers the expected surviving value by more than `eps` (relative). Whether any round moved.
pub(crate) fn one_move_pass(p: &Problem, s: &mut State, eps: f64) -> bool {
    let mut improved = false;
    for r in 0..s.round_target.len() {
        let a = s.round_target[r];
        if a == usize::MAX {
            continue;
        }
        let i = s.round_type[r];
        let row = &p.q[i * p.t..(i + 1) * p.t];
        let s_a_without = s.surv[a] / row[a];
        let loss = p.v[a] * (s_a_without - s.surv[a]);
        let mut best = (eps * (1.0 + loss), usize::MAX);
        for b in 0..p.t {
            if b != a {
                let g = p.v[b] * s.surv[b] * (1.0 - row[b]) - loss;
                if g > best.0 {
                    best = (g, b);
                }
            }
        }
        if best.1 != usize::MAX {
            let b = best.1;
            s.round_target[r] = b;
            s.surv[a] = s_a_without;
            s.surv[b] *= row[b];
            improved = true;
        }
    }
    improved
}
