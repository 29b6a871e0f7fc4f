//! Score-based track confirmation by Wald's sequential probability ratio test on the track
//! log-likelihood ratio (Blackman & Popoli, *Design and Analysis of Modern Tracking Systems*, §6.2).
//!
//! The score L of a tentative track starts at 0 and grows by ln(Pd·N(ν; 0, S)/λ_FA) for each
//! associated detection (λ_FA the false-alarm density in measurement space) and by ln(1 − Pd) for each
//! look that should have seen it and did not. The track is confirmed when L ≥ ln((1 − β)/α) and
//! deleted when L ≤ ln(β/(1 − α)), with α the probability of confirming a false track and β that of
//! deleting a true one.

use serde::{Deserialize, Serialize};

/// SPRT thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sprt {
    /// Probability of confirming a false track (type I error).
    pub alpha: f64,
    /// Probability of deleting a true track (type II error).
    pub beta: f64,
}

impl Default for Sprt {
    fn default() -> Self {
        Self { alpha: 1e-4, beta: 1e-2 }
    }
}

/// What the test decides about a tentative track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Score above the upper threshold.
    Confirm,
    /// Score below the lower threshold.
    Delete,
    /// Keep testing.
    Continue,
}

impl Sprt {
    /// Upper (confirmation) threshold ln((1 − β)/α).
    pub fn upper(&self) -> f64 {
        ((1.0 - self.beta) / self.alpha).ln()
    }

    /// Lower (deletion) threshold ln(β/(1 − α)).
    pub fn lower(&self) -> f64 {
        (self.beta / (1.0 - self.alpha)).ln()
    }

    /// Decision at score `score`.
    pub fn decide(&self, score: f64) -> Decision {
        if score >= self.upper() {
            Decision::Confirm
        } else if score <= self.lower() {
            Decision::Delete
        } else {
            Decision::Continue
        }
    }
}

/// Score increment of an associated detection with innovation log-likelihood `log_likelihood`.
pub fn hit_increment(pd: f64, clutter_density: f64, log_likelihood: f64) -> f64 {
    pd.ln() - clutter_density.ln() + log_likelihood
}

/// Score increment of a missed look.
pub fn miss_increment(pd: f64) -> f64 {
    (1.0 - pd).max(1e-12).ln()
}

/// The parts of the score increments that depend only on the settings, kept between looks: the
/// increments are [`hit_increment`]'s and [`miss_increment`]'s bit for bit (same operations in the
/// same order) without their logarithms on every track.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Increments {
    /// (pd, clutter density) the values below come from.
    key: Option<(u64, u64)>,
    /// ln pd − ln λ.
    hit_base: f64,
    /// ln(1 − pd), floored.
    miss: f64,
}

impl Increments {
    /// Brings the values up to date with `pd` and `clutter_density` (recomputed only when they changed).
    pub(crate) fn refresh(&mut self, pd: f64, clutter_density: f64) {
        let key = Some((pd.to_bits(), clutter_density.to_bits()));
        if self.key != key {
            *self = Self { key, hit_base: pd.ln() - clutter_density.ln(), miss: miss_increment(pd) };
        }
    }

    /// [`hit_increment`] for the settings of the latest refresh.
    pub(crate) fn hit(&self, log_likelihood: f64) -> f64 {
        self.hit_base + log_likelihood
    }

    /// [`miss_increment`] for the settings of the latest refresh.
    pub(crate) fn miss(&self) -> f64 {
        self.miss
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_increments_equal_the_functions_bit_for_bit() {
        let mut inc = Increments::default();
        for (pd, lambda) in [(0.9, 1e-7), (0.5, 3e-9), (0.9, 1e-7), (1.0, 1e-5), (0.0, 2.0)] {
            inc.refresh(pd, lambda);
            for ll in [-30.0, -1.234_567, 0.0, 7.5] {
                assert_eq!(inc.hit(ll).to_bits(), hit_increment(pd, lambda, ll).to_bits());
            }
            assert_eq!(inc.miss().to_bits(), miss_increment(pd).to_bits());
        }
    }

    #[test]
    fn thresholds_and_increments_equal_hand_computed_values() {
        let s = Sprt { alpha: 1e-3, beta: 1e-2 };
        // ln(0.99/0.001) = 6.897705, ln(0.01/0.999) = −4.604170.
        assert!((s.upper() - 6.897_705).abs() < 1e-6);
        assert!((s.lower() + 4.604_170).abs() < 1e-6);
        // Pd 0.9, λ 1e-6, ln N = −5: ln 0.9 + 13.815511 − 5 = 8.710150 → one hit confirms.
        let h = hit_increment(0.9, 1e-6, -5.0);
        assert!((h - 8.710_150).abs() < 1e-6);
        assert_eq!(s.decide(h), Decision::Confirm);
        // Two misses: 2·ln 0.1 = −4.605170 ≤ −4.604170 → delete; one miss continues.
        assert_eq!(s.decide(miss_increment(0.9)), Decision::Continue);
        assert_eq!(s.decide(2.0 * miss_increment(0.9)), Decision::Delete);
    }
}
