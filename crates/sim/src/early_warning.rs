//! Space-based infrared early warning in the world: each party's infrared satellites look at the
//! boosting threats, their line-of-sight reports reach the party after the satellite's latency, and
//! the party turns them into cues for its own radars.
//!
//! Angle-only initiation per party and observation time: reports of two satellites whose lines of
//! sight pass within [`PAIR_GATE_SIGMAS`] standard deviations of each other are triangulated
//! (greedily, closest pair first) into a point with covariance; a report left unpaired gives only its
//! ray. A cue lives [`CUE_LIFETIME_S`] after the observation. Its window from a radar covers the
//! triangulated point (3σ, grown by [`MAX_SPEED_M_S`] × age for the motion since) or, for a ray, the
//! stretch of the ray between the cloud tops and [`MAX_BOOST_ALT_M`], grown the same way.
//!
//! A radar with a radar equation spends every other look (odd look index) on the newest cue inside
//! its volume: SNR × min(Ω_volume/Ω_cue, dwell-gain cap) and false alarms × Ω_cue/Ω_volume (see
//! `shieldnet_sensors::cue`). Radars with a fixed Pd gain nothing from a longer dwell and are not cued.

use crate::rng::stream;
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::Ecef;
use shieldnet_sensors::{Cue, IrDetection, IrSatellite, IrTarget, Radar};
use shieldnet_tracking::angle_tracking::AngleReport;
use shieldnet_tracking::angles::{self, Ray};

/// Largest miss distance between two lines of sight that are paired, in σ·range units.
pub const PAIR_GATE_SIGMAS: f64 = 5.0;
/// How long a cue is used after its observation, s.
pub const CUE_LIFETIME_S: f64 = 120.0;
/// Speed bound used to grow a cue with its age, m/s.
pub const MAX_SPEED_M_S: f64 = 4_000.0;
/// Highest altitude at which a ray cue looks for a boosting missile, m.
pub const MAX_BOOST_ALT_M: f64 = 400e3;

#[derive(Debug, Clone)]
enum Fix {
    Point(nalgebra::Vector3<f64>, nalgebra::Matrix3<f64>),
    Ray(Ray, f64),
}

#[derive(Debug, Clone)]
struct CueRecord {
    observed_s: f64,
    fix: Fix,
}

/// What a step of early warning reports to the world (for its event log).
#[derive(Debug, Clone, PartialEq)]
pub struct Arrival {
    /// Receiving party.
    pub party: u32,
    /// Arrival time, s.
    pub t_s: f64,
    /// The report.
    pub detection: IrDetection,
    /// Whether the report was triangulated with another satellite's.
    pub triangulated: bool,
}

/// The infrared satellites of every party, their reports in transit and each party's cues.
#[derive(Debug, Clone, Default)]
pub struct EarlyWarning {
    satellites: Vec<IrSatellite>,
    rngs: Vec<ChaCha8Rng>,
    in_transit: Vec<IrDetection>,
    cues: Vec<Vec<CueRecord>>,
}

impl EarlyWarning {
    /// Early warning for `parties` parties with these satellites, random streams from (seed, run).
    pub fn new(satellites: Vec<IrSatellite>, parties: usize, seed: u64, run: u64) -> Self {
        let rngs = (0..satellites.len()).map(|i| stream(seed, run, "ir_satellite", i as u64)).collect();
        Self { satellites, rngs, in_transit: Vec::new(), cues: vec![Vec::new(); parties] }
    }

    /// Identifier of satellite `index`.
    pub fn satellite_id(&self, index: u32) -> &str {
        self.satellites.get(index as usize).map_or("?", |s| s.spec.id.as_str())
    }

    /// Whether there is anything to do.
    pub fn is_empty(&self) -> bool {
        self.satellites.is_empty()
    }

    /// The tracker's form of an arrived report (satellite position, angles, noise).
    pub fn report(&self, a: &Arrival) -> AngleReport {
        let origin = self.satellites[a.detection.satellite as usize].frame.origin;
        AngleReport {
            time_s: a.detection.time_s,
            sensor: a.detection.satellite,
            origin: [origin.x, origin.y, origin.z],
            angles: a.detection.angles,
            sigma_rad: a.detection.sigma_rad,
        }
    }

    /// Every satellite's looks in (t0, t]; `targets_at(t)` lists the threats flying at t.
    pub fn observe(&mut self, t0: f64, t: f64, targets_at: impl Fn(f64) -> Vec<IrTarget>) {
        for (s, rng) in self.satellites.iter().zip(self.rngs.iter_mut()) {
            for lt in s.look_times(t0, t) {
                self.in_transit.extend(s.look(lt, &targets_at(lt), rng));
            }
        }
    }

