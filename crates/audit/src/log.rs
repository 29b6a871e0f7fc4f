//! Writing logs: the pure [`LogBuilder`] (sans-IO: it produces complete lines) and the thin
//! [`AuditLog`] writer around any `io::Write`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;
use thiserror::Error;

use crate::checkpoint::{Checkpoint, EntryTree};
use crate::entry::{
    CheckpointBody, EntryKind, OpenBody, PartnerCheckpointBody, ReceivedBody, SentBody, canonical_json,
    entry_hash, render_line,
};
use crate::envelope::SignedEnvelope;
use crate::hex;
use crate::keys::PartyKeys;

/// Options of a log, recorded in its `open` entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogConfig {
    /// Write a checkpoint automatically after this many entries since the last one (0: only explicit
    /// checkpoints and the final one).
    pub checkpoint_every: u64,
    /// Also sign every entry's hash. Entries are always authenticated by the next signed checkpoint;
    /// per-entry signatures additionally authenticate entries written after the last checkpoint before
    /// a crash, at the cost of one Ed25519 verification per entry (verify throughput drops to roughly
    /// 20–40 k entries/s per core).
    pub sign_entries: bool,
}

impl Default for LogConfig {
    /// A checkpoint every 256 entries, no per-entry signatures.
    fn default() -> Self {
        Self { checkpoint_every: 256, sign_entries: false }
    }
}

/// Why an entry could not be appended.
#[derive(Debug, Error)]
pub enum LogError {
    /// The time is NaN or infinite.
    #[error("time {0} is not finite")]
    NonFiniteTime(f64),
    /// The time is earlier than the previous entry's.
    #[error("time {t_s} s is before the previous entry's {last_s} s")]
    TimeRegression {
        /// Rejected time.
        t_s: f64,
        /// Previous entry's time.
        last_s: f64,
    },
    /// The log was closed.
    #[error("the log is closed")]
    Closed,
    /// A decision could not be turned into JSON.
    #[error("decision is not representable as JSON: {0}")]
    Json(String),
    /// Writing failed.
    #[error("writing the log: {0}")]
    Io(#[from] io::Error),
}

/// Builds one party's log in memory, without IO: every call appends entries and buffers their lines;
/// [`LogBuilder::take_output`] hands the complete lines (each ending in `\n`) to whoever writes them.
///
/// The builder writes the `open` entry on creation, a checkpoint after every
/// [`LogConfig::checkpoint_every`] entries, and the final checkpoint on [`LogBuilder::close`].
#[derive(Debug)]
pub struct LogBuilder {
    keys: PartyKeys,
    config: LogConfig,
    next_seq: u64,
    prev_hash: [u8; 32],
    tree: EntryTree,
    since_checkpoint: u64,
    last_t: f64,
    latest: Option<Checkpoint>,
    closed: bool,
    out: Vec<u8>,
}

impl LogBuilder {
    /// Starts a log for `keys`' party at time `t_s`, writing its `open` entry.
    pub fn new(keys: PartyKeys, config: LogConfig, t_s: f64) -> Result<Self, LogError> {
        let mut b = Self {
            keys,
            config,
            next_seq: 0,
            prev_hash: [0; 32],
            tree: EntryTree::new(),
            since_checkpoint: 0,
            last_t: f64::NEG_INFINITY,
            latest: None,
            closed: false,
            out: Vec::new(),
        };
        let body = OpenBody {
            format: 1,
            party: b.keys.party().to_owned(),
            public_key: hex::encode(b.keys.verifying_key().as_bytes()),
            checkpoint_every: config.checkpoint_every,
            sign_entries: config.sign_entries,
        };
        b.append(t_s, EntryKind::Open, &to_value(&body)?)?;
        Ok(b)
    }

    /// The party writing this log.
    pub fn party(&self) -> &str {
        self.keys.party()
    }

    /// Number of entries written so far.
    pub fn len(&self) -> u64 {
        self.next_seq
    }

    /// Always false: a log holds at least its `open` entry.
    pub fn is_empty(&self) -> bool {
        self.next_seq == 0
    }

    /// The most recent checkpoint, to send to partners.
    pub fn latest_checkpoint(&self) -> Option<&Checkpoint> {
        self.latest.as_ref()
    }

