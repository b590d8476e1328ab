//! The local copy of the exchange journal ("suivi des échanges d'information"): every batch,
//! direct request, returned receivability and statement, by date.
//!
//! Details are short non-personal texts (never a NAM or a name).

use chrono::{DateTime, Utc};
use tipi_domain::ids::{AttestationNumber, ExternalRequestNumber};

use crate::error::{unique_as_conflict, Result};
use crate::outbox::{attestation_from_db, no_dem_ext_from_db, no_dem_ext_value, OutboxId};
use crate::store::Store;

/// What an exchange was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExchangeKind {
    /// A batch (lot) was transmitted.
    BatchSent,
    /// A direct (en direct) request was transmitted.
    DirectSent,
    /// Receivability results came back.
    ReceivabilityReturned,
    /// A statement (état de compte) came back.
    Statement,
}

impl ExchangeKind {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ExchangeKind::BatchSent => "batch_sent",
            ExchangeKind::DirectSent => "direct_sent",
            ExchangeKind::ReceivabilityReturned => "receivability_returned",
            ExchangeKind::Statement => "statement",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            ExchangeKind::BatchSent,
            ExchangeKind::DirectSent,
            ExchangeKind::ReceivabilityReturned,
            ExchangeKind::Statement,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// An exchange to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewExchange {
    /// The journal's own identifier for it, when known: recording the same remote id twice
    /// updates instead of duplicating, so journal syncs are idempotent.
    pub remote_id: Option<String>,
    /// What it was.
    pub kind: ExchangeKind,
    /// When it happened (UTC).
    pub occurred_at: DateTime<Utc>,
    /// The outbox entry it concerns, if it is one of ours.
    pub outbox_id: Option<OutboxId>,
    /// The batch's numéro d'attestation, if any.
    pub attestation_number: Option<AttestationNumber>,
    /// The direct request's no_dem_ext, if any.
    pub no_dem_ext: Option<ExternalRequestNumber>,
    /// What TIP-I said about it (received, processed, refused...).
    pub status: Option<String>,
    /// A short non-personal description.
    pub detail: Option<String>,
}

/// A recorded exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// Local id.
    pub id: i64,
    /// Everything that was recorded.
    pub exchange: NewExchange,
}

#[derive(sqlx::FromRow)]
struct ExchangeRow {
    id: i64,
    remote_id: Option<String>,
    kind: String,
    occurred_at: DateTime<Utc>,
    outbox_id: Option<i64>,
    attestation_number: Option<u32>,
    no_dem_ext: Option<i64>,
    status: Option<String>,
    detail: Option<String>,
}

impl TryFrom<ExchangeRow> for Exchange {
    type Error = crate::StoreError;

    fn try_from(row: ExchangeRow) -> Result<Exchange> {
        Ok(Exchange {
            id: row.id,
            exchange: NewExchange {
                remote_id: row.remote_id,
                kind: ExchangeKind::parse(&row.kind).ok_or(crate::StoreError::Corrupt {
                    column: "exchanges.kind",
                })?,
                occurred_at: row.occurred_at,
                outbox_id: row.outbox_id.map(OutboxId),
                attestation_number: row
                    .attestation_number
                    .map(|n| attestation_from_db(n, "exchanges.attestation_number"))
                    .transpose()?,
                no_dem_ext: row
                    .no_dem_ext
                    .map(|n| no_dem_ext_from_db(n, "exchanges.no_dem_ext"))
                    .transpose()?,
                status: row.status,
                detail: row.detail,
            },
        })
    }
}

/// The exchanges of a period, in the order they happened.
pub(crate) const BETWEEN: &str = "SELECT id, remote_id, kind, occurred_at, outbox_id, \
     attestation_number, no_dem_ext, status, detail FROM exchanges \
     WHERE occurred_at >= ?1 AND occurred_at < ?2 ORDER BY occurred_at, id";

