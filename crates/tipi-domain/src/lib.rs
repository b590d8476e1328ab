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
//!
//! ```
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use tipi_domain::{calendar, nam::Nam, time};
//!
//! let nam = Nam::parse("trem 0412 1925").unwrap();
//! assert_eq!(nam.birth_date(), NaiveDate::from_ymd_opt(2004, 12, 19).unwrap());
//! assert_eq!(Nam::parse("TREM04121935").unwrap_err().code(), "nam_check_digit");
//!
//! // Good Friday 2026 is not a business day; Thursday's next one is the Tuesday.
//! let thursday = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
//! assert_eq!(calendar::next_business_day(thursday), NaiveDate::from_ymd_opt(2026, 4, 7).unwrap());
//!
//! // Saturday morning in Toronto: TIP-I reopens Monday 07:00 local (11:00 UTC in summer time).
//! let window = time::ServiceWindow::default();
//! let saturday = Utc.with_ymd_and_hms(2026, 3, 7, 15, 0, 0).unwrap();
//! assert_eq!(window.next_opening(saturday), Utc.with_ymd_and_hms(2026, 3, 9, 11, 0, 0).unwrap());
//! ```
#![deny(missing_docs)]

pub mod batch;
pub mod billing;
pub mod calendar;
pub mod claim;
pub mod ids;
pub mod lang;
pub mod nam;
pub mod password;
#[cfg(any(test, feature = "test-support"))]
pub mod sample;
pub mod time;

mod text;
