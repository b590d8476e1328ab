//! HTTP Basic authentication of agencies: TIP-I identifier and password.
//!
//! Order of checks: unknown or not enrolled → `InvalidCredentials`; suspended →
//! `AccountSuspended` (the password is not even checked); wrong password → one more failure,
//! the third suspends (answered `AccountSuspended` at once); right password → failures reset,
//! then a temporary password → `PasswordChangeRequired`, an expired one → `PasswordExpired`,
//! except on the password-change endpoint ([`PasswordChanger`]).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use tipi_domain::ids::TipiId;
use tipi_domain::password;
use tipi_protocol::ErrorCode;

use crate::error::ApiError;
use crate::hashing;
use crate::state::AppState;
use crate::store::agencies::{self, AgencyRow};

/// Consecutive failures that suspend an agency.
pub(crate) const MAX_FAILED_LOGINS: i64 = 3;

/// An authenticated agency with a valid (current, non-temporary) password.
pub(crate) struct Agency(pub(crate) AgencyRow);

/// An authenticated agency that may only change its password (its password may be temporary
/// or expired). Holds the current password, needed to refuse a "new" one equal to it.
pub(crate) struct PasswordChanger {
    pub(crate) agency: AgencyRow,
    pub(crate) current_password: String,
}

/// `user:password` from a Basic header.
pub(crate) fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(B64.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Checks the credentials; on success returns the agency and the clear password.
async fn authenticate(state: &AppState, parts: &Parts) -> Result<(AgencyRow, String), ApiError> {
    let (user, password) =
        basic_credentials(&parts.headers).ok_or_else(ApiError::invalid_credentials)?;
    let tipi_id = TipiId::parse(&user).map_err(|_| ApiError::invalid_credentials())?;
    let transmission = tipi_id.transmission_number();
    let agency = agencies::find(&state.pool, transmission.as_str())
        .await?
        .filter(AgencyRow::enrolled)
        .ok_or_else(ApiError::invalid_credentials)?;
    if agency.suspended {
        return Err(ApiError::suspended());
    }
    let stored = agency.password_hash.as_deref().unwrap_or_default();
    if !hashing::verify(&password, stored) {
        let _write = state.write.lock().await;
        let (failures, suspended) =
            agencies::record_failure(&state.pool, transmission.as_str(), MAX_FAILED_LOGINS).await?;
        tracing::info!(agency = %tipi_id, failures, suspended, "failed login");
        return Err(if suspended {
            ApiError::suspended()
        } else {
            ApiError::invalid_credentials()
        });
    }
    if agency.failed_logins > 0 {
        let _write = state.write.lock().await;
        agencies::reset_failures(&state.pool, transmission.as_str()).await?;
    }
    Ok((agency, password))
}

/// Whether the agency's password must be changed before anything else, and why.
pub(crate) fn change_required(agency: &AgencyRow, state: &AppState) -> Option<ApiError> {
    if agency.password_temporary {
        return Some(ApiError::new(
            ErrorCode::PasswordChangeRequired,
            "Mot de passe temporaire : choisissez votre mot de passe TIP-I avant de continuer.",
        ));
    }
    let set_on = agency.password_set_on?;
    password::is_expired(set_on, state.today()).then(|| {
        ApiError::new(
            ErrorCode::PasswordExpired,
            "Mot de passe TIP-I expiré (90 jours) : changez-le avant de continuer.",
        )
    })
}

impl FromRequestParts<AppState> for Agency {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (agency, _password) = authenticate(state, parts).await?;
        match change_required(&agency, state) {
            Some(error) => Err(error),
            None => Ok(Agency(agency)),
        }
    }
}

impl FromRequestParts<AppState> for PasswordChanger {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let (agency, current_password) = authenticate(state, parts).await?;
        Ok(PasswordChanger {
            agency,
            current_password,
        })
    }
}

/// The admin API's bearer token check.
pub(crate) struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let given = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let expected = state.admin_token.as_bytes();
        match given {
            Some(token) if same_bytes(token.as_bytes(), expected) => Ok(Admin),
            _ => Err(ApiError::new(
                ErrorCode::InvalidCredentials,
                "Jeton d'administration du bac à sable invalide.",
            )),
        }
    }
}

/// Compares without stopping at the first difference (the token is a secret).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
