//! The radar equation and Swerling detection probability.
//!
//! Per look a target at range R with radar cross-section σ returns the mean signal-to-noise ratio of
//! the radar equation for one dwell (Skolnik, *Introduction to Radar Systems*, §2.11, with the
//! transmit gain G and the receive aperture A_e)
//!
//! SNR = P_av·A_e·G·t_d·σ / ((4π)²·k·T_s·L·R⁴)
//!
//! (P_av·A_e the power-aperture product, t_d the coherent dwell on the target, T_s the system noise
//! temperature, L the losses). A square-law detector on one dwell with threshold set for a false-alarm
//! probability Pfa (normalised threshold T = −ln Pfa) then detects with
//! - Swerling 0 (steady target): Pd = Σ_k Pois(k; SNR) · P(Pois(T) ≤ k) (the Marcum Q function
//!   Q₁(√(2·SNR), √(2T)) written as a Poisson mixture of the noncentral χ² with two degrees of freedom);
//! - Swerling I (Rayleigh, scan-to-scan): Pd = Pfa^(1/(1+SNR));
//! - Swerling III (one dominant scatterer, χ² with four degrees of freedom):
//!   Pd = exp(−T/(1+SNR/2)) · (1 + T·(SNR/2)/(1+SNR/2)²).
//!
//! Measurement noise grows as SNR falls like 1/√(2·SNR) (beam-splitting and range-split accuracy).
//! Two forms: without a beamwidth the spec's standard deviations hold at `noise_reference_snr_db` and
//! scale by √(SNR_ref/SNR); with `beamwidth_rad` and `range_resolution_m` the thermal-noise terms are
//! σ_angle = θ₃/(k_m·√(2·SNR)) (monopulse slope k_m = 1.6) and σ_range = ΔR/√(2·SNR) (Barton,
//! *Radar System Analysis and Modeling*, §12), root-sum-squared with the spec's standard deviations,
//! which then act as the bias/quantisation floor. The beamwidth and range resolution also count the
//! resolution cells of a searched volume (false alarms = Pfa × cells) when `resolution_cells` is absent.

use serde::{Deserialize, Serialize};

/// Boltzmann's constant, J/K.
pub const BOLTZMANN: f64 = 1.380_649e-23;

/// Swerling target fluctuation model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Swerling {
    /// Non-fluctuating (Marcum).
    Zero,
    /// Rayleigh amplitude, constant within a dwell, independent from look to look.
    #[default]
    One,
    /// One dominant plus small scatterers (χ² with 4 degrees of freedom), scan to scan.
    Three,
}

/// Parameters of the radar equation and the detector; when a radar spec carries them, detection
/// probability and noise follow from SNR instead of the spec's fixed `pd`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RadarEquation {
    /// Average power × effective aperture, W·m².
    pub power_aperture_w_m2: f64,
    /// Transmit antenna gain, dB.
    pub gain_db: f64,
    /// Dwell time on a beam position (coherent integration time), s.
    pub dwell_s: f64,
    /// System noise temperature, K.
    pub system_noise_temp_k: f64,
    /// Total losses, dB (≥ 0).
    pub losses_db: f64,
    /// Probability of false alarm per resolution cell.
    pub pfa: f64,
    /// Target fluctuation model.
    #[serde(default)]
    pub swerling: Swerling,
    /// Radar cross-section assumed when a look does not give one, m².
    pub default_rcs_m2: f64,
    /// SNR at which the spec's noise standard deviations hold, dB.
    pub noise_reference_snr_db: f64,
    /// Resolution cells in the searched volume: false alarms per look are Poisson with mean
    /// `pfa · resolution_cells` (when absent, the spec's `false_alarms_per_scan` is used).
    #[serde(default)]
    pub resolution_cells: Option<f64>,
    /// Two-way 3 dB beamwidth, rad: switches the noise to the beamwidth form (see the module docs).
    #[serde(default)]
    pub beamwidth_rad: Option<f64>,
    /// Range resolution c/(2B), m (used with `beamwidth_rad`).
    #[serde(default)]
    pub range_resolution_m: Option<f64>,
    /// Largest factor by which a cued look may lengthen the dwell per beam (energy budget of a cue).
    #[serde(default = "default_cue_gain")]
    pub max_cue_dwell_gain: f64,
}

