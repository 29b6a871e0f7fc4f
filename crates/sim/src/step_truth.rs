//! The threats' truth states at the instant of the current step, computed once per step: the radar
//! looks at that instant, each party's picture check and the tracking metrics all ask for them, and
//! a trajectory lookup (interpolation and the rotation to ECEF) costs far more than reading it back.
//! The stored states are those of `Trajectory::ecef_at` at that instant, so callers get the values
//! they would compute.

use shieldnet_earth::Ecef;

/// Position and velocity (ECEF) of each threat at one instant, for the threats asked for.
#[derive(Debug, Default)]
pub(crate) struct StepTruth {
    t_bits: u64,
    /// Per threat: `None` if not computed, else the trajectory's state (itself `None` outside the
    /// trajectory's time span).
    states: Vec<Option<Option<(Ecef, Ecef)>>>,
}

impl StepTruth {
    /// Stores the states at `t_s` (`states` yields, per threat, `None` to leave it out).
    pub fn fill(&mut self, t_s: f64, states: impl Iterator<Item = Option<Option<(Ecef, Ecef)>>>) {
        self.t_bits = t_s.to_bits();
        self.states.clear();
        self.states.extend(states);
    }

    /// The stored state of threat `j` at `t_s`, if it was computed for exactly that instant.
    pub fn get(&self, j: usize, t_s: f64) -> Option<Option<(Ecef, Ecef)>> {
        if t_s.to_bits() != self.t_bits {
            return None;
        }
        self.states.get(j).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::Vec3;

    #[test]
    fn answers_only_for_the_stored_instant_and_threats() {
        let s = |x: f64| (Ecef(Vec3::new(x, 0.0, 0.0)), Ecef(Vec3::zeros()));
        let mut c = StepTruth::default();
        assert_eq!(c.get(0, 0.0), None);
        c.fill(5.0, [Some(Some(s(1.0))), None, Some(None)].into_iter());
        assert_eq!(c.get(0, 5.0), Some(Some(s(1.0))));
        assert_eq!(c.get(1, 5.0), None, "left out");
        assert_eq!(c.get(2, 5.0), Some(None), "outside its trajectory");
        assert_eq!(c.get(3, 5.0), None, "unknown threat");
        assert_eq!(c.get(0, 6.0), None, "another instant");
        c.fill(6.0, [Some(Some(s(2.0)))].into_iter());
        assert_eq!(c.get(0, 6.0), Some(Some(s(2.0))));
        assert_eq!(c.get(0, 5.0), None);
    }
}
