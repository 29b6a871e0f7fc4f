//! The party node state machine.

use crate::config::NodeConfig;
use crate::events::{AimUpdate, LaunchOrder, NodeEvent, NodeInput, NodeOutput, Outgoing, Wire};
use nalgebra::Vector3;
use shieldnet_audit::{Checkpoint, LogBuilder, LogConfig, ReplayGuard, SignedEnvelope};
use shieldnet_earth::Ecef;
use shieldnet_engagement::battle::{PlanContext, plan as plan_battle};
use shieldnet_engagement::coordination::{Claim, precedes};
use shieldnet_engagement::feasibility::window_where;
use shieldnet_engagement::planner::{BatteryState, Candidate};
use shieldnet_engagement::threat::{ThreatAssessment, assess};
use shieldnet_fusion::messages::{
    MAX_DETECTIONS_PER_MESSAGE, MAX_LOOKS_PER_MESSAGE, MAX_REPORTS_PER_MESSAGE, MESSAGE_VERSION,
};
use shieldnet_fusion::{
    Body, EngagementAnnouncement, EngagementStatus, FusedTrack, Fuser, KillAssessment, Message,
    TimedTrackReport, TrackReport,
};
use shieldnet_tracking::{State6, Tracker, motion};
use std::collections::{BTreeMap, BTreeSet};

/// A source track: (party id, that party's own track id).
type Source = (String, u32);

/// Status of one of the node's own engagements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Planned,
    Launched,
    Cancelled,
    Killed,
    Missed,
}

#[derive(Debug, Clone)]
struct Engagement {
    id: u32,
    battery: usize,
    sources: Vec<Source>,
    status: Status,
    launch_time_s: f64,
    intercept_time_s: f64,
    /// Predicted intercept point (ECEF, m).
    aim: Vector3<f64>,
    /// The threat's latest known state and its time of validity.
    threat: (f64, State6),
    /// Number of sources partners were last told about.
    announced_sources: usize,
}

/// Seconds before intercept after which the kill vehicle's own seeker takes over and the node stops
/// sending in-flight target updates.
const SEEKER_HANDOVER_S: f64 = 5.0;
/// Distance within which a track predicted to an engagement's intercept time is taken to be its threat
/// when the engagement's source tracks have all been dropped, m.
const REACQUIRE_GATE_M: f64 = 20_000.0;

#[derive(Debug, Clone)]
struct PartnerClaim {
    sources: Vec<Source>,
    rank: u32,
    launched: bool,
    intercept_time_s: f64,
    /// The announced threat state carried forward to the last time its position was asked for, and
    /// that time (at first: the state the partner announced and its time of validity).
    threat: (f64, State6),
}

impl PartnerClaim {
    /// Where the claimed threat is at `t_s`, predicted ballistically. The prediction is carried forward
    /// from the last time asked (a few seconds earlier, one short RK4 span) rather than from the
    /// announcement each time (minutes earlier, a long extrapolation): the node asks at every decision,
    /// for every claim, for as long as the claim stands. The two agree to under a millimetre
    /// (`claim_positions_carried_forward_match_a_direct_prediction`), against a 20 km gate.
    fn position_at(&mut self, t_s: f64) -> Vector3<f64> {
        if t_s != self.threat.0 {
            self.threat = (t_s, motion::propagate(&self.threat.1, t_s - self.threat.0));
        }
        self.threat.1.fixed_rows::<3>(0).into_owned()
    }
}

/// The node's authentication state and audit log.
#[derive(Debug)]
struct NodeAudit {
    setup: crate::config::AuditSetup,
    guard: ReplayGuard,
    log: LogBuilder,
}

/// A picture track evaluated as a threat this party may engage.
struct Assessed {
    track: u32,
    sources: Vec<Source>,
    assessment: ThreatAssessment,
    value: f64,
    threat: (f64, State6),
}

/// One party's node.
#[derive(Debug)]
pub struct PartyNode {
    cfg: NodeConfig,
    tracker: Tracker,
    fuser: Fuser,
    batteries: Vec<BatteryState>,
    seq: u64,
    last_share_s: Vec<f64>,
    next_decision_s: f64,
    engagements: Vec<Engagement>,
    partner_claims: BTreeMap<(String, u32), PartnerClaim>,
    dead: BTreeSet<Source>,
    audit: Option<NodeAudit>,
    rejected: BTreeMap<String, u32>,
    audit_failures: u32,
    /// Launch notices this node sent (M1), and the own tracks they came from.
    notices: crate::launch_warning::NoticeLog,
    /// Launch notices received from partners: (sender, notice, time received).
    warnings: Vec<(String, shieldnet_fusion::LaunchNotice, f64)>,
    /// Noise stream per outgoing agreement (precision degradation).
    share_rngs: Vec<rand_chacha::ChaCha8Rng>,
    /// Tree size of the last audit checkpoint sent to partners.
    checkpoint_sent_size: u64,
    /// Per outgoing agreement: own looks waiting for the next batch of shared detections, the time of
    /// the last batch, and the noise stream that degrades them.
    detection_out: Vec<DetectionOutbox>,
    /// Partners' looks received and not yet given to the tracker.
    partner_looks: Vec<shieldnet_sensors::Scan>,
    /// Time of the previous step, s (the step length tells which step is the last before hand-over).
    prev_step_s: Option<f64>,
}

