//! Raw detections as a shared flow: what a sender lets out of one look of its radar under an
//! agreement, and how a receiver turns a partner's look back into a radar look for its tracker.
//!
//! Sender: a detection leaves only if its measured position passes the agreement's region and
//! altitude filters and, under `threat_class_only`, only if the sender's tracker associated it with a
//! track moving at missile speed (a lone detection has no velocity to classify it by). Under a
//! degraded precision σ each detection gets Gaussian noise of σ in range and σ/range across the line
//! of sight (azimuth scaled by 1/cos elevation), and its stated noise is widened to match, so the
//! partner's filter stays consistent and the shared position is never better than σ along any axis.
//! The truth label is never sent.
//!
//! Receiver: a look is used only if every value is inside the documented ranges (the message comes
//! from outside), and at most [`MAX_LOOKS_PER_MESSAGE`] looks and [`MAX_DETECTIONS_PER_MESSAGE`]
//! detections of a message are used.

use crate::config::{ShareFilter, is_threat_class};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use shieldnet_earth::{Ecef, Geodetic, LookAngles, Vec3};
use shieldnet_fusion::messages::{MAX_DETECTIONS_PER_MESSAGE, MAX_LOOKS_PER_MESSAGE};
use shieldnet_fusion::{DetectionLook, SharedDetection};
use shieldnet_sensors::{Detection, RangeRate, Scan};
use shieldnet_tracking::track::Track;

/// Least cosine of elevation used to scale the azimuth noise of a degraded detection (about 89.9°):
/// keeps the added azimuth noise finite straight overhead.
const MIN_COS_ELEVATION: f64 = 1e-3;

/// What one own look lets out under an agreement: its admitted detections, degraded to `sigma_m`
/// when set. `associations` are the tracker's (track id, detection index) pairs for this look and
/// `tracks` its tracks after the look. A look with nothing admitted is still a look (empty list).
pub fn outgoing_look(
    scan: &Scan,
    associations: &[(u32, usize)],
    tracks: &[Track],
    filter: &ShareFilter,
    sigma_m: Option<f64>,
    rng: &mut ChaCha8Rng,
) -> DetectionLook {
    let site = scan.site.to_ecef();
    let threat_class = |j: usize| {
        associations
            .iter()
            .filter(|(_, k)| *k == j)
            .any(|(id, _)| tracks.iter().any(|t| t.id == *id && is_threat_class(&t.state)))
    };
    let detections = scan
        .detections
        .iter()
        .enumerate()
        .filter(|(j, d)| {
            let at = d.measured.to_enu().to_ecef(&scan.site).to_geodetic();
            filter.admits(&at) && (!filter.threat_class_only || threat_class(*j))
        })
        .map(|(_, d)| {
            let shared = SharedDetection {
                range_m: d.measured.range_m,
                az_rad: d.measured.az_rad,
                el_rad: d.measured.el_rad,
                sigma: d.sigma,
                range_rate: d.range_rate.map(|r| [r.value_m_s, r.sigma_m_s]),
            };
            match sigma_m {
                Some(s) => degrade(shared, s, rng),
                None => shared,
            }
        })
        .collect();
    DetectionLook {
        sensor: scan.radar,
        time_s: scan.time_s,
        site: [site.0.x, site.0.y, site.0.z],
        detections,
    }
}

/// Adds position noise of `sigma_m` (1σ) along range and across the line of sight, and widens the
/// stated noise to match.
fn degrade(d: SharedDetection, sigma_m: f64, rng: &mut ChaCha8Rng) -> SharedDetection {
    let mut n = || -> f64 { StandardNormal.sample(rng) };
    let s_el = sigma_m / d.range_m;
    let s_az = sigma_m / (d.range_m * d.el_rad.cos().max(MIN_COS_ELEVATION));
    let range_m = (d.range_m + sigma_m * n()).max(1.0);
    let az_rad = (d.az_rad + s_az * n()).rem_euclid(std::f64::consts::TAU);
    let el_rad = (d.el_rad + s_el * n()).clamp(-std::f64::consts::FRAC_PI_2, std::f64::consts::FRAC_PI_2);
    let widen = |a: f64, b: f64| (a * a + b * b).sqrt();
    SharedDetection {
        range_m,
        // `rem_euclid` can round up to exactly 2π.
        az_rad: if az_rad >= std::f64::consts::TAU { 0.0 } else { az_rad },
        el_rad,
        sigma: [widen(d.sigma[0], sigma_m), widen(d.sigma[1], s_az), widen(d.sigma[2], s_el)],
        range_rate: d.range_rate,
    }
}

