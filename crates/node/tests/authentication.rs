//! A node accepts only signed, trusted, fresh, well-formed messages and counts what it rejects.

use shieldnet_audit::{PartyKeys, SignedEnvelope, TrustStore};
use shieldnet_fusion::messages::MESSAGE_VERSION;
use shieldnet_fusion::{Body, KillAssessment, Message};
use shieldnet_node::{AuditSetup, NodeConfig, NodeInput, PartyNode, Policy, Wire};

fn node(trust: &TrustStore, keys: PartyKeys) -> PartyNode {
    let audit = AuditSetup { keys, trust: trust.clone(), max_message_age_s: 30.0 };
    let policy = Policy { defend_partners: true, coordinate: true };
    PartyNode::new(NodeConfig::messages_only(&["A", "B"], policy, audit))
}

fn message(sender: &str, seq: u64, tov: f64) -> Message {
    Message {
        version: MESSAGE_VERSION,
        sender: sender.into(),
        seq,
        time_of_validity_s: tov,
        body: Body::KillAssessment(KillAssessment { engagement_id: 1, sources: vec![], killed: false }),
    }
}

fn signed(keys: &PartyKeys, m: &Message) -> Wire {
    Wire::Signed(SignedEnvelope::sign(keys, m.seq, m.time_of_validity_s, m.encode()).unwrap())
}

#[test]
fn forged_replayed_stale_unsigned_and_malformed_messages_are_rejected_and_counted() {
    let a = PartyKeys::derive_for_simulation(1, "A").unwrap();
    let b = PartyKeys::derive_for_simulation(1, "B").unwrap();
    let c = PartyKeys::derive_for_simulation(1, "C").unwrap();
    let trust = TrustStore::from_keys([&a, &b]);
    let mut n = node(&trust, a);
    let good = signed(&b, &message("B", 1, 100.0));
    // A message signed by C but claiming to be from B: the envelope's sender is B, the signature is C's.
    let forged = match signed(&c, &message("B", 2, 100.0)) {
        Wire::Signed(mut env) => {
            env.sender = "B".into();
            Wire::Signed(env)
        }
        w => w,
    };
    let untrusted = signed(&c, &message("C", 1, 100.0));
    let stale = signed(&b, &message("B", 3, 10.0));
    let unsigned = Wire::Plain(message("B", 4, 100.0));
    // Signed by B, but the payload names another sender.
    let mismatched = signed(&b, &message("C", 5, 100.0));
    let garbage = Wire::Signed(SignedEnvelope::sign(&b, 6, 100.0, b"not a message".to_vec()).unwrap());
    let inbox = vec![good.clone(), good, forged, untrusted, stale, unsigned, mismatched, garbage];
    n.step(NodeInput { now_s: 101.0, scans: &[], angles: &[], inbox: &inbox, outcomes: &[] });
    let rejected = n.rejected_messages();
    let total: u32 = rejected.values().sum();
    // Everything but the first copy of the good message is rejected.
    assert_eq!(total, 7, "{rejected:?}");
    assert_eq!(rejected.get("unsigned"), Some(&1), "{rejected:?}");
    assert_eq!(rejected.get("Malformed"), Some(&2), "{rejected:?}");
    assert!(rejected.keys().any(|k| k.contains("Replay")), "{rejected:?}");
    assert!(rejected.keys().any(|k| k.contains("Stale")), "{rejected:?}");
    assert!(rejected.keys().any(|k| k.contains("UnknownSender")), "{rejected:?}");
    assert!(rejected.keys().any(|k| k.contains("BadSignature")), "{rejected:?}");
    // The accepted message is in the audit log as received, and the log verifies on its own.
    let log = n.finish_audit(200.0).unwrap();
    let text = String::from_utf8(log.clone()).unwrap();
    assert_eq!(text.matches("\"kind\":\"received\"").count(), 1);
    let report = shieldnet_audit::verify_logs(&[("A", &log)], &trust, &[]);
    assert!(report.findings.iter().all(|f| !format!("{:?}", f.kind).contains("Signature")), "{report:?}");
}
