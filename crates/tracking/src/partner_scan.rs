//! A partner's radar look in the multi-target tracker (raw detections shared under an agreement).
//!
//! A partner's detections are measurements of a foreign sensor: range, azimuth and elevation in that
//! radar's ENU frame with their own noise, exactly like an own look, so they go through the same
//! gating, association and filter update ([`Tracker::process_look`]). Two things differ:
//! - they arrive a latency after the look, when own looks have usually predicted (and sometimes
//!   updated) tracks past it. As for infrared reports ([`crate::angle_tracking`]), a track whose
//!   latest *update* is not later than the look goes back to that update (it was only predicted
//!   since, so nothing is lost) and takes part; a track updated after the look does not (its newer
//!   data would be lost), but a detection that gates with it, moved back along the deterministic
//!   motion model, is taken as explained by it and starts nothing;
//! - nothing counts a miss: the receiver knows neither the partner radar's coverage nor what the
//!   agreement's filters held back.

use crate::tracker::{ScanOutcome, Tracker};
use crate::{filter, gating, measurement, motion};
use shieldnet_sensors::Scan;

impl Tracker {
    /// Processes a partner radar's look (any time not later than the tracker's newest look; see the
    /// module documentation). Association indexes refer to `scan.detections`.
    pub fn process_partner_scan(&mut self, scan: &Scan) -> ScanOutcome {
        let ts = scan.time_s;
        let (mut current, later): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.tracks).into_iter().partition(|t| t.time_s <= ts);
        let mut newer = Vec::new();
        for mut t in later {
            if t.back_to_anchor(ts) { current.push(t) } else { newer.push(t) }
        }
        let explained = self.explained_by(&newer, scan);
        let kept: Vec<usize> = (0..scan.detections.len()).filter(|j| !explained[*j]).collect();
        let look =
            Scan { detections: kept.iter().map(|&j| scan.detections[j].clone()).collect(), ..scan.clone() };
        current.sort_by_key(|t| t.id);
        self.tracks = current;
        let mut out = self.process_look(&look, None);
        out.associations.iter_mut().for_each(|(_, j)| *j = kept[*j]);
        self.tracks.extend(newer);
        // Track ids grow with creation, so id order is the order the tracker keeps them in.
        self.tracks.sort_by_key(|t| t.id);
        out
    }

    /// For each detection of `scan`, whether it gates with one of `tracks` (updated after the look)
    /// moved back to the look time along the deterministic motion model, with its current
    /// covariance.
    fn explained_by(&self, tracks: &[crate::track::Track], scan: &Scan) -> Vec<bool> {
        let mut explained = vec![false; scan.detections.len()];
        if tracks.is_empty() || scan.detections.is_empty() {
            return explained;
        }
        let cfg = &self.cfg;
        let frame = measurement::SiteFrame::new(&scan.site);
        let projections: Vec<filter::Projection> = tracks
            .iter()
            .map(|t| {
                let back = motion::propagate(&t.state, scan.time_s - t.time_s);
                filter::project_in(cfg.estimator, &back, &t.cov, &frame, &cfg.ukf)
            })
            .collect();
        let meas = crate::tracker::look_measurements(scan);
        for row in gating::gate(cfg.gate_index, &projections, &meas, cfg.gate_chi2) {
            for (j, _) in row {
                explained[j] = true;
            }
        }
        explained
    }
}

#[cfg(test)]
mod tests {
    use crate::motion;
    use crate::tracker::{Tracker, TrackerConfig};
    use crate::{Cov6, State6};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use shieldnet_earth::{Ecef, Geodetic};
    use shieldnet_sensors::{Radar, RadarSpec, Scan};

    /// A radar that always detects (no false alarms) and an object coasting through its coverage.
    fn setup() -> (Radar, impl Fn(f64) -> Ecef) {
        let mut spec = RadarSpec::example();
        spec.pd = 1.0;
        let radar = Radar::new(0, 0, spec);
        let p0 = Geodetic::from_degrees(37.0, 45.0, 150e3).to_ecef().0;
        let x0 = State6::new(p0.x, p0.y, p0.z, -1500.0, 800.0, 1200.0);
        let at = move |t: f64| Ecef(motion::propagate(&x0, t).fixed_rows::<3>(0).into_owned());
        (radar, at)
    }

