//! End-to-end tests of the record: two parties' logs verify clean, and every kind of tampering,
//! omission, forgery and rewrite is detected and located.

mod common;

use common::*;
use serde_json::json;
use shieldnet_audit::VerifyReport;
use shieldnet_audit::{
    AuditLog, DecodedEntry, FindingKind as K, LogBuilder, LogConfig, PartyKeys, PolicyCheck, SignedEnvelope,
    TrustStore, verify_dir, verify_logs,
};

#[test]
fn clean_exchange_verifies() {
    for config in
        [small_config(), LogConfig::default(), LogConfig { checkpoint_every: 3, sign_entries: true }]
    {
        let x = exchange(config);
        let r = verify2(&x.trust, &x.nato, &x.ru);
        assert!(r.is_ok(), "{config:?}\n{}", show(&r.findings));
        assert_eq!(r.parties.len(), 2);
        for p in &r.parties {
            assert!(p.closed);
            assert_eq!(p.truncated_bytes, None);
            assert_eq!(p.sent, 3);
            assert_eq!(p.received, 3);
            assert_eq!(p.decisions, 3);
            assert_eq!(p.sealed_entries + 1, p.entries, "everything but the final checkpoint is sealed");
        }
    }
}

/// Findings other than "a referenced partner log is absent" (expected when verifying one log alone).
fn local_findings(r: &VerifyReport) -> usize {
    r.findings.iter().filter(|f| f.kind != K::MissingLog).count()
}

#[test]
fn every_single_byte_flip_is_detected() {
    let x = exchange_steps(small_config(), &keys().0, 2, 2);
    // Each log alone must reveal the flip (no help from the partner's log).
    for (which, log) in [("NATO", &x.nato), ("RU", &x.ru)] {
        assert_eq!(local_findings(&verify_logs(&[(which, log)], &x.trust, &[])), 0);
        // Every byte with a low-bit flip; NATO's also with a case flip (hex must stay lowercase) and a
        // high-bit flip (invalid UTF-8).
        let masks: &[u8] = if which == "NATO" { &[0x01, 0x20, 0x80] } else { &[0x01] };
        for i in 0..log.len() {
            for &mask in masks {
                let mut t = log.clone();
                t[i] ^= mask;
                let r = verify_logs(&[(which, &t)], &x.trust, &[]);
                assert!(
                    local_findings(&r) > 0,
                    "{which}: flipping byte {i} with {mask:#04x} went undetected"
                );
            }
        }
    }
}

#[test]
fn every_single_byte_flip_is_detected_with_entry_signatures() {
    let x = exchange_steps(LogConfig { checkpoint_every: 5, sign_entries: true }, &keys().0, 2, 2);
    for i in 0..x.nato.len() {
        let mut t = x.nato.clone();
        t[i] ^= 0x01;
        let r = verify_logs(&[("NATO", &t)], &x.trust, &[]);
        assert!(local_findings(&r) > 0, "flipping byte {i} went undetected");
    }
}

#[test]
fn dropping_any_entry_is_detected_and_located() {
    let x = exchange(small_config());
    let ls = lines(&x.nato);
    for drop in 0..ls.len() {
        let t: Vec<u8> =
            ls.iter().enumerate().filter(|(i, _)| *i != drop).flat_map(|(_, l)| l.clone()).collect();
        let r = verify2(&x.trust, &t, &x.ru);
        assert!(!r.is_ok(), "dropping entry {drop} went undetected");
        if drop + 1 < ls.len() {
            let f = r.findings.iter().find(|f| f.kind == K::SeqGap).expect("seq gap reported");
            assert_eq!(f.party, "NATO");
            assert_eq!(f.entry_seq, Some(drop as u64 + 1), "{}", show(&r.findings));
            assert_eq!(f.line, Some(drop + 1));
            assert!(has(&r, "NATO", K::ChainBreak));
        }
    }
}

#[test]
fn reordering_two_entries_is_detected() {
    let x = exchange(small_config());
    let ls = lines(&x.ru);
    for i in 0..ls.len() {
        for j in i + 1..ls.len() {
            let mut l2 = ls.clone();
            l2.swap(i, j);
            let t: Vec<u8> = l2.concat();
            let r = verify2(&x.trust, &x.nato, &t);
            assert!(!r.is_ok(), "swapping entries {i} and {j} went undetected");
            assert!(has(&r, "RU", K::SeqGap) && has(&r, "RU", K::ChainBreak));
        }
    }
}

