//! Interval estimates for campaign summaries: Wilson score intervals for proportions and
//! normal-approximation intervals for means.

use serde::{Deserialize, Serialize};

/// The standard normal quantile for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A point estimate with a two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Point estimate.
    pub value: f64,
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// Wilson score interval (Wilson 1927; Newcombe 1998, method 3) for `k` successes in `n` trials at
/// normal quantile `z`. With `n = 0` the estimate is 0 and the interval the whole of [0, 1].
pub fn wilson(k: u64, n: u64, z: f64) -> Estimate {
    if n == 0 {
        return Estimate { value: 0.0, lo: 0.0, hi: 1.0 };
    }
    let n_f = n as f64;
    let p = k.min(n) as f64 / n_f;
    let z2 = z * z;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = z * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denom;
    Estimate { value: p, lo: (centre - half).max(0.0), hi: (centre + half).min(1.0) }
}

/// Mean of `xs` with a normal-approximation interval `mean ± z·s/√n` (`s` the sample standard
/// deviation). Summed in the given order, so the result does not depend on how runs were spread
/// over threads. With no values the estimate is 0 with a zero-width interval; with one value the
/// interval has zero width.
pub fn mean_ci(xs: &[f64], z: f64) -> Estimate {
    let n = xs.len();
    if n == 0 {
        return Estimate { value: 0.0, lo: 0.0, hi: 0.0 };
    }
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Estimate { value: mean, lo: mean, hi: mean };
    }
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let half = z * (var / n as f64).sqrt();
    Estimate { value: mean, lo: mean - half, hi: mean + half }
}

/// Two-sided 95 % quantile of Student's t distribution with `df` degrees of freedom (t₀.₉₇₅):
/// tabulated for 1–30 degrees of freedom, the Cornish–Fisher expansion about the normal quantile
/// beyond (error below 1e-4 there).
pub fn t95(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df as usize - 1],
        _ => {
            let (z, n) = (Z95, df as f64);
            let z3 = z * z * z;
            let z5 = z3 * z * z;
            z + (z3 + z) / (4.0 * n) + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
        }
    }
}

/// Mean of `xs` with Student's t interval `mean ± t₀.₉₇₅(n−1)·s/√n`, for the small run counts of a
/// mode comparison. Summed in the given order. No values: 0 with zero width; one value: zero width.
pub fn mean_ci_t(xs: &[f64]) -> Estimate {
    let n = xs.len();
    if n < 2 {
        return mean_ci(xs, 0.0);
    }
    let z = t95(n as u64 - 1);
    mean_ci(xs, z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_quantiles_match_the_table_and_the_normal_limit() {
        // t₀.₉₇₅ from standard tables (e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.2).
        assert_eq!(t95(1), 12.706);
        assert_eq!(t95(9), 2.262);
        assert!((t95(40) - 2.021).abs() < 1e-3, "{}", t95(40));
        assert!((t95(100) - 1.984).abs() < 1e-3, "{}", t95(100));
        assert!((t95(1_000_000) - Z95).abs() < 1e-5);
        // Four values 1..4: s = √(5/3), t(3) = 3.182.
        let e = mean_ci_t(&[1.0, 2.0, 3.0, 4.0]);
        let half = 3.182 * (5.0f64 / 3.0).sqrt() / 2.0;
        assert!((e.hi - 2.5 - half).abs() < 1e-12 && (2.5 - e.lo - half).abs() < 1e-12);
    }

    fn close(e: Estimate, lo: f64, hi: f64) {
        assert!((e.lo - lo).abs() < 5e-5 && (e.hi - hi).abs() < 5e-5, "{e:?} vs [{lo}, {hi}]");
    }

    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
    /// seven methods", Stat. Med. 17:857–872, Table II, method 3 (Wilson score without continuity
    /// correction), examples (a)–(d).
    #[test]
    fn wilson_matches_newcombe_1998() {
        close(wilson(81, 263, Z95), 0.2553, 0.3662);
        close(wilson(15, 148, Z95), 0.0624, 0.1605);
        close(wilson(0, 20, Z95), 0.0, 0.1611);
        close(wilson(1, 29, Z95), 0.0061, 0.1718);
    }

    #[test]
    fn wilson_edges() {
        let all = wilson(20, 20, Z95);
        assert_eq!(all.hi, 1.0);
        close(all, 0.8389, 1.0);
        assert_eq!(wilson(0, 0, Z95), Estimate { value: 0.0, lo: 0.0, hi: 1.0 });
    }

    #[test]
    fn mean_interval() {
        let e = mean_ci(&[1.0, 2.0, 3.0, 4.0], Z95);
        assert_eq!(e.value, 2.5);
        // s = sqrt(5/3); half = 1.96 * s / 2
        close(e, 2.5 - Z95 * (5.0f64 / 3.0).sqrt() / 2.0, 2.5 + Z95 * (5.0f64 / 3.0).sqrt() / 2.0);
    }
}
