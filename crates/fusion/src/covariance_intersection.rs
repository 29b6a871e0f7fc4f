//! Covariance intersection (Julier and Uhlmann, 1997): a fusion rule that is consistent whatever the
//! unknown correlation between the two estimates. P⁻¹ = ω·Pa⁻¹ + (1−ω)·Pb⁻¹,
//! x = P·(ω·Pa⁻¹·a + (1−ω)·Pb⁻¹·b), with ω ∈ [0, 1] chosen to minimise the trace of P.

use crate::products;
use nalgebra::{SMatrix, SVector};

/// What ω minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// trace(P): the mean squared error (the usual choice).
    Trace,
    /// det(P): the volume of the uncertainty ellipsoid (Shannon information).
    Determinant,
}

/// Fuses two estimates with covariance intersection, ω minimising trace(P). Returns the fused
/// estimate, its covariance and ω. Falls back to the input with the smaller trace when a covariance
/// is not positive definite.
pub fn fuse<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
) -> (SVector<f64, N>, SMatrix<f64, N, N>, f64) {
    fuse_by(a, pa, b, pb, Criterion::Trace)
}

/// Covariance intersection with ω chosen by `criterion`.
///
/// One simultaneous diagonalisation serves every ω: with Pa = La·Laᵀ (Cholesky) and
/// La⁻¹·Pb·La⁻ᵀ = Q·diag(μᵢ)·Qᵀ, put M = La·Q and νᵢ = 1/μᵢ. Then Pa⁻¹ = M⁻ᵀ·M⁻¹,
/// Pb⁻¹ = M⁻ᵀ·diag(νᵢ)·M⁻¹, and with gᵢ(ω) = ω + (1−ω)·νᵢ
///
/// - P(ω) = M·diag(1/gᵢ)·Mᵀ, so trace P = Σ ‖Mᵢ‖²/gᵢ and det P = det(Pa)/Π gᵢ;
/// - x(ω) = M·[(ω·ãᵢ + (1−ω)·νᵢ·b̃ᵢ)/gᵢ] with ã = M⁻¹·a, b̃ = M⁻¹·b.
///
/// Both criteria are convex in ω (each term of trace P is convex in gᵢ, which is affine in ω, and
/// −Σ ln gᵢ is convex), so ω is the root of the derivative in (0, 1), or an end point. The end points
/// are tested first, from closed forms of the derivative there that need only Cholesky factors and
/// triangular solves (no eigendecomposition); at an end point the input itself is the result. An
/// interior ω is found by Newton's method kept inside a shrinking bracket. No matrix is inverted; everything is on the
/// stack (this runs for every fused pair of every update). The eigendecomposition is
/// [`crate::eigen::symmetric_eigen`] (a stack-only tridiagonal QL, cheaper than nalgebra's general
/// solver for 6×6; the same results to rounding, tested).
pub fn fuse_by<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
    criterion: Criterion,
) -> (SVector<f64, N>, SMatrix<f64, N, N>, f64) {
    fuse_with(a, pa, b, pb, criterion, crate::eigen::symmetric_eigen)
}

/// [`fuse_by`] into (`x`, `p`), which hold the first estimate (a, Pa) on entry and the fused one on
/// return (the same values): when ω = 1 is optimal they are left as they are, with no copy in or
/// out. Returns ω.
pub fn fuse_in_place<const N: usize>(
    x: &mut SVector<f64, N>,
    p: &mut SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
    criterion: Criterion,
) -> f64 {
    if criterion == Criterion::Trace && omega_one_by_trace(x, p, b, pb) {
        return 1.0;
    }
    let (xf, pf, w) = fuse_after_omega_one(x, p, b, pb, criterion, crate::eigen::symmetric_eigen);
    *x = xf;
    *p = pf;
    w
}

/// An eigensolver for symmetric matrices: eigenvalues and orthonormal eigenvectors (columns).
type Eigensolver<const N: usize> = fn(&SMatrix<f64, N, N>) -> Option<(SVector<f64, N>, SMatrix<f64, N, N>)>;