#[test]
fn log_signed_with_another_key_is_detected() {
    let (_, _, trust) = keys();
    let forger = PartyKeys::derive_for_simulation(666, "NATO").unwrap();
    let x = exchange_with(small_config(), &forger, 3);
    let r = verify2(&trust, &x.nato, &x.ru);
    let bad: Vec<_> = r.findings.iter().filter(|f| f.party == "NATO" && f.kind == K::BadSignature).collect();
    assert!(!bad.is_empty(), "{}", show(&r.findings));
    assert!(bad.iter().all(|f| f.entry_seq.is_some()));
    assert!(has(&r, "NATO", K::BadOpen), "declared key differs from the trusted key");
}

#[test]
fn forged_entry_signature_is_detected() {
    let x = exchange(LogConfig { checkpoint_every: 3, sign_entries: true });
    let other = PartyKeys::derive_for_simulation(1, "NATO").unwrap();
    let mut ls = lines(&x.nato);
    // Re-sign entry 2's hash with another key: a well-formed but forged signature.
    let e = DecodedEntry::parse(3, ls[2].strip_suffix(b"\n").unwrap()).unwrap();
    let mut forged = e.clone();
    forged.signature = Some(other.sign(&e.entry_hash).to_bytes());
    ls[2] = format!("{}\n", forged.render()).into_bytes();
    let r = verify2(&x.trust, &ls.concat(), &x.ru);
    assert_eq!(r.findings.len(), 1, "{}", show(&r.findings));
    let f = &r.findings[0];
    assert_eq!((f.party.as_str(), f.entry_seq, f.line, f.kind), ("NATO", Some(2), Some(3), K::BadSignature));
}

#[test]
fn received_without_sent_is_reported_against_the_right_party() {
    let (nato, ru, trust) = keys();
    // NATO signs a message but does not log it: NATO's log is at fault.
    let mut a = LogBuilder::new(nato.clone(), small_config(), 0.0).unwrap();
    let mut b = LogBuilder::new(ru.clone(), small_config(), 0.0).unwrap();
    let m = SignedEnvelope::sign(&nato, 9, 1.0, b"unlogged".to_vec()).unwrap();
    b.record_received(1.1, &m).unwrap();
    // RU claims a message NATO never signed: RU's entry is unsupported.
    let fake =
        SignedEnvelope::sign(&PartyKeys::derive_for_simulation(5, "NATO").unwrap(), 10, 1.5, b"x".to_vec())
            .unwrap();
    b.record_received(1.6, &fake).unwrap();
    a.close(2.0).unwrap();
    b.close(2.0).unwrap();
    let r = verify2(&trust, &a.take_output(), &b.take_output());
    assert_eq!(r.findings.len(), 2, "{}", show(&r.findings));
    let missing = r.findings.iter().find(|f| f.kind == K::MissingSent).unwrap();
    assert_eq!(missing.party, "NATO");
    assert!(missing.detail.contains("message 9") && missing.detail.contains("entry 1"), "{}", missing.detail);
    let unmatched = r.findings.iter().find(|f| f.kind == K::UnmatchedReceived).unwrap();
    assert_eq!((unmatched.party.as_str(), unmatched.entry_seq), ("RU", Some(2)));
}

#[test]
fn received_content_differing_from_sent_is_reported() {
    let (nato, ru, trust) = keys();
    let mut a = LogBuilder::new(nato.clone(), small_config(), 0.0).unwrap();
    let mut b = LogBuilder::new(ru.clone(), small_config(), 0.0).unwrap();
    let m = SignedEnvelope::sign(&nato, 1, 1.0, b"threat at 45N".to_vec()).unwrap();
    a.record_sent(1.0, &m, &["RU"]).unwrap();
    // NATO equivocates: same seq, other content, signed, to RU.
    let m2 = SignedEnvelope::sign(&nato, 1, 1.0, b"threat at 46N".to_vec()).unwrap();
    b.record_received(1.1, &m2).unwrap();
    a.close(2.0).unwrap();
    b.close(2.0).unwrap();
    let r = verify2(&trust, &a.take_output(), &b.take_output());
    assert_eq!(r.findings.len(), 1, "{}", show(&r.findings));
    let f = &r.findings[0];
    assert_eq!((f.party.as_str(), f.entry_seq, f.kind), ("RU", Some(1), K::MessageMismatch));
    assert!(f.detail.contains("first differs at byte 11") && f.detail.contains("is valid"), "{}", f.detail);
}

