//! Exact solver: Lagrangian relaxation of the weapon counts (equal to the LP bound of the
//! target-column formulation), reduced-cost column enumeration and a branch and bound over
//! targets on the enumerated columns.
//!
//! 1. An incumbent comes from the VLNS heuristic.
//! 2. Dualising `Σ_j x_ij ≤ c_i` with prices `λ_i ≥ 0` splits the problem by target:
//!    `L(λ) = Σ_j g_j(λ) − Σ_i λ_i c_i`, `g_j(λ) = min_x V_j Π_i q_ij^{x_i} + Σ_i λ_i x_i`. Every
//!    `L(λ)` is a lower bound. The per-target "pricing" problem is solved exactly by a depth-first
//!    search over multisets of rounds with a convexity bound; `λ` is improved by projected
//!    subgradient steps (Polyak step towards the incumbent).
//! 3. For any feasible `x` with columns `S_j`: `F(x) = L(λ) + Σ_j rc_j(S_j) + Σ_i λ_i·slack_i`,
//!    all terms non-negative, where `rc_j(S) = V_j Π q + λ·n(S) − g_j(λ)`. So every solution better
//!    than the incumbent `UB` only uses columns with `rc ≤ UB − L(λ)`; these are enumerated.
//! 4. A depth-first branch and bound picks one column per target (most constrained target first,
//!    bound = sum over open targets of their cheapest still-feasible column). When it finishes,
//!    every solution cheaper than `UB·(1 − 1e-7)` has been found, so `LB = UB·(1 − 1e-7)` is
//!    certified and the gap is ≤ 1e-7 < [`OPTIMALITY_GAP`](super::OPTIMALITY_GAP).

use std::time::Instant;

use super::heuristics::{construct, improve, mmr_fill};
use super::lns::{VlnsParams, vlns_state};
use super::lp::{LpColumn, Master};
use super::{OPTIMALITY_GAP, Problem, SolveStats, State, WtaInstance, WtaSolution, relative_gap};

/// Margin of the final branch and bound (relative to the incumbent).
const BB_MARGIN: f64 = 1e-7;
/// Maximum number of enumerated columns before giving up on certification.
const MAX_COLUMNS: usize = 20_000_000;

/// Solves `instance` to proven optimality (no time limit). The instance must be valid.
pub fn solve_exact(instance: &WtaInstance) -> WtaSolution {
    solve_exact_with_deadline(instance, None)
}

struct Deadline {
    at: Option<Instant>,
    hit: bool,
    ticks: u32,
}

impl Deadline {
    fn check(&mut self) -> bool {
        if self.hit {
            return true;
        }
        if let Some(at) = self.at {
            self.ticks += 1;
            if self.ticks >= 256 {
                self.ticks = 0;
                self.hit = Instant::now() >= at;
            }
        }
        self.hit
    }
    fn check_now(&mut self) -> bool {
        self.ticks = 255;
        self.check()
    }
}

