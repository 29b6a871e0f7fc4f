//! Log entry format: JSON Lines, canonical rendering and the entry hash.
//!
//! # Line format
//! One entry per line, UTF-8, terminated by `\n`, fields in exactly this order with no whitespace:
//! ```text
//! {"seq":3,"t_s":12.5,"party":"NATO","kind":"sent","body":{...},"prev_hash":"<64 hex>","entry_hash":"<64 hex>"}
//! ```
//! with `,"signature":"<128 hex>"` before the closing brace when the log signs every entry. Numbers are
//! rendered as `serde_json` renders them (shortest round-trip form for floats), strings with
//! `serde_json`'s escaping, `body` as canonical JSON (object keys sorted by their UTF-8 bytes, no
//! whitespace), hex in lowercase. The verifier re-renders every parsed line and rejects any line that is
//! not byte-identical to its canonical rendering, so every byte of a log is covered by the hash chain.
//!
//! # Entry hash
//! `entry_hash = SHA-256(E)` where `E` is (integers big-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 15 | domain tag, ASCII `shieldnet.entry` |
//! | 1 | version `0x01` |
//! | 8 | `seq`, `u64` |
//! | 8 | `t_s`, IEEE-754 `f64` bits |
//! | 4 + n | party id: `u32` length, UTF-8 bytes |
//! | 4 + n | kind: `u32` length, UTF-8 bytes |
//! | 4 + n | body: `u32` length, canonical JSON UTF-8 bytes |
//! | 32 | `prev_hash` (32 zero bytes for entry 0) |
//!
//! When present, `signature` is the party's Ed25519 signature over the 32-byte `entry_hash`.
//!
//! # Entry kinds and bodies
//! | kind | body fields |
//! |---|---|
//! | `open` (always entry 0) | `format` (1), `party`, `public_key` (hex), `checkpoint_every`, `sign_entries` |
//! | `sent` | `msg_seq`, `sender`, `to` (list of party ids), `tov_s`, `payload` (hex), `digest` (hex envelope digest), `signature` (hex envelope signature) |
//! | `received` | `msg_seq`, `sender`, `receiver`, `tov_s`, `payload`, `digest`, `signature` |
//! | `decision` | any JSON chosen by the node (engagement orders, kill assessments, …) |
//! | `checkpoint` | `tree_size` (= this entry's `seq`), `root` (hex), `is_final`, `signature` (hex, over the checkpoint bytes of [`crate::checkpoint`]) |
//! | `partner_checkpoint` | `party`, `tree_size`, `t_s`, `root`, `is_final`, `signature`: a partner's checkpoint as received |

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::checkpoint::Checkpoint;
use crate::envelope::SIGNATURE_LEN;
use crate::hex;

/// Domain separation tag of the entry hash input.
pub const ENTRY_TAG: &[u8; 15] = b"shieldnet.entry";
/// Current entry format version.
pub const ENTRY_VERSION: u8 = 1;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Opens the log; states the format and options.
    Open,
    /// A message this party sent.
    Sent,
    /// A message this party received and accepted.
    Received,
    /// A decision: engagement order, kill assessment, …
    Decision,
    /// This party's signed checkpoint over its log so far.
    Checkpoint,
    /// A partner's checkpoint as received.
    PartnerCheckpoint,
}

impl EntryKind {
    /// The `kind` string in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Sent => "sent",
            Self::Received => "received",
            Self::Decision => "decision",
            Self::Checkpoint => "checkpoint",
            Self::PartnerCheckpoint => "partner_checkpoint",
        }
    }

    /// Parses a `kind` string.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => Self::Open,
            "sent" => Self::Sent,
            "received" => Self::Received,
            "decision" => Self::Decision,
            "checkpoint" => Self::Checkpoint,
            "partner_checkpoint" => Self::PartnerCheckpoint,
            _ => return None,
        })
    }
}

/// Body of the `open` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    /// Log format version (1).
    pub format: u32,
    /// The party writing the log.
    pub party: String,
    /// The party's public key, hex (informative: verifiers use their trust store).
    pub public_key: String,
    /// Entries between automatic checkpoints (0: none).
    pub checkpoint_every: u64,
    /// Whether every entry carries its own signature.
    pub sign_entries: bool,
}

/// Body of a `sent` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentBody {
    /// Envelope sequence number.
    pub msg_seq: u64,
    /// Sender (this party).
    pub sender: String,
    /// Intended receivers.
    pub to: Vec<String>,
    /// Envelope time of validity.
    pub tov_s: f64,
    /// Envelope payload, hex.
    pub payload: String,
    /// Envelope digest, hex.
    pub digest: String,
    /// Envelope signature, hex.
    pub signature: String,
}

