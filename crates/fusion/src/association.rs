//! Track-to-track association: which partner tracks are the same objects as which local tracks.
//!
//! The gate is the squared Mahalanobis distance of the two position estimates,
//! d² = dᵀ·S⁻¹·d with d = xₚ − xₗ and S = Pₚ + Pₗ (position blocks), accepted when d² ≤ γ. Pairs inside
//! the gate get a cost (d², less a bonus for last update's pairing) and a global nearest-neighbour
//! assignment (each row may stay unassigned at cost γ) picks the pairing.
//!
//! **Spatial pre-gate.** Testing every pair costs O(n·m) 3×3 inversions and one dense n×(m+n)
//! assignment. Instead [`gated_pairs`] puts the local tracks in a uniform grid over ECEF position and
//! tests only pairs within a Euclidean radius that provably contains every pair the Mahalanobis gate
//! accepts: for positive definite S, dᵀ·S⁻¹·d ≥ ‖d‖²/λmax(S) and λmax(S) ≤ λₚ + λₗ (each λ an upper
//! bound on its track's largest positional eigenvalue, here min(trace, Gershgorin row sum)). So d² ≤ γ
//! implies ‖d‖ ≤ √(γ(λₚ + λₗ)) ≤ rₚ + rₗ with r = √(γλ). [`assign_gated`] then solves the assignment
//! per connected component of the gated pairs (the problem separates exactly, so the optimum is the
//! same as the dense one).
//!
//! The grid is hand-written rather than a k-d tree crate (`kiddo`, `rstar`): each query needs its own
//! radius (rₚ plus the local tracks' radius), the result order must be deterministic (sorted by index),
//! and a sorted cell list with binary search is about sixty lines with no dependency.

use shieldnet_tracking::assignment::{FORBIDDEN, assign_with_dummies};
use shieldnet_tracking::{Cov6, State6};

/// Relative widening of the pre-gate radius, covering rounding in the computed d² (whose relative
/// error is about cond(S)·ε; 1e-6 covers condition numbers up to ~1e9).
const RADIUS_MARGIN: f64 = 1e-6;

/// A track's pre-gate radius: (index, radius in m).
type Radius = (usize, f64);

/// A pair inside the gate: (partner index, local index, d²).
pub type GatedPair = (usize, usize, f64);

/// Squared Mahalanobis distance of the position parts of two estimates, `None` when S is singular.
pub fn position_distance2(xa: &State6, pa: &Cov6, xb: &State6, pb: &Cov6) -> Option<f64> {
    let d = xa.fixed_rows::<3>(0) - xb.fixed_rows::<3>(0);
    let s = pa.fixed_view::<3, 3>(0, 0) + pb.fixed_view::<3, 3>(0, 0);
    let si = s.try_inverse()?;
    Some((d.transpose() * si * d)[0])
}

/// Every pair with d² ≤ `gate_chi2`, testing all n·m pairs (the reference the pre-gate is checked
/// against, and the old association's cost). Sorted by (partner, local).
pub fn gated_pairs_brute_force(
    partner: &[(State6, Cov6)],
    local: &[(State6, Cov6)],
    gate_chi2: f64,
) -> Vec<GatedPair> {
    let mut out = Vec::new();
    for (i, (xp, pp)) in partner.iter().enumerate() {
        for (j, (xl, pl)) in local.iter().enumerate() {
            if let Some(d2) = position_distance2(xp, pp, xl, pl)
                && d2 <= gate_chi2
            {
                out.push((i, j, d2));
            }
        }
    }
    out
}

/// Upper bound on the largest eigenvalue of a covariance's position block: the smaller of its trace
/// and its largest Gershgorin row sum. NaN for a non-finite covariance.
fn lambda_max_bound(p: &Cov6) -> f64 {
    let trace = p[(0, 0)] + p[(1, 1)] + p[(2, 2)];
    let row = |i: usize| p[(i, i)] + (0..3).filter(|&j| j != i).map(|j| p[(i, j)].abs()).sum::<f64>();
    let gersh = row(0).max(row(1)).max(row(2));
    if trace.is_finite() && gersh.is_finite() { trace.min(gersh).max(0.0) } else { f64::NAN }
}

