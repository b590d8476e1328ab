//! The outbox: every batch (lot) and direct request is persisted with its exact bytes and its
//! state *before* it is sent, so a crash can never lose, duplicate or silently drop one.
//!
//! States only move forward: `Queued -> Sending -> Sent -> ReturnsReceived`, or to `Failed` /
//! `Rejected`, which free the claims again (back to Ready). After a restart, [`Store::in_flight`]
//! lists what may or may not have reached TIP-I: the caller asks the journal before resending,
//! and a resend uses the stored bytes unchanged.
//!
//! The numéro d'attestation is kept here too: strictly increasing, never reused, even when a
//! batch is discarded.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
use tipi_domain::ids::{AttestationNumber, ExternalRequestNumber};

use crate::claims::{move_claim, move_outbox_claims, ClaimId, ClaimState, Move};
use crate::error::{unique_as_conflict, Result, StoreError};
use crate::store::Store;

/// An outbox entry's local id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutboxId(pub i64);

/// Where an outbox entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    /// Persisted, not sent yet.
    Queued,
    /// A send was started; whether TIP-I got it is unknown until it answers (or the journal
    /// says so).
    Sending,
    /// TIP-I acknowledged it.
    Sent,
    /// Receivability results are in.
    ReturnsReceived,
    /// Could not be sent and TIP-I does not have it; its claims are free again.
    Failed,
    /// TIP-I refused it as a whole; its claims are free again.
    Rejected,
}

impl OutboxState {
    /// Every state.
    pub const ALL: [OutboxState; 6] = [
        OutboxState::Queued,
        OutboxState::Sending,
        OutboxState::Sent,
        OutboxState::ReturnsReceived,
        OutboxState::Failed,
        OutboxState::Rejected,
    ];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::ReturnsReceived => "returns_received",
            OutboxState::Failed => "failed",
            OutboxState::Rejected => "rejected",
        }
    }

    /// Parses [`OutboxState::as_str`]'s output.
    pub fn parse(s: &str) -> Option<Self> {
        OutboxState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether the move is forward. `Sending -> Sending` is a retry with the same bytes.
    pub fn can_move_to(self, to: OutboxState) -> bool {
        use OutboxState::*;
        matches!(
            (self, to),
            (Queued, Sending)
                | (Sending, Sending | Sent | Failed | Rejected)
                | (Queued, Failed)
                | (Sent, ReturnsReceived | Rejected)
        )
    }

    /// Whether nothing more can happen to the entry.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            OutboxState::ReturnsReceived | OutboxState::Failed | OutboxState::Rejected
        )
    }
}

/// What an outbox entry carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxKind {
    /// A batch (en différé) with its numéro d'attestation.
    Batch {
        /// The numéro d'attestation.
        attestation_number: AttestationNumber,
    },
    /// A direct request (en direct) with its no_dem_ext.
    Direct {
        /// The sender's unique request number.
        no_dem_ext: ExternalRequestNumber,
    },
}

/// A batch to put in the outbox.
#[derive(Debug, Clone, Copy)]
pub struct NewBatch<'a> {
    /// Must equal [`Store::next_attestation_number`]; the store then advances it.
    pub attestation_number: AttestationNumber,
    /// The claims in the batch, in order; each must be Ready.
    pub claims: &'a [ClaimId],
    /// The serialized batch, sent byte for byte (also on a resend).
    pub payload: &'a [u8],
}

/// A direct request to put in the outbox.
#[derive(Debug, Clone, Copy)]
pub struct NewDirect<'a> {
    /// The request's unique no_dem_ext.
    pub no_dem_ext: ExternalRequestNumber,
    /// The one claim it carries; must be Ready.
    pub claim: ClaimId,
    /// The serialized request, sent byte for byte (also on a resend).
    pub payload: &'a [u8],
}

