//! The world's side: party nodes that live in other processes, reached over a [`Transport`].
//!
//! **Lockstep** (the default): every step the world sends each node its input and waits for every
//! answer before it moves on; partner messages travel inside the step frames (node → world → node) and
//! the world applies each sharing agreement's latency and loss exactly as in-process. So a lockstep
//! run gives the same report as the in-process run of the same scenario and seed.
//!
//! **Real time**: the world paces simulated time against the wall clock (times a rate) and never waits;
//! nodes send partner messages to each other directly and answer when they can; outputs are applied
//! when they arrive.
//!
//! Faults: a node that does not answer within [`Timing::answer`] is marked down (event `node_down`) and
//! gets no input until it says hello again (event `node_up`); a node that restarts mid-run (new
//! instance id) is noted (`node_restarted`). Unusable frames are counted and dropped.

use crate::frames::{Body, StepFrame, WireFrame, decode, encode};
use crate::topics;
use crate::transport::{NetError, Received, Transport};
use shieldnet_node::{NodeInput, NodeOutput};
use shieldnet_sim::{HostEvent, NodeFinish, NodeHost, ReceivedNotice};
use shieldnet_tracking::Track;
use std::time::{Duration, Instant};

/// How long the world waits.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// For every node's first hello.
    pub startup: Duration,
    /// For a node's answer before marking it down.
    pub answer: Duration,
    /// Between re-sends of an unanswered frame.
    pub retry: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            startup: Duration::from_secs(60),
            answer: Duration::from_secs(5),
            retry: Duration::from_millis(250),
        }
    }
}

/// Lockstep or real time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// Wait for every node every step (reproducible).
    Lockstep,
    /// Simulated seconds per wall-clock second; nodes are never waited for.
    RealTime {
        /// Simulated seconds per wall second (1 = real time).
        rate: f64,
    },
}

/// Party nodes in other processes.
pub struct RemoteNodes<T: Transport> {
    t: T,
    run: String,
    parties: Vec<String>,
    instance: Vec<Option<u64>>,
    pace: Pace,
    timing: Timing,
    step: u64,
    wall_start: Option<(Instant, f64)>,
    last_answer: Vec<Instant>,
    events: Vec<HostEvent>,
    late: Vec<NodeOutput>,
    tracks: Vec<Vec<Track>>,
    warnings: Vec<Vec<ReceivedNotice>>,
    now_s: f64,
    /// Frames that were not usable (malformed, unknown party, wrong step...).
    pub rejected_frames: u64,
}

impl<T: Transport> RemoteNodes<T> {
    /// Waits until every party's node has said hello.
    pub fn connect(
        t: T,
        run: &str,
        parties: &[String],
        pace: Pace,
        timing: Timing,
    ) -> Result<Self, NetError> {
        let n = parties.len();
        let mut host = Self {
            t,
            run: run.to_string(),
            parties: parties.to_vec(),
            instance: vec![None; n],
            pace,
            timing,
            step: 0,
            wall_start: None,
            last_answer: vec![Instant::now(); n],
            events: Vec::new(),
            late: vec![NodeOutput::default(); n],
            tracks: vec![Vec::new(); n],
            warnings: vec![Vec::new(); n],
            now_s: 0.0,
            rejected_frames: 0,
        };
        let deadline = Instant::now() + timing.startup;
        while host.instance.iter().any(Option::is_none) {
            let now = Instant::now();
            if now >= deadline {
                let missing: Vec<&str> = host
                    .parties
                    .iter()
                    .zip(&host.instance)
                    .filter(|(_, i)| i.is_none())
                    .map(|(p, _)| p.as_str())
                    .collect();
                return Err(NetError::Timeout(format!(
                    "no node process said hello for {} within {:?}",
                    missing.join(", "),
                    timing.startup
                )));
            }
            if let Some(r) = host.t.recv_timeout(deadline - now)? {
                host.handle(r, None);
            }
        }
        host.events.clear();
        Ok(host)
    }

    fn party_of(&self, name: &str) -> Option<usize> {
        self.parties.iter().position(|p| p == name)
    }