/// Cell coordinates of a position in a grid of cell size `c`.
fn cell(x: &State6, c: f64) -> [i64; 3] {
    [(x[0] / c).floor() as i64, (x[1] / c).floor() as i64, (x[2] / c).floor() as i64]
}

/// Most local tracks for which [`gated_pairs`] skips the grid.
const DIRECT_LOCAL: usize = 16;

/// Most pairs for which [`gated_pairs`] skips the grid and tests every pair against the Euclidean
/// bound directly: a pair's bound test costs a few tens of instructions, and building and querying
/// the grid costs more than a few hundred of them.
const DIRECT_PAIRS: usize = 256;

/// Every pair with d² ≤ `gate_chi2` (the same set and values as [`gated_pairs_brute_force`]), found
/// through the spatial pre-gate described in the module documentation. Sorted by (partner, local).
/// On small problems every pair is tested against the pre-gate's Euclidean bound without the grid
/// (the same pairs as the grid gives, tested).
pub fn gated_pairs(partner: &[(State6, Cov6)], local: &[(State6, Cov6)], gate_chi2: f64) -> Vec<GatedPair> {
    if local.len() <= DIRECT_LOCAL && partner.len() * local.len() <= DIRECT_PAIRS {
        gated_pairs_direct(partner, local, gate_chi2)
    } else {
        gated_pairs_grid(partner, local, gate_chi2)
    }
}

/// A track's pre-gate radius √(γ·λmax bound) if it and the track's position are finite (a
/// non-finite track can never pass the gate), else NaN.
fn pregate_radius(x: &State6, p: &Cov6, gate_chi2: f64) -> f64 {
    let r = (gate_chi2.max(0.0) * lambda_max_bound(p)).sqrt();
    if r.is_finite() && x[0].is_finite() && x[1].is_finite() && x[2].is_finite() { r } else { f64::NAN }
}

/// One pair's test, shared by both paths: the Euclidean bound of the two pre-gate radii (with its
/// margin), then the gate; the pair's d² when it passes.
fn bounded_gate(a: (&State6, &Cov6, f64), b: (&State6, &Cov6, f64), gate_chi2: f64) -> Option<f64> {
    let d = (a.0.fixed_rows::<3>(0) - b.0.fixed_rows::<3>(0)).norm_squared();
    let bound = (a.2 + b.2) * (1.0 + RADIUS_MARGIN);
    if d > bound * bound {
        return None;
    }
    position_distance2(a.0, a.1, b.0, b.1).filter(|d2| *d2 <= gate_chi2)
}

/// [`gated_pairs`] without the grid: the grid's filters (finite tracks and radii, the Euclidean
/// bound with its margin), then the gate, on every pair. At most [`DIRECT_LOCAL`] local tracks.
fn gated_pairs_direct(
    partner: &[(State6, Cov6)],
    local: &[(State6, Cov6)],
    gate_chi2: f64,
) -> Vec<GatedPair> {
    let mut r_local = [f64::NAN; DIRECT_LOCAL];
    for (r, (x, p)) in r_local.iter_mut().zip(local) {
        *r = pregate_radius(x, p, gate_chi2);
    }
    // Usually about one pair per track of the smaller side: room for that at once.
    let mut out = Vec::with_capacity(partner.len().min(local.len()));
    for (i, (xp, pp)) in partner.iter().enumerate() {
        let rp = pregate_radius(xp, pp, gate_chi2);
        if rp.is_nan() {
            continue;
        }
        for (j, ((xl, pl), rl)) in local.iter().zip(&r_local).enumerate() {
            if rl.is_nan() {
                continue;
            }
            if let Some(d2) = bounded_gate((xp, pp, rp), (xl, pl, *rl), gate_chi2) {
                out.push((i, j, d2));
            }
        }
    }
    out
}

