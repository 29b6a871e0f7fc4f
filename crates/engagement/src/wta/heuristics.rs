//! Heuristics: maximum marginal return (MMR), assignment-based construction, local search and the
//! very large neighbourhood search (VLNS, in [`super::lns`]) whose neighbourhood is solved exactly
//! as a linear assignment problem. All are deterministic (fixed seed, fixed iteration budgets).

use std::time::Instant;

use super::lap::solve_lap;
use super::lns::{VlnsParams, one_move_pass, one_moves, vlns_state};
use super::{Heuristic, Problem, SolveStats, State, WtaInstance, WtaSolution, relative_gap};

/// Runs one heuristic; the lower bound is [`lower_bound_identical`].
/// `deadline` only cuts the VLNS short (its exchange iterations stop once it has passed).
pub(crate) fn run(inst: &WtaInstance, h: Heuristic, deadline: Option<Instant>) -> WtaSolution {
    let mut time_limited = false;
    let assignment = match h {
        Heuristic::Mmr => mmr(inst),
        Heuristic::Assignment => assignment_construction(inst),
        Heuristic::LocalSearch => local_search(inst, &mmr(inst)),
        Heuristic::Vlns => {
            let p = Problem::new(inst);
            let mut s = construct(&p);
            time_limited = vlns_state(&p, &mut s, VlnsParams::for_problem(&p), deadline);
            s.assignment(&p)
        }
    };
    let objective = inst.objective_unchecked(&assignment);
    let lower_bound = lower_bound_identical(inst).min(objective);
    WtaSolution {
        assignment,
        objective,
        lower_bound,
        optimal: relative_gap(objective, lower_bound) <= super::OPTIMALITY_GAP,
        stats: SolveStats { time_limited, ..SolveStats::default() },
    }
}

/// Maximum marginal return: repeatedly fires the (round, target) pair with the largest gain
/// `V_j·Q_j·p_ij`. Optimal when `p_ij` depends only on the target (den Broeder et al. 1959).
pub fn mmr(inst: &WtaInstance) -> Vec<Vec<u32>> {
    let p = Problem::new(inst);
    let mut s = State::empty(&p);
    mmr_fill(&p, &mut s);
    s.assignment(&p)
}

/// Completes `s` greedily: repeatedly fires the free round with the largest marginal gain
/// `V_j·Q_j·p_ij`. Keeps, per target, the most effective type with rounds left, so a pick costs one
/// pass over the targets (ties: lowest target, then lowest type).
pub(crate) fn mmr_fill(p: &Problem, s: &mut State) {
    if p.t == 0 {
        return;
    }
    let mut left = vec![0u32; p.w];
    let mut free: Vec<Vec<usize>> = vec![Vec::new(); p.w];
    for (r, &j) in s.round_target.iter().enumerate() {
        if j == usize::MAX {
            left[s.round_type[r]] += 1;
            free[s.round_type[r]].push(r);
        }
    }
    free.iter_mut().for_each(|v| v.reverse());
    // Per target: up to LIST most effective types with rounds left, sorted by (q, type); `bt[j]`
    // is the first of them. A list that runs dry is rebuilt from all types.
    const LIST: usize = 16;
    let mut lists: Vec<Vec<usize>> = vec![Vec::with_capacity(LIST); p.t];
    let mut best: Vec<(f64, usize)> = Vec::with_capacity(LIST + 1);
    let mut rebuild = |j: usize, left: &[u32], list: &mut Vec<usize>| {
        best.clear();
        let mut worst = f64::INFINITY;
        for i in 0..p.w {
            let q = p.q(i, j);
            if left[i] > 0 && (q < worst || best.len() < LIST) {
                let pos = best.partition_point(|x| x.0 <= q);
                best.insert(pos, (q, i));
                best.truncate(LIST);
                if best.len() == LIST {
                    worst = best[LIST - 1].0;
                }
            }
        }
        list.clear();
        // Reversed so that the best type is popped from the end.
        list.extend(best.iter().rev().map(|x| x.1));
    };
    let mut bt = vec![usize::MAX; p.t];
    for j in 0..p.t {
        rebuild(j, &left, &mut lists[j]);
        bt[j] = lists[j].last().copied().unwrap_or(usize::MAX);
    }
    loop {
        let mut pick = (f64::NEG_INFINITY, usize::MAX);
        for j in 0..p.t {
            let i = bt[j];
            if i != usize::MAX {
                let g = p.v[j] * s.surv[j] * (1.0 - p.q(i, j));
                if g > pick.0 {
                    pick = (g, j);
                }
            }
        }
        let j = pick.1;
        if j == usize::MAX {
            break;
        }
        let i = bt[j];
        let r = free[i].pop().expect("free round");
        s.round_target[r] = j;
        s.surv[j] *= p.q(i, j);
        left[i] -= 1;
        if left[i] == 0 {
            for jj in 0..p.t {
                if bt[jj] == i {
                    let list = &mut lists[jj];
                    while list.last().is_some_and(|&k| left[k] == 0) {
                        list.pop();
                    }
                    if list.is_empty() {
                        rebuild(jj, &left, list);
                    }
                    bt[jj] = list.last().copied().unwrap_or(usize::MAX);
                }
            }
        }
    }
}