/// Body of a `received` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceivedBody {
    /// Envelope sequence number.
    pub msg_seq: u64,
    /// Sender.
    pub sender: String,
    /// Receiver (this party).
    pub receiver: String,
    /// Envelope time of validity.
    pub tov_s: f64,
    /// Envelope payload, hex.
    pub payload: String,
    /// Envelope digest, hex.
    pub digest: String,
    /// Envelope signature, hex.
    pub signature: String,
}

/// Body of a `checkpoint` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointBody {
    /// Entries covered.
    pub tree_size: u64,
    /// Merkle root, hex.
    pub root: String,
    /// Whether this checkpoint closes the log.
    pub is_final: bool,
    /// Checkpoint signature, hex.
    pub signature: String,
}

/// Body of a `partner_checkpoint` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerCheckpointBody {
    /// The partner whose checkpoint this is.
    pub party: String,
    /// Entries covered.
    pub tree_size: u64,
    /// Checkpoint time.
    pub t_s: f64,
    /// Merkle root, hex.
    pub root: String,
    /// Whether it closed the partner's log.
    pub is_final: bool,
    /// Partner's signature, hex.
    pub signature: String,
}

impl PartnerCheckpointBody {
    /// Body recording `cp`.
    pub fn from_checkpoint(cp: &Checkpoint) -> Self {
        Self {
            party: cp.party.clone(),
            tree_size: cp.tree_size,
            t_s: cp.t_s,
            root: hex::encode(&cp.root),
            is_final: cp.is_final,
            signature: hex::encode(&cp.signature),
        }
    }

    /// The checkpoint this body records, if its hex fields are well formed.
    pub fn to_checkpoint(&self) -> Result<Checkpoint, hex::HexError> {
        Ok(Checkpoint {
            party: self.party.clone(),
            tree_size: self.tree_size,
            t_s: self.t_s,
            root: hex::decode_array(&self.root)?,
            is_final: self.is_final,
            signature: hex::decode_array(&self.signature)?,
        })
    }
}

/// One parsed log line.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedEntry {
    /// 1-based line number in the file.
    pub line: usize,
    /// Entry sequence number (0-based position in the log).
    pub seq: u64,
    /// Time, s since the scenario epoch.
    pub t_s: f64,
    /// The party whose log this is.
    pub party: String,
    /// The `kind` string as written.
    pub kind_str: String,
    /// The kind, if known.
    pub kind: Option<EntryKind>,
    /// The body.
    pub body: Value,
    /// Claimed hash of the previous entry.
    pub prev_hash: [u8; 32],
    /// Claimed hash of this entry.
    pub entry_hash: [u8; 32],
    /// Per-entry signature, if the log signs entries.
    pub signature: Option<[u8; SIGNATURE_LEN]>,
}

/// A line as parsed; hex fields borrow from the line where they hold no escapes (they never do in a
/// valid log), saving an allocation each.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine<'a> {
    seq: u64,
    t_s: f64,
    party: String,
    kind: String,
    body: Value,
    #[serde(borrow)]
    prev_hash: Cow<'a, str>,
    #[serde(borrow)]
    entry_hash: Cow<'a, str>,
    #[serde(default, borrow)]
    signature: Option<Cow<'a, str>>,
}

/// Why a line could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// Not valid JSON for an entry.
    #[error("not a valid entry: {0}")]
    Json(String),
    /// A hex field is malformed.
    #[error("field {field}: {err}")]
    Hex {
        /// Field name.
        field: &'static str,
        /// What is wrong.
        err: hex::HexError,
    },
}

impl DecodedEntry {
    /// Parses one line (without its `\n`). Does not check hashes or canonical form.
    pub fn parse(line_no: usize, line: &[u8]) -> Result<Self, LineError> {
        let raw: RawLine = serde_json::from_slice(line).map_err(|e| LineError::Json(e.to_string()))?;
        let h = |field, s: &str| hex::decode_array::<32>(s).map_err(|err| LineError::Hex { field, err });
        let prev_hash = h("prev_hash", &raw.prev_hash)?;
        let entry_hash = h("entry_hash", &raw.entry_hash)?;
        let signature = match &raw.signature {
            None => None,
            Some(s) => Some(
                hex::decode_array::<SIGNATURE_LEN>(s)
                    .map_err(|err| LineError::Hex { field: "signature", err })?,
            ),
        };
        Ok(Self {
            line: line_no,
            seq: raw.seq,
            t_s: raw.t_s,
            party: raw.party,
            kind: EntryKind::parse(&raw.kind),
            kind_str: raw.kind,
            body: raw.body,
            prev_hash,
            entry_hash,
            signature,
        })
    }

