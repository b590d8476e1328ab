//! The store's one error type.
//!
//! Display texts are safe to log: they never contain a NAM, a patient's name, a path (which can
//! hold the user's name) or a key.

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database was written by a newer Tipi: its schema version is unknown to this build.
    /// The file is left untouched (no migration down, no wipe); the user must update Tipi.
    #[error(
        "the database was written by a newer version of Tipi (schema {found}, this version knows \
         up to {supported}); update Tipi to open it"
    )]
    NewerSchema {
        /// The highest schema version recorded in the file.
        found: i64,
        /// The highest schema version this build knows.
        supported: i64,
    },
    /// The file belongs to the other environment (sandbox vs production).
    #[error("this database belongs to the {found} environment, not {expected}")]
    EnvironmentMismatch {
        /// The environment the caller asked for.
        expected: &'static str,
        /// The environment recorded in the file.
        found: String,
    },
    /// A database key was supplied but this build has no SQLCipher to use it. Refused rather
    /// than silently writing an unencrypted file.
    #[error("database encryption was requested but this build does not support it")]
    EncryptionUnsupported,
    /// The key does not open the file: it was encrypted with another key (or the file is not
    /// a database at all). The file is left untouched.
    #[error("the key does not open this database")]
    WrongKey,
    /// The file opens but holds no Tipi data (no schema version).
    #[error("this file does not hold Tipi data")]
    NotTipiData,
    /// A database file could not be read, written or renamed.
    #[error("cannot read or write a database file: {0}")]
    File(#[source] std::io::Error),
    /// The data directory could not be created.
    #[error("cannot create the data directory: {0}")]
    DataDirectory(#[source] std::io::Error),
    /// No such row.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for ("claim", "outbox entry"...).
        what: &'static str,
    },
    /// A state change that would go backwards or skip a step.
    #[error("{what} cannot go from {from} to {to}")]
    InvalidTransition {
        /// What changes state ("claim", "outbox entry").
        what: &'static str,
        /// The current state.
        from: String,
        /// The requested state.
        to: String,
    },
    /// The attestation number given is not the one the store expects next (another batch took
    /// it, or it was built from a stale read).
    #[error("attestation number {given} is not the next one ({expected})")]
    AttestationMismatch {
        /// The number the store would accept.
        expected: u32,
        /// The number the caller used.
        given: u32,
    },
    /// A batch must carry at least one claim.
    #[error("a batch needs at least one claim")]
    EmptyBatch,
    /// A uniqueness rule would be broken (e.g. an external invoice number already used).
    #[error("conflict: {what}")]
    Conflict {
        /// Which rule.
        what: &'static str,
    },
    /// A stored value could not be read back (unknown state name, bad decimal...).
    #[error("corrupt value in column {column}")]
    Corrupt {
        /// Which column.
        column: &'static str,
    },
    /// Applying the embedded migrations failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
}

impl StoreError {
    /// Whether this is a "row not found" error.
    pub fn is_not_found(&self) -> bool {
        matches!(self, StoreError::NotFound { .. })
    }
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Maps a UNIQUE constraint failure to [`StoreError::Conflict`], anything else unchanged.
pub(crate) fn unique_as_conflict(err: sqlx::Error, what: &'static str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { what },
        _ => StoreError::Sqlx(err),
    }
}