impl Store {
    /// Records an exchange; with a `remote_id` already known, updates that exchange instead.
    /// Returns its local id.
    pub async fn record_exchange(&self, exchange: &NewExchange) -> Result<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO exchanges (remote_id, kind, occurred_at, outbox_id, attestation_number, \
             no_dem_ext, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (remote_id) DO UPDATE SET kind = excluded.kind, \
             occurred_at = excluded.occurred_at, \
             outbox_id = COALESCE(excluded.outbox_id, outbox_id), \
             attestation_number = COALESCE(excluded.attestation_number, attestation_number), \
             no_dem_ext = COALESCE(excluded.no_dem_ext, no_dem_ext), \
             status = excluded.status, detail = excluded.detail \
             RETURNING id",
        )
        .bind(&exchange.remote_id)
        .bind(exchange.kind.as_str())
        .bind(exchange.occurred_at)
        .bind(exchange.outbox_id.map(|id| id.0))
        .bind(exchange.attestation_number.map(AttestationNumber::get))
        .bind(exchange.no_dem_ext.map(no_dem_ext_value))
        .bind(&exchange.status)
        .bind(&exchange.detail)
        .fetch_one(self.pool())
        .await
        .map_err(|e| unique_as_conflict(e, "exchange"))?;
        Ok(id)
    }

    /// Exchanges that happened in `[from, to)`, oldest first.
    pub async fn exchanges_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Exchange>> {
        let rows: Vec<ExchangeRow> = sqlx::query_as(BETWEEN)
            .bind(from)
            .bind(to)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter().map(Exchange::try_from).collect()
    }

    /// The most recent exchanges, newest first.
    pub async fn recent_exchanges(&self, limit: u32) -> Result<Vec<Exchange>> {
        let rows: Vec<ExchangeRow> = sqlx::query_as(
            "SELECT id, remote_id, kind, occurred_at, outbox_id, attestation_number, no_dem_ext, \
             status, detail FROM exchanges ORDER BY occurred_at DESC, id DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(Exchange::try_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, TempStore};

    fn exchange(remote: Option<&str>, occurred_at: DateTime<Utc>) -> NewExchange {
        NewExchange {
            remote_id: remote.map(str::to_owned),
            kind: ExchangeKind::BatchSent,
            occurred_at,
            outbox_id: None,
            attestation_number: Some(AttestationNumber::new(7).unwrap()),
            no_dem_ext: None,
            status: Some("received".into()),
            detail: None,
        }
    }

    #[tokio::test]
    async fn exchanges_are_listed_by_date_and_synced_idempotently() {
        let mut tmp = TempStore::new().await;
        let s = &tmp.store;
        let a = s
            .record_exchange(&exchange(Some("J-1"), at(3, 15)))
            .await
            .unwrap();
        s.record_exchange(&exchange(None, at(2, 15))).await.unwrap();
        s.record_exchange(&exchange(None, at(5, 15))).await.unwrap();
        let mut processed = exchange(Some("J-1"), at(3, 15));
        processed.status = Some("processed".into());
        processed.attestation_number = None;
        assert_eq!(
            s.record_exchange(&processed).await.unwrap(),
            a,
            "same remote id, same row"
        );

        tmp.reopen().await;
        let between = tmp
            .store
            .exchanges_between(at(2, 0), at(4, 0))
            .await
            .unwrap();
        let dates: Vec<_> = between.iter().map(|e| e.exchange.occurred_at).collect();
        assert_eq!(dates, vec![at(2, 15), at(3, 15)]);
        let synced = &between[1].exchange;
        assert_eq!(synced.status.as_deref(), Some("processed"));
        assert_eq!(
            synced.attestation_number.map(AttestationNumber::get),
            Some(7),
            "a known number is not erased"
        );

        let recent = tmp.store.recent_exchanges(2).await.unwrap();
        assert_eq!(recent[0].exchange.occurred_at, at(5, 15));
        assert_eq!(recent.len(), 2);
    }

    #[tokio::test]
    async fn listing_by_date_uses_the_index() {
        let tmp = TempStore::new().await;
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "EXPLAIN QUERY PLAN SELECT id FROM exchanges WHERE occurred_at >= ? \
             AND occurred_at < ? ORDER BY occurred_at, id",
        )
        .bind(at(1, 0))
        .bind(at(2, 0))
        .fetch_all(tmp.store.pool())
        .await
        .unwrap();
        assert!(
            plan.iter().any(|row| row.3.contains("exchanges_by_date")),
            "{plan:?}"
        );
    }
}
