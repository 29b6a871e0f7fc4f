//! A tiny deterministic generator for the crate's unit tests (no dependency, same numbers everywhere).

/// Uniform numbers in [0, 1) from a 64-bit linear congruential generator (Knuth's MMIX constants),
/// started from `seed`.
pub(crate) fn uniform(mut seed: u64) -> impl FnMut() -> f64 {
    move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    }
}
