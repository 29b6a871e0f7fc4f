//! The node's side: one party node served over a [`Transport`] until the world ends the run.
//!
//! The node says hello until the world's first step arrives, answers every step frame (a repeated
//! step gets the same answer again, so the world may re-send freely), and in real-time mode sends
//! partner messages straight to the partners' keys and takes theirs from its own. Everything it
//! receives is untrusted: frames that do not decode, claim another step, or come on the wrong key are
//! counted and dropped; partner messages are checked by the [`PartyNode`] (signature, replay, age).

use crate::faults::Faults;
use crate::frames::{Body, OutputFrame, WireFrame, decode, encode};
use crate::topics;
use crate::transport::{NetError, Transport};
use shieldnet_node::{NodeInput, PartyNode, Wire};
use shieldnet_sim::NodeFinish;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Most partner messages held between two steps in real-time mode; beyond it the oldest are dropped.
pub const MAX_PENDING_PARTNER_MESSAGES: usize = 10_000;

/// How a node process behaves.
#[derive(Debug, Clone)]
pub struct NodeOptions {
    /// Run name (first key segment after `shieldnet/`).
    pub run: String,
    /// Real-time mode: partner messages go node to node.
    pub realtime: bool,
    /// Give up when the world has been silent this long.
    pub idle_timeout: Duration,
    /// Fault injection on outgoing partner messages.
    pub faults: Faults,
    /// Random id of this process instance.
    pub instance: u64,
}

/// What a node process did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeSummary {
    /// Steps processed.
    pub steps: u64,
    /// Frames dropped as unusable.
    pub rejected_frames: u64,
    /// Partner messages dropped because too many were pending.
    pub shed_messages: u64,
    /// Whether the world ended the run (rather than going silent).
    pub finished: bool,
}

/// Serves `node` until the world ends the run or goes silent.
pub fn serve_node<T: Transport>(
    t: &T,
    mut node: PartyNode,
    opts: &NodeOptions,
) -> Result<NodeSummary, NetError> {
    let party = node.party_id().to_string();
    let my_key = topics::to_node(&opts.run, &party);
    let world_key = topics::to_world(&opts.run, &party);
    let hello = encode(&Body::Hello { party: party.clone(), instance: opts.instance });
    let mut faults = opts.faults.clone();
    let mut summary = NodeSummary::default();
    let mut last: Option<(u64, Vec<u8>)> = None;
    let mut finished: Option<Vec<u8>> = None;
    let mut partner_inbox: VecDeque<Wire> = VecDeque::new();
    let mut last_heard = Instant::now();
    let mut last_hello: Option<Instant> = None;
    let mut warnings_sent = 0usize;
    loop {
        if last.is_none() && last_hello.is_none_or(|h| h.elapsed() >= Duration::from_millis(100)) {
            t.publish(&world_key, &hello)?;
            last_hello = Some(Instant::now());
        }
        let Some(r) = t.recv_timeout(Duration::from_millis(50))? else {
            if last_heard.elapsed() > opts.idle_timeout {
                if finished.is_some() {
                    return Ok(summary);
                }
                return Err(NetError::Timeout(format!(
                    "the world has been silent for {:?}",
                    opts.idle_timeout
                )));
            }
            continue;
        };
        let body = match decode(&r.payload) {
            Ok(b) => b,
            Err(_) => {
                summary.rejected_frames += 1;
                continue;
            }
        };
        if r.key != my_key {
            // Only partner messages arrive on other keys (real-time mode).
            match body {
                Body::Partner(w) if opts.realtime => match w.to_wire() {
                    Ok(w) => {
                        if partner_inbox.len() >= MAX_PENDING_PARTNER_MESSAGES {
                            partner_inbox.pop_front();
                            summary.shed_messages += 1;
                        }
                        partner_inbox.push_back(w);
                    }
                    Err(_) => summary.rejected_frames += 1,
                },
                _ => summary.rejected_frames += 1,
            }
            continue;
        }
        last_heard = Instant::now();
        match body {
            Body::Step(sf) => {
                if let Some((s, bytes)) = &last {
                    if sf.step == *s {
                        t.publish(&world_key, bytes)?;
                        continue;
                    }
                    if sf.step < *s {
                        continue;
                    }
                } else if sf.step > 1 {
                    // Joining (or re-joining) mid-run: never reuse sequence numbers partners have seen.
                    node.resume_sequence_after(sf.step << 24);
                }
                let mut inbox = Vec::with_capacity(sf.inbox.len() + partner_inbox.len());
                for w in &sf.inbox {
                    match w.to_wire() {
                        Ok(w) => inbox.push(w),
                        Err(_) => summary.rejected_frames += 1,
                    }
                }
                inbox.extend(partner_inbox.drain(..));
                let mut out = node.step(NodeInput {
                    now_s: sf.now_s,
                    scans: &sf.scans,
                    angles: &sf.angles,
                    inbox: &inbox,
                    outcomes: &sf.outcomes,
                });
                out.outgoing = faults.apply(std::mem::take(&mut out.outgoing));
                if opts.realtime {
                    for o in out.outgoing.drain(..) {
                        let w = WireFrame::from_wire(&o.wire);
                        let key = topics::wire(&opts.run, &o.to, w.kind(), &party);
                        t.publish(&key, &encode(&Body::Partner(w)))?;
                    }
                }
                let warnings = node.launch_warnings();
                let output = OutputFrame::from_output(
                    &out,
                    node.tracker().tracks(),
                    &warnings[warnings_sent.min(warnings.len())..],
                );
                warnings_sent = warnings.len();
                let reply = encode(&Body::StepDone { party: party.clone(), step: sf.step, output });
                t.publish(&world_key, &reply)?;
                summary.steps += 1;
                last = Some((sf.step, reply));
            }
            Body::Finish { t_s } => {
                let reply = finished.get_or_insert_with(|| {
                    let finish = NodeFinish {
                        rejected_messages: node.rejected_messages().values().sum(),
                        audit_log: node.finish_audit(t_s),
                    };
                    encode(&Body::Finished { party: party.clone(), finish })
                });
                t.publish(&world_key, reply)?;
                summary.finished = true;
                // Stay a moment to answer a repeated request if this answer is lost.
                let linger = Instant::now();
                while linger.elapsed() < Duration::from_millis(300) {
                    if let Some(r) = t.recv_timeout(Duration::from_millis(50))?
                        && r.key == my_key
                        && matches!(decode(&r.payload), Ok(Body::Finish { .. }))
                    {
                        t.publish(&world_key, reply)?;
                    }
                }
                return Ok(summary);
            }
            _ => summary.rejected_frames += 1,
        }
    }
}
