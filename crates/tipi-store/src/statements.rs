//! Statements (états de compte) by payment cycle, with their lines matched to claims where
//! possible.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::claims::ClaimId;
use crate::error::{Result, StoreError};
use crate::store::Store;

/// A statement as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The journal's id for it, when known: recording it twice keeps the first copy.
    pub remote_id: Option<String>,
    /// The payment cycle it belongs to.
    pub cycle_number: u32,
    /// The payment date.
    pub payment_date: NaiveDate,
    /// When it was received.
    pub received_at: DateTime<Utc>,
    /// The total paid.
    pub total: Decimal,
    /// Its lines.
    pub lines: Vec<StatementLine>,
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// The local claim it pays, when matched.
    pub claim: Option<ClaimId>,
    /// The sender's invoice number (no_fact_ext), if given.
    pub external_id: Option<String>,
    /// RAMQ's invoice number, if given.
    pub no_fact_ramq: Option<String>,
    /// Amount (negative for a recovery).
    pub amount: Decimal,
    /// RAMQ's explanatory code, if any.
    pub message_code: Option<String>,
}

/// A recorded statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStatement {
    /// Local id.
    pub id: i64,
    /// The statement.
    pub statement: Statement,
}

/// A statement as [`BY_CYCLE`] lists it: its columns in order, then its lines.
#[derive(serde::Deserialize)]
struct StatementRow {
    id: i64,
    remote_id: Option<String>,
    cycle_number: u32,
    payment_date: NaiveDate,
    received_at: DateTime<Utc>,
    total: String,
    lines: Vec<LineRow>,
}

/// One of [`StatementRow::lines`].
#[derive(serde::Deserialize)]
struct LineRow {
    claim_id: Option<i64>,
    external_id: Option<String>,
    no_fact_ramq: Option<String>,
    amount: String,
    message_code: Option<String>,
}

fn decimal(s: &str, column: &'static str) -> Result<Decimal> {
    Decimal::from_str(s).map_err(|_| StoreError::Corrupt { column })
}

impl TryFrom<StatementRow> for StoredStatement {
    type Error = StoreError;

    fn try_from(row: StatementRow) -> Result<Self> {
        let lines = row
            .lines
            .into_iter()
            .map(|l| {
                Ok(StatementLine {
                    claim: l.claim_id.map(ClaimId),
                    external_id: l.external_id,
                    no_fact_ramq: l.no_fact_ramq,
                    amount: decimal(&l.amount, "statement_lines.amount")?,
                    message_code: l.message_code,
                })
            })
            .collect::<Result<_>>()?;
        Ok(StoredStatement {
            id: row.id,
            statement: Statement {
                remote_id: row.remote_id,
                cycle_number: row.cycle_number,
                payment_date: row.payment_date,
                received_at: row.received_at,
                total: decimal(&row.total, "statements.total")?,
                lines,
            },
        })
    }
}

/// A cycle's statements in the order they were received, each with its lines in statement
/// order, as one JSON document (`crate::json_rows`).
pub(crate) const BY_CYCLE: &str = "SELECT json_group_array(json_array(s.id, s.remote_id, \
     s.cycle_number, s.payment_date, s.received_at, s.total, \
     json((SELECT json_group_array(json_array(l.claim_id, l.external_id, l.no_fact_ramq, \
     l.amount, l.message_code)) FROM (SELECT * FROM statement_lines \
     WHERE statement_id = s.id ORDER BY position) l)))) \
     FROM (SELECT * FROM statements WHERE cycle_number = ?1 ORDER BY received_at, id) s";