/// Radar index given to partner looks: not one of the receiver's own radars.
pub const PARTNER_RADAR: u32 = u32::MAX;

/// A partner's look as a radar look for the receiver's tracker, or `None` when any of its values is
/// outside the documented ranges or its time is after `now_s`. `budget` is the number of detections
/// of the message still usable (the message-set limit per message); it is reduced by this
/// look's.
pub fn incoming_look(look: &DetectionLook, now_s: f64, budget: &mut usize) -> Option<Scan> {
    let site_ok = look.site.iter().all(|v| v.is_finite()) && {
        // On or near the Earth: between 1,000 km below and 50,000 km above the surface.
        let r = Vec3::from(look.site).norm();
        (5.4e6..5.7e7).contains(&r)
    };
    if !look.time_s.is_finite() || look.time_s > now_s + 1e-9 || !site_ok {
        return None;
    }
    if !look.detections.iter().all(SharedDetection::is_valid) {
        return None;
    }
    let take = look.detections.len().min(*budget);
    *budget -= take;
    let site: Geodetic = Ecef(Vec3::from(look.site)).to_geodetic();
    let detections = look.detections[..take]
        .iter()
        .map(|d| Detection {
            time_s: look.time_s,
            radar: PARTNER_RADAR,
            measured: LookAngles { range_m: d.range_m, az_rad: d.az_rad, el_rad: d.el_rad },
            sigma: d.sigma,
            truth: None,
            range_rate: d.range_rate.map(|[value_m_s, sigma_m_s]| RangeRate { value_m_s, sigma_m_s }),
        })
        .collect();
    Some(Scan { time_s: look.time_s, radar: PARTNER_RADAR, site, detections, window: None })
}

