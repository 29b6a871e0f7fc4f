//! Signed message envelopes for the transport (issue 9) and the replay guard.
//!
//! # Wire format (version 1)
//! All integers big-endian; no padding.
//!
//! | bytes | field |
//! |---|---|
//! | 18 | domain tag, ASCII `shieldnet.envelope` |
//! | 1 | format version, `0x01` |
//! | 1 | sender id length `L`, 1..=64 |
//! | L | sender party id (ASCII `A-Z a-z 0-9 _ . -`) |
//! | 8 | sequence number, `u64` (per sender, increasing) |
//! | 8 | time of validity, seconds since the scenario epoch, IEEE-754 `f64` bits (finite) |
//! | 4 | payload length `P`, `u32`, at most [`MAX_PAYLOAD`] |
//! | P | payload (opaque to this crate) |
//! | 64 | Ed25519 signature |
//!
//! The *unsigned bytes* are everything before the signature. The **envelope digest** is
//! `SHA-256(unsigned bytes)`, and the signature is the sender's Ed25519 (RFC 8032, pure) signature over
//! that 32-byte digest. Logs record the digest and the signature, so a verifier can check the sender's
//! signature on a logged message without the transport. Decoding rejects trailing bytes, so each message
//! has exactly one encoding.

use std::collections::HashMap;

use ed25519_dalek::Signature;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::keys::{KeyError, MAX_PARTY_ID_LEN, PartyKeys, TrustStore, validate_party_id};

/// Domain separation tag opening every envelope.
pub const ENVELOPE_TAG: &[u8; 18] = b"shieldnet.envelope";
/// Current envelope format version.
pub const ENVELOPE_VERSION: u8 = 1;
/// Largest payload accepted, in bytes (64 KiB).
pub const MAX_PAYLOAD: usize = 64 * 1024;
/// Length of an Ed25519 signature.
pub const SIGNATURE_LEN: usize = 64;

/// Why bytes could not be decoded as an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EnvelopeError {
    /// The input ends before the field it is reading.
    #[error("truncated envelope: {field} needs {needed} more bytes, {available} left")]
    Truncated {
        /// Field being read.
        field: &'static str,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left in the input.
        available: usize,
    },
    /// The input does not start with the envelope tag.
    #[error("not a shieldnet envelope (bad domain tag)")]
    BadTag,
    /// The version byte is not supported.
    #[error("unsupported envelope version {0}")]
    UnsupportedVersion(u8),
    /// The sender id is not a valid party id.
    #[error("invalid sender id")]
    BadSender,
    /// The payload length exceeds [`MAX_PAYLOAD`].
    #[error("payload of {0} bytes exceeds the {MAX_PAYLOAD}-byte limit")]
    PayloadTooLarge(usize),
    /// The time of validity is NaN or infinite.
    #[error("time of validity is not finite")]
    NonFiniteTime,
    /// Bytes follow the signature.
    #[error("{0} trailing bytes after the signature")]
    TrailingBytes(usize),
}

