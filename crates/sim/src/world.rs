//! The world: truth, sensors, message transport, interceptor fly-out and intercept outcomes, stepping
//! every party node in a fixed order so that a run is deterministic.

use crate::build::{Setup, build};
use crate::host::{LocalNodes, NodeFinish, NodeHost};
use crate::report::{
    DetectionRow, Event, Outcome, PartyReport, RunRecord, RunReport, ThreatReport, TrackRow, TruthRow,
};
use crate::rng::stream;
use crate::scenario::Scenario;
use crate::sharing_metrics::{Commonality, threat_of_notice, wire_kind};
use rand::RngExt;
use shieldnet_audit::{PartyKeys, TrustStore};
use shieldnet_earth::Ecef;
use shieldnet_fusion::PARTNER_ID_BASE;
use shieldnet_node::{AuditSetup, EngagementOutcome, NodeEvent, NodeInput, Wire};
use shieldnet_sensors::{IrTarget, Scan, Target};
use std::collections::BTreeMap;

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The cooperation mode is not implemented yet.
    #[error("cooperation mode {0} is not implemented yet; use M0, M1, M2, M3, M4 or M5")]
    UnsupportedMode(String),
    /// A threat's trajectory could not be flown.
    #[error("threat {threat}: {source}")]
    Flight {
        /// Threat id.
        threat: String,
        /// Cause.
        #[source]
        source: shieldnet_flight::FlightError,
    },
    /// The scenario is inconsistent.
    #[error("{0}")]
    Invalid(String),
}

/// Options of one run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Seed overriding the scenario's.
    pub seed: Option<u64>,
    /// Index of the run within a campaign (selects independent random streams).
    pub run_index: u64,
    /// Keep the row data for CSV output.
    pub record: bool,
    /// Sign every message between parties, check it on receipt, and keep each party's audit log
    /// (simulation keys derived from the seed). Off for fast Monte Carlo runs.
    pub audit: bool,
    /// Leave out what only a single run's report shows: the per-party tracking metrics (OSPA, GOSPA,
    /// SIAP against truth; the report's `tracking` then has `samples: 0`) and the event log (empty).
    /// Campaigns, which report outcomes only, set it.
    pub outcomes_only: bool,
}

/// Distance within which a picture track counts as tracking a threat, for reports, m.
const TRACK_TRUTH_GATE_M: f64 = 25_000.0;

#[derive(Debug, Clone)]
struct InFlight {
    /// The commanding node's party (outcomes and aim updates go to it).
    party: u32,
    /// The battery's owner (credited with the shot and the kill).
    owner: u32,
    engagement_id: u32,
    battery: u32,
    launch_s: f64,
    intercept_s: f64,
    from: Ecef,
    aim: Ecef,
    target: Option<usize>,
    resolved: bool,
}

#[derive(Debug, Clone)]
struct Pending {
    deliver_s: f64,
    from: u32,
    to: u32,
    wire: Wire,
}

/// Runs a scenario once, every party node in this process.
pub fn run(scn: &Scenario, opts: &RunOptions) -> Result<(RunReport, Option<RunRecord>), SimError> {
    run_prepared(scn, &build(scn)?, opts)
}

/// Runs a scenario once from its already built cast (`build(scn)`): a campaign builds each scenario
/// once — threat trajectories and the rest hold no randomness — and shares it across its runs.
pub fn run_prepared(
    scn: &Scenario,
    setup: &Setup,
    opts: &RunOptions,
) -> Result<(RunReport, Option<RunRecord>), SimError> {
    let mut setup = setup.clone();
    let seed = opts.seed.unwrap_or(scn.scenario.seed);
    seed_share_noise(&mut setup, seed, opts.run_index);
    if opts.audit {
        attach_simulation_keys(&mut setup, seed)?;
    }
    let mut nodes = LocalNodes::new(&setup.nodes);
    Ok(World::new(scn, setup, seed, opts, &mut nodes).run())
}

/// Runs a scenario once with the party nodes run by `host` (for example as separate processes).
/// The host's nodes must be configured from the same scenario (see [`build`] and
/// [`attach_simulation_keys`]); `opts.audit` only tells the world to collect the nodes' audit logs.
pub fn run_with_host(
    scn: &Scenario,
    opts: &RunOptions,
    host: &mut dyn NodeHost,
) -> Result<(RunReport, Option<RunRecord>), SimError> {
    let mut setup = build(scn)?;
    let seed = opts.seed.unwrap_or(scn.scenario.seed);
    seed_share_noise(&mut setup, seed, opts.run_index);
    if opts.audit {
        attach_simulation_keys(&mut setup, seed)?;
    }
    Ok(World::new(scn, setup, seed, opts, host).run())
}

