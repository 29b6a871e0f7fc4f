//! Verification of a set of party logs: each log on its own, then across parties.
//!
//! # Per log
//! * every complete line parses, is in canonical form and names the log's party;
//! * `seq` counts 0, 1, 2, … (a gap or a step back means an entry was dropped, inserted or moved);
//! * `prev_hash` equals the recomputed hash of the previous entry; `entry_hash` equals the hash
//!   recomputed from the entry's fields; times never go backwards;
//! * entry 0 is `open`, and its declared public key matches the trusted one;
//! * every `checkpoint`'s `tree_size` equals its `seq`, its root equals the RFC 6962 root of the entries
//!   before it and its signature verifies; nothing follows the final checkpoint; entries after the last
//!   checkpoint (a log that was not closed) are reported as not covered by a signature;
//! * with `sign_entries`, every entry's signature verifies (batch verification);
//! * message entries: the stored digest matches the stored envelope fields;
//! * decisions pass every [`PolicyCheck`];
//! * a final line without `\n` is a truncation (crash mid-write): it is reported, and everything before
//!   it is verified as usual.
//!
//! # Across logs
//! * every `received` entry matches a `sent` entry with the same `msg_seq` in the sender's log: same
//!   digest, and the receiver among its recipients. Where the sender's log has no such entry, the
//!   envelope signature stored with the received entry decides who is at fault: valid → the sender's
//!   log omits a message the sender signed; invalid → the receiver's entry is unsupported;
//! * a sender never logs two different messages under one `msg_seq`;
//! * every `partner_checkpoint` verifies under the partner's key, and the partner's log is consistent
//!   with it: its first `tree_size` entries have the signed root, and a final checkpoint is the
//!   partner's last entry.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use ed25519_dalek::{Signature, VerifyingKey, verify_batch};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::checkpoint::{Checkpoint, EntryTree};
use crate::entry::{
    CheckpointBody, DecodedEntry, EntryKind, OpenBody, PartnerCheckpointBody, ReceivedBody, SentBody,
};
use crate::envelope::{SigCheck, envelope_digest, verify_digest_signature};
use crate::hex;
use crate::keys::TrustStore;

/// A rule over decision entries, e.g. "no engagement order outside the party's sector".
///
/// The verifier calls `check` on every well-formed `decision` entry; `Some(reason)` becomes a
/// [`FindingKind::Policy`] finding.
pub trait PolicyCheck: Send + Sync {
    /// Returns why `entry` breaks the rule, or `None` if it complies.
    fn check(&self, entry: &DecodedEntry) -> Option<String>;
}

impl<F> PolicyCheck for F
where
    F: Fn(&DecodedEntry) -> Option<String> + Send + Sync,
{
    fn check(&self, entry: &DecodedEntry) -> Option<String> {
        self(entry)
    }
}

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// A line is not a valid entry (bad JSON, field, hex or body).
    Malformed,
    /// A line parses but is not byte-identical to its canonical rendering.
    NonCanonical,
    /// The entry's `party` is not the log's party, or a message names the wrong party.
    WrongParty,
    /// `seq` does not continue the sequence.
    SeqGap,
    /// `prev_hash` does not match the previous entry.
    ChainBreak,
    /// `entry_hash` does not match the entry's content.
    HashMismatch,
    /// Time goes backwards or is not finite.
    TimeRegression,
    /// A signature (entry, checkpoint, envelope) does not verify, or is missing.
    BadSignature,
    /// No trusted key for a party.
    UnknownParty,
    /// The log's `open` entry is missing or wrong.
    BadOpen,
    /// A checkpoint's size or root does not match the log.
    CheckpointMismatch,
    /// Entries follow the final checkpoint.
    EntryAfterClose,
    /// The log has entries not covered by any signed checkpoint (it was not closed).
    Unsealed,
    /// The file ends in an incomplete line (crash mid-write or cut).
    Truncated,
    /// A message entry's digest does not match its fields.
    DigestMismatch,
    /// A received message has no matching sent entry in the sender's log.
    UnmatchedReceived,
    /// A sender's log lacks a message the sender signed and a partner received.
    MissingSent,
    /// A received message differs from the sender's sent entry.
    MessageMismatch,
    /// A sender logged two different messages with the same `msg_seq`.
    Equivocation,
    /// The same message was logged as received twice.
    DuplicateReceived,
    /// A partner's log is inconsistent with a checkpoint it signed.
    PartnerCheckpointMismatch,
    /// A log referenced by another log is not among the logs verified.
    MissingLog,
    /// A decision broke a policy rule.
    Policy,
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s =
            serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        f.write_str(&s)
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The party whose log holds the problem.
    pub party: String,
    /// The entry concerned, if one.
    pub entry_seq: Option<u64>,
    /// 1-based line in that party's log, if one.
    pub line: Option<usize>,
    /// What kind of problem.
    pub kind: FindingKind,
    /// Precise description.
    pub detail: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.party)?;
        if let Some(s) = self.entry_seq {
            write!(f, " entry {s}")?;
        }
        if let Some(l) = self.line {
            write!(f, " (line {l})")?;
        }
        write!(f, ": {}: {}", self.kind, self.detail)
    }
}