/// Lower bound of Ahuja et al. (2007): replace `p_ij` by `max_i p_ij`; MMR solves the relaxed
/// (identical-weapon) problem exactly, so its value bounds the optimum from below.
pub fn lower_bound_identical(inst: &WtaInstance) -> f64 {
    let t = inst.num_targets();
    let mut pbar = vec![0.0f64; t];
    for w in inst.weapons.iter().filter(|w| w.count > 0) {
        for j in 0..t {
            pbar[j] = pbar[j].max(w.pk[j]);
        }
    }
    let mut surv = vec![1.0f64; t];
    let n = inst.total_rounds();
    // Binary heap over targets by marginal gain (ties: lowest index).
    let mut heap: std::collections::BinaryHeap<(OrdF64, std::cmp::Reverse<usize>)> =
        (0..t).map(|j| (OrdF64(inst.target_values[j] * pbar[j]), std::cmp::Reverse(j))).collect();
    for _ in 0..n {
        let Some((g, std::cmp::Reverse(j))) = heap.pop() else { break };
        if g.0 <= 0.0 {
            break;
        }
        surv[j] *= 1.0 - pbar[j];
        heap.push((OrdF64(inst.target_values[j] * surv[j] * pbar[j]), std::cmp::Reverse(j)));
    }
    surv.iter().zip(&inst.target_values).map(|(s, v)| s * v).sum()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OrdF64(pub f64);
impl Eq for OrdF64 {}
impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for OrdF64 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// Assignment-based construction: repeated maximum-weight matchings of the remaining rounds to
/// targets (at most one new round per target per pass) with weights `V_j·Q_j·p_ij`.
pub fn assignment_construction(inst: &WtaInstance) -> Vec<Vec<u32>> {
    let p = Problem::new(inst);
    let mut s = State::empty(&p);
    assignment_fill(&p, &mut s);
    s.assignment(&p)
}

pub(crate) fn assignment_fill(p: &Problem, s: &mut State) {
    if p.t == 0 {
        return;
    }
    loop {
        let free: Vec<usize> =
            (0..s.round_target.len()).filter(|&r| s.round_target[r] == usize::MAX).collect();
        if free.is_empty() {
            break;
        }
        let gain = |r: usize, j: usize| -(p.v[j] * s.surv[j] * (1.0 - p.q(s.round_type[r], j)));
        let pairs: Vec<(usize, usize)> = if free.len() <= p.t {
            let a = solve_lap(free.len(), p.t, |a, j| gain(free[a], j));
            a.iter().enumerate().map(|(k, &j)| (free[k], j)).collect()
        } else {
            let a = solve_lap(p.t, free.len(), |j, b| gain(free[b], j));
            a.iter().enumerate().map(|(j, &b)| (free[b], j)).collect()
        };
        for (r, j) in pairs {
            s.round_target[r] = j;
            s.surv[j] *= p.q(s.round_type[r], j);
        }
    }
}

/// Local search from `start`: best-improvement 1-move (re-target one round) and swap (exchange the
/// targets of two rounds of different types) until no move improves. Unused rounds are first
/// assigned by MMR.
pub fn local_search(inst: &WtaInstance, start: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let p = Problem::new(inst);
    let mut s = State::from_assignment(&p, start);
    mmr_fill(&p, &mut s);
    improve(&p, &mut s);
    s.assignment(&p)
}

/// 1-move + swap descent on a complete state.
pub(crate) fn improve(p: &Problem, s: &mut State) {
    let n = s.round_target.len();
    let eps = 1e-12;
    let mut passes = 0;
    loop {
        passes += 1;
        let mut improved = one_move_pass(p, s, eps);
        // Swaps.
        for r1 in 0..n {
            let a = s.round_target[r1];
            let i1 = s.round_type[r1];
            for r2 in r1 + 1..n {
                let b = s.round_target[r2];
                let i2 = s.round_type[r2];
                if a == b || i1 == i2 {
                    continue;
                }
                let (qa1, qa2, qb1, qb2) = (p.q(i1, a), p.q(i2, a), p.q(i1, b), p.q(i2, b));
                let na = s.surv[a] / qa1 * qa2;
                let nb = s.surv[b] / qb2 * qb1;
                let delta = p.v[a] * (na - s.surv[a]) + p.v[b] * (nb - s.surv[b]);
                if delta < -eps * (p.v[a] * s.surv[a] + p.v[b] * s.surv[b] + 1e-300) {
                    s.round_target[r1] = b;
                    s.round_target[r2] = a;
                    s.surv[a] = na;
                    s.surv[b] = nb;
                    improved = true;
                    break;
                }
            }
        }
        if passes % 8 == 0 {
            s.refresh(p);
        }
        if !improved || passes > 1000 {
            break;
        }
    }
    s.refresh(p);
}

/// The full heuristic pipeline: construction, then the exchange search of [`super::lns`].
pub fn vlns(inst: &WtaInstance) -> Vec<Vec<u32>> {
    let p = Problem::new(inst);
    let mut s = construct(&p);
    vlns_state(&p, &mut s, VlnsParams::for_problem(&p), None);
    s.assignment(&p)
}

/// MMR followed by 1-moves; when the rounds fit in one assignment (rounds ≤ targets), also the
/// assignment construction followed by 1-moves, keeping the better.
pub(crate) fn construct(p: &Problem) -> State {
    let mut s = State::empty(p);
    mmr_fill(p, &mut s);
    one_moves(p, &mut s);
    if s.round_target.len() <= p.t {
        let mut a = State::empty(p);
        assignment_fill(p, &mut a);
        one_moves(p, &mut a);
        if a.objective(p) < s.objective(p) {
            s = a;
        }
    }
    s
}
