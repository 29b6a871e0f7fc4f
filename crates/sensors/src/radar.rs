//! Radar visibility, detection and noise.

use crate::detection::{Detection, Scan};
use crate::detection_model::RadarEquation;
use rand::Rng;
use rand_distr::{Distribution, Normal, Poisson, Uniform};
use serde::{Deserialize, Serialize};
use shieldnet_earth::constants::{WGS84_A, WGS84_B};
use shieldnet_earth::{Ecef, Geodetic, LookAngles, Vec3};
use std::f64::consts::{PI, TAU};

/// Everything that defines a radar, in SI units and radians.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RadarSpec {
    /// Identifier.
    pub id: String,
    /// Site.
    pub site: Geodetic,
    /// Centre of the azimuth sector, rad clockwise from north.
    pub boresight_az_rad: f64,
    /// Half-width of the azimuth sector, rad (π = all round).
    pub half_width_az_rad: f64,
    /// Elevation mask, rad.
    pub min_el_rad: f64,
    /// Highest elevation searched, rad.
    pub max_el_rad: f64,
    /// Instrumented range, m.
    pub max_range_m: f64,
    /// Revisit interval, s.
    pub revisit_s: f64,
    /// Range noise (1σ), m.
    pub sigma_range_m: f64,
    /// Azimuth noise (1σ), rad.
    pub sigma_az_rad: f64,
    /// Elevation noise (1σ), rad.
    pub sigma_el_rad: f64,
    /// Detection probability of a visible target per look.
    pub pd: f64,
    /// Mean number of false alarms per look.
    pub false_alarms_per_scan: f64,
    /// Radar equation and detector: when present, detection probability follows from SNR (range,
    /// RCS, Swerling model, Pfa) and noise grows as SNR falls; when absent, the fixed `pd` and sigmas
    /// apply.
    #[serde(default)]
    pub detection: Option<RadarEquation>,
}

impl RadarSpec {
    /// An X-band radar at Kürecik looking toward Iran (used by examples and tests).
    pub fn example() -> Self {
        Self {
            id: "example".into(),
            site: Geodetic::from_degrees(38.349, 37.794, 2085.0),
            boresight_az_rad: 110f64.to_radians(),
            half_width_az_rad: 60f64.to_radians(),
            min_el_rad: 0.5f64.to_radians(),
            max_el_rad: 80f64.to_radians(),
            max_range_m: 1_500e3,
            revisit_s: 2.0,
            sigma_range_m: 15.0,
            sigma_az_rad: 1e-3,
            sigma_el_rad: 1e-3,
            pd: 0.9,
            false_alarms_per_scan: 0.0,
            detection: None,
        }
    }
}

/// A radar in a scenario: its spec, owner and precomputed site position.
#[derive(Debug, Clone, PartialEq)]
pub struct Radar {
    /// Index in the scenario.
    pub index: u32,
    /// Index of the owning party.
    pub party: u32,
    /// The spec.
    pub spec: RadarSpec,
    site_ecef: Ecef,
}

impl Radar {
    /// A radar owned by `party`.
    pub fn new(index: u32, party: u32, spec: RadarSpec) -> Self {
        let site_ecef = spec.site.to_ecef();
        Self { index, party, spec, site_ecef }
    }

    /// Site position in ECEF.
    pub fn site_ecef(&self) -> Ecef {
        self.site_ecef
    }

    /// Whether look angles fall inside the searched volume (sector, elevation limits, range).
    pub fn in_volume(&self, la: &LookAngles) -> bool {
        let s = &self.spec;
        let daz = wrap_pi(la.az_rad - s.boresight_az_rad).abs();
        la.range_m <= s.max_range_m
            && daz <= s.half_width_az_rad
            && la.el_rad >= s.min_el_rad
            && la.el_rad <= s.max_el_rad
    }

