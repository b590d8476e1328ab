//! The sandbox's admin API messages (never part of RAMQ's service). Every admin request
//! carries `Authorization: Bearer <admin token>`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::secret::Secret;
use crate::service::AgencyStatus;

/// Body of PUT [`crate::paths::ADMIN_CLOCK`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ClockCommand {
    /// Stop the clock at `at`.
    Freeze {
        /// The instant.
        at: DateTime<Utc>,
    },
    /// Jump to `at` and keep running from there.
    Set {
        /// The instant.
        at: DateTime<Utc>,
    },
    /// Move forward (or back, if negative) by `seconds`, frozen or running as before.
    Advance {
        /// How far.
        seconds: i64,
    },
    /// Back to the real time.
    Real,
}

/// Answer of the clock endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    /// The sandbox's now.
    pub now: DateTime<Utc>,
    /// `true` when the clock is stopped.
    pub frozen: bool,
}

/// Body of POST [`crate::paths::ADMIN_AGENCIES`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SeedAgency {
    /// A former BLAST agency that must self-enrol.
    Blast {
        /// 5 digits.
        transmission_number: String,
        /// 5 characters.
        blast_id: String,
        /// The BLAST password.
        blast_password: Secret,
    },
    /// A new agency given its TIP-I id and a temporary password by the pilot.
    New {
        /// 5 digits.
        transmission_number: String,
        /// Must be changed at first login.
        temporary_password: Secret,
    },
    /// An agency already enrolled with a valid password set today (test shortcut).
    Enrolled {
        /// 5 digits.
        transmission_number: String,
        /// A valid TIP-I password.
        password: Secret,
    },
}

/// Body of POST [`crate::paths::ADMIN_REACTIVATE`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reactivate {
    /// When given, the agency's password becomes this temporary one (forgotten password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary_password: Option<Secret>,
}

/// A maintenance window (body of POST [`crate::paths::ADMIN_MAINTENANCE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceWindow {
    /// First instant closed.
    pub start: DateTime<Utc>,
    /// First instant open again.
    pub end: DateTime<Utc>,
}

/// The endpoints a fault can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultEndpoint {
    /// Every enrolment endpoint.
    Enrolment,
    /// [`crate::paths::SESSION`].
    Session,
    /// [`crate::paths::PASSWORD`].
    Password,
    /// POST [`crate::paths::BATCHES`].
    Batches,
    /// GET batch state and returns.
    Returns,
    /// [`crate::paths::DIRECT`].
    Direct,
    /// [`crate::paths::JOURNAL`].
    Journal,
    /// [`crate::paths::CALENDAR`].
    Calendar,
    /// Statement list and statements.
    Statements,
}

/// What the server does to a targeted request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultMode {
    /// Close the connection without processing the request: nothing recorded, no answer.
    Refuse,
    /// Wait `delay_ms`, then process normally.
    Delay,
    /// Answer 500 `InternalError` without processing: nothing recorded.
    ServerError,
    /// Process the request (record it), then close the connection without answering.
    Drop,
}

/// Body of PUT [`crate::paths::ADMIN_FAULTS`] (also listed by GET).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The endpoint targeted.
    pub endpoint: FaultEndpoint,
    /// What happens.
    pub mode: FaultMode,
    /// For `delay`: how long, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// How many requests it applies to; absent: until cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// Answer of GET [`crate::paths::ADMIN_AGENCY_ONE`] and of seeding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyView {
    /// 5 digits.
    pub transmission_number: String,
    /// `AGP` + the transmission number.
    pub tipi_id: String,
    /// `blast` or `new` (how it came to TIP-I).
    pub origin: String,
    /// Enrolled to TIP-I (has a TIP-I password).
    pub enrolled: bool,
    /// Suspended after failed logins.
    pub suspended: bool,
    /// Consecutive failed logins.
    pub failed_logins: u32,
    /// The password is temporary.
    pub password_temporary: bool,
    /// The day the password was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_set_on: Option<NaiveDate>,
    /// Test or production now.
    pub status: AgencyStatus,
    /// *En production depuis*.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_since: Option<NaiveDate>,
    /// The attestation number expected next.
    pub next_attestation: u32,
}

/// One recorded exchange (answer of GET [`crate::paths::ADMIN_EXCHANGES`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRecord {
    /// Database identifier.
    pub id: i64,
    /// The agency.
    pub transmission_number: String,
    /// `batch` or `direct`.
    pub kind: String,
    /// For batches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_attes: Option<u32>,
    /// For direct requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_dem_ext: Option<String>,
    /// When received.
    pub received_at: DateTime<Utc>,
    /// Requests recorded.
    pub nbr_dem: u32,
}
