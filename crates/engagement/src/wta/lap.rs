//! Rectangular linear assignment (shortest augmenting paths with potentials, O(n²·m)).

/// Minimum-cost assignment of `n` rows to distinct columns among `m ≥ n`.
///
/// `cost(r, c)` must be finite. Returns the column of each row. Deterministic (ties go to the
/// lowest column index).
pub(crate) fn solve_lap(n: usize, m: usize, cost: impl Fn(usize, usize) -> f64) -> Vec<usize> {
    assert!(n <= m, "LAP needs rows <= columns");
    if n == 0 {
        return Vec::new();
    }
    // 1-based potentials as in the classic formulation; column 0 is a virtual source.
    let mut u = vec![0.0f64; n + 1];
    let mut v = vec![0.0f64; m + 1];
    let mut p = vec![0usize; m + 1]; // p[c] = row matched to column c (1-based), 0 = free
    let mut way = vec![0usize; m + 1];
    let mut minv = vec![0.0f64; m + 1];
    let mut used = vec![false; m + 1];
    for row in 1..=n {
        p[0] = row;
        let mut j0 = 0usize;
        minv.iter_mut().for_each(|x| *x = f64::INFINITY);
        used.iter_mut().for_each(|x| *x = false);
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = f64::INFINITY;
            let mut j1 = 0usize;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut col_of_row = vec![usize::MAX; n];
    for j in 1..=m {
        if p[j] != 0 {
            col_of_row[p[j] - 1] = j - 1;
        }
    }
    col_of_row
}

/// Rows of a sparse cost matrix: row `r` is `edges[start[r]..start[r + 1]]`, `(column, cost)`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SparseRows {
    /// Row offsets into `edges` (`n + 1` entries once rows are closed).
    pub start: Vec<usize>,
    /// `(column, cost)` pairs, finite costs.
    pub edges: Vec<(usize, f64)>,
}

impl SparseRows {
    /// Empties the matrix, keeping the allocations.
    pub fn clear(&mut self) {
        self.start.clear();
        self.start.push(0);
        self.edges.clear();
    }
    /// Closes the row being written.
    pub fn end_row(&mut self) {
        self.start.push(self.edges.len());
    }
    /// Number of closed rows.
    pub fn rows(&self) -> usize {
        self.start.len().saturating_sub(1)
    }
    /// Edges of row `r`.
    pub fn row(&self, r: usize) -> &[(usize, f64)] {
        &self.edges[self.start[r]..self.start[r + 1]]
    }
}

