//! The TIP-I client: every endpoint of `docs/protocol.md` over HTTPS (reqwest + rustls with
//! the ring provider), HTTP Basic authentication, and one closed error enum read from the
//! status and the body.
//!
//! - [`Transport`]: the trait tipi-core depends on (`Arc<dyn Transport>`).
//! - [`HttpTransport`]: the real one, built from a [`ClientConfig`].
//! - [`ClientError`]: what can go wrong, with a stable [`ClientError::code`] for the UI.
//! - [`Credentials`]: the TIP-I identifier and password, never shown by Debug.
//!
//! Retries: reads (GET) are retried with bounded backoff when they certainly did not reach
//! TIP-I or got a 5xx (unauthenticated reads on any transport failure); POSTs never are, and
//! neither is an authentication failure. After a POST lost in transit
//! ([`Reached::Unknown`]), ask the journal before sending again.

mod config;
mod credentials;
mod error;
mod http;
mod tls;
mod transport;

pub use config::{ClientConfig, RetryPolicy};
pub use credentials::Credentials;
pub use error::{ClientError, Reached};
pub use http::HttpTransport;
pub use transport::{ClientResult, Transport};