pub(crate) fn solve_exact_with_deadline(inst: &WtaInstance, deadline: Option<Instant>) -> WtaSolution {
    let p = Problem::new(inst);
    let mut dl = Deadline { at: deadline, hit: false, ticks: 0 };
    let mut stats = SolveStats::default();

    // Incumbent.
    let mut s = construct(&p);
    vlns_state(&p, &mut s, VlnsParams::for_problem(&p), None);
    let mut best = s.assignment(&p);
    let mut ub = s.objective(&p);

    let finish = |assignment: Vec<Vec<u32>>, lb: f64, stats: SolveStats| {
        let objective = inst.objective_unchecked(&assignment);
        // Internal q's were clamped at Q_MIN; widen the bound accordingly (only if it happened).
        let lb = if p.clamped { lb - super::Q_MIN * p.v.iter().sum::<f64>() } else { lb };
        let lower_bound = lb.min(objective).max(0.0);
        let optimal = relative_gap(objective, lower_bound) <= OPTIMALITY_GAP && !stats.time_limited;
        WtaSolution { assignment, objective, lower_bound, optimal, stats }
    };

    if ub <= 0.0 || p.t == 0 || s.round_target.is_empty() {
        return finish(best, ub, stats);
    }

    // Lagrangian dual by column generation: the restricted master LP gives prices, exact pricing
    // gives the bound L(λ) and new columns.
    let mut pricer = Pricer::new(&p);
    let mut pool: Vec<LpColumn> =
        (0..p.t).map(|j| LpColumn { target: j, items: Vec::new(), cost: p.v[j] }).collect();
    // Each target's most effective single rounds (the rest enter by pricing when needed).
    const SINGLES: usize = 12;
    for j in 0..p.t {
        let mut singles: Vec<usize> = (0..p.w).filter(|&i| p.count[i] > 0 && p.q(i, j) < 1.0).collect();
        singles.sort_by(|&a, &b| p.q(a, j).total_cmp(&p.q(b, j)).then(a.cmp(&b)));
        for &i in singles.iter().take(SINGLES) {
            pool.push(LpColumn { target: j, items: vec![(i, 1)], cost: p.v[j] * p.q(i, j) });
        }
    }
    {
        let a = s.assignment(&p);
        for j in 0..p.t {
            let items: Vec<(usize, u32)> = (0..p.w).filter(|&i| a[i][j] > 0).map(|i| (i, a[i][j])).collect();
            if items.len() > 1 || items.first().is_some_and(|x| x.1 > 1) {
                let cost = p.v[j] * items.iter().map(|&(i, m)| p.q(i, j).powi(m as i32)).product::<f64>();
                pool.push(LpColumn { target: j, items, cost });
            }
        }
    }
    let mut master = Master::new(p.t, &p.count, pool);
    let mut cols: Vec<Vec<(usize, u32)>> = vec![Vec::new(); p.t];
    let scale = p.v.iter().sum::<f64>().max(1e-300);
    // Stabilised (Wentges-smoothed) column generation: price at a convex combination of the best
    // prices so far (the centre) and the LP duals.
    let mut center = initial_prices(&p, &s);
    let mut best_lambda = center.clone();
    let mut best_l = lagrangian(&mut pricer, &p, &center, &mut cols);
    let mut alpha = 0.5;
    for it in 0..10_000 {
        if dl.check_now() {
            stats.time_limited = true;
            break;
        }
        stats.dual_iterations = it + 1;
        master.optimize(1_000_000);
        let pi = master.duals();
        let lam_lp: Vec<f64> = (0..p.w).map(|i| (-pi[p.t + i]).max(0.0)).collect();
        let mut sep_alpha = alpha;
        let mut added;
        let mut l;
        loop {
            let lam: Vec<f64> =
                (0..p.w).map(|i| sep_alpha * center[i] + (1.0 - sep_alpha) * lam_lp[i]).collect();
            l = 0.0;
            added = 0;
            for j in 0..p.t {
                let (g, col, f) = pricer.best(j, &lam);
                l += g;
                let rc_lp = f + col.iter().map(|&(i, m)| lam_lp[i] * m as f64).sum::<f64>() - pi[j];
                if rc_lp < -1e-10 * scale {
                    master.add_column(LpColumn { target: j, items: col.clone(), cost: f });
                    added += 1;
                }
                cols[j] = col;
            }
            for i in 0..p.w {
                l -= lam[i] * p.count[i] as f64;
            }
            if l > best_l {
                best_l = l;
                best_lambda.clone_from(&lam);
            }
            if added > 0 || sep_alpha == 0.0 {
                break;
            }
            // Mis-pricing: move the centre and try closer to the LP duals.
            center = lam;
            sep_alpha = if sep_alpha < 0.1 { 0.0 } else { 0.5 * sep_alpha };
        }
        if l >= best_l {
            center.clone_from(&best_lambda);
        }
        alpha = if sep_alpha == 0.0 { 0.0 } else { alpha };
        // Incumbent from the LP solution: each target's largest column, repaired.
        {
            let mut lp_cols: Vec<(f64, usize)> = vec![(-1.0, usize::MAX); p.t];
            for (k, y) in master.primal() {
                let j = master.cols[k].target;
                if y > lp_cols[j].0 {
                    lp_cols[j] = (y, k);
                }
            }
            let chosen: Vec<Vec<(usize, u32)>> = lp_cols
                .iter()
                .map(|&(_, k)| if k == usize::MAX { Vec::new() } else { master.cols[k].items.clone() })
                .collect();
            let (a, v) = repair(&p, &chosen);
            if v < ub {
                ub = v;
                best = a;
            }
        }
        if it % 5 == 0 {
            let (a, v) = repair(&p, &cols);
            if v < ub {
                ub = v;
                best = a;
            }
        }
        if added == 0 || relative_gap(ub, best_l) <= BB_MARGIN {
            break;
        }
    }
    if stats.time_limited || relative_gap(ub, best_l) <= BB_MARGIN {
        return finish(best, best_l, stats);
    }

    // Reduced-cost column enumeration at the best prices.
    let delta = ub * (1.0 - BB_MARGIN) - best_l;
    let mut enumerated: Vec<Vec<Column>> = Vec::with_capacity(p.t);
    let mut items: Vec<(usize, u32)> = Vec::new();
    let mut total = 0usize;
    for j in 0..p.t {
        let (g, _, _) = pricer.best(j, &best_lambda);
        let mut list = pricer.enumerate(j, &best_lambda, g, delta, &mut items);
        list.sort_by(|a, b| a.rc.total_cmp(&b.rc).then(a.start.cmp(&b.start)));
        total += list.len();
        enumerated.push(list);
        if total > MAX_COLUMNS || dl.check_now() {
            stats.time_limited = dl.hit;
            stats.columns = total;
            return finish(best, best_l, stats);
        }
    }
    stats.columns = total;

    // Branch and bound on the enumerated columns.
    let mut bb = Bb {
        p: &p,
        cols: &enumerated,
        items: &items,
        lambda: &best_lambda,
        used: vec![0; p.w],
        chosen: vec![usize::MAX; p.t],
        best_choice: None,
        budget: delta,
        nodes: 0,
        dl: &mut dl,
    };
    bb.search(0.0, p.t);
    stats.nodes = bb.nodes;
    let found = bb.best_choice.take();
    // Every column selection with value below best_l + budget has been searched.
    let lb_bb = best_l + bb.budget;
    if let Some(choice) = found {
        let mut a = vec![vec![0u32; p.t]; p.w];
        for (j, &c) in choice.iter().enumerate() {
            let col = &enumerated[j][c];
            for &(i, m) in &items[col.start..col.start + col.len] {
                a[i][j] += m;
            }
        }
        // Use leftover rounds (never hurts) so the assignment is complete.
        let mut st = State::from_assignment(&p, &a);
        mmr_fill(&p, &mut st);
        if st.objective(&p) < ub {
            best = st.assignment(&p);
        }
    }
    if dl.hit {
        stats.time_limited = true;
        return finish(best, best_l, stats);
    }
    // Everything cheaper than the original UB·(1 − margin) or the improved incumbent was searched.
    finish(best, lb_bb.max(best_l), stats)
}