/// Summary of one party's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyReport {
    /// Party id.
    pub party: String,
    /// Complete lines read.
    pub entries: u64,
    /// Entries covered by the last valid signed checkpoint.
    pub sealed_entries: u64,
    /// Checkpoints in the log.
    pub checkpoints: u64,
    /// Whether the log ends with a valid final checkpoint.
    pub closed: bool,
    /// Bytes of an incomplete final line, if the file was truncated.
    pub truncated_bytes: Option<usize>,
    /// `sent` entries.
    pub sent: u64,
    /// `received` entries.
    pub received: u64,
    /// `decision` entries.
    pub decisions: u64,
}

/// The result of verifying a set of logs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Per-party summaries, by party id.
    pub parties: Vec<PartyReport>,
    /// Every problem found, by party, then line.
    pub findings: Vec<Finding>,
}

impl VerifyReport {
    /// True when there are no findings.
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }

    /// Total complete entries read over all logs.
    pub fn total_entries(&self) -> u64 {
        self.parties.iter().map(|p| p.entries).sum()
    }
}

/// Why a directory of logs could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// Reading the directory or a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The directory holds no `audit-*.jsonl` file.
    #[error("{0}: no audit-*.jsonl logs found")]
    NoLogs(String),
}

/// File name of a party's log.
pub fn log_file_name(party: &str) -> String {
    format!("audit-{party}.jsonl")
}

/// Name of the trust list a run writes beside the logs.
pub const TRUST_FILE_NAME: &str = "trust.txt";

/// Writes each party's log as `dir/audit-PARTY.jsonl` and the trust list as `dir/trust.txt` (the
/// layout `shieldnet run --out DIR` produces and `shieldnet audit verify DIR` reads). Creates `dir`.
pub fn write_dir_logs(dir: &Path, logs: &[(&str, &[u8])], trust: &TrustStore) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (party, bytes) in logs {
        std::fs::write(dir.join(log_file_name(party)), bytes)?;
    }
    std::fs::write(dir.join(TRUST_FILE_NAME), trust.to_text())
}

/// Reads every `audit-PARTY.jsonl` in `dir`, sorted by party.
pub fn read_dir_logs(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, ReadError> {
    let io = |path: &Path, source| ReadError::Io { path: path.display().to_string(), source };
    let mut logs = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
        let e = e.map_err(|e| io(dir, e))?;
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(party) = name.strip_prefix("audit-").and_then(|n| n.strip_suffix(".jsonl")) {
            let p = e.path();
            logs.push((party.to_owned(), std::fs::read(&p).map_err(|err| io(&p, err))?));
        }
    }
    if logs.is_empty() {
        return Err(ReadError::NoLogs(dir.display().to_string()));
    }
    logs.sort();
    Ok(logs)
}

/// Reads and verifies every `audit-PARTY.jsonl` in `dir`.
pub fn verify_dir(
    dir: &Path,
    trust: &TrustStore,
    policies: &[&dyn PolicyCheck],
) -> Result<VerifyReport, ReadError> {
    let logs = read_dir_logs(dir)?;
    let refs: Vec<(&str, &[u8])> = logs.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    Ok(verify_logs(&refs, trust, policies))
}

/// A log split into entries without verification (for display).
#[derive(Debug, Clone, Default)]
pub struct DecodedLog {
    /// Entries that parsed.
    pub entries: Vec<DecodedEntry>,
    /// Lines that did not parse: (line, reason).
    pub errors: Vec<(usize, String)>,
    /// Bytes of an incomplete final line.
    pub truncated_bytes: Option<usize>,
}

