//! Optimal rectangular linear assignment (minimum cost), used by GNN data association, track-to-track
//! association and one-round-per-threat engagement planning.
//!
//! Written by hand because the crates on offer either take integer costs only (`pathfinding`) or are
//! unmaintained (`lsap`); this is the shortest augmenting path method of Jonker and Volgenant as
//! described by Crouse ("On implementing 2D rectangular assignment algorithms", IEEE TAES 52(4), 2016),
//! with deterministic tie-breaking (lowest column index, preferring unassigned columns).

/// Cost used for forbidden pairs (out of gate, infeasible).
pub const FORBIDDEN: f64 = 1e15;

/// Solves min Σ cost[i][col(i)] over injective row→column maps, for `rows ≤ columns`. Returns the
/// column of each row, or `None` when the matrix is not rectangular with rows ≤ columns, or contains a
/// non-finite cost.
pub fn solve_min(cost: &[Vec<f64>]) -> Option<Vec<usize>> {
    let nr = cost.len();
    if nr == 0 {
        return Some(Vec::new());
    }
    let nc = cost[0].len();
    if nr > nc || cost.iter().any(|r| r.len() != nc || r.iter().any(|c| !c.is_finite())) {
        return None;
    }
    let mut u = vec![0.0; nr];
    let mut v = vec![0.0; nc];
    let mut shortest = vec![f64::INFINITY; nc];
    let mut path = vec![usize::MAX; nc];
    let mut col4row = vec![usize::MAX; nr];
    let mut row4col = vec![usize::MAX; nc];
    let mut sr = vec![false; nr];
    let mut sc = vec![false; nc];
    let mut remaining = vec![0usize; nc];
    for cur_row in 0..nr {
        // Dijkstra-like search for the shortest augmenting path from cur_row.
        let mut min_val = 0.0;
        let mut num_remaining = nc;
        for (it, r) in remaining.iter_mut().enumerate() {
            *r = nc - it - 1;
        }
        sr.iter_mut().for_each(|x| *x = false);
        sc.iter_mut().for_each(|x| *x = false);
        shortest.iter_mut().for_each(|x| *x = f64::INFINITY);
        let mut sink = usize::MAX;
        let mut i = cur_row;
        while sink == usize::MAX {
            let mut index = usize::MAX;
            let mut lowest = f64::INFINITY;
            sr[i] = true;
            for (it, &j) in remaining.iter().enumerate().take(num_remaining) {
                let r = min_val + cost[i][j] - u[i] - v[j];
                if r < shortest[j] {
                    path[j] = i;
                    shortest[j] = r;
                }
                if shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == usize::MAX) {
                    lowest = shortest[j];
                    index = it;
                }
            }
            min_val = lowest;
            if !min_val.is_finite() || index == usize::MAX {
                return None;
            }
            let j = remaining[index];
            if row4col[j] == usize::MAX {
                sink = j;
            } else {
                i = row4col[j];
            }
            sc[j] = true;
            num_remaining -= 1;
            remaining[index] = remaining[num_remaining];
        }
        u[cur_row] += min_val;
        for (r, &in_sr) in sr.iter().enumerate() {
            if in_sr && r != cur_row {
                u[r] += min_val - shortest[col4row[r]];
            }
        }
        for (j, &in_sc) in sc.iter().enumerate() {
            if in_sc {
                v[j] -= min_val - shortest[j];
            }
        }
        let mut j = sink;
        loop {
            let i = path[j];
            row4col[j] = i;
            std::mem::swap(&mut col4row[i], &mut j);
            if i == cur_row {
                break;
            }
        }
    }
    Some(col4row)
}

/// Assignment with the option of leaving rows unassigned: each row i may instead take a private dummy
/// at `unassigned_cost[i]`; pairs with cost ≥ [`FORBIDDEN`] are never chosen. Works for any shape.
/// Returns, per row, the chosen column or `None`.
pub fn assign_with_dummies(cost: &[Vec<f64>], unassigned_cost: &[f64]) -> Vec<Option<usize>> {
    let nr = cost.len();
    if nr == 0 {
        return Vec::new();
    }
    let nc = cost[0].len();
    let big = FORBIDDEN;
    let augmented: Vec<Vec<f64>> = (0..nr)
        .map(|i| {
            let mut row: Vec<f64> =
                cost[i].iter().map(|c| if c.is_finite() { c.min(big) } else { big }).collect();
            row.extend((0..nr).map(|k| if k == i { unassigned_cost[i].min(big) } else { big }));
            row
        })
        .collect();
    match solve_min(&augmented) {
        Some(cols) => {
            cols.iter().enumerate().map(|(i, &j)| (j < nc && cost[i][j] < big).then_some(j)).collect()
        }
        None => vec![None; nr],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn brute_force(cost: &[Vec<f64>]) -> f64 {
        fn rec(cost: &[Vec<f64>], row: usize, used: &mut Vec<bool>) -> f64 {
            if row == cost.len() {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for j in 0..cost[0].len() {
                if !used[j] {
                    used[j] = true;
                    best = best.min(cost[row][j] + rec(cost, row + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        rec(cost, 0, &mut vec![false; cost[0].len()])
    }

    #[test]
    fn equals_brute_force_on_random_rectangular_problems() {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        for trial in 0..300 {
            let nr = 1 + trial % 6;
            let nc = nr + (trial / 6) % 3;
            let cost: Vec<Vec<f64>> = (0..nr)
                .map(|_| (0..nc).map(|_| (rng.random::<f64>() * 10.0).round() / 2.0).collect())
                .collect();
            let sol = solve_min(&cost).unwrap();
            let mut seen = std::collections::BTreeSet::new();
            assert!(sol.iter().all(|&j| seen.insert(j)), "not injective");
            let total: f64 = sol.iter().enumerate().map(|(i, &j)| cost[i][j]).sum();
            assert!((total - brute_force(&cost)).abs() < 1e-9, "trial {trial}");
        }
    }

    #[test]
    fn rejects_more_rows_than_columns_and_nan() {
        assert_eq!(solve_min(&[vec![1.0], vec![2.0]]), None);
        assert_eq!(solve_min(&[vec![f64::NAN, 1.0]]), None);
    }

    #[test]
    fn dummies_leave_rows_unassigned_when_cheaper_or_forbidden() {
        let cost = vec![vec![1.0, FORBIDDEN], vec![0.5, FORBIDDEN], vec![FORBIDDEN, FORBIDDEN]];
        let sol = assign_with_dummies(&cost, &[5.0, 5.0, 5.0]);
        // Row 1 takes column 0 (cheaper overall: 0.5 + 5 < 1 + 5), row 0 and row 2 stay unassigned.
        assert_eq!(sol, vec![None, Some(0), None]);
    }

    #[test]
    fn ties_are_broken_deterministically() {
        let cost = vec![vec![1.0, 1.0], vec![1.0, 1.0]];
        let a = solve_min(&cost).unwrap();
        for _ in 0..5 {
            assert_eq!(solve_min(&cost).unwrap(), a);
        }
    }
}
