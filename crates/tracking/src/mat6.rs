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

#[cfg(test)]
mod tests {
    use super::*;

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