/// Relative margin of the end-point tests of [`endpoint`]: a derivative of the criterion at ω = 0
/// or 1 closer to zero than this (relative to the criterion's scale) is left to the full
/// optimisation. It excludes the flat case (all |νᵢ − 1| ≤ 1e-12, where ω = 1/2) and keeps the
/// tests' rounding error (about cond·ε) from deciding.
const ENDPOINT_MARGIN: f64 = 1e-9;

/// [`fuse_by`] with the eigensolver `eigen` (the tests compare solvers): the end-point tests of
/// [`endpoint`] first, then the full optimisation of [`fuse_optimised`]. For the trace, the ω = 1
/// test comes before Pa's factor: it needs only Pb's, and it decides most end points (the local
/// track is usually the better one), which then cost neither Pa's factor nor La⁻¹·Pb.
fn fuse_with<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
    criterion: Criterion,
    eigen: Eigensolver<N>,
) -> (SVector<f64, N>, SMatrix<f64, N, N>, f64) {
    // ω = 1 by the trace: the input a as it is (also what `better` gives, since tr Pa ≤ tr Pb there).
    if criterion == Criterion::Trace && omega_one_by_trace(a, pa, b, pb) {
        return (*a, *pa, 1.0);
    }
    fuse_after_omega_one(a, pa, b, pb, criterion, eigen)
}

/// [`fuse_with`] after the trace's ω = 1 test has failed (or for the determinant, which has none
/// before Pa's factor).
fn fuse_after_omega_one<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
    criterion: Criterion,
    eigen: Eigensolver<N>,
) -> (SVector<f64, N>, SMatrix<f64, N, N>, f64) {
    let better = || if pa.trace() <= pb.trace() { (*a, *pa, 1.0) } else { (*b, *pb, 0.0) };
    let Some(la) = cholesky(pa) else { return better() };
    // Y = La⁻¹·Pb (the first half of K = La⁻¹·Pb·La⁻ᵀ).
    let mut y = *pb;
    if !solve_lower_in_place(&la, &mut y) {
        return better();
    }
    match endpoint_given_factor(a, pa, b, pb, &la, &y, criterion) {
        Some(Endpoint::A) => return (*a, *pa, 1.0),
        Some(Endpoint::B) => return (*b, *pb, 0.0),
        None => {}
    }
    fuse_optimised(a, b, &la, &y, criterion, eigen).unwrap_or_else(better)
}

/// An end of [0, 1] that is the optimal ω.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    /// ω = 1: the fused estimate is (a, Pa).
    A,
    /// ω = 0: the fused estimate is (b, Pb).
    B,
}

/// Whether every entry is finite (all of them tested, without branches).
#[inline(always)]
fn all_finite(v: &[f64]) -> bool {
    v.iter().fold(true, |ok, x| ok & x.is_finite())
}

/// Σ of the squared entries (the squared Frobenius norm), summed in storage order.
#[inline(always)]
fn squares<const N: usize>(m: &SMatrix<f64, N, N>) -> f64 {
    m.as_slice().iter().map(|v| v * v).sum::<f64>()
}

