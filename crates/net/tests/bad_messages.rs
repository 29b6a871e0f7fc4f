//! A corpus of bad messages and frames sent to a node served over a transport: every one is rejected
//! and counted, and the node keeps answering and still accepts the good message that follows.

use shieldnet_audit::{PartyKeys, SignedEnvelope, TrustStore};
use shieldnet_fusion::messages::MESSAGE_VERSION;
use shieldnet_fusion::{Body as MsgBody, KillAssessment, Message};
use shieldnet_net::frames::{self, Body, StepFrame, WireFrame};
use shieldnet_net::transport::MemoryEndpoint;
use shieldnet_net::{MemoryBus, NodeOptions, Transport, serve_node, topics};
use shieldnet_node::{AuditSetup, NodeConfig, PartyNode, Policy};
use std::time::Duration;

const NOW: f64 = 500.0;

fn node(trust: &TrustStore, keys: PartyKeys) -> PartyNode {
    let audit = AuditSetup { keys, trust: trust.clone(), max_message_age_s: 60.0 };
    let policy = Policy { defend_partners: true, coordinate: true };
    PartyNode::new(NodeConfig::messages_only(&["A", "B"], policy, audit))
}

fn message(sender: &str, seq: u64, tov: f64) -> Message {
    Message {
        version: MESSAGE_VERSION,
        sender: sender.into(),
        seq,
        time_of_validity_s: tov,
        body: MsgBody::KillAssessment(KillAssessment { engagement_id: 1, sources: vec![], killed: false }),
    }
}

fn env(keys: &PartyKeys, seq: u64, tov: f64, payload: Vec<u8>) -> SignedEnvelope {
    SignedEnvelope::sign(keys, seq, tov, payload).unwrap()
}

fn signed(keys: &PartyKeys, m: &Message) -> WireFrame {
    WireFrame::Signed(env(keys, m.seq, m.time_of_validity_s, m.encode()).to_bytes())
}

/// Bad partner messages (inside step frames) the node itself must reject: (label, message).
fn bad_messages(b: &PartyKeys, c: &PartyKeys) -> Vec<(String, WireFrame)> {
    let mut v: Vec<(String, WireFrame)> = Vec::new();
    let mut seq = 100;
    let mut next = || {
        seq += 1;
        seq
    };
    for i in 0..8 {
        let m = message("B", next(), NOW);
        let mut e = env(b, m.seq, NOW, m.encode());
        e.signature[i * 8] ^= 0x01;
        v.push((format!("signature bit flip {i}"), WireFrame::Signed(e.to_bytes())));
    }
    for i in 0..8 {
        let m = message("B", next(), NOW);
        let mut e = env(b, m.seq, NOW, m.encode());
        let k = (i * 7) % e.payload.len();
        e.payload[k] ^= 0x20;
        v.push((format!("payload byte flip {i}"), WireFrame::Signed(e.to_bytes())));
    }
    {
        let m = message("B", next(), NOW);
        let mut e = env(c, m.seq, NOW, m.encode());
        e.sender = "B".into();
        v.push(("signed by C, claims B".into(), WireFrame::Signed(e.to_bytes())));
    }
    v.push(("untrusted sender C".into(), signed(c, &message("C", next(), NOW))));
    for (i, age) in [61.0, 100.0, 1000.0].into_iter().enumerate() {
        v.push((format!("stale {i}"), signed(b, &message("B", next(), NOW - age))));
    }
    for (i, ahead) in [10.0, 100.0].into_iter().enumerate() {
        v.push((format!("from the future {i}"), signed(b, &message("B", next(), NOW + ahead))));
    }
    for i in 0..3 {
        v.push((format!("unsigned {i}"), WireFrame::Plain(message("B", next(), NOW))));
    }
    for i in 0..2 {
        v.push((format!("payload names sender C {i}"), signed(b, &message("C", next(), NOW))));
    }
    let wrong_seq = message("B", 999_999, NOW);
    let s = next();
    v.push((
        "payload seq differs from envelope".into(),
        WireFrame::Signed(env(b, s, NOW, wrong_seq.encode()).to_bytes()),
    ));
    let mut old = message("B", next(), NOW);
    old.version = 99;
    v.push(("other message version".into(), signed(b, &old)));
    let garbage: [&[u8]; 5] =
        [b"", b"not json", b"{\"version\":1}", b"[1,2,3]", b"{\"version\":1,\"sender\":\"B\",\"seq\":1e999}"];
    for (i, g) in garbage.into_iter().enumerate() {
        let s = next();
        v.push((format!("signed garbage {i}"), WireFrame::Signed(env(b, s, NOW, g.to_vec()).to_bytes())));
    }
    v
}