/// Why an envelope was not accepted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AuthError {
    /// The bytes are not a well-formed envelope.
    #[error(transparent)]
    Malformed(#[from] EnvelopeError),
    /// The sender is not in the trust store.
    #[error("unknown sender {0}")]
    UnknownSender(String),
    /// The signature does not verify under the sender's key.
    #[error("bad signature on message {seq} from {sender}")]
    BadSignature {
        /// Claimed sender.
        sender: String,
        /// Claimed sequence number.
        seq: u64,
    },
    /// This sequence number was already accepted from this sender.
    #[error("replayed message {seq} from {sender}")]
    Replay {
        /// Sender.
        sender: String,
        /// Repeated sequence number.
        seq: u64,
    },
    /// The sequence number is older than the replay window, so it cannot be checked for replay.
    #[error("message {seq} from {sender} is below the replay window (newest seen {newest})")]
    OutsideWindow {
        /// Sender.
        sender: String,
        /// Rejected sequence number.
        seq: u64,
        /// Newest sequence number accepted from this sender.
        newest: u64,
    },
    /// The time of validity is too far in the past.
    #[error("stale message {seq} from {sender}: {age_s:.3} s old (limit {max_age_s} s)")]
    Stale {
        /// Sender.
        sender: String,
        /// Sequence number.
        seq: u64,
        /// Age at the receiver.
        age_s: f64,
        /// Configured limit.
        max_age_s: f64,
    },
    /// The time of validity is too far in the future (clock skew or forgery).
    #[error("message {seq} from {sender} is {ahead_s:.3} s in the future (limit {max_skew_s} s)")]
    Future {
        /// Sender.
        sender: String,
        /// Sequence number.
        seq: u64,
        /// How far ahead of the receiver's clock.
        ahead_s: f64,
        /// Configured limit.
        max_skew_s: f64,
    },
}

/// Why an envelope could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignError {
    /// The payload exceeds [`MAX_PAYLOAD`].
    #[error("payload of {0} bytes exceeds the {MAX_PAYLOAD}-byte limit")]
    PayloadTooLarge(usize),
    /// The time of validity is NaN or infinite.
    #[error("time of validity is not finite")]
    NonFiniteTime,
    /// The sender id is invalid.
    #[error(transparent)]
    Key(#[from] KeyError),
}

/// A message signed by its sender.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedEnvelope {
    /// Sending party id.
    pub sender: String,
    /// Per-sender sequence number.
    pub seq: u64,
    /// Time (s since scenario epoch) the content refers to; used for staleness checks.
    pub time_of_validity_s: f64,
    /// Opaque payload.
    pub payload: Vec<u8>,
    /// Ed25519 signature over [`SignedEnvelope::digest`].
    pub signature: [u8; SIGNATURE_LEN],
}

fn write_unsigned(out: &mut Vec<u8>, sender: &str, seq: u64, tov: f64, payload: &[u8]) {
    out.extend_from_slice(ENVELOPE_TAG);
    out.push(ENVELOPE_VERSION);
    // Callers validated the sender id, so its length fits a byte.
    out.push(sender.len() as u8);
    out.extend_from_slice(sender.as_bytes());
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&tov.to_bits().to_be_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
}

/// Computes the envelope digest from its fields (see the module docs).
pub fn envelope_digest(sender: &str, seq: u64, time_of_validity_s: f64, payload: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(ENVELOPE_TAG);
    h.update([ENVELOPE_VERSION, sender.len() as u8]);
    h.update(sender.as_bytes());
    h.update(seq.to_be_bytes());
    h.update(time_of_validity_s.to_bits().to_be_bytes());
    h.update((payload.len() as u32).to_be_bytes());
    h.update(payload);
    h.finalize().into()
}

/// Checks an Ed25519 signature by `party` over a 32-byte digest, strictly (RFC 8032 §5.1.7 with
/// canonical encodings and no small-order keys).
pub(crate) fn verify_digest_signature(
    trust: &TrustStore,
    party: &str,
    digest: &[u8; 32],
    signature: &[u8; SIGNATURE_LEN],
) -> Result<(), SigCheck> {
    let key = trust.get(party).ok_or(SigCheck::UnknownParty)?;
    let sig = Signature::from_bytes(signature);
    key.verify_strict(digest, &sig).map_err(|_| SigCheck::Invalid)
}

/// Outcome of a failed signature check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SigCheck {
    UnknownParty,
    Invalid,
}

struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], EnvelopeError> {
        if self.b.len() < n {
            return Err(EnvelopeError::Truncated { field, needed: n, available: self.b.len() });
        }
        let (h, t) = self.b.split_at(n);
        self.b = t;
        Ok(h)
    }
    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], EnvelopeError> {
        let s = self.take(N, field)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }
}

