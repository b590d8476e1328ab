//! The JSON service messages: enrolment, session, password, batch receipts, the journal, the
//! billing calendar and the list of statements.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// The media type of every JSON body.
pub const CONTENT_TYPE: &str = "application/json";

/// The steps of a self-enrolment, in order. `Ended` is final (Quitter, Je refuse).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStep {
    /// 1: the warning to retrieve the last BLAST error files first.
    Warning,
    /// 2: the RAMQ policy.
    Policy,
    /// 3: authentication with the transmission number, BLAST id and BLAST password.
    Authentication,
    /// 4: the TIP-I identifier is shown; choose the TIP-I password.
    Password,
    /// 5: enrolled; BLAST is closed to the agency.
    Enrolled,
    /// The user quit or refused: nothing more can be done with this enrolment.
    Ended,
}

/// The state of an enrolment, answered by every enrolment endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The enrolment's identifier (opaque).
    pub id: String,
    /// The current step.
    pub step: EnrolmentStep,
    /// The new TIP-I identifier, from step 4 on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tipi_id: Option<String>,
    /// The text to show at this step (French), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Step 1's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningChoice {
    /// *Continuer*: the BLAST error files were retrieved.
    Continue,
    /// *Quitter*: ends the enrolment at once.
    Quit,
}

/// Body of [`crate::paths::ENROLMENT_WARNING`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningAnswer {
    /// The user's choice.
    pub choice: WarningChoice,
}

/// Step 2's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyChoice {
    /// *J'accepte*.
    Accept,
    /// *Je refuse*: ends the enrolment at once.
    Refuse,
}

/// Body of [`crate::paths::ENROLMENT_POLICY`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAnswer {
    /// The user's choice.
    pub choice: PolicyChoice,
}

/// Body of [`crate::paths::ENROLMENT_AUTHENTICATION`]: the three BLAST values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlastAuthentication {
    /// The 5-digit transmission number (No agence), e.g. `12345`.
    pub transmission_number: String,
    /// The 5-character BLAST identifier, e.g. `U123d`.
    pub blast_id: String,
    /// The BLAST password.
    pub blast_password: Secret,
}

/// A new password typed twice: body of [`crate::paths::ENROLMENT_PASSWORD`] and
/// [`crate::paths::PASSWORD`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChoice {
    /// The new password: exactly 8 ASCII letters or digits, case-sensitive.
    pub password: Secret,
    /// The same, typed again.
    pub confirmation: Secret,
}

/// Whether the agency's claims count for payment yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyStatus {
    /// *En période de test*: claims are judged but never paid.
    Test,
    /// *En production*: receivable claims are paid.
    Production,
}

/// The state of the agency's password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordInfo {
    /// The day it was set, in Québec.
    pub set_on: NaiveDate,
    /// The day it stops working (set_on + 90 days).
    pub expires_on: NaiveDate,
    /// Days until `expires_on` (0 or less: expired).
    pub days_left: i64,
    /// `true` for a temporary password (must be changed before anything else).
    pub temporary: bool,
}

/// Answer of [`crate::paths::SESSION`] and of a password change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The TIP-I identifier, e.g. `AGP12345`.
    pub tipi_id: String,
    /// The transmission number, e.g. `12345`.
    pub transmission_number: String,
    /// Test or production.
    pub status: AgencyStatus,
    /// *En production depuis*: the day the first valid batch was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_since: Option<NaiveDate>,
    /// The password's state.
    pub password: PasswordInfo,
    /// The attestation number the next batch must carry.
    pub next_attestation: u32,
    /// The server's clock (the sandbox's may be moved by tests).
    pub server_time: DateTime<Utc>,
}

/// The kinds of exchange the journal lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeKind {
    /// A batch sent *en différé*.
    Batch,
    /// One request sent *en direct*.
    Direct,
    /// A batch's receivability return.
    Returns,
    /// A statement of account.
    Statement,
}

