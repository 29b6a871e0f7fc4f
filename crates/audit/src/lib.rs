//! The verifiable record: signed messages, each party's tamper-evident log of what it sent, received and
//! decided, signed checkpoints exchanged with partners, and verification of a set of logs.
//!
//! # Pieces
//! * [`PartyKeys`] / [`TrustStore`]: Ed25519 keys per party and the verifier's party → public key map
//!   ([`keys`] documents the key file formats).
//! * [`SignedEnvelope`]: a transport message signed by its sender, with a canonical byte encoding
//!   ([`envelope`] documents it), and [`ReplayGuard`] rejecting replayed and stale messages.
//! * [`LogBuilder`]: pure (sans-IO) writer of one party's log, JSON Lines `audit-PARTY.jsonl`
//!   ([`entry`] documents the line format and entry hash). Entries form a SHA-256 hash chain; every
//!   [`LogConfig::checkpoint_every`] entries and at close the builder writes a [`Checkpoint`]: the
//!   RFC 6962 Merkle root over all entry hashes so far, signed by the party ([`checkpoint`] documents
//!   it). Checkpoints are sent to partners, who log them as `partner_checkpoint` entries, so that neither
//!   party can later rewrite its history without the partner's log showing it. [`AuditLog`] writes a
//!   builder's lines to a file or any `io::Write`.
//! * [`verify_logs`] / [`verify_dir`]: checks signatures, chains, checkpoints, cross-party consistency
//!   and [`PolicyCheck`]s, and returns a [`VerifyReport`] of precise [`Finding`]s ([`verify`] lists the
//!   checks).
//!
//! # Trust model
//! A party holds its own key, so it can always re-sign a rewritten log of its own; what stops it is
//! that partners hold its earlier signed checkpoints and its signed messages. Hash chain and
//! checkpoints make every byte of a log tamper-evident to anyone holding the trusted public keys.
//! Entries are individually signed only with [`LogConfig::sign_entries`]; otherwise entries written
//! after the last checkpoint before a crash are hash-chained but unsigned, and are reported as such.
//!
//! # Example
//! ```
//! use shieldnet_audit::{LogBuilder, LogConfig, PartyKeys, SignedEnvelope, TrustStore, verify_logs};
//!
//! let nato = PartyKeys::derive_for_simulation(7, "NATO").unwrap();
//! let ru = PartyKeys::derive_for_simulation(7, "RU").unwrap();
//! let trust = TrustStore::from_keys([&nato, &ru]);
//! let mut a = LogBuilder::new(nato.clone(), LogConfig::default(), 0.0).unwrap();
//! let mut b = LogBuilder::new(ru.clone(), LogConfig::default(), 0.0).unwrap();
//!
//! let msg = SignedEnvelope::sign(&nato, 1, 10.0, b"track 17".to_vec()).unwrap();
//! a.record_sent(10.0, &msg, &["RU"]).unwrap();
//! let wire = msg.to_bytes();
//! let got = SignedEnvelope::decode(&wire).unwrap();
//! got.verify(&trust).unwrap();
//! b.record_received(10.2, &got).unwrap();
//! b.record_decision(11.0, &serde_json::json!({"type": "engagement_order", "threat": 17})).unwrap();
//! let cp = a.close(12.0).unwrap();
//! b.record_partner_checkpoint(12.1, &cp).unwrap();
//! b.close(12.5).unwrap();
//!
//! let (la, lb) = (a.take_output(), b.take_output());
//! let report = verify_logs(&[("NATO", &la), ("RU", &lb)], &trust, &[]);
//! assert!(report.is_ok(), "{:?}", report.findings);
//! ```

pub mod checkpoint;
pub mod entry;
pub mod envelope;
pub mod hex;
pub mod keys;
pub mod log;
pub mod verify;

pub use checkpoint::{Checkpoint, CheckpointError, EntryTree, merkle_root};
pub use entry::{DecodedEntry, EntryKind};
pub use envelope::{
    AuthError, EnvelopeError, MAX_PAYLOAD, ReplayGuard, ReplayStats, SignError, SignedEnvelope,
};
pub use keys::{KeyError, PartyKeys, TrustStore};
pub use log::{AuditLog, LogBuilder, LogConfig, LogError};
pub use verify::{
    DecodedLog, Finding, FindingKind, PartyReport, PolicyCheck, ReadError, TRUST_FILE_NAME, VerifyReport,
    decode_log, log_file_name, read_dir_logs, verify_dir, verify_logs, write_dir_logs,
};