/// Shared detections waiting to go out under one agreement.
#[derive(Debug)]
struct DetectionOutbox {
    looks: Vec<shieldnet_fusion::DetectionLook>,
    last_sent_s: f64,
    rng: rand_chacha::ChaCha8Rng,
}

/// Offset between an agreement's noise seed for track reports and the one for detections, so that the
/// two streams are independent.
const DETECTION_NOISE_STREAM: u64 = 0x6465_7465_6374_696f;

impl PartyNode {
    /// A node at the start of a run.
    pub fn new(cfg: NodeConfig) -> Self {
        let tracker = Tracker::new(cfg.tracker.clone());
        let fuser =
            Fuser::new(cfg.tracker.accel_noise_m2_s3, cfg.partner_track_max_age_s).with_rule(cfg.fusion);
        let batteries = cfg.batteries.clone();
        let last_share_s = vec![f64::NEG_INFINITY; cfg.share.len()];
        let share_rngs = cfg
            .share
            .iter()
            .map(|s| <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(s.noise_seed))
            .collect();
        let detection_out = cfg
            .share
            .iter()
            .map(|s| DetectionOutbox {
                looks: Vec::new(),
                last_sent_s: f64::NEG_INFINITY,
                rng: <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(
                    s.noise_seed ^ DETECTION_NOISE_STREAM,
                ),
            })
            .collect();
        let audit = cfg.audit.clone().and_then(|setup| {
            let log = LogBuilder::new(setup.keys.clone(), LogConfig::default(), 0.0).ok()?;
            let guard = ReplayGuard::new(setup.max_message_age_s, 1.0);
            Some(NodeAudit { setup, guard, log })
        });
        Self {
            cfg,
            tracker,
            fuser,
            batteries,
            seq: 0,
            last_share_s,
            next_decision_s: 0.0,
            engagements: Vec::new(),
            partner_claims: BTreeMap::new(),
            dead: BTreeSet::new(),
            audit,
            rejected: BTreeMap::new(),
            audit_failures: 0,
            notices: Default::default(),
            warnings: Vec::new(),
            share_rngs,
            checkpoint_sent_size: 0,
            detection_out,
            partner_looks: Vec::new(),
            prev_step_s: None,
        }
    }

    /// Numbers outgoing messages after `seq` from now on. A node that joins or restarts mid-run must
    /// not reuse sequence numbers its partners have already seen, or they would reject its messages
    /// as replays.
    pub fn resume_sequence_after(&mut self, seq: u64) {
        self.seq = self.seq.max(seq);
    }

    /// Messages rejected so far, by reason (unsigned, bad signature, replay, stale, malformed, …).
    pub fn rejected_messages(&self) -> &BTreeMap<String, u32> {
        &self.rejected
    }

    /// Closes the audit log at `t_s` and returns its complete lines (JSON Lines), if the node keeps one.
    pub fn finish_audit(&mut self, t_s: f64) -> Option<Vec<u8>> {
        let a = self.audit.as_mut()?;
        if a.log.close(t_s).is_err() {
            self.audit_failures += 1;
        }
        Some(a.log.take_output())
    }

    /// Appends an entry-worthy decision to the audit log.
    fn record_decision(&mut self, now: f64, event: &NodeEvent) {
        if let Some(a) = &mut self.audit
            && a.log.record_decision(now, event).is_err()
        {
            self.audit_failures += 1;
        }
    }

    /// Sends the audit log's latest checkpoint, if it is new, to every partner this party shares
    /// anything with (so each holds the other's signed history).
    fn send_new_checkpoint(&mut self, now: f64, out: &mut NodeOutput) {
        let Some(a) = &self.audit else { return };
        let Some(cp) = a.log.latest_checkpoint() else { return };
        if self.checkpoint_sent_size >= cp.tree_size {
            return;
        }
        self.checkpoint_sent_size = cp.tree_size;
        let bytes = cp.to_bytes();
        let targets: Vec<String> = self
            .cfg
            .share
            .iter()
            .filter(|s| s.tracks || s.engagements || s.launch_notices || s.detections)
            .map(|s| s.to.clone())
            .collect();
        for to in targets {
            let message = self.next_message(now, Body::AuditCheckpoint(bytes.clone()));
            let wire = self.wire(&to, message, now);
            out.outgoing.push(Outgoing { to, wire });
        }
    }

    /// Logs a partner's checkpoint if it is well formed, names its sender and verifies under the
    /// sender's trusted key; otherwise counts it as rejected.
    fn log_partner_checkpoint(&mut self, sender: &str, bytes: &[u8], now: f64) {
        let Some(a) = &mut self.audit else { return };
        let cp = match Checkpoint::from_bytes(bytes) {
            Ok(cp) if cp.party == sender && cp.verify(&a.setup.trust).is_ok() => cp,
            _ => {
                self.reject("bad checkpoint");
                return;
            }
        };
        if a.log.record_partner_checkpoint(now, &cp).is_err() {
            self.audit_failures += 1;
        }
    }

    fn reject(&mut self, reason: &str) {
        *self.rejected.entry(reason.to_string()).or_default() += 1;
    }

