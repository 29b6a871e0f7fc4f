//! Seeded generators for the literature's random instance classes (wta.md §5.1).
//!
//! Draw order (as in the public instance files): all target values first, in target order, then
//! the kill probabilities row-major (weapon `i`, target `j`). Stream: `ChaCha8Rng::seed_from_u64`.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{WeaponType, WtaInstance};

/// Instance class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstanceClass {
    /// A (Ahuja/Lee): as many weapons as targets; `V ~ U[25,100]`, `p ~ U[0.6,0.9]`, one round each.
    A,
    /// B: twice as many weapons as targets, same ranges (the hard regime).
    B,
    /// C: half as many weapons as targets, same ranges.
    C,
    /// D (Andersen et al. 2022 style): `T/2` weapon types with `mu` rounds each, `V` integer in
    /// `[1,100]`, `p ~ U(0,1)`.
    D {
        /// Rounds per weapon type.
        mu: u32,
    },
}

impl InstanceClass {
    /// Number of weapon types for `targets` targets.
    pub fn weapon_types(self, targets: usize) -> usize {
        match self {
            InstanceClass::A => targets,
            InstanceClass::B => 2 * targets,
            InstanceClass::C | InstanceClass::D { .. } => (targets / 2).max(1),
        }
    }

    /// Short label, e.g. `A`, `B`, `D3`.
    pub fn label(self) -> String {
        match self {
            InstanceClass::A => "A".into(),
            InstanceClass::B => "B".into(),
            InstanceClass::C => "C".into(),
            InstanceClass::D { mu } => format!("D{mu}"),
        }
    }
}

/// Generates an instance of `class` with `targets` targets from `seed`.
pub fn generate(class: InstanceClass, targets: usize, seed: u64) -> WtaInstance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let w = class.weapon_types(targets);
    let (target_values, count): (Vec<f64>, u32) = match class {
        InstanceClass::D { mu } => ((0..targets).map(|_| rng.random_range(1..=100u32) as f64).collect(), mu),
        _ => ((0..targets).map(|_| rng.random_range(25.0..100.0)).collect(), 1),
    };
    let weapons = (0..w)
        .map(|_| WeaponType {
            count,
            pk: (0..targets)
                .map(|_| match class {
                    InstanceClass::D { .. } => rng.random::<f64>(),
                    _ => rng.random_range(0.6..0.9),
                })
                .collect(),
        })
        .collect();
    WtaInstance { target_values, weapons }
}
