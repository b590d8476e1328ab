//! RAMQ billing rules for TIP-I as pure Rust.
//!
//! Every other part of Tipi asks this crate what is valid and when: NAM, identifiers, the TIP-I
//! password policy, claims (*demandes de paiement*), batches (*lots*), the Québec business-day
//! calendar, the TIP-I service window and the billing calendar.
//!
//! The crate is pure: no I/O, no async, no clock reads. Every rule that depends on "now" takes
//! the instant (or the local date) from the caller, and every time rule is evaluated in
//! `America/Toronto` ([`time::RAMQ_TZ`]). The RAMQ French terms used in the code are defined in
//! `docs/glossary.md`.
//!
//! NAMs, names and passwords never appear in `Debug` output, errors or messages produced here.
#![deny(missing_docs)]

pub mod batch;
pub mod billing;
pub mod calendar;
pub mod claim;
pub mod ids;
pub mod lang;
pub mod nam;
pub mod password;
pub mod time;

mod text;
