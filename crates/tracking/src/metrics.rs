//! Multi-target tracking metrics: OSPA, GOSPA (with its localisation / missed / false decomposition
//! and an optional switching term), NEES/NIS helpers and the basic SIAP attributes.
//!
//! Conventions follow Stone Soup's metric generators so that values are directly comparable
//! (`stonesoup.metricgenerator.ospametric.OSPAMetric` / `GOSPAMetric`, `tracktotruthmetrics.SIAPMetrics`):
//! - OSPA (Schuhmacher, Vo & Vo 2008) is normalised per object: 0 when both sets are empty, `c` when
//!   exactly one is. Here the assignment minimises Σ min(d, c)^p, the exact OSPA; Stone Soup assigns on
//!   min(d, c) and raises afterwards, which is the same for p = 1 (use p = 1 to cross-check).
//! - GOSPA (Rahmathullah, García-Fernández & Svensson 2017) has α = 2 hard-wired, like Stone Soup, and
//!   its components (`localisation`, `missed`, `false_`, `switching`) are sums in **p-power units**;
//!   `distance` = (localisation + missed + false)^(1/p), combined with the switching term as
//!   (d² + s²)^(1/2) when a switching penalty is used.
//! - SIAP attributes are ratios of sums over the time steps given (completeness ΣJT/ΣJ, ambiguity
//!   ΣNA/ΣJT, spuriousness Σ(N−NA)/ΣN, positional accuracy Σ error / ΣNA), after Votruba et al., "SIAP
//!   metrics implementation" (2001), with tracks associated to truths by a distance threshold.
//!
//! Points are positions in any common Cartesian frame (ECEF for the tracker), as [`Vec3`].
//!
//! ```
//! use shieldnet_earth::Vec3;
//! use shieldnet_tracking::metrics::{gospa, ospa};
//! let truth = [Vec3::new(0.0, 0.0, 0.0), Vec3::new(10.0, 0.0, 0.0)];
//! let est = [Vec3::new(3.0, 4.0, 0.0)];
//! // One pair at 5 m, one truth missed: OSPA = (5 + 20)/2, GOSPA = 5 + 20/2.
//! assert!((ospa(&truth, &est, 20.0, 1.0) - 12.5).abs() < 1e-12);
//! assert!((gospa(&truth, &est, 20.0, 1.0).distance - 15.0).abs() < 1e-12);
//! ```

use crate::assignment::{assign_with_dummies, solve_min};
use crate::{Cov6, State6};
use nalgebra::{SMatrix, SVector};
use serde::{Deserialize, Serialize};
use shieldnet_earth::Vec3;
use std::collections::BTreeMap;

/// OSPA distance between truth set `x` and estimate set `y` with cut-off `c` (> 0) and order `p` (≥ 1).
pub fn ospa(x: &[Vec3], y: &[Vec3], c: f64, p: f64) -> f64 {
    let (small, large) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    let (m, n) = (small.len(), large.len());
    if n == 0 {
        return 0.0;
    }
    if m == 0 {
        return c;
    }
    let cost: Vec<Vec<f64>> =
        small.iter().map(|a| large.iter().map(|b| (a - b).norm().min(c).powf(p)).collect()).collect();
    let cols = solve_min(&cost).expect("finite rectangular cost");
    let sum: f64 = cols.iter().enumerate().map(|(i, &j)| cost[i][j]).sum();
    ((sum + c.powf(p) * (n - m) as f64) / n as f64).powf(1.0 / p)
}

/// GOSPA value and its decomposition (Stone Soup's `GOSPAMetric` fields; components in p-power units).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gospa {
    /// Total: (localisation + missed + false)^(1/p), combined with `switching` as (d² + s²)^(1/2).
    pub distance: f64,
    /// Σ d^p over assigned pairs closer than the cut-off.
    pub localisation: f64,
    /// (c^p / 2) per missed truth.
    pub missed: f64,
    /// (c^p / 2) per false estimate.
    pub false_: f64,
    /// Switching penalty (0 unless computed over time with [`GospaSequence`]).
    pub switching: f64,
    /// Truth index → estimate index of every assigned pair (d < c).
    #[serde(skip)]
    pub assignment: Vec<(usize, usize)>,
}

