//! The client's one closed error enum, read from the HTTP status AND the body's `code`.
//!
//! Messages never carry a NAM, a name or a password: they are built from fixed text and from
//! values the server sends about the agency (instants, attestation numbers, problem codes).

use chrono::{DateTime, Utc};
use tipi_domain::ids::AttestationNumber;
use tipi_protocol::error::TrailerCheck;
use tipi_protocol::{ErrorBody, ErrorCode};

/// Whether a request that failed in transit reached TIP-I.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reached {
    /// The request was never sent (no connection, TLS handshake failed): nothing happened.
    No,
    /// The request may have been processed (timeout or connection lost while waiting for the
    /// answer): before sending it again, ask the journal.
    Unknown,
}

/// Why a TIP-I call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    /// 401: unknown identifier or wrong password. Counts toward suspension: never retried.
    #[error("TIP-I identifier or password is invalid")]
    InvalidCredentials,
    /// 403: the password is past its 90 days; only a password change is allowed.
    #[error("the TIP-I password has expired and must be changed")]
    PasswordExpired,
    /// 403: the password is temporary; only a password change is allowed.
    #[error("the temporary TIP-I password must be changed before anything else")]
    PasswordChangeRequired,
    /// 403: three consecutive failed logins; only RAMQ support can reactivate the account.
    #[error("the TIP-I account is suspended; RAMQ support must reactivate it")]
    AccountSuspended,
    /// 503: outside the service window (07:00-22:00 Monday-Friday, business days, no
    /// maintenance).
    #[error("TIP-I is closed; it reopens at {reopens_at}")]
    OutsideServiceWindow {
        /// When the service reopens.
        reopens_at: DateTime<Utc>,
    },
    /// 503: self-enrolment is closed at this hour.
    #[error("TIP-I enrolment is closed; it reopens at {reopens_at}")]
    EnrolmentClosed {
        /// When enrolment reopens.
        reopens_at: DateTime<Utc>,
    },
    /// 409: the enrolment was ended (Quitter, Je refuse) or is already complete.
    #[error("this enrolment is over; start a new one")]
    EnrolmentEnded,
    /// 409: the enrolment step answered is not the current one.
    #[error("this enrolment step is not the current one")]
    EnrolmentWrongStep,
    /// 409: the agency is already enrolled to TIP-I.
    #[error("the agency is already enrolled to TIP-I")]
    AlreadyEnrolled,
    /// 403: BLAST is closed to an agency enrolled to TIP-I.
    #[error("BLAST is closed to an agency enrolled to TIP-I")]
    BlastDisabled,
    /// 409: the batch's attestation number is not the next one TIP-I expects.
    #[error("attestation number out of sequence; TIP-I expects {expected}")]
    AttestationOutOfSequence {
        /// The attestation number TIP-I expects next.
        expected: AttestationNumber,
    },
    /// 422: the batch's trailer (count, total) does not match its content.
    #[error("the batch's trailer does not match its content")]
    TrailerMismatch {
        /// What the batch declared and actually held, when TIP-I said.
        check: Option<TrailerCheck>,
    },
    /// 403: the batch's transmission number is not the authenticated agency's.
    #[error("the batch's transmission number is not this agency's")]
    TransmissionMismatch,
    /// 422: the request was refused as a whole, with the stable codes of every problem.
    #[error("TIP-I refused the request: {}", .0.join(", "))]
    Rejected(Vec<String>),
    /// 425: the receivability return is not available yet.
    #[error("not available yet; available from {available_at}")]
    NotYetAvailable {
        /// When it becomes available.
        available_at: DateTime<Utc>,
    },
    /// 400: TIP-I could not read the message sent (a bug in the sender).
    #[error("TIP-I could not read the message sent")]
    MalformedMessage,
    /// 404: no such enrolment, batch or statement.
    #[error("TIP-I has no such resource")]
    NotFound,
    /// The server's certificate is not trusted (TLS validation failed): nothing was sent.
    #[error(
        "the TIP-I server's certificate is not trusted: check the address, and for the \
         sandbox, that its CA certificate is configured"
    )]
    UntrustedCertificate,
    /// Connection failure, timeout or connection lost: see [`Reached`].
    #[error("{}", transport_message(*reached))]
    Transport {
        /// Whether the request may have been processed.
        reached: Reached,
    },
    /// 5xx: the server failed.
    #[error("TIP-I failed (HTTP {status}); try again later")]
    Server {
        /// The HTTP status.
        status: u16,
    },
    /// The answer was not what the protocol defines.
    #[error("unexpected answer from TIP-I (HTTP {status}): {what}")]
    Protocol {
        /// The HTTP status received.
        status: u16,
        /// What was wrong (fixed text: never a piece of the body).
        what: &'static str,
    },
    /// The client is misconfigured (base URL, CA certificate): nothing was sent.
    #[error("TIP-I client configuration: {0}")]
    Configuration(String),
}