/// Whether ω = 0 or ω = 1 is optimal, decided without the eigendecomposition (about half of a
/// campaign's fusions end at an end point). The criterion J is convex in ω, so ω = 0 is optimal iff
/// J′(0) ≥ 0 and ω = 1 iff J′(1) ≤ 0; there P(ω) and x(ω) are exactly the inputs, returned as they
/// are. With J′(ω) = −tr(P·(Pa⁻¹ − Pb⁻¹)·P) for the trace and −tr((Pa⁻¹ − Pb⁻¹)·P) for
/// J = ln det P, and Pa = La·Laᵀ, Pb = Lb·Lbᵀ:
///
/// - trace: J′(0) = tr Pb − ‖La⁻¹·Pb‖²_F, J′(1) = ‖Lb⁻¹·Pa‖²_F − tr Pa;
/// - determinant: J′(0) = n − ‖La⁻¹·Lb‖²_F, J′(1) = ‖Lb⁻¹·La‖²_F − n.
///
/// `None` (leave it to the full optimisation) when neither derivative clears zero by
/// [`ENDPOINT_MARGIN`] of the criterion's scale, when Pb has no Cholesky factor, or when an
/// estimate is not finite (the full optimisation then falls back as it always did). The two tests
/// exclude each other (J′ is nondecreasing and each must clear zero by the margin), so their order
/// does not change the decision: for the trace, [`omega_one_by_trace`] first, then
/// [`endpoint_given_factor`] (the order of [`fuse_with`]).
#[cfg(test)]
fn endpoint<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
    la: &SMatrix<f64, N, N>,
    y: &SMatrix<f64, N, N>,
    criterion: Criterion,
) -> Option<Endpoint> {
    if criterion == Criterion::Trace && omega_one_by_trace(a, pa, b, pb) {
        return Some(Endpoint::A);
    }
    endpoint_given_factor(a, pa, b, pb, la, y, criterion)
}

/// The trace's ω = 1 test of [`endpoint`], J′(1) = ‖Lb⁻¹·Pa‖²_F − tr Pa ≤ −margin, from Pb's factor
/// alone. It needs J(1) ≤ J(0), tr Pa ≤ tr Pb (by convexity J′(1) ≥ J(1) − J(0)): otherwise it cannot
/// pass and Pb's factor is not computed. False when an estimate is not finite or Pb has no factor.
fn omega_one_by_trace<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
) -> bool {
    let (ta, tb) = (pa.trace(), pb.trace());
    if ta > tb || !(all_finite(a.as_slice()) & all_finite(b.as_slice())) {
        return false;
    }
    let Some(lb) = cholesky(pb) else { return false };
    let mut z = *pa;
    solve_lower_in_place(&lb, &mut z) && squares(&z) - ta <= -(ENDPOINT_MARGIN * (ta + tb))
}

/// The rest of [`endpoint`] once Pa's factor La and Y = La⁻¹·Pb are at hand: for the trace the
/// ω = 0 test (Pb's factor only confirms that Pb is positive definite), for the determinant both.
fn endpoint_given_factor<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
    la: &SMatrix<f64, N, N>,
    y: &SMatrix<f64, N, N>,
    criterion: Criterion,
) -> Option<Endpoint> {
    if !(all_finite(a.as_slice()) & all_finite(b.as_slice())) {
        return None;
    }
    match criterion {
        Criterion::Trace => {
            let (ta, tb) = (pa.trace(), pb.trace());
            let scale = ENDPOINT_MARGIN * (ta + tb);
            if tb - squares(y) >= scale {
                return cholesky(pb).map(|_| Endpoint::B);
            }
            None
        }
        Criterion::Determinant => {
            let lb = cholesky(pb)?;
            let n = N as f64;
            let scale = ENDPOINT_MARGIN * n;
            if n - squares(&solve_lower(la, lb)?) >= scale {
                Some(Endpoint::B)
            } else if squares(&solve_lower(&lb, *la)?) - n <= -scale {
                Some(Endpoint::A)
            } else {
                None
            }
        }
    }
}

/// Covariance intersection by the full optimisation of ω over the simultaneous diagonalisation
/// (see [`fuse_by`]), from La and Y = La⁻¹·Pb. `None` when Pb is not positive definite or the result
/// is not finite.
fn fuse_optimised<const N: usize>(
    a: &SVector<f64, N>,
    b: &SVector<f64, N>,
    la: &SMatrix<f64, N, N>,
    y: &SMatrix<f64, N, N>,
    criterion: Criterion,
    eigen: Eigensolver<N>,
) -> Option<(SVector<f64, N>, SMatrix<f64, N, N>, f64)> {
    let d = Diagonalised::new(la, y, eigen)?;
    let w = d.optimal_omega(criterion);
    d.fused(a, b, w).map(|(x, p)| (x, p, w))
}