impl Store {
    /// Records a statement and its lines in one transaction. A statement whose `remote_id` is
    /// already known is not recorded again; its existing id is returned.
    pub async fn record_statement(&self, statement: &Statement) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        if let Some(remote_id) = &statement.remote_id {
            let existing: Option<i64> =
                sqlx::query_scalar("SELECT id FROM statements WHERE remote_id = ?")
                    .bind(remote_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(id) = existing {
                return Ok(id);
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO statements (remote_id, cycle_number, payment_date, received_at, total) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&statement.remote_id)
        .bind(statement.cycle_number)
        .bind(statement.payment_date)
        .bind(statement.received_at)
        .bind(statement.total.to_string())
        .fetch_one(&mut *tx)
        .await?;
        for (position, line) in statement.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO statement_lines (statement_id, position, claim_id, external_id, \
                 no_fact_ramq, amount, message_code) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(line.claim.map(|c| c.0))
            .bind(&line.external_id)
            .bind(&line.no_fact_ramq)
            .bind(line.amount.to_string())
            .bind(&line.message_code)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The statements of a payment cycle, in the order they were received.
    pub async fn statements_for_cycle(&self, cycle_number: u32) -> Result<Vec<StoredStatement>> {
        let document: String = sqlx::query_scalar(BY_CYCLE)
            .bind(cycle_number)
            .fetch_one(self.pool())
            .await?;
        crate::json_rows::parse::<StatementRow>(&document, "statements")?
            .into_iter()
            .map(StoredStatement::try_from)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::claims::ClaimState;
    use crate::test_support::{at, insert_claim, TempStore};

    fn statement(remote: &str, cycle: u32, claim: Option<ClaimId>) -> Statement {
        Statement {
            remote_id: Some(remote.into()),
            cycle_number: cycle,
            payment_date: NaiveDate::from_ymd_opt(2025, 3, 20).unwrap(),
            received_at: at(20, 12),
            total: dec!(1234.50),
            lines: vec![
                StatementLine {
                    claim,
                    external_id: Some("F-1".into()),
                    no_fact_ramq: Some("RAMQ-1".into()),
                    amount: dec!(1250.00),
                    message_code: None,
                },
                StatementLine {
                    claim: None,
                    external_id: None,
                    no_fact_ramq: Some("RAMQ-0".into()),
                    amount: dec!(-15.50),
                    message_code: Some("REC".into()),
                },
            ],
        }
    }

    #[tokio::test]
    async fn statements_are_kept_by_cycle_once_each() {
        let mut tmp = TempStore::new().await;
        let claim = insert_claim(&tmp.store, "F-1", ClaimState::Receivable).await;
        let first = statement("S-5", 5, Some(claim));
        let id = tmp.store.record_statement(&first).await.unwrap();
        assert_eq!(tmp.store.record_statement(&first).await.unwrap(), id);
        tmp.store
            .record_statement(&statement("S-6", 6, None))
            .await
            .unwrap();

        tmp.reopen().await;
        let cycle5 = tmp.store.statements_for_cycle(5).await.unwrap();
        assert_eq!(cycle5.len(), 1);
        assert_eq!(cycle5[0].statement, first);
        assert_eq!(tmp.store.statements_for_cycle(7).await.unwrap(), vec![]);
    }

    #[tokio::test]
    async fn a_cycle_lists_its_statements_in_the_order_received() {
        let tmp = TempStore::new().await;
        let mut late = statement("S-2", 5, None);
        late.received_at = at(21, 12);
        late.lines.reverse();
        let early = statement("S-1", 5, None);
        tmp.store.record_statement(&late).await.unwrap();
        tmp.store.record_statement(&early).await.unwrap();
        let listed: Vec<Statement> = tmp
            .store
            .statements_for_cycle(5)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.statement)
            .collect();
        assert_eq!(listed, vec![early, late], "lines keep their order too");
    }

    #[tokio::test]
    async fn listing_by_cycle_uses_the_index() {
        let tmp = TempStore::new().await;
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {BY_CYCLE}"))
                .bind(5)
                .fetch_all(tmp.store.pool())
                .await
                .unwrap();
        assert!(
            plan.iter().any(|r| r.3.contains("statements_by_cycle")),
            "{plan:?}"
        );
    }
}