/// Gives every party node the simulation signing keys derived from `seed` and a trust store of all
/// parties' public keys, so that messages are signed and checked and audit logs are kept.
pub fn attach_simulation_keys(setup: &mut Setup, seed: u64) -> Result<(), SimError> {
    let keys: Vec<PartyKeys> = setup
        .parties
        .iter()
        .map(|p| PartyKeys::derive_for_simulation(seed, p))
        .collect::<Result<_, _>>()
        .map_err(|e| SimError::Invalid(format!("party id unusable as an audit identity: {e}")))?;
    let trust = TrustStore::from_keys(keys.iter());
    for (node, k) in setup.nodes.iter_mut().zip(keys) {
        node.audit = Some(AuditSetup { keys: k, trust: trust.clone(), max_message_age_s: 60.0 });
    }
    Ok(())
}

/// Seeds each agreement's precision-degradation noise from the run's `share-noise` stream of that
/// agreement. A node process configured from the scenario must call this with the run's seed too.
pub fn seed_share_noise(setup: &mut Setup, seed: u64, run: u64) {
    use rand::Rng;
    for node in &mut setup.nodes {
        for share in &mut node.share {
            let k = setup.agreements.iter().position(|a| {
                a.from == node.party_index && setup.parties.get(a.to as usize) == Some(&share.to)
            });
            if let Some(k) = k {
                share.noise_seed = stream(seed, run, "share-noise", k as u64).next_u64();
            }
        }
    }
}

struct World<'a> {
    scn: &'a Scenario,
    s: Setup,
    seed: u64,
    run: u64,
    record: Option<RunRecord>,
    nodes: &'a mut dyn NodeHost,
    party_count: usize,
    events: Vec<Event>,
    killed: Vec<Option<(f64, u32)>>,
    /// Threat states at the current step's instant (`step_truth`).
    truth_now: crate::step_truth::StepTruth,
    impacted: Vec<bool>,
    first_detection: Vec<Vec<Option<f64>>>,
    first_own: Vec<Vec<Option<f64>>>,
    first_picture: Vec<Vec<Option<f64>>>,
    fired: Vec<Vec<u32>>,
    tracks_confirmed: Vec<u32>,
    sent: Vec<u32>,
    received: Vec<u32>,
    in_flight: Vec<InFlight>,
    pending: Vec<Pending>,
    outcomes_due: Vec<(f64, u32, EngagementOutcome)>,
    double_engagements: u32,
    early_warning: crate::early_warning::EarlyWarning,
    first_ir: Vec<Vec<bool>>,
    party_metrics: Vec<crate::party_metrics::Accumulator>,
    /// `RunOptions::outcomes_only`: no tracking metrics, no event log.
    outcomes_only: bool,
    /// First launch warning per party per threat.
    first_warning: Vec<Vec<Option<f64>>>,
    /// Launch warnings of each node already looked at.
    warnings_seen: Vec<usize>,
    /// Messages received per party by kind.
    received_by_kind: Vec<BTreeMap<String, u32>>,
    /// Position error at each party's first launch at each threat: [threat][party].
    handover_error: Vec<Vec<Option<f64>>>,
    /// This step's picture position of each threat per party: [party][threat].
    held: Vec<Vec<Option<nalgebra::Vector3<f64>>>>,
    commonality: Commonality,
}

impl<'a> World<'a> {
    fn new(scn: &'a Scenario, s: Setup, seed: u64, opts: &RunOptions, nodes: &'a mut dyn NodeHost) -> Self {
        let np = s.parties.len();
        let nt = s.threats.len();
        Self {
            scn,
            seed,
            run: opts.run_index,
            record: opts.record.then(RunRecord::default),
            nodes,
            party_count: np,
            events: Vec::new(),
            killed: vec![None; nt],
            truth_now: Default::default(),
            impacted: vec![false; nt],
            first_detection: vec![vec![None; nt]; np],
            first_own: vec![vec![None; nt]; np],
            first_picture: vec![vec![None; nt]; np],
            fired: vec![vec![0; np]; nt],
            tracks_confirmed: vec![0; np],
            sent: vec![0; np],
            received: vec![0; np],
            in_flight: Vec::new(),
            pending: Vec::new(),
            outcomes_due: Vec::new(),
            double_engagements: 0,
            early_warning: crate::early_warning::EarlyWarning::new(
                s.ir_satellites.clone(),
                np,
                seed,
                opts.run_index,
            ),
            first_ir: vec![vec![false; nt]; np],
            party_metrics: vec![Default::default(); np],
            outcomes_only: opts.outcomes_only,
            first_warning: vec![vec![None; nt]; np],
            warnings_seen: vec![0; np],
            received_by_kind: vec![BTreeMap::new(); np],
            handover_error: vec![vec![None; np]; nt],
            held: vec![vec![None; nt]; np],
            commonality: Commonality::new(np),
            s,
        }
    }

