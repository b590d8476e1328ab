//! What TIP-I received and when: one row per claim sent since a date, for the sums per payment
//! cycle, read in one statement whatever the size of the history.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::state::{self, ClaimState};
use crate::error::{Result, StoreError};
use crate::store::Store;

/// A claim TIP-I received: when (its last move to Sent), where it is now and its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The claim's last move to [`ClaimState::Sent`].
    pub sent_at: DateTime<Utc>,
    /// Its state now (Sent, Receivable, Refused or Paid).
    pub state: ClaimState,
    /// The sum of its lines' amounts.
    pub total: Decimal,
}

#[derive(sqlx::FromRow)]
struct ReceiptRow {
    sent_at: DateTime<Utc>,
    state: String,
    amounts: String,
}

/// Driven by the moves to Sent since the date (the partial index, forced: without statistics
/// the planner would start from every claim ever sent).
pub(super) const RECEIPTS: &str = "\
    SELECT e.at AS sent_at, c.state AS state, \
           (SELECT json_group_array(l.amount) FROM claim_lines l WHERE l.claim_id = c.id) \
             AS amounts \
    FROM claim_events e INDEXED BY claim_events_sent_at CROSS JOIN claims c \
    WHERE c.id = e.claim_id AND e.kind = 'state_changed' AND e.to_state = 'sent' AND e.at >= ? \
      AND c.state IN ('sent', 'receivable', 'refused', 'paid') \
      AND e.id = (SELECT MAX(s.id) FROM claim_events s WHERE s.claim_id = c.id \
                  AND s.kind = 'state_changed' AND s.to_state = 'sent')";

impl Store {
    /// The claims TIP-I received since `since` (their last move to Sent), still sent, judged or
    /// paid. Amounts are summed exactly, as decimals, never in SQL.
    pub async fn receipts_since(&self, since: DateTime<Utc>) -> Result<Vec<Receipt>> {
        let rows: Vec<ReceiptRow> = sqlx::query_as(RECEIPTS)
            .bind(since)
            .fetch_all(self.pool())
            .await?;
        rows.into_iter()
            .map(|row| {
                let amounts: Vec<String> =
                    serde_json::from_str(&row.amounts).map_err(corrupt_amount)?;
                let total = amounts.iter().try_fold(Decimal::ZERO, |sum, amount| {
                    Decimal::from_str(amount)
                        .map(|amount| sum + amount)
                        .map_err(corrupt_amount)
                })?;
                Ok(Receipt {
                    sent_at: row.sent_at,
                    state: state::parse_state(&row.state)?,
                    total,
                })
            })
            .collect()
    }
}

fn corrupt_amount<E>(_: E) -> StoreError {
    StoreError::Corrupt {
        column: "claim_lines.amount",
    }
}