    /// Canonical JSON of the body.
    pub fn body_json(&self) -> String {
        canonical_json(&self.body)
    }

    /// Writes the canonical JSON of the body into `out` (cleared first).
    pub(crate) fn body_json_into(&self, out: &mut String) {
        out.clear();
        write_canonical(&self.body, out);
    }

    /// A one-line human-readable description of the body (for `shieldnet audit show`).
    pub fn describe(&self) -> String {
        fn short(h: &str) -> &str {
            h.get(..12).unwrap_or(h)
        }
        fn payload_text(hex_payload: &str) -> String {
            let bytes = hex::decode(hex_payload).unwrap_or_default();
            match std::str::from_utf8(&bytes) {
                Ok(t) if t.chars().all(|c| !c.is_control()) => {
                    let t: String = t.chars().take(60).collect();
                    format!("{} B {t:?}", bytes.len())
                }
                _ => format!("{} B", bytes.len()),
            }
        }
        let b = &self.body;
        match self.kind {
            Some(EntryKind::Open) => match OpenBody::deserialize(b) {
                Ok(o) => format!(
                    "log opened, key {}…, checkpoint every {}, entry signatures {}",
                    short(&o.public_key),
                    o.checkpoint_every,
                    if o.sign_entries { "on" } else { "off" }
                ),
                Err(_) => canonical_json(b),
            },
            Some(EntryKind::Sent) => match SentBody::deserialize(b) {
                Ok(m) => format!(
                    "msg {} → {} (valid at {} s), {}, digest {}…",
                    m.msg_seq,
                    m.to.join(","),
                    m.tov_s,
                    payload_text(&m.payload),
                    short(&m.digest)
                ),
                Err(_) => canonical_json(b),
            },
            Some(EntryKind::Received) => match ReceivedBody::deserialize(b) {
                Ok(m) => format!(
                    "msg {} ← {} (valid at {} s), {}, digest {}…",
                    m.msg_seq,
                    m.sender,
                    m.tov_s,
                    payload_text(&m.payload),
                    short(&m.digest)
                ),
                Err(_) => canonical_json(b),
            },
            Some(EntryKind::Checkpoint) => match CheckpointBody::deserialize(b) {
                Ok(c) => format!(
                    "{}checkpoint over {} entries, root {}…",
                    if c.is_final { "final " } else { "" },
                    c.tree_size,
                    short(&c.root)
                ),
                Err(_) => canonical_json(b),
            },
            Some(EntryKind::PartnerCheckpoint) => match PartnerCheckpointBody::deserialize(b) {
                Ok(c) => format!(
                    "{}'s {}checkpoint over {} entries, root {}…",
                    c.party,
                    if c.is_final { "final " } else { "" },
                    c.tree_size,
                    short(&c.root)
                ),
                Err(_) => canonical_json(b),
            },
            Some(EntryKind::Decision) | None => canonical_json(b),
        }
    }

    /// Recomputes the entry hash from the fields (using the claimed `prev_hash`).
    pub fn compute_hash(&self) -> [u8; 32] {
        entry_hash(self.seq, self.t_s, &self.party, &self.kind_str, &self.body_json(), &self.prev_hash)
    }

    /// The canonical line (without `\n`) for these fields.
    pub fn render(&self) -> String {
        let mut s = String::new();
        self.render_into(&mut s, &self.body_json());
        s
    }

    /// Renders the canonical line into `out` (cleared first), given the body's canonical JSON.
    pub(crate) fn render_into(&self, out: &mut String, body_json: &str) {
        out.clear();
        render_line_into(
            out,
            self.seq,
            self.t_s,
            &self.party,
            &self.kind_str,
            body_json,
            &self.prev_hash,
            &self.entry_hash,
            self.signature.as_ref(),
        );
    }

    /// Recomputes the entry hash given the body's canonical JSON.
    pub(crate) fn hash_with(&self, body_json: &str) -> [u8; 32] {
        entry_hash(self.seq, self.t_s, &self.party, &self.kind_str, body_json, &self.prev_hash)
    }
}