/// An outbox entry as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Local id.
    pub id: OutboxId,
    /// Batch or direct request.
    pub kind: OutboxKind,
    /// Current state.
    pub state: OutboxState,
    /// The exact bytes to send.
    pub payload: Vec<u8>,
    /// Its claims, in batch order.
    pub claims: Vec<ClaimId>,
    /// How many sends were started.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When TIP-I acknowledged it.
    pub sent_at: Option<DateTime<Utc>>,
    /// The error code of a failure or rejection.
    pub outcome_code: Option<String>,
}

// The payload holds NAMs: Debug shows its size only.
impl std::fmt::Debug for OutboxEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxEntry")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("state", &self.state)
            .field("payload_len", &self.payload.len())
            .field("claims", &self.claims)
            .field("attempts", &self.attempts)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("sent_at", &self.sent_at)
            .field("outcome_code", &self.outcome_code)
            .finish()
    }
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    kind: String,
    attestation_number: Option<u32>,
    no_dem_ext: Option<i64>,
    payload: Vec<u8>,
    state: String,
    attempts: u32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    outcome_code: Option<String>,
}

const SELECT_OUTBOX: &str = "SELECT id, kind, attestation_number, no_dem_ext, payload, state, \
     attempts, created_at, updated_at, sent_at, outcome_code \
     FROM outbox JOIN outbox_payloads ON outbox_id = id";

/// Keeps an entry's bytes in their own table (migration 0004): its state changes then never
/// rewrite them.
async fn insert_payload(conn: &mut SqliteConnection, id: OutboxId, payload: &[u8]) -> Result<()> {
    sqlx::query("INSERT INTO outbox_payloads (outbox_id, payload) VALUES (?, ?)")
        .bind(id.0)
        .bind(payload)
        .execute(conn)
        .await?;
    Ok(())
}

/// Entries that may or may not have reached TIP-I.
const IN_FLIGHT: [OutboxState; 2] = [OutboxState::Queued, OutboxState::Sending];
/// Entries TIP-I acknowledged whose receivability is still awaited.
const AWAITING_RETURNS: [OutboxState; 1] = [OutboxState::Sent];

impl Store {
    /// The numéro d'attestation the next batch must carry.
    pub async fn next_attestation_number(&self) -> Result<AttestationNumber> {
        let mut conn = self.pool().acquire().await?;
        next_attestation(&mut conn).await
    }