    /// Checks one delivered message: a signed envelope from a trusted sender, not replayed or stale,
    /// whose payload decodes to a message from that same sender. Returns the message if accepted.
    fn admit(&mut self, wire: &Wire, now: f64) -> Option<Message> {
        let Some(a) = &mut self.audit else {
            return match wire {
                Wire::Plain(m) => Some(m.clone()),
                Wire::Signed(_) => {
                    self.reject("signed message but no trust store");
                    None
                }
            };
        };
        let env = match wire {
            Wire::Plain(_) => {
                self.reject("unsigned");
                return None;
            }
            Wire::Signed(env) => env,
        };
        if let Err(e) = a.guard.admit(env, &a.setup.trust, now) {
            let reason = format!("{e:?}");
            let reason = reason.split(['(', ' ', '{']).next().unwrap_or("rejected").to_string();
            self.reject(&reason);
            return None;
        }
        let m = match Message::decode(&env.payload) {
            Ok(m) if m.sender == env.sender && m.seq == env.seq => m,
            _ => {
                self.reject("Malformed");
                return None;
            }
        };
        if a.log.record_received(now, env).is_err() {
            self.audit_failures += 1;
        }
        Some(m)
    }

    /// Puts a message on the wire to `to`: signed and logged when the node authenticates.
    fn wire(&mut self, to: &str, message: Message, now: f64) -> Wire {
        let Some(a) = &mut self.audit else { return Wire::Plain(message) };
        match SignedEnvelope::sign(&a.setup.keys, message.seq, message.time_of_validity_s, message.encode()) {
            Ok(env) => {
                if a.log.record_sent(now, &env, &[to]).is_err() {
                    self.audit_failures += 1;
                }
                Wire::Signed(env)
            }
            Err(_) => {
                self.audit_failures += 1;
                Wire::Plain(message)
            }
        }
    }

    /// Party id.
    pub fn party_id(&self) -> &str {
        &self.cfg.party_id
    }

    /// The tracker (for reports and metrics).
    pub fn tracker(&self) -> &Tracker {
        &self.tracker
    }

    /// Rounds left per own battery (scenario index, rounds).
    pub fn rounds_left(&self) -> Vec<(u32, u32)> {
        self.batteries.iter().map(|b| (b.index, b.rounds_left)).collect()
    }

    /// Advances the node by one step.
    pub fn step(&mut self, input: NodeInput<'_>) -> NodeOutput {
        let now = input.now_s;
        let mut out = NodeOutput::default();
        self.ingest(input.inbox, now);
        for o in input.outcomes {
            if let Some(e) = self.engagements.iter_mut().find(|e| e.id == o.engagement_id) {
                e.status = if o.killed { Status::Killed } else { Status::Missed };
                let sources = e.sources.clone();
                out.events.push(NodeEvent::KillAssessed { engagement: o.engagement_id, killed: o.killed });
                if o.killed {
                    self.dead.extend(sources.iter().cloned());
                }
                let body = Body::KillAssessment(KillAssessment {
                    engagement_id: o.engagement_id,
                    sources,
                    killed: o.killed,
                });
                self.announce(body, now, &mut out);
            }
        }
        self.track_partner_looks(&mut out);
        if !input.angles.is_empty() {
            let r = self.tracker.process_angles(input.angles);
            out.events.extend(r.confirmed.into_iter().map(|track| NodeEvent::TrackConfirmed { track }));
            out.events.extend(r.deleted.into_iter().map(|track| NodeEvent::TrackDeleted { track }));
        }
        for scan in input.scans {
            let Some(radar) = self.cfg.radars.iter().find(|r| r.index == scan.radar) else { continue };
            let r = self.tracker.process_scan(scan, radar);
            self.queue_detections(scan, &r.associations);
            out.events.extend(r.confirmed.into_iter().map(|track| NodeEvent::TrackConfirmed { track }));
            out.events.extend(r.deleted.into_iter().map(|track| NodeEvent::TrackDeleted { track }));
        }
        let confirmed: Vec<_> = self.tracker.tracks().iter().filter(|t| t.is_confirmed()).collect();
        let picture = self.fuser.picture(now, &confirmed);
        for k in 0..self.engagements.len() {
            let e = &self.engagements[k];
            let active =
                e.status == Status::Planned || (e.status == Status::Launched && e.intercept_time_s > now);
            if active {
                self.reacquire(k, &picture);
            }
        }
        self.warn_launches(now, &mut out);
        self.share_tracks(now, &mut out);
        self.share_detections(now, &mut out);
        self.launch_due(now, &picture, &mut out);
        self.update_aims(now, &picture, &mut out);
        if now + 1e-9 >= self.next_decision_s {
            self.next_decision_s = now + self.cfg.decision_interval_s;
            self.plan(now, &picture, &mut out);
        }
        self.reannounce_grown_sources(now, &mut out);
        let decisions: Vec<NodeEvent> = out
            .events
            .iter()
            .filter(|e| !matches!(e, NodeEvent::TrackConfirmed { .. } | NodeEvent::TrackDeleted { .. }))
            .cloned()
            .collect();
        for d in &decisions {
            self.record_decision(now, d);
        }
        self.send_new_checkpoint(now, &mut out);
        self.prev_step_s = Some(now);
        out.picture = picture;
        out
    }

