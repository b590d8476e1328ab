//! The agency's session (status, password expiry) and password changes.

use axum::extract::State;
use axum::Json;
use tipi_domain::ids::{AttestationNumber, TipiId, TransmissionNumber};
use tipi_domain::password;
use tipi_protocol::service::{PasswordChoice, PasswordInfo, Session};

use super::parse_json;
use crate::auth::{Agency, PasswordChanger};
use crate::error::{ApiError, ApiResult};
use crate::hashing;
use crate::rules::status;
use crate::state::AppState;
use crate::store::agencies::{self, AgencyRow};

/// The TIP-I identifier of a stored agency.
pub(crate) fn tipi_id(agency: &AgencyRow) -> String {
    TransmissionNumber::parse(&agency.transmission_number)
        .map(|t| TipiId::from_transmission(&t).to_string())
        .unwrap_or_else(|_| format!("AGP{}", agency.transmission_number))
}

/// The attestation number the agency's next batch must carry.
pub(crate) fn next_attestation(agency: &AgencyRow) -> u32 {
    let last = agency
        .last_attestation
        .and_then(|n| u32::try_from(n).ok())
        .and_then(|n| AttestationNumber::new(n).ok());
    AttestationNumber::expected_after(last).map_or(u32::MAX, AttestationNumber::get)
}

pub(crate) fn session(agency: &AgencyRow, state: &AppState) -> Session {
    let now = state.now();
    let today = state.today();
    let (status, production_since) =
        status::status(agency.first_valid_batch_at, now, &state.calendar);
    let set_on = agency.password_set_on.unwrap_or(today);
    Session {
        tipi_id: tipi_id(agency),
        transmission_number: agency.transmission_number.clone(),
        status,
        production_since,
        password: PasswordInfo {
            set_on,
            expires_on: password::expires_on(set_on),
            days_left: password::days_left(set_on, today),
            temporary: agency.password_temporary,
        },
        next_attestation: next_attestation(agency),
        server_time: now,
    }
}

pub(super) async fn show(State(state): State<AppState>, Agency(agency): Agency) -> Json<Session> {
    Json(session(&agency, &state))
}

/// Allowed with a temporary or expired password: it is the way out of both.
pub(super) async fn change_password(
    State(state): State<AppState>,
    changer: PasswordChanger,
    body: String,
) -> ApiResult<Json<Session>> {
    let choice: PasswordChoice = parse_json(&body)?;
    password::check_new(
        choice.password.expose(),
        choice.confirmation.expose(),
        Some(&changer.current_password),
    )
    .map_err(|e| {
        ApiError::rejected(
            e.message(tipi_domain::lang::Lang::Fr),
            vec![e.code().to_owned()],
        )
    })?;
    let transmission = changer.agency.transmission_number.clone();
    {
        let _write = state.write.lock().await;
        agencies::set_password(
            &state.pool,
            &transmission,
            &hashing::hash(choice.password.expose()),
            state.today(),
            false,
        )
        .await?;
    }
    tracing::info!(agency = %transmission, "password changed");
    let agency = agencies::find(&state.pool, &transmission)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(session(&agency, &state)))
}
