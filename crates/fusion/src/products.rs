//! Small N×N products for covariance intersection on the column arrays: the matrix products are
//! `shieldnet_tracking::mat6`'s; the vector ones here sum each entry over k = 0, …, N−1 in order,
//! exactly as nalgebra's `gemv`, `tr_mul` and `norm_squared` sum it, so the values are nalgebra's bit
//! for bit (tested), without the generic product's per-element overhead and copies.

use nalgebra::{ArrayStorage, SMatrix, SVector};
use shieldnet_tracking::mat6::combine;
pub(crate) use shieldnet_tracking::mat6::{mul_square as mul, mul_transpose_square as mul_transpose};

/// A·x.
#[inline]
pub(crate) fn mul_vector<const N: usize>(a: &SMatrix<f64, N, N>, x: &SVector<f64, N>) -> SVector<f64, N> {
    SVector::from_data(ArrayStorage([combine(&a.data.0, &x.data.0[0])]))
}

/// Aᵀ·x.
#[inline]
pub(crate) fn tr_mul_vector<const N: usize>(a: &SMatrix<f64, N, N>, x: &SVector<f64, N>) -> SVector<f64, N> {
    let x = &x.data.0[0];
    SVector::from_data(ArrayStorage([std::array::from_fn(|i| dot(&a.data.0[i], x))]))
}

/// ‖v‖².
#[inline]
pub(crate) fn norm_squared<const N: usize>(v: &[f64; N]) -> f64 {
    dot(v, v)
}

/// Σ_k x_k·y_k, summed in order of k from zero (nalgebra's `dot` below eight elements).
#[inline(always)]
fn dot<const N: usize>(x: &[f64; N], y: &[f64; N]) -> f64 {
    let mut s = 0.0;
    for (a, b) in x.iter().zip(y) {
        s += a * b;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{Matrix6, Vector6};

    #[test]
    fn products_equal_nalgebras_bit_for_bit() {
        let mut seed = 3u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let u = (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            // Wide magnitudes, some exact zeros and negative zeros.
            match seed % 13 {
                0 => 0.0,
                1 => -0.0,
                _ => u * 10f64.powi((seed % 17) as i32 - 8),
            }
        };
        let same = |x: &[f64], y: &[f64]| x.iter().zip(y).all(|(a, b)| a.to_bits() == b.to_bits());
        for _ in 0..500 {
            let a = Matrix6::from_fn(|_, _| next());
            let b = Matrix6::from_fn(|_, _| next());
            let x = Vector6::from_fn(|_, _| next());
            assert!(same(mul(&a, &b).as_slice(), (a * b).as_slice()));
            assert!(same(mul_transpose(&a, &b).as_slice(), (a * b.transpose()).as_slice()));
            assert!(same(mul_vector(&a, &x).as_slice(), (a * x).as_slice()));
            assert!(same(tr_mul_vector(&a, &x).as_slice(), a.tr_mul(&x).as_slice()));
            for i in 0..6 {
                assert_eq!(norm_squared(&a.data.0[i]).to_bits(), a.column(i).norm_squared().to_bits());
            }
        }
    }
}
