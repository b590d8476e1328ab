//! Helpers for the unit tests: a store on a real file in a temporary directory.

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};

use crate::store::Store;

pub(crate) struct TempStore {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) store: Store,
}

impl TempStore {
    pub(crate) async fn new() -> TempStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path().join("test.sqlite3"))
            .await
            .expect("open store");
        TempStore { dir, store }
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.dir.path().join("test.sqlite3")
    }

    /// Closes the store and opens the same file again.
    pub(crate) async fn reopen(&mut self) {
        self.store.clone().close().await;
        self.store = Store::open(self.path()).await.expect("reopen store");
    }
}

/// 2025-03-`day` at `hour`:00 UTC.
pub(crate) fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, day, hour, 0, 0).unwrap()
}

/// Inserts a bare claim row in `state` (for tests of modules that only need claim ids).
pub(crate) async fn insert_claim(
    store: &Store,
    external_id: &str,
    state: crate::claims::ClaimState,
) -> crate::claims::ClaimId {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO claims (external_id, state, professional, place, remuneration, clientele, \
         late_allowed, nam, surname, first_name, created_at, updated_at) \
         VALUES (?, ?, '1234567', '99999', 'RFP', 'physicians', 0, 'TREM80010112', 'Tremblay', \
         'Marie', ?, ?) RETURNING id",
    )
    .bind(external_id)
    .bind(state.as_str())
    .bind(at(1, 0))
    .bind(at(1, 0))
    .fetch_one(store.pool())
    .await
    .expect("insert claim");
    crate::claims::ClaimId(id)
}