    /// Handles one received frame; a step answer for `want_step` is returned.
    fn handle(&mut self, r: Received, want_step: Option<u64>) -> Option<(usize, Body)> {
        let body = match decode(&r.payload) {
            Ok(b) => b,
            Err(_) => {
                self.rejected_frames += 1;
                return None;
            }
        };
        // The key names the sender; the frame must agree with it.
        let key_party = r.key.rsplit('/').next().unwrap_or("");
        match body {
            Body::Hello { party, instance } if party == key_party => {
                let Some(p) = self.party_of(&party) else {
                    self.rejected_frames += 1;
                    return None;
                };
                match self.instance[p] {
                    None if self.step > 0 => {
                        self.events.push(self.host_event(p, "node_up", "node said hello"))
                    }
                    Some(old) if old != instance => {
                        self.events.push(self.host_event(p, "node_restarted", "new node instance"))
                    }
                    _ => {}
                }
                self.instance[p] = Some(instance);
                self.last_answer[p] = Instant::now();
                None
            }
            Body::StepDone { party, step, output } if party == key_party => {
                let p = self.party_of(&party)?;
                self.instance[p]?;
                self.last_answer[p] = Instant::now();
                match (self.pace, want_step) {
                    (Pace::Lockstep, Some(s)) if s == step => {
                        Some((p, Body::StepDone { party, step, output }))
                    }
                    (Pace::RealTime { .. }, _) if step <= self.step => {
                        let mut output = output;
                        self.tracks[p] = std::mem::take(&mut output.tracks);
                        self.warnings[p].append(&mut output.new_warnings);
                        match output.to_output() {
                            Ok(out) => merge(&mut self.late[p], out),
                            Err(_) => self.rejected_frames += 1,
                        }
                        None
                    }
                    _ => None, // A late duplicate of an answered step.
                }
            }
            Body::Finished { party, finish } if party == key_party => {
                let p = self.party_of(&party)?;
                Some((p, Body::Finished { party, finish }))
            }
            _ => {
                self.rejected_frames += 1;
                None
            }
        }
    }

    fn host_event(&self, p: usize, kind: &str, detail: &str) -> HostEvent {
        HostEvent { t_s: self.now_s, party: p as u32, kind: kind.into(), detail: detail.into() }
    }

    fn mark_down(&mut self, p: usize, why: String) {
        self.instance[p] = None;
        self.events.push(HostEvent {
            t_s: self.now_s,
            party: p as u32,
            kind: "node_down".into(),
            detail: why,
        });
    }

    fn step_lockstep(&mut self, frames: &[Option<Vec<u8>>]) -> Vec<NodeOutput> {
        let n = self.parties.len();
        let mut outs: Vec<Option<NodeOutput>> = vec![None; n];
        let start = Instant::now();
        let mut last_send = start;
        let waiting = |outs: &[Option<NodeOutput>], inst: &[Option<u64>], frames: &[Option<Vec<u8>>]| {
            (0..outs.len()).any(|p| outs[p].is_none() && inst[p].is_some() && frames[p].is_some())
        };
        while waiting(&outs, &self.instance, frames) && start.elapsed() < self.timing.answer {
            let wait = self.timing.retry.saturating_sub(last_send.elapsed()).max(Duration::from_micros(50));
            let got = match self.t.recv_timeout(wait) {
                Ok(g) => g,
                Err(_) => break,
            };
            if let Some(r) = got
                && let Some((p, Body::StepDone { mut output, .. })) = self.handle(r, Some(self.step))
                && outs[p].is_none()
            {
                self.tracks[p] = std::mem::take(&mut output.tracks);
                self.warnings[p].append(&mut output.new_warnings);
                match output.to_output() {
                    Ok(o) => outs[p] = Some(o),
                    Err(_) => self.rejected_frames += 1,
                }
            }
            if last_send.elapsed() >= self.timing.retry {
                for p in 0..n {
                    if outs[p].is_none()
                        && self.instance[p].is_some()
                        && let Some(f) = &frames[p]
                    {
                        let _ = self.t.publish(&topics::to_node(&self.run, &self.parties[p]), f);
                    }
                }
                last_send = Instant::now();
            }
        }
        for p in 0..n {
            if outs[p].is_none() && self.instance[p].is_some() && frames[p].is_some() {
                let why = format!("no answer to step {} within {:?}", self.step, self.timing.answer);
                self.mark_down(p, why);
            }
        }
        outs.into_iter().map(Option::unwrap_or_default).collect()
    }