/// Splits looks, in order, into the bodies of successive messages: at most
/// [`MAX_DETECTIONS_PER_MESSAGE`] detections and [`MAX_LOOKS_PER_MESSAGE`] looks each (so that a
/// message stays under the 64 KiB signed-payload limit). A look with more detections than fit is cut
/// into several looks of the same time.
pub fn batches(looks: Vec<DetectionLook>) -> Vec<Vec<DetectionLook>> {
    let mut out: Vec<Vec<DetectionLook>> = Vec::new();
    let mut count = 0;
    let mut current: Vec<DetectionLook> = Vec::new();
    for mut rest in looks {
        loop {
            if current.len() == MAX_LOOKS_PER_MESSAGE {
                out.push(std::mem::take(&mut current));
                count = 0;
            }
            if count + rest.detections.len() <= MAX_DETECTIONS_PER_MESSAGE {
                count += rest.detections.len();
                current.push(rest);
                break;
            }
            let room = MAX_DETECTIONS_PER_MESSAGE - count;
            if room > 0 {
                let tail = rest.detections.split_off(room);
                current.push(rest.clone());
                rest.detections = tail;
            }
            out.push(std::mem::take(&mut current));
            count = 0;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use shieldnet_sensors::{Radar, RadarSpec};
    use shieldnet_tracking::{State6, Tracker, TrackerConfig, motion};

    fn radar() -> Radar {
        let mut spec = RadarSpec::example();
        spec.pd = 1.0;
        Radar::new(0, 0, spec)
    }

    fn rng(seed: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(seed)
    }

    /// A look holding one detection of each object, the objects having been tracked over four
    /// earlier looks; returns the look and the tracker's associations for it.
    fn tracked_look(objects: &[State6], fresh: Option<Ecef>) -> (Scan, Vec<(u32, usize)>, Tracker) {
        let radar = radar();
        let mut tracker = Tracker::new(TrackerConfig::default());
        let mut r = rng(5);
        let at = |x: &State6, t: f64| Ecef(motion::propagate(x, t).fixed_rows::<3>(0).into_owned());
        for k in 1..=4 {
            let t = 2.0 * k as f64;
            let targets: Vec<(u32, Ecef)> =
                objects.iter().enumerate().map(|(i, x)| (i as u32, at(x, t))).collect();
            tracker.process_scan(&radar.look(t, &targets, &mut r), &radar);
        }
        let mut targets: Vec<(u32, Ecef)> =
            objects.iter().enumerate().map(|(i, x)| (i as u32, at(x, 10.0))).collect();
        targets.extend(fresh.map(|p| (99, p)));
        let scan = radar.look(10.0, &targets, &mut r);
        let out = tracker.process_scan(&scan, &radar);
        (scan, out.associations, tracker)
    }

    fn object(lat: f64, lon: f64, speed: f64) -> State6 {
        let p = Geodetic::from_degrees(lat, lon, 150e3).to_ecef().0;
        let v = nalgebra::Vector3::new(-0.6, 0.3, 0.74).normalize() * speed;
        State6::new(p.x, p.y, p.z, v.x, v.y, v.z)
    }

    #[test]
    fn threat_class_only_passes_detections_on_tracks_at_missile_speed() {
        let fast = object(37.0, 45.0, 2500.0);
        let slow = object(38.0, 44.0, 200.0);
        let fresh = Geodetic::from_degrees(36.0, 47.0, 200e3).to_ecef();
        let (scan, assoc, tracker) = tracked_look(&[fast, slow], Some(fresh));
        assert_eq!(scan.detections.len(), 3);
        let only_threats = ShareFilter { threat_class_only: true, ..ShareFilter::default() };
        let look = outgoing_look(&scan, &assoc, tracker.tracks(), &only_threats, None, &mut rng(1));
        let fast_det = scan.detections.iter().find(|d| d.truth == Some(0)).unwrap();
        assert_eq!(look.detections.len(), 1);
        assert_eq!(look.detections[0].range_m, fast_det.measured.range_m);
        // Without the class filter all three go, as measured, with the radar's number, time and site.
        let all = outgoing_look(&scan, &assoc, tracker.tracks(), &ShareFilter::default(), None, &mut rng(1));
        assert_eq!(all.detections.len(), 3);
        assert_eq!((all.sensor, all.time_s), (0, 10.0));
        assert_eq!(Ecef(Vec3::from(all.site)).to_geodetic().lat_deg().round(), 38.0);
        for (s, d) in all.detections.iter().zip(&scan.detections) {
            assert_eq!(
                (s.range_m, s.az_rad, s.el_rad, s.sigma),
                (d.measured.range_m, d.measured.az_rad, d.measured.el_rad, d.sigma)
            );
        }
    }

    #[test]
    fn degraded_detections_spread_as_their_stated_noise_says() {
        let d = SharedDetection {
            range_m: 1.2e6,
            az_rad: 1.0,
            el_rad: 0.3,
            sigma: [20.0, 1e-3, 1e-3],
            range_rate: None,
        };
        let sigma = 2_000.0;
        let mut r = rng(9);
        let n = 4000;
        let mut sq = [0.0; 3];
        let mut stated = [0.0; 3];
        for _ in 0..n {
            let g = degrade(d.clone(), sigma, &mut r);
            sq[0] += (g.range_m - d.range_m).powi(2);
            sq[1] += (g.az_rad - d.az_rad).powi(2);
            sq[2] += (g.el_rad - d.el_rad).powi(2);
            stated = g.sigma;
        }
        // Added variance: σ² in range, (σ/r)² in elevation, (σ/(r cos el))² in azimuth; the stated
        // noise is the root sum of squares of the original and the added.
        let added = [sigma * sigma, (sigma / (1.2e6 * 0.3f64.cos())).powi(2), (sigma / 1.2e6).powi(2)];
        for i in 0..3 {
            let var = sq[i] / n as f64;
            assert!((var / added[i] - 1.0).abs() < 0.1, "axis {i}: {var} vs {}", added[i]);
            let expect = (d.sigma[i].powi(2) + added[i]).sqrt();
            assert!((stated[i] / expect - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn incoming_looks_are_checked_and_bounded() {
        let site = Geodetic::from_degrees(45.0, 41.0, 100.0).to_ecef().0;
        let det = SharedDetection {
            range_m: 1e6,
            az_rad: 2.0,
            el_rad: 0.2,
            sigma: [30.0, 2e-3, 2e-3],
            range_rate: Some([-2000.0, 5.0]),
        };
        let look = DetectionLook {
            sensor: 4,
            time_s: 50.0,
            site: [site.x, site.y, site.z],
            detections: vec![det.clone(); 3],
        };
        let mut budget = 1000;
        let scan = incoming_look(&look, 50.0, &mut budget).unwrap();
        assert_eq!((scan.detections.len(), budget, scan.radar), (3, 997, PARTNER_RADAR));
        assert!((scan.site.lat_deg() - 45.0).abs() < 1e-9 && (scan.site.alt_m - 100.0).abs() < 1e-6);
        assert_eq!(scan.detections[0].range_rate.unwrap().value_m_s, -2000.0);
        assert!(scan.detections.iter().all(|d| d.truth.is_none()));
        // Only what is left of the message's budget is used.
        let mut budget = 2;
        assert_eq!(incoming_look(&look, 50.0, &mut budget).unwrap().detections.len(), 2);
        assert_eq!(budget, 0);
        // From the future, off the Earth, or holding one bad value: refused whole.
        let mut b = 1000;
        assert!(incoming_look(&look, 49.0, &mut b).is_none());
        let far = DetectionLook { site: [1e9, 0.0, 0.0], ..look.clone() };
        assert!(incoming_look(&far, 50.0, &mut b).is_none());
        let nan = DetectionLook { site: [f64::NAN, 0.0, 0.0], ..look.clone() };
        assert!(incoming_look(&nan, 50.0, &mut b).is_none());
        let mut bad = look.clone();
        bad.detections[1].el_rad = 2.0;
        assert!(incoming_look(&bad, 50.0, &mut b).is_none());
        assert_eq!(b, 1000);
    }

    fn det(range_m: f64) -> SharedDetection {
        // Values with 17 significant digits and range rate: the longest a detection encodes to.
        SharedDetection {
            range_m: range_m + 0.123_456_789_012_345_6,
            az_rad: 6.123_456_789_012_345,
            el_rad: -1.123_456_789_012_345_6,
            sigma: [12.345_678_901_234_567, 1.234_567_890_123_456_7e-3, 1.234_567_890_123_456_7e-3],
            range_rate: Some([-1_234.567_890_123_456_7, 1.234_567_890_123_456_7]),
        }
    }

    #[test]
    fn batches_keep_every_detection_in_order_within_the_limits_and_the_payload_limit() {
        let site = [-1_234_567.890_123_456_7, 4_567_890.123_456_789, 4_321_098.765_432_1];
        let look = |k: usize, n: usize| DetectionLook {
            sensor: u32::MAX - k as u32,
            time_s: 12_345.678_901_234_567 + k as f64,
            site,
            detections: (0..n).map(|i| det(1e6 + (k * 1000 + i) as f64)).collect(),
        };
        // Many small looks, one look larger than a message, and looks of one detection.
        let mut looks: Vec<DetectionLook> = (0..120).map(|k| look(k, 1)).collect();
        looks.push(look(120, 450));
        looks.extend((121..300).map(|k| look(k, 3)));
        let all: Vec<(f64, f64)> =
            looks.iter().flat_map(|l| l.detections.iter().map(move |d| (l.time_s, d.range_m))).collect();
        let out = batches(looks);
        let mut again = Vec::new();
        for b in &out {
            assert!(b.len() <= MAX_LOOKS_PER_MESSAGE);
            assert!(b.iter().map(|l| l.detections.len()).sum::<usize>() <= MAX_DETECTIONS_PER_MESSAGE);
            assert!(b.iter().all(|l| !l.detections.is_empty()));
            again.extend(b.iter().flat_map(|l| l.detections.iter().map(move |d| (l.time_s, d.range_m))));
            let m = shieldnet_fusion::Message {
                version: shieldnet_fusion::messages::MESSAGE_VERSION,
                sender: "A-party-id-of-sixty-four-characters-is-the-longest-allowed-000000".into(),
                seq: u64::MAX,
                time_of_validity_s: 12_345.678_901_234_567,
                body: shieldnet_fusion::Body::Detections(b.clone()),
            };
            let bytes = m.encode().len();
            assert!(bytes <= shieldnet_audit::MAX_PAYLOAD, "{bytes} bytes");
        }
        assert_eq!(all, again);
        // The worst cases reach the limits: a full message of detections, a full message of looks.
        let full_detections = batches(vec![look(0, MAX_DETECTIONS_PER_MESSAGE)]);
        assert_eq!(full_detections.len(), 1);
        let full_looks = batches((0..MAX_LOOKS_PER_MESSAGE + 1).map(|k| look(k, 1)).collect());
        assert_eq!(full_looks.iter().map(Vec::len).collect::<Vec<_>>(), vec![MAX_LOOKS_PER_MESSAGE, 1]);
        let worst = vec![look(0, MAX_DETECTIONS_PER_MESSAGE - MAX_LOOKS_PER_MESSAGE + 1)]
            .into_iter()
            .chain((1..MAX_LOOKS_PER_MESSAGE).map(|k| look(k, 1)))
            .collect::<Vec<_>>();
        let worst = batches(worst);
        assert_eq!(worst.len(), 1);
        let m = shieldnet_fusion::Message {
            version: 1,
            sender: "A".repeat(64),
            seq: u64::MAX,
            time_of_validity_s: 1.0,
            body: shieldnet_fusion::Body::Detections(worst[0].clone()),
        };
        assert!(m.encode().len() <= shieldnet_audit::MAX_PAYLOAD, "{}", m.encode().len());
    }

    proptest::proptest! {
        /// A region filter never lets a detection outside the region through. The detection's
        /// position is computed here by the textbook ENU-to-ECEF rotation, independently of the
        /// earth crate's frame code that the filter uses.
        #[test]
        fn never_shares_a_detection_outside_the_region(
            lat in 30.0f64..46.0, lon in 30.0f64..50.0,
            range in 1e5f64..3e6, az in 0.0f64..std::f64::consts::TAU, el in 0.0f64..1.4,
        ) {
            let site = Geodetic::from_degrees(lat, lon, 500.0);
            let d = Detection {
                time_s: 1.0, radar: 0, measured: LookAngles { range_m: range, az_rad: az, el_rad: el },
                sigma: [30.0, 1e-3, 1e-3], truth: None, range_rate: None,
            };
            let scan = Scan { time_s: 1.0, radar: 0, site, detections: vec![d], window: None };
            let box_deg = [(35.0, 38.0), (35.0, 45.0), (42.0, 45.0), (42.0, 38.0)];
            let filter = ShareFilter {
                region: Some(box_deg.iter().map(|(a, b): &(f64, f64)| (a.to_radians(), b.to_radians())).collect()),
                ..ShareFilter::default()
            };
            let look = outgoing_look(&scan, &[], &[], &filter, None, &mut rng(1));
            let (e, n, u) = (range * el.cos() * az.sin(), range * el.cos() * az.cos(), range * el.sin());
            let (sl, cl, so, co) = (site.lat_rad.sin(), site.lat_rad.cos(), site.lon_rad.sin(), site.lon_rad.cos());
            let o = site.to_ecef().0;
            let p = Vec3::new(
                o.x - so * e - sl * co * n + cl * co * u,
                o.y + co * e - sl * so * n + cl * so * u,
                o.z + cl * n + sl * u,
            );
            let g = Ecef(p).to_geodetic();
            let inside = (35.0..=42.0).contains(&g.lat_deg()) && (38.0..=45.0).contains(&g.lon_deg());
            proptest::prop_assert!(look.detections.is_empty() || inside, "({}, {}) shared", g.lat_deg(), g.lon_deg());
        }
    }
}