/// GOSPA (α = 2) between truth set `x` and estimate set `y` with cut-off `c` and order `p`.
pub fn gospa(x: &[Vec3], y: &[Vec3], c: f64, p: f64) -> Gospa {
    gospa_of(&Distances::new(x, y), c, p)
}

/// Distances between truths (rows) and estimates (columns), computed once per time step and shared
/// by [`gospa_of`], [`ospa_of`] and the SIAP steps. The buffer is reused by [`Distances::fill`].
#[derive(Debug, Clone, Default)]
pub struct Distances {
    rows: usize,
    cols: usize,
    d: Vec<f64>,
}

impl Distances {
    /// The distances between `truths` and `estimates`.
    pub fn new(truths: &[Vec3], estimates: &[Vec3]) -> Self {
        let mut d = Self::default();
        d.fill(truths.iter(), estimates.iter());
        d
    }

    /// Recomputes the distances for new sets, keeping the buffer.
    pub fn fill<'a>(
        &mut self,
        truths: impl Iterator<Item = &'a Vec3>,
        estimates: impl Iterator<Item = &'a Vec3> + Clone,
    ) {
        self.d.clear();
        self.rows = 0;
        self.cols = estimates.clone().count();
        for a in truths {
            self.rows += 1;
            self.d.extend(estimates.clone().map(|b| (a - b).norm()));
        }
    }

    /// Number of truths.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of estimates.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Distance between truth `i` and estimate `j`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.d[i * self.cols + j]
    }
}

/// `d^p` (`p = 1` skips the call: `powf(d, 1)` is `d` exactly).
fn pow(d: f64, p: f64) -> f64 {
    if p == 1.0 { d } else { d.powf(p) }
}

/// GOSPA (α = 2) of the sets whose distances are `d`, cut-off `c`, order `p`.
///
/// Rows are truths: a pair closer than `c` costs d^p, a truth left unassigned c^p (its own c^p/2
/// plus the c^p/2 of the estimate it frees), which differs from the GOSPA sum by a constant. Pairs at
/// `c` or beyond are never assigned, so the problem splits exactly into the connected components of
/// the "closer than `c`" graph; each is solved alone ([`assign_with_dummies`] on its rows and columns,
/// or directly for a lone truth–estimate pair), which is the optimum of the whole (the same
/// assignment unless two assignments tie exactly).
pub fn gospa_of(d: &Distances, c: f64, p: f64) -> Gospa {
    let cp = c.powf(p);
    let assignment = close_assignment(d, c, p, cp);
    let localisation: f64 = assignment.iter().map(|&(i, j)| pow(d.get(i, j), p)).sum();
    let k = assignment.len();
    let missed = (d.rows() - k) as f64 * cp / 2.0;
    let false_ = (d.cols() - k) as f64 * cp / 2.0;
    Gospa {
        distance: (localisation + missed + false_).powf(1.0 / p),
        localisation,
        missed,
        false_,
        switching: 0.0,
        assignment,
    }
}

