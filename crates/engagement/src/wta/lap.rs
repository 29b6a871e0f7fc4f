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
}