impl SignedEnvelope {
    /// Builds and signs an envelope from `keys`' party.
    pub fn sign(
        keys: &PartyKeys,
        seq: u64,
        time_of_validity_s: f64,
        payload: Vec<u8>,
    ) -> Result<Self, SignError> {
        if payload.len() > MAX_PAYLOAD {
            return Err(SignError::PayloadTooLarge(payload.len()));
        }
        if !time_of_validity_s.is_finite() {
            return Err(SignError::NonFiniteTime);
        }
        validate_party_id(keys.party())?;
        let digest = envelope_digest(keys.party(), seq, time_of_validity_s, &payload);
        let signature = keys.sign(&digest).to_bytes();
        Ok(Self { sender: keys.party().to_owned(), seq, time_of_validity_s, payload, signature })
    }

    /// The envelope digest: SHA-256 of the unsigned canonical bytes.
    pub fn digest(&self) -> [u8; 32] {
        envelope_digest(&self.sender, self.seq, self.time_of_validity_s, &self.payload)
    }

    /// Checks the sender's signature against the trust store.
    pub fn verify(&self, trust: &TrustStore) -> Result<(), AuthError> {
        match verify_digest_signature(trust, &self.sender, &self.digest(), &self.signature) {
            Ok(()) => Ok(()),
            Err(SigCheck::UnknownParty) => Err(AuthError::UnknownSender(self.sender.clone())),
            Err(SigCheck::Invalid) => {
                Err(AuthError::BadSignature { sender: self.sender.clone(), seq: self.seq })
            }
        }
    }

    /// The canonical wire bytes (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(ENVELOPE_TAG.len() + 2 + self.sender.len() + 20 + self.payload.len() + 64);
        write_unsigned(&mut out, &self.sender, self.seq, self.time_of_validity_s, &self.payload);
        out.extend_from_slice(&self.signature);
        out
    }

    /// Decodes wire bytes. Never panics; rejects truncated, oversized, non-canonical or trailing input.
    /// Does not check the signature: call [`SignedEnvelope::verify`] (or [`ReplayGuard::admit`]).
    pub fn decode(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        let mut r = Reader { b: bytes };
        if r.take(ENVELOPE_TAG.len(), "tag")? != ENVELOPE_TAG {
            return Err(EnvelopeError::BadTag);
        }
        let [version] = r.array::<1>("version")?;
        if version != ENVELOPE_VERSION {
            return Err(EnvelopeError::UnsupportedVersion(version));
        }
        let [len] = r.array::<1>("sender length")?;
        let len = usize::from(len);
        if len == 0 || len > MAX_PARTY_ID_LEN {
            return Err(EnvelopeError::BadSender);
        }
        let sender = std::str::from_utf8(r.take(len, "sender")?).map_err(|_| EnvelopeError::BadSender)?;
        validate_party_id(sender).map_err(|_| EnvelopeError::BadSender)?;
        let seq = u64::from_be_bytes(r.array("seq")?);
        let tov = f64::from_bits(u64::from_be_bytes(r.array("time of validity")?));
        if !tov.is_finite() {
            return Err(EnvelopeError::NonFiniteTime);
        }
        let plen = u32::from_be_bytes(r.array("payload length")?) as usize;
        if plen > MAX_PAYLOAD {
            return Err(EnvelopeError::PayloadTooLarge(plen));
        }
        let payload = r.take(plen, "payload")?.to_vec();
        let signature = r.array::<SIGNATURE_LEN>("signature")?;
        if !r.b.is_empty() {
            return Err(EnvelopeError::TrailingBytes(r.b.len()));
        }
        Ok(Self { sender: sender.to_owned(), seq, time_of_validity_s: tov, payload, signature })
    }
}

