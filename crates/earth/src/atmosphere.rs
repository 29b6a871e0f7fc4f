//! US Standard Atmosphere 1976 (COESA): temperature, pressure, density and speed of sound.
//!
//! Below 86 km geometric altitude the model is the standard's own: hydrostatic layers of constant
//! molecular-temperature lapse rate in geopotential altitude, with the tabulated mean-molecular-weight
//! ratio between 80 and 86 km. Above 86 km the standard switches to molecular-diffusion formulations;
//! here pressure and density are interpolated exponentially (log-linearly) between tabulated COESA
//! values and temperature linearly, which is accurate to a few per cent in density — ample for drag.
//! Above the last tabulated altitude (1000 km) density decays with the last scale height.
//!
//! ```
//! use shieldnet_earth::atmosphere::us76;
//! let sl = us76(0.0);
//! assert!((sl.density_kg_m3 - 1.225).abs() < 1e-4);
//! assert!((sl.speed_of_sound_m_s - 340.294).abs() < 1e-3);
//! ```

use serde::{Deserialize, Serialize};

/// Standard gravity g₀, m/s².
pub const G0: f64 = 9.806_65;
/// Universal gas constant R* as adopted by the 1976 standard, J/(kmol·K).
pub const R_STAR: f64 = 8_314.32;
/// Sea-level mean molecular weight M₀, kg/kmol.
pub const M0: f64 = 28.964_4;
/// Effective Earth radius for geopotential altitude, m.
pub const R0_GEOPOTENTIAL: f64 = 6_356_766.0;
/// Ratio of specific heats of air.
pub const GAMMA_AIR: f64 = 1.4;
/// Sea-level pressure, Pa.
pub const P0: f64 = 101_325.0;
/// Altitude up to which the hydrostatic layers of the standard are used, m (geometric).
pub const HYDROSTATIC_TOP_M: f64 = 86_000.0;

/// Air properties at one altitude.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AtmosphereState {
    /// Kinetic temperature, K.
    pub temperature_k: f64,
    /// Pressure, Pa.
    pub pressure_pa: f64,
    /// Density, kg/m³.
    pub density_kg_m3: f64,
    /// Speed of sound √(γ R* T_M / M₀), m/s.
    pub speed_of_sound_m_s: f64,
}

/// Layer bases below 86 km: geopotential altitude (m), molecular temperature (K), lapse (K/m).
const LAYERS: [(f64, f64, f64); 7] = [
    (0.0, 288.15, -0.0065),
    (11_000.0, 216.65, 0.0),
    (20_000.0, 216.65, 0.001),
    (32_000.0, 228.65, 0.0028),
    (47_000.0, 270.65, 0.0),
    (51_000.0, 270.65, -0.0028),
    (71_000.0, 214.65, -0.002),
];

/// Base pressures of [`LAYERS`], Pa, from the hydrostatic equation (COESA 1976 Table I values).
const LAYER_P: [f64; 7] = [101_325.0, 22_632.06, 5_474.889, 868.018_7, 110.906_3, 66.938_87, 3.956_420];

/// M/M₀ from 80 km to 86 km geometric altitude in 0.5 km steps (COESA 1976 Table 8).
const MOLWT_RATIO: [f64; 13] = [
    1.0, 0.999_996, 0.999_989, 0.999_971, 0.999_941, 0.999_909, 0.999_870, 0.999_829, 0.999_786, 0.999_741,
    0.999_694, 0.999_641, 0.999_579,
];

/// Tabulated values above 86 km: geometric altitude (m), kinetic temperature (K), pressure (Pa),
/// density (kg/m³). The 86, 91, 110, 120, 500 and 1000 km rows are those of
/// shared/reference/bmd-field.md §2.5; the others are COESA 1976 table rows added to keep the
/// exponential interpolation close (they are not test oracles).
const UPPER: [(f64, f64, f64, f64); 14] = [
    (86_000.0, 186.87, 3.733_8e-1, 6.958e-6),
    (91_000.0, 186.87, 1.538_1e-1, 2.860e-6),
    (100_000.0, 195.08, 3.201_1e-2, 5.604e-7),
    (110_000.0, 240.00, 7.104_2e-3, 9.708e-8),
    (120_000.0, 360.00, 2.538_2e-3, 2.222e-8),
    (150_000.0, 634.39, 4.542_2e-4, 2.076e-9),
    (200_000.0, 854.56, 8.473_6e-5, 2.541e-10),
    (300_000.0, 976.01, 8.770_4e-6, 1.916e-11),
    (400_000.0, 995.83, 1.451_8e-6, 2.803e-12),
    (500_000.0, 999.24, 3.023_6e-7, 5.215e-13),
    (600_000.0, 999.85, 8.213_0e-8, 1.137e-13),
    (700_000.0, 999.97, 3.190_8e-8, 3.070e-14),
    (800_000.0, 999.99, 1.702_4e-8, 1.136e-14),
    (1_000_000.0, 1000.0, 7.513_8e-9, 3.561e-15),
];

