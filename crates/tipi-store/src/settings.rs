//! User settings as key/value text (language, notification preferences...).

use crate::error::Result;
use crate::store::Store;

/// The key of the UI language setting (`fr` or `en`).
pub const LANGUAGE: &str = "language";

impl Store {
    /// The value of a setting, if set.
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(key)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Sets (or replaces) a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes a setting; returns whether it existed.
    pub async fn remove_setting(&self, key: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM settings WHERE key = ?")
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Every setting, sorted by key.
    pub async fn settings(&self) -> Result<Vec<(String, String)>> {
        Ok(
            sqlx::query_as("SELECT key, value FROM settings ORDER BY key")
                .fetch_all(self.pool())
                .await?,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::TempStore;

    #[tokio::test]
    async fn set_replace_remove_and_reopen() {
        let mut tmp = TempStore::new().await;
        assert_eq!(tmp.store.setting(super::LANGUAGE).await.unwrap(), None);
        tmp.store.set_setting(super::LANGUAGE, "fr").await.unwrap();
        tmp.store.set_setting(super::LANGUAGE, "en").await.unwrap();
        tmp.store
            .set_setting("notify.deadlines", "on")
            .await
            .unwrap();

        tmp.reopen().await;
        let store = &tmp.store;
        assert_eq!(
            store.setting("language").await.unwrap().as_deref(),
            Some("en")
        );
        assert_eq!(
            store.settings().await.unwrap(),
            vec![
                ("language".to_owned(), "en".to_owned()),
                ("notify.deadlines".to_owned(), "on".to_owned())
            ]
        );
        assert!(store.remove_setting("language").await.unwrap());
        assert!(!store.remove_setting("language").await.unwrap());
        assert_eq!(store.setting("language").await.unwrap(), None);
    }
}