/// `L(λ) = Σ_j g_j(λ) − λ·c` (a valid lower bound); stores the priced columns in `cols`.
fn lagrangian(pricer: &mut Pricer, p: &Problem, lambda: &[f64], cols: &mut [Vec<(usize, u32)>]) -> f64 {
    let mut l = 0.0;
    for (j, col) in cols.iter_mut().enumerate() {
        let (g, c, _) = pricer.best(j, lambda);
        l += g;
        *col = c;
    }
    l - (0..p.w).map(|i| lambda[i] * p.count[i] as f64).sum::<f64>()
}

/// Initial prices: the midpoint of each type's best extra-round gain and its cheapest round's loss.
fn initial_prices(p: &Problem, s: &State) -> Vec<f64> {
    let mut add = vec![0.0f64; p.w];
    let mut remove = vec![f64::INFINITY; p.w];
    for i in 0..p.w {
        for j in 0..p.t {
            add[i] = add[i].max(p.v[j] * s.surv[j] * (1.0 - p.q(i, j)));
        }
    }
    for (r, &j) in s.round_target.iter().enumerate() {
        if j != usize::MAX {
            let i = s.round_type[r];
            let q = p.q(i, j);
            remove[i] = remove[i].min(p.v[j] * s.surv[j] * (1.0 - q) / q);
        }
    }
    (0..p.w).map(|i| if remove[i].is_finite() { 0.5 * (add[i] + remove[i]) } else { add[i] }).collect()
}

/// Builds a feasible solution from priced columns (first come, first served), completes it by MMR
/// and polishes it by local search.
fn repair(p: &Problem, cols: &[Vec<(usize, u32)>]) -> (Vec<Vec<u32>>, f64) {
    let mut left: Vec<u32> = p.count.clone();
    let mut a = vec![vec![0u32; p.t]; p.w];
    // Targets in decreasing value order so valuable targets keep their columns.
    let mut order: Vec<usize> = (0..p.t).collect();
    order.sort_by(|&x, &y| p.v[y].total_cmp(&p.v[x]).then(x.cmp(&y)));
    for j in order {
        for &(i, m) in &cols[j] {
            let k = m.min(left[i]);
            a[i][j] += k;
            left[i] -= k;
        }
    }
    let mut s = State::from_assignment(p, &a);
    mmr_fill(p, &mut s);
    improve(p, &mut s);
    (s.assignment(p), s.objective(p))
}

/// A column of one target: rounds `items[start..start+len]` (type, multiplicity), reduced cost.
#[derive(Debug, Clone, Copy)]
struct Column {
    rc: f64,
    start: usize,
    len: usize,
}

