//! Strict lowercase hexadecimal encoding.
//!
//! Decoding accepts lowercase digits only, so that every byte string has exactly one textual form: a log
//! line whose hex was re-cased would otherwise hash and verify the same while its bytes differ.

use thiserror::Error;

/// A hex string that is not canonical lowercase hex of the expected length.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HexError {
    /// The string has the wrong number of digits.
    #[error("expected {expected} hex digits, found {found}")]
    Length {
        /// Expected number of hex digits.
        expected: usize,
        /// Number of characters found.
        found: usize,
    },
    /// A character is not one of `0-9a-f`.
    #[error("invalid hex character at position {0} (only lowercase 0-9a-f allowed)")]
    Char(usize),
}

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Encodes bytes as lowercase hex.
pub fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    encode_into(&mut s, bytes);
    s
}

/// Appends the lowercase hex of `bytes` to `out`.
pub fn encode_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    // Digits go through a stack buffer: one `push_str` per 64 bytes instead of a `push` per digit.
    let mut buf = [0u8; 128];
    for chunk in bytes.chunks(64) {
        for (i, &b) in chunk.iter().enumerate() {
            buf[2 * i] = DIGITS[usize::from(b >> 4)];
            buf[2 * i + 1] = DIGITS[usize::from(b & 0x0f)];
        }
        // Hex digits are ASCII, so this never falls back.
        out.push_str(std::str::from_utf8(&buf[..2 * chunk.len()]).unwrap_or_default());
    }
}

fn nibble(c: u8, pos: usize) -> Result<u8, HexError> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        _ => Err(HexError::Char(pos)),
    }
}

/// Decodes lowercase hex of any even length.
pub fn decode(s: &str) -> Result<Vec<u8>, HexError> {
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(HexError::Length { expected: b.len() + 1, found: b.len() });
    }
    let mut out = Vec::with_capacity(b.len() / 2);
    for (i, pair) in b.chunks_exact(2).enumerate() {
        out.push((nibble(pair[0], 2 * i)? << 4) | nibble(pair[1], 2 * i + 1)?);
    }
    Ok(out)
}

/// Decodes lowercase hex into `out` (cleared first), reusing its allocation.
pub fn decode_into(out: &mut Vec<u8>, s: &str) -> Result<(), HexError> {
    out.clear();
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return Err(HexError::Length { expected: b.len() + 1, found: b.len() });
    }
    out.reserve(b.len() / 2);
    for (i, pair) in b.chunks_exact(2).enumerate() {
        out.push((nibble(pair[0], 2 * i)? << 4) | nibble(pair[1], 2 * i + 1)?);
    }
    Ok(())
}

/// Decodes lowercase hex of exactly `N` bytes.
pub fn decode_array<const N: usize>(s: &str) -> Result<[u8; N], HexError> {
    let b = s.as_bytes();
    if b.len() != 2 * N {
        return Err(HexError::Length { expected: 2 * N, found: b.len() });
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = (nibble(b[2 * i], 2 * i)? << 4) | nibble(b[2 * i + 1], 2 * i + 1)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_strictness() {
        let b = [0u8, 1, 0xab, 0xff];
        assert_eq!(encode(&b), "0001abff");
        assert_eq!(decode("0001abff").unwrap(), b);
        assert_eq!(decode_array::<4>("0001abff").unwrap(), b);
        assert!(decode("0001ABff").is_err());
        assert!(decode("abc").is_err());
        assert!(decode_array::<3>("0001abff").is_err());
    }
}
