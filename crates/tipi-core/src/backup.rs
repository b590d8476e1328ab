//! Backups of the whole local state (claims, journal, outbox, settings, calendar), encrypted
//! with a passphrase the user chooses. The TIP-I password and the database key live in the
//! keychain, never in the database, so they are never in a backup.
//!
//! The format is SQLCipher's own: a backup is a copy of the database encrypted with the
//! passphrase (PBKDF2-HMAC-SHA512, AES-256, an HMAC on every page), written by
//! `sqlcipher_export`. Restoring is [`crate::local::restore`].

use std::path::Path;

use tipi_store::DatabaseKey;

use crate::error::{CoreError, CoreResult};
use crate::{Sensitive, Tipi};

/// The shortest passphrase a backup accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// Refuses a passphrase too short to protect a backup kept outside the computer.
pub(crate) fn check_passphrase(passphrase: &Sensitive<String>) -> CoreResult<()> {
    if passphrase.expose().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(CoreError::WeakPassphrase);
    }
    Ok(())
}

impl Tipi {
    /// Writes an encrypted copy of the local database to `path` (replaced if present, once
    /// the copy is complete).
    pub async fn backup(&self, path: &Path, passphrase: &Sensitive<String>) -> CoreResult<()> {
        check_passphrase(passphrase)?;
        let passphrase = DatabaseKey::new(passphrase.expose().clone());
        Ok(self.store().backup_to(path, &passphrase).await?)
    }
}