fn transport_message(reached: Reached) -> &'static str {
    match reached {
        Reached::No => "could not reach TIP-I; nothing was sent",
        Reached::Unknown => {
            "the connection to TIP-I was lost; the request may have been received: check the \
             journal before sending it again"
        }
    }
}

impl ClientError {
    /// A stable code the UI branches on (never changes once published).
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidCredentials => "InvalidCredentials",
            Self::PasswordExpired => "PasswordExpired",
            Self::PasswordChangeRequired => "PasswordChangeRequired",
            Self::AccountSuspended => "AccountSuspended",
            Self::OutsideServiceWindow { .. } => "OutsideServiceWindow",
            Self::EnrolmentClosed { .. } => "EnrolmentClosed",
            Self::EnrolmentEnded => "EnrolmentEnded",
            Self::EnrolmentWrongStep => "EnrolmentWrongStep",
            Self::AlreadyEnrolled => "AlreadyEnrolled",
            Self::BlastDisabled => "BlastDisabled",
            Self::AttestationOutOfSequence { .. } => "AttestationOutOfSequence",
            Self::TrailerMismatch { .. } => "TrailerMismatch",
            Self::TransmissionMismatch => "TransmissionMismatch",
            Self::Rejected(_) => "Rejected",
            Self::NotYetAvailable { .. } => "NotYetAvailable",
            Self::MalformedMessage => "MalformedMessage",
            Self::NotFound => "NotFound",
            Self::UntrustedCertificate => "UntrustedCertificate",
            Self::Transport {
                reached: Reached::No,
            } => "Unreachable",
            Self::Transport {
                reached: Reached::Unknown,
            } => "ConnectionLost",
            Self::Server { .. } => "ServerError",
            Self::Protocol { .. } => "ProtocolError",
            Self::Configuration(_) => "Configuration",
        }
    }

    /// `true` for the errors of a login refused (wrong, expired, temporary password,
    /// suspended): retrying them without the user is never right.
    pub fn is_authentication(&self) -> bool {
        matches!(
            self,
            Self::InvalidCredentials
                | Self::PasswordExpired
                | Self::PasswordChangeRequired
                | Self::AccountSuspended
        )
    }

    /// `true` when TIP-I certainly did not process the request, so sending it again cannot
    /// make a duplicate: nothing sent, refused before processing, or a 5xx (TIP-I records
    /// nothing when it fails).
    pub fn certainly_not_processed(&self) -> bool {
        !matches!(
            self,
            Self::Transport {
                reached: Reached::Unknown
            } | Self::Protocol { .. }
        )
    }

    /// Reads an error answer: the status and the JSON body must agree. A 5xx without a
    /// readable body is still [`ClientError::Server`].
    pub fn from_answer(status: u16, body: &[u8]) -> Self {
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(body) if body.code.status() == status => Self::from_body(status, body),
            Ok(_) if status >= 500 => Self::Server { status },
            Ok(_) => Self::Protocol {
                status,
                what: "the error code does not match the HTTP status",
            },
            Err(_) if status >= 500 => Self::Server { status },
            Err(_) => Self::Protocol {
                status,
                what: "an error answer without a readable error body",
            },
        }
    }

    fn from_body(status: u16, body: ErrorBody) -> Self {
        let missing = |what| Self::Protocol { status, what };
        match body.code {
            ErrorCode::InvalidCredentials => Self::InvalidCredentials,
            ErrorCode::PasswordExpired => Self::PasswordExpired,
            ErrorCode::PasswordChangeRequired => Self::PasswordChangeRequired,
            ErrorCode::AccountSuspended => Self::AccountSuspended,
            ErrorCode::OutsideServiceWindow => match body.reopens_at {
                Some(reopens_at) => Self::OutsideServiceWindow { reopens_at },
                None => missing("OutsideServiceWindow without reopens_at"),
            },
            ErrorCode::EnrolmentClosed => match body.reopens_at {
                Some(reopens_at) => Self::EnrolmentClosed { reopens_at },
                None => missing("EnrolmentClosed without reopens_at"),
            },
            ErrorCode::EnrolmentEnded => Self::EnrolmentEnded,
            ErrorCode::EnrolmentWrongStep => Self::EnrolmentWrongStep,
            ErrorCode::AlreadyEnrolled => Self::AlreadyEnrolled,
            ErrorCode::BlastDisabled => Self::BlastDisabled,
            ErrorCode::AttestationOutOfSequence => {
                match body.expected.map(AttestationNumber::new) {
                    Some(Ok(expected)) => Self::AttestationOutOfSequence { expected },
                    _ => missing("AttestationOutOfSequence without a valid expected number"),
                }
            }
            ErrorCode::TrailerMismatch => Self::TrailerMismatch {
                check: body.trailer,
            },
            ErrorCode::TransmissionMismatch => Self::TransmissionMismatch,
            ErrorCode::Rejected => Self::Rejected(body.problems),
            ErrorCode::NotYetAvailable => match body.available_at {
                Some(available_at) => Self::NotYetAvailable { available_at },
                None => missing("NotYetAvailable without available_at"),
            },
            ErrorCode::MalformedMessage => Self::MalformedMessage,
            ErrorCode::NotFound => Self::NotFound,
            ErrorCode::InternalError => Self::Server { status },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The protocol crate's golden error bodies: the client reads exactly what is pinned.
    macro_rules! golden {
        ($name:literal) => {
            include_bytes!(concat!("../../tipi-protocol/tests/golden/", $name))
        };
    }

    fn body(code: &str) -> Vec<u8> {
        format!(r#"{{"code":"{code}","message":"Mot de passe TIP-I invalide."}}"#).into_bytes()
    }

    fn instant(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn golden_error_bodies_map_to_their_variants_with_their_fields() {
        assert_eq!(
            ClientError::from_answer(409, golden!("error_attestation_out_of_sequence.json")),
            ClientError::AttestationOutOfSequence {
                expected: AttestationNumber::new(4).unwrap()
            }
        );
        assert_eq!(
            ClientError::from_answer(425, golden!("error_not_yet_available.json")),
            ClientError::NotYetAvailable {
                available_at: instant("2026-03-11T12:00:00Z")
            }
        );
        assert_eq!(
            ClientError::from_answer(503, golden!("error_outside_service_window.json")),
            ClientError::OutsideServiceWindow {
                reopens_at: instant("2026-03-16T11:00:00Z")
            }
        );
        assert_eq!(
            ClientError::from_answer(422, golden!("error_rejected.json")),
            ClientError::Rejected(vec!["password_length".into()])
        );
        match ClientError::from_answer(422, golden!("error_trailer_mismatch.json")) {
            ClientError::TrailerMismatch { check: Some(check) } => {
                assert_eq!((check.declared_count, check.actual_count), (3, 2));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn authentication_codes_map_with_their_status() {
        let cases = [
            (401, "InvalidCredentials", ClientError::InvalidCredentials),
            (403, "PasswordExpired", ClientError::PasswordExpired),
            (
                403,
                "PasswordChangeRequired",
                ClientError::PasswordChangeRequired,
            ),
            (403, "AccountSuspended", ClientError::AccountSuspended),
        ];
        for (status, code, expected) in cases {
            let error = ClientError::from_answer(status, &body(code));
            assert!(error.is_authentication(), "{code}");
            assert_eq!(error.code(), code);
            assert_eq!(error, expected);
        }
    }

    #[test]
    fn every_protocol_code_sent_with_its_status_maps_to_a_non_protocol_error() {
        let codes = [
            "InvalidCredentials",
            "PasswordExpired",
            "PasswordChangeRequired",
            "AccountSuspended",
            "EnrolmentEnded",
            "EnrolmentWrongStep",
            "AlreadyEnrolled",
            "BlastDisabled",
            "TrailerMismatch",
            "TransmissionMismatch",
            "Rejected",
            "MalformedMessage",
            "NotFound",
            "InternalError",
        ];
        for code in codes {
            let parsed: ErrorCode = serde_json::from_str(&format!("\"{code}\"")).unwrap();
            let error = ClientError::from_answer(parsed.status(), &body(code));
            assert!(
                !matches!(error, ClientError::Protocol { .. }),
                "{code} -> {error:?}"
            );
            if code != "InternalError" {
                assert_eq!(error.code(), code);
            }
        }
    }

    #[test]
    fn a_code_that_contradicts_the_status_is_a_protocol_error() {
        // A 200-family mistake or a proxy rewriting statuses must not pass for a login
        // refusal, nor a refusal for something else.
        let error = ClientError::from_answer(409, &body("InvalidCredentials"));
        assert!(matches!(error, ClientError::Protocol { status: 409, .. }));
        assert!(!error.is_authentication());
    }

    #[test]
    fn missing_required_fields_are_protocol_errors() {
        for (status, code) in [
            (503, "OutsideServiceWindow"),
            (503, "EnrolmentClosed"),
            (409, "AttestationOutOfSequence"),
            (425, "NotYetAvailable"),
        ] {
            let error = ClientError::from_answer(status, &body(code));
            assert!(matches!(error, ClientError::Protocol { .. }), "{code}");
        }
        let zero = br#"{"code":"AttestationOutOfSequence","message":"x","expected":0}"#;
        assert!(matches!(
            ClientError::from_answer(409, zero),
            ClientError::Protocol { .. }
        ));
    }

    #[test]
    fn server_failures_without_a_readable_body_are_server_errors() {
        assert_eq!(
            ClientError::from_answer(502, b"<html>Bad gateway</html>"),
            ClientError::Server { status: 502 }
        );
        assert_eq!(
            ClientError::from_answer(500, &body("InternalError")),
            ClientError::Server { status: 500 }
        );
        assert!(matches!(
            ClientError::from_answer(418, b"teapot"),
            ClientError::Protocol { status: 418, .. }
        ));
    }

    #[test]
    fn an_unknown_code_is_a_protocol_error_not_a_guess() {
        let error = ClientError::from_answer(401, &body("SomethingNew"));
        assert!(matches!(error, ClientError::Protocol { .. }));
    }

    #[test]
    fn codes_are_distinct_and_messages_carry_no_server_text() {
        let errors = [
            ClientError::InvalidCredentials,
            ClientError::Transport {
                reached: Reached::No,
            },
            ClientError::Transport {
                reached: Reached::Unknown,
            },
            ClientError::UntrustedCertificate,
            ClientError::Server { status: 500 },
            ClientError::from_answer(409, &body("InvalidCredentials")),
        ];
        let codes: std::collections::HashSet<_> = errors.iter().map(ClientError::code).collect();
        assert_eq!(codes.len(), errors.len());
        for error in &errors {
            assert!(!error.to_string().contains("Mot de passe"), "{error}");
        }
    }

    #[test]
    fn only_a_lost_answer_may_have_been_processed() {
        assert!(!ClientError::Transport {
            reached: Reached::Unknown
        }
        .certainly_not_processed());
        assert!(ClientError::Transport {
            reached: Reached::No
        }
        .certainly_not_processed());
        assert!(ClientError::Server { status: 500 }.certainly_not_processed());
        assert!(ClientError::InvalidCredentials.certainly_not_processed());
    }
}
