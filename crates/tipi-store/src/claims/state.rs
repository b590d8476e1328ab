//! A claim's life: its states, the moves allowed between them, and the event log.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::error::{Result, StoreError};
use crate::outbox::OutboxId;

/// A claim's local id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimId(pub i64);

/// Where a claim is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimState {
    /// Being written; may be incomplete.
    Draft,
    /// Validated by the user, waiting for a batch (or a direct send).
    Ready,
    /// In the outbox, not yet known to be received.
    Queued,
    /// Received by TIP-I, receivability pending.
    Sent,
    /// RAMQ found it receivable.
    Receivable,
    /// RAMQ refused it; it stays editable and keeps its history.
    Refused,
    /// Paid on a statement.
    Paid,
}

impl ClaimState {
    /// Every state, in life order.
    pub const ALL: [ClaimState; 7] = [
        ClaimState::Draft,
        ClaimState::Ready,
        ClaimState::Queued,
        ClaimState::Sent,
        ClaimState::Receivable,
        ClaimState::Refused,
        ClaimState::Paid,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimState::Draft => "draft",
            ClaimState::Ready => "ready",
            ClaimState::Queued => "queued",
            ClaimState::Sent => "sent",
            ClaimState::Receivable => "receivable",
            ClaimState::Refused => "refused",
            ClaimState::Paid => "paid",
        }
    }

    /// Parses [`ClaimState::as_str`]'s output.
    pub fn parse(s: &str) -> Option<ClaimState> {
        ClaimState::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
    }

    /// Whether the user may change the claim's content in this state.
    pub fn is_editable(self) -> bool {
        matches!(
            self,
            ClaimState::Draft | ClaimState::Ready | ClaimState::Refused
        )
    }

    /// Whether the store allows moving from `self` to `to`. Editing moves an editable claim
    /// back to Draft; the outbox frees Queued (and Sent, when a batch is rejected) claims back
    /// to Ready; everything else only moves forward.
    pub fn can_move_to(self, to: ClaimState) -> bool {
        use ClaimState::*;
        matches!(
            (self, to),
            (Draft | Ready | Refused, Draft)
                | (Draft, Ready)
                | (Ready, Queued)
                | (Queued, Sent)
                | (Queued | Sent, Ready)
                | (Sent, Receivable | Refused)
                | (Receivable, Paid)
        )
    }
}

/// What an event in a claim's log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimEventKind {
    /// The claim was created.
    Created,
    /// Its content was changed.
    Edited,
    /// Its state changed.
    StateChanged,
    /// Receivability results were recorded.
    Receivability,
}

impl ClaimEventKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ClaimEventKind::Created => "created",
            ClaimEventKind::Edited => "edited",
            ClaimEventKind::StateChanged => "state_changed",
            ClaimEventKind::Receivability => "receivability",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        [
            ClaimEventKind::Created,
            ClaimEventKind::Edited,
            ClaimEventKind::StateChanged,
            ClaimEventKind::Receivability,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// One entry of a claim's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: ClaimEventKind,
    /// The state before, for state changes.
    pub from: Option<ClaimState>,
    /// The state after, for state changes.
    pub to: Option<ClaimState>,
    /// The outbox entry involved, if any.
    pub outbox_id: Option<OutboxId>,
    /// A short non-personal note (an error code, an attestation number...).
    pub note: Option<String>,
}

pub(crate) fn parse_state(s: &str) -> Result<ClaimState> {
    ClaimState::parse(s).ok_or(StoreError::Corrupt {
        column: "claims.state",
    })
}

pub(crate) async fn claim_state(conn: &mut SqliteConnection, id: ClaimId) -> Result<ClaimState> {
    let state: Option<String> = sqlx::query_scalar("SELECT state FROM claims WHERE id = ?")
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    parse_state(&state.ok_or(StoreError::NotFound { what: "claim" })?)
}

/// A state change to apply inside a caller's transaction.
pub(crate) struct Move<'a> {
    pub(crate) to: ClaimState,
    pub(crate) at: DateTime<Utc>,
    pub(crate) outbox_id: Option<OutboxId>,
    pub(crate) note: Option<&'a str>,
}

impl Move<'_> {
    /// A plain change at `at`, with no outbox entry or note.
    pub(crate) fn at(to: ClaimState, at: DateTime<Utc>) -> Self {
        Move {
            to,
            at,
            outbox_id: None,
            note: None,
        }
    }
}