    /// Delivers the reports due by `t`, updates each party's cues, and returns the arrivals in
    /// (party, observation time, satellite) order.
    pub fn deliver(&mut self, t: f64) -> Vec<Arrival> {
        let mut due: Vec<IrDetection> = Vec::new();
        self.in_transit.retain(|d| {
            let ready = d.report_time_s <= t + 1e-9;
            if ready {
                due.push(d.clone());
            }
            !ready
        });
        let party_of = |d: &IrDetection| self.satellites[d.satellite as usize].party;
        due.sort_by(|a, b| {
            party_of(a)
                .cmp(&party_of(b))
                .then(a.time_s.total_cmp(&b.time_s))
                .then(a.satellite.cmp(&b.satellite))
        });
        let mut out = Vec::new();
        let mut k = 0;
        while k < due.len() {
            let (p, ts) = (party_of(&due[k]), due[k].time_s);
            let mut end = k;
            while end < due.len() && party_of(&due[end]) == p && due[end].time_s == ts {
                end += 1;
            }
            let group = &due[k..end];
            let rays: Vec<Ray> = group
                .iter()
                .map(|d| {
                    let f = &self.satellites[d.satellite as usize].frame;
                    Ray { origin: f.origin, dir: f.direction(&d.angles), sigma_rad: d.sigma_rad }
                })
                .collect();
            let paired = pair(group, &rays);
            for (i, d) in group.iter().enumerate() {
                out.push(Arrival {
                    party: p,
                    t_s: t,
                    detection: d.clone(),
                    triangulated: paired[i].is_some(),
                });
            }
            let cues = &mut self.cues[p as usize];
            for (i, partner) in paired.iter().enumerate() {
                match partner {
                    Some(j) if *j > i => {
                        if let Some((x, cov)) = angles::triangulate(&[rays[i], rays[*j]]) {
                            cues.push(CueRecord { observed_s: ts, fix: Fix::Point(x, cov) });
                        }
                    }
                    Some(_) => {}
                    None => {
                        let floor = self.satellites[group[i].satellite as usize].spec.min_altitude_m;
                        cues.push(CueRecord { observed_s: ts, fix: Fix::Ray(rays[i], floor) });
                    }
                }
            }
            k = end;
        }
        for c in &mut self.cues {
            c.retain(|r| r.observed_s + CUE_LIFETIME_S >= t);
        }
        out
    }

    /// The cue a radar of `party` searches at look time `t_s`, if any: only radars with a radar
    /// equation, only on odd looks, the newest live cue whose window centre is in the radar's volume.
    pub fn cue_for(&self, party: u32, radar: &Radar, t_s: f64) -> Option<Cue> {
        radar.spec.detection.as_ref()?;
        let look = (t_s / radar.spec.revisit_s).round() as i64;
        if look % 2 == 0 {
            return None;
        }
        let site = &radar.spec.site;
        self.cues.get(party as usize)?.iter().rev().filter(|r| r.observed_s <= t_s).find_map(|r| {
            let age = t_s - r.observed_s;
            let cue = match &r.fix {
                Fix::Point(x, cov) => {
                    let range = Ecef(*x).look_angles_from(site).range_m.max(1.0);
                    let c = angles::point_cue(site, x, cov, 3.0, 2e-3);
                    Cue { half_angle_rad: c.half_angle_rad + (MAX_SPEED_M_S * age / range).atan(), ..c }
                }
                Fix::Ray(ray, floor) => {
                    let c = angles::ray_cue(site, ray, *floor, MAX_BOOST_ALT_M, 2e-3)?;
                    // Grow by the motion since, over the nearest range along the ray (conservative).
                    let range = 500e3f64;
                    Cue { half_angle_rad: c.half_angle_rad + (MAX_SPEED_M_S * age / range).atan(), ..c }
                }
            };
            let centre = shieldnet_earth::LookAngles { range_m: 1.0, az_rad: cue.az_rad, el_rad: cue.el_rad };
            let in_sector = radar.in_volume(&shieldnet_earth::LookAngles { range_m: 1.0, ..centre });
            (in_sector && cue.solid_angle_sr() < radar.spec.volume_solid_angle_sr()).then_some(cue)
        })
    }
}

