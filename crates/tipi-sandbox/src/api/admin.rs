//! The sandbox-only admin API (bearer token): clock, agencies, reactivation, maintenance,
//! faults, and the list of recorded exchanges. Never subject to the service window or faults.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use tipi_domain::ids::TransmissionNumber;
use tipi_domain::time::MaintenanceWindow as DomainWindow;
use tipi_protocol::admin::{
    AgencyView, ClockCommand, ClockState, ExchangeRecord, Fault, MaintenanceWindow, Reactivate,
    SeedAgency,
};
use tipi_protocol::paths;

use super::parse_json;
use super::session::{next_attestation, tipi_id};
use crate::auth::Admin;
use crate::error::{ApiError, ApiResult};
use crate::rules::status;
use crate::state::AppState;
use crate::store::{agencies, exchanges, settings};
use crate::{hashing, seed};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(paths::ADMIN_CLOCK, get(clock).put(set_clock))
        .route(paths::ADMIN_AGENCIES, post(seed_agency))
        .route(paths::ADMIN_AGENCY_ONE, get(agency))
        .route(paths::ADMIN_REACTIVATE, post(reactivate))
        .route(
            paths::ADMIN_MAINTENANCE,
            get(maintenance)
                .post(add_maintenance)
                .delete(clear_maintenance),
        )
        .route(
            paths::ADMIN_FAULTS,
            get(faults).put(add_fault).delete(clear_faults),
        )
        .route(paths::ADMIN_EXCHANGES, get(all_exchanges))
}

async fn clock(_: Admin, State(state): State<AppState>) -> Json<ClockState> {
    Json(state.clock.state())
}

/// Moves the clock and persists it (a restarted sandbox keeps its time travel).
pub(crate) async fn apply_clock(
    state: &AppState,
    command: &ClockCommand,
) -> Result<ClockState, sqlx::Error> {
    let setting = state.clock.apply(command);
    settings::put(&state.pool, settings::CLOCK, &setting.encode()).await?;
    tracing::info!(now = %state.now(), "clock moved");
    Ok(state.clock.state())
}

async fn set_clock(
    _: Admin,
    State(state): State<AppState>,
    body: String,
) -> ApiResult<Json<ClockState>> {
    let command: ClockCommand = parse_json(&body)?;
    Ok(Json(apply_clock(&state, &command).await?))
}

async fn view(state: &AppState, transmission: &str) -> ApiResult<AgencyView> {
    let agency = agencies::find(&state.pool, transmission)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (status, production_since) =
        status::status(agency.first_valid_batch_at, state.now(), &state.calendar);
    Ok(AgencyView {
        transmission_number: agency.transmission_number.clone(),
        tipi_id: tipi_id(&agency),
        origin: agency.origin.clone(),
        enrolled: agency.enrolled(),
        suspended: agency.suspended,
        failed_logins: u32::try_from(agency.failed_logins).unwrap_or(0),
        password_temporary: agency.password_temporary,
        password_set_on: agency.password_set_on,
        status,
        production_since,
        next_attestation: next_attestation(&agency),
    })
}

fn transmission(text: &str) -> ApiResult<TransmissionNumber> {
    TransmissionNumber::parse(text).map_err(|e| {
        ApiError::rejected(
            "Numéro de transmission invalide.",
            vec![e.code().to_owned()],
        )
    })
}

async fn seed_agency(
    _: Admin,
    State(state): State<AppState>,
    body: String,
) -> ApiResult<(StatusCode, Json<AgencyView>)> {
    let request: SeedAgency = parse_json(&body)?;
    let number = match &request {
        SeedAgency::Blast {
            transmission_number,
            ..
        }
        | SeedAgency::New {
            transmission_number,
            ..
        }
        | SeedAgency::Enrolled {
            transmission_number,
            ..
        } => transmission(transmission_number)?,
    };
    let _write = state.write.lock().await;
    seed::upsert(&state, &number, &request)
        .await
        .map_err(|e| match e {
            seed::SeedError::Database(e) => ApiError::from(e),
            seed::SeedError::Rejected(problems) => {
                ApiError::rejected("Valeurs d'agence refusées.", problems)
            }
        })?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, number.as_str()).await?),
    ))
}