/// Splits a log into complete lines (1-based line numbers) and the incomplete tail, if any.
type Lines<'a> = (Vec<(usize, &'a [u8])>, Option<&'a [u8]>);

fn split_lines(bytes: &[u8]) -> Lines<'_> {
    let mut lines = Vec::new();
    let mut rest = bytes;
    let mut n = 0;
    while let Some(i) = rest.iter().position(|&b| b == b'\n') {
        n += 1;
        lines.push((n, &rest[..i]));
        rest = &rest[i + 1..];
    }
    (lines, (!rest.is_empty()).then_some(rest))
}

/// Parses a log for display, without checking it.
pub fn decode_log(bytes: &[u8]) -> DecodedLog {
    let (lines, tail) = split_lines(bytes);
    let mut out = DecodedLog { truncated_bytes: tail.map(<[u8]>::len), ..Default::default() };
    for (n, l) in lines {
        match DecodedEntry::parse(n, l) {
            Ok(e) => out.entries.push(e),
            Err(e) => out.errors.push((n, e.to_string())),
        }
    }
    out
}

struct SentInfo<'a> {
    entry_seq: u64,
    line: usize,
    digest: [u8; 32],
    to: Vec<String>,
    raw: &'a [u8],
}

struct ReceivedInfo<'a> {
    entry_seq: u64,
    line: usize,
    digest: [u8; 32],
    sender: String,
    msg_seq: u64,
    signature: [u8; 64],
    raw: &'a [u8],
}

/// Borrowed view of a `sent` body (avoids allocating per entry).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SentRef<'a> {
    msg_seq: u64,
    sender: &'a str,
    #[serde(borrow)]
    to: Vec<&'a str>,
    tov_s: f64,
    payload: &'a str,
    digest: &'a str,
    signature: &'a str,
}

/// Borrowed view of a `received` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceivedRef<'a> {
    msg_seq: u64,
    sender: &'a str,
    receiver: &'a str,
    tov_s: f64,
    payload: &'a str,
    digest: &'a str,
    signature: &'a str,
}

struct PartnerCp {
    entry_seq: u64,
    line: usize,
    cp: Checkpoint,
}

struct PartyOutcome<'a> {
    report: PartyReport,
    findings: Vec<Finding>,
    sent: HashMap<u64, SentInfo<'a>>,
    received: Vec<ReceivedInfo<'a>>,
    partner_cps: Vec<PartnerCp>,
    tree: EntryTree,
    /// Recomputed roots at the sizes where the log has checkpoints.
    own_roots: HashMap<u64, [u8; 32]>,
}

struct Ctx<'a> {
    party: &'a str,
    findings: Vec<Finding>,
}

impl Ctx<'_> {
    fn add(&mut self, e: Option<(u64, usize)>, kind: FindingKind, detail: impl Into<String>) {
        self.findings.push(Finding {
            party: self.party.to_owned(),
            entry_seq: e.map(|x| x.0),
            line: e.map(|x| x.1),
            kind,
            detail: detail.into(),
        });
    }
}

fn body<T: serde::de::DeserializeOwned>(e: &DecodedEntry) -> Result<T, String> {
    T::deserialize(&e.body).map_err(|err| format!("{} body: {err}", e.kind_str))
}

fn hex32(s: &str, what: &str) -> Result<[u8; 32], String> {
    hex::decode_array::<32>(s).map_err(|e| format!("{what}: {e}"))
}

fn hex64(s: &str, what: &str) -> Result<[u8; 64], String> {
    hex::decode_array::<64>(s).map_err(|e| format!("{what}: {e}"))
}