    /// Re-announces active engagements whose threat is now known under more tracks than partners were
    /// told, so that partners recognise it under any of them (e.g. after a track was re-initiated).
    fn reannounce_grown_sources(&mut self, now: f64, out: &mut NodeOutput) {
        for k in 0..self.engagements.len() {
            let e = &self.engagements[k];
            let status = match e.status {
                Status::Planned => EngagementStatus::Planned,
                Status::Launched => EngagementStatus::Launched,
                _ => continue,
            };
            if e.sources.len() == e.announced_sources {
                continue;
            }
            let body = Body::Engagement(announcement(e, &self.batteries, status));
            self.engagements[k].announced_sources = self.engagements[k].sources.len();
            self.announce(body, now, out);
        }
    }

    fn ingest(&mut self, inbox: &[Wire], now: f64) {
        let admitted: Vec<Message> = inbox.iter().filter_map(|w| self.admit(w, now)).collect();
        for m in &admitted {
            match &m.body {
                Body::TrackReport(r) => {
                    self.fuser.ingest(&m.sender, m.time_of_validity_s, r, now);
                }
                Body::TrackReports(rs) => {
                    for r in rs.iter().take(MAX_REPORTS_PER_MESSAGE) {
                        self.fuser.ingest(&m.sender, r.time_of_validity_s, &r.report, now);
                    }
                }
                Body::Engagement(a) => {
                    let key = (m.sender.clone(), a.engagement_id);
                    if a.status == EngagementStatus::Cancelled {
                        self.partner_claims.remove(&key);
                    } else {
                        let rank =
                            self.cfg.party_order.iter().position(|p| *p == m.sender).unwrap_or(usize::MAX);
                        self.partner_claims.insert(
                            key,
                            PartnerClaim {
                                sources: a.sources.clone(),
                                rank: rank as u32,
                                launched: a.status == EngagementStatus::Launched,
                                intercept_time_s: a.intercept_time_s,
                                threat: (a.threat_time_s, State6::from_column_slice(&a.threat_state)),
                            },
                        );
                    }
                }
                Body::LaunchNotice(n) => self.warnings.push((m.sender.clone(), n.clone(), now)),
                Body::AuditCheckpoint(bytes) => self.log_partner_checkpoint(&m.sender, bytes, now),
                Body::Detections(looks) => {
                    let mut budget = MAX_DETECTIONS_PER_MESSAGE;
                    for look in looks.iter().take(MAX_LOOKS_PER_MESSAGE) {
                        match crate::detection_sharing::incoming_look(look, now, &mut budget) {
                            Some(scan) => self.partner_looks.push(scan),
                            None => self.reject("bad detections"),
                        }
                    }
                }
                Body::KillAssessment(k) => {
                    self.partner_claims.remove(&(m.sender.clone(), k.engagement_id));
                    if k.killed {
                        self.dead.extend(k.sources.iter().cloned());
                    }
                }
            }
        }
    }

    fn next_message(&mut self, tov: f64, body: Body) -> Message {
        self.seq += 1;
        Message {
            version: MESSAGE_VERSION,
            sender: self.cfg.party_id.clone(),
            seq: self.seq,
            time_of_validity_s: tov,
            body,
        }
    }

    fn announce(&mut self, body: Body, now: f64, out: &mut NodeOutput) {
        let targets: Vec<String> =
            self.cfg.share.iter().filter(|s| s.engagements).map(|s| s.to.clone()).collect();
        for to in targets {
            let message = self.next_message(now, body.clone());
            let wire = self.wire(&to, message, now);
            out.outgoing.push(Outgoing { to, wire });
        }
    }

    /// Launch notices received from partners so far: (sender, notice, time received).
    pub fn launch_warnings(&self) -> &[(String, shieldnet_fusion::LaunchNotice, f64)] {
        &self.warnings
    }

    /// Sends a launch notice for each new launch seen by own confirmed tracks, to every partner whose
    /// agreement carries launch notices.
    fn warn_launches(&mut self, now: f64, out: &mut NodeOutput) {
        if !self.cfg.share.iter().any(|s| s.launch_notices) {
            return;
        }
        let fresh = self.notices.new_notices(self.tracker.tracks());
        for n in fresh {
            let targets: Vec<String> =
                self.cfg.share.iter().filter(|s| s.launch_notices).map(|s| s.to.clone()).collect();
            for to in targets {
                let message = self.next_message(now, Body::LaunchNotice(n.clone()));
                let wire = self.wire(&to, message, now);
                out.outgoing.push(Outgoing { to, wire });
            }
        }
    }

