//! A lockstep run with every party node served over a transport (here the in-process bus, each node
//! on its own thread) gives exactly the in-process run's report; a node that stops answering is marked
//! down and the others carry on.

use shieldnet_net::{MemoryBus, NodeOptions, Pace, RemoteNodes, Timing, serve_node, topics};
use shieldnet_node::PartyNode;
use shieldnet_sim::build::build;
use shieldnet_sim::scenario::load_builtin;
use shieldnet_sim::{RunOptions, attach_simulation_keys, run, run_with_host, seed_share_noise};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

fn node_options(run: &str) -> NodeOptions {
    NodeOptions {
        run: run.into(),
        realtime: false,
        idle_timeout: Duration::from_secs(20),
        faults: Default::default(),
        instance: 7,
    }
}

#[test]
fn lockstep_over_a_transport_equals_the_in_process_run() {
    let scn = load_builtin("epaa-2015").unwrap();
    let opts =
        RunOptions { seed: Some(2011), run_index: 0, record: false, audit: true, outcomes_only: false };
    let (local, _) = run(&scn, &opts).unwrap();

    let mut setup = build(&scn).unwrap();
    seed_share_noise(&mut setup, 2011, 0);
    attach_simulation_keys(&mut setup, 2011).unwrap();
    let bus = MemoryBus::new();
    let run_id = "t1";
    let mut threads = Vec::new();
    for cfg in setup.nodes.clone() {
        let ep = bus.endpoint(&[topics::to_node(run_id, &cfg.party_id)]);
        threads.push(std::thread::spawn(move || serve_node(&ep, PartyNode::new(cfg), &node_options(run_id))));
    }
    let world_ep = bus.endpoint(&[topics::world_subscription(run_id)]);
    let mut host =
        RemoteNodes::connect(world_ep, run_id, &setup.parties, Pace::Lockstep, Timing::default()).unwrap();
    let (remote, _) = run_with_host(&scn, &opts, &mut host).unwrap();
    for t in threads {
        let summary = t.join().unwrap().unwrap();
        assert!(summary.finished);
        assert_eq!(summary.rejected_frames, 0);
    }
    assert_eq!(host.rejected_frames, 0);
    assert!(local.threats.iter().any(|t| t.outcome == shieldnet_sim::report::Outcome::Intercepted));
    assert_eq!(serde_json::to_string(&remote).unwrap(), serde_json::to_string(&local).unwrap());
}

#[test]
fn a_node_that_stops_answering_is_marked_down_and_the_run_goes_on() {
    let scn = load_builtin("epaa-2015").unwrap();
    let opts = RunOptions { seed: Some(3), run_index: 0, record: false, audit: true, outcomes_only: false };
    let mut setup = build(&scn).unwrap();
    attach_simulation_keys(&mut setup, 3).unwrap();
    let bus = MemoryBus::new();
    let run_id = "t2";
    let mut threads = Vec::new();
    let victim = setup.parties[0].clone();
    for cfg in setup.nodes.clone() {
        let ep = bus.endpoint(&[topics::to_node(run_id, &cfg.party_id)]);
        let o = node_options(run_id);
        // The victim "crashes" after it has received 100 frames.
        let limit = (cfg.party_id == victim).then_some(100u64);
        threads.push(std::thread::spawn(move || match limit {
            Some(n) => serve_limited(&ep, PartyNode::new(cfg), &o, n),
            None => serve_node(&ep, PartyNode::new(cfg), &o).map(|_| ()),
        }));
    }
    let world_ep = bus.endpoint(&[topics::world_subscription(run_id)]);
    let timing = Timing { answer: Duration::from_millis(300), ..Timing::default() };
    let mut host = RemoteNodes::connect(world_ep, run_id, &setup.parties, Pace::Lockstep, timing).unwrap();
    let (report, _) = run_with_host(&scn, &opts, &mut host).unwrap();
    let down: Vec<_> = report.events.iter().filter(|e| e.kind == "node_down").collect();
    assert_eq!(down.len(), 1, "{down:?}");
    assert_eq!(down[0].party.as_deref(), Some(victim.as_str()));
    assert!(down[0].t_s > 0.0);
    // The others kept going to the end and still engaged threats.
    let fired: u32 = report.parties.iter().filter(|p| p.id != victim).map(|p| p.interceptors_fired).sum();
    assert!(fired > 0);
    for t in threads {
        let _ = t.join().unwrap();
    }
}

/// Serves a node for `steps` steps, then "crashes" (returns without answering further).
fn serve_limited(
    ep: &shieldnet_net::transport::MemoryEndpoint,
    node: PartyNode,
    o: &NodeOptions,
    steps: u64,
) -> Result<(), shieldnet_net::NetError> {
    let gate = Gate { inner: ep, left: AtomicU64::new(steps) };
    match serve_node(&gate, node, o) {
        Ok(_) | Err(_) => Ok(()),
    }
}

/// A transport that goes deaf after a number of received frames.
struct Gate<'a> {
    inner: &'a shieldnet_net::transport::MemoryEndpoint,
    left: AtomicU64,
}

impl shieldnet_net::Transport for Gate<'_> {
    fn publish(&self, key: &str, payload: &[u8]) -> Result<(), shieldnet_net::NetError> {
        if self.left.load(Ordering::Relaxed) == 0 {
            return Err(shieldnet_net::NetError::Transport("crashed".into()));
        }
        self.inner.publish(key, payload)
    }
    fn recv_timeout(
        &self,
        timeout: Duration,
    ) -> Result<Option<shieldnet_net::transport::Received>, shieldnet_net::NetError> {
        if self.left.load(Ordering::Relaxed) == 0 {
            return Err(shieldnet_net::NetError::Transport("crashed".into()));
        }
        let r = self.inner.recv_timeout(timeout)?;
        if r.is_some() {
            self.left.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(r)
    }
}