/// Moves a claim to `mv.to` if allowed, and logs it. Returns the state it left.
pub(crate) async fn move_claim(
    conn: &mut SqliteConnection,
    id: ClaimId,
    mv: Move<'_>,
) -> Result<ClaimState> {
    let from = claim_state(conn, id).await?;
    if !from.can_move_to(mv.to) {
        return Err(StoreError::InvalidTransition {
            what: "claim",
            from: from.as_str().to_owned(),
            to: mv.to.as_str().to_owned(),
        });
    }
    sqlx::query("UPDATE claims SET state = ?, updated_at = ? WHERE id = ?")
        .bind(mv.to.as_str())
        .bind(mv.at)
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    log_event(
        conn,
        id,
        ClaimEventKind::StateChanged,
        (Some(from), Some(mv.to)),
        &mv,
    )
    .await?;
    Ok(from)
}

/// Moves every claim of outbox entry `outbox` to `mv.to` and logs each move, in three
/// statements whatever the batch size (a batch holds thousands of claims). All or none: if one
/// claim may not make the move, nothing changes and the error names its state.
pub(crate) async fn move_outbox_claims(
    conn: &mut SqliteConnection,
    outbox: OutboxId,
    mv: Move<'_>,
) -> Result<()> {
    let allowed: Vec<&str> = ClaimState::ALL
        .into_iter()
        .filter(|from| from.can_move_to(mv.to))
        .map(ClaimState::as_str)
        .collect();
    let placeholders = vec!["?"; allowed.len()].join(", ");
    let sql = format!(
        "SELECT c.state FROM outbox_claims o JOIN claims c ON c.id = o.claim_id \
         WHERE o.outbox_id = ? AND c.state NOT IN ({placeholders}) LIMIT 1"
    );
    let mut blocked = sqlx::query_scalar::<_, String>(&sql).bind(outbox.0);
    for state in &allowed {
        blocked = blocked.bind(*state);
    }
    if let Some(from) = blocked.fetch_optional(&mut *conn).await? {
        return Err(StoreError::InvalidTransition {
            what: "claim",
            from,
            to: mv.to.as_str().to_owned(),
        });
    }
    // The events read each claim's state before the update changes it.
    sqlx::query(
        "INSERT INTO claim_events (claim_id, at, kind, from_state, to_state, outbox_id, note) \
         SELECT c.id, ?, ?, c.state, ?, ?, ? FROM outbox_claims o \
         JOIN claims c ON c.id = o.claim_id WHERE o.outbox_id = ? ORDER BY o.position",
    )
    .bind(mv.at)
    .bind(ClaimEventKind::StateChanged.as_str())
    .bind(mv.to.as_str())
    .bind(mv.outbox_id.map(|o| o.0))
    .bind(mv.note)
    .bind(outbox.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE claims SET state = ?, updated_at = ? \
         WHERE id IN (SELECT claim_id FROM outbox_claims WHERE outbox_id = ?)",
    )
    .bind(mv.to.as_str())
    .bind(mv.at)
    .bind(outbox.0)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn log_event(
    conn: &mut SqliteConnection,
    id: ClaimId,
    kind: ClaimEventKind,
    (from, to): (Option<ClaimState>, Option<ClaimState>),
    mv: &Move<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO claim_events (claim_id, at, kind, from_state, to_state, outbox_id, note) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.0)
    .bind(mv.at)
    .bind(kind.as_str())
    .bind(from.map(ClaimState::as_str))
    .bind(to.map(ClaimState::as_str))
    .bind(mv.outbox_id.map(|o| o.0))
    .bind(mv.note)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ClaimState::{self, *};

    #[test]
    fn names_round_trip() {
        for state in ClaimState::ALL {
            assert_eq!(ClaimState::parse(state.as_str()), Some(state));
        }
        assert_eq!(ClaimState::parse("lost"), None);
    }

    #[test]
    fn only_editable_states_go_back_to_draft() {
        for state in ClaimState::ALL {
            assert_eq!(state.can_move_to(Draft), state.is_editable(), "{state:?}");
        }
    }

    #[test]
    fn sent_and_paid_claims_never_go_back_to_editing_or_queueing() {
        for from in [Sent, Receivable, Paid] {
            assert!(!from.can_move_to(Draft), "{from:?}");
            assert!(!from.can_move_to(Queued), "{from:?}");
        }
        for to in ClaimState::ALL {
            assert!(!Paid.can_move_to(to), "paid is final, not {to:?}");
        }
        assert!(
            !Draft.can_move_to(Queued),
            "a draft must be marked ready first"
        );
        assert!(
            !Refused.can_move_to(Ready),
            "a refused claim is edited first"
        );
    }
}
