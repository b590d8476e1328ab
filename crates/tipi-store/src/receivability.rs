//! Receivability (recevabilité) results per claim and per line, kept as history: a refused
//! claim that is corrected and sent again gets a second result; the first one stays.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::claims::{move_claim, ClaimId, ClaimState, Move};
use crate::error::{Result, StoreError};
use crate::outbox::OutboxId;
use crate::store::Store;

/// RAMQ's answer for one claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receivability {
    /// The claim answered.
    pub claim: ClaimId,
    /// The outbox entry (batch or direct request) it answers, if known.
    pub outbox: Option<OutboxId>,
    /// When the answer was received.
    pub received_at: DateTime<Utc>,
    /// `sta_recev`: true = 1 (receivable), false = 2 (not receivable).
    pub receivable: bool,
    /// RAMQ's invoice number (`no_fact_ramq`), needed to modify or cancel later.
    pub no_fact_ramq: Option<String>,
    /// `jeton_comm`, needed with `no_fact_ramq` to modify or cancel later.
    pub jeton_comm: Option<String>,
    /// Per-line results.
    pub lines: Vec<LineResult>,
    /// Explanatory messages, about the claim or one of its lines.
    pub messages: Vec<ReceivabilityMessage>,
}

/// RAMQ's answer for one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineResult {
    /// The line's position in the claim (0-based, as stored).
    pub line_no: u32,
    /// `mnt_prel`: the preliminary amount.
    pub preliminary_amount: Option<Decimal>,
    /// `formu_expl`: the explanatory formula.
    pub formula: Option<String>,
}

/// An explanatory message (`cod_msg_expl_recev` + `txt_msg_expl_recev`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivabilityMessage {
    /// The line concerned (0-based), or None for the whole claim.
    pub line_no: Option<u32>,
    /// RAMQ's message code.
    pub code: String,
    /// RAMQ's message text.
    pub text: String,
}

#[derive(sqlx::FromRow)]
struct ResultRow {
    id: i64,
    outbox_id: Option<i64>,
    received_at: DateTime<Utc>,
    receivable: bool,
    no_fact_ramq: Option<String>,
    jeton_comm: Option<String>,
}

impl Store {
    /// Records RAMQ's answer for a Sent claim and moves it to Receivable or Refused, in one
    /// transaction. A receivable claim also keeps RAMQ's invoice number.
    pub async fn record_receivability(&self, result: &Receivability) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO receivability (claim_id, outbox_id, received_at, receivable, \
             no_fact_ramq, jeton_comm) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(result.claim.0)
        .bind(result.outbox.map(|o| o.0))
        .bind(result.received_at)
        .bind(result.receivable)
        .bind(&result.no_fact_ramq)
        .bind(&result.jeton_comm)
        .fetch_one(&mut *tx)
        .await?;
        for line in &result.lines {
            sqlx::query(
                "INSERT INTO receivability_lines (receivability_id, line_no, preliminary_amount, \
                 formula) VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(line.line_no)
            .bind(line.preliminary_amount.map(|a| a.to_string()))
            .bind(&line.formula)
            .execute(&mut *tx)
            .await?;
        }
        for message in &result.messages {
            sqlx::query(
                "INSERT INTO receivability_messages (receivability_id, line_no, code, text) \
                 VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(message.line_no)
            .bind(&message.code)
            .bind(&message.text)
            .execute(&mut *tx)
            .await?;
        }
        let to = if result.receivable {
            ClaimState::Receivable
        } else {
            ClaimState::Refused
        };
        let codes: Vec<&str> = result.messages.iter().map(|m| m.code.as_str()).collect();
        let note = codes.join(",");
        let mv = Move {
            to,
            at: result.received_at,
            outbox_id: result.outbox,
            note: (!note.is_empty()).then_some(note.as_str()),
        };
        move_claim(&mut tx, result.claim, mv).await?;
        if result.receivable {
            sqlx::query("UPDATE claims SET no_fact_ramq = ?, jeton_comm = ? WHERE id = ?")
                .bind(&result.no_fact_ramq)
                .bind(&result.jeton_comm)
                .bind(result.claim.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Every answer RAMQ gave for a claim, oldest first.
    pub async fn receivability_history(&self, claim: ClaimId) -> Result<Vec<Receivability>> {
        let mut conn = self.pool().acquire().await?;
        let rows: Vec<ResultRow> = sqlx::query_as(
            "SELECT id, outbox_id, received_at, receivable, no_fact_ramq, jeton_comm \
             FROM receivability WHERE claim_id = ? ORDER BY id",
        )
        .bind(claim.0)
        .fetch_all(&mut *conn)
        .await?;
        let mut results = Vec::with_capacity(rows.len());
        for row in rows {
            let lines: Vec<(u32, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT line_no, preliminary_amount, formula FROM receivability_lines \
                 WHERE receivability_id = ? ORDER BY line_no",
            )
            .bind(row.id)
            .fetch_all(&mut *conn)
            .await?;
            let messages: Vec<(Option<u32>, String, String)> = sqlx::query_as(
                "SELECT line_no, code, text FROM receivability_messages \
                 WHERE receivability_id = ? ORDER BY id",
            )
            .bind(row.id)
            .fetch_all(&mut *conn)
            .await?;
            results.push(Receivability {
                claim,
                outbox: row.outbox_id.map(OutboxId),
                received_at: row.received_at,
                receivable: row.receivable,
                no_fact_ramq: row.no_fact_ramq,
                jeton_comm: row.jeton_comm,
                lines: lines
                    .into_iter()
                    .map(|(line_no, amount, formula)| {
                        Ok(LineResult {
                            line_no,
                            preliminary_amount: amount
                                .map(|a| Decimal::from_str(&a))
                                .transpose()
                                .map_err(|_| StoreError::Corrupt {
                                column: "receivability_lines.preliminary_amount",
                            })?,
                            formula,
                        })
                    })
                    .collect::<Result<_>>()?,
                messages: messages
                    .into_iter()
                    .map(|(line_no, code, text)| ReceivabilityMessage {
                        line_no,
                        code,
                        text,
                    })
                    .collect(),
            });
        }
        Ok(results)
    }
}