    fn step_realtime(&mut self, rate: f64) -> Vec<NodeOutput> {
        let (w0, s0) = *self.wall_start.get_or_insert((Instant::now(), self.now_s));
        let due = w0 + Duration::from_secs_f64(((self.now_s - s0) / rate).max(0.0));
        loop {
            let now = Instant::now();
            if now >= due {
                break;
            }
            match self.t.recv_timeout(due - now) {
                Ok(Some(r)) => {
                    self.handle(r, None);
                }
                Ok(None) => break,
                Err(_) => break,
            }
        }
        for p in 0..self.parties.len() {
            if self.instance[p].is_some() && self.last_answer[p].elapsed() > self.timing.answer {
                let why = format!("silent for more than {:?}", self.timing.answer);
                self.mark_down(p, why);
            }
        }
        self.late.iter_mut().map(std::mem::take).collect()
    }
}

/// Folds a late real-time output into what the world will see this step.
fn merge(into: &mut NodeOutput, out: NodeOutput) {
    into.outgoing.extend(out.outgoing);
    into.launches.extend(out.launches);
    into.aim_updates.extend(out.aim_updates);
    into.events.extend(out.events);
    into.picture = out.picture;
}

impl<T: Transport> NodeHost for RemoteNodes<T> {
    fn step_all(&mut self, inputs: &[NodeInput<'_>]) -> Vec<NodeOutput> {
        self.step += 1;
        self.now_s = inputs.first().map_or(self.now_s, |i| i.now_s);
        let realtime = matches!(self.pace, Pace::RealTime { .. });
        let frames: Vec<Option<Vec<u8>>> = inputs
            .iter()
            .enumerate()
            .map(|(p, input)| {
                self.instance[p]?;
                let frame = StepFrame {
                    step: self.step,
                    now_s: input.now_s,
                    scans: input.scans.to_vec(),
                    angles: input.angles.to_vec(),
                    inbox: if realtime {
                        Vec::new()
                    } else {
                        input.inbox.iter().map(WireFrame::from_wire).collect()
                    },
                    outcomes: input.outcomes.to_vec(),
                };
                Some(encode(&Body::Step(frame)))
            })
            .collect();
        for (p, f) in frames.iter().enumerate() {
            if let Some(f) = f {
                let _ = self.t.publish(&topics::to_node(&self.run, &self.parties[p]), f);
            }
        }
        match self.pace {
            Pace::Lockstep => self.step_lockstep(&frames),
            Pace::RealTime { rate } => self.step_realtime(rate),
        }
    }

    fn tracks(&self, p: usize) -> &[Track] {
        &self.tracks[p]
    }

    fn launch_warnings(&self, p: usize) -> &[ReceivedNotice] {
        &self.warnings[p]
    }

    fn take_events(&mut self) -> Vec<HostEvent> {
        std::mem::take(&mut self.events)
    }

    fn finish(&mut self, p: usize, t_s: f64) -> NodeFinish {
        if self.instance[p].is_none() {
            return NodeFinish::default();
        }
        let key = topics::to_node(&self.run, &self.parties[p]);
        let frame = encode(&Body::Finish { t_s });
        let start = Instant::now();
        let mut last_send: Option<Instant> = None;
        while start.elapsed() < self.timing.answer {
            if last_send.is_none_or(|l| l.elapsed() >= self.timing.retry) {
                let _ = self.t.publish(&key, &frame);
                last_send = Some(Instant::now());
            }
            if let Ok(Some(r)) = self.t.recv_timeout(self.timing.retry)
                && let Some((q, Body::Finished { finish, .. })) = self.handle(r, None)
                && q == p
            {
                return finish;
            }
        }
        self.mark_down(p, "no answer to the end of the run".into());
        NodeFinish::default()
    }
}