    /// Whether [`LogBuilder::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Takes the lines produced since the last call (complete lines, each ending in `\n`).
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// Records a message this party sent to `to`. Returns the entry's sequence number.
    pub fn record_sent(&mut self, t_s: f64, env: &SignedEnvelope, to: &[&str]) -> Result<u64, LogError> {
        let body = SentBody {
            msg_seq: env.seq,
            sender: env.sender.clone(),
            to: to.iter().map(|s| (*s).to_owned()).collect(),
            tov_s: env.time_of_validity_s,
            payload: hex::encode(&env.payload),
            digest: hex::encode(&env.digest()),
            signature: hex::encode(&env.signature),
        };
        self.append_auto(t_s, EntryKind::Sent, &to_value(&body)?)
    }

    /// Records a message this party received and accepted (after [`crate::ReplayGuard::admit`]).
    pub fn record_received(&mut self, t_s: f64, env: &SignedEnvelope) -> Result<u64, LogError> {
        let body = ReceivedBody {
            msg_seq: env.seq,
            sender: env.sender.clone(),
            receiver: self.keys.party().to_owned(),
            tov_s: env.time_of_validity_s,
            payload: hex::encode(&env.payload),
            digest: hex::encode(&env.digest()),
            signature: hex::encode(&env.signature),
        };
        self.append_auto(t_s, EntryKind::Received, &to_value(&body)?)
    }

    /// Records a decision (engagement order, kill assessment, …) as any serializable value; by
    /// convention an object with a `"type"` field. Policy checks see it as [`crate::DecodedEntry::body`].
    pub fn record_decision<T: Serialize + ?Sized>(
        &mut self,
        t_s: f64,
        decision: &T,
    ) -> Result<u64, LogError> {
        let v = to_value(decision)?;
        self.append_auto(t_s, EntryKind::Decision, &v)
    }

    /// Records a checkpoint received from a partner. Check it first with [`Checkpoint::verify`].
    pub fn record_partner_checkpoint(&mut self, t_s: f64, cp: &Checkpoint) -> Result<u64, LogError> {
        let body = PartnerCheckpointBody::from_checkpoint(cp);
        self.append_auto(t_s, EntryKind::PartnerCheckpoint, &to_value(&body)?)
    }

    /// Writes a signed checkpoint over all entries so far and returns it (also kept as
    /// [`LogBuilder::latest_checkpoint`]).
    pub fn checkpoint(&mut self, t_s: f64) -> Result<Checkpoint, LogError> {
        self.write_checkpoint(t_s, false)
    }

    /// Writes the final checkpoint and closes the log; later appends fail with [`LogError::Closed`].
    pub fn close(&mut self, t_s: f64) -> Result<Checkpoint, LogError> {
        let cp = self.write_checkpoint(t_s, true)?;
        self.closed = true;
        Ok(cp)
    }

    fn write_checkpoint(&mut self, t_s: f64, is_final: bool) -> Result<Checkpoint, LogError> {
        self.check_time(t_s)?;
        let cp = Checkpoint::sign(&self.keys, self.tree.len(), t_s, self.tree.root(), is_final);
        let body = CheckpointBody {
            tree_size: cp.tree_size,
            root: hex::encode(&cp.root),
            is_final,
            signature: hex::encode(&cp.signature),
        };
        self.append(t_s, EntryKind::Checkpoint, &to_value(&body)?)?;
        self.since_checkpoint = 0;
        self.latest = Some(cp.clone());
        Ok(cp)
    }

    fn append_auto(&mut self, t_s: f64, kind: EntryKind, body: &Value) -> Result<u64, LogError> {
        let seq = self.append(t_s, kind, body)?;
        self.since_checkpoint += 1;
        if self.config.checkpoint_every > 0 && self.since_checkpoint >= self.config.checkpoint_every {
            self.write_checkpoint(t_s, false)?;
        }
        Ok(seq)
    }

    fn check_time(&self, t_s: f64) -> Result<(), LogError> {
        if self.closed {
            return Err(LogError::Closed);
        }
        if !t_s.is_finite() {
            return Err(LogError::NonFiniteTime(t_s));
        }
        if t_s < self.last_t {
            return Err(LogError::TimeRegression { t_s, last_s: self.last_t });
        }
        Ok(())
    }