    /// Whether the radar can see a point: inside its volume and with a line of sight that clears the
    /// WGS-84 ellipsoid.
    pub fn can_see(&self, target: &Ecef) -> bool {
        let la = target.look_angles_from(&self.spec.site);
        self.in_volume(&la) && line_of_sight_clear(&self.site_ecef, target)
    }

    /// Times of this radar's looks in the half-open interval (t0, t1]: looks happen at k·revisit_s.
    pub fn look_times(&self, t0: f64, t1: f64) -> impl Iterator<Item = f64> + use<> {
        let r = self.spec.revisit_s;
        let first = (t0 / r).floor() as i64 + 1;
        let last = (t1 / r + 1e-9).floor() as i64;
        (first..=last).map(move |k| k as f64 * r)
    }

    /// One look at time `t_s` over targets given as (truth index, ECEF position): visible targets are
    /// detected with probability pd (or, with a radar equation, from SNR at its default RCS), and
    /// Poisson-distributed false alarms are added.
    pub fn look<R: Rng + ?Sized>(&self, t_s: f64, targets: &[(u32, Ecef)], rng: &mut R) -> Scan {
        let rcs = self.spec.detection.as_ref().map(|d| d.default_rcs_m2).unwrap_or(1.0);
        let with_rcs: Vec<(u32, Ecef, f64)> = targets.iter().map(|(i, p)| (*i, *p, rcs)).collect();
        self.look_with_rcs(t_s, &with_rcs, rng)
    }

    /// Mean SNR (linear) of a target of RCS `rcs_m2` at `range_m`, if the spec has a radar equation.
    pub fn snr(&self, range_m: f64, rcs_m2: f64) -> Option<f64> {
        self.spec.detection.as_ref().map(|d| d.snr(range_m, rcs_m2))
    }

    /// Detection probability of a visible target of RCS `rcs_m2` at `range_m`: the fixed `pd`, or the
    /// Swerling Pd at the radar-equation SNR.
    pub fn pd_at(&self, range_m: f64, rcs_m2: f64) -> f64 {
        match &self.spec.detection {
            Some(d) => d.pd(d.snr(range_m, rcs_m2)),
            None => self.spec.pd,
        }
    }

    /// One look over targets given as (truth index, ECEF position, RCS m²). Without a radar equation in
    /// the spec the RCS is ignored and the result is identical to [`Radar::look`].
    pub fn look_with_rcs<R: Rng + ?Sized>(
        &self,
        t_s: f64,
        targets: &[(u32, Ecef, f64)],
        rng: &mut R,
    ) -> Scan {
        let s = &self.spec;
        let mut detections = Vec::new();
        let base_sigma = [s.sigma_range_m, s.sigma_az_rad, s.sigma_el_rad];
        let unit = Uniform::new(0.0, 1.0).expect("valid range");
        for (truth, pos, rcs) in targets {
            if !self.can_see(pos) {
                continue;
            }
            let la = pos.look_angles_from(&s.site);
            let (pd, factor) = match &s.detection {
                Some(d) => {
                    let snr = d.snr(la.range_m, *rcs);
                    (d.pd(snr), d.noise_factor(snr))
                }
                None => (s.pd, 1.0),
            };
            if unit.sample(rng) >= pd {
                continue;
            }
            let sigma = base_sigma.map(|v| v * factor);
            detections.push(Detection {
                time_s: t_s,
                radar: self.index,
                measured: self.noisy(la, &sigma, rng),
                sigma,
                truth: Some(*truth),
            });
        }
        let mean_false = match &s.detection {
            Some(RadarEquation { resolution_cells: Some(cells), pfa, .. }) => pfa * cells,
            _ => s.false_alarms_per_scan,
        };
        if mean_false > 0.0 {
            let n = Poisson::new(mean_false).map(|p| p.sample(rng) as u32).unwrap_or(0);
            for _ in 0..n {
                let la = LookAngles {
                    range_m: s.max_range_m * unit.sample(rng).sqrt().max(0.05),
                    az_rad: (s.boresight_az_rad + s.half_width_az_rad * (2.0 * unit.sample(rng) - 1.0))
                        .rem_euclid(TAU),
                    el_rad: s.min_el_rad + (s.max_el_rad - s.min_el_rad) * unit.sample(rng),
                };
                detections.push(Detection {
                    time_s: t_s,
                    radar: self.index,
                    measured: la,
                    sigma: base_sigma,
                    truth: None,
                });
            }
        }
        Scan { time_s: t_s, radar: self.index, site: s.site, detections }
    }

