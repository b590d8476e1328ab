//! Tipi's use cases, host-agnostic: the desktop app, a phone and the command line share them.
//!
//! [`Tipi`] is the facade: it holds the store ([`tipi_store::Store`]) and four injected
//! services — [`Transport`] (TIP-I), [`SecretStore`] (the keychain), [`Clock`] and, for
//! reminders, a [`Notifier`] — so tests run headless against the sandbox or fakes. Every
//! failure is a [`CoreError`] with a stable [`CoreError::code`] and a French or English
//! [`CoreError::message`]; neither ever holds a NAM, a name or a password.
//!
//! Use cases, by module: [`account`] (enrol, log in, change password), [`claims`] (create,
//! edit, validate, list), [`batches`] (build a batch: dry run = real run), [`transmit`] (send
//! queued batches, recover after a crash or a lost answer), [`direct`] (one RFP claim *en
//! direct*), [`sync`] (journal, status, returns, statements, the test-period resend),
//! [`calendar`] (refresh, offline queries), [`reminders`] (a pure plan with stable keys).
//! [`backup`] writes a passphrase-encrypted copy of the local state. [`local`] opens everything
//! for a desktop or CLI host (the database encrypted under a key kept in the keychain) and
//! restores a backup.

pub mod account;
pub mod backup;
pub mod batches;
pub mod calendar;
pub mod claims;
pub mod clock;
pub mod direct;
mod engine;
mod error;
pub mod home;
pub mod intake;
pub mod local;
pub mod reminders;
pub mod secrets;
pub mod sync;
#[cfg(test)]
mod test_support;
pub mod transmit;
mod wire;

pub use clock::{Clock, ManualClock, SystemClock};
pub use engine::{default_software, Tipi, TipiParts, DEFAULT_DEVELOPER};
pub use error::{CoreError, CoreResult, UiError};
pub use reminders::{Notifier, Reminder, ReminderKind};
pub use secrets::{KeyringSecrets, MemorySecrets, SecretError, SecretKey, SecretStore, Sensitive};
pub use tipi_client::Transport;
pub use tipi_domain::lang::Lang;
pub use tipi_store::Environment;
pub use wire::TEST_PERIOD_MESSAGE;
