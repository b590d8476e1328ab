//! The legacy BLAST login, modelled only to show that it closes once the agency is enrolled
//! to TIP-I. Basic credentials: the BLAST identifier and the BLAST password.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Value};
use tipi_protocol::ErrorCode;

use crate::auth::basic_credentials;
use crate::error::{ApiError, ApiResult};
use crate::hashing;
use crate::state::AppState;
use crate::store::agencies;

pub(super) async fn session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let invalid = || {
        ApiError::new(
            ErrorCode::InvalidCredentials,
            "Identifiant ou mot de passe BLAST invalide.",
        )
    };
    let (blast_id, password) = basic_credentials(&headers).ok_or_else(invalid)?;
    let agency = agencies::find_by_blast_id(&state.pool, &blast_id)
        .await?
        .filter(|a| {
            a.blast_password_hash
                .as_deref()
                .is_some_and(|stored| hashing::verify(&password, stored))
        })
        .ok_or_else(invalid)?;
    if agency.enrolled() {
        return Err(ApiError::new(
            ErrorCode::BlastDisabled,
            "Agence inscrite à TIP-I : la transmission par BLAST n'est plus possible.",
        ));
    }
    Ok(Json(
        json!({ "transmission_number": agency.transmission_number, "status": "blast" }),
    ))
}
