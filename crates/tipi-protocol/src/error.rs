//! The error body every endpoint answers with when it does not succeed, and its stable codes.
//!
//! A client branches on the HTTP status AND on `code`; `message` is for humans (French) and
//! may change. Extra fields carry what the client needs to act (`reopens_at`, `expected`,
//! `available_at`, `problems`...).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The stable error codes. See docs/protocol.md for when each is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ErrorCode {
    /// 401: unknown identifier or wrong password (counts toward suspension).
    InvalidCredentials,
    /// 403: the password is past its 90 days; only a password change is allowed.
    PasswordExpired,
    /// 403: the password is temporary (new agency, reactivation); only a change is allowed.
    PasswordChangeRequired,
    /// 403: three consecutive failed logins; only RAMQ support can reactivate.
    AccountSuspended,
    /// 503: outside 07:00-22:00 Monday-Friday on business days, or in a maintenance window.
    OutsideServiceWindow,
    /// 503: self-enrolment is closed at this hour.
    EnrolmentClosed,
    /// 409: the enrolment was ended (Quitter / Je refuse) or is already complete.
    EnrolmentEnded,
    /// 409: this enrolment step is not the current one.
    EnrolmentWrongStep,
    /// 409: the agency is already enrolled to TIP-I (BLAST credentials no longer work).
    AlreadyEnrolled,
    /// 403: BLAST is closed to an agency enrolled to TIP-I.
    BlastDisabled,
    /// 409: the attestation number is not the next one expected (`expected`).
    AttestationOutOfSequence,
    /// 422: the trailer's count or total does not match the batch's content.
    TrailerMismatch,
    /// 403: the batch's transmission number is not the authenticated agency's.
    TransmissionMismatch,
    /// 422: the request was understood but refused as a whole (`problems`).
    Rejected,
    /// 425: the receivability return is not available yet (`available_at`).
    NotYetAvailable,
    /// 400: the body is not a well-formed message of the expected kind.
    MalformedMessage,
    /// 404: no such resource.
    NotFound,
    /// 500: the server failed; nothing was recorded.
    InternalError,
}

impl ErrorCode {
    /// The HTTP status this code is always sent with.
    pub fn status(self) -> u16 {
        match self {
            Self::InvalidCredentials => 401,
            Self::PasswordExpired
            | Self::PasswordChangeRequired
            | Self::AccountSuspended
            | Self::BlastDisabled
            | Self::TransmissionMismatch => 403,
            Self::OutsideServiceWindow | Self::EnrolmentClosed => 503,
            Self::EnrolmentEnded
            | Self::EnrolmentWrongStep
            | Self::AlreadyEnrolled
            | Self::AttestationOutOfSequence => 409,
            Self::TrailerMismatch | Self::Rejected => 422,
            Self::NotYetAvailable => 425,
            Self::MalformedMessage => 400,
            Self::NotFound => 404,
            Self::InternalError => 500,
        }
    }
}

/// The JSON body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The stable code.
    pub code: ErrorCode,
    /// A human-readable explanation in French.
    pub message: String,
    /// `OutsideServiceWindow`, `EnrolmentClosed`: when the service reopens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopens_at: Option<DateTime<Utc>>,
    /// `AttestationOutOfSequence`: the attestation number the server expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u32>,
    /// `NotYetAvailable`: when the resource becomes available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_at: Option<DateTime<Utc>>,
    /// `Rejected`: the stable codes of every problem found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// `TrailerMismatch`: what the batch actually holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailer: Option<TrailerCheck>,
}

impl ErrorBody {
    /// A body with only a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            reopens_at: None,
            expected: None,
            available_at: None,
            problems: Vec::new(),
            trailer: None,
        }
    }
}

/// The declared and actual trailer of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailerCheck {
    /// `nbr_dem` as declared.
    pub declared_count: u32,
    /// The number of `dem_paimt` present.
    pub actual_count: u32,
    /// `mnt_total` as declared.
    pub declared_total: Decimal,
    /// The sum of the lines present.
    pub actual_total: Decimal,
}