    fn noisy<R: Rng + ?Sized>(&self, la: LookAngles, sigma: &[f64; 3], rng: &mut R) -> LookAngles {
        let n = |sd: f64, rng: &mut R| Normal::new(0.0, sd).map(|d| d.sample(rng)).unwrap_or(0.0);
        LookAngles {
            range_m: la.range_m + n(sigma[0], rng),
            az_rad: (la.az_rad + n(sigma[1], rng)).rem_euclid(TAU),
            el_rad: la.el_rad + n(sigma[2], rng),
        }
    }
}

/// Angle wrapped to (−π, π].
pub fn wrap_pi(a: f64) -> f64 {
    let mut x = a.rem_euclid(TAU);
    if x > PI {
        x -= TAU;
    }
    x
}

/// Whether the straight segment between two points clears the WGS-84 ellipsoid (no Earth occlusion).
pub fn line_of_sight_clear(a: &Ecef, b: &Ecef) -> bool {
    // Scale to the unit sphere, then find the closest approach of the segment to the centre.
    let scale = Vec3::new(1.0 / WGS84_A, 1.0 / WGS84_A, 1.0 / WGS84_B);
    let pa = a.0.component_mul(&scale);
    let pb = b.0.component_mul(&scale);
    let d = pb - pa;
    let dd = d.norm_squared();
    if dd == 0.0 {
        return true;
    }
    let t = (-pa.dot(&d) / dd).clamp(0.0, 1.0);
    let closest = pa + d * t;
    // A site on the surface touches the ellipsoid at its own end; allow a metre of tolerance.
    closest.norm() >= 1.0 - 1.0 / WGS84_A
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use shieldnet_earth::Enu;

    fn radar() -> Radar {
        Radar::new(0, 0, RadarSpec::example())
    }

    #[test]
    fn a_target_below_the_horizon_is_not_seen_even_in_range() {
        let r = radar();
        // 1,000 km east-south-east at 20 km altitude: the horizon from 2 km height at that range hides
        // everything below ~ 1000²/(2·6371) − ... ≈ 60 km.
        let p = Enu(Vec3::new(900e3, -300e3, 0.0)).to_ecef(&r.spec.site).to_geodetic();
        let low = Geodetic { alt_m: 20e3, ..p }.to_ecef();
        let high = Geodetic { alt_m: 200e3, ..p }.to_ecef();
        assert!(!r.can_see(&low));
        assert!(r.can_see(&high));
    }

    #[test]
    fn detection_rate_matches_pd_and_noise_matches_sigma() {
        let r = radar();
        let target = Geodetic::from_degrees(37.0, 45.0, 150e3).to_ecef();
        assert!(r.can_see(&target));
        let truth = target.look_angles_from(&r.spec.site);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 20_000;
        let mut hits = 0;
        let mut sum_sq = 0.0;
        for k in 0..n {
            let scan = r.look(k as f64, &[(0, target)], &mut rng);
            for d in scan.detections {
                hits += 1;
                sum_sq += (d.measured.range_m - truth.range_m).powi(2);
            }
        }
        let pd = hits as f64 / n as f64;
        // Binomial 3σ band around 0.9 for n = 20,000 is ±0.0064.
        assert!((pd - 0.9).abs() < 0.0064, "pd {pd}");
        let sd = (sum_sq / hits as f64).sqrt();
        assert!((sd - 15.0).abs() < 0.5, "range sd {sd}");
    }

    #[test]
    fn false_alarm_count_matches_the_poisson_mean() {
        let mut spec = RadarSpec::example();
        spec.false_alarms_per_scan = 2.5;
        let r = Radar::new(0, 0, spec);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 10_000;
        let total: usize = (0..n).map(|k| r.look(k as f64, &[], &mut rng).detections.len()).sum();
        let mean = total as f64 / n as f64;
        assert!((mean - 2.5).abs() < 3.0 * (2.5f64 / n as f64).sqrt(), "mean {mean}");
    }

    #[test]
    fn look_times_are_multiples_of_the_revisit_interval() {
        let r = radar();
        let v: Vec<f64> = r.look_times(0.0, 5.0).collect();
        assert_eq!(v, vec![2.0, 4.0]);
        let v: Vec<f64> = r.look_times(4.0, 6.0).collect();
        assert_eq!(v, vec![6.0]);
    }

    #[test]
    fn with_a_radar_equation_detection_rate_follows_swerling_and_noise_grows_with_range() {
        let mut spec = RadarSpec::example();
        spec.detection = Some(RadarEquation::example());
        let r = Radar::new(0, 0, spec);
        let target = Geodetic::from_degrees(37.0, 45.0, 150e3).to_ecef();
        let range = target.look_angles_from(&r.spec.site).range_m;
        // A small RCS so that Pd is well inside (0, 1).
        let rcs = 0.01;
        let eq = RadarEquation::example();
        let snr = eq.snr(range, rcs);
        let expected = eq.pd(snr);
        assert!(expected > 0.2 && expected < 0.95, "pd {expected}");
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let n = 20_000;
        let mut hits = 0;
        let mut sigma = [0.0; 3];
        for k in 0..n {
            let scan = r.look_with_rcs(k as f64, &[(0, target, rcs)], &mut rng);
            for d in scan.detections {
                hits += 1;
                sigma = d.sigma;
            }
        }
        let pd = hits as f64 / n as f64;
        let band = 4.0 * (expected * (1.0 - expected) / n as f64).sqrt();
        assert!((pd - expected).abs() < band, "pd {pd} vs Swerling I {expected}");
        // Reported noise is the spec's at the reference SNR scaled by sqrt(SNR_ref/SNR).
        let f = (100.0 / snr).sqrt();
        assert!((sigma[0] - 15.0 * f).abs() < 1e-9 && (sigma[1] - 1e-3 * f).abs() < 1e-15);
        assert!((r.pd_at(range, rcs) - expected).abs() < 1e-15);
        // A large RCS is detected (almost) every look; without a radar equation RCS is ignored.
        assert!(r.pd_at(range, 10.0) > 0.99);
        assert_eq!(radar().pd_at(range, 1e-6), 0.9);
    }

    proptest::proptest! {
        /// A radar never detects a target outside its field of regard or behind the Earth.
        #[test]
        fn never_detects_what_it_cannot_see(lat in 20.0f64..55.0, lon in 20.0f64..65.0, alt in 0.0f64..1.5e6, seed in 0u64..1000) {
            let r = radar();
            let p = Geodetic::from_degrees(lat, lon, alt).to_ecef();
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut scan = r.look(0.0, &[(0, p)], &mut rng);
            // Also with the radar equation and a huge RCS (detected whenever visible).
            let mut spec = RadarSpec::example();
            spec.detection = Some(RadarEquation::example());
            let r2 = Radar::new(0, 0, spec);
            scan.detections.extend(r2.look_with_rcs(0.0, &[(0, p, 1e6)], &mut rng).detections);
            if !scan.detections.is_empty() {
                let la = p.look_angles_from(&r.spec.site);
                proptest::prop_assert!(r.in_volume(&la));
                proptest::prop_assert!(la.el_rad >= r.spec.min_el_rad);
                proptest::prop_assert!(line_of_sight_clear(&r.site_ecef(), &p));
            }
        }
    }
}
