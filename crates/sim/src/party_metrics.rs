//! Per-party tracking metrics of a run: each party's own confirmed tracks against the threats flying
//! (truth for reports only), sampled every [`INTERVAL_S`]: mean OSPA, mean GOSPA with its
//! localisation / missed / false / switching parts, and the SIAP attributes including continuity
//! (track-number changes and longest segment). Conventions of `shieldnet_tracking::metrics` (Stone
//! Soup's): p = 1, cut-off [`CUTOFF_M`], GOSPA α = 2 with switching penalty γ = c.

use serde::{Deserialize, Serialize};
use shieldnet_earth::Vec3;
use shieldnet_tracking::metrics::{Distances, GospaSequence, Siap, ospa_of};

/// Cut-off distance of OSPA and GOSPA, m (the field notes advise 1–5 km for midcourse; 10 km
/// tolerates boost-phase tracks).
pub const CUTOFF_M: f64 = 10_000.0;
/// Sampling interval, s.
pub const INTERVAL_S: f64 = 5.0;

/// A party's tracking metrics over a run (means over the sampled instants with something to score).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrackingMetrics {
    /// Instants scored.
    pub samples: u32,
    /// Cut-off c of OSPA/GOSPA, m (order p = 1).
    pub cutoff_m: f64,
    /// Mean OSPA, m.
    pub ospa_mean_m: f64,
    /// Mean GOSPA, m.
    pub gospa_mean_m: f64,
    /// Mean GOSPA localisation part, m.
    pub gospa_localisation_mean_m: f64,
    /// Mean GOSPA missed-target part, m.
    pub gospa_missed_mean_m: f64,
    /// Mean GOSPA false-track part, m.
    pub gospa_false_mean_m: f64,
    /// Mean GOSPA switching part, m.
    pub gospa_switching_mean_m: f64,
    /// SIAP completeness (1 best).
    pub siap_completeness: f64,
    /// SIAP ambiguity (1 best).
    pub siap_ambiguity: f64,
    /// SIAP spuriousness (0 best).
    pub siap_spuriousness: f64,
    /// SIAP positional accuracy, m.
    pub siap_position_accuracy_m: f64,
    /// SIAP continuity: track-number changes (breaks and ID swaps).
    pub siap_track_number_changes: u64,
    /// SIAP continuity: longest-segment fraction (1 best).
    pub siap_longest_segment: f64,
}

/// Accumulates one party's metrics.
#[derive(Debug, Clone)]
pub struct Accumulator {
    gospa: GospaSequence,
    siap: Siap,
    sums: [f64; 6],
    n: u32,
    /// Distances of the current instant (buffer kept between instants).
    distances: Distances,
}

impl Default for Accumulator {
    fn default() -> Self {
        Self {
            gospa: GospaSequence::new(CUTOFF_M, 1.0, CUTOFF_M),
            siap: Siap::new(CUTOFF_M),
            sums: [0.0; 6],
            n: 0,
            distances: Distances::default(),
        }
    }
}

impl Accumulator {
    /// Scores one instant: truths and tracks with stable ids, positions in one frame (ECEF).
    pub fn step(&mut self, truths: &[(u64, Vec3)], tracks: &[(u64, Vec3)]) {
        if truths.is_empty() && tracks.is_empty() {
            return;
        }
        // One distance matrix for all three; OSPA from the GOSPA assignment (the same value as its own
        // assignment, see `ospa_of`).
        let d = &mut self.distances;
        d.fill(truths.iter().map(|t| &t.1), tracks.iter().map(|t| &t.1));
        let g = self.gospa.step_with(truths, tracks, d);
        let o = ospa_of(d, &g, CUTOFF_M, 1.0);
        let v = [o, g.distance, g.localisation, g.missed, g.false_, g.switching];
        for (s, x) in self.sums.iter_mut().zip(v) {
            *s += x;
        }
        self.siap.step_labelled_with(truths, tracks, d);
        self.n += 1;
    }

    /// The metrics so far.
    pub fn finish(&self) -> TrackingMetrics {
        let m = |k: usize| if self.n > 0 { self.sums[k] / self.n as f64 } else { 0.0 };
        TrackingMetrics {
            samples: self.n,
            cutoff_m: CUTOFF_M,
            ospa_mean_m: m(0),
            gospa_mean_m: m(1),
            gospa_localisation_mean_m: m(2),
            gospa_missed_mean_m: m(3),
            gospa_false_mean_m: m(4),
            gospa_switching_mean_m: m(5),
            siap_completeness: self.siap.completeness(),
            siap_ambiguity: self.siap.ambiguity(),
            siap_spuriousness: self.siap.spuriousness(),
            siap_position_accuracy_m: self.siap.position_accuracy(),
            siap_track_number_changes: self.siap.track_number_changes,
            siap_longest_segment: self.siap.longest_segment(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_equal_hand_computed_values() {
        let mut a = Accumulator::default();
        // Instant 1: one truth, one track 3 km away → OSPA 3 km, GOSPA 3 km (localisation).
        a.step(&[(0, Vec3::zeros())], &[(5, Vec3::new(3e3, 0.0, 0.0))]);
        // Instant 2: the truth is missed, a false track far away → OSPA c = 10 km; GOSPA
        // c/2 + c/2 = 10 km plus the switch from assigned to unassigned (γ/2 = 5 km):
        // √(10² + 5²) = 11.180 km.
        a.step(&[(0, Vec3::zeros())], &[(6, Vec3::new(1e6, 0.0, 0.0))]);
        // Instant 3: nothing at all: not scored.
        a.step(&[], &[]);
        let m = a.finish();
        assert_eq!(m.samples, 2);
        assert!((m.ospa_mean_m - 6_500.0).abs() < 1e-9);
        assert!((m.gospa_mean_m - (3e3 + 125e6f64.sqrt()) / 2.0).abs() < 1e-6, "{}", m.gospa_mean_m);
        assert!(
            (m.gospa_missed_mean_m - 2_500.0).abs() < 1e-9 && (m.gospa_false_mean_m - 2_500.0).abs() < 1e-9
        );
        assert!((m.siap_completeness - 0.5).abs() < 1e-12 && (m.siap_spuriousness - 0.5).abs() < 1e-12);
        assert!((m.siap_position_accuracy_m - 3e3).abs() < 1e-9);
    }
}