/// [`gated_pairs`] through the grid.
fn gated_pairs_grid(partner: &[(State6, Cov6)], local: &[(State6, Cov6)], gate_chi2: f64) -> Vec<GatedPair> {
    let radius = |p: &Cov6| (gate_chi2.max(0.0) * lambda_max_bound(p)).sqrt();
    let finite = |x: &State6| x[0].is_finite() && x[1].is_finite() && x[2].is_finite();
    // Local tracks with a usable radius; non-finite ones can never pass the gate (d² is NaN).
    let local_r: Vec<Radius> = local
        .iter()
        .enumerate()
        .map(|(j, (_, p))| (j, radius(p)))
        .filter(|(j, r)| r.is_finite() && finite(&local[*j].0))
        .collect();
    if local_r.is_empty() || partner.is_empty() {
        return Vec::new();
    }
    // The grid holds the local tracks up to four times the median radius (usually all of them);
    // wider ones are tested against every partner track, so that one poor track does not widen
    // every query.
    let mut radii: Vec<f64> = local_r.iter().map(|(_, r)| *r).collect();
    radii.sort_unstable_by(f64::total_cmp);
    let r_grid = radii[radii.len() - 1].min(4.0 * radii[radii.len() / 2]);
    let mut partner_r: Vec<f64> = partner.iter().map(|(_, p)| radius(p)).filter(|r| r.is_finite()).collect();
    partner_r.sort_unstable_by(f64::total_cmp);
    let r_partner_typical = partner_r.get(partner_r.len() / 2).copied().unwrap_or(0.0);
    let c = (2.0 * (r_partner_typical + r_grid)).max(1.0);
    let (wide, narrow): (Vec<Radius>, Vec<Radius>) = local_r.iter().partition(|(_, r)| *r > r_grid);
    let mut grid: Vec<([i64; 3], usize)> = narrow.iter().map(|(j, _)| (cell(&local[*j].0, c), *j)).collect();
    grid.sort_unstable();
    let mut r_of = vec![f64::NAN; local.len()];
    for (j, r) in &local_r {
        r_of[*j] = *r;
    }

    let mut out = Vec::new();
    let mut candidates: Vec<usize> = Vec::new();
    for (i, (xp, pp)) in partner.iter().enumerate() {
        let rp = radius(pp);
        if !rp.is_finite() || !finite(xp) {
            continue;
        }
        candidates.clear();
        candidates.extend(wide.iter().map(|(j, _)| *j));
        let reach = (rp + r_grid) * (1.0 + RADIUS_MARGIN);
        let lo = cell(&(xp - State6::from_element(reach)), c);
        let hi = cell(&(xp + State6::from_element(reach)), c);
        let cells = (0..3).map(|k| (hi[k].saturating_sub(lo[k]) as f64) + 1.0).product::<f64>();
        // A query wider than the grid's worth of binary searches scans the grid instead.
        if cells * 4.0 > grid.len() as f64 {
            candidates.extend(grid.iter().map(|(_, j)| *j));
        } else {
            for cx in lo[0]..=hi[0] {
                for cy in lo[1]..=hi[1] {
                    for cz in lo[2]..=hi[2] {
                        let key = [cx, cy, cz];
                        let start = grid.partition_point(|(k, _)| *k < key);
                        candidates
                            .extend(grid[start..].iter().take_while(|(k, _)| *k == key).map(|(_, j)| *j));
                    }
                }
            }
        }
        candidates.sort_unstable();
        for &j in &candidates {
            let (xl, pl) = &local[j];
            if let Some(d2) = bounded_gate((xp, pp, rp), (xl, pl, r_of[j]), gate_chi2) {
                out.push((i, j, d2));
            }
        }
    }
    out
}

/// Minimum-cost assignment of rows (partner tracks) to columns (local tracks) over the allowed
/// `pairs` (row, column, cost), each row free to stay unassigned at `unassigned_cost`; solved
/// separately per connected component of the pairs. Returns the column of each of `rows` rows.
pub fn assign_gated(
    rows: usize,
    cols: usize,
    pairs: &[GatedPair],
    unassigned_cost: f64,
) -> Vec<Option<usize>> {
    assign_disjoint_pairs(rows, cols, pairs, unassigned_cost)
        .unwrap_or_else(|| assign_by_components(rows, cols, pairs, unassigned_cost))
}