/// Geopotential altitude (m) of a geometric altitude (m): H = r₀Z/(r₀+Z).
#[inline]
pub fn geopotential_altitude(z_m: f64) -> f64 {
    R0_GEOPOTENTIAL * z_m / (R0_GEOPOTENTIAL + z_m)
}

/// Speed of sound for a molecular temperature, m/s.
fn sound_speed(t_m: f64) -> f64 {
    (GAMMA_AIR * R_STAR / M0 * t_m).sqrt()
}

/// Molecular temperature (K) and pressure (Pa) below 86 km from the hydrostatic layers.
fn hydrostatic(z_m: f64) -> (f64, f64) {
    hydrostatic_geopotential(geopotential_altitude(z_m.max(-5_000.0)))
}

/// Molecular temperature (K) and pressure (Pa) at a geopotential altitude (m) from the layers.
fn hydrostatic_geopotential(h: f64) -> (f64, f64) {
    let mut i = LAYERS.len() - 1;
    while i > 0 && h < LAYERS[i].0 {
        i -= 1;
    }
    let (hb, tb, lapse) = LAYERS[i];
    let pb = LAYER_P[i];
    let gmr = G0 * M0 / R_STAR;
    if lapse == 0.0 {
        (tb, pb * (-gmr * (h - hb) / tb).exp())
    } else {
        let t = tb + lapse * (h - hb);
        (t, pb * (tb / t).powf(gmr / lapse))
    }
}

/// M/M₀ at a geometric altitude (1 below 80 km).
fn molecular_weight_ratio(z_m: f64) -> f64 {
    if z_m <= 80_000.0 {
        return 1.0;
    }
    let x = ((z_m - 80_000.0) / 500.0).min(12.0);
    let i = (x.floor() as usize).min(11);
    let f = x - i as f64;
    MOLWT_RATIO[i] * (1.0 - f) + MOLWT_RATIO[i + 1] * f
}

/// US Standard Atmosphere 1976 at a geometric altitude (m above the surface). Altitudes below −5 km
/// are clamped to −5 km; above 1000 km density and pressure decay exponentially.
pub fn us76(z_m: f64) -> AtmosphereState {
    if z_m < HYDROSTATIC_TOP_M {
        let (t_m, p) = hydrostatic(z_m);
        let rho = p * M0 / (R_STAR * t_m);
        return AtmosphereState {
            temperature_k: t_m * molecular_weight_ratio(z_m),
            pressure_pa: p,
            density_kg_m3: rho,
            speed_of_sound_m_s: sound_speed(t_m),
        };
    }
    let (t, p, rho) = upper(z_m);
    AtmosphereState {
        temperature_k: t,
        pressure_pa: p,
        density_kg_m3: rho,
        speed_of_sound_m_s: sound_speed(t),
    }
}

/// Interpolated (T, p, ρ) above 86 km.
fn upper(z_m: f64) -> (f64, f64, f64) {
    let n = UPPER.len();
    let mut i = 0;
    while i + 2 < n && z_m > UPPER[i + 1].0 {
        i += 1;
    }
    let (z0, t0, p0, r0) = UPPER[i];
    let (z1, t1, p1, r1) = UPPER[i + 1];
    let f = (z_m - z0) / (z1 - z0);
    let t = if f <= 1.0 { t0 + (t1 - t0) * f } else { t1 };
    let p = p0 * (p1 / p0).powf(f);
    let rho = r0 * (r1 / r0).powf(f);
    (t, p, rho)
}

/// Spacing of the density table below 86 km, in geopotential altitude, m. Every layer base (a whole
/// number of kilometres) is a node, so each cell lies inside one layer where ρ(H) is smooth.
const TABLE_STEP_M: f64 = 100.0;
/// Geopotential altitude of the first table node, m (below the −5 km clamp).
const TABLE_BASE_M: f64 = -6_000.0;
/// Table nodes: up to 85 km geopotential (86 km geometric is 84.85 km geopotential).
const TABLE_NODES: usize = 911;

/// ρ at the table nodes (hydrostatic layers), built on first use.
static DENSITY_TABLE: std::sync::LazyLock<[f64; TABLE_NODES]> = std::sync::LazyLock::new(|| {
    let mut t = [0.0; TABLE_NODES];
    for (i, v) in t.iter_mut().enumerate() {
        let h = TABLE_BASE_M + i as f64 * TABLE_STEP_M;
        // Geometric altitude of this geopotential altitude (inverse of `geopotential_altitude`).
        let (t_m, p) = hydrostatic_geopotential(h);
        *v = p * M0 / (R_STAR * t_m);
    }
    t
});

