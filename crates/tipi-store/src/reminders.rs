//! The reminder log: which reminders were delivered, so each is delivered exactly once.
//!
//! Keys are chosen by the planner (e.g. `password-expiry:2025-06-01:7d`); they must not hold a
//! NAM or a name.

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::store::Store;

impl Store {
    /// Records that the reminder `key` was delivered. Returns `false` when it already was, so
    /// the caller can deliver only when this returns `true` (claim first, then deliver).
    pub async fn mark_reminder_delivered(&self, key: &str, at: DateTime<Utc>) -> Result<bool> {
        let done =
            sqlx::query("INSERT OR IGNORE INTO reminder_log (key, delivered_at) VALUES (?, ?)")
                .bind(key)
                .bind(at)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// When the reminder `key` was delivered, if it was.
    pub async fn reminder_delivered_at(&self, key: &str) -> Result<Option<DateTime<Utc>>> {
        Ok(
            sqlx::query_scalar("SELECT delivered_at FROM reminder_log WHERE key = ?")
                .bind(key)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Forgets deliveries older than `before` (their reminders can no longer come back).
    /// Returns how many were removed.
    pub async fn prune_reminders(&self, before: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM reminder_log WHERE delivered_at < ?")
            .bind(before)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, TempStore};

    #[tokio::test]
    async fn each_reminder_is_delivered_once_even_after_reopen() {
        let mut tmp = TempStore::new().await;
        let key = "password-expiry:2025-06-01:7d";
        assert!(tmp
            .store
            .mark_reminder_delivered(key, at(3, 12))
            .await
            .unwrap());
        assert!(!tmp
            .store
            .mark_reminder_delivered(key, at(3, 13))
            .await
            .unwrap());
        tmp.reopen().await;
        assert!(!tmp
            .store
            .mark_reminder_delivered(key, at(4, 12))
            .await
            .unwrap());
        assert_eq!(
            tmp.store.reminder_delivered_at(key).await.unwrap(),
            Some(at(3, 12)),
            "the first delivery time is kept"
        );
        assert!(tmp
            .store
            .mark_reminder_delivered("cutoff:2025-03-07", at(4, 12))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn pruning_removes_only_older_deliveries() {
        let tmp = TempStore::new().await;
        tmp.store
            .mark_reminder_delivered("old", at(1, 8))
            .await
            .unwrap();
        tmp.store
            .mark_reminder_delivered("new", at(5, 8))
            .await
            .unwrap();
        assert_eq!(tmp.store.prune_reminders(at(3, 0)).await.unwrap(), 1);
        assert_eq!(tmp.store.reminder_delivered_at("old").await.unwrap(), None);
        assert!(tmp
            .store
            .reminder_delivered_at("new")
            .await
            .unwrap()
            .is_some());
    }
}
