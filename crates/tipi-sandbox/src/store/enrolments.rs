//! Self-enrolment sessions.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, SqlitePool};

#[derive(Debug, Clone, FromRow)]
pub(crate) struct EnrolmentRow {
    pub(crate) id: String,
    pub(crate) step: String,
    pub(crate) transmission_number: Option<String>,
}

pub(crate) async fn create(
    pool: &SqlitePool,
    id: &str,
    step: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO enrolments (id, step, created_at) VALUES (?, ?, ?)")
        .bind(id)
        .bind(step)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(())
}

pub(crate) async fn find(pool: &SqlitePool, id: &str) -> Result<Option<EnrolmentRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, step, transmission_number FROM enrolments WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

pub(crate) async fn update(
    pool: &SqlitePool,
    id: &str,
    step: &str,
    transmission_number: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE enrolments SET step = ?, transmission_number = COALESCE(?, transmission_number) \
         WHERE id = ?",
    )
    .bind(step)
    .bind(transmission_number)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}