async fn agency(
    _: Admin,
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> ApiResult<Json<AgencyView>> {
    Ok(Json(view(&state, &number).await?))
}

async fn reactivate(
    _: Admin,
    State(state): State<AppState>,
    Path(number): Path<String>,
    body: String,
) -> ApiResult<Json<AgencyView>> {
    let request: Reactivate = if body.trim().is_empty() {
        Reactivate::default()
    } else {
        parse_json(&body)?
    };
    let _write = state.write.lock().await;
    if !agencies::reactivate(&state.pool, &number).await? {
        return Err(ApiError::not_found());
    }
    if let Some(temporary) = &request.temporary_password {
        tipi_domain::password::check_format(temporary.expose()).map_err(|e| {
            ApiError::rejected("Mot de passe temporaire refusé.", vec![e.code().to_owned()])
        })?;
        agencies::set_password(
            &state.pool,
            &number,
            &hashing::hash(temporary.expose()),
            state.today(),
            true,
        )
        .await?;
    }
    tracing::info!(agency = %number, "agency reactivated by support");
    Ok(Json(view(&state, &number).await?))
}

fn windows(state: &AppState) -> Vec<MaintenanceWindow> {
    state
        .maintenance
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|w| MaintenanceWindow {
            start: w.start,
            end: w.end,
        })
        .collect()
}

async fn maintenance(_: Admin, State(state): State<AppState>) -> Json<Vec<MaintenanceWindow>> {
    Json(windows(&state))
}

async fn add_maintenance(
    _: Admin,
    State(state): State<AppState>,
    body: String,
) -> ApiResult<(StatusCode, Json<Vec<MaintenanceWindow>>)> {
    let window: MaintenanceWindow = parse_json(&body)?;
    let domain = DomainWindow::new(window.start, window.end).ok_or_else(|| {
        ApiError::rejected(
            "La fenêtre doit finir après son début.",
            vec!["maintenance_order".into()],
        )
    })?;
    agencies::add_maintenance(&state.pool, window.start, window.end).await?;
    state
        .maintenance
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .push(domain);
    Ok((StatusCode::CREATED, Json(windows(&state))))
}

async fn clear_maintenance(_: Admin, State(state): State<AppState>) -> ApiResult<StatusCode> {
    agencies::clear_maintenance(&state.pool).await?;
    state
        .maintenance
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    Ok(StatusCode::NO_CONTENT)
}

async fn faults(_: Admin, State(state): State<AppState>) -> Json<Vec<Fault>> {
    Json(
        state
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone(),
    )
}

async fn add_fault(
    _: Admin,
    State(state): State<AppState>,
    body: String,
) -> ApiResult<Json<Vec<Fault>>> {
    let fault: Fault = parse_json(&body)?;
    let mut faults = state.faults.lock().unwrap_or_else(|e| e.into_inner());
    faults.push(fault);
    Ok(Json(faults.clone()))
}

async fn clear_faults(_: Admin, State(state): State<AppState>) -> StatusCode {
    state
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clear();
    StatusCode::NO_CONTENT
}

async fn all_exchanges(
    _: Admin,
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<ExchangeRecord>>> {
    let rows = exchanges::all(&state.pool).await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| ExchangeRecord {
                id: row.id,
                transmission_number: row.transmission_number,
                kind: row.kind,
                no_attes: row.no_attes.and_then(|n| u32::try_from(n).ok()),
                no_dem_ext: row.no_dem_ext,
                received_at: row.received_at,
                nbr_dem: u32::try_from(row.nbr_dem).unwrap_or(0),
            })
            .collect(),
    ))
}
