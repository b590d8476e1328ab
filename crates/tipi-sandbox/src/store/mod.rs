//! The sandbox's SQLite database: embedded migrations, WAL, a busy timeout, and one module per
//! table. Writers take [`crate::state::AppState::write`] first, so concurrent batches of many
//! agencies never fight for SQLite's single writer.

pub(crate) mod agencies;
pub(crate) mod enrolments;
pub(crate) mod exchanges;
pub(crate) mod settings;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// The database file inside the data dir.
pub(crate) const DB_FILE: &str = "sandbox.sqlite3";

/// Opens (creating if needed) and migrates the database in `dir`.
pub(crate) async fn open(dir: &Path) -> Result<SqlitePool, sqlx::Error> {
    let url = format!("sqlite://{}", dir.join(DB_FILE).display());
    let options = SqliteConnectOptions::from_str(&url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}