/// ln ρ at the [`UPPER`] rows, built on first use.
static UPPER_LN_RHO: std::sync::LazyLock<[f64; 14]> =
    std::sync::LazyLock::new(|| UPPER.map(|(_, _, _, rho)| rho.ln()));

/// Air density only (kg/m³), the hot path for drag: the model of [`us76`], evaluated below 86 km by
/// linear interpolation in a 100 m table of the hydrostatic layers (relative error below 5e-5, no
/// transcendental function), above by the same log-linear interpolation as [`us76`] (one `exp`).
#[inline]
pub fn density(z_m: f64) -> f64 {
    if z_m < HYDROSTATIC_TOP_M {
        let h = geopotential_altitude(z_m.max(-5_000.0));
        let x = (h - TABLE_BASE_M) / TABLE_STEP_M;
        let i = (x as usize).min(TABLE_NODES - 2);
        let f = x - i as f64;
        let t = &*DENSITY_TABLE;
        t[i] + (t[i + 1] - t[i]) * f
    } else {
        let n = UPPER.len();
        let mut i = 0;
        while i + 2 < n && z_m > UPPER[i + 1].0 {
            i += 1;
        }
        let (z0, z1) = (UPPER[i].0, UPPER[i + 1].0);
        let l = &*UPPER_LN_RHO;
        (l[i] + (l[i + 1] - l[i]) * (z_m - z0) / (z1 - z0)).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        ((a - b) / b).abs()
    }

    /// shared/reference/bmd-field.md §2.5 (COESA 1976 via poliastro's table): at every layer base the
    /// temperature, pressure and density agree with the published five-figure values.
    #[test]
    fn layer_bases_match_the_published_table() {
        // (Z km, T K, p mbar, rho kg/m3)
        let table = [
            (0.0, 288.150, 1013.25, 1.2250),
            (11.019, 216.650, 226.32, 0.36392),
            (20.063, 216.650, 54.748, 0.088035),
            (32.162, 228.650, 8.6801, 0.013225),
            (47.350, 270.650, 1.1090, 1.4275e-3),
            (51.413, 270.650, 0.66938, 8.6160e-4),
            (71.802, 214.650, 0.039564, 6.4211e-5),
            (86.0, 186.87, 3.7338e-3, 6.958e-6),
            (91.0, 186.87, 1.5381e-3, 2.860e-6),
            (110.0, 240.00, 7.1042e-5, 9.708e-8),
            (120.0, 360.00, 2.5382e-5, 2.222e-8),
            (500.0, 999.24, 3.0236e-9, 5.215e-13),
            (1000.0, 1000.0, f64::NAN, 3.561e-15),
        ];
        for (z, t, p_mbar, rho) in table {
            let s = us76(z * 1000.0);
            assert!((s.temperature_k - t).abs() < 0.01, "T at {z} km: {}", s.temperature_k);
            if p_mbar.is_finite() {
                assert!(rel(s.pressure_pa, p_mbar * 100.0) < 2e-4, "p at {z} km: {}", s.pressure_pa);
            }
            assert!(rel(s.density_kg_m3, rho) < 2e-4, "rho at {z} km: {}", s.density_kg_m3);
            assert!(rel(density(z * 1000.0), rho) < 2e-4);
        }
    }

    #[test]
    fn density_is_continuous_and_decreasing() {
        let mut last = f64::INFINITY;
        let mut z = 0.0;
        while z < 1.5e6 {
            let d = density(z);
            assert!(d < last && d > 0.0, "at {z}");
            // No jump larger than the local exponential decay over 100 m would allow.
            assert!(last == f64::INFINITY || d / last > 0.97, "jump at {z}: {}", d / last);
            last = d;
            z += 100.0;
        }
    }

    /// The fast density (tabulated below 86 km) agrees with the full model everywhere to 5e-5.
    #[test]
    fn fast_density_matches_the_full_model() {
        let mut z = -4_990.0;
        while z < 1.2e6 {
            let (fast, full) = (density(z), us76(z).density_kg_m3);
            assert!(rel(fast, full) < 5e-5, "at {z} m: {fast} vs {full}");
            z += if z < 90e3 { 37.0 } else { 997.0 };
        }
    }

    #[test]
    fn sea_level_speed_of_sound() {
        assert!((us76(0.0).speed_of_sound_m_s - 340.294).abs() < 1e-3);
        // 11 km: 295.070 m/s (COESA Table I).
        assert!((us76(11_019.0).speed_of_sound_m_s - 295.07).abs() < 0.01);
    }
}
