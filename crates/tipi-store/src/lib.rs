//! Tipi's local database: SQLite through sqlx, behind typed async functions.
//!
//! Nothing else in Tipi speaks SQL. The schema lives in embedded migrations; a database written
//! by a newer Tipi is refused ([`StoreError::NewerSchema`]), never migrated down or wiped. Each
//! environment (sandbox, production) has its own file ([`Environment::database_path`]).
//!
//! With a [`DatabaseKey`] the file is encrypted with SQLCipher (a clear-text file is encrypted in
//! place on its first keyed open); [`Store::backup_to`] and [`PreparedRestore`] write and read
//! passphrase-encrypted backups.
//!
//! No secret is ever stored: the profile keeps the date the password was set, never the
//! password. NAMs are stored only in claims. Instants are taken from the caller (`at`), so tests
//! can travel in time.

#![deny(missing_docs)]

mod cipher;
mod error;
mod json_rows;
mod store;

pub mod calendar;
pub mod claims;
pub mod environment;
pub mod exchanges;
pub mod outbox;
pub mod profile;
pub mod receivability;
pub mod reminders;
pub mod settings;
pub mod sql;
pub mod statements;

#[cfg(test)]
mod test_support;

pub use cipher::{is_plain_database, PreparedRestore};
pub use claims::{ClaimId, ClaimState, StoredClaim};
pub use environment::Environment;
pub use error::{Result, StoreError};
pub use outbox::{OutboxEntry, OutboxId, OutboxKind, OutboxState};
pub use store::{DatabaseKey, OpenOptions, Store, BUSY_TIMEOUT};