    fn event(&mut self, t_s: f64, kind: &str, party: Option<u32>, subject: String, detail: String) {
        if self.outcomes_only {
            return;
        }
        let party = party.map(|p| self.s.parties[p as usize].clone());
        self.events.push(Event { t_s, kind: kind.into(), party, subject, detail });
    }

    /// Whether threat `j` is flying at `t` (launched, not landed, not destroyed).
    fn alive(&self, j: usize, t: f64) -> bool {
        let tr = &self.s.threats[j].trajectory;
        t >= tr.launch_time_s() && t <= tr.impact_time_s() && self.killed[j].is_none_or(|(tk, _)| t < tk)
    }

    fn threat_ecef(&self, j: usize, t: f64) -> Option<Ecef> {
        self.threat_state(j, t).map(|(p, _)| p)
    }

    /// Position and velocity of threat `j` at `t` (ECEF), from the step's stored states when there.
    fn threat_state(&self, j: usize, t: f64) -> Option<(Ecef, Ecef)> {
        match self.truth_now.get(j, t) {
            Some(s) => s,
            None => self.s.threats[j].trajectory.ecef_at(t, &self.s.rotation),
        }
    }

    /// Stores the states at `t` of the threats flying then.
    fn store_truth(&mut self, t: f64) {
        let mut c = std::mem::take(&mut self.truth_now);
        let traj = |j: usize| self.s.threats[j].trajectory.ecef_at(t, &self.s.rotation);
        c.fill(t, (0..self.s.threats.len()).map(|j| self.alive(j, t).then(|| traj(j))));
        self.truth_now = c;
    }

    fn run(mut self) -> (RunReport, Option<RunRecord>) {
        let dt = self.scn.scenario.time_step_s;
        let steps = (self.scn.scenario.duration_s / dt).ceil() as u64;
        let mut radar_rngs: Vec<_> =
            (0..self.s.radars.len()).map(|i| stream(self.seed, self.run, "radar", i as u64)).collect();
        let mut link_rngs: Vec<_> =
            (0..self.s.agreements.len()).map(|i| stream(self.seed, self.run, "link", i as u64)).collect();
        let mut pk_rng = stream(self.seed, self.run, "intercept", 0);
        for j in 0..self.s.threats.len() {
            let th = &self.s.threats[j];
            let (t, id) = (th.trajectory.launch_time_s(), th.id.clone());
            let detail = format!(
                "from {:.2},{:.2} toward {:.2},{:.2}; burnout at {:.0} s; impact at {:.0} s",
                th.launch.lat_deg(),
                th.launch.lon_deg(),
                th.aim.lat_deg(),
                th.aim.lon_deg(),
                th.trajectory.burnout_time_s(),
                th.trajectory.impact_time_s()
            );
            self.event(t, "threat_launch", None, id, detail);
        }
        for step in 1..=steps {
            let t0 = (step - 1) as f64 * dt;
            let t = step as f64 * dt;
            self.resolve_intercepts(t, &mut pk_rng);
            self.resolve_impacts(t);
            self.store_truth(t);
            let angles = self.infrared(t0, t);
            let scans = self.look(t0, t, &mut radar_rngs);
            let inboxes = self.deliver(t);
            let outcomes: Vec<Vec<EngagementOutcome>> = (0..self.party_count)
                .map(|p| {
                    self.outcomes_due
                        .iter()
                        .filter(|(td, party, _)| *party == p as u32 && *td <= t + 1e-9)
                        .map(|(_, _, o)| *o)
                        .collect()
                })
                .collect();
            let inputs: Vec<NodeInput> = (0..self.party_count)
                .map(|p| NodeInput {
                    now_s: t,
                    scans: &scans[p],
                    angles: &angles[p],
                    inbox: &inboxes[p],
                    outcomes: &outcomes[p],
                })
                .collect();
            let outputs = self.nodes.step_all(&inputs);
            for e in self.nodes.take_events() {
                self.event(e.t_s, &e.kind, Some(e.party), self.s.parties[e.party as usize].clone(), e.detail);
            }
            for (p, out) in outputs.into_iter().enumerate() {
                self.received[p] += inboxes[p].len() as u32;
                for w in &inboxes[p] {
                    *self.received_by_kind[p].entry(wire_kind(w).to_string()).or_default() += 1;
                }
                self.handle_output(p as u32, t, out, &mut link_rngs);
                self.note_warnings(p);
            }
            self.commonality.add_step(&self.held);
            for h in &mut self.held {
                h.fill(None);
            }
            self.outcomes_due.retain(|(td, _, _)| *td > t + 1e-9);
            if !self.outcomes_only {
                self.score_tracking(t);
            }
            if self.record.is_some() {
                self.record_truth(t);
            }
        }
        self.finish()
    }

