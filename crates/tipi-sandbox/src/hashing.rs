//! Salted PBKDF2 hashes for the passwords the sandbox stores (TIP-I and BLAST). The sandbox
//! never keeps a clear password: the database of a test environment leaks like any other.

use std::num::NonZeroU32;

use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use ring::rand::SecureRandom;

/// Few iterations: the sandbox hashes on every request and runs load tests on two cores.
const ITERATIONS: u32 = 1_000;
const SALT_LEN: usize = 16;
const HASH_LEN: usize = 32;

/// `pbkdf2-sha256$<iterations>$<salt>$<hash>` for a fresh random salt.
pub(crate) fn hash(password: &str) -> String {
    let mut salt = [0u8; SALT_LEN];
    // The system RNG only fails on a broken OS; a fixed salt is then still a valid hash.
    let _ = ring::rand::SystemRandom::new().fill(&mut salt);
    let mut out = [0u8; HASH_LEN];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        iterations(ITERATIONS),
        &salt,
        password.as_bytes(),
        &mut out,
    );
    format!(
        "pbkdf2-sha256${ITERATIONS}${}${}",
        B64.encode(salt),
        B64.encode(out)
    )
}

/// Whether `password` matches a [`hash`] (in constant time).
pub(crate) fn verify(password: &str, stored: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(rounds), Some(salt), Some(expected), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Ok(rounds), Ok(salt), Ok(expected)) = (
        rounds.parse::<u32>(),
        B64.decode(salt),
        B64.decode(expected),
    ) else {
        return false;
    };
    ring::pbkdf2::verify(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        iterations(rounds),
        &salt,
        password.as_bytes(),
        &expected,
    )
    .is_ok()
}

fn iterations(value: u32) -> NonZeroU32 {
    NonZeroU32::new(value).unwrap_or(NonZeroU32::MIN)
}

/// A random token of `len` upper-case letters and digits (jeton_comm, ids).
pub(crate) fn token(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = vec![0u8; len];
    let _ = ring::rand::SystemRandom::new().fill(&mut bytes);
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let stored = hash("Abcd1234");
        assert!(verify("Abcd1234", &stored));
        assert!(!verify("abcd1234", &stored));
        assert!(!verify("Abcd1234", "garbage"));
        assert!(!stored.contains("Abcd1234"));
        assert_ne!(hash("Abcd1234"), stored, "salts differ");
    }

    #[test]
    fn tokens_have_the_requested_length_and_alphabet() {
        let value = token(12);
        assert_eq!(value.len(), 12);
        assert!(value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    }
}