    fn share_tracks(&mut self, now: f64, out: &mut NodeOutput) {
        for k in 0..self.cfg.share.len() {
            let share = &self.cfg.share[k];
            if !share.tracks || now - self.last_share_s[k] < share.interval_s - 1e-9 {
                continue;
            }
            self.last_share_s[k] = now;
            let to = share.to.clone();
            // All confirmed tracks of this reporting instant travel together (one signature per batch).
            let sigma = share.position_sigma_m;
            let rng = &mut self.share_rngs[k];
            let reports: Vec<TimedTrackReport> = self
                .tracker
                .tracks()
                .iter()
                .filter(|t| t.is_confirmed() && share.filter.admits_state(&t.state))
                .map(|t| {
                    let report = match sigma {
                        Some(s) => {
                            let (x, p) = crate::degrade::degrade(&t.state, &t.cov, s, rng);
                            TrackReport::new(t.id, &x, &p)
                        }
                        None => TrackReport::new(t.id, &t.state, &t.cov),
                    };
                    TimedTrackReport { time_of_validity_s: t.time_s, report }
                })
                .collect();
            for chunk in reports.chunks(MAX_REPORTS_PER_MESSAGE) {
                let tov = chunk.iter().map(|r| r.time_of_validity_s).fold(f64::INFINITY, f64::min);
                let message = self.next_message(tov, Body::TrackReports(chunk.to_vec()));
                let wire = self.wire(&to, message, now);
                out.outgoing.push(Outgoing { to: to.clone(), wire });
            }
        }
    }

    /// Gives the partners' looks received this step to the tracker, oldest first (ties in arrival
    /// order).
    fn track_partner_looks(&mut self, out: &mut NodeOutput) {
        let mut looks = std::mem::take(&mut self.partner_looks);
        looks.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
        for scan in &looks {
            let r = self.tracker.process_partner_scan(scan);
            out.events.extend(r.confirmed.into_iter().map(|track| NodeEvent::TrackConfirmed { track }));
            out.events.extend(r.deleted.into_iter().map(|track| NodeEvent::TrackDeleted { track }));
        }
    }

    /// Queues what one own look lets out under each agreement that shares detections.
    fn queue_detections(&mut self, scan: &shieldnet_sensors::Scan, associations: &[(u32, usize)]) {
        for (share, outbox) in self.cfg.share.iter().zip(&mut self.detection_out) {
            if !share.detections {
                continue;
            }
            let look = crate::detection_sharing::outgoing_look(
                scan,
                associations,
                self.tracker.tracks(),
                &share.filter,
                share.position_sigma_m,
                &mut outbox.rng,
            );
            // A look with nothing to share tells the partner nothing it can use (it counts no misses).
            if !look.detections.is_empty() {
                outbox.looks.push(look);
            }
        }
    }

    /// Sends the queued looks of each agreement that shares detections once its interval has passed,
    /// in messages within the message-set limits ([`crate::detection_sharing::batches`]).
    fn share_detections(&mut self, now: f64, out: &mut NodeOutput) {
        for k in 0..self.cfg.share.len() {
            let share = &self.cfg.share[k];
            let outbox = &mut self.detection_out[k];
            if !share.detections || now - outbox.last_sent_s < share.interval_s - 1e-9 {
                continue;
            }
            outbox.last_sent_s = now;
            let to = share.to.clone();
            let looks = std::mem::take(&mut outbox.looks);
            for batch in crate::detection_sharing::batches(looks) {
                let tov = batch.iter().map(|l| l.time_s).fold(f64::INFINITY, f64::min);
                let message = self.next_message(tov, Body::Detections(batch));
                let wire = self.wire(&to, message, now);
                out.outgoing.push(Outgoing { to: to.clone(), wire });
            }
        }
    }

    /// Source tracks of a picture track: this party's own track and the partner tracks fused in.
    fn sources_of(&self, f: &FusedTrack) -> Vec<Source> {
        let mut s: Vec<Source> = f.local.map(|l| (self.cfg.party_id.clone(), l)).into_iter().collect();
        s.extend(f.partners.iter().map(|(p, i)| (p.to_string(), *i)));
        s
    }

