//! Radar visibility, detection and noise.

use crate::cue::Cue;
use crate::detection::{Detection, RangeRate, Scan};
use crate::detection_model::RadarEquation;
use crate::horizon::{EffectiveEarth, FOUR_THIRDS};
use crate::volume_bounds::VolumeBounds;
use rand::Rng;
use rand_distr::{Distribution, Normal, Poisson, Uniform};
use serde::{Deserialize, Serialize};
use shieldnet_earth::constants::{WGS84_A, WGS84_B};
use shieldnet_earth::{Ecef, Enu, Geodetic, LookAngles, Vec3};
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
    /// Horizon with standard refraction (4/3-Earth model, see [`crate::horizon`]): the elevation mask
    /// applies to the apparent elevation and the Earth blocks only below the radio horizon. Reported
    /// elevations stay geometric (the radar corrects refraction).
    #[serde(default)]
    pub refraction: bool,
    /// Range-rate noise (1σ), m/s: when present, detections also carry a measured range rate.
    #[serde(default)]
    pub sigma_range_rate_m_s: Option<f64>,
    /// Track-mode revisit interval, s: besides the search looks every `revisit_s`, each confirmed
    /// track of the owner gets a look in a small window around it this often (see
    /// [`Radar::track_look_times`] and [`Radar::look_window`]).
    #[serde(default)]
    pub track_revisit_s: Option<f64>,
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
            refraction: false,
            sigma_range_rate_m_s: None,
            track_revisit_s: None,
        }
    }

    /// Solid angle of the searched volume, sr: azimuth width × (sin el_max − sin el_min).
    pub fn volume_solid_angle_sr(&self) -> f64 {
        2.0 * self.half_width_az_rad * (self.max_el_rad.sin() - self.min_el_rad.sin())
    }
}

/// One object a radar may see: truth label, ECEF position and velocity, radar cross-section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// Truth index (reports only).
    pub truth: u32,
    /// Position, ECEF.
    pub position: Ecef,
    /// Velocity relative to the rotating Earth, ECEF m/s (for range rate).
    pub velocity: Ecef,
    /// Radar cross-section, m².
    pub rcs_m2: f64,
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
    /// East, north, up unit vectors of the site in ECEF (computed once: the look geometry of every
    /// target and track would otherwise redo the site's trigonometry).
    site_axes: [Vec3; 3],
    earth: Option<EffectiveEarth>,
    /// The angle limits as sines and cosines (see [`crate::volume_bounds`]).
    bounds: VolumeBounds,
}

impl Radar {
    /// A radar owned by `party`.
    pub fn new(index: u32, party: u32, spec: RadarSpec) -> Self {
        let site_ecef = spec.site.to_ecef();
        let site_axes = spec.site.enu_axes();
        let earth = spec.refraction.then(|| EffectiveEarth::new(&site_ecef, spec.site.alt_m, FOUR_THIRDS));
        let bounds = VolumeBounds::new(&spec);
        Self { index, party, spec, site_ecef, site_axes, earth, bounds }
    }

    /// Range, azimuth and elevation of a point seen from the site: the same arithmetic, hence the
    /// same values, as `target.look_angles_from(&self.spec.site)`, with the site's position and axes
    /// computed once.
    pub fn look_angles(&self, target: &Ecef) -> LookAngles {
        self.site_enu(target).look_angles()
    }

