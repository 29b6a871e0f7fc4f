//! Signed checkpoints and the RFC 6962 Merkle tree over entry hashes.
//!
//! The tree's leaves are the 32-byte entry hashes of a party's log, in log order. Leaf hash
//! `SHA-256(0x00 || entry_hash)`, interior node `SHA-256(0x01 || left || right)`, split at the largest
//! power of two below the size, empty tree `SHA-256("")` (RFC 6962 §2.1). [`EntryTree`] keeps it as
//! a compact range (see there why not `ct-merkle`, which the tests use as the reference).
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

fn leaf_hash(entry_hash: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry_hash);
    h.finalize().into()
}

fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// An append-only RFC 6962 Merkle tree over 32-byte entry hashes.
///
/// Kept as a *compact range*: the roots of the perfect subtrees that the binary digits of the size
/// decompose the leaves into, largest first. Appending costs one leaf hash plus, amortized, one interior
/// hash; the root folds the stack from the right (at most log2 n hashes). The entry hashes are kept too,
/// so the root of any prefix can be recomputed ([`EntryTree::prefix_root`]).
///
/// Why not `ct-merkle`'s `MemoryBackedTree`: it recomputes the whole leaf-to-root path on every append
/// (log2 n hashes, about 34 SHA-256 blocks per entry at 100,000 entries, three times the rest of the
/// hashing of verification) and stores every interior node, while the log only ever needs roots at
/// checkpoint sizes. A verifier holding the partner's whole log needs no consistency proof: it
/// recomputes the prefix root. `ct-merkle` stays as the independent reference the tests compare with.
#[derive(Debug, Clone, Default)]
pub struct EntryTree {
    entries: Vec<[u8; 32]>,
    stack: Vec<(u32, [u8; 32])>,
}

impl EntryTree {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an entry hash.
    pub fn push(&mut self, entry_hash: [u8; 32]) {
        self.entries.push(entry_hash);
        Self::push_compact(&mut self.stack, &entry_hash);
    }

    fn push_compact(stack: &mut Vec<(u32, [u8; 32])>, entry_hash: &[u8; 32]) {
        let mut node = (0u32, leaf_hash(entry_hash));
        while let Some(&(height, left)) = stack.last() {
            if height != node.0 {
                break;
            }
            stack.pop();
            node = (height + 1, node_hash(&left, &node.1));
        }
        stack.push(node);
    }

    fn fold(stack: &[(u32, [u8; 32])]) -> [u8; 32] {
        let mut it = stack.iter().rev();
        match it.next() {
            None => Sha256::digest(b"").into(),
            Some(&(_, last)) => it.fold(last, |acc, (_, left)| node_hash(left, &acc)),
        }
    }

    /// Number of leaves.
    pub fn len(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Whether the tree has no leaves.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The root over all leaves.
    pub fn root(&self) -> [u8; 32] {
        Self::fold(&self.stack)
    }

    /// The root over the first `size` leaves (O(size)), or `None` if the tree is smaller.
    pub fn prefix_root(&self, size: u64) -> Option<[u8; 32]> {
        let size = usize::try_from(size).ok()?;
        let prefix = self.entries.get(..size)?;
        let mut stack = Vec::new();
        for e in prefix {
            Self::push_compact(&mut stack, e);
        }
        Some(Self::fold(&stack))
    }

    /// Whether the first `size` leaves have root `root`.
    pub fn has_prefix(&self, size: u64, root: &[u8; 32]) -> bool {
        self.prefix_root(size).is_some_and(|r| r == *root)
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
        let hashes: Vec<[u8; 32]> = (0u32..300).map(|i| Sha256::digest(i.to_be_bytes()).into()).collect();
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
        assert!(t.has_prefix(0, &merkle_root(&[])));
        assert!(!t.has_prefix(38, &roots[0]));
        // ct-merkle, an independent RFC 6962 implementation, agrees at every size.
        let mut ct = ct_merkle::mem_backed_tree::MemoryBackedTree::<Sha256, [u8; 32]>::new();
        for (i, h) in hashes.iter().enumerate() {
            ct.push(*h);
            let r: [u8; 32] = (*ct.root().as_bytes()).into();
            assert_eq!(r, roots[i]);
        }
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