    /// Whether one of a picture track's sources is in `sources` (as `sources_of(f)` would say, without
    /// building that list: this runs for every picture track of every active engagement each step).
    fn shares_a_source<'s>(&self, f: &FusedTrack, sources: impl IntoIterator<Item = &'s Source>) -> bool {
        let own = &self.cfg.party_id;
        sources.into_iter().any(|(party, id)| {
            (f.local == Some(*id) && party == own)
                || f.partners.iter().any(|(p, i)| i == id && **p == **party)
        })
    }

    fn reacquire(&mut self, k: usize, picture: &[FusedTrack]) -> Option<usize> {
        let e = &self.engagements[k];
        let found = picture.iter().position(|f| self.shares_a_source(f, &e.sources));
        let i = match found {
            Some(i) => i,
            None => {
                let now = picture.first()?.time_s;
                let expected = position_at(&e.threat, now);
                picture
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| !self.shares_a_source(f, &self.dead))
                    .map(|(i, f)| (i, (f.state.fixed_rows::<3>(0).into_owned() - expected).norm()))
                    .filter(|(_, d)| *d < REACQUIRE_GATE_M)
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(i, _)| i)?
            }
        };
        // Partner tracks fused in since planning join the engagement's sources, so that the threat is
        // recognised under any of its tracks (and all of them die with it).
        // (In `sources_of` order, cloning only the sources that are new.)
        let f = &picture[i];
        let own = f.local.map(|l| (self.cfg.party_id.as_str(), l));
        for (party, id) in own.into_iter().chain(f.partners.iter().map(|(p, i)| (&**p, *i))) {
            let sources = &mut self.engagements[k].sources;
            if !sources.iter().any(|(p, i)| *i == id && p == party) {
                sources.push((party.to_string(), id));
            }
        }
        self.engagements[k].threat = (picture[i].time_s, picture[i].state);
        Some(i)
    }

    /// In-flight target update: each own interceptor in flight is re-aimed at its threat's predicted
    /// position at the intercept time, from the latest picture, at the last step before seeker
    /// hand-over — the aim the kill vehicle homes from. The fly-out itself is not simulated (the
    /// interceptor is a time of flight to an aim point), so earlier updates would only move an aim
    /// that is overwritten before anything uses it, at the cost of a long prediction each: with
    /// updates every decision interval a campaign's outcomes were the same (100 default runs,
    /// byte-identical outputs) and the run took 3.7 % more instructions.
    fn update_aims(&mut self, now: f64, picture: &[FusedTrack], out: &mut NodeOutput) {
        let step = self.prev_step_s.map_or(0.0, |p| now - p);
        for k in 0..self.engagements.len() {
            let e = &self.engagements[k];
            if e.status != Status::Launched || e.intercept_time_s - now < SEEKER_HANDOVER_S {
                continue;
            }
            // The next step is past hand-over (with a margin against rounding of the step times).
            let last_chance = e.intercept_time_s - (now + step) < SEEKER_HANDOVER_S + 1e-6;
            if !last_chance {
                continue;
            }
            let Some(i) = self.reacquire(k, picture) else { continue };
            let f = &picture[i];
            let e = &mut self.engagements[k];
            let x = motion::propagate(&f.state, e.intercept_time_s - f.time_s);
            e.aim = x.fixed_rows::<3>(0).into_owned();
            out.aim_updates.push(AimUpdate { engagement_id: e.id, aim_point: Ecef(e.aim) });
        }
    }

    fn launch_due(&mut self, now: f64, picture: &[FusedTrack], out: &mut NodeOutput) {
        let my_rank = self.cfg.party_index;
        for k in 0..self.engagements.len() {
            let e = &self.engagements[k];
            if e.status != Status::Planned || e.launch_time_s > now + 1e-9 {
                continue;
            }
            let mine = Claim { party_rank: my_rank, launched: false, intercept_time_s: e.intercept_time_s };
            let track = self.reacquire(k, picture);
            let e = &self.engagements[k];
            let outranked = self.cfg.policy.coordinate
                && self.partner_claims.values_mut().any(|c| {
                    let same = match track {
                        Some(i) => {
                            let claim_now = c.position_at(now);
                            same_threat(&picture[i], &e.sources, &c.sources, &claim_now)
                        }
                        None => c.sources.iter().any(|s| e.sources.contains(s)),
                    };
                    same && precedes(
                        &Claim {
                            party_rank: c.rank,
                            launched: c.launched,
                            intercept_time_s: c.intercept_time_s,
                        },
                        &mine,
                    )
                });
            let decision = if outranked {
                Err("a partner's engagement of the same threat takes precedence")
            } else {
                match track {
                    None => Err("track lost before launch"),
                    Some(i) => {
                        let f = &picture[i];
                        let e = &self.engagements[k];
                        let bat = &self.batteries[e.battery];
                        let battle = &self.cfg.battle;
                        let admit = |p: &Ecef| battle.may_intercept_at(my_rank, p);
                        assess(&f.state, &f.cov, f.time_s, &self.cfg.assets)
                            .and_then(|a| {
                                let tr = a.trajectory(&battle.rotation);
                                window_where(&tr, &bat.site, &bat.kinematics, now, &battle.rotation, &admit)
                            })
                            .map(|w| LaunchOrder {
                                engagement_id: e.id,
                                battery: bat.index,
                                aim_point: w.earliest.point,
                                intercept_time_s: w.earliest.intercept_time_s,
                            })
                            .ok_or("no longer feasible at launch time")
                    }
                }
            };
            match decision {
                Ok(order) => self.launch(k, order, now, out),
                Err(reason) => {
                    let e = &mut self.engagements[k];
                    e.status = Status::Cancelled;
                    let body =
                        Body::Engagement(announcement(e, &self.batteries, EngagementStatus::Cancelled));
                    out.events
                        .push(NodeEvent::EngagementCancelled { engagement: e.id, reason: reason.into() });
                    self.announce(body, now, out);
                }
            }
        }
    }

    fn launch(&mut self, k: usize, order: LaunchOrder, now: f64, out: &mut NodeOutput) {
        let e = &mut self.engagements[k];
        e.status = Status::Launched;
        e.launch_time_s = now;
        e.intercept_time_s = order.intercept_time_s;
        e.aim = order.aim_point.0;
        let bat = &mut self.batteries[e.battery];
        bat.rounds_left = bat.rounds_left.saturating_sub(1);
        out.launches.push(order);
        out.events.push(NodeEvent::InterceptorLaunched { engagement: e.id, battery: bat.id.clone() });
        let body = Body::Engagement(announcement(e, &self.batteries, EngagementStatus::Launched));
        self.announce(body, now, out);
    }

    /// Whether a picture track lies near the threat of an own engagement still planned, in flight or
    /// awaiting its kill assessment ("look" before shooting again; no second track drawing fire).
    fn awaiting_assessment(&self, f: &FusedTrack, looking_at: &[Vector3<f64>]) -> bool {
        let p = f.state.fixed_rows::<3>(0).into_owned();
        looking_at.iter().any(|x| (p - x).norm() < REACQUIRE_GATE_M)
    }

    fn plan(&mut self, now: f64, picture: &[FusedTrack], out: &mut NodeOutput) {
        // Where partners' claimed threats and own engaged threats (planned, in flight or awaiting
        // assessment) are now: one prediction each, then plain distance checks against every picture
        // track, so that a second track of an engaged threat does not draw more interceptors.
        let claims_now: Vec<Vector3<f64>> =
            self.partner_claims.values_mut().map(|c| c.position_at(now)).collect();
        let looking_at: Vec<Vector3<f64>> = self
            .engagements
            .iter()
            .filter(|e| matches!(e.status, Status::Launched | Status::Planned))
            .map(|e| position_at(&e.threat, now))
            .collect();
        let mut assessed: Vec<Assessed> = Vec::new();
        // The source checks below ask about `sources_of(f)` without building it (most picture tracks
        // stop here); it is built only for the tracks assessed.
        for f in picture {
            if self.shares_a_source(f, &self.dead) {
                continue;
            }
            let engaged_by_me = self.engagements.iter().any(|e| {
                matches!(e.status, Status::Planned | Status::Launched) && self.shares_a_source(f, &e.sources)
            });
            let claimed_by_partner = self.cfg.policy.coordinate
                && self
                    .partner_claims
                    .values()
                    .zip(&claims_now)
                    .any(|(c, x)| self.shares_a_source(f, &c.sources) || near_claim(f, x));
            if engaged_by_me || claimed_by_partner || self.awaiting_assessment(f, &looking_at) {
                continue;
            }
            let Some(a) = assess(&f.state, &f.cov, f.time_s, &self.cfg.assets) else { continue };
            let Some((asset, p)) = a.threatened else { continue };
            let owner = self.cfg.assets[asset].party;
            if owner != self.cfg.party_index && !self.cfg.policy.defend_partners {
                continue;
            }
            let value = self.cfg.assets[asset].value * p;
            assessed.push(Assessed {
                track: f.id,
                sources: self.sources_of(f),
                assessment: a,
                value,
                threat: (f.time_s, f.state),
            });
        }
        if assessed.is_empty() {
            return;
        }
        let mut available = self.batteries.clone();
        for e in &self.engagements {
            if e.status == Status::Planned {
                available[e.battery].rounds_left = available[e.battery].rounds_left.saturating_sub(1);
            }
        }
        let battle = &self.cfg.battle;
        let trajectories: Vec<_> =
            assessed.iter().map(|a| a.assessment.trajectory(&battle.rotation)).collect();
        let candidates: Vec<Candidate<'_>> = assessed
            .iter()
            .zip(&trajectories)
            .map(|(a, tr)| Candidate { track_id: a.track, value: a.value, trajectory: tr })
            .collect();
        let hold = if self.cfg.policy.coordinate { self.cfg.coordination_hold_s } else { 0.0 };
        let me = self.cfg.party_index;
        let admit = |p: &Ecef| battle.may_intercept_at(me, p);
        let ctx = PlanContext {
            now_s: now,
            hold_s: hold,
            rotation: &battle.rotation,
            doctrine: &battle.doctrine,
            admit: &admit,
        };
        let shots = plan_battle(&candidates, &available, &ctx).shots;
        for shot in shots {
            let Some(Assessed { sources, threat, assessment, .. }) =
                assessed.iter().find(|a| a.track == shot.track_id)
            else {
                continue;
            };
            let Some(battery) = self.batteries.iter().position(|b| b.index == shot.battery) else { continue };
            let e = Engagement {
                id: self.engagements.len() as u32 + 1,
                battery,
                sources: sources.clone(),
                status: Status::Planned,
                launch_time_s: shot.opportunity.launch_time_s,
                intercept_time_s: shot.opportunity.intercept_time_s,
                aim: shot.opportunity.point.0,
                threat: *threat,
                announced_sources: sources.len(),
            };
            out.events.push(NodeEvent::EngagementPlanned {
                engagement: e.id,
                track: shot.track_id,
                battery: self.batteries[battery].id.clone(),
                launch_time_s: e.launch_time_s,
                intercept_time_s: e.intercept_time_s,
                predicted_impact: assessment.impact,
                intercept_point: shot.opportunity.point.to_geodetic(),
            });
            let body = Body::Engagement(announcement(&e, &self.batteries, EngagementStatus::Planned));
            self.engagements.push(e);
            self.announce(body, now, out);
        }
    }
}

