//! Eigenvalues and eigenvectors of a small symmetric matrix, on the stack: Householder reduction to
//! tridiagonal form, then the implicit QL algorithm with Wilkinson-like shifts (`tred2` and `tql2` of
//! EISPACK, as in the public-domain JAMA package). Written for the 6×6 matrices of covariance
//! intersection, where nalgebra's general `SymmetricEigen` spent most of a fusion's instructions in
//! index checks and generic storage; the arithmetic is the same textbook algorithm.

use nalgebra::{SMatrix, SVector};

/// Most QL iterations per eigenvalue before giving up (the algorithm converges cubically; a handful
/// suffice for any finite input).
const MAX_ITERATIONS: usize = 60;

/// Eigenvalues (unsorted) and orthonormal eigenvectors (columns, in the same order) of the symmetric
/// matrix `a` (only its lower triangle is read). `None` when `a` is not finite or the iteration does
/// not converge.
pub fn symmetric_eigen<const N: usize>(
    a: &SMatrix<f64, N, N>,
) -> Option<(SVector<f64, N>, SMatrix<f64, N, N>)> {
    if N == 0 {
        return Some((SVector::zeros(), SMatrix::zeros()));
    }
    // (Slices: nalgebra's element iterators cost several times more.)
    if a.as_slice().iter().any(|v| !v.is_finite()) {
        return None;
    }
    // Scaled to largest magnitude 1 (squares in the rotations then neither overflow nor underflow).
    let scale = a.as_slice().iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if scale == 0.0 {
        return Some((SVector::zeros(), SMatrix::identity()));
    }
    // v[col][row] (columns contiguous: the rotations update two columns), the lower triangle of `a`
    // mirrored.
    let mut v = [[0.0f64; N]; N];
    for (c, col) in v.iter_mut().enumerate() {
        for (r, x) in col.iter_mut().enumerate() {
            *x = if r >= c { a[(r, c)] } else { a[(c, r)] } / scale;
        }
    }
    let mut d = [0.0f64; N];
    let mut e = [0.0f64; N];
    tridiagonalise(&mut v, &mut d, &mut e);
    if !ql(&mut v, &mut d, &mut e) {
        return None;
    }
    if d.iter().chain(v.iter().flatten()).any(|x| !x.is_finite()) {
        return None;
    }
    let values = SVector::<f64, N>::from_fn(|i, _| d[i] * scale);
    let vectors = SMatrix::<f64, N, N>::from_fn(|r, c| v[c][r]);
    Some((values, vectors))
}

/// Householder reduction of the symmetric `v` to tridiagonal form (`tred2`): on return `d` holds the
/// diagonal, `e[1..]` the subdiagonal and `v` the orthogonal transformation (`v[col][row]`, the
/// transpose of JAMA's indexing).
#[allow(clippy::needless_range_loop)]
fn tridiagonalise<const N: usize>(v: &mut [[f64; N]; N], d: &mut [f64; N], e: &mut [f64; N]) {
    let n = N;
    for j in 0..n {
        d[j] = v[j][n - 1];
    }
    for i in (1..n).rev() {
        let scale: f64 = d[..i].iter().map(|x| x.abs()).sum();
        let mut h = 0.0;
        if scale == 0.0 {
            e[i] = d[i - 1];
            for j in 0..i {
                d[j] = v[j][i - 1];
                v[j][i] = 0.0;
                v[i][j] = 0.0;
            }
        } else {
            // The Householder vector.
            for k in 0..i {
                d[k] /= scale;
                h += d[k] * d[k];
            }
            let mut f = d[i - 1];
            let mut g = h.sqrt();
            if f > 0.0 {
                g = -g;
            }
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            for j in 0..i {
                e[j] = 0.0;
            }
            // The similarity transformation of the remaining columns.
            for j in 0..i {
                f = d[j];
                v[i][j] = f;
                g = e[j] + v[j][j] * f;
                for k in j + 1..i {
                    g += v[j][k] * d[k];
                    e[k] += v[j][k] * f;
                }
                e[j] = g;
            }
            f = 0.0;
            for j in 0..i {
                e[j] /= h;
                f += e[j] * d[j];
            }
            let hh = f / (h + h);
            for j in 0..i {
                e[j] -= hh * d[j];
            }
            for j in 0..i {
                f = d[j];
                g = e[j];
                for k in j..i {
                    v[j][k] -= f * e[k] + g * d[k];
                }
                d[j] = v[j][i - 1];
                v[j][i] = 0.0;
            }
        }
        d[i] = h;
    }
    // Accumulate the transformations.
    for i in 0..n - 1 {
        v[i][n - 1] = v[i][i];
        v[i][i] = 1.0;
        let h = d[i + 1];
        if h != 0.0 {
            for k in 0..=i {
                d[k] = v[i + 1][k] / h;
            }
            for j in 0..=i {
                let mut g = 0.0;
                for k in 0..=i {
                    g += v[i + 1][k] * v[j][k];
                }
                for k in 0..=i {
                    v[j][k] -= g * d[k];
                }
            }
        }
        for k in 0..=i {
            v[i + 1][k] = 0.0;
        }
    }
    for j in 0..n {
        d[j] = v[j][n - 1];
        v[j][n - 1] = 0.0;
    }
    v[n - 1][n - 1] = 1.0;
    e[0] = 0.0;
}

