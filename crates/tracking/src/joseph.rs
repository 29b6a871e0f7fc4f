//! The EKF's projection and Joseph-form update for a measurement Jacobian H = [Hₚ 0] that is zero on
//! the velocity columns (radar range, azimuth and elevation depend on position only), with the terms
//! whose factor is that zero (or the identity's 0 and 1 in I − K H) left out.
//!
//! Exact: leaving a term x·0 = ±0 out of a sum does not change the sum, and x·1 = x, so every entry
//! is the dense product's (for finite K and P; only the sign of an entry that is exactly zero may
//! differ), tested bit for bit against the dense forms. The one rounding-level difference is in
//! [`update_position`]: the covariance is made symmetric by mirroring its lower triangle instead of
//! averaging it with its transpose (as [`crate::mat6::congruence_plus`] does for the prediction).

use crate::Cov6;
use nalgebra::{ArrayStorage, Matrix3, SMatrix};

/// P Hᵀ and H P Hᵀ for H = [Hₚ 0]: each entry summed over the position columns only, in the order
/// of the dense products.
#[inline]
pub fn project_position(p: &Cov6, h: &SMatrix<f64, 3, 6>) -> (SMatrix<f64, 6, 3>, Matrix3<f64>) {
    let hp: Matrix3<f64> = h.fixed_columns::<3>(0).into_owned();
    let pxz: SMatrix<f64, 6, 3> = p.fixed_columns::<3>(0) * hp.transpose();
    let pzz = hp * pxz.fixed_rows::<3>(0);
    (pxz, pzz)
}

/// Joseph form (I − K H) P (I − K H)ᵀ + K R Kᵀ for H = [Hₚ 0].
///
/// A = I − K H has the identity's columns on the velocity side, so (A P)ᵢⱼ = Σₖ₌₀..₂ Aᵢₖ Pₖⱼ (+ Pᵢⱼ for
/// i ≥ 3) and ((A P) Aᵀ)ᵢⱼ = Σₖ₌₀..₂ (A P)ᵢₖ Aⱼₖ (+ (A P)ᵢⱼ for j ≥ 3): 3/6 of the first dense product
/// and, computing the lower triangle only, about 1/3 of the second. The lower triangle equals the
/// dense form's bit for bit; the upper triangle is its mirror. K R Kᵀ is summed as nalgebra's
/// `k * r * k.transpose()` sums it, (K R) first, on the lower triangle only.
#[inline]
pub fn update_position(k: &SMatrix<f64, 6, 3>, h: &SMatrix<f64, 3, 6>, p: &Cov6, r: &Matrix3<f64>) -> Cov6 {
    let hp: Matrix3<f64> = h.fixed_columns::<3>(0).into_owned();
    let kh: SMatrix<f64, 6, 3> = k * hp;
    // Columns 0..2 of A = I − K H (as the dense identity minus K H forms them).
    let a: [[f64; 6]; 3] =
        std::array::from_fn(|c| std::array::from_fn(|r| if r == c { 1.0 } else { 0.0 } - kh[(r, c)]));
    let p = &p.data.0;
    // A P by columns, ap[j][i] = (A P)ᵢⱼ.
    let ap: [[f64; 6]; 6] = std::array::from_fn(|j| {
        let pj = &p[j];
        std::array::from_fn(|i| {
            let s = a[0][i] * pj[0] + a[1][i] * pj[1] + a[2][i] * pj[2];
            if i >= 3 { s + pj[i] } else { s }
        })
    });
    let kr = (k * r).data.0;
    let kt = &k.data.0;
    let mut c = [[0.0; 6]; 6];
    for j in 0..6 {
        for i in j..6 {
            let mut s = ap[0][i] * a[0][j] + ap[1][i] * a[1][j] + ap[2][i] * a[2][j];
            if j >= 3 {
                s += ap[j][i];
            }
            let krk = kr[0][i] * kt[0][j] + kr[1][i] * kt[1][j] + kr[2][i] * kt[2][j];
            c[j][i] = s + krk;
        }
    }
    crate::mat6::mirror_lower(&mut c);
    SMatrix::from_data(ArrayStorage(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mat6;

    fn uniform(seed: u64) -> impl FnMut() -> f64 {
        let mut seed = seed;
        move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        }
    }

    /// A covariance, a Jacobian zero on the velocity columns and a gain of various scales.
    fn case(next: &mut impl FnMut() -> f64, trial: i32) -> (Cov6, SMatrix<f64, 3, 6>, SMatrix<f64, 6, 3>) {
        let f = Cov6::from_fn(|_, _| next() * 10f64.powi(trial % 7 - 1));
        let p = f * f.transpose();
        let mut h = SMatrix::<f64, 3, 6>::zeros();
        for i in 0..3 {
            for j in 0..3 {
                h[(i, j)] = next() * 10f64.powi(-(trial % 4) - 2 * i as i32);
            }
        }
        let k = SMatrix::<f64, 6, 3>::from_fn(|_, _| next() * 10f64.powi(trial % 5));
        (p, h, k)
    }

    #[test]
    fn projection_equals_the_dense_products_bit_for_bit() {
        let mut next = uniform(3);
        for trial in 0..500 {
            let (p, h, _) = case(&mut next, trial);
            let (pxz, pzz) = project_position(&p, &h);
            let dense = p * h.transpose();
            for (a, b) in pxz.iter().zip(dense.iter()).chain(pzz.iter().zip((h * dense).iter())) {
                assert_eq!(a, b);
                assert!(*a == 0.0 || a.to_bits() == b.to_bits());
            }
        }
    }

    /// The lower triangle is the dense Joseph form's bit for bit; the whole agrees with the former
    /// symmetrised value (average with the transpose) to a few ulps of the entries' absolute terms
    /// (|A| |P| |A|ᵀ + |K| |R| |K|ᵀ, the scale of either form's rounding error).
    #[test]
    fn joseph_update_equals_the_dense_form() {
        let mut next = uniform(17);
        let mut worst = 0.0f64;
        for trial in 0..500 {
            let (p, h, k) = case(&mut next, trial);
            let g = Matrix3::from_fn(|_, _| next());
            let r = g * g.transpose() + Matrix3::identity();
            let krk = k * r * k.transpose();
            let c = update_position(&k, &h, &p, &r);
            let i_kh = Cov6::identity() - k * h;
            let dense = mat6::mul_transpose(&mat6::mul(&i_kh, &p), &i_kh) + krk;
            // |A| |P| |A|ᵀ + |K| |R| |K|ᵀ: the scale of the rounding errors of either form.
            let abs = |m: &Cov6| m.map(f64::abs);
            let ka = k.map(f64::abs);
            let scale = abs(&i_kh) * abs(&p) * abs(&i_kh).transpose() + ka * r.map(f64::abs) * ka.transpose();
            worst = worst.max(mat6::check_mirrored_lower(&c, &dense, &scale));
        }
        assert!(worst > 0.0);
    }
}