fn announcement(
    e: &Engagement,
    batteries: &[BatteryState],
    status: EngagementStatus,
) -> EngagementAnnouncement {
    EngagementAnnouncement {
        engagement_id: e.id,
        sources: e.sources.clone(),
        battery: batteries[e.battery].id.clone(),
        status,
        launch_time_s: e.launch_time_s,
        intercept_time_s: e.intercept_time_s,
        intercept_point: [e.aim.x, e.aim.y, e.aim.z],
        threat_state: [
            e.threat.1[0],
            e.threat.1[1],
            e.threat.1[2],
            e.threat.1[3],
            e.threat.1[4],
            e.threat.1[5],
        ],
        threat_time_s: e.threat.0,
    }
}

/// Whether a picture track (with its sources) is the threat a partner's claim is about: one of the
/// sources is shared, or the track lies near the claimed threat's announced state predicted to now.
fn same_threat(
    f: &FusedTrack,
    sources: &[Source],
    claim_sources: &[Source],
    claim_now: &Vector3<f64>,
) -> bool {
    sources.iter().any(|s| claim_sources.contains(s)) || near_claim(f, claim_now)
}

/// Whether a picture track lies near a claimed threat's announced state predicted to now.
fn near_claim(f: &FusedTrack, claim_now: &Vector3<f64>) -> bool {
    (f.state.fixed_rows::<3>(0).into_owned() - claim_now).norm() < REACQUIRE_GATE_M
}

