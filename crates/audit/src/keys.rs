//! Party signing keys, key files and the trust store (party id → Ed25519 public key).
//!
//! # File formats
//! Both are UTF-8 text; blank lines and lines starting with `#` are ignored; fields are separated by
//! ASCII whitespace.
//!
//! *Secret key file* (one party):
//! ```text
//! # shieldnet-audit secret key v1
//! party NATO
//! secret 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
//! ```
//! *Trust list* (public keys, any number of parties, e.g. `trust.txt`):
//! ```text
//! # shieldnet-audit trust list v1: <party id> <Ed25519 public key, 64 lowercase hex digits>
//! NATO d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
//! ```

use std::collections::BTreeMap;
use std::fmt;

use ed25519_dalek::rand_core::CryptoRng;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::hex;

/// Longest party id accepted, in bytes.
pub const MAX_PARTY_ID_LEN: usize = 64;

/// Errors about party ids, keys and key files.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyError {
    /// The party id is empty, too long or has characters outside `A-Z a-z 0-9 _ . -`.
    #[error("invalid party id {0:?}: use 1-64 characters from A-Z a-z 0-9 _ . -")]
    InvalidPartyId(String),
    /// A line of a key file could not be understood.
    #[error("line {line}: {detail}")]
    Syntax {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        detail: String,
    },
    /// A required field is missing from a secret key file.
    #[error("key file has no `{0}` line")]
    Missing(&'static str),
    /// The bytes are not a valid Ed25519 public key.
    #[error("line {line}: not a valid Ed25519 public key")]
    BadPublicKey {
        /// 1-based line number.
        line: usize,
    },
    /// The same party appears twice in a trust list.
    #[error("line {line}: party {party} listed twice")]
    Duplicate {
        /// 1-based line number.
        line: usize,
        /// The repeated party.
        party: String,
    },
}

/// Checks that a party id is usable in logs and file names (`audit-PARTY.jsonl`).
pub fn validate_party_id(id: &str) -> Result<(), KeyError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_PARTY_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
    if ok { Ok(()) } else { Err(KeyError::InvalidPartyId(id.to_owned())) }
}

/// A party's identity and Ed25519 signing key.
#[derive(Clone)]
pub struct PartyKeys {
    party: String,
    signing: SigningKey,
}

impl fmt::Debug for PartyKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartyKeys")
            .field("party", &self.party)
            .field("public_key", &hex::encode(self.signing.verifying_key().as_bytes()))
            .finish_non_exhaustive()
    }
}

impl PartyKeys {
    /// Generates a fresh key from a cryptographic RNG (use the OS RNG for real deployments).
    pub fn generate<R: CryptoRng + ?Sized>(party: &str, rng: &mut R) -> Result<Self, KeyError> {
        validate_party_id(party)?;
        Ok(Self { party: party.to_owned(), signing: SigningKey::generate(rng) })
    }

    /// Builds a key from a 32-byte Ed25519 secret seed.
    pub fn from_seed(party: &str, seed: [u8; 32]) -> Result<Self, KeyError> {
        validate_party_id(party)?;
        Ok(Self { party: party.to_owned(), signing: SigningKey::from_bytes(&seed) })
    }

    /// **Simulation only**: derives a party's key deterministically from the scenario seed, so that
    /// reruns produce byte-identical logs.
    ///
    /// The secret is `SHA-256("shieldnet-audit/simulation-key/v1" || 0x00 || scenario_seed as u64
    /// big-endian || party id UTF-8)`. Anyone who knows the scenario seed can recompute it, so such keys
    /// prove nothing against a real adversary; real parties use [`PartyKeys::generate`] with an OS RNG.
    pub fn derive_for_simulation(scenario_seed: u64, party: &str) -> Result<Self, KeyError> {
        let mut h = Sha256::new();
        h.update(b"shieldnet-audit/simulation-key/v1\0");
        h.update(scenario_seed.to_be_bytes());
        h.update(party.as_bytes());
        Self::from_seed(party, h.finalize().into())
    }

    /// The party id.
    pub fn party(&self) -> &str {
        &self.party
    }

    /// The public key partners use to verify this party.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// Signs `msg` (Ed25519, RFC 8032 pure mode).
    pub fn sign(&self, msg: &[u8]) -> Signature {
        self.signing.sign(msg)
    }

    /// Renders the secret key file (see the module docs). Keep it private.
    pub fn to_secret_file(&self) -> String {
        format!(
            "# shieldnet-audit secret key v1\nparty {}\nsecret {}\n",
            self.party,
            hex::encode(self.signing.as_bytes())
        )
    }

