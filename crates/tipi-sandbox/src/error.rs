//! Errors answered as `{ "code", "message", ...fields }` with the status of their code.
//! Internal detail is logged once and never sent.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use tipi_protocol::error::TrailerCheck;
use tipi_protocol::{ErrorBody, ErrorCode};

/// An error answer.
#[derive(Debug)]
pub(crate) struct ApiError(pub(crate) Box<ErrorBody>);

impl ApiError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(Box::new(ErrorBody::new(code, message)))
    }

    pub(crate) fn invalid_credentials() -> Self {
        Self::new(
            ErrorCode::InvalidCredentials,
            "Identifiant ou mot de passe TIP-I invalide.",
        )
    }

    pub(crate) fn suspended() -> Self {
        Self::new(
            ErrorCode::AccountSuspended,
            "Accès suspendu après trois tentatives infructueuses : communiquez avec le soutien \
             aux services Internet de la RAMQ pour le faire réactiver.",
        )
    }

    pub(crate) fn closed(code: ErrorCode, reopens_at: DateTime<Utc>) -> Self {
        let message = match code {
            ErrorCode::EnrolmentClosed => {
                "L'inscription à TIP-I est disponible de 7 h à 22 h, du lundi au vendredi."
            }
            _ => "Le service TIP-I est fermé (7 h à 22 h, du lundi au vendredi, jours ouvrables, hors maintenance).",
        };
        let mut error = Self::new(code, message);
        error.0.reopens_at = Some(reopens_at);
        error
    }

    pub(crate) fn out_of_sequence(expected: u32) -> Self {
        let mut error = Self::new(
            ErrorCode::AttestationOutOfSequence,
            format!("Numéro d'attestation inattendu : le prochain attendu est {expected}."),
        );
        error.0.expected = Some(expected);
        error
    }

    pub(crate) fn trailer(check: TrailerCheck) -> Self {
        let mut error = Self::new(
            ErrorCode::TrailerMismatch,
            "Le nombre de demandes ou le montant total déclaré ne correspond pas au contenu du lot.",
        );
        error.0.trailer = Some(check);
        error
    }

    pub(crate) fn rejected(message: impl Into<String>, problems: Vec<String>) -> Self {
        let mut error = Self::new(ErrorCode::Rejected, message);
        error.0.problems = problems;
        error
    }

    pub(crate) fn not_yet(available_at: DateTime<Utc>) -> Self {
        let mut error = Self::new(
            ErrorCode::NotYetAvailable,
            "Les informations de recevabilité ne sont pas encore disponibles.",
        );
        error.0.available_at = Some(available_at);
        error
    }

    pub(crate) fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "Ressource introuvable.")
    }

    pub(crate) fn malformed(detail: impl std::fmt::Display) -> Self {
        Self::new(
            ErrorCode::MalformedMessage,
            format!("Message mal formé : {detail}"),
        )
    }

    pub(crate) fn internal() -> Self {
        Self::new(
            ErrorCode::InternalError,
            "Erreur interne du serveur : rien n'a été enregistré.",
        )
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        Self::internal()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.0.code;
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(*self.0)).into_response();
        let headers = response.headers_mut();
        if code == ErrorCode::InvalidCredentials {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"TIP-I\", charset=\"UTF-8\""),
            );
        }
        response
    }
}

/// Handler result.
pub(crate) type ApiResult<T> = Result<T, ApiError>;