/// Implicit QL iteration on the tridiagonal (`d`, `e[1..]`) (`tql2`), accumulating the rotations
/// into `v`: on return `d` holds the eigenvalues and `v[i]` the eigenvector of `d[i]`. False when an eigenvalue
/// does not converge within [`MAX_ITERATIONS`] (non-finite data).
#[allow(clippy::needless_range_loop)]
fn ql<const N: usize>(v: &mut [[f64; N]; N], d: &mut [f64; N], e: &mut [f64; N]) -> bool {
    let n = N;
    for i in 1..n {
        e[i - 1] = e[i];
    }
    e[n - 1] = 0.0;
    let mut f = 0.0;
    let mut tst1 = 0.0f64;
    let eps = f64::EPSILON;
    for l in 0..n {
        // The first negligible subdiagonal element at or after l (e[n−1] = 0 ends the search).
        tst1 = tst1.max(d[l].abs() + e[l].abs());
        let mut m = l;
        while m < n - 1 && e[m].abs() > eps * tst1 {
            m += 1;
        }
        if m > l {
            let mut iterations = 0;
            loop {
                iterations += 1;
                if iterations > MAX_ITERATIONS {
                    return false;
                }
                // The implicit shift.
                let mut g = d[l];
                let mut p = (d[l + 1] - g) / (2.0 * e[l]);
                let mut r = (p * p + 1.0).sqrt();
                if p < 0.0 {
                    r = -r;
                }
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                let dl1 = d[l + 1];
                let mut h = g - d[l];
                for di in d.iter_mut().skip(l + 2) {
                    *di -= h;
                }
                f += h;
                // The implicit QL transformation.
                p = d[m];
                let (mut c, mut c2, mut c3) = (1.0, 1.0, 1.0);
                let el1 = e[l + 1];
                let (mut s, mut s2) = (0.0, 0.0);
                for i in (l..m).rev() {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = (p * p + e[i] * e[i]).sqrt();
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    let (left, right) = v.split_at_mut(i + 1);
                    for (vi, vi1) in left[i].iter_mut().zip(right[0].iter_mut()) {
                        h = *vi1;
                        *vi1 = s * *vi + c * h;
                        *vi = c * *vi - s * h;
                    }
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
                // NaN ends the loop too (and fails the finiteness check of the caller).
                if e[l].abs() <= eps * tst1 || e[l].is_nan() {
                    break;
                }
            }
        }
        d[l] += f;
        e[l] = 0.0;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{Matrix2, Matrix6};
    use proptest::prelude::*;

    /// ‖A·V − V·diag(λ)‖ and ‖VᵀV − I‖, relative to ‖A‖.
    fn residuals<const N: usize>(a: &SMatrix<f64, N, N>) -> (f64, f64) {
        let (l, v) = symmetric_eigen(a).expect("converges");
        let av = a * v;
        let vl = v * SMatrix::<f64, N, N>::from_diagonal(&l);
        let scale = a.norm().max(f64::MIN_POSITIVE);
        ((av - vl).norm() / scale, (v.transpose() * v - SMatrix::<f64, N, N>::identity()).norm())
    }

    #[test]
    fn two_by_two_by_hand() {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2.
        let (l, v) = symmetric_eigen(&Matrix2::new(2.0, 1.0, 1.0, 2.0)).unwrap();
        let mut pairs: Vec<(f64, [f64; 2])> = (0..2)
            .map(|i| (l[i], [v[(0, i)] * v[(0, i)].signum(), v[(1, i)] * v[(0, i)].signum()]))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let h = std::f64::consts::FRAC_1_SQRT_2;
        assert!((pairs[0].0 - 1.0).abs() < 1e-15 && (pairs[1].0 - 3.0).abs() < 1e-15, "{pairs:?}");
        assert!((pairs[0].1[0] - h).abs() < 1e-15 && (pairs[0].1[1] + h).abs() < 1e-15);
        assert!((pairs[1].1[0] - h).abs() < 1e-15 && (pairs[1].1[1] - h).abs() < 1e-15);
    }

    #[test]
    fn diagonal_repeated_and_zero_matrices() {
        let d = Matrix6::from_diagonal(&nalgebra::Vector6::new(3.0, 1.0, 4.0, 1.0, 5.0, 9.0));
        let (mut l, _) = symmetric_eigen(&d).unwrap();
        l.as_mut_slice().sort_by(f64::total_cmp);
        assert_eq!(l.as_slice(), &[1.0, 1.0, 3.0, 4.0, 5.0, 9.0]);
        assert!(residuals(&(Matrix6::identity() * 2.5)).0 < 1e-15);
        let (l, v) = symmetric_eigen(&Matrix6::zeros()).unwrap();
        assert_eq!(l, nalgebra::Vector6::zeros());
        assert!((v.transpose() * v - Matrix6::identity()).norm() < 1e-15);
        assert!(symmetric_eigen(&(Matrix6::identity() * f64::NAN)).is_none());
    }

    proptest! {
        #[test]
        fn eigenpairs_satisfy_the_definition_and_agree_with_nalgebra(
            entries in proptest::collection::vec(-1.0f64..1.0, 36),
            log_scale in -6.0f64..6.0,
        ) {
            let b = Matrix6::from_column_slice(&entries);
            let a = (b + b.transpose()) * 10f64.powf(log_scale);
            let (res, orth) = residuals(&a);
            prop_assert!(res < 1e-14 && orth < 1e-14, "residual {res}, orthogonality {orth}");
            // The same eigenvalues as nalgebra's solver.
            let (mut l, _) = symmetric_eigen(&a).unwrap();
            let mut r = nalgebra::SymmetricEigen::new(a).eigenvalues;
            l.as_mut_slice().sort_by(f64::total_cmp);
            r.as_mut_slice().sort_by(f64::total_cmp);
            prop_assert!((l - r).norm() <= 1e-14 * a.norm(), "{l} vs {r}");
        }
    }
}
