//! The threats a radar look sees, computed once per look time within a step: radars whose looks
//! fall at the same instant (every radar at whole seconds in the built-in scenarios) share the
//! truth positions instead of each evaluating every trajectory again.

use shieldnet_sensors::Target;

/// Targets per look time, for the looks of one step.
#[derive(Debug, Default)]
pub(crate) struct LookTargets {
    entries: Vec<(u64, Vec<Target>)>,
}

impl LookTargets {
    /// The targets at `t_s`: computed by `compute` at the first request for that instant, the stored
    /// ones after (a look's targets depend on its time only).
    pub fn at(&mut self, t_s: f64, compute: impl FnOnce() -> Vec<Target>) -> &[Target] {
        let key = t_s.to_bits();
        let k = match self.entries.iter().position(|(t, _)| *t == key) {
            Some(k) => k,
            None => {
                self.entries.push((key, compute()));
                self.entries.len() - 1
            }
        };
        &self.entries[k].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::{Ecef, Vec3};

    fn target(truth: u32, x: f64) -> Target {
        let p = Ecef(Vec3::new(x, 0.0, 0.0));
        Target { truth, position: p, velocity: p, rcs_m2: 1.0 }
    }

    #[test]
    fn computes_once_per_instant() {
        let mut cache = LookTargets::default();
        let mut calls = 0;
        for (t, want) in [(1.0, 1.0), (2.0, 2.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)] {
            let got = cache
                .at(t, || {
                    calls += 1;
                    vec![target(7, t)]
                })
                .to_vec();
            assert_eq!(got, vec![target(7, want)]);
        }
        assert_eq!(calls, 3);
    }
}