/// Frames the node runner must drop before they reach the node: (label, bytes).
fn bad_frames(b: &PartyKeys) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = Vec::new();
    let m = message("B", 5000, NOW);
    let good = env(b, m.seq, NOW, m.encode()).to_bytes();
    for (i, cut) in
        [0, 1, 8, 16, 40, 64, 96, good.len() / 2, good.len() - 10, good.len() - 1].into_iter().enumerate()
    {
        let step = StepFrame {
            step: 2 + i as u64,
            now_s: NOW,
            scans: vec![],
            angles: vec![],
            inbox: vec![WireFrame::Signed(good[..cut].to_vec())],
            outcomes: vec![],
        };
        v.push((format!("truncated envelope {i}"), frames::encode(&Body::Step(step))));
    }
    let valid = frames::encode(&Body::Finish { t_s: NOW });
    v.push(("empty".into(), vec![]));
    v.push(("bad magic".into(), b"XXXX\x80".to_vec()));
    v.push(("magic only".into(), frames::MAGIC.to_vec()));
    v.push(("truncated frame".into(), valid[..valid.len() - 2].to_vec()));
    let mut wrong_version = frames::MAGIC.to_vec();
    rmp_like_frame_with_version(&mut wrong_version, 2);
    v.push(("other frame version".into(), wrong_version));
    v.push(("hello sent to a node".into(), frames::encode(&Body::Hello { party: "B".into(), instance: 1 })));
    for seed in 0..4u8 {
        let junk: Vec<u8> =
            (0..200u32).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed.wrapping_mul(97))).collect();
        v.push((format!("random bytes {seed}"), junk));
    }
    v
}

/// A well-formed frame but for its version number.
fn rmp_like_frame_with_version(out: &mut Vec<u8>, version: u16) {
    let frame = frames::Frame { version, body: Body::Finish { t_s: 1.0 } };
    out.extend(rmp_serde::to_vec_named(&frame).unwrap());
}

fn recv_reply(world: &MemoryEndpoint) -> Body {
    loop {
        let r = world.recv_timeout(Duration::from_secs(10)).unwrap().expect("node answers");
        match frames::decode(&r.payload).unwrap() {
            Body::Hello { .. } => continue,
            b => return b,
        }
    }
}

fn step(world: &MemoryEndpoint, key: &str, n: u64, inbox: Vec<WireFrame>) -> Body {
    let sf = StepFrame { step: n, now_s: NOW, scans: vec![], angles: vec![], inbox, outcomes: vec![] };
    world.publish(key, &frames::encode(&Body::Step(sf))).unwrap();
    recv_reply(world)
}

#[test]
fn a_corpus_of_bad_messages_is_rejected_and_counted_and_the_node_keeps_working() {
    let a = PartyKeys::derive_for_simulation(1, "A").unwrap();
    let b = PartyKeys::derive_for_simulation(1, "B").unwrap();
    let c = PartyKeys::derive_for_simulation(1, "C").unwrap();
    let trust = TrustStore::from_keys([&a, &b]);
    let messages = bad_messages(&b, &c);
    let junk = bad_frames(&b);
    assert!(messages.len() + junk.len() + 5 >= 50, "corpus too small: {}", messages.len() + junk.len() + 5);

    let bus = MemoryBus::new();
    let key = topics::to_node("c", "A");
    let node_ep = bus.endpoint(std::slice::from_ref(&key));
    let world = bus.endpoint(&[topics::world_subscription("c")]);
    let n = node(&trust, a);
    let opts = NodeOptions {
        run: "c".into(),
        realtime: false,
        idle_timeout: Duration::from_secs(10),
        faults: Default::default(),
        instance: 1,
    };
    let th = std::thread::spawn(move || serve_node(&node_ep, n, &opts));

    // Step 1: one good message, then five replays of it.
    let good = signed(&b, &message("B", 1, NOW));
    let mut inbox = vec![good.clone()];
    inbox.extend(std::iter::repeat_n(good, 5));
    assert!(matches!(step(&world, &key, 1, inbox), Body::StepDone { step: 1, .. }));
    // Every frame-level bad input, each answered (truncated envelopes) or dropped.
    for (label, bytes) in &junk {
        world.publish(&key, bytes).unwrap();
        if let Ok(Body::Step(sf)) = frames::decode(bytes) {
            assert!(
                matches!(recv_reply(&world), Body::StepDone { step, .. } if step == sf.step),
                "{label}: node stopped answering"
            );
        }
    }
    // Step 20: every bad message at once, then one more good message (numbered after all of them: the
    // replay window would rightly refuse an old number).
    let mut inbox: Vec<WireFrame> = messages.iter().map(|(_, w)| w.clone()).collect();
    inbox.push(signed(&b, &message("B", 10_000, NOW)));
    assert!(matches!(step(&world, &key, 20, inbox), Body::StepDone { step: 20, .. }));
    world.publish(&key, &frames::encode(&Body::Finish { t_s: NOW + 1.0 })).unwrap();
    let Body::Finished { finish, .. } = recv_reply(&world) else { panic!("no end-of-run answer") };
    let summary = th.join().unwrap().unwrap();

    // Node-level: 5 replays + every bad message.
    assert_eq!(finish.rejected_messages as usize, 5 + messages.len(), "{messages:?}");
    // Runner-level: 10 truncated envelopes + 10 undecodable or misdirected frames.
    assert_eq!(summary.rejected_frames as usize, junk.len(), "{summary:?}");
    // Exactly the two good messages were accepted (logged as received).
    let log = String::from_utf8(finish.audit_log.unwrap()).unwrap();
    assert_eq!(log.matches("\"kind\":\"received\"").count(), 2);
}