    fn append(&mut self, t_s: f64, kind: EntryKind, body: &Value) -> Result<u64, LogError> {
        self.check_time(t_s)?;
        let seq = self.next_seq;
        let party = self.keys.party().to_owned();
        let body_json = canonical_json(body);
        let h = entry_hash(seq, t_s, &party, kind.as_str(), &body_json, &self.prev_hash);
        let sig = self.config.sign_entries.then(|| self.keys.sign(&h).to_bytes());
        let line =
            render_line(seq, t_s, &party, kind.as_str(), &body_json, &self.prev_hash, &h, sig.as_ref());
        self.out.extend_from_slice(line.as_bytes());
        self.out.push(b'\n');
        self.tree.push(h);
        self.prev_hash = h;
        self.next_seq += 1;
        self.last_t = t_s;
        Ok(seq)
    }
}

fn to_value<T: Serialize + ?Sized>(v: &T) -> Result<Value, LogError> {
    serde_json::to_value(v).map_err(|e| LogError::Json(e.to_string()))
}

/// A [`LogBuilder`] writing its lines to `W` after every call; flushes on checkpoints and on close.
/// `AuditLog<Vec<u8>>` is an in-memory log.
#[derive(Debug)]
pub struct AuditLog<W: Write> {
    builder: LogBuilder,
    sink: W,
}

impl AuditLog<BufWriter<File>> {
    /// Creates (or truncates) the file at `path` and writes the `open` entry.
    pub fn create(path: &Path, keys: PartyKeys, config: LogConfig, t_s: f64) -> Result<Self, LogError> {
        let f = File::create(path)?;
        Self::new(BufWriter::new(f), keys, config, t_s)
    }
}

impl<W: Write> AuditLog<W> {
    /// Starts a log writing to `sink`.
    pub fn new(sink: W, keys: PartyKeys, config: LogConfig, t_s: f64) -> Result<Self, LogError> {
        let mut log = Self { builder: LogBuilder::new(keys, config, t_s)?, sink };
        log.write_out(true)?;
        Ok(log)
    }

    /// The underlying builder (for `len`, `latest_checkpoint`, …).
    pub fn builder(&self) -> &LogBuilder {
        &self.builder
    }

    /// The most recent checkpoint.
    pub fn latest_checkpoint(&self) -> Option<&Checkpoint> {
        self.builder.latest_checkpoint()
    }

    fn write_out(&mut self, flush: bool) -> Result<(), LogError> {
        let out = self.builder.take_output();
        self.sink.write_all(&out)?;
        if flush {
            self.sink.flush()?;
        }
        Ok(())
    }

    fn after<T>(&mut self, r: Result<T, LogError>, cp_before: u64) -> Result<T, LogError> {
        // Flush whenever a checkpoint was written, so a crash loses nothing a partner may hold.
        let cp_after = self.builder.latest_checkpoint().map_or(0, |c| c.tree_size + 1);
        self.write_out(cp_after != cp_before)?;
        r
    }

    fn cp_mark(&self) -> u64 {
        self.builder.latest_checkpoint().map_or(0, |c| c.tree_size + 1)
    }

    /// See [`LogBuilder::record_sent`].
    pub fn record_sent(&mut self, t_s: f64, env: &SignedEnvelope, to: &[&str]) -> Result<u64, LogError> {
        let m = self.cp_mark();
        let r = self.builder.record_sent(t_s, env, to);
        self.after(r, m)
    }

    /// See [`LogBuilder::record_received`].
    pub fn record_received(&mut self, t_s: f64, env: &SignedEnvelope) -> Result<u64, LogError> {
        let m = self.cp_mark();
        let r = self.builder.record_received(t_s, env);
        self.after(r, m)
    }

    /// See [`LogBuilder::record_decision`].
    pub fn record_decision<T: Serialize + ?Sized>(
        &mut self,
        t_s: f64,
        decision: &T,
    ) -> Result<u64, LogError> {
        let m = self.cp_mark();
        let r = self.builder.record_decision(t_s, decision);
        self.after(r, m)
    }

    /// See [`LogBuilder::record_partner_checkpoint`].
    pub fn record_partner_checkpoint(&mut self, t_s: f64, cp: &Checkpoint) -> Result<u64, LogError> {
        let m = self.cp_mark();
        let r = self.builder.record_partner_checkpoint(t_s, cp);
        self.after(r, m)
    }

    /// See [`LogBuilder::checkpoint`]; flushes.
    pub fn checkpoint(&mut self, t_s: f64) -> Result<Checkpoint, LogError> {
        let r = self.builder.checkpoint(t_s);
        self.write_out(true)?;
        r
    }

    /// Writes the final checkpoint, flushes and returns the sink.
    pub fn close(mut self, t_s: f64) -> Result<(Checkpoint, W), LogError> {
        let cp = self.builder.close(t_s)?;
        self.write_out(true)?;
        Ok((cp, self.sink))
    }
}