/// Minimum-cost assignment of `n` rows to distinct columns among `m` on a sparse graph
/// (`adj.row(r)` lists the `(column, cost)` pairs of row `r`). Successive shortest paths
/// (Dijkstra with potentials). Returns the column of each row, or `None` when no assignment of every
/// row exists. Deterministic.
///
/// `v0` are initial column potentials (e.g. the cost of a known good row per column), which only
/// speed up the search. The result is optimal when `n = m` or `v0` is zero; otherwise it is a
/// feasible assignment that the caller should compare with its incumbent.
pub(crate) fn solve_sparse_lap(m: usize, adj: &SparseRows, v0: Option<&[f64]>) -> Option<Vec<usize>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = adj.rows();
    let mut v = v0.map_or_else(|| vec![0.0f64; m], <[f64]>::to_vec);
    let mut u: Vec<f64> =
        (0..n).map(|r| adj.row(r).iter().map(|&(j, c)| c - v[j]).fold(f64::INFINITY, f64::min)).collect();
    let mut row_of = vec![usize::MAX; m];
    let mut col_of = vec![usize::MAX; n];
    let mut dist = vec![f64::INFINITY; m];
    let mut pred = vec![usize::MAX; m];
    let mut done = vec![false; m];
    let mut dist_row = vec![0.0f64; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut finalized: Vec<usize> = Vec::new();
    let mut rows_seen: Vec<usize> = Vec::new();
    let mut heap: BinaryHeap<(Reverse<super::heuristics::OrdF64>, Reverse<usize>)> = BinaryHeap::new();
    for r0 in 0..n {
        if !u[r0].is_finite() {
            return None;
        }
        heap.clear();
        for &j in &touched {
            dist[j] = f64::INFINITY;
            done[j] = false;
        }
        touched.clear();
        finalized.clear();
        rows_seen.clear();
        rows_seen.push(r0);
        dist_row[r0] = 0.0;
        let relax =
            |r: usize,
             d: f64,
             u: &[f64],
             v: &[f64],
             dist: &mut [f64],
             pred: &mut [usize],
             done: &[bool],
             touched: &mut Vec<usize>,
             heap: &mut BinaryHeap<(Reverse<super::heuristics::OrdF64>, Reverse<usize>)>| {
                for &(j, c) in adj.row(r) {
                    if done[j] {
                        continue;
                    }
                    let nd = d + (c - u[r] - v[j]).max(0.0);
                    if nd < dist[j] {
                        if dist[j].is_infinite() {
                            touched.push(j);
                        }
                        dist[j] = nd;
                        pred[j] = r;
                        heap.push((Reverse(super::heuristics::OrdF64(nd)), Reverse(j)));
                    }
                }
            };
        relax(r0, 0.0, &u, &v, &mut dist, &mut pred, &done, &mut touched, &mut heap);
        let (end, delta) = loop {
            let (Reverse(d), Reverse(j)) = heap.pop()?;
            if done[j] || d.0 > dist[j] {
                continue;
            }
            done[j] = true;
            finalized.push(j);
            let r = row_of[j];
            if r == usize::MAX {
                break (j, d.0);
            }
            dist_row[r] = d.0;
            rows_seen.push(r);
            relax(r, d.0, &u, &v, &mut dist, &mut pred, &done, &mut touched, &mut heap);
        };
        for &r in &rows_seen {
            u[r] += delta - dist_row[r];
        }
        for &j in &finalized {
            v[j] -= delta - dist[j];
        }
        let mut j = end;
        loop {
            let r = pred[j];
            let prev = col_of[r];
            col_of[r] = j;
            row_of[j] = r;
            if r == r0 {
                break;
            }
            j = prev;
        }
    }
    Some(col_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_square_and_rectangular() {
        let c = [[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]];
        let a = solve_lap(3, 3, |r, k| c[r][k]);
        let total: f64 = a.iter().enumerate().map(|(r, &k)| c[r][k]).sum();
        assert_eq!(total, 5.0);
        let a = solve_lap(2, 3, |r, k| c[r][k]);
        let total: f64 = a.iter().enumerate().map(|(r, &k)| c[r][k]).sum();
        assert_eq!(total, 1.0 + 2.0); // row0->col1 (1), row1->col0 (2)
    }

    #[test]
    fn sparse_matches_dense_on_random_instances() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for _ in 0..200 {
            let n = rng.random_range(1..=7usize);
            let m = rng.random_range(n..=8usize);
            let c: Vec<f64> = (0..n * m).map(|_| rng.random_range(-10.0..10.0)).collect();
            let dense = solve_lap(n, m, |r, k| c[r * m + k]);
            let mut adj = SparseRows::default();
            adj.clear();
            for r in 0..n {
                adj.edges.extend((0..m).map(|k| (k, c[r * m + k])));
                adj.end_row();
            }
            let total = |a: &[usize]| a.iter().enumerate().map(|(r, &k)| c[r * m + k]).sum::<f64>();
            let sparse = solve_sparse_lap(m, &adj, None).unwrap();
            if n == m {
                let v0: Vec<f64> = (0..m).map(|k| c[k % n * m + k]).collect();
                let warm = solve_sparse_lap(m, &adj, Some(&v0)).unwrap();
                assert!((total(&dense) - total(&warm)).abs() < 1e-9);
            }
            assert!((total(&dense) - total(&sparse)).abs() < 1e-9, "{dense:?} {sparse:?}");
            let mut cols = sparse.clone();
            cols.sort();
            cols.dedup();
            assert_eq!(cols.len(), n);
        }
        // Infeasible: two rows that can only use column 0.
        let mut adj = SparseRows::default();
        adj.clear();
        adj.edges.push((0, 1.0));
        adj.end_row();
        adj.edges.push((0, 2.0));
        adj.end_row();
        assert!(solve_sparse_lap(3, &adj, None).is_none());
    }
}