/// The GOSPA assignment (truth, estimate) sorted by truth, component by component (see [`gospa_of`]).
fn close_assignment(d: &Distances, c: f64, p: f64, cp: f64) -> Vec<(usize, usize)> {
    let (m, n) = (d.rows(), d.cols());
    // Union–find over truths 0..m and estimates m..m + n.
    let mut parent: Vec<usize> = (0..m + n).collect();
    fn find(parent: &mut [usize], mut k: usize) -> usize {
        while parent[k] != k {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        k
    }
    let mut any = false;
    for i in 0..m {
        for j in 0..n {
            if d.get(i, j) < c {
                any = true;
                let (a, b) = (find(&mut parent, i), find(&mut parent, m + j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut assignment = Vec::new();
    if !any {
        return assignment;
    }
    let root: Vec<usize> = (0..m + n).map(|k| find(&mut parent, k)).collect();
    let mut done = vec![false; m + n];
    for i in 0..m {
        let r = root[i];
        if done[r] {
            continue;
        }
        done[r] = true;
        let rows: Vec<usize> = (i..m).filter(|&k| root[k] == r).collect();
        let cols: Vec<usize> = (0..n).filter(|&j| root[m + j] == r).collect();
        match (rows.len(), cols.len()) {
            (_, 0) => {}
            // Connected, hence closer than c: assigned.
            (1, 1) => assignment.push((rows[0], cols[0])),
            _ => {
                let cost: Vec<Vec<f64>> = rows
                    .iter()
                    .map(|&i| {
                        cols.iter()
                            .map(|&j| {
                                let dij = d.get(i, j);
                                if dij < c { pow(dij, p) } else { crate::assignment::FORBIDDEN }
                            })
                            .collect()
                    })
                    .collect();
                let picked = assign_with_dummies(&cost, &vec![cp; rows.len()]);
                assignment.extend(rows.iter().zip(picked).filter_map(|(&i, j)| j.map(|j| (i, cols[j]))));
            }
        }
    }
    assignment.sort_unstable();
    assignment
}

/// OSPA of the sets whose distances are `d` (cut-off `c`, order `p`), from their GOSPA `g` with the
/// same `c` and `p`: the optimal OSPA assignment's pairs closer than `c` are an optimal GOSPA
/// assignment (both minimise Σ (d^p − c^p) over them; every other row costs c^p in OSPA), so no
/// second assignment is solved. Equal to [`ospa`] (the same sum in the same order) unless two
/// assignments tie exactly.
pub fn ospa_of(d: &Distances, g: &Gospa, c: f64, p: f64) -> f64 {
    let (rows, cols) = (d.rows(), d.cols());
    let (m, n) = (rows.min(cols), rows.max(cols));
    if n == 0 {
        return 0.0;
    }
    if m == 0 {
        return c;
    }
    let cp = c.powf(p);
    // Pair cost of each row of the smaller set (truths when the sets are equal, as in `ospa`).
    let mut partner = vec![usize::MAX; m];
    for &(i, j) in &g.assignment {
        if rows <= cols {
            partner[i] = j;
        } else {
            partner[j] = i;
        }
    }
    let sum: f64 = partner
        .iter()
        .enumerate()
        .map(|(k, &l)| match (l, rows <= cols) {
            (usize::MAX, _) => cp,
            (l, true) => pow(d.get(k, l).min(c), p),
            (l, false) => pow(d.get(l, k).min(c), p),
        })
        .sum();
    ((sum + c.powf(p) * (n - m) as f64) / n as f64).powf(1.0 / p)
}

/// GOSPA over time with a track-switching penalty γ (Stone Soup's `switching_penalty`): at each step
/// a truth whose assigned estimate label differs from its previous one costs γ (½γ when it goes from
/// assigned to unassigned or back), as in trajectory GOSPA (García-Fernández et al.).
#[derive(Debug, Clone, Default)]
pub struct GospaSequence {
    /// Cut-off distance c.
    pub c: f64,
    /// Order p.
    pub p: f64,
    /// Switching penalty γ.
    pub switching_penalty: f64,
    last: BTreeMap<u64, Option<u64>>,
}

impl GospaSequence {
    /// A sequence with cut-off `c`, order `p` and switching penalty `gamma`.
    pub fn new(c: f64, p: f64, gamma: f64) -> Self {
        Self { c, p, switching_penalty: gamma, last: BTreeMap::new() }
    }

    /// GOSPA of one time step; truths and estimates carry stable labels (truth id, track id).
    pub fn step(&mut self, truths: &[(u64, Vec3)], estimates: &[(u64, Vec3)]) -> Gospa {
        let mut d = Distances::default();
        d.fill(truths.iter().map(|t| &t.1), estimates.iter().map(|e| &e.1));
        self.step_with(truths, estimates, &d)
    }

    /// [`GospaSequence::step`] with the distances between `truths` and `estimates` given.
    pub fn step_with(&mut self, truths: &[(u64, Vec3)], estimates: &[(u64, Vec3)], d: &Distances) -> Gospa {
        let mut g = gospa_of(d, self.c, self.p);
        let mut now: BTreeMap<u64, Option<u64>> = truths.iter().map(|t| (t.0, None)).collect();
        for &(i, j) in &g.assignment {
            now.insert(truths[i].0, Some(estimates[j].0));
        }
        let mut switches = 0.0;
        for (truth, cur) in &now {
            if let Some(prev) = self.last.get(truth) {
                switches += match (prev, cur) {
                    (Some(a), Some(b)) if a != b => 1.0,
                    (Some(_), None) | (None, Some(_)) => 0.5,
                    _ => 0.0,
                };
            }
        }
        self.last = now;
        g.switching = self.switching_penalty * switches;
        if g.switching > 0.0 {
            g.distance = (g.distance.powi(2) + g.switching.powi(2)).sqrt();
        }
        g
    }
}

/// Normalised estimation error squared eᵀP⁻¹e of an estimate against the truth (`None` if P is
/// singular).
pub fn nees<const N: usize>(
    estimate: &SVector<f64, N>,
    cov: &SMatrix<f64, N, N>,
    truth: &SVector<f64, N>,
) -> Option<f64> {
    let e = estimate - truth;
    let pi = cov.try_inverse()?;
    Some((e.transpose() * pi * e)[0])
}

/// NEES of a 6-state track estimate (position and velocity) against the true state.
pub fn nees6(estimate: &State6, cov: &Cov6, truth: &State6) -> Option<f64> {
    nees(estimate, cov, truth)
}

/// Two-sided chi-square acceptance interval for the mean of `runs` NEES (or NIS) values of a
/// `dim`-dimensional state at confidence `1 − 2·tail` (Wilson–Hilferty approximation of the χ²
/// quantiles of runs·dim degrees of freedom, divided by `runs`).
pub fn chi2_mean_bounds(dim: usize, runs: usize, tail: f64) -> (f64, f64) {
    let k = (dim * runs) as f64;
    let z = normal_quantile(1.0 - tail);
    let q = |z: f64| k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3);
    (q(-z) / runs as f64, q(z) / runs as f64)
}

/// Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.38357751867269e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] =
        [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
    let pl = 0.02425;
    if p < pl {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - pl {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -normal_quantile(1.0 - p)
    }
}

/// Accumulates the basic SIAP attributes over time steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Siap {
    /// Distance within which a track is associated with a truth (m).
    pub association_threshold: f64,
    /// Σ over steps of live truths J.
    pub truths: u64,
    /// Σ over steps of truths with at least one associated track JT.
    pub tracked_truths: u64,
    /// Σ over steps of tracks N.
    pub tracks: u64,
    /// Σ over steps of tracks associated with a truth NA.
    pub associated_tracks: u64,
    /// Σ of the position errors of associated tracks (m).
    pub position_error_sum: f64,
    /// Track-number changes: a truth's nearest associated track is a different track than at its
    /// previous tracked step (a new number after a break, or an ID swap). Counted by
    /// [`Siap::step_labelled`] only.
    #[serde(default)]
    pub track_number_changes: u64,
    #[serde(skip)]
    continuity: BTreeMap<u64, Continuity>,
}

/// Per-truth bookkeeping of SIAP continuity.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Continuity {
    last: Option<u64>,
    run: u64,
    longest: u64,
    steps: u64,
}

impl Siap {
    /// An empty accumulator associating tracks within `threshold` m of a truth.
    pub fn new(threshold: f64) -> Self {
        Self { association_threshold: threshold, ..Self::default() }
    }

    /// Adds one time step. Each track is associated with its nearest truth when that truth is within
    /// the threshold (several tracks may share a truth: that is ambiguity).
    pub fn step(&mut self, truths: &[Vec3], tracks: &[Vec3]) {
        self.step_with(&Distances::new(truths, tracks));
    }

    /// [`Siap::step`] with the distances between truths (rows) and tracks (columns) given.
    pub fn step_with(&mut self, d: &Distances) {
        let mut tracked = vec![false; d.rows()];
        for j in 0..d.cols() {
            let best = (0..d.rows())
                .map(|i| (i, d.get(i, j)))
                .filter(|(_, d)| *d <= self.association_threshold)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((i, d)) = best {
                tracked[i] = true;
                self.associated_tracks += 1;
                self.position_error_sum += d;
            }
        }
        self.truths += d.rows() as u64;
        self.tracks += d.cols() as u64;
        self.tracked_truths += tracked.iter().filter(|&&t| t).count() as u64;
    }

    /// [`Siap::step`] with labels, which also measures continuity: for each truth the nearest
    /// associated track's id is compared with the one at the truth's previous tracked step.
    pub fn step_labelled(&mut self, truths: &[(u64, Vec3)], tracks: &[(u64, Vec3)]) {
        let mut d = Distances::default();
        d.fill(truths.iter().map(|t| &t.1), tracks.iter().map(|t| &t.1));
        self.step_labelled_with(truths, tracks, &d);
    }

    /// [`Siap::step_labelled`] with the distances between `truths` and `tracks` given.
    pub fn step_labelled_with(&mut self, truths: &[(u64, Vec3)], tracks: &[(u64, Vec3)], d: &Distances) {
        self.step_with(d);
        for (i, (id, _)) in truths.iter().enumerate() {
            let nearest = tracks
                .iter()
                .enumerate()
                .map(|(j, (k, _))| (*k, d.get(i, j)))
                .filter(|(_, d)| *d <= self.association_threshold)
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                .map(|(k, _)| k);
            let c = self.continuity.entry(*id).or_default();
            c.steps += 1;
            let Some(k) = nearest else { continue };
            if c.last.is_some_and(|l| l != k) {
                self.track_number_changes += 1;
                c.run = 0;
            }
            c.last = Some(k);
            c.run += 1;
            c.longest = c.longest.max(c.run);
        }
    }

    /// Longest-segment continuity LS: the mean over truths of the longest run of steps held by one
    /// track number, divided by the truth's steps (1 is best; [`Siap::step_labelled`] only).
    pub fn longest_segment(&self) -> f64 {
        let v: Vec<f64> = self
            .continuity
            .values()
            .filter(|c| c.steps > 0)
            .map(|c| c.longest as f64 / c.steps as f64)
            .collect();
        ratio(v.iter().sum(), v.len() as f64)
    }

    /// Track-number change rate: changes per tracked truth-step (0 is best).
    pub fn number_change_rate(&self) -> f64 {
        ratio(self.track_number_changes as f64, self.tracked_truths as f64)
    }

    /// Completeness ΣJT/ΣJ (1 is best).
    pub fn completeness(&self) -> f64 {
        ratio(self.tracked_truths as f64, self.truths as f64)
    }

    /// Ambiguity ΣNA/ΣJT (1 is best).
    pub fn ambiguity(&self) -> f64 {
        ratio(self.associated_tracks as f64, self.tracked_truths as f64)
    }

    /// Spuriousness Σ(N−NA)/ΣN (0 is best).
    pub fn spuriousness(&self) -> f64 {
        ratio((self.tracks - self.associated_tracks) as f64, self.tracks as f64)
    }

    /// Positional accuracy: mean position error of associated tracks, m.
    pub fn position_accuracy(&self) -> f64 {
        ratio(self.position_error_sum, self.associated_tracks as f64)
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: f64, y: f64) -> Vec3 {
        Vec3::new(x, y, 0.0)
    }

    #[test]
    fn ospa_of_empty_sets_follows_the_convention() {
        assert_eq!(ospa(&[], &[], 10.0, 1.0), 0.0);
        assert_eq!(ospa(&[v(0.0, 0.0)], &[], 10.0, 1.0), 10.0);
        assert_eq!(ospa(&[], &[v(0.0, 0.0)], 10.0, 2.0), 10.0);
    }

    #[test]
    fn ospa_equals_hand_computed_values() {
        // Truths (0,0), (10,0); estimates (1,0), (10,2), (50,50); c = 5.
        // Optimal pairs: 1 and 2 m; the third estimate is a cardinality error of c.
        // p = 1: (1 + 2 + 5)/3 = 8/3.  p = 2: sqrt((1 + 4 + 25)/3) = sqrt(10).
        let x = [v(0.0, 0.0), v(10.0, 0.0)];
        let y = [v(1.0, 0.0), v(10.0, 2.0), v(50.0, 50.0)];
        assert!((ospa(&x, &y, 5.0, 1.0) - 8.0 / 3.0).abs() < 1e-12);
        assert!((ospa(&x, &y, 5.0, 2.0) - 10f64.sqrt()).abs() < 1e-12);
        // Symmetric in its arguments.
        assert!((ospa(&y, &x, 5.0, 1.0) - 8.0 / 3.0).abs() < 1e-12);
        // A crossing case where greedy pairing is wrong: truths (0,0),(4,0); estimates (2,0),(6,0).
        // Greedy takes (4,0)-(2,0)... optimal Σ is 2 + 2 = 4 either way; with (3,0),(6,0): optimal
        // is (0,0)-(3,0)=3 and (4,0)-(6,0)=2 → 5, vs 1 + 6 = 7; OSPA p=1, c=10 → 2.5.
        assert!(
            (ospa(&[v(0.0, 0.0), v(4.0, 0.0)], &[v(3.0, 0.0), v(6.0, 0.0)], 10.0, 1.0) - 2.5).abs() < 1e-12
        );
        // Distances beyond the cut-off are clipped: one pair 100 m apart with c = 10 → 10.
        assert!((ospa(&[v(0.0, 0.0)], &[v(100.0, 0.0)], 10.0, 1.0) - 10.0).abs() < 1e-12);
    }

    #[test]
    fn gospa_equals_hand_computed_values_with_its_decomposition() {
        // c = 5, p = 1: truths (0,0), (10,0), (20,0); estimates (1,0), (10,3), (40,0), (60,0).
        // Pairs 1 and 3 (both < c); truth (20,0) missed; estimates (40,0) and (60,0) false.
        // localisation 4, missed 2.5, false 5 → 11.5.
        let x = [v(0.0, 0.0), v(10.0, 0.0), v(20.0, 0.0)];
        let y = [v(1.0, 0.0), v(10.0, 3.0), v(40.0, 0.0), v(60.0, 0.0)];
        let g = gospa(&x, &y, 5.0, 1.0);
        assert!((g.localisation - 4.0).abs() < 1e-12);
        assert!((g.missed - 2.5).abs() < 1e-12);
        assert!((g.false_ - 5.0).abs() < 1e-12);
        assert!((g.distance - 11.5).abs() < 1e-12);
        assert_eq!(g.assignment, vec![(0, 0), (1, 1)]);
        // p = 2: localisation 1 + 9 = 10, missed 25/2, false 2·25/2 → sqrt(47.5).
        let g2 = gospa(&x, &y, 5.0, 2.0);
        assert!((g2.localisation - 10.0).abs() < 1e-12);
        assert!((g2.missed - 12.5).abs() < 1e-12);
        assert!((g2.false_ - 25.0).abs() < 1e-12);
        assert!((g2.distance - 47.5f64.sqrt()).abs() < 1e-12);
        // A pair 4.9 m apart stays assigned (4.9 < c/2^(1/p)·... GOSPA α=2 pairs when d^p < c^p).
        let g3 = gospa(&[v(0.0, 0.0)], &[v(4.9, 0.0)], 5.0, 1.0);
        assert!((g3.distance - 4.9).abs() < 1e-12 && g3.missed == 0.0);
        // Empty sets.
        assert_eq!(gospa(&[], &[], 5.0, 1.0).distance, 0.0);
        assert!((gospa(&[v(0.0, 0.0)], &[], 5.0, 1.0).distance - 2.5).abs() < 1e-12);
    }

    /// Clustered random sets (a few objects near each of a few centres, so that components with
    /// several truths and estimates occur, and some objects far from everything).
    fn clustered_sets(seed: &mut u64, spread: f64) -> (Vec<Vec3>, Vec<Vec3>) {
        let mut next = || {
            *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (*seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let centres: Vec<Vec3> = (0..3).map(|_| Vec3::new(next() * 100.0, next() * 100.0, 0.0)).collect();
        let (m, n) = ((next() * 7.0) as usize, (next() * 7.0) as usize);
        let mut set = |k: usize| -> Vec<Vec3> {
            (0..k)
                .map(|_| {
                    let c = centres[(next() * 3.0) as usize];
                    c + Vec3::new((next() - 0.5) * spread, (next() - 0.5) * spread, next())
                })
                .collect()
        };
        (set(m), set(n))
    }

    /// GOSPA solved on the whole matrix at once (the form `gospa_of` replaced).
    fn gospa_whole(x: &[Vec3], y: &[Vec3], c: f64, p: f64) -> Gospa {
        let cp = c.powf(p);
        let cost: Vec<Vec<f64>> = x
            .iter()
            .map(|a| {
                y.iter()
                    .map(|b| {
                        let d = (a - b).norm();
                        if d < c { d.powf(p) } else { crate::assignment::FORBIDDEN }
                    })
                    .collect()
            })
            .collect();
        let assignment: Vec<(usize, usize)> = assign_with_dummies(&cost, &vec![cp; x.len()])
            .iter()
            .enumerate()
            .filter_map(|(i, j)| j.map(|j| (i, j)))
            .collect();
        let localisation: f64 = assignment.iter().map(|&(i, j)| cost[i][j]).sum();
        let k = assignment.len();
        let missed = (x.len() - k) as f64 * cp / 2.0;
        let false_ = (y.len() - k) as f64 * cp / 2.0;
        Gospa {
            distance: (localisation + missed + false_).powf(1.0 / p),
            localisation,
            missed,
            false_,
            switching: 0.0,
            assignment,
        }
    }

    /// Component by component, GOSPA equals the whole-matrix solution bit for bit (assignment and
    /// every part), and OSPA from the GOSPA assignment equals OSPA's own assignment bit for bit, over
    /// random clustered sets of up to 6 truths and 6 estimates, p = 1 and 2.
    #[test]
    fn gospa_by_components_and_ospa_from_it_equal_the_whole_matrix_solutions() {
        let mut seed = 11u64;
        let mut multi = 0;
        for case in 0..2_000 {
            let (x, y) = clustered_sets(&mut seed, if case % 2 == 0 { 30.0 } else { 300.0 });
            let d = Distances::new(&x, &y);
            for p in [1.0, 2.0] {
                let g = gospa_of(&d, 20.0, p);
                assert_eq!(g, gospa_whole(&x, &y, 20.0, p), "case {case}: {x:?} {y:?}");
                assert_eq!(g.assignment, gospa_whole(&x, &y, 20.0, p).assignment);
                let o = ospa_of(&d, &g, 20.0, p);
                assert_eq!(o.to_bits(), ospa(&x, &y, 20.0, p).to_bits(), "case {case}: {o}");
            }
            multi += usize::from(gospa_of(&d, 20.0, 1.0).assignment.len() > 1);
        }
        assert!(multi > 200, "{multi} cases with several pairs");
    }

    #[test]
    fn gospa_switching_term_counts_label_changes() {
        // c = 10, p = 1, γ = 2. Step 1: truth 1 ↔ track 7. Step 2: truth 1 ↔ track 8 (a switch, 2).
        // Step 3: truth 1 unassigned (half a switch, 1).
        let mut seq = GospaSequence::new(10.0, 1.0, 2.0);
        let g1 = seq.step(&[(1, v(0.0, 0.0))], &[(7, v(1.0, 0.0))]);
        assert_eq!(g1.switching, 0.0);
        assert!((g1.distance - 1.0).abs() < 1e-12);
        let g2 = seq.step(&[(1, v(0.0, 0.0))], &[(8, v(0.0, 3.0))]);
        assert!((g2.switching - 2.0).abs() < 1e-12);
        assert!((g2.distance - (9.0f64 + 4.0).sqrt()).abs() < 1e-12);
        let g3 = seq.step(&[(1, v(0.0, 0.0))], &[]);
        assert!((g3.switching - 1.0).abs() < 1e-12);
        assert!((g3.distance - (25.0f64 + 1.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn nees_of_a_known_error() {
        // e = (1, 2, 0, 0, 0, 0), P = diag(1, 4, 1, 1, 1, 1) → 1 + 1 = 2.
        let truth = State6::zeros();
        let est = State6::new(1.0, 2.0, 0.0, 0.0, 0.0, 0.0);
        let mut p = Cov6::identity();
        p[(1, 1)] = 4.0;
        assert!((nees6(&est, &p, &truth).unwrap() - 2.0).abs() < 1e-12);
        assert!(nees6(&est, &Cov6::zeros(), &truth).is_none());
    }

    #[test]
    fn chi_square_bounds_match_tables() {
        // χ²(300) 0.5 % and 99.5 % quantiles are 240.66 and 366.84 (exact, by bisection on the
        // regularised incomplete gamma function); divided by 50 runs.
        let (lo, hi) = chi2_mean_bounds(6, 50, 0.005);
        assert!((lo - 240.66 / 50.0).abs() < 0.01, "{lo}");
        assert!((hi - 366.84 / 50.0).abs() < 0.01, "{hi}");
        assert!((normal_quantile(0.975) - 1.959964).abs() < 1e-6);
    }

    #[test]
    fn siap_attributes_equal_hand_computed_values() {
        // Step 1: truths A(0,0), B(100,0); tracks at (1,0), (2,0) [both on A], (500,0) [spurious].
        // Step 2: truths A, B; one track at (100,3) on B.
        // J = 4, JT = 1 + 1 = 2, N = 4, NA = 3 → C = 0.5, A = 1.5, S = 0.25, PA = (1 + 2 + 3)/3 = 2.
        let mut s = Siap::new(10.0);
        s.step(&[v(0.0, 0.0), v(100.0, 0.0)], &[v(1.0, 0.0), v(2.0, 0.0), v(500.0, 0.0)]);
        s.step(&[v(0.0, 0.0), v(100.0, 0.0)], &[v(100.0, 3.0)]);
        assert!((s.completeness() - 0.5).abs() < 1e-12);
        assert!((s.ambiguity() - 1.5).abs() < 1e-12);
        assert!((s.spuriousness() - 0.25).abs() < 1e-12);
        assert!((s.position_accuracy() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn siap_continuity_counts_number_changes_and_the_longest_segment() {
        // One truth at the origin for 6 steps: held by track 1 (steps 1-2), nothing (3), track 2
        // (4-6). Changes: 1 (1 → 2); longest run 3 of 6 steps → LS 0.5; tracked steps 5 → R 0.2.
        // A second truth, always held by track 7 → LS 1. Mean LS (0.5 + 1)/2 = 0.75.
        let mut s = Siap::new(10.0);
        let far = v(1e6, 0.0);
        let holders = [Some(1), Some(1), None, Some(2), Some(2), Some(2)];
        for h in holders {
            let mut tracks = vec![(7u64, v(100.0, 1.0))];
            match h {
                Some(k) => tracks.push((k, v(1.0, 0.0))),
                None => tracks.push((9, far)),
            }
            s.step_labelled(&[(0, v(0.0, 0.0)), (1, v(100.0, 0.0))], &tracks);
        }
        assert_eq!(s.track_number_changes, 1);
        assert!((s.longest_segment() - 0.75).abs() < 1e-12);
        assert!((s.number_change_rate() - 1.0 / 11.0).abs() < 1e-12, "{}", s.number_change_rate());
        assert!((s.completeness() - 11.0 / 12.0).abs() < 1e-12);
    }
}
