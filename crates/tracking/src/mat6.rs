//! 6×6 matrix products written out for the filters' hot paths (prediction Φ P Φᵀ, the threat
//! assessment's chained transitions), and the same for the small shapes of the measurement update
//! (6×3 gains, 3×6 Jacobians). Each entry is summed over k = 0, 1, … in order, like nalgebra's
//! product, so the values are nalgebra's bit for bit (tested); the columns are plain arrays the
//! compiler keeps in vector registers, at about half the instructions of the generic product.

use crate::Cov6;
use nalgebra::{ArrayStorage, SMatrix};

/// A·B.
#[inline]
pub fn mul(a: &Cov6, b: &Cov6) -> Cov6 {
    let (a, b) = (&a.data.0, &b.data.0);
    let mut c = [[0.0; 6]; 6];
    for (cj, bj) in c.iter_mut().zip(b) {
        *cj = column(a, bj);
    }
    Cov6::from_data(ArrayStorage(c))
}

/// A·Bᵀ.
#[inline]
pub fn mul_transpose(a: &Cov6, b: &Cov6) -> Cov6 {
    let (a, b) = (&a.data.0, &b.data.0);
    let mut c = [[0.0; 6]; 6];
    for (j, cj) in c.iter_mut().enumerate() {
        let row = [b[0][j], b[1][j], b[2][j], b[3][j], b[4][j], b[5][j]];
        *cj = column(a, &row);
    }
    Cov6::from_data(ArrayStorage(c))
}

/// A·B for any small fixed shapes (the measurement update's 6×3 and 3×6 factors), summed like
/// [`mul`] and nalgebra's product (tested bit for bit).
#[inline]
pub fn mul_any<const R: usize, const K: usize, const C: usize>(
    a: &SMatrix<f64, R, K>,
    b: &SMatrix<f64, K, C>,
) -> SMatrix<f64, R, C> {
    let (a, b) = (&a.data.0, &b.data.0);
    SMatrix::from_data(ArrayStorage(std::array::from_fn(|j| column_any(a, &b[j]))))
}

/// A·Bᵀ for any small fixed shapes, summed like [`mul_transpose`] (tested bit for bit).
#[inline]
pub fn mul_transpose_any<const R: usize, const K: usize, const C: usize>(
    a: &SMatrix<f64, R, K>,
    b: &SMatrix<f64, C, K>,
) -> SMatrix<f64, R, C> {
    let (a, b) = (&a.data.0, &b.data.0);
    SMatrix::from_data(ArrayStorage(std::array::from_fn(|j| {
        let row: [f64; K] = std::array::from_fn(|k| b[k][j]);
        column_any(a, &row)
    })))
}

/// Σ_k a_k·x_k over the columns a_k of an R×K matrix, summed in order of k.
#[inline(always)]
fn column_any<const R: usize, const K: usize>(a: &[[f64; R]; K], x: &[f64; K]) -> [f64; R] {
    let mut c = [0.0; R];
    for r in 0..R {
        c[r] = a[0][r] * x[0];
    }
    for k in 1..K {
        for r in 0..R {
            c[r] += a[k][r] * x[k];
        }
    }
    c
}

/// Σ_k a_k·x_k over the columns a_k of A, summed in order of k.
#[inline(always)]
fn column(a: &[[f64; 6]; 6], x: &[f64; 6]) -> [f64; 6] {
    let mut c = [0.0; 6];
    for r in 0..6 {
        c[r] = a[0][r] * x[0];
    }
    for k in 1..6 {
        for r in 0..6 {
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

    /// The shapes of the measurement update: A·B and A·Bᵀ equal nalgebra's bit for bit.
    #[test]
    fn small_shape_products_equal_nalgebra_bit_for_bit() {
        fn check<const R: usize, const K: usize, const C: usize>(next: &mut impl FnMut() -> f64) {
            let a = SMatrix::<f64, R, K>::from_fn(|_, _| next());
            let b = SMatrix::<f64, K, C>::from_fn(|_, _| next());
            let bt = SMatrix::<f64, C, K>::from_fn(|_, _| next());
            for (x, y) in mul_any(&a, &b).iter().zip((a * b).iter()) {
                assert_eq!(x.to_bits(), y.to_bits(), "{R}x{K} by {K}x{C}");
            }
            for (x, y) in mul_transpose_any(&a, &bt).iter().zip((a * bt.transpose()).iter()) {
                assert_eq!(x.to_bits(), y.to_bits(), "{R}x{K} by ({C}x{K})^T");
            }
        }
        let mut seed = 23u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let u = (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            match seed % 11 {
                0 => 0.0,
                1 => -0.0,
                _ => u * 10f64.powi((seed % 17) as i32 - 8),
            }
        };
        for _ in 0..300 {
            check::<6, 3, 6>(&mut next);
            check::<6, 3, 3>(&mut next);
            check::<6, 6, 3>(&mut next);
            check::<3, 6, 3>(&mut next);
            check::<3, 3, 6>(&mut next);
            check::<6, 3, 1>(&mut next);
            check::<3, 3, 3>(&mut next);
        }
    }
}