fn default_cue_gain() -> f64 {
    30.0
}

/// Monopulse angle-error slope k_m used by the beamwidth noise form.
pub const MONOPULSE_SLOPE: f64 = 1.6;

impl RadarEquation {
    /// A notional X-band missile-defence radar (80 kW average power, 6 m² effective aperture, 49 dB
    /// gain, 0.1 s dwell): a 0.1 m² target gives ≈ 15.5 dB at 1,000 km.
    pub fn example() -> Self {
        Self {
            power_aperture_w_m2: 4.8e5,
            gain_db: 49.0,
            dwell_s: 0.1,
            system_noise_temp_k: 500.0,
            losses_db: 10.0,
            pfa: 1e-6,
            swerling: Swerling::One,
            default_rcs_m2: 0.1,
            noise_reference_snr_db: 20.0,
            resolution_cells: None,
            beamwidth_rad: None,
            range_resolution_m: None,
            max_cue_dwell_gain: default_cue_gain(),
        }
    }

    /// Mean SNR (linear) of a target with RCS `rcs_m2` at range `range_m`.
    pub fn snr(&self, range_m: f64, rcs_m2: f64) -> f64 {
        let l = 10f64.powf(self.losses_db / 10.0);
        let g = 10f64.powf(self.gain_db / 10.0);
        let four_pi = 4.0 * std::f64::consts::PI;
        self.power_aperture_w_m2 * g * self.dwell_s * rcs_m2
            / (four_pi * four_pi * BOLTZMANN * self.system_noise_temp_k * l * range_m.powi(4))
    }

    /// Detection probability at mean SNR `snr` (linear).
    pub fn pd(&self, snr: f64) -> f64 {
        pd(self.swerling, snr, self.pfa)
    }

    /// Factor on the spec's noise standard deviations at mean SNR `snr`: √(SNR_ref / SNR).
    pub fn noise_factor(&self, snr: f64) -> f64 {
        let r = 10f64.powf(self.noise_reference_snr_db / 10.0);
        (r / snr.max(1e-3)).sqrt()
    }

    /// Measurement standard deviations (range m, azimuth rad, elevation rad) at mean SNR `snr` given
    /// the spec's standard deviations `base` (see the module docs for the two forms).
    pub fn sigmas(&self, base: &[f64; 3], snr: f64) -> [f64; 3] {
        match (self.beamwidth_rad, self.range_resolution_m) {
            (Some(bw), Some(dr)) => {
                let root = (2.0 * snr.max(1e-3)).sqrt();
                let thermal = [dr / root, bw / (MONOPULSE_SLOPE * root), bw / (MONOPULSE_SLOPE * root)];
                std::array::from_fn(|k| base[k].hypot(thermal[k]))
            }
            _ => base.map(|v| v * self.noise_factor(snr)),
        }
    }

    /// Mean false alarms of one look over a volume of `solid_angle_sr` out to `max_range_m`: Pfa ×
    /// the given `resolution_cells`, or × the cells counted from the beamwidth and range resolution;
    /// `None` when neither is known.
    pub fn false_alarm_mean(&self, solid_angle_sr: f64, max_range_m: f64) -> Option<f64> {
        if let Some(c) = self.resolution_cells {
            return Some(self.pfa * c);
        }
        let (bw, dr) = (self.beamwidth_rad?, self.range_resolution_m?);
        Some(self.pfa * (max_range_m / dr) * (solid_angle_sr / (bw * bw)))
    }
}

/// Detection probability of a square-law detector on one dwell at mean SNR `snr` (linear) and
/// false-alarm probability `pfa`, for a Swerling model.
pub fn pd(model: Swerling, snr: f64, pfa: f64) -> f64 {
    let snr = snr.max(0.0);
    let t = -pfa.clamp(1e-300, 1.0).ln();
    match model {
        Swerling::One => pfa.powf(1.0 / (1.0 + snr)),
        Swerling::Three => {
            let h = snr / 2.0;
            (-t / (1.0 + h)).exp() * (1.0 + t * h / (1.0 + h).powi(2))
        }
        Swerling::Zero => marcum_pd(snr, t),
    }
}

