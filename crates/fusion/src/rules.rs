//! Track-to-track fusion rules a party can choose.
//!
//! - **Covariance intersection** (the default, ω by trace or by determinant): consistent for any
//!   unknown correlation between the two estimates; pessimistic when they are in fact independent.
//! - **Naive** independent fusion, P⁻¹ = Pa⁻¹ + Pb⁻¹: optimal only for independent errors, and
//!   overconfident otherwise (kept to show that).
//! - **Bar-Shalom–Campo** (1986) with a configured correlation coefficient ρ: the optimal linear
//!   combination of two estimates with a *known* cross-covariance. We model Pab = ρ·La·Lbᵀ (La, Lb
//!   Cholesky factors of Pa, Pb), the cross-covariance of ea = La·u, eb = Lb·w with corr(u, w) = ρ·I;
//!   this keeps the joint covariance positive semi-definite for every |ρ| ≤ 1. Chosen over
//!   Ellipsoidal Intersection because its assumption is one explicit number an analyst can vary
//!   (ρ = 0 gives naive fusion, ρ → 1 gives no gain from identical estimates), where EI's implicit
//!   "common information" cannot be stated or checked.

use crate::covariance_intersection::{self, Criterion};
use nalgebra::{SMatrix, SVector};
use serde::{Deserialize, Serialize};

/// A fusion rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FusionRule {
    /// Covariance intersection, ω minimising the trace of the fused covariance.
    #[default]
    CiTrace,
    /// Covariance intersection, ω minimising the determinant.
    CiDeterminant,
    /// Naive fusion assuming independent errors.
    Naive,
    /// Bar-Shalom–Campo with cross-covariance ρ·La·Lbᵀ.
    BarShalomCampo {
        /// Correlation coefficient ρ in [0, 1).
        correlation: f64,
    },
}

impl FusionRule {
    /// Fuses two estimates of the same state. Falls back to the input with the smaller trace when
    /// the rule's matrices are singular.
    pub fn fuse<const N: usize>(
        &self,
        a: &SVector<f64, N>,
        pa: &SMatrix<f64, N, N>,
        b: &SVector<f64, N>,
        pb: &SMatrix<f64, N, N>,
    ) -> (SVector<f64, N>, SMatrix<f64, N, N>) {
        let better = || if pa.trace() <= pb.trace() { (*a, *pa) } else { (*b, *pb) };
        match *self {
            FusionRule::CiTrace => {
                let (x, p, _) = covariance_intersection::fuse_by(a, pa, b, pb, Criterion::Trace);
                (x, p)
            }
            FusionRule::CiDeterminant => {
                let (x, p, _) = covariance_intersection::fuse_by(a, pa, b, pb, Criterion::Determinant);
                (x, p)
            }
            FusionRule::Naive => {
                covariance_intersection::fuse_independent(a, pa, b, pb).unwrap_or_else(better)
            }
            FusionRule::BarShalomCampo { correlation } => {
                bar_shalom_campo(a, pa, b, pb, correlation).unwrap_or_else(better)
            }
        }
    }

    /// [`FusionRule::fuse`] into (`x`, `p`), which hold the first estimate on entry and the fused
    /// one on return (the same values; covariance intersection leaves them untouched when it keeps
    /// the first estimate).
    pub fn fuse_into<const N: usize>(
        &self,
        x: &mut SVector<f64, N>,
        p: &mut SMatrix<f64, N, N>,
        b: &SVector<f64, N>,
        pb: &SMatrix<f64, N, N>,
    ) {
        match *self {
            FusionRule::CiTrace => {
                covariance_intersection::fuse_in_place(x, p, b, pb, Criterion::Trace);
            }
            FusionRule::CiDeterminant => {
                covariance_intersection::fuse_in_place(x, p, b, pb, Criterion::Determinant);
            }
            _ => (*x, *p) = self.fuse(x, p, b, pb),
        }
    }
}