/// The Cholesky factor L of a symmetric positive definite P = L·Lᵀ (only the lower triangle of P is
/// read), `None` when P is not positive definite. The operations of nalgebra's `Cholesky::new` in
/// the same order (so the same factor bit for bit, tested), on the stack.
fn cholesky<const N: usize>(p: &SMatrix<f64, N, N>) -> Option<SMatrix<f64, N, N>> {
    let mut l = SMatrix::<f64, N, N>::zeros();
    let (ls, ps) = (l.as_mut_slice(), p.as_slice());
    for j in 0..N {
        // Column j (rows j..) of P less Σₖ L[j, k]·(column k of L).
        ls[j * N + j..(j + 1) * N].copy_from_slice(&ps[j * N + j..(j + 1) * N]);
        for k in 0..j {
            let factor = -ls[k * N + j];
            let (done, rest) = ls.split_at_mut(j * N);
            for (x, lk) in rest[j..N].iter_mut().zip(&done[k * N + j..(k + 1) * N]) {
                *x += factor * lk;
            }
        }
        let diag = ls[j * N + j];
        // Not positive (or NaN): no factor.
        if diag.is_nan() || diag <= 0.0 {
            return None;
        }
        let denom = diag.sqrt();
        ls[j * N + j] = denom;
        for x in &mut ls[j * N + j + 1..(j + 1) * N] {
            *x /= denom;
        }
    }
    Some(l)
}

/// Pa and Pb simultaneously diagonalised (see [`fuse_by`]).
struct Diagonalised<'a, const N: usize> {
    /// M = La·Q.
    m: SMatrix<f64, N, N>,
    /// La (to apply M⁻¹ = Qᵀ·La⁻¹).
    la: &'a SMatrix<f64, N, N>,
    /// Q.
    q: SMatrix<f64, N, N>,
    /// νᵢ = 1/μᵢ.
    nu: SVector<f64, N>,
    /// ‖Mᵢ‖².
    weight: SVector<f64, N>,
}

impl<'a, const N: usize> Diagonalised<'a, N> {
    /// From La and Y = La⁻¹·Pb.
    #[inline(always)]
    fn new(la: &'a SMatrix<f64, N, N>, y: &SMatrix<f64, N, N>, eigen: Eigensolver<N>) -> Option<Self> {
        // K = La⁻¹·Pb·La⁻ᵀ = La⁻¹·Yᵀ.
        let mut k = y.transpose();
        if !solve_lower_in_place(la, &mut k) {
            return None;
        }
        let (mu, q) = eigen(&SMatrix::from_fn(|r, c| (k[(r, c)] + k[(c, r)]) * 0.5))?;
        if mu.as_slice().iter().any(|m| m.is_nan() || *m <= 0.0 || m.is_infinite()) {
            return None;
        }
        let nu = mu.map(|m| 1.0 / m);
        let m = products::mul(la, &q);
        let weight = SVector::<f64, N>::from_fn(|i, _| products::norm_squared(&m.data.0[i]));
        Some(Self { m, la, q, nu, weight })
    }

    /// dJ/dω and d²J/dω² of the criterion J at ω, and Σ|terms of dJ/dω| (the size of its rounding
    /// error, over ε).
    fn derivatives(&self, w: f64, criterion: Criterion) -> (f64, f64, f64) {
        let (mut d1, mut d2, mut size) = (0.0, 0.0, 0.0);
        for i in 0..N {
            let s = 1.0 - self.nu[i];
            let g = w + (1.0 - w) * self.nu[i];
            let term = match criterion {
                // J = Σ cᵢ/gᵢ.
                Criterion::Trace => {
                    let t = self.weight[i] * s / (g * g);
                    d2 += 2.0 * t * s / g;
                    t
                }
                // J = −Σ ln gᵢ.
                Criterion::Determinant => {
                    let t = s / g;
                    d2 += t * t;
                    t
                }
            };
            d1 -= term;
            size += term.abs();
        }
        (d1, d2, size)
    }

