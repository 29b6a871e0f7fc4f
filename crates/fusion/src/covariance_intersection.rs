//! Covariance intersection (Julier and Uhlmann, 1997): a fusion rule that is consistent whatever the
//! unknown correlation between the two estimates. P⁻¹ = ω·Pa⁻¹ + (1−ω)·Pb⁻¹,
//! x = P·(ω·Pa⁻¹·a + (1−ω)·Pb⁻¹·b), with ω ∈ [0, 1] chosen to minimise the trace of P.

use nalgebra::{SMatrix, SVector};

/// What ω minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// trace(P): the mean squared error (the usual choice).
    Trace,
    /// det(P): the volume of the uncertainty ellipsoid (Shannon information).
    Determinant,
}

/// Fuses two estimates with covariance intersection, ω minimising trace(P) (golden-section search).
/// Returns the fused estimate, its covariance and ω. Falls back to the better input when a covariance
/// is singular.
pub fn fuse<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
) -> (SVector<f64, N>, SMatrix<f64, N, N>, f64) {
    fuse_by(a, pa, b, pb, Criterion::Trace)
}

/// Covariance intersection with ω chosen by `criterion`. With A = Pa⁻¹ = L·Lᵀ and
/// L⁻¹·Pb⁻¹·L⁻ᵀ = Q·Λ·Qᵀ, det(ω·A + (1−ω)·B) = det(A)·Π(ω + (1−ω)λᵢ), so minimising det(P) is
/// maximising Σ ln(ω + (1−ω)λᵢ), a concave function of ω.
pub fn fuse_by<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
    criterion: Criterion,
) -> (SVector<f64, N>, SMatrix<f64, N, N>, f64) {
    let (Some(ia), Some(ib)) = (pa.try_inverse(), pb.try_inverse()) else {
        return if pa.trace() <= pb.trace() { (*a, *pa, 1.0) } else { (*b, *pb, 0.0) };
    };
    // trace((ω·A + (1−ω)·B)⁻¹) for every ω from one simultaneous diagonalisation: with A = L·Lᵀ and
    // L⁻¹·B·L⁻ᵀ = Q·Λ·Qᵀ, the inverse is M·diag(1/(ω + (1−ω)λᵢ))·Mᵀ with M = L⁻ᵀ·Q, so its trace is
    // Σ ‖Mᵢ‖² / (ω + (1−ω)λᵢ): O(n) per evaluation of the search below instead of an inversion.
    let diagonalised = nalgebra::Cholesky::new(ia).and_then(|c| {
        let l_inv = c.l().try_inverse()?;
        let c = l_inv * ib * l_inv.transpose();
        // Dynamic storage for the eigen-solver, whose static form needs dimension bounds we do not
        // want on this generic function.
        let eig = nalgebra::DMatrix::from_column_slice(N, N, c.as_slice()).symmetric_eigen();
        let m = nalgebra::DMatrix::from_column_slice(N, N, l_inv.transpose().as_slice()) * eig.eigenvectors;
        let weights: Vec<f64> = m.column_iter().map(|col| col.norm_squared()).collect();
        Some((weights, eig.eigenvalues.iter().copied().collect::<Vec<f64>>()))
    });
    let trace_at = |w: f64| match (&diagonalised, criterion) {
        (Some((c, lambda)), Criterion::Trace) => {
            c.iter().zip(lambda.iter()).map(|(ci, li)| ci / (w + (1.0 - w) * li)).sum()
        }
        (Some((_, lambda)), Criterion::Determinant) => {
            -lambda.iter().map(|li| (w + (1.0 - w) * li).ln()).sum::<f64>()
        }
        (None, Criterion::Trace) => {
            (ia * w + ib * (1.0 - w)).try_inverse().map(|p| p.trace()).unwrap_or(f64::INFINITY)
        }
        (None, Criterion::Determinant) => {
            let m = ia * w + ib * (1.0 - w);
            let d = nalgebra::DMatrix::from_column_slice(N, N, m.as_slice()).determinant();
            if d > 0.0 { -d.ln() } else { f64::INFINITY }
        }
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let mut x1 = hi - g * (hi - lo);
    let mut x2 = lo + g * (hi - lo);
    let (mut f1, mut f2) = (trace_at(x1), trace_at(x2));
    // 40 golden-section steps narrow ω to 0.618⁴⁰ ≈ 4e-9.
    for _ in 0..40 {
        if f1 <= f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = trace_at(x1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = trace_at(x2);
        }
    }
    let mut w = 0.5 * (lo + hi);
    // The optimum may sit at an end point (one estimate dominates).
    for end in [0.0, 1.0] {
        if trace_at(end) < trace_at(w) {
            w = end;
        }
    }
    // A flat trace (e.g. equal covariances) leaves ω undetermined: take the symmetric weight.
    let mid = trace_at(0.5);
    if (trace_at(w) - mid).abs() <= 1e-12 * mid.abs() {
        w = 0.5;
    }
    let info = ia * w + ib * (1.0 - w);
    match info.try_inverse() {
        Some(p) => (p * (ia * a * w + ib * b * (1.0 - w)), p, w),
        None => (*a, *pa, 1.0),
    }
}

/// Naive fusion assuming independent errors: P⁻¹ = Pa⁻¹ + Pb⁻¹. Overconfident when the errors are
/// correlated; kept to show that overconfidence.
pub fn fuse_independent<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
) -> Option<(SVector<f64, N>, SMatrix<f64, N, N>)> {
    let ia = pa.try_inverse()?;
    let ib = pb.try_inverse()?;
    let p = (ia + ib).try_inverse()?;
    Some((p * (ia * a + ib * b), p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{Matrix2, Vector2};

    #[test]
    fn symmetric_two_dimensional_case_by_hand() {
        // Pa = diag(1, 4), Pb = diag(4, 1): by symmetry ω = 1/2, P⁻¹ = diag(0.625, 0.625), P = 1.6·I,
        // x = 1.6·(0.5·diag(1/4, 1)·(1, 1)) = (0.2, 0.8).
        let (x, p, w) = fuse(
            &Vector2::new(0.0, 0.0),
            &Matrix2::new(1.0, 0.0, 0.0, 4.0),
            &Vector2::new(1.0, 1.0),
            &Matrix2::new(4.0, 0.0, 0.0, 1.0),
        );
        assert!((w - 0.5).abs() < 1e-6);
        assert!((p - Matrix2::identity() * 1.6).norm() < 1e-6);
        assert!((x - Vector2::new(0.2, 0.8)).norm() < 1e-6);
    }

    #[test]
    fn trace_and_determinant_omegas_by_hand() {
        // Pa = I, Pb = diag(1/2, 4), so A = I, B = diag(2, 1/4).
        // Determinant: det(ωA + (1−ω)B) = (2 − ω)(1 + 3ω)/4, maximal at ω = 5/6, where
        // P⁻¹ = diag(7/6, 7/8), P = diag(6/7, 8/7).
        // Trace: tr P = 1/(2 − ω) + 4/(1 + 3ω); its derivative vanishes where 1 + 3ω = √12·(2 − ω),
        // ω = (2√12 − 1)/(3 + √12) ≈ 0.917 10.
        let (pa, pb) = (Matrix2::identity(), Matrix2::new(0.5, 0.0, 0.0, 4.0));
        let z = Vector2::zeros();
        let (_, p, w) = fuse_by(&z, &pa, &z, &pb, Criterion::Determinant);
        assert!((w - 5.0 / 6.0).abs() < 1e-7, "{w}");
        assert!((p - Matrix2::new(6.0 / 7.0, 0.0, 0.0, 8.0 / 7.0)).norm() < 1e-7);
        let (_, p, w) = fuse_by(&z, &pa, &z, &pb, Criterion::Trace);
        let w_exact = (2.0 * 12f64.sqrt() - 1.0) / (3.0 + 12f64.sqrt());
        assert!((w - w_exact).abs() < 1e-7, "{w} vs {w_exact}");
        assert!((p[(0, 0)] - 1.0 / (2.0 - w_exact)).abs() < 1e-7);
        assert!((p[(1, 1)] - 1.0 / (w_exact + 0.25 * (1.0 - w_exact))).abs() < 1e-7);
    }

    #[test]
    fn a_dominating_estimate_takes_all_the_weight() {
        // Pa = I is better than Pb = 9·I in every direction: ω = 1, P = Pa, x = a.
        let (x, p, w) = fuse(
            &Vector2::new(3.0, -1.0),
            &Matrix2::identity(),
            &Vector2::new(0.0, 0.0),
            &(Matrix2::identity() * 9.0),
        );
        assert!((w - 1.0).abs() < 1e-9);
        assert!((p - Matrix2::identity()).norm() < 1e-9);
        assert!((x - Vector2::new(3.0, -1.0)).norm() < 1e-9);
    }

    #[test]
    fn ci_is_never_tighter_than_the_best_input_along_a_shared_axis_and_naive_is() {
        // Two estimates of a scalar-like quantity with identical covariance: CI gives back that covariance
        // (it cannot know they are independent); naive fusion halves it.
        let p = Matrix2::new(2.0, 0.3, 0.3, 1.0);
        let (_, pci, _) = fuse(&Vector2::new(0.0, 0.0), &p, &Vector2::new(0.1, 0.0), &p);
        assert!((pci - p).norm() < 1e-9);
        let (_, pn) = fuse_independent(&Vector2::new(0.0, 0.0), &p, &Vector2::new(0.1, 0.0), &p).unwrap();
        assert!((pn - p * 0.5).norm() < 1e-9);
    }
}
