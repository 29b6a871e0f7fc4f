//! A party's fused picture: its own confirmed tracks, with partner tracks associated to them and fused
//! by covariance intersection; partner tracks with no local counterpart enter the picture on their own.

use crate::association;
use crate::messages::TrackReport;
use crate::rules::FusionRule;
use shieldnet_tracking::{Cov6, State6, Track, ekf};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Fused-track ids at or above this value denote tracks known only from a partner; below it, the id is
/// the party's own track id.
pub const PARTNER_ID_BASE: u32 = 1_000_000;

/// Cost bonus for keeping last update's pairing (track-identity continuity), in units of χ².
const CONTINUITY_BONUS: f64 = 4.0;

/// Key of a partner track: (partner party, partner's track id).
pub type PartnerKey = (String, u32);

/// A partner track fused into a picture track: (partner party, partner's track id). The party's name
/// is shared (one allocation per party, not one per fused track and picture).
pub type PartnerSource = (Arc<str>, u32);

/// The latest report of one partner track.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerTrack {
    /// Time of validity, s.
    pub time_s: f64,
    /// State.
    pub state: State6,
    /// Covariance.
    pub cov: Cov6,
    /// When it was received, s.
    pub received_s: f64,
}

/// One track of the fused picture, valid at the picture's time.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FusedTrack {
    /// Picture id: the local track id, or ≥ [`PARTNER_ID_BASE`] for partner-only tracks.
    pub id: u32,
    /// The party's own track, if any.
    pub local: Option<u32>,
    /// Partner tracks fused in.
    pub partners: Vec<PartnerSource>,
    /// Time of validity, s.
    pub time_s: f64,
    /// Fused state.
    pub state: State6,
    /// Fused covariance.
    pub cov: Cov6,
}

/// What the fuser keeps of one partner party, keyed by the partner's track id (the party's name is
/// the key of [`Fuser::parties`], so no per-track copy of it is made or compared).
#[derive(Debug, Clone)]
struct PartnerParty {
    /// The party's name, shared by the picture tracks its tracks are fused into.
    name: Arc<str>,
    /// Latest report of each track.
    tracks: BTreeMap<u32, PartnerTrack>,
    /// Picture ids given to this party's tracks when they had no local counterpart.
    ids: BTreeMap<u32, u32>,
    /// Last picture's pairing: partner track id → local track id.
    pairing: BTreeMap<u32, u32>,
}

/// Keeps partner tracks and builds the fused picture.
#[derive(Debug, Clone)]
pub struct Fuser {
    accel_noise: f64,
    max_age_s: f64,
    gate_chi2: f64,
    /// Partner parties by name (a `BTreeMap`: pictures visit them in name order, tracks in id order).
    parties: BTreeMap<String, PartnerParty>,
    next_partner_id: u32,
    rule: FusionRule,
    pregate: bool,
}

impl Fuser {
    /// A fuser predicting with process noise `accel_noise` (m²/s³) that forgets partner tracks not
    /// refreshed within `max_age_s`.
    pub fn new(accel_noise: f64, max_age_s: f64) -> Self {
        Self {
            accel_noise,
            max_age_s,
            gate_chi2: 16.27,
            parties: BTreeMap::new(),
            next_partner_id: PARTNER_ID_BASE,
            rule: FusionRule::default(),
            pregate: true,
        }
    }

    /// The same fuser with (default) or without the spatial pre-gate of the association. Without it
    /// every pair of tracks is tested and one dense assignment is solved: the same pairing, far
    /// slower (kept as the benchmark's baseline and the tests' reference).
    pub fn with_pregate(mut self, pregate: bool) -> Self {
        self.pregate = pregate;
        self
    }

    /// The same fuser fusing with `rule` (default: covariance intersection, ω by trace).
    pub fn with_rule(mut self, rule: FusionRule) -> Self {
        self.rule = rule;
        self
    }

    /// Stores a partner's track report; rejects (returns false) malformed reports and reports older
    /// than the one already held for that track (out of sequence: the newer estimate already contains
    /// the information of the older one).
    pub fn ingest(
        &mut self,
        sender: &str,
        time_of_validity_s: f64,
        report: &TrackReport,
        now_s: f64,
    ) -> bool {
        let Some(cov) = report.cov() else { return false };
        let party = match self.parties.get_mut(sender) {
            Some(p) => p,
            None => self.parties.entry(sender.to_string()).or_insert_with(|| PartnerParty {
                name: sender.into(),
                tracks: BTreeMap::new(),
                ids: BTreeMap::new(),
                pairing: BTreeMap::new(),
            }),
        };
        if let Some(old) = party.tracks.get(&report.track_id)
            && old.time_s >= time_of_validity_s
        {
            return false;
        }
        party.tracks.insert(
            report.track_id,
            PartnerTrack { time_s: time_of_validity_s, state: report.state(), cov, received_s: now_s },
        );
        true
    }

