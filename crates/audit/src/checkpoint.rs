//! Signed checkpoints and the RFC 6962 Merkle tree over entry hashes.
//!
//! The tree's leaves are the 32-byte entry hashes of a party's log, in log order. Leaf hash
//! `SHA-256(0x00 || entry_hash)`, interior node `SHA-256(0x01 || left || right)`, split at the largest
//! power of two below the size, empty tree `SHA-256("")` (RFC 6962 §2.1). The tree is kept by
//! `ct-merkle`, which also proves and verifies consistency between a partner's checkpoint and the
//! partner's full log.
//!
//! # Checkpoint bytes (version 1)
//! | bytes | field |
//! |---|---|
//! | 20 | domain tag, ASCII `shieldnet.checkpoint` |
//! | 1 | version `0x01` |
//! | 1 | party id length `L` |
//! | L | party id |
//! | 8 | tree size `u64` BE: the checkpoint covers entries `0 .. tree_size` |
//! | 8 | time, `f64` bits BE |
//! | 32 | Merkle root |
//! | 1 | `0x01` if this is the final checkpoint that closes the log, else `0x00` |
//! | 64 | Ed25519 signature over all the bytes above (pure Ed25519, no prehash) |

use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, RootHash};
use ed25519_dalek::Signature;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::envelope::SIGNATURE_LEN;
use crate::keys::{MAX_PARTY_ID_LEN, PartyKeys, TrustStore, validate_party_id};

/// Domain separation tag opening checkpoint bytes.
pub const CHECKPOINT_TAG: &[u8; 20] = b"shieldnet.checkpoint";
/// Current checkpoint format version.
pub const CHECKPOINT_VERSION: u8 = 1;

/// A party's signed statement "my log's first `tree_size` entries have Merkle root `root`".
#[derive(Debug, Clone, PartialEq)]
pub struct Checkpoint {
    /// The party whose log this is.
    pub party: String,
    /// Number of entries covered (entries `0 .. tree_size`).
    pub tree_size: u64,
    /// Time of the checkpoint, s since the scenario epoch.
    pub t_s: f64,
    /// RFC 6962 Merkle root over the covered entry hashes.
    pub root: [u8; 32],
    /// Whether this checkpoint closes the log.
    pub is_final: bool,
    /// Ed25519 signature over [`Checkpoint::signed_bytes`].
    pub signature: [u8; SIGNATURE_LEN],
}

/// Why checkpoint bytes could not be decoded or a checkpoint not verified.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckpointError {
    /// The bytes are not a well-formed checkpoint.
    #[error("malformed checkpoint: {0}")]
    Malformed(&'static str),
    /// The party is not in the trust store.
    #[error("unknown party {0}")]
    UnknownParty(String),
    /// The signature does not verify.
    #[error("bad checkpoint signature from {0}")]
    BadSignature(String),
}

impl Checkpoint {
    /// Signs a checkpoint for `keys`' party.
    pub fn sign(keys: &PartyKeys, tree_size: u64, t_s: f64, root: [u8; 32], is_final: bool) -> Self {
        let mut c = Self {
            party: keys.party().to_owned(),
            tree_size,
            t_s,
            root,
            is_final,
            signature: [0; SIGNATURE_LEN],
        };
        c.signature = keys.sign(&c.signed_bytes()).to_bytes();
        c
    }

    /// The bytes the signature covers (see the module docs).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(CHECKPOINT_TAG.len() + 2 + self.party.len() + 49);
        out.extend_from_slice(CHECKPOINT_TAG);
        out.push(CHECKPOINT_VERSION);
        out.push(self.party.len().min(255) as u8);
        out.extend_from_slice(self.party.as_bytes());
        out.extend_from_slice(&self.tree_size.to_be_bytes());
        out.extend_from_slice(&self.t_s.to_bits().to_be_bytes());
        out.extend_from_slice(&self.root);
        out.push(u8::from(self.is_final));
        out
    }

    /// Checks the signature against the party's trusted key (strict Ed25519).
    pub fn verify(&self, trust: &TrustStore) -> Result<(), CheckpointError> {
        let key = trust.get(&self.party).ok_or_else(|| CheckpointError::UnknownParty(self.party.clone()))?;
        key.verify_strict(&self.signed_bytes(), &Signature::from_bytes(&self.signature))
            .map_err(|_| CheckpointError::BadSignature(self.party.clone()))
    }

    /// Wire bytes for sending to partners: signed bytes followed by the signature.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.signed_bytes();
        b.extend_from_slice(&self.signature);
        b
    }

    /// Decodes [`Checkpoint::to_bytes`] output. Never panics; rejects trailing bytes.
    pub fn from_bytes(b: &[u8]) -> Result<Self, CheckpointError> {
        let m = CheckpointError::Malformed;
        let rest = b.strip_prefix(CHECKPOINT_TAG.as_slice()).ok_or(m("bad domain tag"))?;
        let (&version, rest) = rest.split_first().ok_or(m("truncated"))?;
        if version != CHECKPOINT_VERSION {
            return Err(m("unsupported version"));
        }
        let (&len, rest) = rest.split_first().ok_or(m("truncated"))?;
        let len = usize::from(len);
        if len == 0 || len > MAX_PARTY_ID_LEN || rest.len() != len + 8 + 8 + 32 + 1 + SIGNATURE_LEN {
            return Err(m("bad length"));
        }
        let (party, rest) = rest.split_at(len);
        let party = std::str::from_utf8(party).map_err(|_| m("party id is not UTF-8"))?;
        validate_party_id(party).map_err(|_| m("invalid party id"))?;
        let (size, rest) = rest.split_at(8);
        let (t, rest) = rest.split_at(8);
        let (root, rest) = rest.split_at(32);
        let (&fin, sig) = rest.split_first().ok_or(m("truncated"))?;
        let is_final = match fin {
            0 => false,
            1 => true,
            _ => return Err(m("bad final flag")),
        };
        let t_s = f64::from_bits(u64::from_be_bytes(t.try_into().map_err(|_| m("truncated"))?));
        if !t_s.is_finite() {
            return Err(m("time is not finite"));
        }
        Ok(Self {
            party: party.to_owned(),
            tree_size: u64::from_be_bytes(size.try_into().map_err(|_| m("truncated"))?),
            t_s,
            root: root.try_into().map_err(|_| m("truncated"))?,
            is_final,
            signature: sig.try_into().map_err(|_| m("truncated"))?,
        })
    }
}