    /// Attributes launch notices newly received by party `p` to threats (truth, for reports only).
    fn note_warnings(&mut self, p: usize) {
        let warnings = self.nodes.launch_warnings(p);
        let fresh: Vec<(f64, Option<usize>, String)> = warnings[self.warnings_seen[p]..]
            .iter()
            .map(|(from, n, t)| (*t, threat_of_notice(n, &self.s.threats), from.clone()))
            .collect();
        self.warnings_seen[p] = warnings.len();
        for (t, j, from) in fresh {
            let Some(j) = j else { continue };
            if self.first_warning[p][j].is_none() {
                self.first_warning[p][j] = Some(t);
                let subject = self.s.threats[j].id.clone();
                self.event(
                    t,
                    "launch_warning",
                    Some(p as u32),
                    subject,
                    format!("launch notice from {from}"),
                );
            }
        }
    }

    fn resolve_intercepts(&mut self, t: f64, pk_rng: &mut impl RngExt) {
        for k in 0..self.in_flight.len() {
            let f = self.in_flight[k].clone();
            if f.resolved || f.intercept_s > t {
                continue;
            }
            self.in_flight[k].resolved = true;
            let ti = f.intercept_s;
            let nearest = (0..self.s.threats.len())
                .filter(|&j| self.alive(j, ti))
                .filter_map(|j| self.threat_ecef(j, ti).map(|p| (j, (p.0 - f.aim.0).norm())))
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let bat = &self.s.batteries[f.battery as usize];
            let (divert, ka, pk) = (bat.divert_m, bat.kill_assessment_s, bat.state.pk);
            let draw: f64 = pk_rng.random();
            let (killed, subject, detail) = match nearest {
                Some((j, miss)) if miss <= divert => {
                    let killed = draw < pk;
                    if killed {
                        self.killed[j] = Some((ti, f.owner));
                    }
                    let what = if killed { "destroyed" } else { "survived (Pk draw)" };
                    (
                        killed,
                        self.s.threats[j].id.clone(),
                        format!("{what}; homing miss {:.1} km", miss / 1e3),
                    )
                }
                Some((j, miss)) => (
                    false,
                    self.s.threats[j].id.clone(),
                    format!(
                        "missed: threat {:.1} km from the aim point, beyond the {:.0} km divert",
                        miss / 1e3,
                        divert / 1e3
                    ),
                ),
                None => (false, "none".into(), "missed: no threat near the aim point".into()),
            };
            let bat_id = self.s.batteries[f.battery as usize].state.id.clone();
            self.event(ti, "intercept", Some(f.party), subject, format!("{detail}; battery {bat_id}"));
            self.outcomes_due.push((
                ti + ka,
                f.party,
                EngagementOutcome { engagement_id: f.engagement_id, killed },
            ));
        }
    }

    fn resolve_impacts(&mut self, t: f64) {
        for j in 0..self.s.threats.len() {
            let ti = self.s.threats[j].trajectory.impact_time_s();
            if self.impacted[j] || self.killed[j].is_some() || ti > t {
                continue;
            }
            self.impacted[j] = true;
            let asset = self.asset_hit(j);
            let detail = match &asset {
                Some(a) => format!("leaked: impact inside the footprint of {a}"),
                None => "leaked: impact outside every defended footprint".into(),
            };
            self.event(ti, "impact", None, self.s.threats[j].id.clone(), detail);
        }
    }

    fn asset_hit(&self, j: usize) -> Option<String> {
        let tr = &self.s.threats[j].trajectory;
        let p = tr.ecef_at(tr.impact_time_s(), &self.s.rotation)?.0;
        self.s
            .assets
            .iter()
            .find(|a| (a.position.to_ecef().0 - p.0).norm() <= a.radius_m)
            .map(|a| a.id.clone())
    }

