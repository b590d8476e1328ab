//! SQLCipher at rest: recognising a clear-text file, encrypting one in place, and the
//! passphrase-encrypted backup (itself a SQLCipher database written by `sqlcipher_export`).
//!
//! A copy is always written to a temporary file beside its destination, checked, then renamed
//! over it, so a failure never leaves a half-written database behind.

use std::io::Read;
use std::path::{Path, PathBuf};

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::Connection;

use crate::environment::Environment;
use crate::error::{Result, StoreError};
use crate::store::{apply_key, recorded_schema_version, refuse_newer_schema, DatabaseKey};

/// The first 16 bytes of every clear-text SQLite file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// SQLite's "file is not a database" (SQLITE_NOTADB): what a wrong key looks like.
const NOT_A_DATABASE: &str = "26";

/// Whether `path` is a clear-text SQLite database (as written by Tipi before encryption).
/// A missing or empty file is not.
pub fn is_plain_database(path: &Path) -> std::io::Result<bool> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(error),
    };
    let mut header = [0u8; 16];
    match file.read_exact(&mut header) {
        Ok(()) => Ok(&header == PLAIN_HEADER),
        Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
        Err(error) => Err(error),
    }
}

/// Maps "file is not a database" to [`StoreError::WrongKey`], anything else unchanged.
pub(crate) fn wrong_key(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.code().as_deref() == Some(NOT_A_DATABASE) => {
            StoreError::WrongKey
        }
        _ => StoreError::Sqlx(error),
    }
}

fn io_error(error: std::io::Error) -> StoreError {
    StoreError::File(error)
}

/// `path` with `suffix` appended to its file name (`x.sqlite3` + `-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(io_error(error)),
    }
}

/// Removes a database file with its write-ahead log and shared-memory index.
fn remove_database(path: &Path) -> Result<()> {
    remove_if_present(&with_suffix(path, "-wal"))?;
    remove_if_present(&with_suffix(path, "-shm"))?;
    remove_if_present(path)
}

/// Copies every table of the database `conn` is on into a new file encrypted with `key`
/// (`sqlcipher_export`); an empty key would write clear text and is the caller's choice.
async fn export_to(conn: &mut SqliteConnection, target: &Path, key: &DatabaseKey) -> Result<()> {
    remove_database(target)?;
    let target_name = target.to_string_lossy().into_owned();
    sqlx::query("ATTACH DATABASE ?1 AS tipi_export KEY ?2")
        .bind(target_name)
        .bind(key.expose())
        .execute(&mut *conn)
        .await?;
    let exported = sqlx::query("SELECT sqlcipher_export('tipi_export')")
        .execute(&mut *conn)
        .await;
    let detached = sqlx::query("DETACH DATABASE tipi_export")
        .execute(&mut *conn)
        .await;
    exported?;
    detached?;
    Ok(())
}

/// Connects to an existing file with `key` (or none). The connection may create files: a
/// database attached to it (the export target) is opened with the same flags.
async fn connect_existing(path: &Path, key: Option<&DatabaseKey>) -> Result<SqliteConnection> {
    if !path.is_file() {
        return Err(io_error(std::io::ErrorKind::NotFound.into()));
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let options = apply_key(options, key);
    SqliteConnection::connect_with(&options)
        .await
        .map_err(wrong_key)
}

/// Checks that `conn` opens (right key), is intact and was written by a Tipi this build can
/// read; with `environment`, that it belongs to it.
async fn check_database(
    conn: &mut SqliteConnection,
    environment: Option<Environment>,
) -> Result<()> {
    let check: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut *conn)
        .await
        .map_err(wrong_key)?;
    if check != "ok" {
        return Err(StoreError::Corrupt {
            column: "quick_check",
        });
    }
    if recorded_schema_version(conn).await?.is_none() {
        return Err(StoreError::NotTipiData);
    }
    refuse_newer_schema(conn).await?;
    if let Some(environment) = environment {
        let found: Option<String> =
            sqlx::query_scalar("SELECT value FROM store_meta WHERE key = 'environment'")
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(found) = found.filter(|found| found.as_str() != environment.as_str()) {
            return Err(StoreError::EnvironmentMismatch {
                expected: environment.as_str(),
                found,
            });
        }
    }
    Ok(())
}

