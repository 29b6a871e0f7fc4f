//! Signed envelopes: canonical encoding, decoding of hostile input, replay and staleness.

mod common;

use common::keys;
use proptest::prelude::*;
use shieldnet_audit::envelope::{ENVELOPE_TAG, MAX_PAYLOAD};
use shieldnet_audit::{AuthError, EnvelopeError, PartyKeys, ReplayGuard, SignError, SignedEnvelope};

fn env(seq: u64, tov: f64) -> SignedEnvelope {
    SignedEnvelope::sign(&keys().0, seq, tov, b"track report".to_vec()).unwrap()
}

#[test]
fn encoding_is_as_documented() {
    let e = env(0x0102, 2.5);
    let b = e.to_bytes();
    assert_eq!(&b[..18], ENVELOPE_TAG);
    assert_eq!(b[18], 1, "version");
    assert_eq!(b[19], 4, "sender length");
    assert_eq!(&b[20..24], b"NATO");
    assert_eq!(&b[24..32], &0x0102u64.to_be_bytes());
    assert_eq!(&b[32..40], &2.5f64.to_bits().to_be_bytes());
    assert_eq!(&b[40..44], &12u32.to_be_bytes());
    assert_eq!(&b[44..56], b"track report");
    assert_eq!(b.len(), 56 + 64);
    use sha2::Digest;
    assert_eq!(e.digest(), <[u8; 32]>::from(sha2::Sha256::digest(&b[..56])));
    assert_eq!(SignedEnvelope::decode(&b).unwrap(), e);
}

#[test]
fn verify_accepts_genuine_and_rejects_forgeries() {
    let (nato, ru, trust) = keys();
    let e = env(1, 1.0);
    e.verify(&trust).unwrap();
    // Signed by RU's key but claiming to be from NATO.
    let mut forged = SignedEnvelope::sign(&ru, 1, 1.0, b"track report".to_vec()).unwrap();
    forged.sender = "NATO".into();
    assert!(matches!(forged.verify(&trust), Err(AuthError::BadSignature { .. })));
    // Any altered field breaks the signature.
    let mut t = e.clone();
    t.payload[0] ^= 1;
    assert!(t.verify(&trust).is_err());
    let mut t = e.clone();
    t.seq += 1;
    assert!(t.verify(&trust).is_err());
    let mut t = e.clone();
    t.time_of_validity_s += 1e-9;
    assert!(t.verify(&trust).is_err());
    let stranger = PartyKeys::derive_for_simulation(1, "CN").unwrap();
    let s = SignedEnvelope::sign(&stranger, 1, 1.0, vec![]).unwrap();
    assert!(matches!(s.verify(&trust), Err(AuthError::UnknownSender(_))));
    let _ = nato;
}

#[test]
fn every_truncation_and_oversize_is_rejected() {
    let b = env(7, 3.0).to_bytes();
    for n in 0..b.len() {
        assert!(
            matches!(SignedEnvelope::decode(&b[..n]), Err(EnvelopeError::Truncated { .. })),
            "prefix {n}"
        );
    }
    let mut long = b.clone();
    long.push(0);
    assert_eq!(SignedEnvelope::decode(&long), Err(EnvelopeError::TrailingBytes(1)));
    // A length field claiming more than the limit is refused before reading the payload.
    let mut big = b.clone();
    big[40..44].copy_from_slice(&(MAX_PAYLOAD as u32 + 1).to_be_bytes());
    assert_eq!(SignedEnvelope::decode(&big), Err(EnvelopeError::PayloadTooLarge(MAX_PAYLOAD + 1)));
    assert!(matches!(
        SignedEnvelope::sign(&keys().0, 1, 0.0, vec![0; MAX_PAYLOAD + 1]),
        Err(SignError::PayloadTooLarge(_))
    ));
    assert!(SignedEnvelope::sign(&keys().0, 1, 0.0, vec![0; MAX_PAYLOAD]).is_ok());
    assert!(matches!(SignedEnvelope::sign(&keys().0, 1, f64::NAN, vec![]), Err(SignError::NonFiniteTime)));
    let mut nan = b.clone();
    nan[32..40].copy_from_slice(&f64::NAN.to_bits().to_be_bytes());
    assert_eq!(SignedEnvelope::decode(&nan), Err(EnvelopeError::NonFiniteTime));
    let mut v = b.clone();
    v[18] = 2;
    assert_eq!(SignedEnvelope::decode(&v), Err(EnvelopeError::UnsupportedVersion(2)));
    let mut s = b;
    s[21] = b' ';
    assert_eq!(SignedEnvelope::decode(&s), Err(EnvelopeError::BadSender));
}