    /// Infrared early warning over (t0, t]: satellite looks at the boosting threats, reports arriving
    /// by t (first report of each threat per party logged as `ir_warning`), cues for the radars; returns
    /// each party's reports for its tracker.
    fn infrared(&mut self, t0: f64, t: f64) -> Vec<Vec<shieldnet_tracking::angle_tracking::AngleReport>> {
        let mut reports = vec![Vec::new(); self.party_count];
        if self.early_warning.is_empty() {
            return reports;
        }
        let mut ew = std::mem::take(&mut self.early_warning);
        ew.observe(t0, t, |lt| {
            (0..self.s.threats.len())
                .filter(|&j| self.alive(j, lt) && self.s.threats[j].thrusting(lt))
                .filter_map(|j| {
                    let position = self.threat_ecef(j, lt)?;
                    Some(IrTarget { truth: j as u32, position, thrusting: true })
                })
                .collect()
        });
        for a in ew.deliver(t) {
            reports[a.party as usize].push(ew.report(&a));
            let Some(j) = a.detection.truth else { continue };
            let (p, j) = (a.party as usize, j as usize);
            if !self.first_ir[p][j] {
                self.first_ir[p][j] = true;
                let sat = ew.satellite_id(a.detection.satellite).to_string();
                let how = if a.triangulated { "triangulated" } else { "line of sight only" };
                let detail = format!("by {sat}, observed at {:.0} s ({how})", a.detection.time_s);
                let subject = self.s.threats[j].id.clone();
                self.event(a.t_s, "ir_warning", Some(p as u32), subject, detail);
            }
        }
        self.early_warning = ew;
        reports
    }

    /// Per-party tracking metrics every `party_metrics::INTERVAL_S`: own confirmed tracks, predicted
    /// to the instant, against the threats flying (truth for reports only).
    fn score_tracking(&mut self, t: f64) {
        let k = (t / crate::party_metrics::INTERVAL_S).round();
        if (t - k * crate::party_metrics::INTERVAL_S).abs() > 1e-9 {
            return;
        }
        let truths: Vec<(u64, shieldnet_earth::Vec3)> = (0..self.s.threats.len())
            .filter(|&j| self.alive(j, t))
            .filter_map(|j| self.threat_ecef(j, t).map(|p| (j as u64, p.0)))
            .collect();
        for (p, acc) in self.party_metrics.iter_mut().enumerate() {
            let tracks: Vec<(u64, shieldnet_earth::Vec3)> = self
                .nodes
                .tracks(p)
                .iter()
                .filter(|tr| tr.is_confirmed())
                .map(|tr| {
                    // Predicted to t with the ballistic model (a track's time is its last look's).
                    let x = shieldnet_tracking::motion::propagate(&tr.state, t - tr.time_s);
                    (tr.id as u64, shieldnet_earth::Vec3::new(x[0], x[1], x[2]))
                })
                .collect();
            acc.step(&truths, &tracks);
        }
    }

    /// First detections (events) and recorded rows of one look of radar `r`.
    fn note_scan(&mut self, r: usize, lt: f64, scan: &Scan) {
        let radar = &self.s.radars[r];
        let p = radar.party as usize;
        for d in &scan.detections {
            if let Some(j) = d.truth
                && self.first_detection[p][j as usize].is_none()
            {
                self.first_detection[p][j as usize] = Some(lt);
                let subject = self.s.threats[j as usize].id.clone();
                let detail = format!("by {}", self.s.radars[r].spec.id);
                self.event(lt, "first_detection", Some(p as u32), subject, detail);
            }
        }
        if let Some(rec) = &mut self.record {
            let radar = &self.s.radars[r];
            for d in &scan.detections {
                rec.detections.push(DetectionRow {
                    t_s: lt,
                    party: self.s.parties[p].clone(),
                    radar: radar.spec.id.clone(),
                    range_m: d.measured.range_m,
                    az_deg: d.measured.az_rad.to_degrees(),
                    el_deg: d.measured.el_rad.to_degrees(),
                    sigma_range_m: d.sigma[0],
                    sigma_az_mrad: d.sigma[1] * 1e3,
                    sigma_el_mrad: d.sigma[2] * 1e3,
                    truth: d.truth.map(|j| self.s.threats[j as usize].id.clone()).unwrap_or_default(),
                });
            }
        }
    }

    /// Radar `r`'s track-mode looks in (t0, t]: one windowed look per confirmed own track inside its
    /// volume (`sim::track_mode`).
    fn track_looks(
        &mut self,
        r: usize,
        t0: f64,
        t: f64,
        rng: &mut rand_chacha::ChaCha8Rng,
        scans: &mut [Vec<Scan>],
    ) {
        let p = self.s.radars[r].party as usize;
        for lt in self.s.radars[r].track_look_times(t0, t) {
            let targets = self.targets_at(lt);
            let windows = crate::track_mode::windows(&self.s.radars[r], self.nodes.tracks(p), lt);
            for w in windows {
                let scan = self.s.radars[r].look_window(lt, &targets, &w, rng);
                self.note_scan(r, lt, &scan);
                scans[p].push(scan);
            }
        }
    }

    /// The threats flying at `t` as radar targets (truth index, position, velocity, RCS).
    fn targets_at(&self, t: f64) -> Vec<Target> {
        (0..self.s.threats.len())
            .filter(|&j| self.alive(j, t))
            .filter_map(|j| {
                let th = &self.s.threats[j];
                let (position, velocity) = self.threat_state(j, t)?;
                Some(Target { truth: j as u32, position, velocity, rcs_m2: th.rcs_m2(t) })
            })
            .collect()
    }

