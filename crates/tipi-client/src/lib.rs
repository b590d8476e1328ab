//! The TIP-I client: every endpoint of `docs/protocol.md` over HTTPS (reqwest + rustls), HTTP
//! Basic authentication, and one closed error enum read from the status and the body.
//!
//! - [`Transport`]: the trait tipi-core depends on (`Arc<dyn Transport>`).
//! - [`ClientError`]: what can go wrong, with a stable [`ClientError::code`] for the UI.
//! - [`Credentials`]: the TIP-I identifier and password, never shown by Debug.

mod credentials;
mod error;
mod transport;

pub use credentials::Credentials;
pub use error::{ClientError, Reached};
pub use transport::{ClientResult, Transport};