/// Computes an entry hash (see the module docs).
pub fn entry_hash(
    seq: u64,
    t_s: f64,
    party: &str,
    kind: &str,
    body_json: &str,
    prev_hash: &[u8; 32],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(ENTRY_TAG);
    h.update([ENTRY_VERSION]);
    h.update(seq.to_be_bytes());
    h.update(t_s.to_bits().to_be_bytes());
    for field in [party, kind, body_json] {
        h.update((field.len() as u32).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.update(prev_hash);
    h.finalize().into()
}

fn json_string(out: &mut String, s: &str) {
    // Branch-free scan (vectorises); long hex strings are the common case.
    let plain = !s.bytes().fold(false, |bad, b| bad | (b < 0x20) | (b == b'"') | (b == b'\\') | (b >= 0x7f));
    if plain {
        // Nothing to escape (the common case: ids, kinds, hex).
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        // serde_json's string escaping; serializing a &str cannot fail.
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

fn json_f64(out: &mut String, x: f64) {
    // serde_json's float form (ryu shortest round-trip, `.0` on integers); non-finite values, which the
    // writer never produces, render as `null`.
    let mut buf = [0u8; 32];
    let mut w = &mut buf[..];
    if serde_json::to_writer(&mut w, &x).is_ok() {
        let n = 32 - w.len();
        out.push_str(std::str::from_utf8(&buf[..n]).unwrap_or("null"));
    }
}

/// Renders a canonical line (see the module docs).
#[allow(clippy::too_many_arguments)]
pub fn render_line(
    seq: u64,
    t_s: f64,
    party: &str,
    kind: &str,
    body_json: &str,
    prev_hash: &[u8; 32],
    entry_hash: &[u8; 32],
    signature: Option<&[u8; SIGNATURE_LEN]>,
) -> String {
    let mut s = String::with_capacity(body_json.len() + 220);
    render_line_into(&mut s, seq, t_s, party, kind, body_json, prev_hash, entry_hash, signature);
    s
}

#[allow(clippy::too_many_arguments)]
fn render_line_into(
    s: &mut String,
    seq: u64,
    t_s: f64,
    party: &str,
    kind: &str,
    body_json: &str,
    prev_hash: &[u8; 32],
    entry_hash: &[u8; 32],
    signature: Option<&[u8; SIGNATURE_LEN]>,
) {
    let _ = write!(s, "{{\"seq\":{seq},\"t_s\":");
    json_f64(s, t_s);
    s.push_str(",\"party\":");
    json_string(s, party);
    s.push_str(",\"kind\":");
    json_string(s, kind);
    s.push_str(",\"body\":");
    s.push_str(body_json);
    s.push_str(",\"prev_hash\":\"");
    hex::encode_into(s, prev_hash);
    s.push_str("\",\"entry_hash\":\"");
    hex::encode_into(s, entry_hash);
    s.push('"');
    if let Some(sig) = signature {
        s.push_str(",\"signature\":\"");
        hex::encode_into(s, sig);
        s.push('"');
    }
    s.push('}');
}

/// Canonical JSON: object keys sorted by UTF-8 bytes, no whitespace, `serde_json` number and string
/// forms. Independent of `serde_json`'s `preserve_order` feature.
pub fn canonical_json(v: &Value) -> String {
    let mut s = String::new();
    write_canonical(v, &mut s);
    s
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => json_string(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<(&String, &Value)> = m.iter().collect();
            keys.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, x)) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, k);
                out.push(':');
                write_canonical(x, out);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_and_round_trips() {
        let v: Value =
            serde_json::from_str(r#"{"b":1,"a":[true,null,"x\n"],"c":{"z":0.1,"y":-2.5e300}}"#).unwrap();
        let c = canonical_json(&v);
        assert_eq!(c, r#"{"a":[true,null,"x\n"],"b":1,"c":{"y":-2.5e+300,"z":0.1}}"#);
        let v2: Value = serde_json::from_str(&c).unwrap();
        assert_eq!(canonical_json(&v2), c);
    }

    #[test]
    fn line_round_trip() {
        let body: Value = serde_json::json!({"type": "engagement_order", "threat": 3});
        let bj = canonical_json(&body);
        let h = entry_hash(4, 0.1 + 0.2, "NATO", "decision", &bj, &[1; 32]);
        let line = render_line(4, 0.1 + 0.2, "NATO", "decision", &bj, &[1; 32], &h, None);
        let d = DecodedEntry::parse(5, line.as_bytes()).unwrap();
        assert_eq!(d.render(), line);
        assert_eq!(d.compute_hash(), h);
        assert_eq!(d.t_s, 0.1 + 0.2);
    }
}