    /// Moves the next numéro d'attestation forward to `next` (e.g. numbers already used before
    /// Tipi, or the number TIP-I says it expects). It never moves back.
    pub async fn advance_attestation_number(&self, next: AttestationNumber) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let current = next_attestation(&mut tx).await?;
        if next < current {
            return Err(StoreError::InvalidTransition {
                what: "attestation number",
                from: current.to_string(),
                to: next.to_string(),
            });
        }
        set_next_attestation(&mut tx, next).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts a batch in the outbox, in one transaction: the entry with its bytes, its claims
    /// (each moved Ready -> Queued) and the advanced attestation counter. On any error nothing
    /// is written.
    pub async fn enqueue_batch(&self, batch: NewBatch<'_>, at: DateTime<Utc>) -> Result<OutboxId> {
        if batch.claims.is_empty() {
            return Err(StoreError::EmptyBatch);
        }
        let mut tx = self.begin_write().await?;
        let expected = next_attestation(&mut tx).await?;
        if batch.attestation_number != expected {
            return Err(StoreError::AttestationMismatch {
                expected: expected.get(),
                given: batch.attestation_number.get(),
            });
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (kind, attestation_number, state, created_at, updated_at) \
             VALUES ('batch', ?, 'queued', ?, ?) RETURNING id",
        )
        .bind(batch.attestation_number.get())
        .bind(at)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "attestation number already used"))?;
        let id = OutboxId(id);
        insert_payload(&mut tx, id, batch.payload).await?;
        let note = format!("attestation {}", batch.attestation_number);
        queue_claims(&mut tx, id, batch.claims, &note, at).await?;
        let next = batch
            .attestation_number
            .next()
            .ok_or(StoreError::Conflict {
                what: "no attestation number left",
            })?;
        set_next_attestation(&mut tx, next).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Puts a direct request in the outbox (its claim moved Ready -> Queued), in one
    /// transaction.
    pub async fn enqueue_direct(
        &self,
        direct: NewDirect<'_>,
        at: DateTime<Utc>,
    ) -> Result<OutboxId> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO outbox (kind, no_dem_ext, state, created_at, updated_at) \
             VALUES ('direct', ?, 'queued', ?, ?) RETURNING id",
        )
        .bind(no_dem_ext_value(direct.no_dem_ext))
        .bind(at)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "no_dem_ext already used"))?;
        let id = OutboxId(id);
        insert_payload(&mut tx, id, direct.payload).await?;
        let note = format!("no_dem_ext {}", direct.no_dem_ext);
        queue_claims(&mut tx, id, &[direct.claim], &note, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records that a send starts (or restarts, with the same bytes).
    pub async fn mark_sending(&self, id: OutboxId, at: DateTime<Utc>) -> Result<()> {
        self.move_outbox(id, OutboxState::Sending, at, None).await
    }

    /// Records that TIP-I acknowledged the entry; its claims become Sent.
    pub async fn mark_sent(&self, id: OutboxId, at: DateTime<Utc>) -> Result<()> {
        self.move_outbox(id, OutboxState::Sent, at, None).await
    }

    /// Records that the receivability results of the entry are all in.
    pub async fn mark_returns_received(&self, id: OutboxId, at: DateTime<Utc>) -> Result<()> {
        self.move_outbox(id, OutboxState::ReturnsReceived, at, None)
            .await
    }

    /// Records that the entry could not be sent and TIP-I does not have it (ask the journal
    /// first after a timeout). Its claims are Ready again; its attestation number stays used.
    pub async fn mark_failed(&self, id: OutboxId, code: &str, at: DateTime<Utc>) -> Result<()> {
        self.move_outbox(id, OutboxState::Failed, at, Some(code))
            .await
    }

    /// Records that TIP-I refused the entry as a whole. Its claims are Ready again.
    pub async fn mark_rejected(&self, id: OutboxId, code: &str, at: DateTime<Utc>) -> Result<()> {
        self.move_outbox(id, OutboxState::Rejected, at, Some(code))
            .await
    }

    /// One outbox entry.
    pub async fn outbox_entry(&self, id: OutboxId) -> Result<OutboxEntry> {
        let mut conn = self.pool().acquire().await?;
        let row: Option<OutboxRow> = sqlx::query_as(&format!("{SELECT_OUTBOX} WHERE id = ?"))
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
        let row = row.ok_or(StoreError::NotFound {
            what: "outbox entry",
        })?;
        entry_from_row(&mut conn, row).await
    }

    /// What may or may not have reached TIP-I: entries Queued or Sending, oldest first. Call it
    /// after a restart; for each Sending entry, ask the journal before sending again.
    pub async fn in_flight(&self) -> Result<Vec<OutboxEntry>> {
        self.outbox_in_states(&IN_FLIGHT).await
    }

    /// How many entries [`Store::in_flight`] would return, without reading their bytes (a
    /// batch of thousands of claims is megabytes).
    pub async fn in_flight_count(&self) -> Result<usize> {
        self.count_in_states(&IN_FLIGHT).await
    }

    /// Entries acknowledged by TIP-I whose receivability is still awaited, oldest first.
    pub async fn awaiting_returns(&self) -> Result<Vec<OutboxEntry>> {
        self.outbox_in_states(&AWAITING_RETURNS).await
    }

    /// How many entries [`Store::awaiting_returns`] would return, without reading their bytes.
    pub async fn awaiting_returns_count(&self) -> Result<usize> {
        self.count_in_states(&AWAITING_RETURNS).await
    }

    /// The batch carrying a numéro d'attestation, if any.
    pub async fn outbox_by_attestation(
        &self,
        number: AttestationNumber,
    ) -> Result<Option<OutboxEntry>> {
        self.outbox_where("attestation_number = ?", i64::from(number.get()))
            .await
    }

    /// The direct request with a no_dem_ext, if any.
    pub async fn outbox_by_no_dem_ext(
        &self,
        no_dem_ext: ExternalRequestNumber,
    ) -> Result<Option<OutboxEntry>> {
        self.outbox_where("no_dem_ext = ?", no_dem_ext_value(no_dem_ext))
            .await
    }

    async fn outbox_where(&self, condition: &str, value: i64) -> Result<Option<OutboxEntry>> {
        let mut conn = self.pool().acquire().await?;
        let row: Option<OutboxRow> = sqlx::query_as(&format!("{SELECT_OUTBOX} WHERE {condition}"))
            .bind(value)
            .fetch_optional(&mut *conn)
            .await?;
        match row {
            Some(row) => Ok(Some(entry_from_row(&mut conn, row).await?)),
            None => Ok(None),
        }
    }

    async fn count_in_states(&self, states: &[OutboxState]) -> Result<usize> {
        let placeholders = vec!["?"; states.len()].join(", ");
        let sql = format!("SELECT COUNT(*) FROM outbox WHERE state IN ({placeholders})");
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        for state in states {
            query = query.bind(state.as_str());
        }
        let count = query.fetch_one(self.pool()).await?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    async fn outbox_in_states(&self, states: &[OutboxState]) -> Result<Vec<OutboxEntry>> {
        let mut conn = self.pool().acquire().await?;
        let placeholders = vec!["?"; states.len()].join(", ");
        let sql = format!("{SELECT_OUTBOX} WHERE state IN ({placeholders}) ORDER BY id");
        let mut query = sqlx::query_as::<_, OutboxRow>(&sql);
        for state in states {
            query = query.bind(state.as_str());
        }
        let rows = query.fetch_all(&mut *conn).await?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            entries.push(entry_from_row(&mut conn, row).await?);
        }
        Ok(entries)
    }

    async fn move_outbox(
        &self,
        id: OutboxId,
        to: OutboxState,
        at: DateTime<Utc>,
        code: Option<&str>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let from: Option<String> = sqlx::query_scalar("SELECT state FROM outbox WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?;
        let from = parse_outbox_state(&from.ok_or(StoreError::NotFound {
            what: "outbox entry",
        })?)?;
        if !from.can_move_to(to) {
            return Err(StoreError::InvalidTransition {
                what: "outbox entry",
                from: from.as_str().to_owned(),
                to: to.as_str().to_owned(),
            });
        }
        sqlx::query(
            "UPDATE outbox SET state = ?, updated_at = ?, \
             attempts = attempts + (CASE WHEN ? = 'sending' THEN 1 ELSE 0 END), \
             sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, \
             outcome_code = COALESCE(?, outcome_code) WHERE id = ?",
        )
        .bind(to.as_str())
        .bind(at)
        .bind(to.as_str())
        .bind(to.as_str())
        .bind(at)
        .bind(code)
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        let claim_target = match to {
            OutboxState::Sent => Some(ClaimState::Sent),
            OutboxState::Failed | OutboxState::Rejected => Some(ClaimState::Ready),
            _ => None,
        };
        if let Some(target) = claim_target {
            let mv = Move {
                to: target,
                at,
                outbox_id: Some(id),
                note: code,
            };
            move_outbox_claims(&mut tx, id, mv).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn next_attestation(conn: &mut SqliteConnection) -> Result<AttestationNumber> {
    let next: u32 = sqlx::query_scalar("SELECT next FROM attestation_counter WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    attestation_from_db(next, "attestation_counter.next")
}

pub(crate) fn attestation_from_db(value: u32, column: &'static str) -> Result<AttestationNumber> {
    AttestationNumber::new(value).map_err(|_| StoreError::Corrupt { column })
}

/// no_dem_ext has at most 15 digits, so it always fits an SQLite integer.
pub(crate) fn no_dem_ext_value(n: ExternalRequestNumber) -> i64 {
    i64::try_from(n.get()).unwrap_or(i64::MAX)
}

pub(crate) fn no_dem_ext_from_db(
    value: i64,
    column: &'static str,
) -> Result<ExternalRequestNumber> {
    u64::try_from(value)
        .ok()
        .and_then(|v| ExternalRequestNumber::new(v).ok())
        .ok_or(StoreError::Corrupt { column })
}

async fn set_next_attestation(conn: &mut SqliteConnection, next: AttestationNumber) -> Result<()> {
    sqlx::query("UPDATE attestation_counter SET next = ? WHERE id = 1")
        .bind(next.get())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn queue_claims(
    conn: &mut SqliteConnection,
    id: OutboxId,
    claims: &[ClaimId],
    note: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    for (position, claim) in claims.iter().enumerate() {
        let mv = Move {
            to: ClaimState::Queued,
            at,
            outbox_id: Some(id),
            note: Some(note),
        };
        move_claim(conn, *claim, mv).await?;
        sqlx::query("INSERT INTO outbox_claims (outbox_id, claim_id, position) VALUES (?, ?, ?)")
            .bind(id.0)
            .bind(claim.0)
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn outbox_claims(conn: &mut SqliteConnection, id: OutboxId) -> Result<Vec<ClaimId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT claim_id FROM outbox_claims WHERE outbox_id = ? ORDER BY position",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(ClaimId).collect())
}

fn parse_outbox_state(s: &str) -> Result<OutboxState> {
    OutboxState::parse(s).ok_or(StoreError::Corrupt {
        column: "outbox.state",
    })
}

async fn entry_from_row(conn: &mut SqliteConnection, row: OutboxRow) -> Result<OutboxEntry> {
    let kind = match (row.kind.as_str(), row.attestation_number, row.no_dem_ext) {
        ("batch", Some(n), _) => OutboxKind::Batch {
            attestation_number: attestation_from_db(n, "outbox.attestation_number")?,
        },
        ("direct", _, Some(n)) => OutboxKind::Direct {
            no_dem_ext: no_dem_ext_from_db(n, "outbox.no_dem_ext")?,
        },
        _ => {
            return Err(StoreError::Corrupt {
                column: "outbox.kind",
            })
        }
    };
    let id = OutboxId(row.id);
    Ok(OutboxEntry {
        id,
        kind,
        state: parse_outbox_state(&row.state)?,
        payload: row.payload,
        claims: outbox_claims(conn, id).await?,
        attempts: row.attempts,
        created_at: row.created_at,
        updated_at: row.updated_at,
        sent_at: row.sent_at,
        outcome_code: row.outcome_code,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, insert_claim, TempStore};

    fn an(n: u32) -> AttestationNumber {
        AttestationNumber::new(n).unwrap()
    }

    fn ext(n: u64) -> ExternalRequestNumber {
        ExternalRequestNumber::new(n).unwrap()
    }

    async fn ready_claims(store: &Store, n: usize) -> Vec<ClaimId> {
        let mut ids = Vec::new();
        for i in 0..n {
            ids.push(insert_claim(store, &format!("F{i}"), ClaimState::Ready).await);
        }
        ids
    }

    async fn batch(store: &Store, claims: &[ClaimId], payload: &[u8]) -> Result<OutboxId> {
        let attestation_number = store.next_attestation_number().await?;
        let new = NewBatch {
            attestation_number,
            claims,
            payload,
        };
        store.enqueue_batch(new, at(3, 15)).await
    }

    async fn count(store: &Store, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(store.pool())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_batch_is_written_with_its_bytes_claims_and_number_in_one_go() {
        let tmp = TempStore::new().await;
        let s = &tmp.store;
        let claims = ready_claims(s, 2).await;
        assert_eq!(s.next_attestation_number().await.unwrap(), an(1));
        let id = batch(s, &claims, b"<lot no=1/>").await.unwrap();

        let entry = s.outbox_entry(id).await.unwrap();
        assert_eq!(
            entry.kind,
            OutboxKind::Batch {
                attestation_number: an(1)
            }
        );
        assert_eq!(entry.state, OutboxState::Queued);
        assert_eq!(entry.payload, b"<lot no=1/>");
        assert_eq!(entry.claims, claims);
        assert_eq!(s.next_attestation_number().await.unwrap(), an(2));
        assert_eq!(s.in_flight_count().await.unwrap(), 1);
        assert_eq!(s.awaiting_returns_count().await.unwrap(), 0);
        for claim in &claims {
            assert_eq!(s.claim_state(*claim).await.unwrap(), ClaimState::Queued);
            let history = s.claim_history(*claim).await.unwrap();
            assert_eq!(history.last().unwrap().outbox_id, Some(id));
            assert_eq!(history.last().unwrap().to, Some(ClaimState::Queued));
        }
        assert_eq!(
            s.outbox_by_attestation(an(1)).await.unwrap().unwrap().id,
            id
        );
        assert_eq!(s.outbox_by_attestation(an(2)).await.unwrap(), None);
    }

    #[tokio::test]
    async fn an_acknowledged_batch_moves_all_its_claims_or_none() {
        let tmp = TempStore::new().await;
        let s = &tmp.store;
        let claims = ready_claims(s, 3).await;
        let id = batch(s, &claims, b"lot").await.unwrap();
        s.mark_sending(id, at(3, 15)).await.unwrap();
        // A claim that left Queued behind the outbox's back (only possible by hand).
        sqlx::query("UPDATE claims SET state = 'paid' WHERE id = ?")
            .bind(claims[1].0)
            .execute(s.pool())
            .await
            .unwrap();
        let events = count(s, "claim_events").await;
        let err = s.mark_sent(id, at(3, 16)).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::InvalidTransition { from, .. } if from == "paid"),
            "{err}"
        );
        assert_eq!(count(s, "claim_events").await, events, "no event logged");
        assert_eq!(s.claim_state(claims[0]).await.unwrap(), ClaimState::Queued);
        assert_eq!(
            s.outbox_entry(id).await.unwrap().state,
            OutboxState::Sending
        );

        sqlx::query("UPDATE claims SET state = 'queued' WHERE id = ?")
            .bind(claims[1].0)
            .execute(s.pool())
            .await
            .unwrap();
        s.mark_sent(id, at(3, 16)).await.unwrap();
        assert_eq!(s.in_flight_count().await.unwrap(), 0);
        assert_eq!(s.awaiting_returns_count().await.unwrap(), 1);
        for claim in &claims {
            assert_eq!(s.claim_state(*claim).await.unwrap(), ClaimState::Sent);
            let last = s.claim_history(*claim).await.unwrap().pop().unwrap();
            assert_eq!(
                (last.from, last.to, last.outbox_id, last.at),
                (
                    Some(ClaimState::Queued),
                    Some(ClaimState::Sent),
                    Some(id),
                    at(3, 16)
                )
            );
        }
    }

    #[tokio::test]
    async fn a_failure_half_way_leaves_nothing() {
        let tmp = TempStore::new().await;
        let s = &tmp.store;
        let ready = insert_claim(s, "F1", ClaimState::Ready).await;
        let draft = insert_claim(s, "F2", ClaimState::Draft).await;

        // The outbox row and the first claim are written before the draft is refused.
        let err = batch(s, &[ready, draft], b"lot").await.unwrap_err();
        assert!(matches!(err, StoreError::InvalidTransition { .. }), "{err}");

        assert_eq!(count(s, "outbox").await, 0);
        assert_eq!(count(s, "outbox_claims").await, 0);
        assert_eq!(count(s, "claim_events").await, 0);
        assert_eq!(s.claim_state(ready).await.unwrap(), ClaimState::Ready);
        assert_eq!(
            s.next_attestation_number().await.unwrap(),
            an(1),
            "number not consumed"
        );
        assert!(s.in_flight().await.unwrap().is_empty());

        let missing = batch(s, &[ready, ClaimId(999)], b"lot").await.unwrap_err();
        assert!(missing.is_not_found(), "{missing}");
        assert_eq!(count(s, "outbox").await, 0);
        assert!(matches!(
            batch(s, &[], b"lot").await,
            Err(StoreError::EmptyBatch)
        ));
    }

    #[tokio::test]
    async fn attestation_numbers_strictly_increase_and_are_never_reused() {
        let tmp = TempStore::new().await;
        let s = &tmp.store;
        let claims = ready_claims(s, 3).await;
        let first = batch(s, &claims[..1], b"1").await.unwrap();
        s.mark_failed(first, "network", at(3, 16)).await.unwrap();
        assert_eq!(s.claim_state(claims[0]).await.unwrap(), ClaimState::Ready);

        // The discarded batch's number stays used.
        let reuse = NewBatch {
            attestation_number: an(1),
            claims: &claims[..1],
            payload: b"1",
        };
        let err = s.enqueue_batch(reuse, at(3, 17)).await.unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::AttestationMismatch {
                    expected: 2,
                    given: 1
                }
            ),
            "{err}"
        );

        let mut numbers = Vec::new();
        for (i, claim) in claims.iter().enumerate() {
            let id = batch(s, &[*claim], format!("lot {i}").as_bytes())
                .await
                .unwrap();
            match s.outbox_entry(id).await.unwrap().kind {
                OutboxKind::Batch { attestation_number } => numbers.push(attestation_number.get()),
                other => panic!("not a batch: {other:?}"),
            }
        }
        assert_eq!(numbers, vec![2, 3, 4]);

        s.advance_attestation_number(an(10)).await.unwrap();
        assert_eq!(s.next_attestation_number().await.unwrap(), an(10));
        let back = s.advance_attestation_number(an(9)).await.unwrap_err();
        assert!(
            matches!(back, StoreError::InvalidTransition { .. }),
            "{back}"
        );
        assert_eq!(s.next_attestation_number().await.unwrap(), an(10));
    }

    #[tokio::test]
    async fn states_only_move_forward_and_carry_the_claims() {
        let tmp = TempStore::new().await;
        let s = &tmp.store;
        let claims = ready_claims(s, 2).await;
        let id = batch(s, &claims, b"lot").await.unwrap();

        let refused = s.mark_sent(id, at(3, 16)).await.unwrap_err();
        assert!(
            matches!(refused, StoreError::InvalidTransition { .. }),
            "queued -> sent skips"
        );
        s.mark_sending(id, at(3, 16)).await.unwrap();
        s.mark_sending(id, at(3, 17)).await.unwrap();
        s.mark_sent(id, at(3, 18)).await.unwrap();
        for claim in &claims {
            assert_eq!(s.claim_state(*claim).await.unwrap(), ClaimState::Sent);
        }
        for back in [
            OutboxState::Queued,
            OutboxState::Sending,
            OutboxState::Failed,
        ] {
            let err = s.move_outbox(id, back, at(3, 19), None).await.unwrap_err();
            assert!(
                matches!(err, StoreError::InvalidTransition { .. }),
                "{back:?}"
            );
        }
        s.mark_returns_received(id, at(4, 9)).await.unwrap();
        let rejected = s.mark_rejected(id, "late", at(4, 10)).await.unwrap_err();
        assert!(matches!(rejected, StoreError::InvalidTransition { .. }));

        let entry = s.outbox_entry(id).await.unwrap();
        assert_eq!(entry.state, OutboxState::ReturnsReceived);
        assert_eq!(entry.attempts, 2);
        assert_eq!(entry.sent_at, Some(at(3, 18)));
    }

    #[test]
    fn no_state_leads_back_to_queued_and_final_states_stay_final() {
        for from in OutboxState::ALL {
            assert!(!from.can_move_to(OutboxState::Queued), "{from:?}");
            if from.is_final() {
                for to in OutboxState::ALL {
                    assert!(!from.can_move_to(to), "{from:?} -> {to:?}");
                }
            }
        }
    }

    #[tokio::test]
    async fn a_rejected_batch_frees_its_claims_for_a_new_number() {
        let tmp = TempStore::new().await;
        let s = &tmp.store;
        let claims = ready_claims(s, 2).await;
        let id = batch(s, &claims, b"lot").await.unwrap();
        s.mark_sending(id, at(3, 16)).await.unwrap();
        s.mark_rejected(id, "trailer_mismatch", at(3, 16))
            .await
            .unwrap();
        let entry = s.outbox_entry(id).await.unwrap();
        assert_eq!(entry.outcome_code.as_deref(), Some("trailer_mismatch"));
        for claim in &claims {
            assert_eq!(s.claim_state(*claim).await.unwrap(), ClaimState::Ready);
        }
        let again = batch(s, &claims, b"lot 2").await.unwrap();
        assert_eq!(
            s.outbox_entry(again).await.unwrap().kind,
            OutboxKind::Batch {
                attestation_number: an(2)
            }
        );
    }

    #[tokio::test]
    async fn after_a_restart_in_flight_entries_come_back_with_identical_bytes() {
        let mut tmp = TempStore::new().await;
        let claims = ready_claims(&tmp.store, 4).await;
        let payload: Vec<u8> = (0..=255u8).collect();
        let queued = batch(&tmp.store, &claims[..1], &payload).await.unwrap();
        let sending = batch(&tmp.store, &claims[1..2], b"second").await.unwrap();
        tmp.store.mark_sending(sending, at(3, 16)).await.unwrap();
        let sent = batch(&tmp.store, &claims[2..3], b"third").await.unwrap();
        tmp.store.mark_sending(sent, at(3, 16)).await.unwrap();
        tmp.store.mark_sent(sent, at(3, 16)).await.unwrap();
        let direct = NewDirect {
            no_dem_ext: ext(1),
            claim: claims[3],
            payload: b"direct",
        };
        let direct = tmp.store.enqueue_direct(direct, at(3, 17)).await.unwrap();
        tmp.store.mark_sending(direct, at(3, 17)).await.unwrap();

        tmp.reopen().await;
        let in_flight = tmp.store.in_flight().await.unwrap();
        let ids: Vec<_> = in_flight.iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![queued, sending, direct]);
        assert_eq!(in_flight[0].payload, payload);
        assert_eq!(in_flight[1].state, OutboxState::Sending);
        assert_eq!(in_flight[2].kind, OutboxKind::Direct { no_dem_ext: ext(1) });
        let awaiting = tmp.store.awaiting_returns().await.unwrap();
        assert_eq!(
            awaiting.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![sent]
        );
    }

    #[tokio::test]
    async fn direct_requests_are_recorded_with_their_no_dem_ext() {
        let tmp = TempStore::new().await;
        let s = &tmp.store;
        let claims = ready_claims(s, 2).await;
        let first = NewDirect {
            no_dem_ext: ext(7),
            claim: claims[0],
            payload: b"a",
        };
        let id = s.enqueue_direct(first, at(3, 15)).await.unwrap();
        assert_eq!(s.claim_state(claims[0]).await.unwrap(), ClaimState::Queued);
        assert_eq!(
            s.outbox_by_no_dem_ext(ext(7)).await.unwrap().unwrap().id,
            id
        );

        let reused = NewDirect {
            no_dem_ext: ext(7),
            claim: claims[1],
            payload: b"b",
        };
        let err = s.enqueue_direct(reused, at(3, 15)).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        assert_eq!(s.claim_state(claims[1]).await.unwrap(), ClaimState::Ready);
        assert_eq!(
            s.next_attestation_number().await.unwrap(),
            an(1),
            "direct uses no number"
        );
    }

    #[tokio::test]
    async fn debug_output_hides_the_payload() {
        let tmp = TempStore::new().await;
        let claims = ready_claims(&tmp.store, 1).await;
        let id = batch(&tmp.store, &claims, b"TREM80010112").await.unwrap();
        let entry = tmp.store.outbox_entry(id).await.unwrap();
        let debug = format!("{entry:?}");
        assert!(!debug.contains("TREM"), "{debug}");
        assert!(debug.contains("payload_len: 12"), "{debug}");
    }
}
