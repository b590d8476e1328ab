//! Claims (demandes de paiement) with their lines, local state and history.
//!
//! A claim is stored from and read back as a `tipi_domain::claim::Claim`, with a local id, a
//! [`ClaimState`] and an event log. Editing is allowed in the editable states (Draft, Ready,
//! Refused) and moves the claim back to Draft; a refused claim keeps its receivability results
//! and history.

mod codec;
mod receipts;
mod state;

pub use receipts::Receipt;
pub(crate) use state::{move_claim, move_outbox_claims, Move};
pub use state::{ClaimEvent, ClaimEventKind, ClaimId, ClaimState};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use tipi_domain::claim::Claim;

use crate::error::{unique_as_conflict, Result, StoreError};
use crate::outbox::OutboxId;
use crate::store::Store;
pub(crate) use codec::claims_json;
use codec::ClaimRow;

/// A claim as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredClaim {
    /// Local id.
    pub id: ClaimId,
    /// Where it is in its life.
    pub state: ClaimState,
    /// The claim itself, as last saved.
    pub claim: Claim,
    /// RAMQ's invoice number, once it was found receivable.
    pub no_fact_ramq: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last change of content or state.
    pub updated_at: DateTime<Utc>,
}

// The claims each read lists, as `SELECT c.* FROM claims c ...` in the order they are listed
// (`?1`, `?2`... its parameters); `codec::claims_json` adds their lines. Public through
// `crate::sql` for tools that run the same SQL elsewhere.
const BY_ID: &str = "SELECT c.* FROM claims c WHERE c.id = ?1";
const BY_EXTERNAL_ID: &str = "SELECT c.* FROM claims c WHERE c.external_id = ?1";
pub(crate) const BY_STATE: &str =
    "SELECT c.* FROM claims c WHERE c.state = ?1 ORDER BY c.updated_at DESC, c.id DESC LIMIT ?2";
const BY_STATE_OLDEST_FIRST: &str =
    "SELECT c.* FROM claims c WHERE c.state = ?1 ORDER BY c.updated_at, c.id LIMIT ?2";
pub(crate) const BY_NAM_PREFIX: &str =
    "SELECT c.* FROM claims c WHERE c.nam >= ?1 AND c.nam < ?2 ORDER BY c.nam, c.id LIMIT ?3";