    /// ω minimising the criterion on [0, 1]; 1/2 when it is flat (equal covariances).
    fn optimal_omega(&self, criterion: Criterion) -> f64 {
        if self.nu.as_slice().iter().all(|n| (n - 1.0).abs() <= 1e-12) {
            return 0.5;
        }
        let (d0, _, _) = self.derivatives(0.0, criterion);
        let (d1, _, _) = self.derivatives(1.0, criterion);
        if d0 >= 0.0 {
            return 0.0;
        }
        if d1 <= 0.0 {
            return 1.0;
        }
        // The derivative rises from d0 < 0 to d1 > 0: Newton from the secant's root, falling back to
        // bisection whenever a step leaves the bracket; done when the derivative is zero to its
        // rounding error (further steps would only follow the rounding noise).
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        let mut w = d0 / (d0 - d1);
        for _ in 0..60 {
            let (g, h, size) = self.derivatives(w, criterion);
            if g.abs() <= 8.0 * f64::EPSILON * size {
                return w;
            }
            if g < 0.0 {
                lo = w;
            } else {
                hi = w;
            }
            let newton = if h > 0.0 { w - g / h } else { f64::NAN };
            let next = if newton > lo && newton < hi { newton } else { 0.5 * (lo + hi) };
            if (next - w).abs() <= 1e-14 || hi - lo <= 1e-14 {
                return next;
            }
            w = next;
        }
        w
    }

    /// The fused estimate and covariance at ω.
    fn fused(
        &self,
        a: &SVector<f64, N>,
        b: &SVector<f64, N>,
        w: f64,
    ) -> Option<(SVector<f64, N>, SMatrix<f64, N, N>)> {
        // M⁻¹·v = Qᵀ·(La⁻¹·v).
        let to_diag =
            |v: &SVector<f64, N>| solve_lower(self.la, *v).map(|y| products::tr_mul_vector(&self.q, &y));
        let (at, bt) = (to_diag(a)?, to_diag(b)?);
        let g = self.nu.map(|n| w + (1.0 - w) * n);
        let xt = SVector::<f64, N>::from_fn(|i, _| (w * at[i] + (1.0 - w) * self.nu[i] * bt[i]) / g[i]);
        let scaled = SMatrix::<f64, N, N>::from_fn(|r, c| self.m[(r, c)] / g[c]);
        let p = products::mul_transpose(&scaled, &self.m);
        let p = SMatrix::<f64, N, N>::from_fn(|r, c| (p[(r, c)] + p[(c, r)]) * 0.5);
        let x = products::mul_vector(&self.m, &xt);
        (all_finite(x.as_slice()) & all_finite(p.as_slice())).then_some((x, p))
    }
}

/// L⁻¹·B for a lower triangular L, by forward substitution column by column (the operations of
/// nalgebra's `solve_lower_triangular`, without its generic per-element overhead). `None` when L has
/// a zero on its diagonal.
fn solve_lower<const N: usize, const C: usize>(
    l: &SMatrix<f64, N, N>,
    mut b: SMatrix<f64, N, C>,
) -> Option<SMatrix<f64, N, C>> {
    solve_lower_in_place(l, &mut b).then_some(b)
}

