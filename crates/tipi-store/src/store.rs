//! Opening the database: create if missing, WAL, busy timeout, foreign keys, migrations, and the
//! guard that refuses a file written by a newer Tipi.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection, Sqlite, Transaction};

use crate::cipher::{encrypt_in_place, is_plain_database, write_backup, wrong_key};
use crate::environment::Environment;
use crate::error::{Result, StoreError};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a connection waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const MAX_CONNECTIONS: u32 = 4;

/// A key to open an encrypted (SQLCipher) database. Its Debug output is redacted.
#[derive(Clone)]
pub struct DatabaseKey(String);

impl DatabaseKey {
    /// Wraps a key (a passphrase, or `x'…'` raw key syntax as SQLCipher accepts it).
    pub fn new(key: impl Into<String>) -> Self {
        DatabaseKey(key.into())
    }

    /// A raw 256-bit key in SQLCipher's `x'…'` syntax (used as is, no key derivation).
    pub fn from_raw_bytes(bytes: &[u8; 32]) -> Self {
        let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        DatabaseKey(format!("x'{hex}'"))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseKey(<redacted>)")
    }
}

/// Options for [`Store::open_with`]. `Default` is what [`Store::open`] uses.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// The SQLCipher key. With a key, a clear-text file left by an earlier Tipi is encrypted
    /// in place first; a key that does not open the file gives [`StoreError::WrongKey`]. A
    /// build without SQLCipher refuses any key ([`StoreError::EncryptionUnsupported`]) instead
    /// of writing a clear-text file.
    pub key: Option<DatabaseKey>,
    /// When set, the file must belong to this environment; a new file is stamped with it.
    pub environment: Option<Environment>,
}