/// Encrypts a clear-text database with `key` in place: the encrypted copy replaces the file
/// only once it is complete, and the clear-text file (with its WAL) is gone afterwards.
pub(crate) async fn encrypt_in_place(path: &Path, key: &DatabaseKey) -> Result<()> {
    let staging = with_suffix(path, ".encrypting");
    let mut conn = connect_existing(path, None).await?;
    let result = async {
        refuse_newer_schema(&mut conn).await?;
        // Fold the WAL in so the export sees every committed page.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await?;
        export_to(&mut conn, &staging, key).await
    }
    .await;
    conn.close().await?;
    if let Err(error) = result {
        remove_database(&staging)?;
        return Err(error);
    }
    let mut check = connect_existing(&staging, Some(key)).await?;
    let checked = check_database(&mut check, None).await;
    check.close().await?;
    if let Err(error) = checked {
        remove_database(&staging)?;
        return Err(error);
    }
    remove_if_present(&with_suffix(path, "-wal"))?;
    remove_if_present(&with_suffix(path, "-shm"))?;
    std::fs::rename(&staging, path).map_err(io_error)
}

/// Writes a passphrase-encrypted copy of the database `conn` is on to `path` (replaced if
/// present, only once the copy is complete).
pub(crate) async fn write_backup(
    conn: &mut SqliteConnection,
    path: &Path,
    passphrase: &DatabaseKey,
) -> Result<()> {
    if passphrase.expose().is_empty() {
        // SQLCipher would write clear text with an empty key.
        return Err(StoreError::WrongKey);
    }
    let staging = with_suffix(path, ".partial");
    if let Err(error) = export_to(conn, &staging, passphrase).await {
        remove_database(&staging)?;
        return Err(error);
    }
    std::fs::rename(&staging, path).map_err(io_error)
}

/// A backup decrypted, checked and re-encrypted with the new database key beside the
/// database it will replace. Nothing is replaced until [`PreparedRestore::commit`]; dropping
/// it removes the copy.
#[derive(Debug)]
pub struct PreparedRestore {
    staging: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl PreparedRestore {
    /// Decrypts the backup at `backup` with `passphrase`, checks it (intact, a Tipi database
    /// this build can read, of `environment`), and writes it encrypted with `key` beside
    /// `target`. A wrong passphrase gives [`StoreError::WrongKey`]; `target` is not touched.
    pub async fn prepare(
        backup: &Path,
        passphrase: &DatabaseKey,
        target: &Path,
        key: &DatabaseKey,
        environment: Environment,
    ) -> Result<PreparedRestore> {
        if passphrase.expose().is_empty()
            || !backup.is_file()
            || is_plain_database(backup).map_err(io_error)?
        {
            // An empty key would read a clear-text file: a backup is always encrypted.
            return Err(StoreError::WrongKey);
        }
        let prepared = PreparedRestore {
            staging: with_suffix(target, ".restoring"),
            target: target.to_owned(),
            committed: false,
        };
        let mut source = connect_existing(backup, Some(passphrase)).await?;
        let result = async {
            check_database(&mut source, Some(environment)).await?;
            export_to(&mut source, &prepared.staging, key).await
        }
        .await;
        source.close().await?;
        result?;
        let mut check = connect_existing(&prepared.staging, Some(key)).await?;
        let checked = check_database(&mut check, Some(environment)).await;
        check.close().await?;
        checked?;
        Ok(prepared)
    }

    /// Replaces the database (and drops its old WAL, which belongs to the old file) with the
    /// restored copy.
    pub fn commit(mut self) -> Result<()> {
        remove_if_present(&with_suffix(&self.target, "-wal"))?;
        remove_if_present(&with_suffix(&self.target, "-shm"))?;
        std::fs::rename(&self.staging, &self.target).map_err(io_error)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for PreparedRestore {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a leftover copy is replaced by the next attempt anyway.
            let _ = remove_database(&self.staging);
        }
    }
}
