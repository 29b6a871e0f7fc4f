//! 6×6 matrix products written out for the filters' hot paths (prediction Φ P Φᵀ, the threat
//! assessment's chained transitions). Each entry is summed over k = 0, …, 5 in order, like nalgebra's
//! product, so the values are nalgebra's bit for bit (tested); the columns are plain arrays the
//! compiler keeps in vector registers, at about half the instructions of the generic product.

use crate::Cov6;
use nalgebra::{ArrayStorage, SMatrix};

/// A·B.
#[inline]
pub fn mul(a: &Cov6, b: &Cov6) -> Cov6 {
    mul_square(a, b)
}

/// A·Bᵀ.
#[inline]
pub fn mul_transpose(a: &Cov6, b: &Cov6) -> Cov6 {
    mul_transpose_square(a, b)
}

/// A·B for square matrices of any size (nalgebra's values bit for bit, like [`mul`]).
#[inline]
pub fn mul_square<const N: usize>(a: &SMatrix<f64, N, N>, b: &SMatrix<f64, N, N>) -> SMatrix<f64, N, N> {
    let a = &a.data.0;
    let mut c = [[0.0; N]; N];
    for (cj, bj) in c.iter_mut().zip(&b.data.0) {
        *cj = combine(a, bj);
    }
    SMatrix::from_data(ArrayStorage(c))
}

/// A·Bᵀ for square matrices of any size (nalgebra's values bit for bit, like [`mul_transpose`]).
#[inline]
pub fn mul_transpose_square<const N: usize>(
    a: &SMatrix<f64, N, N>,
    b: &SMatrix<f64, N, N>,
) -> SMatrix<f64, N, N> {
    let (a, b) = (&a.data.0, &b.data.0);
    let mut c = [[0.0; N]; N];
    for (j, cj) in c.iter_mut().enumerate() {
        let row: [f64; N] = std::array::from_fn(|k| b[k][j]);
        *cj = combine(a, &row);
    }
    SMatrix::from_data(ArrayStorage(c))
}

/// Φ·P·Φᵀ + Q for symmetric P and Q, symmetric by construction: M = Φ·P as [`mul`], then only the
/// lower triangle of M·Φᵀ (each entry summed over k = 0, …, 5 in order, as [`mul_transpose`] sums
/// it), Q added, and the upper triangle mirrored from it.
///
/// The full product followed by (C + Cᵀ)/2 (the former prediction) gives the mean of the two
/// mirrored entries, which differ from each other only by rounding; this gives the lower one, so the
/// values agree to rounding (tested) for about two thirds of the second product's work and none of
/// the symmetrising.
#[inline]
pub fn congruence_plus(phi: &Cov6, p: &Cov6, q: &Cov6) -> Cov6 {
    let m = mul(phi, p);
    let mut c = [[0.0; 6]; 6];
    lower_congruence(&m.data.0, &phi.data.0, &q.data.0, &mut c);
    SMatrix::from_data(ArrayStorage(c))
}

/// [`congruence_plus`] written over `p` (the same values, without returning a new matrix: P is read
/// only to form Φ·P, before any entry is written).
#[inline]
pub fn congruence_plus_in_place(phi: &Cov6, p: &mut Cov6, q: &Cov6) {
    let m = mul(phi, p);
    lower_congruence(&m.data.0, &phi.data.0, &q.data.0, &mut p.data.0);
}

/// The lower triangle of M·Φᵀ + Q into `c`, mirrored onto the upper (see [`congruence_plus`]).
#[inline(always)]
fn lower_congruence(m: &[[f64; 6]; 6], f: &[[f64; 6]; 6], q: &[[f64; 6]; 6], c: &mut [[f64; 6]; 6]) {
    for j in 0..6 {
        // Row j of Φ: the factors of the columns of M in entry (i, j) = Σ_k M_ik Φ_jk.
        let row: [f64; 6] = std::array::from_fn(|k| f[k][j]);
        for i in j..6 {
            let mut s = m[0][i] * row[0];
            for k in 1..6 {
                s += m[k][i] * row[k];
            }
            c[j][i] = s + q[j][i];
        }
    }
    mirror_lower(c);
}

/// Copies the lower triangle of a square matrix (column arrays) onto its upper triangle.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // c[j][i] = c[i][j] reads and writes the same array.
pub(crate) fn mirror_lower<const N: usize>(c: &mut [[f64; N]; N]) {
    for j in 1..N {
        for i in 0..j {
            c[j][i] = c[i][j];
        }
    }
}

