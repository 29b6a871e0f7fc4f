//! Precision degradation of shared tracks: a party can share a track at a set accuracy without
//! revealing its sensors' full quality.
//!
//! The sender adds independent Gaussian noise n ~ N(0, σ²·I₃) to the reported position and adds σ²·I₃
//! to the position block of the covariance. The reported error is then e + n with covariance P + σ²·I₃
//! (n is independent of e), so the report stays consistent and a partner's fusion weighs it correctly;
//! and every eigenvalue of the reported position covariance is at least σ², so the report is never
//! tighter than the set accuracy, whatever the sender's own accuracy.

use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use shieldnet_tracking::{Cov6, State6};

/// Degrades a track's state and covariance to position accuracy `sigma_m` (1σ per axis, m), drawing
/// the noise from `rng`.
pub fn degrade(state: &State6, cov: &Cov6, sigma_m: f64, rng: &mut ChaCha8Rng) -> (State6, Cov6) {
    let mut x = *state;
    let mut p = *cov;
    for i in 0..3 {
        let n: f64 = StandardNormal.sample(rng);
        x[i] += sigma_m * n;
        p[(i, i)] += sigma_m * sigma_m;
    }
    (x, p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn reported_covariance_is_never_tighter_than_the_set_accuracy_and_matches_the_spread() {
        let sigma = 500.0;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        // A very accurate track (10 m) with correlated axes.
        let mut cov = Cov6::identity() * 100.0;
        cov[(0, 1)] = 60.0;
        cov[(1, 0)] = 60.0;
        let truth = State6::new(7.0e6, 1.0e5, 2.0e5, 1.0, 2.0, 3.0);
        let mut sum_sq = [0.0; 3];
        let n = 4000;
        for _ in 0..n {
            let (x, p) = degrade(&truth, &cov, sigma, &mut rng);
            let pos = p.fixed_view::<3, 3>(0, 0).into_owned();
            let min_eig = pos.symmetric_eigenvalues().min();
            assert!(min_eig >= sigma * sigma, "{min_eig}");
            // Velocity untouched.
            assert_eq!(x.fixed_rows::<3>(3), truth.fixed_rows::<3>(3));
            for (i, s) in sum_sq.iter_mut().enumerate() {
                *s += (x[i] - truth[i]).powi(2);
            }
        }
        // The added noise has the variance the covariance claims (σ² + 100 per axis): the sample
        // variance over 4,000 draws is within ±10 % (its standard error is ~2.2 %).
        for s in sum_sq {
            let var = s / n as f64;
            assert!((var / (sigma * sigma + 100.0) - 1.0).abs() < 0.1, "{var}");
        }
    }
}