/// An append-only RFC 6962 Merkle tree over 32-byte entry hashes (wraps `ct-merkle`).
#[derive(Debug, Clone, Default)]
pub struct EntryTree {
    inner: MemoryBackedTree<Sha256, [u8; 32]>,
}

impl EntryTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an entry hash.
    pub fn push(&mut self, entry_hash: [u8; 32]) {
        self.inner.push(entry_hash);
    }

    /// Number of leaves.
    pub fn len(&self) -> u64 {
        self.inner.len()
    }

    /// Whether the tree has no leaves.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The current root.
    pub fn root(&self) -> [u8; 32] {
        self.inner.root().as_bytes().clone().into()
    }

    /// Whether the first `old_size` leaves of this tree have root `old_root`, checked with an RFC 6962
    /// consistency proof from that prefix to the whole tree. False if `old_size` is 0 or exceeds the
    /// tree size.
    pub fn has_prefix(&self, old_size: u64, old_root: &[u8; 32]) -> bool {
        let n = self.len();
        if old_size == 0 || old_size > n {
            return false;
        }
        if old_size == n {
            return self.root() == *old_root;
        }
        let Ok(additions) = usize::try_from(n - old_size) else { return false };
        let proof: ConsistencyProof<Sha256> = self.inner.prove_consistency(additions);
        let old = RootHash::<Sha256>::new((*old_root).into(), old_size);
        self.inner.root().verify_consistency(&old, &proof).is_ok()
    }
}

/// RFC 6962 Merkle tree hash over entry hashes, computed directly from the definition. Slow (recursive,
/// no caching); it is the independent reference that tests check `EntryTree` against, and a readable
/// specification for partners.
pub fn merkle_root(entry_hashes: &[[u8; 32]]) -> [u8; 32] {
    fn mth(leaves: &[[u8; 32]]) -> [u8; 32] {
        match leaves.len() {
            0 => Sha256::digest(b"").into(),
            1 => {
                let mut h = Sha256::new();
                h.update([0u8]);
                h.update(leaves[0]);
                h.finalize().into()
            }
            n => {
                let k = if n.is_power_of_two() { n / 2 } else { 1 << (usize::BITS - 1 - n.leading_zeros()) };
                let mut h = Sha256::new();
                h.update([1u8]);
                h.update(mth(&leaves[..k]));
                h.update(mth(&leaves[k..]));
                h.finalize().into()
            }
        }
    }
    mth(entry_hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_matches_reference_and_prefixes() {
        let hashes: Vec<[u8; 32]> = (0u32..37).map(|i| Sha256::digest(i.to_be_bytes()).into()).collect();
        let mut t = EntryTree::new();
        assert_eq!(t.root(), merkle_root(&[]));
        let mut roots = vec![];
        for (i, h) in hashes.iter().enumerate() {
            t.push(*h);
            assert_eq!(t.root(), merkle_root(&hashes[..=i]), "size {}", i + 1);
            roots.push(t.root());
        }
        for (i, r) in roots.iter().enumerate() {
            assert!(t.has_prefix(i as u64 + 1, r));
            let mut bad = *r;
            bad[0] ^= 1;
            assert!(!t.has_prefix(i as u64 + 1, &bad));
        }
        assert!(!t.has_prefix(0, &roots[0]));
        assert!(!t.has_prefix(38, &roots[0]));
    }

    #[test]
    fn checkpoint_round_trip() {
        let k = PartyKeys::derive_for_simulation(1, "NATO").unwrap();
        let c = Checkpoint::sign(&k, 5, 1.5, [7; 32], true);
        let trust = TrustStore::from_keys([&k]);
        c.verify(&trust).unwrap();
        let d = Checkpoint::from_bytes(&c.to_bytes()).unwrap();
        assert_eq!(c, d);
        let mut b = c.to_bytes();
        for i in 0..b.len() {
            b[i] ^= 0x10;
            if let Ok(d) = Checkpoint::from_bytes(&b) {
                assert!(d.verify(&trust).is_err(), "flip at byte {i} undetected");
            }
            b[i] ^= 0x10;
        }
        for n in 0..b.len() {
            assert!(Checkpoint::from_bytes(&b[..n]).is_err());
        }
    }
}