/// Σ_k a_k·x_k over the columns a_k of A (column arrays), summed in order of k as nalgebra's product
/// and `gemv` sum it: A·x.
#[inline(always)]
pub fn combine<const N: usize>(a: &[[f64; N]; N], x: &[f64; N]) -> [f64; N] {
    let mut c = [0.0; N];
    if N == 0 {
        return c;
    }
    for r in 0..N {
        c[r] = a[0][r] * x[0];
    }
    for k in 1..N {
        for r in 0..N {
            c[r] += a[k][r] * x[k];
        }
    }
    c
}

/// Test check of a covariance formed on its lower triangle and mirrored: exactly symmetric, the lower
/// triangle equal to the `dense` product's (bit for bit but for the sign of zeros), and the whole within
/// 16 ulps of `scale` (the entries' absolute terms) of the former symmetrised value (dense + denseᵀ)/2.
/// Returns the largest error relative to `scale`.
#[cfg(test)]
pub(crate) fn check_mirrored_lower(c: &Cov6, dense: &Cov6, scale: &Cov6) -> f64 {
    let old = (dense + dense.transpose()) * 0.5;
    let mut worst = 0.0f64;
    for j in 0..6 {
        for i in 0..6 {
            assert_eq!(c[(i, j)].to_bits(), c[(j, i)].to_bits(), "symmetric");
            if i >= j {
                assert_eq!(c[(i, j)], dense[(i, j)], "lower triangle ({i},{j})");
                assert!(c[(i, j)] == 0.0 || c[(i, j)].to_bits() == dense[(i, j)].to_bits());
            }
            let err = (c[(i, j)] - old[(i, j)]).abs();
            assert!(
                err <= 16.0 * f64::EPSILON * scale[(i, j)],
                "({i},{j}): {} vs {}",
                c[(i, j)],
                old[(i, j)]
            );
            worst = worst.max(err / scale[(i, j)]);
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A symmetric positive semi-definite matrix from pseudo-random factors.
    fn spd(next: &mut impl FnMut() -> f64, scale: f64) -> Cov6 {
        let a = Cov6::from_fn(|_, _| next() * scale);
        a * a.transpose()
    }

    /// The lower triangle is the full product's plus Q bit for bit, the upper its mirror, and the
    /// whole agrees with the former (Φ P Φᵀ + Q + its transpose) / 2 to rounding: within a few ulps of
    /// the entry's absolute terms (|Φ| |P| |Φ|ᵀ + |Q|).
    #[test]
    fn congruence_plus_equals_the_symmetrised_product_to_rounding() {
        let mut seed = 5u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut worst = 0.0f64;
        for trial in 0..500 {
            let phi =
                Cov6::identity() + Cov6::from_fn(|_, _| next()) * if trial % 2 == 0 { 0.1 } else { 3.0 };
            let p = spd(&mut next, 10f64.powi(trial % 9 - 2));
            let q = spd(&mut next, 10f64.powi(trial % 5 - 3));
            let c = congruence_plus(&phi, &p, &q);
            let full = mul_transpose(&mul(&phi, &p), &phi) + q;
            // |Φ| |P| |Φ|ᵀ + |Q|: the scale of the rounding errors of either form.
            let abs = |m: &Cov6| m.map(f64::abs);
            let scale = abs(&phi) * abs(&p) * abs(&phi).transpose() + abs(&q);
            worst = worst.max(check_mirrored_lower(&c, &full, &scale));
        }
        // The formulas do differ (else this test would show nothing).
        assert!(worst > 0.0);
    }

    #[test]
    fn products_equal_nalgebra_bit_for_bit() {
        let mut seed = 11u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let u = (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            // Wide magnitudes, some exact zeros and negative zeros.
            match seed % 11 {
                0 => 0.0,
                1 => -0.0,
                _ => u * 10f64.powi((seed % 17) as i32 - 8),
            }
        };
        for _ in 0..500 {
            let a = Cov6::from_fn(|_, _| next());
            let b = Cov6::from_fn(|_, _| next());
            for (x, y) in mul(&a, &b).iter().zip((a * b).iter()) {
                assert_eq!(x.to_bits(), y.to_bits());
            }
            for (x, y) in mul_transpose(&a, &b).iter().zip((a * b.transpose()).iter()) {
                assert_eq!(x.to_bits(), y.to_bits());
            }
        }
    }
}
