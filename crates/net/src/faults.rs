//! Fault injection on a node's outgoing partner messages: loss, duplication and reordering at set
//! rates, drawn from a seeded stream so that a faulty lockstep run is still reproducible.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shieldnet_node::Outgoing;

/// Rates of injected faults (each a probability per message, in [0, 1]).
#[derive(Debug, Clone)]
pub struct Faults {
    /// Probability a message is dropped.
    pub loss: f64,
    /// Probability a message is sent twice.
    pub duplicate: f64,
    /// Probability a message is swapped with the one before it.
    pub reorder: f64,
    rng: ChaCha8Rng,
}

impl Default for Faults {
    fn default() -> Self {
        Self::none()
    }
}

impl Faults {
    /// No faults.
    pub fn none() -> Self {
        Self { loss: 0.0, duplicate: 0.0, reorder: 0.0, rng: ChaCha8Rng::seed_from_u64(0) }
    }

    /// Faults at the given rates; errors name the first rate outside [0, 1].
    pub fn new(loss: f64, duplicate: f64, reorder: f64, seed: u64) -> Result<Self, String> {
        for (name, v) in [("loss", loss), ("duplicate", duplicate), ("reorder", reorder)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("--{name} must be a probability in [0, 1], got {v}"));
            }
        }
        Ok(Self { loss, duplicate, reorder, rng: ChaCha8Rng::seed_from_u64(seed) })
    }

    /// Whether any fault is enabled.
    pub fn any(&self) -> bool {
        self.loss > 0.0 || self.duplicate > 0.0 || self.reorder > 0.0
    }

    /// The messages as the faulty link passes them.
    pub fn apply(&mut self, messages: Vec<Outgoing>) -> Vec<Outgoing> {
        if !self.any() {
            return messages;
        }
        let mut out: Vec<Outgoing> = Vec::with_capacity(messages.len());
        for m in messages {
            if self.rng.random::<f64>() < self.loss {
                continue;
            }
            let dup = self.rng.random::<f64>() < self.duplicate;
            let swap = self.rng.random::<f64>() < self.reorder;
            if dup {
                out.push(m.clone());
            }
            out.push(m);
            if swap && out.len() >= 2 {
                let n = out.len();
                out.swap(n - 1, n - 2);
            }
        }
        out
    }
}
