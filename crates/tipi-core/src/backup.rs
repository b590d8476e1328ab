//! Backups of the whole local state (claims, journal, outbox, settings, calendar), encrypted
//! with a passphrase the user chooses. The TIP-I password and the database key live in the
//! keychain, never in the database, so they are never in a backup.
//!
//! The format is SQLCipher's own: a backup is a copy of the database encrypted with the
//! passphrase (PBKDF2-HMAC-SHA512, AES-256, an HMAC on every page), written by
//! `sqlcipher_export`. Restoring is [`crate::local::restore`].
//!
//! Hosts keep backups in one folder the user can see ([`default_backup_dir`]), named after
//! the environment and the Québec time of writing ([`backup_file_name`]), and list them with
//! [`list_backups`].

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use tipi_store::{DatabaseKey, Environment};

use crate::error::{CoreError, CoreResult};
use crate::{Sensitive, Tipi};

/// The shortest passphrase a backup accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// The extension of the backups Tipi names itself.
pub const BACKUP_EXTENSION: &str = "tipibackup";

/// `Documents/Tipi/backups` in the user's home (the platform's documents folder when it has
/// one): a folder the user sees and can copy elsewhere.
pub fn default_backup_dir() -> PathBuf {
    dirs::document_dir()
        .or_else(|| dirs::home_dir().map(|home| home.join("Documents")))
        .unwrap_or_else(std::env::temp_dir)
        .join("Tipi")
        .join("backups")
}

/// `tipi-<environment>-YYYY-MM-DD-HHhMMmSS.tipibackup`, at `at` in Québec time: sorts by
/// date and says which environment it holds.
pub fn backup_file_name(environment: Environment, at: DateTime<Utc>) -> String {
    let local = tipi_domain::time::local_datetime(at);
    format!(
        "tipi-{}-{}.{BACKUP_EXTENSION}",
        environment.as_str(),
        local.format("%Y-%m-%d-%Hh%Mm%S")
    )
}

/// A backup file found in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    /// Its full path.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// When it was last written.
    pub modified: Option<DateTime<Utc>>,
}

/// The `.tipibackup` files directly in `dir`, newest first; a missing folder has none.
pub fn list_backups(dir: &Path) -> std::io::Result<Vec<BackupFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some(BACKUP_EXTENSION) {
            continue;
        }
        let metadata = entry.metadata()?;
        if !metadata.is_file() {
            continue;
        }
        found.push(BackupFile {
            path,
            size: metadata.len(),
            modified: metadata.modified().ok().map(DateTime::<Utc>::from),
        });
    }
    found.sort_by(|a, b| b.modified.cmp(&a.modified).then(b.path.cmp(&a.path)));
    Ok(found)
}

/// Refuses a passphrase too short to protect a backup kept outside the computer: the one rule
/// the app, the command line and [`Tipi::backup`] apply.
pub fn check_passphrase(passphrase: &Sensitive<String>) -> CoreResult<()> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_say_the_environment_and_the_quebec_time() {
        // 02:30 UTC on 7 March is 21:30 on 6 March in Montréal (EST).
        let at = Utc.with_ymd_and_hms(2026, 3, 7, 2, 30, 5).unwrap();
        assert_eq!(
            backup_file_name(Environment::Sandbox, at),
            "tipi-sandbox-2026-03-06-21h30m05.tipibackup"
        );
        // Summer time: UTC-4.
        let at = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap();
        assert!(backup_file_name(Environment::Production, at).contains("2026-07-01-08h00m00"));
    }

    #[test]
    fn only_backup_files_are_listed_and_a_missing_folder_has_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(list_backups(&dir.path().join("missing"))
            .unwrap()
            .is_empty());
        std::fs::write(dir.path().join("a.tipibackup"), b"12345").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        std::fs::create_dir(dir.path().join("folder.tipibackup")).unwrap();
        let listed = list_backups(dir.path()).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].size, 5);
        assert!(listed[0].path.ends_with("a.tipibackup"));
    }

    #[test]
    fn the_passphrase_rule_counts_characters_not_bytes() {
        let short = Sensitive::new("é".repeat(MIN_PASSPHRASE_CHARS - 1));
        assert_eq!(
            check_passphrase(&short).err().unwrap().code(),
            "WeakPassphrase"
        );
        let enough = Sensitive::new("é".repeat(MIN_PASSPHRASE_CHARS));
        assert!(check_passphrase(&enough).is_ok());
    }
}