    /// Parses a secret key file (see the module docs).
    pub fn from_secret_file(text: &str) -> Result<Self, KeyError> {
        let mut party = None;
        let mut secret = None;
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut it = line.split_ascii_whitespace();
            let (Some(key), Some(value), None) = (it.next(), it.next(), it.next()) else {
                return Err(KeyError::Syntax { line: line_no, detail: "expected `<field> <value>`".into() });
            };
            match key {
                "party" => party = Some(value.to_owned()),
                "secret" => {
                    let bytes = hex::decode_array::<32>(value)
                        .map_err(|e| KeyError::Syntax { line: line_no, detail: format!("secret: {e}") })?;
                    secret = Some(bytes);
                }
                other => {
                    return Err(KeyError::Syntax {
                        line: line_no,
                        detail: format!("unknown field `{other}`"),
                    });
                }
            }
        }
        let party = party.ok_or(KeyError::Missing("party"))?;
        let secret = secret.ok_or(KeyError::Missing("secret"))?;
        Self::from_seed(&party, secret)
    }
}

/// Public keys of the parties whose records a verifier accepts, by party id.
///
/// A verifier must obtain these keys independently of the logs it checks (e.g. exchanged when the
/// cooperation agreement was signed); a trust list shipped alongside the logs only proves the logs are
/// self-consistent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustStore {
    keys: BTreeMap<String, VerifyingKey>,
}

impl TrustStore {
    /// An empty trust store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A trust store holding the public halves of the given keys.
    pub fn from_keys<'a>(keys: impl IntoIterator<Item = &'a PartyKeys>) -> Self {
        let mut t = Self::new();
        for k in keys {
            t.keys.insert(k.party.clone(), k.verifying_key());
        }
        t
    }

    /// Adds or replaces a party's key.
    pub fn insert(&mut self, party: &str, key: VerifyingKey) -> Result<(), KeyError> {
        validate_party_id(party)?;
        self.keys.insert(party.to_owned(), key);
        Ok(())
    }

    /// The key of `party`, if trusted.
    pub fn get(&self, party: &str) -> Option<&VerifyingKey> {
        self.keys.get(party)
    }

    /// The trusted party ids, sorted.
    pub fn parties(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// Renders the trust list format (see the module docs).
    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# shieldnet-audit trust list v1: <party id> <Ed25519 public key, 64 lowercase hex digits>\n",
        );
        for (p, k) in &self.keys {
            s.push_str(p);
            s.push(' ');
            s.push_str(&hex::encode(k.as_bytes()));
            s.push('\n');
        }
        s
    }

    /// Parses the trust list format (see the module docs).
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let mut t = Self::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut it = line.split_ascii_whitespace();
            let (Some(party), Some(key), None) = (it.next(), it.next(), it.next()) else {
                return Err(KeyError::Syntax {
                    line: line_no,
                    detail: "expected `<party id> <public key hex>`".into(),
                });
            };
            validate_party_id(party)
                .map_err(|e| KeyError::Syntax { line: line_no, detail: e.to_string() })?;
            let bytes = hex::decode_array::<32>(key)
                .map_err(|e| KeyError::Syntax { line: line_no, detail: format!("public key: {e}") })?;
            let vk =
                VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::BadPublicKey { line: line_no })?;
            if t.keys.insert(party.to_owned(), vk).is_some() {
                return Err(KeyError::Duplicate { line: line_no, party: party.to_owned() });
            }
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_round_trip() {
        let k = PartyKeys::derive_for_simulation(42, "NATO").unwrap();
        let k2 = PartyKeys::from_secret_file(&k.to_secret_file()).unwrap();
        assert_eq!(k.verifying_key(), k2.verifying_key());
        assert_eq!(k2.party(), "NATO");
        let r = PartyKeys::derive_for_simulation(42, "RU").unwrap();
        assert_ne!(k.verifying_key(), r.verifying_key());
        assert_ne!(k.verifying_key(), PartyKeys::derive_for_simulation(43, "NATO").unwrap().verifying_key());
        let t = TrustStore::from_keys([&k, &r]);
        let t2 = TrustStore::parse(&t.to_text()).unwrap();
        assert_eq!(t, t2);
        assert!(TrustStore::parse("NATO zz").is_err());
        assert!(PartyKeys::from_seed("bad id", [0; 32]).is_err());
        assert!(PartyKeys::from_seed("", [0; 32]).is_err());
    }
}
