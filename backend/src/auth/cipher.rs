//! Secrets at rest (connection passwords): AES-256-GCM under a key derived from the node's
//! `--secret-key`, a random 96-bit nonce per encryption stored with the ciphertext, and the
//! record's id as associated data, so a ciphertext copied to another record does not decrypt.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Marks the format, so a future one can be told apart.
const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 12;

/// Why a stored secret could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    #[error("the stored secret cannot be decrypted with this node's secret key (was --secret-key changed?)")]
    WrongKey,
    #[error("the stored secret is damaged")]
    Damaged,
    #[error("encrypting the secret failed")]
    Encrypt,
}

/// Encrypts and decrypts with one key. `Debug` shows nothing of it.
#[derive(Clone)]
pub struct Cipher(Aes256Gcm);

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher(***)")
    }
}

impl Cipher {
    /// The key is SHA-256 of a purpose label and the configured secret (at least 32
    /// characters, checked at start-up), so the same secret used elsewhere gives another key.
    pub fn new(secret_key: &str) -> Self {
        let mut digest = Sha256::new();
        digest.update(b"tributary connection secrets v1\0");
        digest.update(secret_key.as_bytes());
        let key: [u8; 32] = digest.finalize().into();
        Self(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)))
    }

    /// `plaintext` sealed for the record `record_id`: `v1:` + base64(nonce ‖ ciphertext ‖ tag).
    pub fn encrypt(&self, record_id: &str, plaintext: &str) -> Result<String, CipherError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload { msg: plaintext.as_bytes(), aad: record_id.as_bytes() };
        let sealed = self.0.encrypt(Nonce::from_slice(&nonce), payload).map_err(|_| CipherError::Encrypt)?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(bytes)))
    }

    /// The plaintext of `stored`, or why not: never garbage, since GCM authenticates.
    pub fn decrypt(&self, record_id: &str, stored: &str) -> Result<String, CipherError> {
        let encoded = stored.strip_prefix(PREFIX).ok_or(CipherError::Damaged)?;
        let bytes = STANDARD.decode(encoded).map_err(|_| CipherError::Damaged)?;
        if bytes.len() < NONCE_LEN + 16 {
            return Err(CipherError::Damaged);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let payload = Payload { msg: sealed, aad: record_id.as_bytes() };
        let plain = self.0.decrypt(Nonce::from_slice(nonce), payload).map_err(|_| CipherError::WrongKey)?;
        String::from_utf8(plain).map_err(|_| CipherError::Damaged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_round_trips_and_never_appears_in_the_stored_text() {
        let cipher = Cipher::new(&"k".repeat(32));
        let stored = cipher.encrypt("id-1", "hunter2-password").expect("encrypt");
        assert!(stored.starts_with("v1:"));
        assert!(!stored.contains("hunter2"));
        assert_ne!(stored, cipher.encrypt("id-1", "hunter2-password").expect("encrypt"), "fresh nonce");
        assert_eq!(cipher.decrypt("id-1", &stored).expect("decrypt"), "hunter2-password");
    }

    #[test]
    fn another_key_or_record_fails_clearly() {
        let stored = Cipher::new(&"k".repeat(32)).encrypt("id-1", "pw").expect("encrypt");
        let other = Cipher::new(&"x".repeat(32));
        assert_eq!(other.decrypt("id-1", &stored), Err(CipherError::WrongKey));
        assert_eq!(Cipher::new(&"k".repeat(32)).decrypt("id-2", &stored), Err(CipherError::WrongKey));
        assert_eq!(other.decrypt("id-1", "v1:!!"), Err(CipherError::Damaged));
        assert_eq!(other.decrypt("id-1", "plain"), Err(CipherError::Damaged));
        assert!(!format!("{other:?}").contains('k'));
    }
}