proptest! {
    #[test]
    fn decode_random_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = SignedEnvelope::decode(&bytes);
    }

    #[test]
    fn decode_mutated_envelopes_never_panics_nor_verifies(
        seq in any::<u64>(), payload in proptest::collection::vec(any::<u8>(), 0..64),
        pos in any::<usize>(), val in any::<u8>(),
    ) {
        let (nato, _, trust) = keys();
        let e = SignedEnvelope::sign(&nato, seq, 1.0, payload).unwrap();
        let mut b = e.to_bytes();
        prop_assert_eq!(SignedEnvelope::decode(&b).unwrap(), e.clone());
        let i = pos % b.len();
        prop_assume!(b[i] != val);
        b[i] = val;
        if let Ok(d) = SignedEnvelope::decode(&b) {
            prop_assert!(d.verify(&trust).is_err());
        }
    }

    #[test]
    fn decode_with_tag_prefix_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut b = ENVELOPE_TAG.to_vec();
        b.push(1);
        b.extend_from_slice(&tail);
        let _ = SignedEnvelope::decode(&b);
    }
}

#[test]
fn replay_guard_rejects_replays_and_stale_messages() {
    let (_, ru, trust) = keys();
    let mut g = ReplayGuard::new(5.0, 0.5);
    g.admit(&env(10, 100.0), &trust, 100.1).unwrap();
    assert!(matches!(g.admit(&env(10, 100.0), &trust, 100.2), Err(AuthError::Replay { seq: 10, .. })));
    // Out of order within the window is fine, once.
    g.admit(&env(8, 100.0), &trust, 100.2).unwrap();
    assert!(matches!(g.admit(&env(8, 100.0), &trust, 100.2), Err(AuthError::Replay { seq: 8, .. })));
    g.admit(&env(80, 101.0), &trust, 101.0).unwrap();
    assert!(matches!(
        g.admit(&env(12, 101.0), &trust, 101.0),
        Err(AuthError::OutsideWindow { seq: 12, newest: 80, .. })
    ));
    assert!(matches!(g.admit(&env(81, 90.0), &trust, 101.0), Err(AuthError::Stale { seq: 81, .. })));
    assert!(matches!(g.admit(&env(82, 102.0), &trust, 101.0), Err(AuthError::Future { seq: 82, .. })));
    // The stale and future messages did not consume their sequence numbers.
    g.admit(&env(81, 100.0), &trust, 101.0).unwrap();
    // A forged message must not move the window.
    let mut forged = SignedEnvelope::sign(&ru, 1000, 101.0, vec![]).unwrap();
    forged.sender = "NATO".into();
    assert!(matches!(g.admit(&forged, &trust, 101.0), Err(AuthError::BadSignature { .. })));
    g.admit(&env(83, 101.0), &trust, 101.0).unwrap();
    // Senders have independent windows.
    g.admit(&SignedEnvelope::sign(&ru, 10, 101.0, vec![]).unwrap(), &trust, 101.0).unwrap();
    let s = g.stats();
    assert_eq!(
        (s.accepted, s.replayed, s.outside_window, s.stale, s.future, s.bad_signature),
        (6, 2, 1, 1, 1, 1)
    );
    assert!(matches!(g.check(&env(84, 101.0), f64::NAN), Err(AuthError::Stale { .. })));
}