/// Tipi's local database. Cheap to clone (a shared connection pool).
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    environment: Option<Environment>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("environment", &self.environment)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if missing) the database at `path` and brings its schema up to date.
    pub async fn open(path: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(path, OpenOptions::default()).await
    }

    /// Opens the database of `environment` inside `data_dir` (created if missing), refusing a
    /// file stamped with the other environment.
    pub async fn open_in(data_dir: impl AsRef<Path>, environment: Environment) -> Result<Store> {
        let data_dir = data_dir.as_ref();
        std::fs::create_dir_all(data_dir).map_err(StoreError::DataDirectory)?;
        let options = OpenOptions {
            environment: Some(environment),
            ..OpenOptions::default()
        };
        Store::open_with(environment.database_path(data_dir), options).await
    }

    /// Opens the database at `path` with explicit options.
    pub async fn open_with(path: impl AsRef<Path>, options: OpenOptions) -> Result<Store> {
        if options.key.is_some() {
            // Find out on a throw-away database, before the real file is created or touched.
            let mut probe = SqliteConnection::connect("sqlite::memory:").await?;
            let supported = check_encryption(&mut probe, true).await;
            probe.close().await?;
            supported?;
        }
        if let Some(key) = &options.key {
            if is_plain_database(path.as_ref()).map_err(StoreError::File)? {
                encrypt_in_place(path.as_ref(), key).await?;
            }
        }
        let base = SqliteConnectOptions::new().filename(path.as_ref());
        let base = apply_key(base, options.key.as_ref());
        if path.as_ref().exists() {
            // Read the recorded version on a plain connection before anything can write.
            let mut conn = SqliteConnection::connect_with(&base)
                .await
                .map_err(wrong_key)?;
            let guard = refuse_newer_schema(&mut conn).await;
            conn.close().await?;
            guard?;
        }
        let connect = base
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect_with(connect)
            .await
            .map_err(wrong_key)?;
        Store::finish_open(pool, options).await
    }

    /// Writes a copy of the whole database to `path`, encrypted with `passphrase` (SQLCipher's
    /// key derivation), replacing `path` only once the copy is complete. Read it back with
    /// [`PreparedRestore`](crate::PreparedRestore).
    pub async fn backup_to(&self, path: impl AsRef<Path>, passphrase: &DatabaseKey) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        write_backup(&mut conn, path.as_ref(), passphrase).await
    }

    /// A private in-memory database for tests: one connection that lives as long as the store.
    pub async fn open_in_memory() -> Result<Store> {
        let connect = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(connect)
            .await?;
        Store::finish_open(pool, OpenOptions::default()).await
    }

    async fn finish_open(pool: SqlitePool, options: OpenOptions) -> Result<Store> {
        let mut conn = pool.acquire().await?;
        check_encryption(&mut conn, options.key.is_some()).await?;
        refuse_newer_schema(&mut conn).await?;
        drop(conn);
        MIGRATOR.run(&pool).await?;
        let store = Store {
            pool,
            environment: options.environment,
        };
        if let Some(environment) = options.environment {
            store.stamp_environment(environment).await?;
        }
        Ok(store)
    }

    /// Folds the write-ahead log into the main file, then waits until every connection is
    /// closed. Other clones of this store are closed too.
    pub async fn close(self) {
        // Best effort: a busy checkpoint only leaves the WAL for the next open to fold in.
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await;
        self.pool.close().await;
    }

    /// The environment this store was opened for, if the caller said.
    pub fn environment(&self) -> Option<Environment> {
        self.environment
    }

    /// The schema version of the open database.
    pub async fn schema_version(&self) -> Result<i64> {
        let mut conn = self.pool.acquire().await?;
        Ok(recorded_schema_version(&mut conn).await?.unwrap_or(0))
    }

    /// The highest schema version this build knows.
    pub fn supported_schema_version() -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }

    pub(crate) fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction that takes the write lock at once, so two writers queue on
    /// the busy timeout instead of failing on a lock upgrade.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    async fn stamp_environment(&self, environment: Environment) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let found: Option<String> =
            sqlx::query_scalar("SELECT value FROM store_meta WHERE key = 'environment'")
                .fetch_optional(&mut *tx)
                .await?;
        match found {
            Some(found) if found != environment.as_str() => {
                return Err(StoreError::EnvironmentMismatch {
                    expected: environment.as_str(),
                    found,
                })
            }
            Some(_) => {}
            None => {
                sqlx::query("INSERT INTO store_meta (key, value) VALUES ('environment', ?)")
                    .bind(environment.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn apply_key(
    options: SqliteConnectOptions,
    key: Option<&DatabaseKey>,
) -> SqliteConnectOptions {
    match key {
        // SQLCipher's `PRAGMA key`; sqlx sends it before any other statement.
        Some(key) => options.pragma("key", format!("'{}'", key.0.replace('\'', "''"))),
        None => options,
    }
}

/// Plain SQLite ignores `PRAGMA key`: refuse rather than store clear text the caller believes
/// encrypted.
async fn check_encryption(conn: &mut SqliteConnection, key_given: bool) -> Result<()> {
    if !key_given {
        return Ok(());
    }
    let cipher: Option<String> = sqlx::query_scalar("PRAGMA cipher_version")
        .fetch_optional(&mut *conn)
        .await?;
    match cipher {
        Some(_) => Ok(()),
        None => Err(StoreError::EncryptionUnsupported),
    }
}

pub(crate) async fn recorded_schema_version(conn: &mut SqliteConnection) -> Result<Option<i64>> {
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' \
         AND name = '_sqlx_migrations')",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(wrong_key)?;
    if !has_table {
        return Ok(None);
    }
    Ok(
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_one(&mut *conn)
            .await?,
    )
}

pub(crate) async fn refuse_newer_schema(conn: &mut SqliteConnection) -> Result<()> {
    let supported = Store::supported_schema_version();
    match recorded_schema_version(conn).await? {
        Some(found) if found > supported => Err(StoreError::NewerSchema { found, supported }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cipher::is_plain_database;
    use crate::cipher::PreparedRestore;
    use crate::claims::ClaimState;
    use crate::test_support::{at, insert_claim, TempStore};

    impl Store {
        async fn claim_by_external_id_count(&self, external_id: &str) -> i64 {
            sqlx::query_scalar("SELECT COUNT(*) FROM claims WHERE external_id = ?")
                .bind(external_id)
                .fetch_one(self.pool())
                .await
                .unwrap()
        }
    }

    async fn pragma(store: &Store, name: &str) -> String {
        let mut conn = store.pool().acquire().await.unwrap();
        let value: sqlx::sqlite::SqliteRow = sqlx::query(&format!("PRAGMA {name}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        use sqlx::Row;
        value
            .try_get::<String, _>(0)
            .or_else(|_| value.try_get::<i64, _>(0).map(|v| v.to_string()))
            .unwrap()
    }

    #[tokio::test]
    async fn a_new_file_is_created_in_wal_mode_with_a_busy_timeout_and_foreign_keys() {
        let tmp = TempStore::new().await;
        assert!(tmp.path().exists());
        assert_eq!(pragma(&tmp.store, "journal_mode").await, "wal");
        assert_eq!(pragma(&tmp.store, "busy_timeout").await, "5000");
        assert_eq!(pragma(&tmp.store, "foreign_keys").await, "1");
        assert_eq!(
            tmp.store.schema_version().await.unwrap(),
            Store::supported_schema_version()
        );
    }

    #[tokio::test]
    async fn reopening_keeps_data_and_does_not_migrate_twice() {
        let mut tmp = TempStore::new().await;
        tmp.store.set_setting("language", "fr").await.unwrap();
        tmp.reopen().await;
        tmp.reopen().await;
        assert_eq!(
            tmp.store.setting("language").await.unwrap().as_deref(),
            Some("fr")
        );
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(tmp.store.pool())
            .await
            .unwrap();
        assert_eq!(applied, MIGRATOR.iter().count() as i64);
    }

    #[tokio::test]
    async fn an_outbox_written_before_0004_keeps_its_bytes_apart_from_its_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        // A database as Tipi left it at schema 3, with a queued batch and its bytes in its row.
        let old = SqlitePoolOptions::new()
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .unwrap();
        let mut up_to_3 = sqlx::migrate!("./migrations");
        up_to_3.migrations = up_to_3
            .iter()
            .filter(|m| m.version <= 3)
            .cloned()
            .collect::<Vec<_>>()
            .into();
        up_to_3.run(&old).await.unwrap();
        sqlx::query(
            "INSERT INTO outbox (kind, attestation_number, payload, state, created_at, \
             updated_at) VALUES ('batch', 1, x'3c6c6f742f3e', 'queued', '2026-03-10T14:00:00Z', \
             '2026-03-10T14:00:00Z')",
        )
        .execute(&old)
        .await
        .unwrap();
        old.close().await;

        let store = Store::open(&path).await.unwrap();
        let entry = store.in_flight().await.unwrap().pop().unwrap();
        assert_eq!(entry.payload, b"<lot/>");
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info('outbox')")
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert!(!columns.iter().any(|c| c == "payload"), "{columns:?}");
    }

    #[tokio::test]
    async fn a_database_from_a_newer_tipi_is_refused_and_left_untouched() {
        let tmp = TempStore::new().await;
        tmp.store.set_setting("language", "fr").await.unwrap();
        let newer = Store::supported_schema_version() + 1;
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
             execution_time) VALUES (?, 'from the future', 1, x'00', 0)",
        )
        .bind(newer)
        .execute(tmp.store.pool())
        .await
        .unwrap();
        tmp.store.clone().close().await;
        let before = std::fs::read(tmp.path()).unwrap();

        let err = Store::open(tmp.path()).await.unwrap_err();
        match &err {
            StoreError::NewerSchema { found, supported } => {
                assert_eq!(*found, newer);
                assert_eq!(*supported, Store::supported_schema_version());
            }
            other => panic!("expected NewerSchema, got {other}"),
        }
        assert!(err.to_string().contains("newer version of Tipi"), "{err}");
        assert!(std::fs::read(tmp.path()).unwrap() == before, "file changed");
    }

    #[tokio::test]
    async fn two_stores_on_one_file_wait_for_each_other() {
        let tmp = TempStore::new().await;
        let other = Store::open(tmp.path()).await.unwrap();

        let mut tx = tmp.store.begin_write().await.unwrap();
        sqlx::query("INSERT INTO settings (key, value) VALUES ('a', '1')")
            .execute(&mut *tx)
            .await
            .unwrap();
        // While the first store holds the write lock, the second one must wait, not fail.
        let writer = tokio::spawn(async move {
            other.set_setting("b", "2").await?;
            other.setting("a").await
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        tx.commit().await.unwrap();
        let seen_by_other = writer.await.unwrap().unwrap();

        assert_eq!(seen_by_other.as_deref(), Some("1"));
        assert_eq!(tmp.store.setting("b").await.unwrap().as_deref(), Some("2"));
    }

    #[tokio::test]
    async fn each_environment_gets_its_own_file_and_a_file_keeps_its_environment() {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = Store::open_in(dir.path(), Environment::Sandbox)
            .await
            .unwrap();
        sandbox.set_setting("language", "en").await.unwrap();
        sandbox.close().await;
        let production = Store::open_in(dir.path(), Environment::Production)
            .await
            .unwrap();
        assert_eq!(production.setting("language").await.unwrap(), None);
        assert_eq!(production.environment(), Some(Environment::Production));
        production.close().await;

        // The sandbox file opened as production is refused.
        let options = OpenOptions {
            environment: Some(Environment::Production),
            ..OpenOptions::default()
        };
        let path = Environment::Sandbox.database_path(dir.path());
        let err = Store::open_with(&path, options).await.unwrap_err();
        assert!(
            matches!(err, StoreError::EnvironmentMismatch { .. }),
            "{err}"
        );
    }

    fn keyed(key: &DatabaseKey) -> OpenOptions {
        OpenOptions {
            key: Some(key.clone()),
            ..OpenOptions::default()
        }
    }

    /// Every byte of the database file and its WAL.
    fn file_bytes(path: &Path) -> Vec<u8> {
        let mut bytes = std::fs::read(path).unwrap();
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if let Ok(more) = std::fs::read(wal) {
            bytes.extend(more);
        }
        bytes
    }

    fn holds(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    fn assert_no_clear_text(bytes: &[u8]) {
        assert!(bytes.len() > 4096, "the file has pages");
        for needle in [
            &b"SQLite format 3"[..],
            b"TREM80010112",
            b"Tremblay",
            b"Marie",
        ] {
            assert!(
                !holds(bytes, needle),
                "found {:?}",
                String::from_utf8_lossy(needle)
            );
        }
    }

    fn key(byte: u8) -> DatabaseKey {
        DatabaseKey::from_raw_bytes(&[byte; 32])
    }

    #[tokio::test]
    async fn an_encrypted_file_and_its_wal_hold_no_clear_text_and_need_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keyed.sqlite3");
        let store = Store::open_with(&path, keyed(&key(7))).await.unwrap();
        insert_claim(&store, "F-1", ClaimState::Ready).await;
        assert_no_clear_text(&file_bytes(&path));
        store.close().await;
        assert_no_clear_text(&file_bytes(&path));
        let before = std::fs::read(&path).unwrap();

        let err = Store::open_with(&path, keyed(&key(8))).await.unwrap_err();
        assert!(matches!(err, StoreError::WrongKey), "{err}");
        let err = Store::open(&path).await.unwrap_err();
        assert!(matches!(err, StoreError::WrongKey), "{err}");
        assert!(std::fs::read(&path).unwrap() == before, "file changed");

        let store = Store::open_with(&path, keyed(&key(7))).await.unwrap();
        assert_eq!(store.claim_by_external_id_count("F-1").await, 1);
        store.close().await;
        assert!(!format!("{:?}", key(7)).contains("0707"));
    }

    #[tokio::test]
    async fn a_clear_text_file_from_an_earlier_tipi_is_encrypted_in_place() {
        let tmp = TempStore::new().await;
        insert_claim(&tmp.store, "F-1", ClaimState::Ready).await;
        tmp.store.clone().close().await;
        assert!(is_plain_database(&tmp.path()).unwrap());

        let store = Store::open_with(tmp.path(), keyed(&key(3))).await.unwrap();
        assert_eq!(store.claim_by_external_id_count("F-1").await, 1);
        store.close().await;
        assert!(!is_plain_database(&tmp.path()).unwrap());
        assert_no_clear_text(&file_bytes(&tmp.path()));
        let leftovers: Vec<_> = std::fs::read_dir(tmp.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            // The live file's own WAL and shm may trail the pool's close (sqlx closes
            // connections in the background); what must not remain is a set-aside copy.
            .filter(|name| {
                !["test.sqlite3", "test.sqlite3-wal", "test.sqlite3-shm"].contains(&name.as_str())
            })
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[tokio::test]
    async fn a_backup_is_encrypted_refuses_a_wrong_passphrase_and_restores_with_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("live.sqlite3");
        let backup = dir.path().join("tipi.backup");
        let options = OpenOptions {
            key: Some(key(1)),
            environment: Some(Environment::Sandbox),
        };
        let store = Store::open_with(&path, options).await.unwrap();
        insert_claim(&store, "F-1", ClaimState::Ready).await;
        let passphrase = DatabaseKey::new("correct horse battery");
        store.backup_to(&backup, &passphrase).await.unwrap();
        store.set_setting("language", "en").await.unwrap();
        store.close().await;
        assert_no_clear_text(&std::fs::read(&backup).unwrap());
        let before = std::fs::read(&path).unwrap();

        let wrong = DatabaseKey::new("wrong horse battery");
        let err = PreparedRestore::prepare(&backup, &wrong, &path, &key(2), Environment::Sandbox)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::WrongKey), "{err}");
        let err = PreparedRestore::prepare(
            &backup,
            &passphrase,
            &path,
            &key(2),
            Environment::Production,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, StoreError::EnvironmentMismatch { .. }),
            "{err}"
        );
        assert!(std::fs::read(&path).unwrap() == before, "file changed");

        let prepared =
            PreparedRestore::prepare(&backup, &passphrase, &path, &key(2), Environment::Sandbox)
                .await
                .unwrap();
        assert!(
            std::fs::read(&path).unwrap() == before,
            "not replaced before commit"
        );
        prepared.commit().unwrap();
        let err = Store::open_with(&path, keyed(&key(1))).await.unwrap_err();
        assert!(matches!(err, StoreError::WrongKey), "{err}");
        let store = Store::open_with(&path, keyed(&key(2))).await.unwrap();
        assert_eq!(store.claim_by_external_id_count("F-1").await, 1);
        assert_eq!(
            store.setting("language").await.unwrap(),
            None,
            "as at backup time"
        );
        store.close().await;
    }

    #[tokio::test]
    async fn an_in_memory_store_keeps_its_data_across_calls() {
        let store = Store::open_in_memory().await.unwrap();
        store.mark_reminder_delivered("k", at(3, 8)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(store.reminder_delivered_at("k").await.unwrap().is_some());
        store.close().await;
    }
}