/// Σ_k Pois(k; s) · P(Pois(t) ≤ k), the detection probability of a steady target (Marcum Q₁).
fn marcum_pd(s: f64, t: f64) -> f64 {
    if s == 0.0 {
        return (-t).exp();
    }
    // Work in log space for the Poisson weights; sum until the signal weights are exhausted.
    let kmax = (s + t + 12.0 * (s + t).sqrt() + 60.0) as usize;
    let mut log_ws = -s; // ln Pois(0; s)
    let mut log_wt = -t; // ln Pois(0; t)
    let mut cdf_t = log_wt.exp(); // P(Pois(t) ≤ 0)
    let mut total = log_ws.exp() * cdf_t;
    for k in 1..=kmax {
        log_ws += s.ln() - (k as f64).ln();
        log_wt += t.ln() - (k as f64).ln();
        cdf_t = (cdf_t + log_wt.exp()).min(1.0);
        total += log_ws.exp() * cdf_t;
    }
    total.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Exp, Gamma, StandardNormal};

    #[test]
    fn swerling_one_equals_the_closed_form() {
        for (snr_db, pfa) in [(10.0f64, 1e-6f64), (13.0, 1e-6), (20.0, 1e-4), (0.0, 1e-3)] {
            let s = 10f64.powf(snr_db / 10.0);
            let expected: f64 = pfa.powf(1.0 / (1.0 + s));
            assert!((pd(Swerling::One, s, pfa) - expected).abs() < 1e-15);
        }
        // Hand-computed: SNR 20 dB, Pfa 1e-6 → 1e-6^(1/101) = exp(−13.8155/101) = 0.87215.
        assert!((pd(Swerling::One, 100.0, 1e-6) - 0.872_15).abs() < 1e-5);
        // SNR 0 gives Pfa.
        assert!((pd(Swerling::One, 0.0, 1e-6) - 1e-6).abs() < 1e-18);
        assert!((pd(Swerling::Zero, 0.0, 1e-6) - 1e-6).abs() < 1e-12);
        assert!((pd(Swerling::Three, 0.0, 1e-6) - 1e-6).abs() < 1e-12);
    }

    #[test]
    fn steady_target_pd_matches_published_values() {
        // Single pulse, Pfa 1e-6: Pd = 0.5 at SNR ≈ 11.2 dB and 0.9 at ≈ 13.2 dB (Albersheim's and
        // Skolnik's curves; Albersheim gives 11.1 and 13.1 dB, within 0.2 dB).
        let pd50 = pd(Swerling::Zero, 10f64.powf(1.12), 1e-6);
        let pd90 = pd(Swerling::Zero, 10f64.powf(1.32), 1e-6);
        assert!((pd50 - 0.5).abs() < 0.03, "{pd50}");
        assert!((pd90 - 0.9).abs() < 0.02, "{pd90}");
        // A fluctuating target needs more SNR for high Pd: Swerling I < III < 0 at 15 dB.
        let s = 10f64.powf(1.5);
        assert!(pd(Swerling::One, s, 1e-6) < pd(Swerling::Three, s, 1e-6));
        assert!(pd(Swerling::Three, s, 1e-6) < pd(Swerling::Zero, s, 1e-6));
    }

    /// Monte Carlo of the square-law detector: complex Gaussian noise of unit power plus a target
    /// return whose power fluctuates per the model; detection when |v|² > −ln Pfa.
    fn monte_carlo(model: Swerling, snr: f64, pfa: f64, n: usize, seed: u64) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let t = -pfa.ln();
        let exp = Exp::new(1.0 / snr).unwrap();
        let gamma = Gamma::new(2.0, snr / 2.0).unwrap();
        let mut hits = 0;
        for _ in 0..n {
            let power = match model {
                Swerling::Zero => snr,
                Swerling::One => exp.sample(&mut rng),
                Swerling::Three => gamma.sample(&mut rng),
            };
            let phase: f64 = rand::RngExt::random::<f64>(&mut rng) * std::f64::consts::TAU;
            let a = power.sqrt();
            let ni: f64 = StandardNormal.sample(&mut rng);
            let nq: f64 = StandardNormal.sample(&mut rng);
            let i = a * phase.cos() + ni * std::f64::consts::FRAC_1_SQRT_2;
            let q = a * phase.sin() + nq * std::f64::consts::FRAC_1_SQRT_2;
            if i * i + q * q > t {
                hits += 1;
            }
        }
        hits as f64 / n as f64
    }

    #[test]
    fn pd_equals_a_monte_carlo_of_the_fluctuating_target() {
        let n = 40_000;
        for (k, model) in [Swerling::Zero, Swerling::One, Swerling::Three].into_iter().enumerate() {
            for (j, snr_db) in [8.0, 13.0, 18.0].into_iter().enumerate() {
                let s = 10f64.powf(snr_db / 10.0);
                let p = pd(model, s, 1e-4);
                let mc = monte_carlo(model, s, 1e-4, n, 10 * k as u64 + j as u64);
                let band = 4.0 * (p * (1.0 - p) / n as f64).sqrt() + 1e-3;
                assert!((mc - p).abs() < band, "{model:?} {snr_db} dB: formula {p:.4}, Monte Carlo {mc:.4}");
            }
        }
    }

    #[test]
    fn snr_follows_the_fourth_power_of_range_and_is_linear_in_rcs() {
        let eq = RadarEquation::example();
        let s1 = eq.snr(1_000e3, 0.01);
        assert!((eq.snr(500e3, 0.01) / s1 - 16.0).abs() < 1e-9);
        assert!((eq.snr(1_000e3, 1.0) / s1 - 100.0).abs() < 1e-9);
        // Hand-computed: 4.8e5·10^4.9·0.1·0.01 / ((4π)²·1.380649e-23·500·10·1e24) = 3.4976.
        assert!((s1 - 3.4976).abs() < 1e-3, "{s1}");
        assert!((eq.noise_factor(100.0) - 1.0).abs() < 1e-12);
        assert!((eq.noise_factor(25.0) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn beamwidth_noise_follows_the_thermal_formula_and_cells_count_the_volume() {
        let eq = RadarEquation {
            beamwidth_rad: Some(0.01),
            range_resolution_m: Some(15.0),
            resolution_cells: None,
            ..RadarEquation::example()
        };
        // SNR 50 (17 dB): √(2·50) = 10 → range 15/10 = 1.5 m, angle 0.01/(1.6·10) = 6.25e-4 rad, each
        // root-sum-squared with the floor (3 m, 1e-4 rad): √(9 + 2.25) = 3.3541, √(1e-8 + 3.90625e-7).
        let s = eq.sigmas(&[3.0, 1e-4, 1e-4], 50.0);
        assert!((s[0] - 11.25f64.sqrt()).abs() < 1e-12, "{s:?}");
        assert!((s[1] - (1e-8f64 + 3.906_25e-7).sqrt()).abs() < 1e-15);
        // Quartering the SNR doubles the thermal term (σ ∝ 1/√SNR) when the floor is negligible.
        let a = eq.sigmas(&[1e-9, 1e-12, 1e-12], 100.0);
        let b = eq.sigmas(&[1e-9, 1e-12, 1e-12], 25.0);
        for k in 0..3 {
            assert!((b[k] / a[k] - 2.0).abs() < 1e-6);
        }
        // Cells: 1,500 km / 15 m = 1e5 range cells × (0.5 sr / 1e-4 sr) = 5e3 beams → 5e8 cells;
        // at Pfa 1e-6 that is 500 false alarms per look.
        let m = eq.false_alarm_mean(0.5, 1_500e3).unwrap();
        assert!((m - 500.0).abs() < 1e-9, "{m}");
        assert_eq!(RadarEquation::example().false_alarm_mean(0.5, 1e6), None);
    }
}
