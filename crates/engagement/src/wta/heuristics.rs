//! Heuristics: maximum marginal return (MMR), assignment-based construction, local search and a
//! very large neighbourhood search (VLNS) whose neighbourhood is solved exactly as a linear
//! assignment problem. All are deterministic (fixed seed, fixed iteration budgets).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::lap::solve_lap;
use super::{Heuristic, Problem, SolveStats, State, WtaInstance, WtaSolution, relative_gap};

/// Runs one heuristic; the lower bound is [`lower_bound_identical`].
pub(crate) fn run(inst: &WtaInstance, h: Heuristic) -> WtaSolution {
    let assignment = match h {
        Heuristic::Mmr => mmr(inst),
        Heuristic::Assignment => assignment_construction(inst),
        Heuristic::LocalSearch => local_search(inst, &mmr(inst)),
        Heuristic::Vlns => vlns(inst),
    };
    let objective = inst.objective_unchecked(&assignment);
    let lower_bound = lower_bound_identical(inst).min(objective);
    WtaSolution {
        assignment,
        objective,
        lower_bound,
        optimal: relative_gap(objective, lower_bound) <= super::OPTIMALITY_GAP,
        stats: SolveStats::default(),
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

/// Completes `s` greedily: every unassigned round goes to its best marginal target.
pub(crate) fn mmr_fill(p: &Problem, s: &mut State) {
    if p.t == 0 {
        return;
    }
    let mut left = vec![0u32; p.w];
    let mut first_free: Vec<Vec<usize>> = vec![Vec::new(); p.w];
    for (r, &j) in s.round_target.iter().enumerate() {
        if j == usize::MAX {
            left[s.round_type[r]] += 1;
            first_free[s.round_type[r]].push(r);
        }
    }
    first_free.iter_mut().for_each(|v| v.reverse());
    let best_of = |i: usize, surv: &[f64]| -> (f64, usize) {
        let mut best = (f64::NEG_INFINITY, 0);
        let row = &p.q[i * p.t..(i + 1) * p.t];
        for j in 0..p.t {
            let g = p.v[j] * surv[j] * (1.0 - row[j]);
            if g > best.0 {
                best = (g, j);
            }
        }
        best
    };
    let mut best: Vec<(f64, usize)> =
        (0..p.w).map(|i| if left[i] > 0 { best_of(i, &s.surv) } else { (f64::NEG_INFINITY, 0) }).collect();
    loop {
        let mut pick = usize::MAX;
        let mut g = f64::NEG_INFINITY;
        for i in 0..p.w {
            if left[i] > 0 && best[i].0 > g {
                g = best[i].0;
                pick = i;
            }
        }
        if pick == usize::MAX {
            break;
        }
        let j = best[pick].1;
        let r = first_free[pick].pop().expect("free round");
        s.round_target[r] = j;
        s.surv[j] *= p.q(pick, j);
        left[pick] -= 1;
        for i in 0..p.w {
            if left[i] > 0 && (best[i].1 == j || i == pick) {
                best[i] = best_of(i, &s.surv);
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
struct OrdF64(f64);
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
        let mut improved = false;
        // 1-moves.
        for r in 0..n {
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

/// Parameters of the VLNS.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VlnsParams {
    /// LAP neighbourhoods explored.
    pub iterations: usize,
    /// Targets per neighbourhood.
    pub subset: usize,
    /// RNG seed.
    pub seed: u64,
}

impl VlnsParams {
    pub fn for_problem(p: &Problem) -> Self {
        let n = p.count.iter().map(|&c| c as usize).sum::<usize>();
        let subset = p.t.clamp(1, 48);
        // Enough neighbourhoods that each target is drawn ~6 times.
        let iterations = (6 * p.t.max(n.min(4 * p.t)) / subset).clamp(8, 400);
        VlnsParams { iterations, subset, seed: 0x5EED_0001 }
    }
}

/// The full heuristic pipeline: MMR and assignment construction (when cheap), local search, then
/// VLNS over LAP neighbourhoods, then a final local search.
pub fn vlns(inst: &WtaInstance) -> Vec<Vec<u32>> {
    let p = Problem::new(inst);
    let mut s = construct(&p);
    let params = VlnsParams::for_problem(&p);
    vlns_state(&p, &mut s, params);
    s.assignment(&p)
}

/// Best of MMR + local search and (when it is a single LAP, i.e. rounds ≤ targets) assignment
/// construction + local search.
pub(crate) fn construct(p: &Problem) -> State {
    let mut s = State::empty(p);
    mmr_fill(p, &mut s);
    improve(p, &mut s);
    if s.round_target.len() <= p.t {
        let mut a = State::empty(p);
        assignment_fill(p, &mut a);
        improve(p, &mut a);
        if a.objective(p) < s.objective(p) {
            s = a;
        }
    }
    s
}

/// VLNS: repeatedly pick a random subset of targets, remove one round from some of them and
/// re-insert the removed rounds optimally (at most one per target of the subset) by solving a
/// linear assignment problem. The current solution is always feasible for the LAP, so the objective
/// never increases.
pub(crate) fn vlns_state(p: &Problem, s: &mut State, params: VlnsParams) {
    if p.t < 2 || s.round_target.is_empty() {
        return;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut targets: Vec<usize> = (0..p.t).collect();
    let mut rounds_at: Vec<Vec<usize>> = vec![Vec::new(); p.t];
    let mut best_obj = s.objective(p);
    let mut since_ls = 0;
    for it in 0..params.iterations {
        rounds_at.iter_mut().for_each(|v| v.clear());
        for (r, &j) in s.round_target.iter().enumerate() {
            rounds_at[j].push(r);
        }
        // Partial Fisher-Yates: first `m` entries become the subset.
        let m = params.subset.min(p.t);
        for k in 0..m {
            let pick = rng.random_range(k..p.t);
            targets.swap(k, pick);
        }
        let subset = &targets[..m];
        // Remove one round from most targets in the subset (leave some free so counts can change).
        let mut removed = Vec::with_capacity(m);
        for &j in subset {
            if rounds_at[j].is_empty() || (it % 2 == 1 && rng.random::<f64>() < 0.25) {
                continue;
            }
            let k = rng.random_range(0..rounds_at[j].len());
            let r = rounds_at[j][k];
            removed.push(r);
            s.surv[j] /= p.q(s.round_type[r], j);
        }
        if removed.is_empty() {
            continue;
        }
        let cost = |a: usize, b: usize| {
            let j = subset[b];
            -(p.v[j] * s.surv[j] * (1.0 - p.q(s.round_type[removed[a]], j)))
        };
        let assign = solve_lap(removed.len(), m, cost);
        for (a, &b) in assign.iter().enumerate() {
            let j = subset[b];
            let r = removed[a];
            s.round_target[r] = j;
            s.surv[j] *= p.q(s.round_type[r], j);
        }
        since_ls += 1;
        if since_ls >= 8 {
            s.refresh(p);
            improve(p, s);
            since_ls = 0;
        }
        let obj = s.objective(p);
        if obj < best_obj {
            best_obj = obj;
        }
    }
    s.refresh(p);
    improve(p, s);
}