    /// A point's position in the site's ENU frame.
    fn site_enu(&self, target: &Ecef) -> Enu {
        let d = target.0 - self.site_ecef.0;
        let [e, n, u] = &self.site_axes;
        Enu(Vec3::new(e.dot(&d), n.dot(&d), u.dot(&d)))
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
    /// WGS-84 ellipsoid (or, with refraction, inside its volume at the apparent elevation and above
    /// the radio horizon).
    pub fn can_see(&self, target: &Ecef) -> bool {
        let enu = self.site_enu(target);
        // Beyond the instrumented range: not seen, whatever the angles (the volume's first test, on
        // the same range), so the angles are not computed.
        let range = enu.0.norm();
        if range > self.spec.max_range_m {
            return false;
        }
        // Without refraction, a point clear of the angle limits is placed without the arc functions
        // (same answer as the volume test on the look angles, see `volume_bounds`).
        if self.earth.is_none() {
            match self.bounds.angles_inside(&self.spec, &enu.0, range) {
                Some(false) => return false,
                Some(true) => return line_of_sight_clear(&self.site_ecef, target),
                None => {}
            }
        }
        self.can_see_at(target, &enu.look_angles())
    }

    fn can_see_at(&self, target: &Ecef, la: &LookAngles) -> bool {
        match &self.earth {
            None => self.in_volume(la) && line_of_sight_clear(&self.site_ecef, target),
            Some(e) => {
                let (el, clear) = e.apparent(target);
                clear && self.in_volume(&LookAngles { el_rad: el, ..*la })
            }
        }
    }

    /// Times of this radar's looks in the half-open interval (t0, t1]: looks happen at k·revisit_s.
    pub fn look_times(&self, t0: f64, t1: f64) -> impl Iterator<Item = f64> + use<> {
        let r = self.spec.revisit_s;
        let first = (t0 / r).floor() as i64 + 1;
        let last = (t1 / r + 1e-9).floor() as i64;
        (first..=last).map(move |k| k as f64 * r)
    }

    /// Track-mode look times in (t0, t1]: multiples of `track_revisit_s` that are not search look
    /// times (none without a track revisit).
    pub fn track_look_times(&self, t0: f64, t1: f64) -> Vec<f64> {
        let Some(r) = self.spec.track_revisit_s else { return Vec::new() };
        let search = self.spec.revisit_s;
        let first = (t0 / r).floor() as i64 + 1;
        let last = (t1 / r + 1e-9).floor() as i64;
        (first..=last)
            .map(|k| k as f64 * r)
            .filter(|t| {
                let k = (t / search).round();
                (t - k * search).abs() > 1e-9
            })
            .collect()
    }

    /// A track-mode look: only the window around a track is looked at, with the search dwell (no
    /// dwell gain); false alarms scale with the window's share of the volume.
    pub fn look_window<R: Rng + ?Sized>(
        &self,
        t_s: f64,
        targets: &[Target],
        window: &Cue,
        rng: &mut R,
    ) -> Scan {
        self.look_in(t_s, targets, Some(window), false, rng)
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
        let zero = Ecef(Vec3::zeros());
        let t: Vec<Target> = targets
            .iter()
            .map(|(truth, position, rcs_m2)| Target {
                truth: *truth,
                position: *position,
                velocity: zero,
                rcs_m2: *rcs_m2,
            })
            .collect();
        self.look_targets(t_s, &t, None, rng)
    }

    /// One look over [`Target`]s, searching the whole volume or, with a `cue`, only the cue window
    /// (see [`crate::cue`]: SNR × min(Ω_volume/Ω_cue, max gain), false alarms × Ω_cue/Ω_volume).
    pub fn look_targets<R: Rng + ?Sized>(
        &self,
        t_s: f64,
        targets: &[Target],
        cue: Option<&Cue>,
        rng: &mut R,
    ) -> Scan {
        self.look_in(t_s, targets, cue, true, rng)
    }

    fn look_in<R: Rng + ?Sized>(
        &self,
        t_s: f64,
        targets: &[Target],
        cue: Option<&Cue>,
        dwell_gain: bool,
        rng: &mut R,
    ) -> Scan {
        let s = &self.spec;
        let mut detections = Vec::new();
        let base_sigma = [s.sigma_range_m, s.sigma_az_rad, s.sigma_el_rad];
        let unit = Uniform::new(0.0, 1.0).expect("valid range");
        let omega = s.volume_solid_angle_sr();
        let (fraction, gain) = match cue {
            Some(c) => {
                let f = (c.solid_angle_sr() / omega).min(1.0);
                let cap = s.detection.as_ref().map_or(1.0, |d| d.max_cue_dwell_gain.max(1.0));
                (f, if dwell_gain { (1.0 / f).min(cap) } else { 1.0 })
            }
            None => (1.0, 1.0),
        };
        for tg in targets {
            // Beyond the instrumented range nothing is seen (as in `can_see`): no angles, no draws.
            let enu = self.site_enu(&tg.position);
            if enu.0.norm() > s.max_range_m {
                continue;
            }
            let la = enu.look_angles();
            if !self.can_see_at(&tg.position, &la) || cue.is_some_and(|c| !c.contains(&la)) {
                continue;
            }
            let (pd, sigma) = match &s.detection {
                Some(d) => {
                    let snr = d.snr(la.range_m, tg.rcs_m2) * gain;
                    (d.pd(snr), d.sigmas(&base_sigma, snr))
                }
                None => (s.pd, base_sigma),
            };
            if unit.sample(rng) >= pd {
                continue;
            }
            let measured = self.noisy(la, &sigma, rng);
            let range_rate = s.sigma_range_rate_m_s.map(|sd| {
                let los = (tg.position.0 - self.site_ecef.0) / la.range_m.max(1e-3);
                let n = Normal::new(0.0, sd).map(|d| d.sample(rng)).unwrap_or(0.0);
                RangeRate { value_m_s: los.dot(&tg.velocity.0) + n, sigma_m_s: sd }
            });
            detections.push(Detection {
                time_s: t_s,
                radar: self.index,
                measured,
                sigma,
                truth: Some(tg.truth),
                range_rate,
            });
        }
        let mean_false = s
            .detection
            .as_ref()
            .and_then(|d| d.false_alarm_mean(omega, s.max_range_m))
            .unwrap_or(s.false_alarms_per_scan)
            * fraction;
        if mean_false > 0.0 {
            let n = Poisson::new(mean_false).map(|p| p.sample(rng) as u32).unwrap_or(0);
            for _ in 0..n {
                let range_m = s.max_range_m * unit.sample(rng).sqrt().max(0.05);
                let (az_rad, el_rad) = match cue {
                    Some(c) => c.sample(unit.sample(rng), unit.sample(rng)),
                    None => (
                        (s.boresight_az_rad + s.half_width_az_rad * (2.0 * unit.sample(rng) - 1.0))
                            .rem_euclid(TAU),
                        s.min_el_rad + (s.max_el_rad - s.min_el_rad) * unit.sample(rng),
                    ),
                };
                let range_rate = s.sigma_range_rate_m_s.map(|sd| RangeRate {
                    value_m_s: Normal::new(0.0, 3_000.0).map(|d| d.sample(rng)).unwrap_or(0.0),
                    sigma_m_s: sd,
                });
                detections.push(Detection {
                    time_s: t_s,
                    radar: self.index,
                    measured: LookAngles { range_m, az_rad, el_rad },
                    sigma: base_sigma,
                    truth: None,
                    range_rate,
                });
            }
        }
        Scan { time_s: t_s, radar: self.index, site: s.site, detections, window: cue.copied() }
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
    use crate::cue::Cue;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn radar() -> Radar {
        Radar::new(0, 0, RadarSpec::example())
    }

    /// The cached site frame gives the look angles of the general conversion bit for bit.
    #[test]
    fn cached_look_angles_equal_the_general_conversion() {
        let r = radar();
        for (lat, lon, alt) in
            [(37.0, 45.0, 150e3), (40.0, 30.0, 1e3), (38.349, 37.794, 2085.0), (-10.0, 120.0, 9e5)]
        {
            let p = Geodetic::from_degrees(lat, lon, alt).to_ecef();
            assert_eq!(r.look_angles(&p), p.look_angles_from(&r.spec.site), "{lat} {lon} {alt}");
        }
    }

    /// The early range exit of `can_see` changes no answer: the full test on every point of a grid
    /// reaching beyond the instrumented range, with and without refraction.
    #[test]
    fn can_see_equals_the_full_volume_and_horizon_test() {
        for refraction in [false, true] {
            let r = Radar::new(0, 0, RadarSpec { refraction, ..RadarSpec::example() });
            let mut seen = 0;
            for lat in (20..=50).step_by(2) {
                for lon in (20..=70).step_by(2) {
                    for alt in [0.0, 20e3, 150e3, 600e3, 2_000e3] {
                        let p = Geodetic::from_degrees(lat as f64, lon as f64, alt).to_ecef();
                        let full = r.can_see_at(&p, &p.look_angles_from(&r.spec.site));
                        assert_eq!(r.can_see(&p), full, "{lat} {lon} {alt} refraction {refraction}");
                        seen += full as usize;
                    }
                }
            }
            assert!(seen > 50, "{seen} points seen");
        }
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

    /// A radar on the equator looking east at 100 m height, all elevations from −5°.
    fn equator_radar(refraction: bool) -> Radar {
        let mut spec = RadarSpec::example();
        spec.site = Geodetic::from_degrees(0.0, 0.0, 100.0);
        spec.boresight_az_rad = PI / 2.0;
        spec.min_el_rad = -5f64.to_radians();
        spec.max_range_m = 5_000e3;
        spec.pd = 1.0;
        spec.refraction = refraction;
        Radar::new(0, 0, spec)
    }

    #[test]
    fn refraction_extends_the_horizon_to_the_four_thirds_earth_distance() {
        // Along the equator the Earth is a circle of radius a, so the horizon is the closed form.
        for h in [5e3, 50e3, 200e3] {
            for (refraction, k) in [(false, 1.0), (true, crate::horizon::FOUR_THIRDS)] {
                let r = equator_radar(refraction);
                let d = crate::horizon::radio_horizon_m(100.0, h, WGS84_A, k);
                let at = |f: f64| Geodetic { lat_rad: 0.0, lon_rad: f * d / WGS84_A, alt_m: h }.to_ecef();
                assert!(r.can_see(&at(0.995)), "k {k}, h {h}: not seen inside the horizon");
                assert!(!r.can_see(&at(1.005)), "k {k}, h {h}: seen beyond the horizon");
            }
            // Refraction sees ≈ √(4/3) = 1.155 times farther.
            let ratio = crate::horizon::radio_horizon_m(100.0, h, WGS84_A, 4.0 / 3.0)
                / crate::horizon::radio_horizon_m(100.0, h, WGS84_A, 1.0);
            assert!((ratio - (4.0f64 / 3.0).sqrt()).abs() < 0.01, "{ratio}");
        }
    }

    #[test]
    fn the_elevation_mask_applies_to_the_apparent_elevation_with_refraction() {
        // Mask 1°. A target at 100 km altitude on the equator: the geometric elevation falls below 1°
        // before the 4/3-Earth apparent elevation does, so there is a band of ground distances seen
        // only with refraction; the apparent elevation there is above the geometric one by about
        // φ/8 (half the central angle φ/(2k) difference ≈ φ·(1 − 3/4)/2).
        let mask = 1f64.to_radians();
        let mut plain = equator_radar(false);
        let mut refr = equator_radar(true);
        plain.spec.min_el_rad = mask;
        refr.spec.min_el_rad = mask;
        let site = plain.spec.site;
        let (mut only_refraction, mut both) = (0, 0);
        for k in 1..400 {
            let lon = 2.0 + 0.025 * k as f64;
            let p = Geodetic::from_degrees(0.0, lon, 100e3).to_ecef();
            let geo = p.look_angles_from(&site).el_rad;
            let (a, b) = (plain.can_see(&p), refr.can_see(&p));
            assert_eq!(a, geo >= mask, "geometric mask at {lon}°");
            assert!(!a || b, "refraction lost a target at {lon}°");
            if b && !a {
                only_refraction += 1;
                let phi = lon.to_radians();
                assert!(geo < mask && geo + phi / 8.0 > mask - 0.2f64.to_radians(), "{lon}° geo {geo}");
            }
            both += (a && b) as u32;
        }
        assert!(only_refraction > 5 && both > 5, "{only_refraction} {both}");
    }

    #[test]
    fn range_rate_is_the_line_of_sight_velocity_with_its_noise() {
        let mut spec = RadarSpec::example();
        spec.pd = 1.0;
        spec.sigma_range_rate_m_s = Some(2.0);
        let r = Radar::new(0, 0, spec);
        let p = Geodetic::from_degrees(37.0, 45.0, 150e3).to_ecef();
        let v = Ecef(Vec3::new(-1_000.0, 2_000.0, 500.0));
        let los = (p.0 - r.site_ecef().0).normalize();
        let truth = los.dot(&v.0);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let n = 5_000;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for k in 0..n {
            let t = Target { truth: 0, position: p, velocity: v, rcs_m2: 1.0 };
            let d = &r.look_targets(k as f64, &[t], None, &mut rng).detections[0];
            let rr = d.range_rate.unwrap();
            assert_eq!(rr.sigma_m_s, 2.0);
            sum += rr.value_m_s - truth;
            sum_sq += (rr.value_m_s - truth).powi(2);
        }
        let (mean, sd) = (sum / n as f64, (sum_sq / n as f64).sqrt());
        assert!(mean.abs() < 4.0 * 2.0 / (n as f64).sqrt(), "bias {mean}");
        assert!((sd - 2.0).abs() < 0.08, "sd {sd}");
    }

    #[test]
    fn a_cue_raises_snr_and_cuts_false_alarms_by_the_solid_angle_ratio() {
        let mut spec = RadarSpec::example();
        spec.detection = Some(RadarEquation { resolution_cells: Some(2e6), ..RadarEquation::example() });
        let r = Radar::new(0, 0, spec);
        let target = Geodetic::from_degrees(37.0, 45.0, 150e3).to_ecef();
        let la = target.look_angles_from(&r.spec.site);
        let cue = Cue { az_rad: la.az_rad, el_rad: la.el_rad + 0.01, half_angle_rad: 0.03 };
        let ratio = r.spec.volume_solid_angle_sr() / cue.solid_angle_sr();
        assert!(ratio > 30.0, "{ratio}");
        // The dwell gain is capped at 30 (default): SNR × 30.
        let rcs = 2e-3;
        let eq = r.spec.detection.clone().unwrap();
        let snr = eq.snr(la.range_m, rcs);
        let (pd_search, pd_cued) = (eq.pd(snr), eq.pd(snr * 30.0));
        assert!(pd_search < 0.1 && pd_cued > 0.5, "{pd_search} {pd_cued}");
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let n = 4_000;
        let (mut hits_full, mut hits_cue, mut fa_full, mut fa_cue) = (0, 0, 0, 0);
        let tg = [Target { truth: 0, position: target, velocity: Ecef(Vec3::zeros()), rcs_m2: rcs }];
        for k in 0..n {
            for d in r.look_targets(k as f64, &tg, None, &mut rng).detections {
                if d.truth.is_some() { hits_full += 1 } else { fa_full += 1 }
            }
            for d in r.look_targets(k as f64, &tg, Some(&cue), &mut rng).detections {
                if d.truth.is_some() {
                    hits_cue += 1
                } else {
                    fa_cue += 1;
                    assert!(cue.contains(&d.measured));
                }
            }
        }
        let band = |p: f64| 4.0 * (p * (1.0 - p) / n as f64).sqrt();
        assert!((hits_full as f64 / n as f64 - pd_search).abs() < band(pd_search));
        assert!((hits_cue as f64 / n as f64 - pd_cued).abs() < band(pd_cued));
        // False alarms: Pfa·cells = 2 per look in search, 2/ratio in the cue.
        let (m_full, m_cue) = (fa_full as f64 / n as f64, fa_cue as f64 / n as f64);
        assert!((m_full - 2.0).abs() < 4.0 * (2.0 / n as f64).sqrt(), "{m_full}");
        assert!((m_cue - 2.0 / ratio).abs() < 4.0 * (2.0 / ratio / n as f64).sqrt() + 1e-3, "{m_cue}");
        // A target outside the cue window is not looked at.
        let off = Cue { az_rad: la.az_rad + 0.3, ..cue };
        assert!(r.look_targets(0.0, &tg, Some(&off), &mut rng).detections.iter().all(|d| d.truth.is_none()));
    }

    #[test]
    fn track_looks_fall_between_search_looks_and_see_only_their_window() {
        let mut spec = RadarSpec::example();
        spec.track_revisit_s = Some(0.5);
        spec.pd = 1.0;
        let r = Radar::new(0, 0, spec);
        assert_eq!(r.track_look_times(0.0, 2.5), vec![0.5, 1.0, 1.5, 2.5]);
        assert!(radar().track_look_times(0.0, 10.0).is_empty());
        let a = Geodetic::from_degrees(37.0, 45.0, 150e3).to_ecef();
        let b = Geodetic::from_degrees(36.0, 44.0, 150e3).to_ecef();
        let la = a.look_angles_from(&r.spec.site);
        let w = Cue { az_rad: la.az_rad, el_rad: la.el_rad, half_angle_rad: 0.01 };
        let z = Ecef(Vec3::zeros());
        let tg = [
            Target { truth: 0, position: a, velocity: z, rcs_m2: 1.0 },
            Target { truth: 1, position: b, velocity: z, rcs_m2: 1.0 },
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let scan = r.look_window(0.5, &tg, &w, &mut rng);
        assert_eq!(scan.detections.iter().map(|d| d.truth).collect::<Vec<_>>(), vec![Some(0)]);
        assert_eq!(scan.window, Some(w));
        assert_eq!(r.look(2.0, &[(0, a), (1, b)], &mut rng).window, None);
    }

    proptest::proptest! {
        /// With refraction a radar never detects below the radio horizon of the 4/3 Earth, below its
        /// mask at the apparent elevation, or outside its sector and range.
        #[test]
        fn with_refraction_never_detects_below_the_radio_horizon(lat in 20.0f64..55.0, lon in 20.0f64..65.0, alt in 0.0f64..1.5e6, seed in 0u64..1000) {
            let mut spec = RadarSpec::example();
            spec.refraction = true;
            spec.pd = 1.0;
            spec.min_el_rad = -1f64.to_radians();
            let r = Radar::new(0, 0, spec);
            let p = Geodetic::from_degrees(lat, lon, alt).to_ecef();
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let scan = r.look(0.0, &[(0, p)], &mut rng);
            let la = p.look_angles_from(&r.spec.site);
            // Independent check of the radio horizon: ground distance (central angle × local radius)
            // against the exact tangent distance for these heights.
            let site = r.site_ecef();
            let radius = site.0.norm() - r.spec.site.alt_m;
            let phi = p.0.normalize().dot(&site.0.normalize()).clamp(-1.0, 1.0).acos();
            let h = p.0.norm() - radius;
            let horizon = crate::horizon::radio_horizon_m(r.spec.site.alt_m, h.max(0.0), radius, 4.0 / 3.0);
            if !scan.detections.is_empty() {
                proptest::prop_assert!(h >= 0.0 && phi * radius <= horizon * (1.0 + 1e-9));
                proptest::prop_assert!(la.range_m <= r.spec.max_range_m);
                proptest::prop_assert!(wrap_pi(la.az_rad - r.spec.boresight_az_rad).abs() <= r.spec.half_width_az_rad);
            } else if r.in_volume(&la) && h > 0.0 && phi * radius < 0.99 * horizon && la.el_rad > 0.0
                && la.el_rad < r.spec.max_el_rad - 2f64.to_radians()
            {
                // Inside the sector, above the geometric horizontal, well inside the radio horizon and
                // clear of the upper elevation limit (refraction raises the apparent elevation, so a
                // target just under the limit geometrically may be just over it apparently): seen.
                proptest::prop_assert!(false, "missed a visible target");
            }
        }

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