    /// Every radar's looks in (t0, t], grouped by owning party, in (time, radar) order.
    fn look(&mut self, t0: f64, t: f64, rngs: &mut [rand_chacha::ChaCha8Rng]) -> Vec<Vec<Scan>> {
        let mut scans: Vec<Vec<Scan>> = vec![Vec::new(); self.party_count];
        let mut look_targets = crate::look_targets::LookTargets::default();
        for (r, rng) in rngs.iter_mut().enumerate() {
            let times: Vec<f64> = self.s.radars[r].look_times(t0, t).collect();
            for lt in times {
                let targets = look_targets.at(lt, || self.targets_at(lt));
                let radar = &self.s.radars[r];
                let cue = self.early_warning.cue_for(radar.party, radar, lt);
                let scan = radar.look_targets(lt, targets, cue.as_ref(), rng);
                let p = radar.party as usize;
                self.note_scan(r, lt, &scan);
                scans[p].push(scan);
            }
            self.track_looks(r, t0, t, rng, &mut scans);
        }
        for s in &mut scans {
            s.sort_by(|a, b| a.time_s.total_cmp(&b.time_s).then(a.radar.cmp(&b.radar)));
        }
        scans
    }

    /// Messages due by `t`, per recipient, in (delivery time, sender, sequence) order.
    fn deliver(&mut self, t: f64) -> Vec<Vec<Wire>> {
        let mut due: Vec<Pending> = Vec::new();
        let mut keep = Vec::with_capacity(self.pending.len());
        for m in self.pending.drain(..) {
            if m.deliver_s <= t + 1e-9 { due.push(m) } else { keep.push(m) }
        }
        self.pending = keep;
        due.sort_by(|a, b| {
            a.deliver_s
                .total_cmp(&b.deliver_s)
                .then(a.from.cmp(&b.from))
                .then(a.wire.seq().cmp(&b.wire.seq()))
        });
        let mut inboxes = vec![Vec::new(); self.party_count];
        for m in due {
            inboxes[m.to as usize].push(m.wire);
        }
        inboxes
    }