    /// Partner tracks held (a copy, keyed by (party, track id)).
    pub fn partner_tracks(&self) -> BTreeMap<PartnerKey, PartnerTrack> {
        self.parties
            .iter()
            .flat_map(|(name, p)| p.tracks.iter().map(move |(id, t)| ((name.clone(), *id), t.clone())))
            .collect()
    }

    /// The current association of partner tracks to local track ids (a copy).
    pub fn pairing(&self) -> BTreeMap<PartnerKey, u32> {
        self.parties
            .iter()
            .flat_map(|(name, p)| p.pairing.iter().map(move |(id, l)| ((name.clone(), *id), *l)))
            .collect()
    }

    /// Builds the picture at `now_s` from the party's confirmed local tracks.
    pub fn picture(&mut self, now_s: f64, local: &[&Track]) -> Vec<FusedTrack> {
        let max_age = self.max_age_s;
        let q = self.accel_noise;
        let local_ids: Vec<u32> = local.iter().map(|t| t.id).collect();
        let local_states: Vec<(State6, Cov6)> =
            local.iter().map(|t| ekf::predict(&t.state, &t.cov, now_s - t.time_s, q)).collect();
        // Room for every local track and every partner track held (an upper bound: one allocation).
        let partner_count: usize = self.parties.values().map(|p| p.tracks.len()).sum();
        let mut fused: Vec<FusedTrack> = Vec::with_capacity(local.len() + partner_count);
        fused.extend(local_ids.iter().zip(&local_states).map(|(id, (x, p))| FusedTrack {
            id: *id,
            local: Some(*id),
            partners: vec![],
            time_s: now_s,
            state: *x,
            cov: *p,
        }));
        // One party at a time (in name order, tracks in id order); buffers reused across parties, sized
        // once for the largest.
        let most = self.parties.values().map(|p| p.tracks.len()).max().unwrap_or(0);
        let mut ids: Vec<u32> = Vec::with_capacity(most);
        let mut predicted: Vec<(State6, Cov6)> = Vec::with_capacity(most);
        let mut previous: Vec<Option<u32>> = Vec::with_capacity(most);
        let next = &mut self.next_partner_id;
        for party in self.parties.values_mut() {
            let name = &party.name;
            // A forgotten track's pairing goes with it: the pairing's keys stay a subset of the
            // tracks' (it is updated in place below, not rebuilt).
            let pairing = &mut party.pairing;
            party.tracks.retain(|id, p| {
                let keep = now_s - p.time_s <= max_age;
                if !keep {
                    pairing.remove(id);
                }
                keep
            });
            ids.clear();
            predicted.clear();
            previous.clear();
            // Both maps in id order: last pairing of each track by one merge, not a search per track.
            let mut paired = party.pairing.iter().peekable();
            for (id, pt) in &party.tracks {
                ids.push(*id);
                predicted.push(ekf::predict(&pt.state, &pt.cov, now_s - pt.time_s, q));
                while paired.next_if(|(k, _)| *k < id).is_some() {}
                previous.push(paired.next_if(|(k, _)| *k == id).map(|(_, l)| *l));
            }
            if ids.is_empty() {
                continue;
            }
            // Rows: partner tracks; columns: local tracks. Spatially pre-gated, then assigned per
            // connected component (`association`).
            let cost = |i: usize, j: usize, d2: f64| {
                if previous[i] == Some(local_ids[j]) { d2 - CONTINUITY_BONUS } else { d2 }
            };
            let assignment = if self.pregate {
                association::assign_pregated(&predicted, &local_states, self.gate_chi2, cost)
            } else {
                association::assign_all_pairs(&predicted, &local_states, self.gate_chi2, cost)
            };
            for ((id, (xp, pp)), col) in ids.iter().zip(&predicted).zip(assignment) {
                match col {
                    Some(j) => {
                        let f = &mut fused[j];
                        self.rule.fuse_into(&mut f.state, &mut f.cov, xp, pp);
                        if f.partners.is_empty() {
                            // Usually the only partner track: room for exactly one, allocated at once.
                            f.partners = vec![(name.clone(), *id)];
                        } else {
                            f.partners.push((name.clone(), *id));
                        }
                        party.pairing.insert(*id, local_ids[j]);
                    }
                    None => {
                        party.pairing.remove(id);
                        let picture_id = *party.ids.entry(*id).or_insert_with(|| {
                            *next += 1;
                            *next - 1
                        });
                        fused.push(FusedTrack {
                            id: picture_id,
                            local: None,
                            partners: vec![(name.clone(), *id)],
                            time_s: now_s,
                            state: *xp,
                            cov: *pp,
                        });
                    }
                }
            }
        }
        fused
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_tracking::TrackStatus;

    fn local_track(id: u32, pos: [f64; 3], sigma: f64) -> Track {
        let mut t: Track = serde_json::from_value(serde_json::json!({
            "id": id, "time_s": 10.0, "state": [pos[0], pos[1], pos[2], 0.0, 0.0, 0.0],
            "cov": vec![0.0; 36], "status": "Confirmed", "started_s": 0.0, "confirmed_s": 5.0,
            "updates": 5, "consecutive_misses": 0, "history": 15, "looks": 4
        }))
        .unwrap();
        t.cov = Cov6::identity() * sigma * sigma;
        assert_eq!(t.status, TrackStatus::Confirmed);
        t
    }

    fn report(id: u32, pos: [f64; 3], sigma: f64) -> TrackReport {
        TrackReport::new(
            id,
            &State6::new(pos[0], pos[1], pos[2], 0.0, 0.0, 0.0),
            &(Cov6::identity() * sigma * sigma),
        )
    }

    #[test]
    fn a_late_report_is_predicted_to_the_picture_time_before_it_is_fused() {
        // The partner's report is 10 s old when the picture is built: valid at t = 10 s while the
        // local track is valid at t = 20 s. Predicted forward along the ballistic motion model, it
        // lands on the local track's state, so it associates and the fused state is that state.
        let r = 6.9e6;
        let now = State6::new(r, 0.0, 0.0, 0.0, 3000.0, 1000.0);
        let then = shieldnet_tracking::motion::propagate(&now, -10.0);
        let mut local = local_track(4, [r, 0.0, 0.0], 100.0);
        local.state = now;
        local.time_s = 20.0;
        let mut fuser = Fuser::new(0.0, 30.0);
        let report = TrackReport::new(7, &then, &(Cov6::identity() * 1e4));
        assert!(fuser.ingest("RUS", 10.0, &report, 20.0));
        let pic = fuser.picture(20.0, &[&local]);
        assert_eq!(pic.len(), 1);
        assert_eq!(pic[0].partners, vec![("RUS".into(), 7)]);
        assert!((pic[0].state - now).fixed_rows::<3>(0).norm() < 1e-3, "{}", pic[0].state - now);
        // The partner track's own prediction to t = 20 s reproduces `now` (time-aligned fusion).
        let p = &fuser.partner_tracks()[&("RUS".to_string(), 7)];
        assert_eq!(p.time_s, 10.0);
        // A report arriving out of sequence (older than the one held) is dropped, not fused.
        let older = TrackReport::new(
            7,
            &shieldnet_tracking::motion::propagate(&now, -15.0),
            &(Cov6::identity() * 1e4),
        );
        assert!(!fuser.ingest("RUS", 5.0, &older, 21.0));
        assert_eq!(fuser.partner_tracks()[&("RUS".to_string(), 7)].time_s, 10.0);
    }

    #[test]
    fn the_pairing_is_kept_while_it_stays_in_the_gate() {
        // Two local tracks 300 m apart (σ = 100 m) and one partner track between them, slightly nearer
        // the second. First picture: it pairs with the nearer one. Then it drifts 40 m toward the
        // first: without continuity it would switch; with the continuity bonus it keeps its pairing.
        let r = 7.0e6;
        let a = local_track(1, [r, 0.0, 0.0], 100.0);
        let b = local_track(2, [r, 300.0, 0.0], 100.0);
        let mut fuser = Fuser::new(0.0, 30.0);
        assert!(fuser.ingest("RUS", 10.0, &report(9, [r, 170.0, 0.0], 100.0), 10.0));
        fuser.picture(10.0, &[&a, &b]);
        assert_eq!(fuser.pairing()[&("RUS".to_string(), 9)], 2);
        assert!(fuser.ingest("RUS", 10.5, &report(9, [r, 130.0, 0.0], 100.0), 10.5));
        let mut a2 = a.clone();
        let mut b2 = b.clone();
        a2.time_s = 10.5;
        b2.time_s = 10.5;
        fuser.picture(10.5, &[&a2, &b2]);
        assert_eq!(fuser.pairing()[&("RUS".to_string(), 9)], 2, "pairing switched on a small drift");
        // Clearly broken (the partner track now sits on track 1): it switches.
        assert!(fuser.ingest("RUS", 11.0, &report(9, [r, 0.0, 0.0], 100.0), 11.0));
        a2.time_s = 11.0;
        b2.time_s = 11.0;
        fuser.picture(11.0, &[&a2, &b2]);
        assert_eq!(fuser.pairing()[&("RUS".to_string(), 9)], 1);
    }

    #[test]
    fn the_pairing_follows_each_picture_and_forgets_stale_tracks() {
        // Two partner tracks, one near the local track: paired; then the report moves away (no longer
        // paired, no stale entry), comes back (paired again), and finally both go stale.
        let r = 7.0e6;
        let local = local_track(4, [r, 0.0, 0.0], 100.0);
        let mut fuser = Fuser::new(0.0, 30.0);
        assert!(fuser.ingest("RUS", 10.0, &report(7, [r + 50.0, 0.0, 0.0], 100.0), 10.0));
        assert!(fuser.ingest("RUS", 10.0, &report(8, [r, 80e3, 0.0], 100.0), 10.0));
        fuser.picture(10.0, &[&local]);
        let key = |id: u32| ("RUS".to_string(), id);
        assert_eq!(fuser.pairing(), BTreeMap::from([(key(7), 4)]));
        assert!(fuser.ingest("RUS", 11.0, &report(7, [r, 50e3, 0.0], 100.0), 11.0));
        fuser.picture(11.0, &[&local]);
        assert!(fuser.pairing().is_empty());
        assert!(fuser.ingest("RUS", 12.0, &report(7, [r - 30.0, 0.0, 0.0], 100.0), 12.0));
        let pic = fuser.picture(12.0, &[&local]);
        assert_eq!(fuser.pairing(), BTreeMap::from([(key(7), 4)]));
        assert_eq!(pic.iter().find(|f| f.local == Some(4)).unwrap().partners, vec![("RUS".into(), 7)]);
        fuser.picture(50.0, &[&local]);
        assert!(fuser.pairing().is_empty() && fuser.partner_tracks().is_empty());
    }

    #[test]
    fn associates_near_tracks_fuses_them_and_keeps_partner_only_ids_stable() {
        let r = 7.0e6;
        let mut fuser = Fuser::new(0.0, 30.0);
        let local = local_track(4, [r, 0.0, 0.0], 100.0);
        // Near the local track (1σ-ish away) and far from it (100 km).
        assert!(fuser.ingest("RUS", 10.0, &report(7, [r + 100.0, 0.0, 0.0], 100.0), 10.0));
        assert!(fuser.ingest("RUS", 10.0, &report(8, [r, 100e3, 0.0], 100.0), 10.0));
        // An older report of track 7 is out of sequence and ignored.
        assert!(!fuser.ingest("RUS", 9.0, &report(7, [r, 0.0, 0.0], 100.0), 10.0));
        let pic = fuser.picture(10.0, &[&local]);
        assert_eq!(pic.len(), 2);
        let fused = pic.iter().find(|f| f.local == Some(4)).unwrap();
        assert_eq!(fused.partners, vec![("RUS".into(), 7)]);
        // Equal covariances: CI keeps the covariance, the estimate sits between the two.
        assert!((fused.cov[(0, 0)] - 1e4).abs() < 1e-3);
        assert!((fused.state[0] - (r + 50.0)).abs() < 1.0);
        let alone = pic.iter().find(|f| f.local.is_none()).unwrap();
        assert!(alone.id >= PARTNER_ID_BASE);
        let again = fuser.picture(10.0, &[&local]);
        assert_eq!(again.iter().find(|f| f.local.is_none()).unwrap().id, alone.id);
        // Stale partner tracks leave the picture.
        let later = fuser.picture(50.0, &[]);
        assert!(later.is_empty());
    }
}
