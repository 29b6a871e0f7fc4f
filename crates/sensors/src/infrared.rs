//! Space-based infrared early warning: a satellite that sees the hot plume of a **boosting** missile
//! and reports only its line of sight (two angles), some seconds after the observation.
//!
//! A satellite is fixed in the Earth frame (geostationary, or the quasi-stationary apogee dwell of a
//! highly elliptical orbit, taken as fixed for the few minutes of a boost). A target is visible when
//! it is thrusting, above the altitude where cloud tops hide the plume (`min_altitude_m`), and the
//! line of sight clears the Earth (the target is on the satellite's side of the Earth or above its
//! limb). Measured are the two tangent-plane angles of the line of sight in the satellite's nadir
//! frame ([`LosFrame`]), with Gaussian noise.

use crate::radar::line_of_sight_clear;
use rand::Rng;
use rand_distr::{Distribution, Normal, Uniform};
use serde::{Deserialize, Serialize};
use shieldnet_earth::{Ecef, Vec3};

/// A satellite's nadir frame: `nadir` points at the Earth's centre, `a1` east-like, `a2` completes
/// the right-handed triad (a1 × a2 = nadir). A direction d has tangent-plane angles
/// α = atan2(d·a1, d·nadir), β = atan2(d·a2, d·nadir).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LosFrame {
    /// Satellite position, ECEF m.
    pub origin: Vec3,
    /// Unit vector toward the Earth's centre.
    pub nadir: Vec3,
    /// First tangent axis (east at the sub-satellite point).
    pub a1: Vec3,
    /// Second tangent axis.
    pub a2: Vec3,
}

impl LosFrame {
    /// The frame of a satellite at `origin`.
    pub fn new(origin: &Ecef) -> Self {
        let nadir = -origin.0.normalize();
        let z = Vec3::new(0.0, 0.0, 1.0);
        let east = z.cross(&origin.0);
        let a1 =
            if east.norm() > 1e-6 * origin.0.norm() { east.normalize() } else { Vec3::new(0.0, 1.0, 0.0) };
        let a2 = nadir.cross(&a1);
        Self { origin: origin.0, nadir, a1, a2 }
    }

    /// Tangent-plane angles (α, β) of the line of sight to a point, rad.
    pub fn angles(&self, p: &Vec3) -> [f64; 2] {
        let d = p - self.origin;
        let w = d.dot(&self.nadir);
        [d.dot(&self.a1).atan2(w), d.dot(&self.a2).atan2(w)]
    }

    /// Unit line-of-sight vector of angles (α, β).
    pub fn direction(&self, angles: &[f64; 2]) -> Vec3 {
        (self.nadir + self.a1 * angles[0].tan() + self.a2 * angles[1].tan()).normalize()
    }
}

/// Everything that defines an infrared early-warning satellite (SI units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IrSatelliteSpec {
    /// Identifier.
    pub id: String,
    /// Position, ECEF m (fixed in the Earth frame).
    pub position: [f64; 3],
    /// Time between looks at the same area, s.
    pub revisit_s: f64,
    /// Angular noise of each line-of-sight angle (1σ), rad.
    pub sigma_rad: f64,
    /// Detection probability of a visible plume per look.
    pub pd: f64,
    /// Delay from observation to report at the owning party, s.
    pub latency_s: f64,
    /// Lowest altitude at which a plume is seen (cloud tops), m.
    pub min_altitude_m: f64,
}

/// One object an infrared satellite may see.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IrTarget {
    /// Truth index (reports only).
    pub truth: u32,
    /// Position, ECEF.
    pub position: Ecef,
    /// Whether its motor is burning.
    pub thrusting: bool,
}

/// A line-of-sight report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IrDetection {
    /// Observation time, s.
    pub time_s: f64,
    /// Time the report reaches the owning party, s.
    pub report_time_s: f64,
    /// Index of the satellite.
    pub satellite: u32,
    /// Measured tangent-plane angles (α, β) in the satellite's [`LosFrame`], rad.
    pub angles: [f64; 2],
    /// Noise of each angle (1σ), rad.
    pub sigma_rad: f64,
    /// Truth label for reports only; trackers never read it.
    pub truth: Option<u32>,
}

/// An infrared satellite in a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct IrSatellite {
    /// Index in the scenario.
    pub index: u32,
    /// Owning party.
    pub party: u32,
    /// The spec.
    pub spec: IrSatelliteSpec,
    /// Its nadir frame.
    pub frame: LosFrame,
}

impl IrSatellite {
    /// A satellite owned by `party`.
    pub fn new(index: u32, party: u32, spec: IrSatelliteSpec) -> Self {
        let frame = LosFrame::new(&Ecef(Vec3::from(spec.position)));
        Self { index, party, spec, frame }
    }

    /// Position, ECEF.
    pub fn position(&self) -> Ecef {
        Ecef(self.frame.origin)
    }