/// Counts of what a [`ReplayGuard`] accepted and rejected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayStats {
    /// Messages admitted.
    pub accepted: u64,
    /// Rejected: unknown sender or bad signature.
    pub bad_signature: u64,
    /// Rejected: sequence number already seen.
    pub replayed: u64,
    /// Rejected: sequence number below the window.
    pub outside_window: u64,
    /// Rejected: time of validity too old.
    pub stale: u64,
    /// Rejected: time of validity too far in the future.
    pub future: u64,
}

/// Width of the per-sender sliding window of sequence numbers.
pub const REPLAY_WINDOW: u64 = 64;

#[derive(Debug, Clone, Copy)]
struct Window {
    newest: u64,
    /// Bit `i` set ⇔ `newest - i` was accepted.
    seen: u64,
}

/// Rejects replayed and stale envelopes (per sender sliding window of [`REPLAY_WINDOW`] sequence numbers,
/// as in IPsec/DTLS, plus a staleness bound on the time of validity).
///
/// Messages may arrive out of order within the window. The window only moves for envelopes whose
/// signature verified ([`ReplayGuard::admit`]), so forged sequence numbers cannot push it forward.
#[derive(Debug, Clone)]
pub struct ReplayGuard {
    max_age_s: f64,
    max_skew_s: f64,
    windows: HashMap<String, Window>,
    stats: ReplayStats,
}

impl ReplayGuard {
    /// A guard rejecting messages older than `max_age_s` or more than `max_skew_s` ahead of `now`.
    pub fn new(max_age_s: f64, max_skew_s: f64) -> Self {
        Self { max_age_s, max_skew_s, windows: HashMap::new(), stats: ReplayStats::default() }
    }

    /// Counts so far.
    pub fn stats(&self) -> ReplayStats {
        self.stats
    }

    /// Verifies the signature, then [`ReplayGuard::check`]s freshness and replay. Accepts the envelope
    /// (and records its sequence number) only if everything passes.
    pub fn admit(&mut self, env: &SignedEnvelope, trust: &TrustStore, now_s: f64) -> Result<(), AuthError> {
        if let Err(e) = env.verify(trust) {
            self.stats.bad_signature += 1;
            return Err(e);
        }
        self.check(env, now_s)
    }

    /// Freshness and replay check only, for an envelope whose signature the caller has verified.
    pub fn check(&mut self, env: &SignedEnvelope, now_s: f64) -> Result<(), AuthError> {
        let age = now_s - env.time_of_validity_s;
        // NaN in `now_s` makes both comparisons false: reject as stale rather than accept.
        if age.partial_cmp(&self.max_age_s).is_none_or(|o| o.is_gt()) {
            self.stats.stale += 1;
            return Err(AuthError::Stale {
                sender: env.sender.clone(),
                seq: env.seq,
                age_s: age,
                max_age_s: self.max_age_s,
            });
        }
        if -age > self.max_skew_s {
            self.stats.future += 1;
            return Err(AuthError::Future {
                sender: env.sender.clone(),
                seq: env.seq,
                ahead_s: -age,
                max_skew_s: self.max_skew_s,
            });
        }
        let seq = env.seq;
        match self.windows.get_mut(&env.sender) {
            None => {
                self.windows.insert(env.sender.clone(), Window { newest: seq, seen: 1 });
            }
            Some(w) if seq > w.newest => {
                let shift = seq - w.newest;
                w.seen = if shift >= REPLAY_WINDOW { 1 } else { (w.seen << shift) | 1 };
                w.newest = seq;
            }
            Some(w) => {
                let back = w.newest - seq;
                if back >= REPLAY_WINDOW {
                    self.stats.outside_window += 1;
                    return Err(AuthError::OutsideWindow {
                        sender: env.sender.clone(),
                        seq,
                        newest: w.newest,
                    });
                }
                let bit = 1u64 << back;
                if w.seen & bit != 0 {
                    self.stats.replayed += 1;
                    return Err(AuthError::Replay { sender: env.sender.clone(), seq });
                }
                w.seen |= bit;
            }
        }
        self.stats.accepted += 1;
        Ok(())
    }
}
