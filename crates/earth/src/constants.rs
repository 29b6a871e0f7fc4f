//! Physical constants of the WGS-84 system (NGA TR8350.2) in SI units.

/// Semi-major axis (equatorial radius), m.
pub const WGS84_A: f64 = 6_378_137.0;
/// Inverse flattening.
pub const WGS84_INV_F: f64 = 298.257_223_563;
/// Flattening.
pub const WGS84_F: f64 = 1.0 / WGS84_INV_F;
/// Semi-minor axis (polar radius), m.
pub const WGS84_B: f64 = WGS84_A * (1.0 - WGS84_F);
/// First eccentricity squared.
pub const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);
/// Earth's gravitational parameter GM (with atmosphere), m³/s².
pub const GM: f64 = 3.986_004_418e14;
/// Earth's rotation rate, rad/s.
pub const OMEGA_EARTH: f64 = 7.292_115e-5;
/// Second zonal harmonic J2 (from WGS-84 C̄₂,₀ = −0.484166774985e-3, J2 = −√5·C̄₂,₀).
pub const J2: f64 = 1.082_629_821_313_7e-3;
/// Mean Earth radius R₁ = (2a + b)/3, m; used by the spherical Earth models.
pub const MEAN_RADIUS: f64 = 6_371_008.8;