/// Each claim once, by its first service date in the range: the covering index finds the
/// month's lines and the claims are fetched in that order (no sort of whole claims).
pub(crate) const BY_SERVICE_DATE: &str = "SELECT c.* FROM \
     (SELECT claim_id, MIN(service_date) AS first_served FROM claim_lines \
      WHERE service_date BETWEEN ?1 AND ?2 \
      GROUP BY claim_id ORDER BY first_served, claim_id LIMIT ?3) m \
     CROSS JOIN claims c ON c.id = m.claim_id";

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
    /// Stores a new claim as Draft. Its external id (no_fact_ext) must be unused.
    pub async fn create_claim(&self, claim: &Claim, at: DateTime<Utc>) -> Result<ClaimId> {
        let mut tx = self.begin_write().await?;
        let p = codec::patient_columns(&claim.patient);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO claims (external_id, state, professional, place, remuneration, \
             clientele, late_allowed, nam, surname, first_name, birth_date, sex, created_at, \
             updated_at) VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&claim.external_id)
        .bind(&claim.professional)
        .bind(&claim.place)
        .bind(codec::remuneration_name(claim.remuneration))
        .bind(codec::clientele_name(claim.clientele))
        .bind(claim.late_allowed)
        .bind(&p.nam)
        .bind(p.surname)
        .bind(p.first_name)
        .bind(p.birth_date)
        .bind(p.sex)
        .bind(at)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "external invoice number already used"))?;
        let id = ClaimId(id);
        insert_lines(&mut tx, id, claim).await?;
        let mv = Move::at(ClaimState::Draft, at);
        state::log_event(
            &mut tx,
            id,
            ClaimEventKind::Created,
            (None, Some(ClaimState::Draft)),
            &mv,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces a claim's content. Only editable claims (Draft, Ready, Refused) can change;
    /// a Ready or Refused claim goes back to Draft, keeping its history.
    pub async fn update_claim(&self, id: ClaimId, claim: &Claim, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let from = state::claim_state(&mut tx, id).await?;
        if !from.is_editable() {
            return Err(StoreError::InvalidTransition {
                what: "claim",
                from: from.as_str().to_owned(),
                to: ClaimState::Draft.as_str().to_owned(),
            });
        }
        let p = codec::patient_columns(&claim.patient);
        sqlx::query(
            "UPDATE claims SET external_id = ?, state = 'draft', professional = ?, place = ?, \
             remuneration = ?, clientele = ?, late_allowed = ?, nam = ?, surname = ?, \
             first_name = ?, birth_date = ?, sex = ?, updated_at = ? WHERE id = ?",
        )
        .bind(&claim.external_id)
        .bind(&claim.professional)
        .bind(&claim.place)
        .bind(codec::remuneration_name(claim.remuneration))
        .bind(codec::clientele_name(claim.clientele))
        .bind(claim.late_allowed)
        .bind(&p.nam)
        .bind(p.surname)
        .bind(p.first_name)
        .bind(p.birth_date)
        .bind(p.sex)
        .bind(at)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| unique_as_conflict(e, "external invoice number already used"))?;
        sqlx::query("DELETE FROM claim_lines WHERE claim_id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        insert_lines(&mut tx, id, claim).await?;
        let mv = Move::at(ClaimState::Draft, at);
        let change = (Some(from), Some(ClaimState::Draft));
        state::log_event(&mut tx, id, ClaimEventKind::Edited, change, &mv).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a Draft claim Ready (the caller validated it with tipi-domain first).
    pub async fn mark_claim_ready(&self, id: ClaimId, at: DateTime<Utc>) -> Result<()> {
        self.move_claim_alone(id, Move::at(ClaimState::Ready, at))
            .await
    }

    /// Marks a Receivable claim Paid (seen on a statement).
    pub async fn mark_claim_paid(&self, id: ClaimId, at: DateTime<Utc>) -> Result<()> {
        self.move_claim_alone(id, Move::at(ClaimState::Paid, at))
            .await
    }

    /// Deletes a claim that never left the computer (Draft or Ready, never in the outbox).
    pub async fn delete_claim(&self, id: ClaimId) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let current = state::claim_state(&mut tx, id).await?;
        let in_outbox: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM outbox_claims WHERE claim_id = ?)")
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
        if !matches!(current, ClaimState::Draft | ClaimState::Ready) || in_outbox {
            return Err(StoreError::InvalidTransition {
                what: "claim",
                from: current.as_str().to_owned(),
                to: "deleted".to_owned(),
            });
        }
        sqlx::query("DELETE FROM claims WHERE id = ?")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One claim.
    pub async fn claim(&self, id: ClaimId) -> Result<StoredClaim> {
        let mut found = self.claims_from(BY_ID, &[id.0.into()]).await?;
        found.pop().ok_or(StoreError::NotFound { what: "claim" })
    }

    /// The claim with this external invoice number (no_fact_ext), if any.
    pub async fn claim_by_external_id(&self, external_id: &str) -> Result<Option<StoredClaim>> {
        let mut found = self
            .claims_from(BY_EXTERNAL_ID, &[external_id.into()])
            .await?;
        Ok(found.pop())
    }

    /// Claims in a state, most recently changed first.
    pub async fn claims_in_state(&self, state: ClaimState, limit: u32) -> Result<Vec<StoredClaim>> {
        self.claims_from(BY_STATE, &[state.as_str().into(), limit.into()])
            .await
    }

    /// Claims in a state, least recently changed first (the Ready claims a batch takes).
    pub async fn claims_in_state_oldest_first(
        &self,
        state: ClaimState,
        limit: u32,
    ) -> Result<Vec<StoredClaim>> {
        self.claims_from(
            BY_STATE_OLDEST_FIRST,
            &[state.as_str().into(), limit.into()],
        )
        .await
    }

    /// How many claims are in each state (states with none are left out).
    pub async fn claim_counts(&self) -> Result<Vec<(ClaimState, u64)>> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT state, COUNT(*) FROM claims GROUP BY state")
                .fetch_all(self.pool())
                .await?;
        let mut counts = rows
            .into_iter()
            .map(|(s, n)| Ok((state::parse_state(&s)?, u64::try_from(n).unwrap_or(0))))
            .collect::<Result<Vec<_>>>()?;
        counts.sort_by_key(|(s, _)| ClaimState::ALL.iter().position(|x| x == s));
        Ok(counts)
    }

    /// Claims whose NAM starts with `prefix` (case and spaces ignored), by NAM. A prefix with
    /// anything but letters and digits matches nothing.
    pub async fn search_claims_by_nam(&self, prefix: &str, limit: u32) -> Result<Vec<StoredClaim>> {
        let prefix = codec::normalize_nam(prefix);
        if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Ok(Vec::new());
        }
        // NAMs are [A-Z0-9]: every NAM starting with `prefix` sorts before `prefix~`, so the
        // range walks the index.
        let upper = format!("{prefix}~");
        self.claims_from(BY_NAM_PREFIX, &[prefix.into(), upper.into(), limit.into()])
            .await
    }

    /// Claims with at least one service in `[from, to]`, by first matching service date.
    pub async fn claims_with_service_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<StoredClaim>> {
        self.claims_from(BY_SERVICE_DATE, &[from.into(), to.into(), limit.into()])
            .await
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

    /// A claim's current state.
    pub async fn claim_state(&self, id: ClaimId) -> Result<ClaimState> {
        let mut conn = self.pool().acquire().await?;
        state::claim_state(&mut conn, id).await
    }

    async fn move_claim_alone(&self, id: ClaimId, mv: Move<'_>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        move_claim(&mut tx, id, mv).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The claims `source` selects, in its order, read as one JSON document.
    async fn claims_from(&self, source: &str, args: &[Arg]) -> Result<Vec<StoredClaim>> {
        let sql = claims_json(source);
        let mut query = sqlx::query_scalar::<_, String>(&sql);
        for arg in args {
            query = match arg {
                Arg::Int(v) => query.bind(*v),
                Arg::Text(v) => query.bind(v.clone()),
                Arg::Date(v) => query.bind(*v),
            };
        }
        let document = query.fetch_one(self.pool()).await?;
        crate::json_rows::parse::<ClaimRow>(&document, "claims")?
            .into_iter()
            .map(|row| {
                Ok(StoredClaim {
                    id: ClaimId(row.id),
                    state: state::parse_state(&row.state)?,
                    no_fact_ramq: row.no_fact_ramq.clone(),
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                    claim: codec::claim_from_row(row)?,
                })
            })
            .collect()
    }
}

/// A bound value for [`Store::claims_from`].
enum Arg {
    Int(i64),
    Text(String),
    Date(NaiveDate),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<u32> for Arg {
    fn from(v: u32) -> Self {
        Arg::Int(v.into())
    }
}
impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<NaiveDate> for Arg {
    fn from(v: NaiveDate) -> Self {
        Arg::Date(v)
    }
}

async fn insert_lines(conn: &mut SqliteConnection, id: ClaimId, claim: &Claim) -> Result<()> {
    for (line_no, line) in claim.lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO claim_lines (claim_id, line_no, billing_code, service_date, role, \
             units, amount) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id.0)
        .bind(line_no as i64)
        .bind(&line.billing_code)
        .bind(line.service_date)
        .bind(&line.role)
        .bind(line.units)
        .bind(line.amount.to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
