//! Claims (demandes de paiement) with their lines, local state and history.

mod state;

pub(crate) use state::{move_claim, Move};
pub use state::{ClaimEvent, ClaimEventKind, ClaimId, ClaimState};

use chrono::{DateTime, Utc};

use crate::error::{Result, StoreError};
use crate::outbox::OutboxId;
use crate::store::Store;

#[derive(sqlx::FromRow)]
struct EventRow {
    at: DateTime<Utc>,
    kind: String,
    from_state: Option<String>,
    to_state: Option<String>,
    outbox_id: Option<i64>,
    note: Option<String>,
}

impl Store {
    /// A claim's current state.
    pub async fn claim_state(&self, id: ClaimId) -> Result<ClaimState> {
        let mut conn = self.pool().acquire().await?;
        state::claim_state(&mut conn, id).await
    }

    /// A claim's history, oldest first. It is kept through refusals and edits.
    pub async fn claim_history(&self, id: ClaimId) -> Result<Vec<ClaimEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT at, kind, from_state, to_state, outbox_id, note FROM claim_events \
             WHERE claim_id = ? ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(ClaimEvent {
                    at: row.at,
                    kind: ClaimEventKind::parse(&row.kind).ok_or(StoreError::Corrupt {
                        column: "claim_events.kind",
                    })?,
                    from: row
                        .from_state
                        .as_deref()
                        .map(state::parse_state)
                        .transpose()?,
                    to: row
                        .to_state
                        .as_deref()
                        .map(state::parse_state)
                        .transpose()?,
                    outbox_id: row.outbox_id.map(OutboxId),
                    note: row.note,
                })
            })
            .collect()
    }
}