/// Bar-Shalom–Campo fusion with cross-covariance Pab = ρ·La·Lbᵀ:
/// x = a + (Pa − Pab)·S⁻¹·(b − a), P = Pa − (Pa − Pab)·S⁻¹·(Pa − Pba), S = Pa + Pb − Pab − Pba.
/// `None` when a covariance is not positive definite or S is singular (e.g. ρ = 1 with Pa = Pb).
pub fn bar_shalom_campo<const N: usize>(
    a: &SVector<f64, N>,
    pa: &SMatrix<f64, N, N>,
    b: &SVector<f64, N>,
    pb: &SMatrix<f64, N, N>,
    rho: f64,
) -> Option<(SVector<f64, N>, SMatrix<f64, N, N>)> {
    let la = nalgebra::Cholesky::new(*pa)?.l();
    let lb = nalgebra::Cholesky::new(*pb)?.l();
    let pab = la * lb.transpose() * rho;
    let s = pa + pb - pab - pab.transpose();
    let si = s.try_inverse()?;
    let k = (pa - pab) * si;
    let x = a + k * (b - a);
    let p = pa - k * (pa - pab.transpose());
    Some((x, (p + p.transpose()) * 0.5))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::{Matrix2, Vector2};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn bar_shalom_campo_by_hand() {
        // Identical covariances P: La = Lb, Pab = ρP, S = 2(1−ρ)P, K = I/2, so
        // x = (a + b)/2 and P_fused = P − (1−ρ)P/2 = (1+ρ)/2 · P.
        let p = Matrix2::new(4.0, 1.0, 1.0, 2.0);
        let (a, b) = (Vector2::new(0.0, 0.0), Vector2::new(2.0, -2.0));
        for rho in [0.0, 0.3, 0.8] {
            let (x, pf) = bar_shalom_campo(&a, &p, &b, &p, rho).unwrap();
            assert!((x - Vector2::new(1.0, -1.0)).norm() < 1e-12);
            assert!((pf - p * (1.0 + rho) / 2.0).norm() < 1e-12, "ρ = {rho}: {pf}");
        }
        // ρ = 0 is naive fusion.
        let pb = Matrix2::new(1.0, 0.0, 0.0, 9.0);
        let (x0, p0) = bar_shalom_campo(&a, &p, &b, &pb, 0.0).unwrap();
        let (xn, pn) = covariance_intersection::fuse_independent(&a, &p, &b, &pb).unwrap();
        assert!((x0 - xn).norm() < 1e-12 && (p0 - pn).norm() < 1e-12);
        // Identical estimates fully correlated: no gain, and the rule says so by refusing.
        assert!(bar_shalom_campo(&a, &p, &a, &p, 1.0).is_none());
    }

    #[test]
    fn fusing_in_place_gives_the_fused_values_bit_for_bit() {
        // Random 6-D pairs (either estimate the better one, some equal): every rule's in-place result
        // is its returned result, exactly.
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut spd = |scale: f64| {
            let l = nalgebra::Matrix6::<f64>::from_fn(|_, _| StandardNormal.sample(&mut rng));
            (l * l.transpose() + nalgebra::Matrix6::identity() * 0.05) * scale
        };
        let rules = [
            FusionRule::CiTrace,
            FusionRule::CiDeterminant,
            FusionRule::Naive,
            FusionRule::BarShalomCampo { correlation: 0.4 },
        ];
        for trial in 0..60 {
            let pa = spd(10f64.powi(trial % 5 - 2));
            let pb = if trial % 7 == 0 { pa } else { spd(1.0) };
            let a = nalgebra::Vector6::from_fn(|i, _| i as f64 - 2.5);
            let b = nalgebra::Vector6::from_fn(|i, _| 0.3 * i as f64);
            for rule in rules {
                let (x, p) = rule.fuse(&a, &pa, &b, &pb);
                let (mut xi, mut pi) = (a, pa);
                rule.fuse_into(&mut xi, &mut pi, &b, &pb);
                let same = |u: &[f64], v: &[f64]| u.iter().zip(v).all(|(s, t)| s.to_bits() == t.to_bits());
                assert!(
                    same(x.as_slice(), xi.as_slice()) && same(p.as_slice(), pi.as_slice()),
                    "{rule:?} {trial}"
                );
            }
        }
    }

    /// Average normalised estimation error squared of each rule over seeded draws of two estimates
    /// whose errors share a common part (correlation 0.7 per axis) that neither covariance states.
    fn mean_nees(rule: FusionRule) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(2011);
        let (pa, pb) = (Matrix2::new(4.0, 0.0, 0.0, 1.0), Matrix2::new(1.0, 0.0, 0.0, 4.0));
        let (la, lb) = (pa.cholesky().unwrap().l(), pb.cholesky().unwrap().l());
        let rho: f64 = 0.7;
        let n = 4000;
        let mut sum = 0.0;
        for _ in 0..n {
            let g = |r: &mut ChaCha8Rng| Vector2::new(StandardNormal.sample(r), StandardNormal.sample(r));
            let common = g(&mut rng);
            let ua = common * rho.sqrt() + g(&mut rng) * (1.0 - rho).sqrt();
            let ub = common * rho.sqrt() + g(&mut rng) * (1.0 - rho).sqrt();
            let (ea, eb) = (la * ua, lb * ub);
            let (x, p) = rule.fuse(&ea, &pa, &eb, &pb);
            sum += (x.transpose() * p.try_inverse().unwrap() * x)[0];
        }
        sum / n as f64
    }

    #[test]
    fn ci_stays_consistent_under_unknown_correlation_and_naive_does_not() {
        // A consistent 2-D estimate has mean NEES ≤ 2 (the state dimension); 4,000 draws put the
        // sample mean within about ±0.1 of its expectation.
        let ci = mean_nees(FusionRule::CiTrace);
        let ci_det = mean_nees(FusionRule::CiDeterminant);
        let naive = mean_nees(FusionRule::Naive);
        let bc = mean_nees(FusionRule::BarShalomCampo { correlation: 0.7 });
        assert!(ci < 2.1, "CI trace NEES {ci}");
        assert!(ci_det < 2.1, "CI determinant NEES {ci_det}");
        assert!(naive > 2.5, "naive NEES {naive} should show overconfidence");
        // Bar-Shalom–Campo told the true correlation is consistent (NEES ≈ 2).
        assert!((bc - 2.0).abs() < 0.15, "Bar-Shalom–Campo NEES {bc}");
    }
}
