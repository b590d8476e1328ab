//! The TIP-I wire format shared by the Tipi client and the sandbox server.
//!
//! This crate is the one place where the protocol documented in `docs/protocol.md` lives as
//! code: endpoint paths ([`paths`]), the JSON service messages ([`service`], [`admin`]), the
//! error body and its stable codes ([`error`]), and the billing messages in RAMQ's XML
//! vocabulary ([`rfp`], [`lot`], [`statement`]) with their [`xml`] codec. It does no I/O and
//! knows nothing of HTTP libraries: the client and the sandbox each bring their own.
//!
//! Claim-level fields are strings and decimals on purpose: a malformed value must reach the
//! server and come back as a RAMQ message code, not fail in the codec.

pub mod admin;
pub mod error;
pub mod lot;
pub mod messages;
pub mod paths;
pub mod rfp;
pub mod secret;
pub mod service;
pub mod statement;
pub mod xml;

pub use error::{ErrorBody, ErrorCode};

/// The largest request body TIP-I accepts (docs/protocol.md §1); larger is refused with
/// 413 before it is read. A batch of `tipi_domain::batch::MAX_CLAIMS` ordinary requests is
/// about a third of it; the client checks every batch it writes against it.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
pub use secret::Secret;
pub use xml::{XmlError, XmlMessage};
