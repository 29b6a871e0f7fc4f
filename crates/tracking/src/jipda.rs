//! Joint integrated probabilistic data association (JIPDA; Mušicki & Evans, "Joint integrated
//! probabilistic data association: JIPDA", IEEE T-AES 40(3), 2004): JPDA whose tracks carry a
//! probability of existence ψ that confirms and deletes them.
//!
//! - **Prediction.** The object survives with probability `survival_per_s` per second (a Markov chain
//!   without births): ψ⁻ = ψ · p_s^Δt.
//! - **Association.** The joint events of [`crate::jpda`] with existence in the weights: a pair
//!   (t, j) weighs g = ψ⁻·Pd·N(ν; 0, S)/λ and "t takes no detection" weighs 1 − Pd·Pg·ψ⁻ (Pg the gate
//!   probability, λ the clutter density). β(t, 0) and β(t, j) are the normalised sums as in JPDA.
//! - **Existence update.** Given no detection the track exists with probability
//!   ψ⁻(1 − Pd·Pg)/(1 − Pd·Pg·ψ⁻); given a detection, with certainty. So
//!   ψ = β(t, 0)·ψ⁻(1 − Pd·Pg)/(1 − Pd·Pg·ψ⁻) + Σ_j β(t, j). For one track and detections that no
//!   other track gates this is IPDA's ψ = (1 − δ)ψ⁻/(1 − δψ⁻), δ = Pd·Pg − Pd·Σ_j N_j/λ.
//! - **State update.** PDA with the association probabilities conditioned on existence:
//!   β*(t, j) = β(t, j)/ψ, β*(t, 0) = β(t, 0)·ψ⁻(1 − Pd·Pg)/((1 − Pd·Pg·ψ⁻)·ψ).
//! - **Track management.** A tentative track is confirmed when ψ ≥ `confirm_existence`; any track is
//!   deleted when ψ < `delete_existence` (the M-of-N or SPRT confirmation is not used). A look that
//!   could not see the track (outside the radar's coverage or cued window) leaves ψ⁻ as predicted.

use crate::filter::Innovation;
use crate::track::Track;
use crate::tracker::TrackerConfig;
use serde::{Deserialize, Serialize};

/// JIPDA settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct JipdaConfig {
    /// Probability that an object still exists one second later.
    pub survival_per_s: f64,
    /// Probability of existence of a new track: about the ratio of new objects to false alarms among
    /// the detections no track explains (low: one clutter point near a new track's prediction must
    /// not confirm it; tuned on `tests/jipda.rs`, where 0.01 to 0.2 confirmed false tracks).
    pub initial_existence: f64,
    /// Existence at or above which a tentative track is confirmed.
    pub confirm_existence: f64,
    /// Existence below which a track is deleted (below the initial existence, so that a new track
    /// survives one miss: 0.001 → 1.0e-4 → 1.0e-5; a confirmed track goes after about eight misses in
    /// a row at a 2 s revisit).
    pub delete_existence: f64,
    /// Probability that a detection of the object falls in the gate (0.999 for the default
    /// χ² gate of 16.27 with 3 degrees of freedom).
    pub gate_probability: f64,
}

impl Default for JipdaConfig {
    fn default() -> Self {
        Self {
            survival_per_s: 0.999,
            initial_existence: 0.001,
            confirm_existence: 0.99,
            delete_existence: 5e-5,
            gate_probability: 0.999,
        }
    }
}

/// A track's probability of existence and the time it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Existence {
    /// Probability that the track is an object (not clutter, not a lost object).
    pub probability: f64,
    /// Time of validity, s.
    pub time_s: f64,
}

impl Existence {
    /// Existence `probability` at `time_s`.
    pub fn new(probability: f64, time_s: f64) -> Self {
        Self { probability: probability.clamp(0.0, 1.0), time_s }
    }

    /// Markov prediction to `time_s` with survival `survival_per_s` (no change if not later).
    pub fn predict(&mut self, time_s: f64, survival_per_s: f64) {
        let dt = time_s - self.time_s;
        if dt > 0.0 {
            self.probability *= survival_per_s.powf(dt);
            self.time_s = time_s;
        }
    }
}

/// Existence after a look that should have seen the track and put no detection in its gate:
/// ψ(1 − Pd·Pg)/(1 − Pd·Pg·ψ).
pub fn after_miss(psi: f64, pd: f64, pg: f64) -> f64 {
    let dg = pd * pg;
    psi * (1.0 - dg) / (1.0 - dg * psi)
}

/// Existence after one detection of likelihood ratio `ratio` = N(ν; 0, S)/λ that no other track
/// gates (IPDA): ψ(1 − Pd·Pg + Pd·r)/(1 − Pd·Pg·ψ + Pd·r·ψ).
pub fn after_detection(psi: f64, pd: f64, pg: f64, ratio: f64) -> f64 {
    let num = psi * (1.0 - pd * pg + pd * ratio);
    let den = 1.0 - pd * pg * psi + pd * ratio * psi;
    if den > 0.0 && num.is_finite() { (num / den).clamp(0.0, 1.0) } else { psi }
}