/// [`assign_gated`] in general: union-find over rows and columns, then each connected component on
/// its own.
fn assign_by_components(
    rows: usize,
    cols: usize,
    pairs: &[GatedPair],
    unassigned_cost: f64,
) -> Vec<Option<usize>> {
    // Union-find over rows 0..rows and columns rows..rows+cols.
    let mut parent: Vec<usize> = (0..rows + cols).collect();
    fn find(parent: &mut [usize], mut a: usize) -> usize {
        while parent[a] != a {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        a
    }
    for &(i, j, _) in pairs {
        let (a, b) = (find(&mut parent, i), find(&mut parent, rows + j));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    // Pairs grouped by component (component root, row, column); roots are smallest members, so the
    // order is deterministic.
    let mut grouped: Vec<(usize, usize, usize, f64)> =
        pairs.iter().map(|&(i, j, c)| (find(&mut parent, i), i, j, c)).collect();
    grouped.sort_unstable_by_key(|a| (a.0, a.1, a.2));
    let mut result = vec![None; rows];
    let mut start = 0;
    while start < grouped.len() {
        let root = grouped[start].0;
        let end = start + grouped[start..].iter().take_while(|g| g.0 == root).count();
        let group = &grouped[start..end];
        if let [(_, i, j, c)] = group {
            // One row, one column: the row takes the column when cheaper than staying unassigned.
            if *c < unassigned_cost.min(FORBIDDEN) {
                result[*i] = Some(*j);
            }
        } else {
            let mut r: Vec<usize> = group.iter().map(|g| g.1).collect();
            r.dedup();
            let mut k: Vec<usize> = group.iter().map(|g| g.2).collect();
            k.sort_unstable();
            k.dedup();
            let mut cost = vec![vec![FORBIDDEN; k.len()]; r.len()];
            for &(_, i, j, c) in group {
                let (a, b) = (r.binary_search(&i).unwrap_or(0), k.binary_search(&j).unwrap_or(0));
                cost[a][b] = c;
            }
            let sol = assign_with_dummies(&cost, &vec![unassigned_cost; r.len()]);
            for (a, col) in sol.into_iter().enumerate() {
                result[r[a]] = col.map(|b| k[b]);
            }
        }
        start = end;
    }
    result
}

/// [`assign_gated`] when no two pairs share a row or a column (the usual case: each partner track
/// near one local track), so that every pair is a component of its own, decided by itself: the row
/// takes the column when cheaper than staying unassigned. `None` (the general path) when pairs share
/// a row or a column, are not in increasing row order (as [`gated_pairs`] gives them), are out of
/// range, or there are more than 64 columns (the column check is a bit set).
fn assign_disjoint_pairs(
    rows: usize,
    cols: usize,
    pairs: &[GatedPair],
    unassigned_cost: f64,
) -> Option<Vec<Option<usize>>> {
    if cols > 64 {
        return None;
    }
    let mut cols_seen = 0u64;
    let mut last_row = None;
    for &(i, j, _) in pairs {
        if i >= rows || j >= cols || cols_seen & (1 << j) != 0 || last_row.is_some_and(|r| r >= i) {
            return None;
        }
        cols_seen |= 1 << j;
        last_row = Some(i);
    }
    let mut result = vec![None; rows];
    for &(i, j, c) in pairs {
        if c < unassigned_cost.min(FORBIDDEN) {
            result[i] = Some(j);
        }
    }
    Some(result)
}

/// The association without the pre-gate: every pair tested, one dense assignment (the method before
/// the pre-gate; kept as the benchmark's baseline and the tests' reference). `cost` maps a gated
/// pair to its assignment cost.
pub fn assign_all_pairs(
    partner: &[(State6, Cov6)],
    local: &[(State6, Cov6)],
    gate_chi2: f64,
    cost: impl Fn(usize, usize, f64) -> f64,
) -> Vec<Option<usize>> {
    let matrix: Vec<Vec<f64>> = partner
        .iter()
        .enumerate()
        .map(|(i, (xp, pp))| {
            local
                .iter()
                .enumerate()
                .map(|(j, (xl, pl))| match position_distance2(xp, pp, xl, pl) {
                    Some(d2) if d2 <= gate_chi2 => cost(i, j, d2),
                    _ => FORBIDDEN,
                })
                .collect()
        })
        .collect();
    if local.is_empty() {
        return vec![None; partner.len()];
    }
    assign_with_dummies(&matrix, &vec![gate_chi2; partner.len()])
}

/// The association with the pre-gate: [`gated_pairs`], costs by `cost`, then [`assign_gated`].
pub fn assign_pregated(
    partner: &[(State6, Cov6)],
    local: &[(State6, Cov6)],
    gate_chi2: f64,
    cost: impl Fn(usize, usize, f64) -> f64,
) -> Vec<Option<usize>> {
    let pairs: Vec<GatedPair> =
        gated_pairs(partner, local, gate_chi2).into_iter().map(|(i, j, d2)| (i, j, cost(i, j, d2))).collect();
    assign_gated(partner.len(), local.len(), &pairs, gate_chi2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disjoint_pairs_are_assigned_as_the_components_are() {
        // Random pair lists (rows in increasing order as `gated_pairs` gives them, sometimes sharing a
        // row or a column, costs on both sides of the unassigned cost and NaN): wherever the shortcut
        // applies it gives the general path's assignment, and it applies to the disjoint ones.
        let mut seed = 5u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % n as u64) as usize
        };
        let mut shortcuts = 0;
        for trial in 0..2000 {
            let (rows, cols) = (1 + next(8), 1 + next(8));
            let mut pairs: Vec<GatedPair> = Vec::new();
            for i in 0..rows {
                for j in 0..cols {
                    if next(4) == 0 {
                        let c = match next(10) {
                            0 => f64::NAN,
                            k => k as f64 * 2.0,
                        };
                        pairs.push((i, j, c));
                    }
                }
            }
            let general = assign_by_components(rows, cols, &pairs, 16.27);
            let disjoint = {
                let mut r: Vec<usize> = pairs.iter().map(|p| p.0).collect();
                let mut c: Vec<usize> = pairs.iter().map(|p| p.1).collect();
                r.dedup();
                c.sort_unstable();
                c.dedup();
                r.len() == pairs.len() && c.len() == pairs.len()
            };
            match assign_disjoint_pairs(rows, cols, &pairs, 16.27) {
                Some(fast) => {
                    assert!(disjoint, "trial {trial}: shortcut on shared rows or columns");
                    assert_eq!(fast, general, "trial {trial}: {pairs:?}");
                    shortcuts += 1;
                }
                None => assert!(!disjoint, "trial {trial}: disjoint pairs not taken"),
            }
            assert_eq!(assign_gated(rows, cols, &pairs, 16.27), general, "trial {trial}");
        }
        assert!(shortcuts > 200, "only {shortcuts} disjoint trials");
    }

    #[test]
    fn small_problems_without_the_grid_give_the_grids_pairs() {
        // Clusters of a few tracks with random position covariances (σ from 10 m to 10 km), some
        // tracks non-finite (NaN or infinite position or covariance): both paths give the same pairs
        // and values, and those are the all-pairs gate's on the finite ones.
        let mut seed = 17u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut nonempty = 0;
        for trial in 0..400 {
            let mut tracks = |n: usize| -> Vec<(State6, Cov6)> {
                (0..n)
                    .map(|_| {
                        let spread = 10f64.powf(1.0 + 3.0 * next());
                        let x = State6::from_fn(|i, _| 7e6 * (i == 0) as u8 as f64 + spread * (next() - 0.5));
                        let a =
                            nalgebra::Matrix3::from_fn(|_, _| next() - 0.5) * 10f64.powf(1.0 + 3.0 * next());
                        let mut p = Cov6::identity() * 100.0;
                        p.fixed_view_mut::<3, 3>(0, 0).copy_from(&(a * a.transpose()));
                        match (next() * 20.0) as u32 {
                            0 => (State6::from_element(f64::NAN), p),
                            1 => (x, Cov6::identity() * f64::INFINITY),
                            _ => (x, p),
                        }
                    })
                    .collect()
            };
            let partner = tracks(trial % 9);
            let local = tracks((trial / 9) % (DIRECT_LOCAL + 1));
            let direct = gated_pairs_direct(&partner, &local, 16.27);
            assert_eq!(direct, gated_pairs_grid(&partner, &local, 16.27), "trial {trial}");
            nonempty += !direct.is_empty() as usize;
        }
        assert!(nonempty > 100, "only {nonempty} trials had gated pairs");
    }
}