/// Checks a message body's stored digest against its fields; returns (digest, signature).
#[allow(clippy::type_complexity)]
fn check_message(
    buf: &mut Vec<u8>,
    sender: &str,
    msg_seq: u64,
    tov_s: f64,
    payload_hex: &str,
    digest_hex: &str,
    sig_hex: &str,
) -> Result<Result<([u8; 32], [u8; 64]), String>, String> {
    hex::decode_into(buf, payload_hex).map_err(|e| format!("payload: {e}"))?;
    let digest = hex32(digest_hex, "digest")?;
    let sig = hex64(sig_hex, "signature")?;
    if crate::keys::validate_party_id(sender).is_err() {
        return Err(format!("invalid sender id {sender:?}"));
    }
    let computed = envelope_digest(sender, msg_seq, tov_s, buf);
    Ok(if computed == digest {
        Ok((digest, sig))
    } else {
        Err(format!(
            "stored digest {} does not match the digest {} of the stored envelope fields",
            &digest_hex[..16],
            &hex::encode(&computed)[..16]
        ))
    })
}

fn verify_party<'a>(
    party: &str,
    bytes: &'a [u8],
    trust: &TrustStore,
    policies: &[&dyn PolicyCheck],
) -> PartyOutcome<'a> {
    use FindingKind as K;
    let mut cx = Ctx { party, findings: Vec::new() };
    let key: Option<VerifyingKey> = trust.get(party).copied();
    if key.is_none() {
        cx.add(
            None,
            K::UnknownParty,
            format!("no trusted public key for {party}: signatures cannot be checked"),
        );
    }
    let (lines, tail) = split_lines(bytes);
    let mut report = PartyReport {
        party: party.to_owned(),
        entries: lines.len() as u64,
        sealed_entries: 0,
        checkpoints: 0,
        closed: false,
        truncated_bytes: tail.map(<[u8]>::len),
        sent: 0,
        received: 0,
        decisions: 0,
    };
    let mut sent: HashMap<u64, SentInfo<'a>> = HashMap::new();
    let mut payload_buf = Vec::new();
    let mut received = Vec::new();
    let mut partner_cps = Vec::new();
    let mut tree = EntryTree::new();
    let mut own_roots = HashMap::new();
    let mut expected_seq: u64 = 0;
    let mut prev: Option<[u8; 32]> = Some([0; 32]);
    let mut last_t = f64::NEG_INFINITY;
    let mut sign_entries = false;
    let mut closed_at: Option<u64> = None;
    let mut reported_after_close = false;
    let mut pending_sigs: Vec<([u8; 32], [u8; 64], u64, usize)> = Vec::new();
    let mut last_complete: Option<(u64, usize)> = None;
    let mut canonical = String::new();
    let mut body_json = String::new();

    if lines.is_empty() && tail.is_none() {
        cx.add(None, K::BadOpen, "the log is empty");
    }

    for &(line_no, raw) in &lines {
        let e = match DecodedEntry::parse(line_no, raw) {
            Ok(e) => e,
            Err(err) => {
                cx.add(Some((expected_seq, line_no)), K::Malformed, err.to_string());
                expected_seq += 1;
                prev = None;
                continue;
            }
        };
        let at = Some((e.seq, line_no));
        last_complete = Some((e.seq, line_no));
        e.body_json_into(&mut body_json);
        e.render_into(&mut canonical, &body_json);
        if canonical.as_bytes() != raw {
            let pos = canonical
                .bytes()
                .zip(raw.iter())
                .position(|(a, &b)| a != b)
                .unwrap_or(raw.len().min(canonical.len()));
            cx.add(at, K::NonCanonical, format!("line differs from its canonical form at byte {pos}"));
        }
        if e.party != party {
            cx.add(at, K::WrongParty, format!("entry names party {:?} in {party}'s log", e.party));
        }
        if e.seq != expected_seq {
            let what = if e.seq > expected_seq {
                format!(
                    "{} entr{} missing before it",
                    e.seq - expected_seq,
                    if e.seq - expected_seq == 1 { "y" } else { "ies" }
                )
            } else {
                "entries reordered or repeated".to_owned()
            };
            cx.add(at, K::SeqGap, format!("expected seq {expected_seq}, found {}: {what}", e.seq));
        }
        expected_seq = e.seq.wrapping_add(1);
        if !e.t_s.is_finite() || e.t_s < last_t {
            cx.add(
                at,
                K::TimeRegression,
                format!("time {} s is before the previous entry's {} s", e.t_s, last_t),
            );
        } else {
            last_t = e.t_s;
        }
        let h = e.hash_with(&body_json);
        if h != e.entry_hash {
            cx.add(at, K::HashMismatch, "entry content does not match its entry_hash (entry altered)");
        }
        if let Some(p) = prev
            && p != e.prev_hash
        {
            cx.add(at, K::ChainBreak, "prev_hash does not match the hash of the preceding entry");
        }
        prev = Some(h);
        if let Some(c) = closed_at
            && !reported_after_close
        {
            cx.add(at, K::EntryAfterClose, format!("entry follows the final checkpoint (entry {c})"));
            reported_after_close = true;
        }
        match (sign_entries, e.signature) {
            (true, Some(sig)) => pending_sigs.push((h, sig, e.seq, line_no)),
            (true, None) => cx.add(at, K::BadSignature, "entry signature missing (log signs every entry)"),
            (false, Some(_)) if e.seq != 0 => {
                cx.add(at, K::Malformed, "unexpected entry signature (log does not sign entries)")
            }
            _ => {}
        }

        let kind = e.kind;
        if e.seq == 0 && kind != Some(EntryKind::Open) || e.seq != 0 && kind == Some(EntryKind::Open) {
            cx.add(at, K::BadOpen, "entry 0, and only entry 0, must be the `open` entry");
        }
        match kind {
            None => cx.add(at, K::Malformed, format!("unknown entry kind {:?}", e.kind_str)),
            Some(EntryKind::Open) => match body::<OpenBody>(&e) {
                Err(m) => cx.add(at, K::Malformed, m),
                Ok(b) => {
                    if e.seq == 0 {
                        sign_entries = b.sign_entries;
                        match (sign_entries, e.signature) {
                            (true, Some(sig)) => pending_sigs.push((h, sig, e.seq, line_no)),
                            (true, None) => {
                                cx.add(at, K::BadSignature, "entry signature missing (log signs every entry)")
                            }
                            (false, Some(_)) => cx.add(
                                at,
                                K::Malformed,
                                "unexpected entry signature (log does not sign entries)",
                            ),
                            (false, None) => {}
                        }
                    }
                    if b.party != party || b.format != 1 {
                        cx.add(
                            at,
                            K::BadOpen,
                            format!("open entry declares party {:?}, format {}", b.party, b.format),
                        );
                    }
                    if let Some(k) = key
                        && b.public_key != hex::encode(k.as_bytes())
                    {
                        cx.add(at, K::BadOpen, "declared public key differs from the trusted key");
                    }
                }
            },
            Some(EntryKind::Checkpoint) => {
                report.checkpoints += 1;
                match body::<CheckpointBody>(&e).and_then(|b| {
                    Ok((hex32(&b.root, "root")?, hex64(&b.signature, "signature")?, b.tree_size, b.is_final))
                }) {
                    Err(m) => cx.add(at, K::Malformed, m),
                    Ok((root, signature, tree_size, is_final)) => {
                        let cp = Checkpoint {
                            party: party.to_owned(),
                            tree_size,
                            t_s: e.t_s,
                            root,
                            is_final,
                            signature,
                        };
                        let mut ok = true;
                        let computed = tree.root();
                        own_roots.insert(tree.len(), computed);
                        if tree_size != tree.len() || tree_size != e.seq {
                            cx.add(
                                at,
                                K::CheckpointMismatch,
                                format!(
                                    "checkpoint claims {tree_size} entries but {} precede it",
                                    tree.len()
                                ),
                            );
                            ok = false;
                        } else if computed != root {
                            cx.add(
                                at,
                                K::CheckpointMismatch,
                                format!(
                                    "signed root does not match the Merkle root of entries 0..{tree_size}"
                                ),
                            );
                            ok = false;
                        }
                        if let Some(k) = key
                            && k.verify_strict(&cp.signed_bytes(), &Signature::from_bytes(&signature))
                                .is_err()
                        {
                            cx.add(at, K::BadSignature, "checkpoint signature does not verify");
                            ok = false;
                        }
                        if ok && key.is_some() {
                            report.sealed_entries = tree_size;
                        }
                        if is_final && closed_at.is_none() {
                            closed_at = Some(e.seq);
                            report.closed = ok;
                        }
                    }
                }
            }
            Some(EntryKind::PartnerCheckpoint) => {
                match body::<PartnerCheckpointBody>(&e)
                    .and_then(|b| b.to_checkpoint().map_err(|x| x.to_string()))
                {
                    Err(m) => cx.add(at, K::Malformed, m),
                    Ok(cp) => match cp.verify(trust) {
                        Err(crate::CheckpointError::UnknownParty(p)) => {
                            cx.add(at, K::UnknownParty, format!("checkpoint from untrusted party {p}"))
                        }
                        Err(_) => cx.add(
                            at,
                            K::BadSignature,
                            format!("{}'s checkpoint signature does not verify", cp.party),
                        ),
                        Ok(()) => partner_cps.push(PartnerCp { entry_seq: e.seq, line: line_no, cp }),
                    },
                }
            }
            Some(EntryKind::Sent) => {
                report.sent += 1;
                match SentRef::deserialize(&e.body).map_err(|err| format!("sent body: {err}")) {
                    Err(m) => cx.add(at, K::Malformed, m),
                    Ok(b) => match check_message(
                        &mut payload_buf,
                        b.sender,
                        b.msg_seq,
                        b.tov_s,
                        b.payload,
                        b.digest,
                        b.signature,
                    ) {
                        Err(m) => cx.add(at, K::Malformed, m),
                        Ok(Err(m)) => cx.add(at, K::DigestMismatch, m),
                        Ok(Ok((digest, _))) => {
                            if b.sender != party {
                                cx.add(at, K::WrongParty, format!("sent entry names sender {:?}", b.sender));
                            }
                            match sent.get(&b.msg_seq) {
                                Some(first) if first.digest != digest => cx.add(
                                    at,
                                    K::Equivocation,
                                    format!(
                                        "message {} differs from the message with the same msg_seq at entry {} (line {})",
                                        b.msg_seq, first.entry_seq, first.line
                                    ),
                                ),
                                Some(_) => {}
                                None => {
                                    let to = b.to.iter().map(|s| (*s).to_owned()).collect();
                                    sent.insert(
                                        b.msg_seq,
                                        SentInfo { entry_seq: e.seq, line: line_no, digest, to, raw },
                                    );
                                }
                            }
                        }
                    },
                }
            }
            Some(EntryKind::Received) => {
                report.received += 1;
                match ReceivedRef::deserialize(&e.body).map_err(|err| format!("received body: {err}")) {
                    Err(m) => cx.add(at, K::Malformed, m),
                    Ok(b) => match check_message(
                        &mut payload_buf,
                        b.sender,
                        b.msg_seq,
                        b.tov_s,
                        b.payload,
                        b.digest,
                        b.signature,
                    ) {
                        Err(m) => cx.add(at, K::Malformed, m),
                        Ok(Err(m)) => cx.add(at, K::DigestMismatch, m),
                        Ok(Ok((digest, signature))) => {
                            if b.receiver != party {
                                cx.add(
                                    at,
                                    K::WrongParty,
                                    format!("received entry names receiver {:?}", b.receiver),
                                );
                            }
                            received.push(ReceivedInfo {
                                entry_seq: e.seq,
                                line: line_no,
                                digest,
                                sender: b.sender.to_owned(),
                                msg_seq: b.msg_seq,
                                signature,
                                raw,
                            });
                        }
                    },
                }
            }
            Some(EntryKind::Decision) => {
                report.decisions += 1;
                for p in policies {
                    if let Some(reason) = p.check(&e) {
                        cx.add(at, K::Policy, reason);
                    }
                }
            }
        }
        tree.push(h);
    }

    // Per-entry signatures, in batches; a failed batch is re-checked one by one to name the entry.
    if let Some(k) = key {
        for chunk in pending_sigs.chunks(64) {
            let msgs: Vec<&[u8]> = chunk.iter().map(|c| c.0.as_slice()).collect();
            let sigs: Vec<Signature> = chunk.iter().map(|c| Signature::from_bytes(&c.1)).collect();
            let keys = vec![k; chunk.len()];
            if verify_batch(&msgs, &sigs, &keys).is_err() {
                for (c, s) in chunk.iter().zip(&sigs) {
                    if k.verify_strict(&c.0, s).is_err() {
                        cx.add(Some((c.2, c.3)), K::BadSignature, "entry signature does not verify");
                    }
                }
            }
        }
    }

    if closed_at.is_none() && !lines.is_empty() && report.sealed_entries < tree.len() {
        let detail = if sign_entries {
            format!(
                "log not closed: entries {}..{} are after the last valid checkpoint (they carry per-entry signatures)",
                report.sealed_entries,
                tree.len()
            )
        } else {
            format!(
                "log not closed: entries {}..{} are not covered by any valid signed checkpoint",
                report.sealed_entries,
                tree.len()
            )
        };
        cx.add(None, K::Unsealed, detail);
    }
    if let Some(t) = tail {
        let detail = match last_complete {
            Some((s, l)) => format!(
                "log truncated after entry {s} (line {l}): an incomplete final line of {} bytes was ignored; the {} complete lines were verified",
                t.len(),
                lines.len()
            ),
            None => format!("log truncated: only an incomplete first line of {} bytes", t.len()),
        };
        cx.add(None, K::Truncated, detail);
    }
    PartyOutcome { report, findings: cx.findings, sent, received, partner_cps, tree, own_roots }
}