    /// Whether the satellite sees a target: thrusting, above the cloud-top altitude, line of sight
    /// clear of the Earth.
    pub fn can_see(&self, target: &Ecef, thrusting: bool) -> bool {
        thrusting
            && target.to_geodetic().alt_m >= self.spec.min_altitude_m
            && line_of_sight_clear(&self.position(), target)
    }

    /// Look times in (t0, t1]: k·revisit_s.
    pub fn look_times(&self, t0: f64, t1: f64) -> impl Iterator<Item = f64> + use<> {
        let r = self.spec.revisit_s;
        let first = (t0 / r).floor() as i64 + 1;
        let last = (t1 / r + 1e-9).floor() as i64;
        (first..=last).map(move |k| k as f64 * r)
    }

    /// One look at time `t_s`.
    pub fn look<R: Rng + ?Sized>(&self, t_s: f64, targets: &[IrTarget], rng: &mut R) -> Vec<IrDetection> {
        let unit = Uniform::new(0.0, 1.0).expect("valid range");
        let noise = Normal::new(0.0, self.spec.sigma_rad).ok();
        let mut out = Vec::new();
        for t in targets {
            if !self.can_see(&t.position, t.thrusting) || unit.sample(rng) >= self.spec.pd {
                continue;
            }
            let a = self.frame.angles(&t.position.0);
            let mut n = || noise.map_or(0.0, |d| d.sample(rng));
            let angles = [a[0] + n(), a[1] + n()];
            out.push(IrDetection {
                time_s: t_s,
                report_time_s: t_s + self.spec.latency_s,
                satellite: self.index,
                angles,
                sigma_rad: self.spec.sigma_rad,
                truth: Some(t.truth),
            });
        }
        out
    }
}

/// Position of a geostationary satellite above longitude `lon_rad`, ECEF m (radius 42,164.17 km).
pub fn geostationary(lon_rad: f64) -> Ecef {
    let r = 42_164_170.0;
    Ecef(Vec3::new(r * lon_rad.cos(), r * lon_rad.sin(), 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use shieldnet_earth::Geodetic;

    fn sat() -> IrSatellite {
        let spec = IrSatelliteSpec {
            id: "geo".into(),
            position: geostationary(50f64.to_radians()).0.into(),
            revisit_s: 10.0,
            sigma_rad: 3e-5,
            pd: 1.0,
            latency_s: 20.0,
            min_altitude_m: 10e3,
        };
        IrSatellite::new(0, 0, spec)
    }

    #[test]
    fn sees_a_boosting_missile_above_the_clouds_on_its_side_of_the_earth_only() {
        let s = sat();
        let iran = |alt: f64| Geodetic::from_degrees(35.0, 53.0, alt).to_ecef();
        assert!(s.can_see(&iran(40e3), true));
        assert!(!s.can_see(&iran(40e3), false), "no plume after burnout");
        assert!(!s.can_see(&iran(5e3), true), "below the cloud tops");
        // The far side of the Earth (longitude 50° + 180°) is hidden, even high up.
        assert!(!s.can_see(&Geodetic::from_degrees(0.0, -130.0, 300e3).to_ecef(), true));
        // Above the limb: along the equator (a circle of radius a) a point at height h is in view up to
        // the central angle acos(a/r_geo) + acos(a/(a + h)) from the sub-satellite point, where the
        // line of sight grazes the Earth.
        for h in [100e3, 1_000e3] {
            let a = shieldnet_earth::constants::WGS84_A;
            let limit = ((a / 42_164_170.0f64).acos() + (a / (a + h)).acos()).to_degrees();
            assert!(limit > 90.0, "{limit}");
            assert!(s.can_see(&Geodetic::from_degrees(0.0, 50.0 + limit - 0.3, h).to_ecef(), true));
            assert!(!s.can_see(&Geodetic::from_degrees(0.0, 50.0 + limit + 0.3, h).to_ecef(), true));
        }
    }

    #[test]
    fn angles_round_trip_and_noise_matches_sigma() {
        let s = sat();
        let p = Geodetic::from_degrees(35.0, 53.0, 60e3).to_ecef();
        let a = s.frame.angles(&p.0);
        let d = s.frame.direction(&a);
        let truth = (p.0 - s.frame.origin).normalize();
        assert!((d - truth).norm() < 1e-12);
        // Nadir (the sub-satellite point) has angles (0, 0).
        let sub = Geodetic::from_degrees(0.0, 50.0, 0.0).to_ecef();
        let z = s.frame.angles(&sub.0);
        assert!(z[0].abs() < 1e-12 && z[1].abs() < 1e-12);
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let n = 4_000;
        let mut ss = 0.0;
        for k in 0..n {
            let det =
                s.look(k as f64 * 10.0, &[IrTarget { truth: 0, position: p, thrusting: true }], &mut rng);
            assert_eq!(det[0].report_time_s, det[0].time_s + 20.0);
            ss += (det[0].angles[0] - a[0]).powi(2) + (det[0].angles[1] - a[1]).powi(2);
        }
        let sd = (ss / (2 * n) as f64).sqrt();
        assert!((sd / 3e-5 - 1.0).abs() < 0.05, "{sd}");
    }
}
