//! Opening Tipi on a desktop or in the command line: the store in the platform's data
//! directory (one file per environment), the HTTPS transport (trusting the sandbox's CA in the
//! sandbox environment only), the OS keychain and the system clock. The app and the `tipi`
//! command share it; starting an embedded sandbox is the host's choice (it passes the
//! sandbox's URL and CA here).
//!
//! The database is encrypted with SQLCipher under a random 256-bit key generated on first run
//! and kept in the keychain beside the TIP-I credentials ([`SecretKey::database_key`]). A
//! database whose key is gone is refused ([`CoreError::DatabaseKeyLost`]) and left as it is:
//! never replaced by a new empty one. The way back is a backup ([`restore`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tipi_client::{ClientConfig, HttpTransport, Transport};
use tipi_store::{DatabaseKey, Environment, OpenOptions, PreparedRestore, Store, StoreError};

use crate::engine::{default_software, Tipi, TipiParts};
use crate::error::{CoreError, CoreResult};
use crate::{Clock, KeyringSecrets, SecretKey, SecretStore, Sensitive, SystemClock};

/// Where TIP-I is.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `https://host[:port]`.
    pub url: String,
    /// The CA to trust instead of the system's roots (the sandbox's `ca.pem`); refused in
    /// production.
    pub ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url)
            .field("ca_pem", &self.ca_pem.as_ref().map(Vec::len))
            .finish()
    }
}

/// The platform's data directory for Tipi (e.g. `~/.local/share/tipi` on Linux).
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("tipi")
}

/// Opens (creating if missing) the encrypted database of `environment` in `data_dir`, with
/// the key from `secrets` (created with the database). A clear-text database left by an
/// earlier Tipi is encrypted in place.
pub async fn open_store(
    data_dir: &Path,
    environment: Environment,
    secrets: &dyn SecretStore,
) -> CoreResult<Store> {
    std::fs::create_dir_all(data_dir).map_err(StoreError::DataDirectory)?;
    let path = environment.database_path(data_dir);
    let key = database_key(&path, environment, secrets)?;
    let options = OpenOptions {
        key: Some(key),
        environment: Some(environment),
    };
    Ok(Store::open_with(&path, options).await?)
}

/// The key of the database at `path`: the keychain's, or a new one when there is no
/// encrypted database yet. An encrypted file without its key is [`CoreError::DatabaseKeyLost`].
fn database_key(
    path: &Path,
    environment: Environment,
    secrets: &dyn SecretStore,
) -> CoreResult<DatabaseKey> {
    let entry = SecretKey::database_key(environment);
    if let Some(stored) = secrets.get(&entry)? {
        return key_from_hex(stored.expose()).ok_or(CoreError::DatabaseKeyLost);
    }
    let exists = std::fs::metadata(path)
        .map(|m| m.len() > 0)
        .unwrap_or(false);
    if exists && !tipi_store::is_plain_database(path).map_err(StoreError::File)? {
        return Err(CoreError::DatabaseKeyLost);
    }
    let (hex, key) = new_database_key()?;
    // In the keychain before the database exists, so no file is ever encrypted with a key
    // that was not kept.
    secrets.set(&entry, &hex)?;
    Ok(key)
}

/// 32 random bytes from the operating system: hex for the keychain, the key for SQLCipher.
pub(crate) fn new_database_key() -> CoreResult<(Sensitive<String>, DatabaseKey)> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 32];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| {
            CoreError::Keychain(crate::SecretError::Unavailable("no randomness".into()))
        })?;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok((Sensitive::new(hex), DatabaseKey::from_raw_bytes(&bytes)))
}

fn key_from_hex(hex: &str) -> Option<DatabaseKey> {
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut bytes = [0u8; 32];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(DatabaseKey::from_raw_bytes(&bytes))
}