    fn looks(radar: &Radar, at: &impl Fn(f64) -> Ecef, times: &[f64]) -> Vec<Scan> {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        times.iter().map(|&t| radar.look(t, &[(0, at(t))], &mut rng)).collect()
    }

    fn estimate(tracker: &Tracker) -> Vec<(u32, f64, State6, Cov6)> {
        tracker.tracks().iter().map(|t| (t.id, t.time_s, t.state, t.cov)).collect()
    }

    #[test]
    fn partner_looks_update_exactly_like_own_looks_when_every_look_detects() {
        let (radar, at) = setup();
        let scans = looks(&radar, &at, &[2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
        let mut own = Tracker::new(TrackerConfig::default());
        let mut partner = Tracker::new(TrackerConfig::default());
        for s in &scans {
            own.process_scan(s, &radar);
            let out = partner.process_partner_scan(s);
            assert_eq!(out.associations.len() + out.started.len(), 1);
        }
        assert_eq!(estimate(&own), estimate(&partner));
        assert!(partner.tracks()[0].is_confirmed());
    }

    #[test]
    fn partner_looks_count_no_misses() {
        let (radar, at) = setup();
        let scans = looks(&radar, &at, &[2.0, 4.0, 6.0, 8.0]);
        let empty =
            |t: f64| Scan { time_s: t, radar: 0, site: radar.spec.site, detections: vec![], window: None };
        let mut own = Tracker::new(TrackerConfig::default());
        let mut partner = Tracker::new(TrackerConfig::default());
        for s in &scans {
            own.process_scan(s, &radar);
            partner.process_partner_scan(s);
        }
        // Four empty looks delete a confirmed track of the own radar (delete_after_misses = 4), and
        // leave the partner-fed track alone.
        for k in 1..=4 {
            own.process_scan(&empty(8.0 + 2.0 * k as f64), &radar);
            partner.process_partner_scan(&empty(8.0 + 2.0 * k as f64));
        }
        assert!(own.tracks().is_empty());
        assert_eq!(partner.tracks().len(), 1);
        assert_eq!(partner.tracks()[0].consecutive_misses, 0);
    }

    #[test]
    fn a_late_partner_look_equals_in_order_feeding_and_an_older_one_starts_nothing() {
        let (radar, at) = setup();
        let scans = looks(&radar, &at, &[2.0, 4.0, 6.0, 8.0, 9.0]);
        let (own_looks, late) = scans.split_at(4);
        // In order: own looks, then the partner's look at 9 s.
        let mut in_order = Tracker::new(TrackerConfig::default());
        for s in own_looks {
            in_order.process_scan(s, &radar);
        }
        in_order.process_partner_scan(&late[0]);
        // Late: the own radar looked again at 10 s and saw nothing there (a window elsewhere), so the
        // track was only predicted past 9 s; the partner's look of 9 s arrives after that.
        let mut delayed = Tracker::new(TrackerConfig::default());
        for s in own_looks {
            delayed.process_scan(s, &radar);
        }
        let nothing =
            Scan { time_s: 10.0, radar: 0, site: radar.spec.site, detections: vec![], window: None };
        delayed.process_scan(&nothing, &radar);
        assert_eq!(delayed.tracks()[0].time_s, 10.0);
        let out = delayed.process_partner_scan(&late[0]);
        assert_eq!(out.associations, vec![(in_order.tracks()[0].id, 0)]);
        let (a, b) = (&in_order.tracks()[0], &delayed.tracks()[0]);
        assert_eq!((a.time_s, a.state, a.cov), (b.time_s, b.state, b.cov));

        // A partner look older than the track's latest update neither updates it nor starts a second
        // track for the same object; a detection of another object far away does start one.
        let older = looks(&radar, &at, &[7.0]).remove(0);
        let before = estimate(&in_order);
        let out = in_order.process_partner_scan(&older);
        assert!(out.associations.is_empty() && out.started.is_empty());
        assert_eq!(estimate(&in_order), before);
        let other = Geodetic::from_degrees(40.0, 50.0, 300e3).to_ecef();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let far = radar.look(7.0, &[(0, at(7.0)), (1, other)], &mut rng);
        assert_eq!(far.detections.len(), 2);
        let out = in_order.process_partner_scan(&far);
        assert_eq!(out.started.len(), 1);
        assert_eq!(in_order.tracks().len(), 2);
        // Kept in id order.
        assert!(in_order.tracks().windows(2).all(|w| w[0].id < w[1].id));
    }
}