    fn handle_output(
        &mut self,
        p: u32,
        t: f64,
        out: shieldnet_node::NodeOutput,
        link_rngs: &mut [rand_chacha::ChaCha8Rng],
    ) {
        for o in out.outgoing {
            let Some(to) = self.s.parties.iter().position(|x| *x == o.to) else { continue };
            // Only agreed links carry data: a message without an agreement never leaves its party.
            let Some(k) = self.s.agreements.iter().position(|a| a.from == p && a.to == to as u32) else {
                continue;
            };
            self.sent[p as usize] += 1;
            let a = &self.s.agreements[k];
            let lost = a.loss > 0.0 && link_rngs[k].random::<f64>() < a.loss;
            if !lost {
                let jitter = if a.jitter_s > 0.0 { link_rngs[k].random::<f64>() * a.jitter_s } else { 0.0 };
                self.pending.push(Pending {
                    deliver_s: t + a.latency_s + jitter,
                    from: p,
                    to: to as u32,
                    wire: o.wire,
                });
            }
        }
        for u in &out.aim_updates {
            if let Some(f) = self
                .in_flight
                .iter_mut()
                .find(|f| f.party == p && f.engagement_id == u.engagement_id && !f.resolved)
            {
                f.aim = u.aim_point;
            }
        }
        for l in out.launches {
            let bat = &self.s.batteries[l.battery as usize];
            // A node fires only the batteries it commands: its party's own (a joint manager's in M5).
            if !self.s.nodes[p as usize].batteries.iter().any(|b| b.index == l.battery) {
                continue;
            }
            let owner = bat.party;
            let from = bat.state.site.to_ecef();
            let target = (0..self.s.threats.len())
                .filter(|&j| self.alive(j, l.intercept_time_s))
                .filter_map(|j| {
                    self.threat_ecef(j, l.intercept_time_s).map(|x| (j, (x.0 - l.aim_point.0).norm()))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .filter(|(_, d)| *d < 100e3)
                .map(|(j, _)| j);
            if let Some(j) = target {
                if self.handover_error[j][p as usize].is_none()
                    && let Some(truth) = self.threat_ecef(j, t)
                {
                    self.handover_error[j][p as usize] = out
                        .picture
                        .iter()
                        .map(|f| (f.state.fixed_rows::<3>(0).into_owned() - truth.0).norm())
                        .min_by(f64::total_cmp);
                }
                self.fired[j][owner as usize] += 1;
                if self.in_flight.iter().any(|f| !f.resolved && f.party != p && f.target == Some(j)) {
                    self.double_engagements += 1;
                }
            }
            self.in_flight.push(InFlight {
                party: p,
                owner,
                engagement_id: l.engagement_id,
                battery: l.battery,
                launch_s: t,
                intercept_s: l.intercept_time_s,
                from,
                aim: l.aim_point,
                target,
                resolved: false,
            });
        }
        for e in out.events {
            if let NodeEvent::TrackConfirmed { .. } = e {
                self.tracks_confirmed[p as usize] += 1;
            }
            if self.outcomes_only {
                continue;
            }
            let (kind, subject, detail) = match e {
                NodeEvent::TrackConfirmed { track } => {
                    ("track_confirmed", format!("track {track}"), String::new())
                }
                NodeEvent::TrackDeleted { track } => {
                    ("track_deleted", format!("track {track}"), String::new())
                }
                NodeEvent::EngagementPlanned {
                    engagement,
                    track,
                    battery,
                    launch_time_s,
                    intercept_time_s,
                    ..
                } => (
                    "engagement_planned",
                    format!("engagement {engagement}"),
                    format!(
                        "track {track} by {battery}: launch at {launch_time_s:.0} s, intercept at {intercept_time_s:.0} s"
                    ),
                ),
                NodeEvent::EngagementCancelled { engagement, reason } => {
                    ("engagement_cancelled", format!("engagement {engagement}"), reason)
                }
                NodeEvent::InterceptorLaunched { engagement, battery } => {
                    ("interceptor_launched", format!("engagement {engagement}"), format!("from {battery}"))
                }
                NodeEvent::KillAssessed { engagement, killed } => (
                    "kill_assessment",
                    format!("engagement {engagement}"),
                    if killed { "killed".into() } else { "missed".into() },
                ),
            };
            self.event(t, kind, Some(p), subject, detail);
        }
        // Which threats the party's picture holds (truth association for reports only).
        for j in 0..self.s.threats.len() {
            if !self.alive(j, t) {
                continue;
            }
            let Some(pos) = self.threat_ecef(j, t) else { continue };
            let mut nearest = TRACK_TRUTH_GATE_M;
            for f in &out.picture {
                let d = ((f.state.fixed_rows::<3>(0).into_owned()) - pos.0).norm();
                if d > TRACK_TRUTH_GATE_M {
                    continue;
                }
                let pi = p as usize;
                if d <= nearest {
                    nearest = d;
                    self.held[pi][j] = Some(f.state.fixed_rows::<3>(0).into_owned());
                }
                if self.first_picture[pi][j].is_none() {
                    self.first_picture[pi][j] = Some(t);
                }
                if f.local.is_some() && self.first_own[pi][j].is_none() {
                    self.first_own[pi][j] = Some(t);
                }
            }
        }
        if let Some(rec) = &mut self.record {
            for f in &out.picture {
                let pos = Ecef(f.state.fixed_rows::<3>(0).into_owned());
                let g = pos.to_geodetic();
                let source = match (f.local.is_some(), f.partners.is_empty()) {
                    (true, true) => "own",
                    (true, false) => "fused",
                    _ => "partner",
                };
                debug_assert!(f.local.is_some() || f.id >= PARTNER_ID_BASE);
                rec.tracks.push(TrackRow {
                    t_s: t,
                    party: self.s.parties[p as usize].clone(),
                    track: f.id,
                    source: source.into(),
                    lat_deg: g.lat_deg(),
                    lon_deg: g.lon_deg(),
                    alt_m: g.alt_m,
                    x_m: pos.0.x,
                    y_m: pos.0.y,
                    z_m: pos.0.z,
                    vx_m_s: f.state[3],
                    vy_m_s: f.state[4],
                    vz_m_s: f.state[5],
                    sigma_pos_m: ((f.cov[(0, 0)] + f.cov[(1, 1)] + f.cov[(2, 2)]) / 3.0).sqrt(),
                });
            }
        }
    }

    fn record_truth(&mut self, t: f64) {
        let mut rows = Vec::new();
        for j in 0..self.s.threats.len() {
            if !self.alive(j, t) {
                continue;
            }
            if let Some(p) = self.threat_ecef(j, t) {
                rows.push(truth_row(t, &self.s.threats[j].id, "threat", p));
            }
        }
        for f in &self.in_flight {
            if t >= f.launch_s && t <= f.intercept_s {
                let u = (t - f.launch_s) / (f.intercept_s - f.launch_s).max(1e-9);
                let p = Ecef(f.from.0 + (f.aim.0 - f.from.0) * u);
                let id = format!("{}-E{}", self.s.parties[f.party as usize], f.engagement_id);
                rows.push(truth_row(t, &id, "interceptor", p));
            }
        }
        if let Some(rec) = &mut self.record {
            rec.truth.extend(rows);
        }
    }

    fn finish(mut self) -> (RunReport, Option<RunRecord>) {
        let end = self.scn.scenario.duration_s;
        let parties = self.s.parties.clone();
        let mut finals: Vec<NodeFinish> = (0..self.party_count).map(|p| self.nodes.finish(p, end)).collect();
        let per_party = |v: &Vec<Vec<Option<f64>>>, j: usize| -> BTreeMap<String, Option<f64>> {
            parties.iter().enumerate().map(|(p, id)| (id.clone(), v[p][j])).collect()
        };
        let threats: Vec<ThreatReport> = (0..self.s.threats.len())
            .map(|j| {
                let th = &self.s.threats[j];
                let tr = &th.trajectory;
                let outcome = match (self.killed[j], self.impacted[j]) {
                    (Some(_), _) => Outcome::Intercepted,
                    (None, true) => Outcome::Leaked,
                    _ => Outcome::InFlight,
                };
                ThreatReport {
                    id: th.id.clone(),
                    raid: th.raid.clone(),
                    launch_time_s: tr.launch_time_s(),
                    launch_lat_deg: th.launch.lat_deg(),
                    launch_lon_deg: th.launch.lon_deg(),
                    aim_lat_deg: th.aim.lat_deg(),
                    aim_lon_deg: th.aim.lon_deg(),
                    impact_time_s: tr.impact_time_s(),
                    outcome,
                    intercepted_by: self.killed[j].map(|(_, p)| parties[p as usize].clone()),
                    intercept_time_s: self.killed[j].map(|(t, _)| t),
                    asset_hit: if outcome == Outcome::Leaked { self.asset_hit(j) } else { None },
                    interceptors_fired: parties
                        .iter()
                        .enumerate()
                        .filter(|(p, _)| self.fired[j][*p] > 0)
                        .map(|(p, id)| (id.clone(), self.fired[j][p]))
                        .collect(),
                    first_detection_s: per_party(&self.first_detection, j),
                    first_own_track_s: per_party(&self.first_own, j),
                    first_picture_s: per_party(&self.first_picture, j),
                    first_warning_s: per_party(&self.first_warning, j),
                    handover_error_m: parties
                        .iter()
                        .enumerate()
                        .filter_map(|(p, id)| self.handover_error[j][p].map(|e| (id.clone(), e)))
                        .collect(),
                }
            })
            .collect();
        let party_reports = parties
            .iter()
            .enumerate()
            .map(|(p, id)| PartyReport {
                id: id.clone(),
                interceptors_fired: self.in_flight.iter().filter(|f| f.owner == p as u32).count() as u32,
                tracks_confirmed: self.tracks_confirmed[p],
                messages_sent: self.sent[p],
                messages_received: self.received[p],
                messages_rejected: finals[p].rejected_messages,
                messages_received_by_kind: self.received_by_kind[p].clone(),
                warning_gained_s: (0..self.s.threats.len())
                    .map(|j| {
                        let gain = match (self.first_own[p][j], self.first_picture[p][j]) {
                            (Some(own), Some(pic)) => Some(own - pic),
                            _ => None,
                        };
                        (self.s.threats[j].id.clone(), gain)
                    })
                    .collect(),
                tracking: self.party_metrics[p].finish(),
            })
            .collect();
        self.events.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
        if let Some(rec) = &mut self.record {
            for (p, fin) in finals.iter_mut().enumerate() {
                if let Some(log) = fin.audit_log.take() {
                    rec.audit_logs.push((parties[p].clone(), log));
                }
            }
            rec.audit_trust = self.s.nodes.first().and_then(|n| n.audit.as_ref()).map(|a| a.trust.clone());
            if rec.audit_trust.is_some() && !self.scn.policies.is_empty() {
                rec.audit_policy = Some(crate::policy_setup::policy_set(self.scn));
            }
        }
        let report = RunReport {
            scenario: self.scn.scenario.name.clone(),
            seed: self.seed,
            mode: format!("{:?}", self.scn.cooperation.mode),
            duration_s: end,
            threats,
            parties: party_reports,
            double_engagements: self.double_engagements,
            commonality: self.commonality.finish(&parties),
            events: std::mem::take(&mut self.events),
        };
        (report, self.record)
    }
}

fn truth_row(t: f64, id: &str, kind: &str, p: Ecef) -> TruthRow {
    let g = p.to_geodetic();
    TruthRow {
        t_s: t,
        object: id.into(),
        kind: kind.into(),
        lat_deg: g.lat_deg(),
        lon_deg: g.lon_deg(),
        alt_m: g.alt_m,
        x_m: p.0.x,
        y_m: p.0.y,
        z_m: p.0.z,
    }
}