/// Greedy pairing of one party's reports at one instant: closest lines of sight from different
/// satellites first, within the gate. Returns each report's partner.
fn pair(group: &[IrDetection], rays: &[Ray]) -> Vec<Option<usize>> {
    let mut cand: Vec<(f64, usize, usize)> = Vec::new();
    for i in 0..group.len() {
        for j in i + 1..group.len() {
            if group[i].satellite == group[j].satellite {
                continue;
            }
            let m = angles::miss_distance(&rays[i], &rays[j]);
            let gate = PAIR_GATE_SIGMAS
                * (rays[i].sigma_rad * rays[i].origin.norm())
                    .hypot(rays[j].sigma_rad * rays[j].origin.norm());
            if m <= gate {
                cand.push((m, i, j));
            }
        }
    }
    cand.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut partner = vec![None; group.len()];
    for (_, i, j) in cand {
        if partner[i].is_none() && partner[j].is_none() {
            partner[i] = Some(j);
            partner[j] = Some(i);
        }
    }
    partner
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::Geodetic;
    use shieldnet_sensors::infrared::geostationary;
    use shieldnet_sensors::{IrSatelliteSpec, RadarEquation, RadarSpec};

    fn sat(index: u32, lon_deg: f64) -> IrSatellite {
        let spec = IrSatelliteSpec {
            id: format!("geo-{index}"),
            position: geostationary(lon_deg.to_radians()).0.into(),
            revisit_s: 5.0,
            sigma_rad: 3e-5,
            pd: 1.0,
            latency_s: 15.0,
            min_altitude_m: 10e3,
        };
        IrSatellite::new(index, 0, spec)
    }

    #[test]
    fn two_satellites_triangulate_and_cue_a_radar_with_a_radar_equation_on_odd_looks() {
        let target = Geodetic::from_degrees(36.0, 47.0, 80e3).to_ecef();
        let mut ew = EarlyWarning::new(vec![sat(0, 10.0), sat(1, 70.0)], 1, 1, 0);
        ew.observe(0.0, 5.0, |_| vec![IrTarget { truth: 0, position: target, thrusting: true }]);
        assert!(ew.deliver(19.0).is_empty(), "nothing before the latency has passed");
        let arrivals = ew.deliver(20.0);
        assert_eq!(arrivals.len(), 2);
        assert!(arrivals.iter().all(|a| a.triangulated && a.t_s == 20.0 && a.detection.time_s == 5.0));
        let mut spec = RadarSpec::example();
        spec.revisit_s = 1.0;
        spec.detection = Some(RadarEquation::example());
        let radar = Radar::new(0, 0, spec.clone());
        let cue = ew.cue_for(0, &radar, 21.0).expect("odd look is cued");
        assert!(ew.cue_for(0, &radar, 22.0).is_none(), "even look searches the volume");
        // 16 s after the observation the target has not moved here, so the window holds it; the
        // window grows by 4 km/s × 16 s over the range plus 3σ of the fix.
        let la = target.look_angles_from(&radar.spec.site);
        assert!(cue.contains(&la));
        let grow = (MAX_SPEED_M_S * 16.0 / la.range_m).atan();
        assert!(cue.half_angle_rad >= grow && cue.half_angle_rad < grow + 0.02, "{}", cue.half_angle_rad);
        // A radar without a radar equation is never cued; the cue expires after its lifetime.
        spec.detection = None;
        assert!(ew.cue_for(0, &Radar::new(1, 0, spec), 21.0).is_none());
        ew.deliver(5.0 + CUE_LIFETIME_S + 1.0);
        assert!(ew.cue_for(0, &radar, 5.0 + CUE_LIFETIME_S + 2.0).is_none());
    }

    #[test]
    fn one_satellite_gives_a_ray_cue_and_sees_no_coasting_missile() {
        let target = Geodetic::from_degrees(36.0, 47.0, 80e3).to_ecef();
        let mut ew = EarlyWarning::new(vec![sat(0, 60.0)], 1, 1, 0);
        ew.observe(0.0, 10.0, |t| vec![IrTarget { truth: 0, position: target, thrusting: t < 7.0 }]);
        let arrivals = ew.deliver(30.0);
        assert_eq!(arrivals.len(), 1, "only the look at 5 s, while thrusting");
        assert!(!arrivals[0].triangulated);
        let mut spec = RadarSpec::example();
        spec.revisit_s = 1.0;
        spec.detection = Some(RadarEquation::example());
        let radar = Radar::new(0, 0, spec);
        let cue = ew.cue_for(0, &radar, 31.0).expect("ray cue");
        assert!(cue.contains(&target.look_angles_from(&radar.spec.site)));
        assert!(cue.solid_angle_sr() < 0.5 * radar.spec.volume_solid_angle_sr());
    }
}