/// Per-target pricing by depth-first search over multisets of rounds.
struct Pricer<'a> {
    p: &'a Problem,
    /// Candidates: (type, q, λ, ratio −ln q / λ), sorted by ratio descending.
    cands: Vec<(usize, f64, f64, f64)>,
    mult: Vec<u32>,
    stack: Vec<usize>,
    best_f: f64,
    best_stack: Vec<usize>,
    nodes: usize,
}

/// Node limit of one pricing search; beyond it the fractional bound is used for `L(λ)`.
const PRICING_NODES: usize = 200_000;

#[inline]
fn tail_bound(a: f64, r: f64) -> f64 {
    // min_{s ≥ 0} a e^{−s} + s/r.
    if r.is_infinite() {
        0.0
    } else if r * a > 1.0 {
        (1.0 + (r * a).ln()) / r
    } else {
        a
    }
}

impl<'a> Pricer<'a> {
    fn new(p: &'a Problem) -> Self {
        Pricer {
            p,
            cands: Vec::new(),
            mult: Vec::new(),
            stack: Vec::new(),
            best_f: 0.0,
            best_stack: Vec::new(),
            nodes: 0,
        }
    }

    fn setup(&mut self, j: usize, lambda: &[f64], delta: f64) {
        let p = self.p;
        let v = p.v[j];
        self.cands.clear();
        for i in 0..p.w {
            let q = p.q(i, j);
            if p.count[i] == 0 || q >= 1.0 {
                continue;
            }
            if lambda[i] - delta < v * (1.0 - q) {
                let ratio = if lambda[i] > 0.0 { -q.ln() / lambda[i] } else { f64::INFINITY };
                self.cands.push((i, q, lambda[i], ratio));
            }
        }
        self.cands.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
        self.mult.clear();
        self.mult.resize(self.cands.len(), 0);
        self.stack.clear();
    }

    /// Fractional relaxation of the pricing problem (a lower bound on `g_j`), over the current
    /// candidates (sorted by ratio, i.e. by increasing cost per unit of log-kill).
    fn fractional_bound(&self, j: usize) -> f64 {
        let v = self.p.v[j];
        let (mut s, mut cost) = (0.0f64, 0.0f64);
        for &(i, q, lam, _) in &self.cands {
            let len = -q.ln() * self.p.count[i] as f64;
            let slope = lam / -q.ln();
            if v * (-s).exp() <= slope {
                return v * (-s).exp() + cost;
            }
            let s_star = if slope > 0.0 { (v / slope).ln() } else { f64::INFINITY };
            if s_star <= s + len {
                return slope + cost + slope * (s_star - s);
            }
            s += len;
            cost += slope * len;
        }
        v * (-s).exp() + cost
    }

    /// A lower bound on `g_j(λ)` (exact unless the node limit was hit) and the best column found.
    fn best(&mut self, j: usize, lambda: &[f64]) -> (f64, Vec<(usize, u32)>, f64) {
        self.setup(j, lambda, 0.0);
        let v = self.p.v[j];
        self.best_f = v;
        self.best_stack.clear();
        self.nodes = 0;
        self.dfs_best(0, v, 0.0);
        let g =
            if self.nodes >= PRICING_NODES { self.fractional_bound(j).min(self.best_f) } else { self.best_f };
        let mut col: Vec<(usize, u32)> = Vec::new();
        for &k in &self.best_stack {
            let i = self.cands[k].0;
            match col.last_mut() {
                Some(last) if last.0 == i => last.1 += 1,
                _ => col.push((i, 1)),
            }
        }
        let f = self.best_f - col.iter().map(|&(i, m)| lambda[i] * m as f64).sum::<f64>();
        (g, col, f)
    }

    fn dfs_best(&mut self, k: usize, vq: f64, c: f64) {
        self.nodes += 1;
        if self.nodes >= PRICING_NODES {
            return;
        }
        for idx in k..self.cands.len() {
            let (i, q, lam, _) = self.cands[idx];
            if self.mult[idx] >= self.p.count[i] || vq * (1.0 - q) <= lam {
                continue;
            }
            let nvq = vq * q;
            let nc = c + lam;
            let f = nvq + nc;
            let bound = nc + tail_bound(nvq, self.cands[idx].3);
            if bound >= self.best_f {
                continue;
            }
            self.stack.push(idx);
            self.mult[idx] += 1;
            if f < self.best_f {
                self.best_f = f;
                self.best_stack.clone_from(&self.stack);
            }
            self.dfs_best(idx, nvq, nc);
            self.mult[idx] -= 1;
            self.stack.pop();
        }
    }