/// Position of a threat whose state was `threat` = (time, state), predicted ballistically to `t_s`.
fn position_at(threat: &(f64, State6), t_s: f64) -> Vector3<f64> {
    if t_s == threat.0 {
        // (What the propagation would return: a zero step moves nothing.)
        return threat.1.fixed_rows::<3>(0).into_owned();
    }
    motion::propagate(&threat.1, t_s - threat.0).fixed_rows::<3>(0).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{AuditSetup, Policy};
    use shieldnet_audit::{PartyKeys, TrustStore};
    use shieldnet_tracking::Cov6;

    #[test]
    fn the_in_flight_aim_goes_out_at_the_last_step_before_hand_over() {
        let keys = PartyKeys::derive_for_simulation(1, "A").unwrap();
        let audit = AuditSetup { trust: TrustStore::from_keys([&keys]), keys, max_message_age_s: 30.0 };
        let policy = Policy { defend_partners: true, coordinate: true };
        let mut node = PartyNode::new(NodeConfig::messages_only(&["A"], policy, audit));
        // A threat coasting at 300 km altitude, tracked as own track 1; an interceptor launched at
        // t = 100 s to meet it at t = 123.5 s.
        let x0 = State6::new(6.678e6, 0.0, 0.0, 0.0, 7.0e3, 1.0e3);
        let (launch, intercept) = (100.0, 123.5);
        node.engagements.push(Engagement {
            id: 1,
            battery: 0,
            sources: vec![("A".into(), 1)],
            status: Status::Launched,
            launch_time_s: launch,
            intercept_time_s: intercept,
            aim: Vector3::zeros(),
            threat: (launch, x0),
            announced_sources: 1,
        });
        node.prev_step_s = Some(launch);
        let mut sent = Vec::new();
        for step in 1..=30 {
            let now = launch + step as f64;
            let picture = [FusedTrack {
                id: 1,
                local: Some(1),
                partners: vec![],
                time_s: now,
                state: motion::propagate(&x0, now - launch),
                cov: Cov6::identity(),
            }];
            let mut out = NodeOutput::default();
            node.update_aims(now, &picture, &mut out);
            node.prev_step_s = Some(now);
            sent.extend(out.aim_updates.iter().map(|u| (now, u.aim_point.0)));
        }
        // Once, at t = 118 s: the next step (119 s) is 4.5 s before intercept, inside the 5 s
        // hand-over, so 118 s is the last chance.
        let times: Vec<f64> = sent.iter().map(|(t, _)| *t).collect();
        assert_eq!(times, vec![118.0]);
        // The last aim is the track at 118 s predicted to the intercept time, as a per-step update
        // would have left it.
        let at_118 = motion::propagate(&x0, 18.0);
        let expected = motion::propagate(&at_118, intercept - 118.0).fixed_rows::<3>(0).into_owned();
        assert_eq!(sent.last().unwrap().1, expected);
        assert_eq!(node.engagements[0].aim, expected);
    }
}

#[cfg(test)]
mod claim_tests {
    use super::*;

    #[test]
    fn claim_positions_carried_forward_match_a_direct_prediction() {
        // A 2,000 km-class missile in mid-course (300 km up, 3.5 km/s), announced at t = 100 s and
        // asked for at every 4 s decision for five minutes, as the node does; the reference is one
        // direct prediction from the announcement (Bulirsch–Stoer over these spans).
        let announced = (100.0, State6::new(6.678e6, 0.0, 0.0, 0.0, 3.2e3, 1.4e3));
        let mut claim = PartnerClaim {
            sources: vec![],
            rank: 0,
            launched: false,
            intercept_time_s: 500.0,
            threat: announced,
        };
        let mut worst: f64 = 0.0;
        for k in 1..=75 {
            let t = 100.0 + 4.0 * k as f64;
            let carried = claim.position_at(t);
            let direct = motion::propagate(&announced.1, t - announced.0).fixed_rows::<3>(0).into_owned();
            worst = worst.max((carried - direct).norm());
        }
        // (About 0.5 µm here) — against the 20 km gate the position is compared with.
        assert!(worst < 1e-3, "carried-forward position off by {worst} m");
        // Asked twice at one time, the claim does not move.
        let again = claim.position_at(400.0);
        assert_eq!(again, claim.position_at(400.0));
    }
}