/// Replaces the local state of `environment` in `data_dir` with the backup at `backup`
/// (see [`Tipi::backup`]), under a new database key kept in the OS keychain. The recovery
/// path after a lost keychain entry. Run it while no Tipi has the database open. The current
/// database is set aside (see [`set_aside`]); its new path is returned.
pub async fn restore(
    data_dir: &Path,
    environment: Environment,
    backup: &Path,
    passphrase: &Sensitive<String>,
) -> CoreResult<Option<PathBuf>> {
    restore_with(data_dir, environment, backup, passphrase, &KeyringSecrets).await
}

/// [`restore`] with the given keychain: [`prepare_restore`] then [`PendingRestore::commit`]
/// at the system clock's time. A wrong passphrase ([`CoreError::WrongPassphrase`]) or a bad
/// file changes nothing.
pub async fn restore_with(
    data_dir: &Path,
    environment: Environment,
    backup: &Path,
    passphrase: &Sensitive<String>,
    secrets: &dyn SecretStore,
) -> CoreResult<Option<PathBuf>> {
    let pending = prepare_restore(data_dir, environment, backup, passphrase).await?;
    pending.commit(secrets, chrono::Utc::now())
}

/// A backup decrypted, checked (passphrase, integrity, schema version, environment) and
/// re-encrypted under a new key beside the database it will replace. Preparing never touches
/// the live database, so a host can prepare while its store is open and close the store only
/// once the backup is known good. Dropping it removes the copy.
#[derive(Debug)]
pub struct PendingRestore {
    prepared: PreparedRestore,
    key_hex: Sensitive<String>,
    data_dir: PathBuf,
    environment: Environment,
}

/// Prepares a restore of the backup at `backup` into `data_dir` (see [`PendingRestore`]).
pub async fn prepare_restore(
    data_dir: &Path,
    environment: Environment,
    backup: &Path,
    passphrase: &Sensitive<String>,
) -> CoreResult<PendingRestore> {
    if passphrase.expose().is_empty() {
        return Err(CoreError::WrongPassphrase);
    }
    std::fs::create_dir_all(data_dir).map_err(StoreError::DataDirectory)?;
    let target = environment.database_path(data_dir);
    let (key_hex, key) = new_database_key()?;
    let prepared = PreparedRestore::prepare(
        backup,
        &DatabaseKey::new(passphrase.expose().clone()),
        &target,
        &key,
        environment,
    )
    .await
    .map_err(|error| match error {
        StoreError::WrongKey => CoreError::WrongPassphrase,
        // A backup of the other environment is not one this database can take.
        StoreError::NotTipiData | StoreError::EnvironmentMismatch { .. } => {
            CoreError::InvalidBackup
        }
        other => other.into(),
    })?;
    Ok(PendingRestore {
        prepared,
        key_hex,
        data_dir: data_dir.to_owned(),
        environment,
    })
}

impl PendingRestore {
    /// Sets the current database aside ([`set_aside`], stamped `at`), puts the restored copy
    /// in its place and its key in `secrets`. Returns where the old file went (`None` when
    /// there was none). Run it while no store has the database open. On failure the old
    /// database and its key are put back.
    pub fn commit(
        self,
        secrets: &dyn SecretStore,
        at: chrono::DateTime<chrono::Utc>,
    ) -> CoreResult<Option<PathBuf>> {
        let entry = SecretKey::database_key(self.environment);
        let previous = secrets.get(&entry)?;
        let aside = set_aside(&self.data_dir, self.environment, at)?;
        let put_back = |aside: &Option<PathBuf>| {
            if let Some(aside) = aside {
                let _ = move_database(aside, &self.environment.database_path(&self.data_dir));
            }
        };
        if let Err(error) = secrets.set(&entry, &self.key_hex) {
            put_back(&aside);
            return Err(error.into());
        }
        if let Err(error) = self.prepared.commit() {
            // Give the old database its place and its key back.
            let _ = match &previous {
                Some(previous) => secrets.set(&entry, previous),
                None => secrets.delete(&entry),
            };
            put_back(&aside);
            return Err(error.into());
        }
        Ok(aside)
    }
}