/// Posterior existence and association probabilities conditioned on existence from the joint
/// probabilities `beta` = `[β₀, β₁, …]` of a track with predicted existence `psi`.
pub fn posterior(beta: &[f64], psi: f64, pd: f64, pg: f64) -> (f64, Vec<f64>) {
    let b0 = beta.first().copied().unwrap_or(1.0);
    let exists_given_miss = after_miss(psi, pd, pg);
    let miss_part = b0 * exists_given_miss;
    let post = (miss_part + beta.iter().skip(1).sum::<f64>()).clamp(0.0, 1.0);
    let mut cond = vec![0.0; beta.len()];
    if post > 0.0 {
        cond[0] = miss_part / post;
        for (c, b) in cond.iter_mut().zip(beta).skip(1) {
            *c = b / post;
        }
    } else if let Some(c) = cond.first_mut() {
        *c = 1.0;
    }
    (post, cond)
}

/// Joint association over the gated pairs with existence: updates each gated track's existence
/// (already predicted to the look) and returns per track `[β*₀, β*₁, …, β*_m]` conditioned on
/// existence (tracks with nothing in their gate get `[1, 0, …]` and keep their existence; the caller
/// applies [`after_miss`] when the look could see them).
pub(crate) fn associate(
    tracks: &mut [Track],
    gated: &[Vec<(usize, Innovation)>],
    nd: usize,
    cfg: &TrackerConfig,
) -> Vec<Vec<f64>> {
    let (pd, pg, lambda) = (cfg.assumed_pd, cfg.jipda.gate_probability, cfg.clutter_density);
    let psi: Vec<f64> = tracks.iter().map(|t| t.existence.map_or(1.0, |e| e.probability)).collect();
    let g: Vec<Vec<Option<f64>>> = gated
        .iter()
        .zip(&psi)
        .map(|(row, &p)| {
            let mut r = vec![None; nd];
            for (j, inn) in row {
                r[*j] = Some(p * pd * (inn.log_likelihood() - lambda.ln()).exp());
            }
            r
        })
        .collect();
    let miss: Vec<f64> = psi.iter().map(|p| 1.0 - pd * pg * p).collect();
    let joint = crate::jpda::probabilities(&g, &miss);
    let mut out = Vec::with_capacity(tracks.len());
    for ((t, row), beta) in tracks.iter_mut().zip(gated).zip(joint) {
        if row.is_empty() {
            let mut b = vec![0.0; nd + 1];
            b[0] = 1.0;
            out.push(b);
            continue;
        }
        let p = t.existence.map_or(1.0, |e| e.probability);
        let (post, cond) = posterior(&beta, p, pd, pg);
        if let Some(e) = &mut t.existence {
            e.probability = post;
        }
        out.push(cond);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_track_one_detection_equals_the_ipda_closed_form() {
        // ψ⁻ = 0.6, Pd = 0.9, Pg = 0.999, N/λ = 2:
        // g = 0.6·0.9·2 = 1.08, miss = 1 − 0.9·0.999·0.6 = 0.46054; β₁ = 1.08/1.54054, β₀ = 0.46054/1.54054.
        // ψ = (1 − δ)ψ⁻/(1 − δψ⁻), δ = 0.8991 − 1.8 = −0.9009: 1.9009·0.6/1.54054 = 1.14054/1.54054.
        let beta = [0.46054 / 1.54054, 1.08 / 1.54054];
        let (post, cond) = posterior(&beta, 0.6, 0.9, 0.999);
        assert!((post - 1.14054 / 1.54054).abs() < 1e-12, "{post}");
        assert!((after_detection(0.6, 0.9, 0.999, 2.0) - 1.14054 / 1.54054).abs() < 1e-12);
        // Conditioned on existence: β*₁ = 1.08/1.14054, β*₀ = 0.6·0.1009/1.14054 = 0.06054/1.14054.
        assert!((cond[1] - 1.08 / 1.14054).abs() < 1e-12, "{cond:?}");
        assert!((cond[0] - 0.06054 / 1.14054).abs() < 1e-12, "{cond:?}");
        assert!((cond.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_miss_and_the_survival_equal_their_closed_forms() {
        // ψ = 0.5, p_s = 0.99 /s over 2 s: ψ⁻ = 0.5·0.9801 = 0.49005; a miss with Pd 0.9, Pg 0.999:
        // 0.49005·0.1009/(1 − 0.8991·0.49005) = 0.049446045/0.559395... (= 0.08839...).
        let mut e = Existence::new(0.5, 10.0);
        e.predict(12.0, 0.99);
        assert!((e.probability - 0.49005).abs() < 1e-12);
        assert_eq!(e.time_s, 12.0);
        e.predict(11.0, 0.99); // not later: unchanged
        assert!((e.probability - 0.49005).abs() < 1e-12);
        let m = after_miss(e.probability, 0.9, 0.999);
        assert!((m - 0.049_446_045 / (1.0 - 0.8991 * 0.49005)).abs() < 1e-12, "{m}");
    }
}