/// [`solve_lower`] overwriting B with L⁻¹·B (no copies of B in and out); false when L has a zero on
/// its diagonal (B is then partly overwritten).
fn solve_lower_in_place<const N: usize, const C: usize>(
    l: &SMatrix<f64, N, N>,
    b: &mut SMatrix<f64, N, C>,
) -> bool {
    let ls = l.as_slice();
    for col in b.as_mut_slice().chunks_exact_mut(N) {
        for i in 0..N {
            let diag = ls[i * N + i];
            if diag == 0.0 {
                return false;
            }
            let coeff = col[i] / diag;
            col[i] = coeff;
            for (y, lr) in col[i + 1..].iter_mut().zip(&ls[i * N + i + 1..(i + 1) * N]) {
                *y += -coeff * lr;
            }
        }
    }
    true
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

    /// nalgebra's symmetric eigensolver (the one `fuse_by` used before `crate::eigen`): the
    /// reference the stack-only solver is checked against.
    fn nalgebra_eigen<const N: usize>(
        k: &SMatrix<f64, N, N>,
    ) -> Option<(SVector<f64, N>, SMatrix<f64, N, N>)> {
        let e = nalgebra::DMatrix::from_column_slice(N, N, k.as_slice()).symmetric_eigen();
        Some((
            SVector::from_column_slice(e.eigenvalues.as_slice()),
            SMatrix::from_column_slice(e.eigenvectors.as_slice()),
        ))
    }

    proptest::proptest! {
        #[test]
        fn the_stack_eigensolver_gives_the_fusion_of_nalgebras_to_rounding(
            la in proptest::collection::vec(-1.0f64..1.0, 36),
            lb in proptest::collection::vec(-1.0f64..1.0, 36),
            xs in proptest::collection::vec(-1e3f64..1e3, 12),
            log_scale_a in -4.0f64..8.0,
            log_scale_b in -4.0f64..8.0,
            determinant in proptest::bool::ANY,
        ) {
            // Random SPD pairs over twelve orders of magnitude of scale (condition numbers up to ~1e5).
            let spd = |l: &[f64], s: f64| {
                let l = nalgebra::Matrix6::from_column_slice(l);
                (l * l.transpose() + nalgebra::Matrix6::identity() * 0.05) * 10f64.powf(s)
            };
            let (pa, pb) = (spd(&la, log_scale_a), spd(&lb, log_scale_b));
            let a = nalgebra::Vector6::from_column_slice(&xs[..6]);
            let b = nalgebra::Vector6::from_column_slice(&xs[6..]);
            let criterion = if determinant { Criterion::Determinant } else { Criterion::Trace };
            let (x, p, w) = fuse_by(&a, &pa, &b, &pb, criterion);
            let (xr, pr, wr) = fuse_with(&a, &pa, &b, &pb, criterion, nalgebra_eigen);
            proptest::prop_assert!((w - wr).abs() <= 1e-9 * wr.abs().max(1e-3), "ω {w} vs {wr}");
            proptest::prop_assert!((p - pr).norm() <= 1e-9 * pr.norm(), "{p} vs {pr}");
            let scale = a.norm() + b.norm() + pr.norm().sqrt();
            proptest::prop_assert!((x - xr).norm() <= 1e-9 * scale, "{x} vs {xr}");
        }
    }

    #[test]
    fn the_cholesky_factor_is_nalgebras_bit_for_bit() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for trial in 0..300 {
            let scale = 10f64.powi(trial % 13 - 6);
            let p = random_spd6(&mut rng, scale);
            let ours = cholesky(&p).expect("positive definite");
            let theirs = nalgebra::Cholesky::new(p).unwrap().l();
            for (x, y) in ours.iter().zip(theirs.iter()) {
                assert_eq!(x.to_bits(), y.to_bits(), "trial {trial}: {ours} vs {theirs}");
            }
            // Indefinite: a negative eigenvalue (P − 2λmax·vvᵀ along a random direction) fails both.
            let v = nalgebra::Vector6::from_fn(|_, _| rng.random_range(-1.0..1.0)).normalize();
            let q = p - v * v.transpose() * (2.0 * p.norm());
            assert_eq!(cholesky(&q).is_none(), nalgebra::Cholesky::new(q).is_none(), "trial {trial}");
            assert!(cholesky(&q).is_none());
        }
        assert!(cholesky(&nalgebra::Matrix6::<f64>::zeros()).is_none());
        assert!(cholesky(&(nalgebra::Matrix6::<f64>::identity() * f64::NAN)).is_none());
    }

    /// J(ω) of `criterion` by direct inversion: trace P(ω), or ln det P(ω).
    fn criterion_by_inversion(
        pa: &nalgebra::Matrix6<f64>,
        pb: &nalgebra::Matrix6<f64>,
        w: f64,
        criterion: Criterion,
    ) -> f64 {
        let (ia, ib) = (pa.try_inverse().unwrap(), pb.try_inverse().unwrap());
        let p = (ia * w + ib * (1.0 - w)).try_inverse().unwrap();
        match criterion {
            Criterion::Trace => p.trace(),
            Criterion::Determinant => p.determinant().ln(),
        }
    }

    #[test]
    fn the_end_point_derivatives_match_finite_differences_of_the_criterion() {
        // J′(0) and J′(1) of `endpoint`'s closed forms against one-sided differences of J computed by
        // inverting P(ω) directly (step 1e-6: truncation error ~1e-6·J″, far below the values here).
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(77);
        for trial in 0..40 {
            let pa = random_spd6(&mut rng, 1.0);
            let pb = random_spd6(&mut rng, 1.0);
            let (la, lb) = (cholesky(&pa).unwrap(), cholesky(&pb).unwrap());
            let sq = |m: nalgebra::Matrix6<f64>| m.norm_squared();
            let y = solve_lower(&la, pb).unwrap();
            for criterion in [Criterion::Trace, Criterion::Determinant] {
                let (d0, d1) = match criterion {
                    Criterion::Trace => (pb.trace() - sq(y), sq(solve_lower(&lb, pa).unwrap()) - pa.trace()),
                    Criterion::Determinant => {
                        (6.0 - sq(solve_lower(&la, lb).unwrap()), sq(solve_lower(&lb, la).unwrap()) - 6.0)
                    }
                };
                let j = |w: f64| criterion_by_inversion(&pa, &pb, w, criterion);
                let h = 1e-6;
                let (f0, f1) = ((j(h) - j(0.0)) / h, (j(1.0) - j(1.0 - h)) / h);
                let tol = |d: f64| 1e-4 * (1.0 + d.abs());
                assert!((d0 - f0).abs() <= tol(f0), "trial {trial} {criterion:?}: J′(0) {d0} vs {f0}");
                assert!((d1 - f1).abs() <= tol(f1), "trial {trial} {criterion:?}: J′(1) {d1} vs {f1}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_end_point_test_agrees_with_the_full_optimisation(
            la in proptest::collection::vec(-1.0f64..1.0, 36),
            lb in proptest::collection::vec(-1.0f64..1.0, 36),
            xs in proptest::collection::vec(-1e3f64..1e3, 12),
            log_scale_a in -4.0f64..8.0,
            boundary in 0usize..3,
            log_offset in -14.0f64..0.0,
            above in proptest::bool::ANY,
            determinant in proptest::bool::ANY,
        ) {
            // Random SPD pairs; Pb is either scaled at random (boundary 0) or scaled to within a
            // relative 10^log_offset of where J′(0) = 0 (boundary 1) or J′(1) = 0 (boundary 2), on
            // either side: the end-point test must then agree with the eigendecomposition's ω or
            // leave the case to it.
            let criterion = if determinant { Criterion::Determinant } else { Criterion::Trace };
            let spd = |l: &[f64], s: f64| {
                let l = nalgebra::Matrix6::from_column_slice(l);
                (l * l.transpose() + nalgebra::Matrix6::identity() * 0.05) * 10f64.powf(s)
            };
            let pa = spd(&la, log_scale_a);
            let pb0 = spd(&lb, 0.0);
            let (ia, ib) = (pa.try_inverse().unwrap(), pb0.try_inverse().unwrap());
            // J′ at the end point for Pb = s·Pb0 is zero at s = s*.
            let s_star = match (criterion, boundary) {
                (_, 0) => 10f64.powf(log_scale_a + log_offset / 2.0),
                (Criterion::Trace, 1) => pb0.trace() / (pb0 * ia * pb0).trace(),
                (Criterion::Trace, _) => (pa * ib * pa).trace() / pa.trace(),
                (Criterion::Determinant, 1) => 6.0 / (pb0 * ia).trace(),
                (Criterion::Determinant, _) => (pa * ib).trace() / 6.0,
            };
            let offset = if boundary == 0 { 0.0 } else { 10f64.powf(log_offset) };
            let pb = pb0 * (s_star * (1.0 + if above { offset } else { -offset }));
            let a = nalgebra::Vector6::from_column_slice(&xs[..6]);
            let b = nalgebra::Vector6::from_column_slice(&xs[6..]);
            let l = cholesky(&pa).unwrap();
            let y = solve_lower(&l, pb).unwrap();
            let (xr, pr, wr) = fuse_optimised(&a, &b, &l, &y, criterion, crate::eigen::symmetric_eigen).unwrap();
            let (x, p, w) = fuse_by(&a, &pa, &b, &pb, criterion);
            match endpoint(&a, &pa, &b, &pb, &l, &y, criterion) {
                Some(end) => {
                    // The same end point, and the inputs there (the optimisation's values to rounding).
                    let (xe, pe, we) = if end == Endpoint::A { (a, pa, 1.0) } else { (b, pb, 0.0) };
                    proptest::prop_assert_eq!(wr, we, "{:?}", end);
                    proptest::prop_assert!(w == we && x == xe && p == pe);
                    proptest::prop_assert!((p - pr).norm() <= 1e-9 * pr.norm(), "{} vs {}", p, pr);
                    let scale = a.norm() + b.norm() + pr.norm().sqrt();
                    proptest::prop_assert!((x - xr).norm() <= 1e-9 * scale, "{} vs {}", x, xr);
                }
                // Left to the optimisation: exactly its result.
                None => proptest::prop_assert!(w == wr && x == xr && p == pr),
            }
        }
    }

    fn random_spd6(rng: &mut rand_chacha::ChaCha8Rng, scale: f64) -> nalgebra::Matrix6<f64> {
        use rand::RngExt;
        let l = nalgebra::Matrix6::from_fn(|_, _| rng.random_range(-1.0..1.0));
        (l * l.transpose() + nalgebra::Matrix6::identity() * 0.05) * scale
    }

    #[test]
    fn six_dimensional_fusion_matches_direct_inversion_and_a_dense_search_over_omega() {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(31);
        for trial in 0..40 {
            let pa = random_spd6(&mut rng, 1.0 + trial as f64);
            let pb = random_spd6(&mut rng, 1.0);
            let a = nalgebra::Vector6::from_fn(|i, _| i as f64 - 2.0);
            let b = nalgebra::Vector6::from_fn(|i, _| 1.0 - 0.5 * i as f64);
            let (ia, ib) = (pa.try_inverse().unwrap(), pb.try_inverse().unwrap());
            let direct = |w: f64| (ia * w + ib * (1.0 - w)).try_inverse().unwrap();
            for criterion in [Criterion::Trace, Criterion::Determinant] {
                let (x, p, w) = fuse_by(&a, &pa, &b, &pb, criterion);
                let j = |w: f64| match criterion {
                    Criterion::Trace => direct(w).trace(),
                    Criterion::Determinant => direct(w).determinant(),
                };
                // The fused covariance and estimate are the textbook formulas at the returned ω.
                let pd = direct(w);
                assert!((p - pd).norm() <= 1e-9 * pd.norm(), "trial {trial}: {p} vs {pd}");
                let xd = pd * (ia * a * w + ib * b * (1.0 - w));
                assert!((x - xd).norm() <= 1e-8 * (1.0 + xd.norm()), "trial {trial}: {x} vs {xd}");
                // No ω on a grid of 10,001 points does better.
                let best = (0..=10_000).map(|k| j(k as f64 / 10_000.0)).fold(f64::INFINITY, f64::min);
                assert!(j(w) <= best * (1.0 + 1e-12), "trial {trial}: J(ω = {w}) = {} > {best}", j(w));
            }
        }
    }
}