/// The state of an exchange. A batch moves `received` -> `processed` -> `returns_available`;
/// a direct request is `answered`; returns and statements are `available`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeState {
    /// Recorded, waiting for the night's processing (until 22:00 of the day received).
    Received,
    /// Processed; the return is not available yet.
    Processed,
    /// The receivability return can be downloaded.
    ReturnsAvailable,
    /// Answered at once (*en direct*).
    Answered,
    /// Can be downloaded.
    Available,
}

/// Answer of [`crate::paths::BATCHES`] (202) and of [`crate::paths::BATCH_ONE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReceipt {
    /// The journal entry's identifier.
    pub exchange_id: String,
    /// The batch's attestation number.
    pub no_attes: u32,
    /// When the server recorded it.
    pub received_at: DateTime<Utc>,
    /// Its state now.
    pub state: ExchangeState,
    /// When its receivability return is (or was) available.
    pub returns_available_at: DateTime<Utc>,
    /// The number of requests recorded.
    pub nbr_dem: u32,
    /// The total recorded.
    pub mnt_total: Decimal,
    /// `false` when the agency was in its test period at reception.
    pub counted_for_payment: bool,
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Stable identifier, e.g. `batch-3`, `returns-3`, `direct-5`, `statement-202603`.
    pub id: String,
    /// What was exchanged.
    pub kind: ExchangeKind,
    /// When it happened (received, or became available).
    pub at: DateTime<Utc>,
    /// Its state now.
    pub state: ExchangeState,
    /// Batches and returns: the attestation number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_attes: Option<u32>,
    /// Direct requests: the sender's request number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_dem_ext: Option<String>,
    /// Statements: the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_cycle: Option<u32>,
    /// Batches, returns and direct requests: the number of requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbr_dem: Option<u32>,
    /// Returns and direct requests: how many were receivable (absent until available).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbr_dem_recev: Option<u32>,
    /// Batches and direct requests: `false` when received during the test period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_for_payment: Option<bool>,
}

/// Answer of [`crate::paths::JOURNAL`]: *Consulter le suivi des échanges d'information*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    /// The TIP-I identifier.
    pub tipi_id: String,
    /// Test or production.
    pub status: AgencyStatus,
    /// *En production depuis*.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_since: Option<NaiveDate>,
    /// The attestation number the next batch must carry.
    pub next_attestation: u32,
    /// The server's clock.
    pub server_time: DateTime<Utc>,
    /// Every exchange, oldest first.
    pub exchanges: Vec<JournalEntry>,
}

/// One billing cycle in the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarCycle {
    /// The cycle's number: `YYYYNN` (year of its first day, then its rank in that year).
    pub number: u32,
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
    /// The last day a request can be received to be paid in this cycle.
    pub cutoff: NaiveDate,
    /// The payment date.
    pub payment_date: NaiveDate,
}

/// An announced maintenance window, `[start, end)`: TIP-I is closed between the two.
/// Times carry Québec's offset (`2026-03-10T19:00:00-04:00`), any RFC 3339 offset is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnouncedMaintenance {
    /// First instant closed.
    pub start: DateTime<FixedOffset>,
    /// First instant open again.
    pub end: DateTime<FixedOffset>,
}

/// Answer of [`crate::paths::CALENDAR`]: the cycles of the current and next year, and the
/// announced maintenance windows that have not ended yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingCalendar {
    /// The years covered.
    pub years: Vec<i32>,
    /// The cycles, in order.
    pub cycles: Vec<CalendarCycle>,
    /// Announced maintenance windows ending after the server's now, by start (absent from an
    /// older server: none).
    #[serde(default)]
    pub maintenance: Vec<AnnouncedMaintenance>,
}

/// One statement in [`StatementList`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementSummary {
    /// The cycle.
    pub no_cycle: u32,
    /// The cycle's payment date.
    pub payment_date: NaiveDate,
    /// When the statement became available.
    pub available_at: DateTime<Utc>,
    /// The number of invoices on it.
    pub nbr_fact: u32,
    /// The amount paid.
    pub mnt_paye: Decimal,
}

/// Answer of [`crate::paths::STATEMENTS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementList {
    /// The statements available, oldest first.
    pub statements: Vec<StatementSummary>,
}