#[test]
fn truncated_log_verifies_up_to_last_complete_entry() {
    let x = exchange(small_config());
    let ls = lines(&x.nato);
    let full_lines = ls.len();
    // Cut inside the last few lines at every position.
    let start = ls[..full_lines - 3].concat().len();
    for cut in start..x.nato.len() {
        let t = &x.nato[..cut];
        let complete = t.iter().filter(|&&b| b == b'\n').count();
        let r = verify_logs(&[("NATO", t)], &x.trust, &[]);
        let p = &r.parties[0];
        assert_eq!(p.entries as usize, complete);
        let partial = cut - ls[..complete].concat().len();
        assert_eq!(p.truncated_bytes, (partial > 0).then_some(partial));
        for f in &r.findings {
            assert!(
                matches!(f.kind, K::Truncated | K::Unsealed | K::MissingLog),
                "cut {cut}: unexpected {f}"
            );
        }
        if partial > 0 {
            let f = r.findings.iter().find(|f| f.kind == K::Truncated).unwrap();
            assert!(
                f.detail.contains(&format!("after entry {} (line {complete})", complete - 1)),
                "{}",
                f.detail
            );
        } else {
            assert!(has(&r, "NATO", K::Unsealed));
        }
    }
}

#[test]
fn crash_mid_write_of_file_log() {
    let dir = std::env::temp_dir().join(format!("shieldnet-audit-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (nato, _, trust) = keys();
    let path = dir.join("audit-NATO.jsonl");
    let mut log = AuditLog::create(&path, nato, small_config(), 0.0).unwrap();
    for i in 0..10 {
        log.record_decision(f64::from(i), &json!({"type": "engagement_order", "n": i})).unwrap();
    }
    let (_, w) = log.close(10.0).unwrap();
    drop(w);
    let r = verify_dir(&dir, &trust, &[]).unwrap();
    assert!(r.is_ok(), "{}", show(&r.findings));
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 30]).unwrap();
    let r = verify_dir(&dir, &trust, &[]).unwrap();
    let kinds: Vec<K> = r.findings.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, vec![K::Unsealed, K::Truncated], "{}", show(&r.findings));
    assert_eq!(r.parties[0].sealed_entries, 10, "the second checkpoint (entry 10) covers entries 0..10");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn rewritten_history_contradicts_checkpoint_held_by_partner() {
    let (nato, _, _) = keys();
    let honest = exchange(small_config());
    // NATO later rewrites its log (changes its decision at t = 3.8) and re-signs everything properly.
    let rewritten = exchange_with(small_config(), &nato, 99);
    assert_ne!(honest.nato, rewritten.nato);
    let alone = verify_logs(&[("NATO", &rewritten.nato)], &honest.trust, &[]);
    assert!(alone.findings.iter().all(|f| f.kind == K::MissingLog), "{}", show(&alone.findings));
    // RU's log still holds NATO's checkpoints from the original run.
    let r = verify2(&honest.trust, &rewritten.nato, &honest.ru);
    let f: Vec<_> = r.findings.iter().filter(|f| f.kind == K::PartnerCheckpointMismatch).collect();
    assert!(!f.is_empty(), "{}", show(&r.findings));
    assert!(f.iter().all(|f| f.party == "NATO" && f.detail.contains("history was rewritten")));
}

#[test]
fn dropped_tail_contradicts_partner_checkpoint() {
    let x = exchange(small_config());
    let ls = lines(&x.nato);
    // Cut NATO's log after an intermediate checkpoint: locally it looks merely unclosed.
    let cut = ls
        .iter()
        .rposition(|l| {
            let l = String::from_utf8_lossy(l);
            l.contains("\"kind\":\"checkpoint\"") && l.contains("\"is_final\":false")
        })
        .unwrap();
    let t = ls[..=cut].concat();
    let r = verify2(&x.trust, &t, &x.ru);
    assert!(has(&r, "NATO", K::PartnerCheckpointMismatch), "{}", show(&r.findings));
    assert!(r.findings.iter().any(|f| f.detail.contains("entries were removed")), "{}", show(&r.findings));
}

#[test]
fn policy_hook_sees_decisions() {
    let x = exchange(small_config());
    let no_threat_2 = |e: &DecodedEntry| {
        (e.body["type"] == "engagement_order" && e.body["threat"] == 2)
            .then(|| "engagement of threat 2 is outside the agreed sector".to_owned())
    };
    let policies: [&dyn PolicyCheck; 1] = [&no_threat_2];
    let r = verify_logs(&[("NATO", &x.nato), ("RU", &x.ru)], &x.trust, &policies);
    assert_eq!(r.findings.len(), 1, "{}", show(&r.findings));
    assert_eq!(r.findings[0].kind, K::Policy);
    assert_eq!(r.findings[0].party, "NATO");
}

#[test]
fn unknown_party_and_trust_file() {
    let x = exchange(small_config());
    let (nato, _, _) = keys();
    let only_nato = TrustStore::parse(&TrustStore::from_keys([&nato]).to_text()).unwrap();
    let r = verify2(&only_nato, &x.nato, &x.ru);
    assert!(has(&r, "RU", K::UnknownParty));
}

#[test]
fn logs_are_deterministic() {
    let a = exchange(small_config());
    let b = exchange(small_config());
    assert_eq!(a.nato, b.nato);
    assert_eq!(a.ru, b.ru);
}
