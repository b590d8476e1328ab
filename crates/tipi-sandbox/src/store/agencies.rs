//! Agencies: credentials, suspension, attestation sequence and going live. Also the
//! maintenance windows (a table of its own, too small for a module).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{FromRow, SqliteConnection, SqlitePool};

/// One agency as stored. No Debug: it holds password hashes.
#[derive(Clone, FromRow)]
pub(crate) struct AgencyRow {
    pub(crate) transmission_number: String,
    pub(crate) origin: String,
    pub(crate) blast_id: Option<String>,
    pub(crate) blast_password_hash: Option<String>,
    pub(crate) password_hash: Option<String>,
    pub(crate) password_set_on: Option<NaiveDate>,
    pub(crate) password_temporary: bool,
    pub(crate) failed_logins: i64,
    pub(crate) suspended: bool,
    pub(crate) first_valid_batch_at: Option<DateTime<Utc>>,
    pub(crate) last_attestation: Option<i64>,
}

impl AgencyRow {
    pub(crate) fn enrolled(&self) -> bool {
        self.password_hash.is_some()
    }
}

/// A new agency's initial values.
pub(crate) struct NewAgency<'a> {
    pub(crate) transmission_number: &'a str,
    pub(crate) origin: &'a str,
    pub(crate) blast_id: Option<&'a str>,
    pub(crate) blast_password_hash: Option<String>,
    pub(crate) password_hash: Option<String>,
    pub(crate) password_set_on: Option<NaiveDate>,
    pub(crate) password_temporary: bool,
}

pub(crate) async fn find(
    pool: &SqlitePool,
    transmission_number: &str,
) -> Result<Option<AgencyRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM agencies WHERE transmission_number = ?")
        .bind(transmission_number)
        .fetch_optional(pool)
        .await
}

pub(crate) async fn find_by_blast_id(
    pool: &SqlitePool,
    blast_id: &str,
) -> Result<Option<AgencyRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM agencies WHERE blast_id = ?")
        .bind(blast_id)
        .fetch_optional(pool)
        .await
}

pub(crate) async fn find_in(
    conn: &mut SqliteConnection,
    transmission_number: &str,
) -> Result<Option<AgencyRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM agencies WHERE transmission_number = ?")
        .bind(transmission_number)
        .fetch_optional(conn)
        .await
}

/// Inserts or replaces an agency (seeding is idempotent: the admin's last word wins).
pub(crate) async fn upsert(
    pool: &SqlitePool,
    agency: NewAgency<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO agencies (transmission_number, origin, blast_id, blast_password_hash, \
         password_hash, password_set_on, password_temporary, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (transmission_number) DO UPDATE SET origin = excluded.origin, \
         blast_id = excluded.blast_id, blast_password_hash = excluded.blast_password_hash, \
         password_hash = excluded.password_hash, password_set_on = excluded.password_set_on, \
         password_temporary = excluded.password_temporary, failed_logins = 0, suspended = 0",
    )
    .bind(agency.transmission_number)
    .bind(agency.origin)
    .bind(agency.blast_id)
    .bind(agency.blast_password_hash)
    .bind(agency.password_hash)
    .bind(agency.password_set_on)
    .bind(agency.password_temporary)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Inserts an agency only if it does not exist yet (demo seeding on every start).
pub(crate) async fn insert_if_absent(
    pool: &SqlitePool,
    agency: NewAgency<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    if find(pool, agency.transmission_number).await?.is_none() {
        upsert(pool, agency, now).await?;
    }
    Ok(())
}

pub(crate) async fn set_password(
    pool: &SqlitePool,
    transmission_number: &str,
    password_hash: &str,
    set_on: NaiveDate,
    temporary: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE agencies SET password_hash = ?, password_set_on = ?, password_temporary = ?, \
         failed_logins = 0 WHERE transmission_number = ?",
    )
    .bind(password_hash)
    .bind(set_on)
    .bind(temporary)
    .bind(transmission_number)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed login; returns the new count and whether the agency is now suspended.
pub(crate) async fn record_failure(
    pool: &SqlitePool,
    transmission_number: &str,
    limit: i64,
) -> Result<(i64, bool), sqlx::Error> {
    sqlx::query_as(
        "UPDATE agencies SET failed_logins = failed_logins + 1, \
         suspended = CASE WHEN failed_logins + 1 >= ? THEN 1 ELSE suspended END \
         WHERE transmission_number = ? RETURNING failed_logins, suspended",
    )
    .bind(limit)
    .bind(transmission_number)
    .fetch_one(pool)
    .await
}

pub(crate) async fn reset_failures(
    pool: &SqlitePool,
    transmission_number: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE agencies SET failed_logins = 0 WHERE transmission_number = ?")
        .bind(transmission_number)
        .execute(pool)
        .await?;
    Ok(())
}

/// Support's reactivation: unsuspends and clears the failure count.
pub(crate) async fn reactivate(
    pool: &SqlitePool,
    transmission_number: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE agencies SET suspended = 0, failed_logins = 0 WHERE transmission_number = ?",
    )
    .bind(transmission_number)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records an accepted batch's attestation number and, for the first batch without error,
/// the instant that drives going live.
pub(crate) async fn record_batch(
    conn: &mut SqliteConnection,
    transmission_number: &str,
    no_attes: u32,
    first_valid_batch_at: Option<DateTime<Utc>>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE agencies SET last_attestation = ?, \
         first_valid_batch_at = COALESCE(first_valid_batch_at, ?) WHERE transmission_number = ?",
    )
    .bind(i64::from(no_attes))
    .bind(first_valid_batch_at)
    .bind(transmission_number)
    .execute(conn)
    .await?;
    Ok(())
}

/// A maintenance window as stored.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct MaintenanceRow {
    pub(crate) start_at: DateTime<Utc>,
    pub(crate) end_at: DateTime<Utc>,
}

pub(crate) async fn maintenance(pool: &SqlitePool) -> Result<Vec<MaintenanceRow>, sqlx::Error> {
    sqlx::query_as("SELECT start_at, end_at FROM maintenance ORDER BY start_at")
        .fetch_all(pool)
        .await
}

pub(crate) async fn add_maintenance(
    pool: &SqlitePool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO maintenance (start_at, end_at) VALUES (?, ?)")
        .bind(start)
        .bind(end)
        .execute(pool)
        .await?;
    Ok(())
}

pub(crate) async fn clear_maintenance(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM maintenance").execute(pool).await?;
    Ok(())
}