    /// All columns with `f ≤ g + delta`, as reduced costs `f − g`.
    fn enumerate(
        &mut self,
        j: usize,
        lambda: &[f64],
        g: f64,
        delta: f64,
        items: &mut Vec<(usize, u32)>,
    ) -> Vec<Column> {
        self.setup(j, lambda, delta);
        let v = self.p.v[j];
        let mut out = Vec::new();
        let limit = g + delta + 1e-12 * (g.abs() + 1.0);
        if v <= limit {
            out.push(Column { rc: (v - g).max(0.0), start: items.len(), len: 0 });
        }
        self.dfs_enum(0, v, 0.0, g, delta, limit, items, &mut out);
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn dfs_enum(
        &mut self,
        k: usize,
        vq: f64,
        c: f64,
        g: f64,
        delta: f64,
        limit: f64,
        items: &mut Vec<(usize, u32)>,
        out: &mut Vec<Column>,
    ) {
        for idx in k..self.cands.len() {
            let (i, q, lam, ratio) = self.cands[idx];
            if self.mult[idx] >= self.p.count[i] || vq * (1.0 - q) <= lam - delta {
                continue;
            }
            let nvq = vq * q;
            let nc = c + lam;
            if nc + tail_bound(nvq, ratio) > limit {
                continue;
            }
            self.stack.push(idx);
            self.mult[idx] += 1;
            let f = nvq + nc;
            if f <= limit {
                let start = items.len();
                for &kk in &self.stack {
                    let t = self.cands[kk].0;
                    let n = items.len();
                    if n > start && items[n - 1].0 == t {
                        items[n - 1].1 += 1;
                    } else {
                        items.push((t, 1));
                    }
                }
                out.push(Column { rc: (f - g).max(0.0), start, len: items.len() - start });
            }
            self.dfs_enum(idx, nvq, nc, g, delta, limit, items, out);
            self.mult[idx] -= 1;
            self.stack.pop();
        }
    }
}

/// Branch and bound over targets on enumerated columns.
struct Bb<'a, 'd> {
    p: &'a Problem,
    cols: &'a [Vec<Column>],
    items: &'a [(usize, u32)],
    lambda: &'a [f64],
    used: Vec<u32>,
    chosen: Vec<usize>,
    best_choice: Option<Vec<usize>>,
    /// Solutions must have Σ rc + λ·slack below this.
    budget: f64,
    nodes: u64,
    dl: &'d mut Deadline,
}

impl Bb<'_, '_> {
    fn fits(&self, c: &Column) -> bool {
        self.items[c.start..c.start + c.len].iter().all(|&(i, m)| self.used[i] + m <= self.p.count[i])
    }

    fn search(&mut self, spent: f64, open: usize) {
        self.nodes += 1;
        if self.dl.check() {
            return;
        }
        if open == 0 {
            let slack: f64 =
                (0..self.p.w).map(|i| self.lambda[i] * (self.p.count[i] - self.used[i]) as f64).sum();
            let total = spent + slack;
            if total < self.budget {
                self.budget = total;
                self.best_choice = Some(self.chosen.clone());
            }
            return;
        }
        let room = self.budget - spent;
        // Bound and most-constrained open target.
        let mut sum_min = 0.0;
        let mut pick = (usize::MAX, usize::MAX, 0.0);
        for j in 0..self.p.t {
            if self.chosen[j] != usize::MAX {
                continue;
            }
            let mut n_feasible = 0usize;
            let mut min_rc = f64::INFINITY;
            for c in &self.cols[j] {
                if c.rc >= room {
                    break;
                }
                if self.fits(c) {
                    if n_feasible == 0 {
                        min_rc = c.rc;
                    }
                    n_feasible += 1;
                }
            }
            if n_feasible == 0 {
                return;
            }
            sum_min += min_rc;
            if sum_min >= room {
                return;
            }
            if n_feasible < pick.0 {
                pick = (n_feasible, j, min_rc);
            }
        }
        let (_, j, min_j) = pick;
        // The bound counted j's cheapest feasible column; each branch replaces it by its own.
        let bound_others = sum_min - min_j;
        for k in 0..self.cols[j].len() {
            let c = self.cols[j][k];
            if spent + bound_others + c.rc >= self.budget {
                break;
            }
            if !self.fits(&c) {
                continue;
            }
            for &(i, m) in &self.items[c.start..c.start + c.len] {
                self.used[i] += m;
            }
            self.chosen[j] = k;
            self.search(spent + c.rc, open - 1);
            self.chosen[j] = usize::MAX;
            for &(i, m) in &self.items[c.start..c.start + c.len] {
                self.used[i] -= m;
            }
            if self.dl.hit {
                return;
            }
        }
    }
}