fn describe_difference(sent_line: &[u8], received_line: &[u8]) -> String {
    let sent = DecodedEntry::parse(0, sent_line).ok().and_then(|e| SentBody::deserialize(&e.body).ok());
    let received =
        DecodedEntry::parse(0, received_line).ok().and_then(|e| ReceivedBody::deserialize(&e.body).ok());
    let (Some(s), Some(r)) = (sent, received) else { return "digests differ".to_owned() };
    let mut diffs = Vec::new();
    if s.tov_s != r.tov_s {
        diffs.push(format!("time of validity {} s sent vs {} s received", s.tov_s, r.tov_s));
    }
    if s.payload != r.payload {
        let (a, b) =
            (hex::decode(&s.payload).unwrap_or_default(), hex::decode(&r.payload).unwrap_or_default());
        let pos = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        diffs.push(format!("payload ({} vs {} bytes) first differs at byte {pos}", a.len(), b.len()));
    }
    if s.signature != r.signature {
        diffs.push("envelope signature differs".to_owned());
    }
    if diffs.is_empty() { "digests differ".to_owned() } else { diffs.join("; ") }
}

/// Verifies logs given as (party id, file bytes), each party's log on its own (in parallel), then
/// across parties. See the module docs for the checks.
pub fn verify_logs(
    logs: &[(&str, &[u8])],
    trust: &TrustStore,
    policies: &[&dyn PolicyCheck],
) -> VerifyReport {
    use FindingKind as K;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(logs.len()).max(1);
    let mut outcomes: Vec<Option<PartyOutcome>> = (0..logs.len()).map(|_| None).collect();
    if workers <= 1 {
        for (slot, (p, b)) in outcomes.iter_mut().zip(logs) {
            *slot = Some(verify_party(p, b, trust, policies));
        }
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results = std::sync::Mutex::new(&mut outcomes);
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((p, b)) = logs.get(i) else { break };
                        let o = verify_party(p, b, trust, policies);
                        if let Ok(mut r) = results.lock() {
                            r[i] = Some(o);
                        }
                    }
                });
            }
        });
    }
    let outcomes: Vec<PartyOutcome> = outcomes.into_iter().flatten().collect();
    let by_party: BTreeMap<&str, &PartyOutcome> =
        outcomes.iter().map(|o| (o.report.party.as_str(), o)).collect();
    let mut findings: Vec<Finding> = outcomes.iter().flat_map(|o| o.findings.iter().cloned()).collect();
    let mut missing_logs: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut add = |party: &str, at: Option<(u64, usize)>, kind, detail: String| {
        findings.push(Finding {
            party: party.to_owned(),
            entry_seq: at.map(|x| x.0),
            line: at.map(|x| x.1),
            kind,
            detail,
        })
    };

    for o in &outcomes {
        let me = o.report.party.as_str();
        let mut seen: HashMap<(&str, u64), u64> = HashMap::new();
        for r in &o.received {
            let b = r;
            let at = Some((r.entry_seq, r.line));
            if let Some(first) = seen.insert((b.sender.as_str(), b.msg_seq), r.entry_seq) {
                add(
                    me,
                    at,
                    K::DuplicateReceived,
                    format!(
                        "message {} from {} already logged as received at entry {first}",
                        b.msg_seq, b.sender
                    ),
                );
            }
            let sig = b.signature;
            let sig_check = || verify_digest_signature(trust, &b.sender, &r.digest, &sig);
            let Some(sender_log) = by_party.get(b.sender.as_str()) else {
                *missing_logs.entry((me, b.sender.as_str())).or_default() += 1;
                match sig_check() {
                    Ok(()) => {}
                    Err(SigCheck::UnknownParty) => add(
                        me,
                        at,
                        K::UnknownParty,
                        format!("message {} from untrusted party {}", b.msg_seq, b.sender),
                    ),
                    Err(SigCheck::Invalid) => add(
                        me,
                        at,
                        K::BadSignature,
                        format!(
                            "message {} claimed from {} does not carry {}'s valid signature",
                            b.msg_seq, b.sender, b.sender
                        ),
                    ),
                }
                continue;
            };
            match sender_log.sent.get(&b.msg_seq) {
                None => match sig_check() {
                    Ok(()) => add(
                        &b.sender,
                        None,
                        K::MissingSent,
                        format!(
                            "no sent entry for message {} that {me} logged as received at entry {} (line {}); the message carries {}'s valid signature",
                            b.msg_seq, r.entry_seq, r.line, b.sender
                        ),
                    ),
                    Err(_) => add(
                        me,
                        at,
                        K::UnmatchedReceived,
                        format!(
                            "{} logged no sent message {}, and the envelope signature does not verify under {}'s key",
                            b.sender, b.msg_seq, b.sender
                        ),
                    ),
                },
                Some(s) => {
                    if s.digest != r.digest {
                        let valid = if sig_check().is_ok() { "valid" } else { "not valid" };
                        add(
                            me,
                            at,
                            K::MessageMismatch,
                            format!(
                                "message {} differs from {}'s sent entry {} (line {}): {}; {}'s signature on the received copy is {valid}",
                                b.msg_seq,
                                b.sender,
                                s.entry_seq,
                                s.line,
                                describe_difference(s.raw, r.raw),
                                b.sender
                            ),
                        );
                    } else if !s.to.iter().any(|t| t == me) {
                        add(
                            me,
                            at,
                            K::MessageMismatch,
                            format!(
                                "{}'s sent entry {} addresses {:?}, not {me}",
                                b.sender, s.entry_seq, s.to
                            ),
                        );
                    }
                }
            }
        }
        for pc in &o.partner_cps {
            let cp = &pc.cp;
            let Some(partner) = by_party.get(cp.party.as_str()) else {
                *missing_logs.entry((me, cp.party.as_str())).or_default() += 1;
                continue;
            };
            let n = partner.tree.len();
            if cp.tree_size > n {
                add(
                    &cp.party,
                    None,
                    K::PartnerCheckpointMismatch,
                    format!(
                        "log has {n} entries but {} signed a checkpoint over {} entries that {me} holds (entry {}, line {}): entries were removed",
                        cp.party, cp.tree_size, pc.entry_seq, pc.line
                    ),
                );
            } else if cp.is_final && n != cp.tree_size + 1 {
                let what = if n == cp.tree_size {
                    "the final checkpoint entry was removed"
                } else {
                    "entries follow it"
                };
                add(
                    &cp.party,
                    None,
                    K::PartnerCheckpointMismatch,
                    format!(
                        "log has {n} entries but {} signed a final checkpoint over {} entries that {me} holds (entry {}, line {}): {what}",
                        cp.party, cp.tree_size, pc.entry_seq, pc.line
                    ),
                );
            } else if partner
                .own_roots
                .get(&cp.tree_size)
                .copied()
                .or_else(|| partner.tree.prefix_root(cp.tree_size))
                != Some(cp.root)
            {
                add(
                    &cp.party,
                    None,
                    K::PartnerCheckpointMismatch,
                    format!(
                        "first {} entries do not match the root {} signed in the checkpoint {me} holds (entry {}, line {}): history was rewritten",
                        cp.tree_size, cp.party, pc.entry_seq, pc.line
                    ),
                );
            }
        }
    }
    for ((me, other), count) in missing_logs {
        add(
            me,
            None,
            K::MissingLog,
            format!("{count} entries refer to {other}, whose log is not among the verified logs"),
        );
    }
    findings.sort_by(|a, b| (&a.party, a.line, a.kind).cmp(&(&b.party, b.line, b.kind)));
    let mut parties: Vec<PartyReport> = outcomes.into_iter().map(|o| o.report).collect();
    parties.sort_by(|a, b| a.party.cmp(&b.party));
    VerifyReport { parties, findings }
}
