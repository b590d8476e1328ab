//! Exchanges (batches and direct requests) and the invoices they carried.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::{FromRow, SqliteConnection, SqlitePool};

/// One exchange as stored.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct ExchangeRow {
    pub(crate) id: i64,
    pub(crate) transmission_number: String,
    pub(crate) kind: String,
    pub(crate) no_attes: Option<i64>,
    pub(crate) no_dem_ext: Option<String>,
    pub(crate) request_digest: Option<String>,
    pub(crate) received_at: DateTime<Utc>,
    pub(crate) processed_at: DateTime<Utc>,
    pub(crate) returns_available_at: DateTime<Utc>,
    pub(crate) counted: bool,
    pub(crate) nbr_dem: i64,
    pub(crate) nbr_dem_recev: i64,
    pub(crate) mnt_total: String,
    pub(crate) response_xml: String,
}

/// A new exchange's values.
pub(crate) struct NewExchange<'a> {
    pub(crate) transmission_number: &'a str,
    pub(crate) kind: &'a str,
    pub(crate) no_attes: Option<u32>,
    pub(crate) no_dem_ext: Option<&'a str>,
    pub(crate) request_digest: Option<&'a str>,
    pub(crate) received_at: DateTime<Utc>,
    pub(crate) processed_at: DateTime<Utc>,
    pub(crate) returns_available_at: DateTime<Utc>,
    pub(crate) counted: bool,
    pub(crate) nbr_dem: u32,
    pub(crate) nbr_dem_recev: u32,
    pub(crate) mnt_total: Decimal,
    pub(crate) response_xml: &'a str,
}

/// One judged invoice to store.
pub(crate) struct NewInvoice<'a> {
    pub(crate) no_dem_ext: &'a str,
    pub(crate) no_fact_ext: &'a str,
    pub(crate) receivable: bool,
    pub(crate) no_fact_ramq: Option<&'a str>,
    pub(crate) amount: Decimal,
}

pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    exchange: &NewExchange<'_>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO exchanges (transmission_number, kind, no_attes, no_dem_ext, request_digest, \
         received_at, processed_at, returns_available_at, counted, nbr_dem, nbr_dem_recev, \
         mnt_total, response_xml) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(exchange.transmission_number)
    .bind(exchange.kind)
    .bind(exchange.no_attes.map(i64::from))
    .bind(exchange.no_dem_ext)
    .bind(exchange.request_digest)
    .bind(exchange.received_at)
    .bind(exchange.processed_at)
    .bind(exchange.returns_available_at)
    .bind(exchange.counted)
    .bind(i64::from(exchange.nbr_dem))
    .bind(i64::from(exchange.nbr_dem_recev))
    .bind(exchange.mnt_total.to_string())
    .bind(exchange.response_xml)
    .fetch_one(conn)
    .await
}

pub(crate) async fn insert_invoice(
    conn: &mut SqliteConnection,
    exchange: &NewExchange<'_>,
    exchange_id: i64,
    invoice: &NewInvoice<'_>,
    received_on: NaiveDate,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invoices (exchange_id, transmission_number, no_attes, no_dem_ext, \
         no_fact_ext, receivable, counted, no_fact_ramq, amount, received_at, received_on) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(exchange_id)
    .bind(exchange.transmission_number)
    .bind(i64::from(exchange.no_attes.unwrap_or(0)))
    .bind(invoice.no_dem_ext)
    .bind(invoice.no_fact_ext)
    .bind(invoice.receivable)
    .bind(exchange.counted)
    .bind(invoice.no_fact_ramq)
    .bind(invoice.amount.to_string())
    .bind(exchange.received_at)
    .bind(received_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// The next free invoice sequence number (for `no_fact_ramq`), under the write lock.
pub(crate) async fn next_invoice_id(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM invoices")
        .fetch_one(conn)
        .await
}

/// Whether an invoice number was already paid-eligible (receivable and counted) for the agency.
pub(crate) async fn invoice_already_counted(
    conn: &mut SqliteConnection,
    transmission_number: &str,
    no_fact_ext: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM invoices WHERE transmission_number = ? AND no_fact_ext = ? \
         AND receivable = 1 AND counted = 1)",
    )
    .bind(transmission_number)
    .bind(no_fact_ext)
    .fetch_one(conn)
    .await
}

/// Whether a request number was already paid-eligible for the agency.
pub(crate) async fn request_already_counted(
    conn: &mut SqliteConnection,
    transmission_number: &str,
    no_dem_ext: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM invoices WHERE transmission_number = ? AND no_dem_ext = ? \
         AND receivable = 1 AND counted = 1)",
    )
    .bind(transmission_number)
    .bind(no_dem_ext)
    .fetch_one(conn)
    .await
}

pub(crate) async fn batch(
    pool: &SqlitePool,
    transmission_number: &str,
    no_attes: u32,
) -> Result<Option<ExchangeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM exchanges WHERE transmission_number = ? AND kind = 'batch' AND no_attes = ?",
    )
    .bind(transmission_number)
    .bind(i64::from(no_attes))
    .fetch_optional(pool)
    .await
}

pub(crate) async fn direct_by_request(
    conn: &mut SqliteConnection,
    transmission_number: &str,
    no_dem_ext: &str,
) -> Result<Vec<ExchangeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM exchanges WHERE transmission_number = ? AND kind = 'direct' \
         AND no_dem_ext = ? ORDER BY id",
    )
    .bind(transmission_number)
    .bind(no_dem_ext)
    .fetch_all(conn)
    .await
}

pub(crate) async fn of_agency(
    pool: &SqlitePool,
    transmission_number: &str,
) -> Result<Vec<ExchangeRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM exchanges WHERE transmission_number = ? ORDER BY id")
        .bind(transmission_number)
        .fetch_all(pool)
        .await
}

pub(crate) async fn all(pool: &SqlitePool) -> Result<Vec<ExchangeRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM exchanges ORDER BY id")
        .fetch_all(pool)
        .await
}

/// A paid-eligible invoice, for statements.
#[derive(Debug, Clone, FromRow)]
pub(crate) struct PaidInvoiceRow {
    pub(crate) no_fact_ramq: Option<String>,
    pub(crate) no_fact_ext: String,
    pub(crate) no_attes: i64,
    pub(crate) received_on: NaiveDate,
    pub(crate) amount: String,
}

/// Every receivable invoice received in production, in reception order.
pub(crate) async fn paid_invoices(
    pool: &SqlitePool,
    transmission_number: &str,
) -> Result<Vec<PaidInvoiceRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT no_fact_ramq, no_fact_ext, no_attes, received_on, amount FROM invoices \
         WHERE transmission_number = ? AND receivable = 1 AND counted = 1 ORDER BY id",
    )
    .bind(transmission_number)
    .fetch_all(pool)
    .await
}
