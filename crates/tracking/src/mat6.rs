//! 6×6 matrix products written out for the filters' hot paths (prediction Φ P Φᵀ, the threat
//! assessment's chained transitions). Each entry is summed over k = 0, …, 5 in order, like nalgebra's
//! product, so the values are nalgebra's bit for bit (tested); the columns are plain arrays the
//! compiler keeps in vector registers, at about half the instructions of the generic product.

use crate::Cov6;
use nalgebra::ArrayStorage;

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
}