/// `path` with `suffix` appended to its file name (`x.sqlite3` + `-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Renames a database with its write-ahead log and shared-memory index (which SQLite finds
/// by name beside it).
fn move_database(from: &Path, to: &Path) -> std::io::Result<()> {
    for suffix in ["-wal", "-shm"] {
        match std::fs::rename(with_suffix(from, suffix), with_suffix(to, suffix)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error),
            _ => {}
        }
    }
    std::fs::rename(from, to)
}

/// Moves the database of `environment` out of the way, renamed
/// `<file>.set-aside-YYYY-MM-DD-HHhMMmSS` (Québec time of `at`) in the same folder, never
/// deleted: a database Tipi cannot read may still be opened later with its key. Returns the
/// new path, or `None` when there is no database. Run it while no store has it open.
pub fn set_aside(
    data_dir: &Path,
    environment: Environment,
    at: chrono::DateTime<chrono::Utc>,
) -> CoreResult<Option<PathBuf>> {
    let path = environment.database_path(data_dir);
    if !path.exists() {
        return Ok(None);
    }
    let stamp = tipi_domain::time::local_datetime(at).format("%Y-%m-%d-%Hh%Mm%S");
    let mut aside = with_suffix(&path, &format!(".set-aside-{stamp}"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = with_suffix(&path, &format!(".set-aside-{stamp}-{n}"));
    }
    move_database(&path, &aside).map_err(StoreError::File)?;
    Ok(Some(aside))
}

/// The HTTPS transport for `environment`. Production trusts the system's roots only, the
/// embedded sandbox its own CA alone.
pub fn http_transport(
    environment: Environment,
    endpoint: &Endpoint,
) -> CoreResult<Arc<dyn Transport>> {
    let config = match (environment, &endpoint.ca_pem) {
        (Environment::Sandbox, Some(ca)) => ClientConfig::sandbox(endpoint.url.clone(), ca.clone()),
        (Environment::Sandbox, None) => ClientConfig::production(endpoint.url.clone()),
        (Environment::Production, Some(_)) => {
            return Err(CoreError::Remote(tipi_client::ClientError::Configuration(
                "an extra CA certificate is refused in production".into(),
            )))
        }
        (Environment::Production, None) => ClientConfig::production(endpoint.url.clone()),
    };
    Ok(Arc::new(HttpTransport::new(config)?))
}

/// Everything to open Tipi locally.
#[derive(Debug, Clone)]
pub struct LocalConfig {
    /// Sandbox or production.
    pub environment: Environment,
    /// The data directory ([`default_data_dir`] unless told).
    pub data_dir: PathBuf,
    /// Where TIP-I is.
    pub endpoint: Endpoint,
}

/// Opens Tipi with the OS keychain and the system clock.
pub async fn open(config: &LocalConfig) -> CoreResult<Tipi> {
    open_with(config, Arc::new(KeyringSecrets), Arc::new(SystemClock)).await
}

/// Opens Tipi with the given keychain and clock (tests, a sandbox with a moved clock).
pub async fn open_with(
    config: &LocalConfig,
    secrets: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
) -> CoreResult<Tipi> {
    let store = open_store(&config.data_dir, config.environment, secrets.as_ref()).await?;
    let transport = http_transport(config.environment, &config.endpoint)?;
    let tipi = Tipi::new(TipiParts {
        store,
        transport,
        secrets,
        clock,
        environment: config.environment,
        software: default_software(),
    });
    tipi.load_cached_maintenance().await?;
    Ok(tipi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{tuesday_morning, valid_claim};
    use crate::{ManualClock, MemorySecrets};
    use tipi_domain::lang::Lang;

    const PASSPHRASE: &str = "long enough passphrase";

    fn config(dir: &Path) -> LocalConfig {
        LocalConfig {
            environment: Environment::Sandbox,
            data_dir: dir.join("data"),
            endpoint: Endpoint {
                url: "https://tipi.invalid".into(),
                ca_pem: None,
            },
        }
    }

    async fn open_on(dir: &Path, secrets: &Arc<MemorySecrets>) -> CoreResult<Tipi> {
        let clock = Arc::new(ManualClock::at(tuesday_morning()));
        open_with(&config(dir), secrets.clone(), clock).await
    }

    /// A temporary data dir whose store holds the claim `F-1`, with its keychain.
    async fn one_claim() -> (tempfile::TempDir, Arc<MemorySecrets>, Tipi) {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let tipi = open_on(dir.path(), &secrets).await.unwrap();
        tipi.create_claim(valid_claim("F-1")).await.unwrap();
        (dir, secrets, tipi)
    }

    /// The database file and its WAL, as a thief without the key would read them.
    fn raw_bytes(dir: &Path) -> Vec<u8> {
        let path = Environment::Sandbox.database_path(&dir.join("data"));
        let mut bytes = std::fs::read(&path).unwrap();
        if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
            bytes.extend(wal);
        }
        bytes
    }

    fn holds(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    fn assert_no_clear_text(bytes: &[u8]) {
        for needle in ["SQLite format 3", "TREJ85531510", "Tremblay", "Julie"] {
            assert!(!holds(bytes, needle), "{needle:?} in clear");
        }
    }

    fn database_key_entry() -> SecretKey {
        SecretKey::database_key(Environment::Sandbox)
    }

    #[tokio::test]
    async fn the_database_and_its_wal_hold_no_nam_name_or_sqlite_header() {
        let (dir, secrets, tipi) = one_claim().await;
        let key = secrets.get(&database_key_entry()).unwrap().unwrap();
        assert_eq!(key.expose().len(), 64, "32 random bytes in hex");
        let bytes = raw_bytes(dir.path());
        assert!(bytes.len() > 4096);
        assert_no_clear_text(&bytes);
        tipi.store().clone().close().await;
        assert_no_clear_text(&raw_bytes(dir.path()));

        let tipi = open_on(dir.path(), &secrets).await.unwrap();
        assert!(tipi.claim_by_external_id("F-1").await.unwrap().is_some());
        tipi.store().clone().close().await;
    }

    #[tokio::test]
    async fn a_lost_database_key_is_refused_and_the_file_left_untouched() {
        let (dir, secrets, tipi) = one_claim().await;
        tipi.store().clone().close().await;
        let path = Environment::Sandbox.database_path(&dir.path().join("data"));
        let before = std::fs::read(&path).unwrap();
        secrets.delete(&database_key_entry()).unwrap();

        let error = open_on(dir.path(), &secrets).await.err().unwrap();
        assert_eq!(error.code(), "DatabaseKeyLost");
        assert!(error.message(Lang::Fr).contains("trousseau"));
        assert!(error.message(Lang::En).contains("keychain"));
        assert!(std::fs::read(&path).unwrap() == before, "file changed");
        assert!(
            secrets.get(&database_key_entry()).unwrap().is_none(),
            "no new key replaces the lost one"
        );

        // A key that does not open the file is just as lost.
        let (other, _) = new_database_key().unwrap();
        secrets.set(&database_key_entry(), &other).unwrap();
        let error = open_on(dir.path(), &secrets).await.err().unwrap();
        assert_eq!(error.code(), "DatabaseKeyLost");
        assert!(std::fs::read(&path).unwrap() == before, "file changed");
    }

    #[tokio::test]
    async fn a_clear_text_database_from_an_earlier_tipi_is_encrypted_on_first_open() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("data");
        let plain = Store::open_in(&data_dir, Environment::Sandbox)
            .await
            .unwrap();
        plain.set_setting("language", "en").await.unwrap();
        plain.close().await;
        let path = Environment::Sandbox.database_path(&data_dir);
        assert!(tipi_store::is_plain_database(&path).unwrap());

        let secrets = Arc::new(MemorySecrets::default());
        let tipi = open_on(dir.path(), &secrets).await.unwrap();
        assert_eq!(
            tipi.store().setting("language").await.unwrap().as_deref(),
            Some("en")
        );
        tipi.store().clone().close().await;
        assert!(!tipi_store::is_plain_database(&path).unwrap());
        assert!(secrets.get(&database_key_entry()).unwrap().is_some());
    }

    #[tokio::test]
    async fn a_backup_round_trips_under_a_new_key_and_holds_nothing_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let password = SecretKey::tipi_password(Environment::Sandbox, "AGP12345");
        secrets
            .set(&password, &Sensitive::new("TipiPass2026".into()))
            .unwrap();
        let tipi = open_on(dir.path(), &secrets).await.unwrap();
        tipi.create_claim(valid_claim("F-1")).await.unwrap();
        let backup = dir.path().join("tipi.backup");
        let weak = tipi.backup(&backup, &Sensitive::new("short".into())).await;
        assert_eq!(weak.err().unwrap().code(), "WeakPassphrase");
        assert!(!backup.exists());
        tipi.backup(&backup, &Sensitive::new(PASSPHRASE.into()))
            .await
            .unwrap();
        tipi.create_claim(valid_claim("F-2")).await.unwrap();
        tipi.store().clone().close().await;
        let bytes = std::fs::read(&backup).unwrap();
        assert_no_clear_text(&bytes);
        assert!(!holds(&bytes, "TipiPass2026"));
        let old_key = secrets.get(&database_key_entry()).unwrap().unwrap();
        assert!(!holds(&bytes, old_key.expose()), "no database key");

        // The keychain entry is lost: restoring is the way back, under a new key.
        secrets.delete(&database_key_entry()).unwrap();
        let data_dir = dir.path().join("data");
        let lost = std::fs::read(Environment::Sandbox.database_path(&data_dir)).unwrap();
        let aside = restore_with(
            &data_dir,
            Environment::Sandbox,
            &backup,
            &Sensitive::new(PASSPHRASE.into()),
            secrets.as_ref(),
        )
        .await
        .unwrap()
        .expect("the unreadable database was set aside");
        assert!(
            std::fs::read(&aside).unwrap() == lost,
            "set aside as it was"
        );
        assert!(aside
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("tipi-sandbox.sqlite3.set-aside-"));
        let new_key = secrets.get(&database_key_entry()).unwrap().unwrap();
        assert_ne!(new_key, old_key);
        let tipi = open_on(dir.path(), &secrets).await.unwrap();
        assert!(tipi.claim_by_external_id("F-1").await.unwrap().is_some());
        assert!(
            tipi.claim_by_external_id("F-2").await.unwrap().is_none(),
            "the state at backup time"
        );
        tipi.store().clone().close().await;
        assert_no_clear_text(&raw_bytes(dir.path()));
    }

    #[tokio::test]
    async fn a_wrong_passphrase_or_a_foreign_file_changes_nothing() {
        let (dir, secrets, tipi) = one_claim().await;
        let backup = dir.path().join("tipi.backup");
        tipi.backup(&backup, &Sensitive::new(PASSPHRASE.into()))
            .await
            .unwrap();
        tipi.store().clone().close().await;
        let data_dir = dir.path().join("data");
        let path = Environment::Sandbox.database_path(&data_dir);
        let before = std::fs::read(&path).unwrap();
        let key_before = secrets.get(&database_key_entry()).unwrap();
        let not_a_backup = dir.path().join("notes.txt");
        std::fs::write(&not_a_backup, "TREJ85531510 ".repeat(500)).unwrap();

        for (file, passphrase) in [
            (&backup, "not the right passphrase"),
            (&backup, ""),
            (&not_a_backup, PASSPHRASE),
            (&path, PASSPHRASE),
        ] {
            let error = restore_with(
                &data_dir,
                Environment::Sandbox,
                file,
                &Sensitive::new(passphrase.into()),
                secrets.as_ref(),
            )
            .await
            .err()
            .unwrap();
            assert_eq!(error.code(), "WrongPassphrase");
            assert!(std::fs::read(&path).unwrap() == before, "database changed");
            assert_eq!(secrets.get(&database_key_entry()).unwrap(), key_before);
        }
        let restored: Vec<_> = std::fs::read_dir(&data_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(restored.len(), 1, "no leftover copy: {restored:?}");
        let tipi = open_on(dir.path(), &secrets).await.unwrap();
        assert!(tipi.claim_by_external_id("F-1").await.unwrap().is_some());
        tipi.store().clone().close().await;
    }

    #[tokio::test]
    async fn starting_fresh_sets_the_unreadable_database_aside_and_never_deletes_it() {
        let (dir, secrets, tipi) = one_claim().await;
        tipi.store().clone().close().await;
        secrets.delete(&database_key_entry()).unwrap();
        let data_dir = dir.path().join("data");
        let before = std::fs::read(Environment::Sandbox.database_path(&data_dir)).unwrap();
        assert_eq!(
            open_on(dir.path(), &secrets).await.err().unwrap().code(),
            "DatabaseKeyLost"
        );

        let at = tuesday_morning();
        let aside = set_aside(&data_dir, Environment::Sandbox, at)
            .unwrap()
            .unwrap();
        assert!(std::fs::read(&aside).unwrap() == before);
        let tipi = open_on(dir.path(), &secrets).await.unwrap();
        assert!(tipi.claim_by_external_id("F-1").await.unwrap().is_none());
        tipi.store().clone().close().await;
        // A second set-aside in the same second gets its own name.
        let again = set_aside(&data_dir, Environment::Sandbox, at)
            .unwrap()
            .unwrap();
        assert_ne!(again, aside);
        assert!(aside.exists() && again.exists());
        assert_eq!(
            set_aside(&data_dir, Environment::Sandbox, at).unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn a_restore_prepared_while_the_store_is_open_leaves_it_alone_until_committed() {
        let (dir, secrets, tipi) = one_claim().await;
        let backup = dir.path().join("tipi.backup");
        tipi.backup(&backup, &Sensitive::new(PASSPHRASE.into()))
            .await
            .unwrap();
        tipi.create_claim(valid_claim("F-2")).await.unwrap();
        let data_dir = dir.path().join("data");
        let pending = prepare_restore(
            &data_dir,
            Environment::Sandbox,
            &backup,
            &Sensitive::new(PASSPHRASE.into()),
        )
        .await
        .unwrap();
        assert!(tipi.claim_by_external_id("F-2").await.unwrap().is_some());
        tipi.store().clone().close().await;
        let aside = pending
            .commit(secrets.as_ref(), tuesday_morning())
            .unwrap()
            .unwrap();
        let tipi = open_on(dir.path(), &secrets).await.unwrap();
        assert!(tipi.claim_by_external_id("F-1").await.unwrap().is_some());
        assert!(tipi.claim_by_external_id("F-2").await.unwrap().is_none());
        tipi.store().clone().close().await;
        assert!(aside.exists(), "the replaced database is kept");
    }

    #[tokio::test]
    async fn production_refuses_an_extra_ca_and_each_environment_has_its_file() {
        let endpoint = Endpoint {
            url: "https://127.0.0.1:1".into(),
            ca_pem: Some(b"-----BEGIN CERTIFICATE-----".to_vec()),
        };
        let refused = http_transport(Environment::Production, &endpoint)
            .err()
            .unwrap();
        assert_eq!(refused.code(), "Configuration");
        let dir = tempfile::tempdir().unwrap();
        let secrets = crate::MemorySecrets::default();
        let sandbox = open_store(dir.path(), Environment::Sandbox, &secrets)
            .await
            .unwrap();
        sandbox.close().await;
        assert!(Environment::Sandbox.database_path(dir.path()).exists());
        assert!(!Environment::Production.database_path(dir.path()).exists());
    }
}
