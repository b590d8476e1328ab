//! Tipi's use cases, host-agnostic: the desktop app, a phone and the command line share them.
//! They depend on traits (Transport, SecretStore, Clock, Notifier) so tests run headless.

pub mod clock;
pub mod environment;
pub mod secrets;

pub use clock::{Clock, ManualClock, SystemClock};
pub use environment::Environment;
pub use secrets::{KeyringSecrets, MemorySecrets, SecretError, SecretKey, SecretStore, Sensitive};
