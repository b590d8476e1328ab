//! Statements of account per cycle (*états de compte*).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use tipi_protocol::service::{StatementList, StatementSummary};

use super::xml_response;
use crate::auth::Agency;
use crate::error::{ApiError, ApiResult};
use crate::rules::statements::{self, Statement};
use crate::state::AppState;
use crate::store::agencies::AgencyRow;
use crate::store::exchanges;

async fn available(state: &AppState, agency: &AgencyRow) -> ApiResult<Vec<Statement>> {
    let invoices = exchanges::paid_invoices(&state.pool, &agency.transmission_number).await?;
    Ok(statements::available(
        &agency.transmission_number,
        &invoices,
        state.now(),
        &state.calendar,
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    Agency(agency): Agency,
) -> ApiResult<Json<StatementList>> {
    let statements = available(&state, &agency)
        .await?
        .into_iter()
        .map(|s| StatementSummary {
            no_cycle: s.etat.no_cycle,
            payment_date: s.etat.dat_paimt,
            available_at: s.available_at,
            nbr_fact: u32::try_from(s.etat.liste_fact_paye.len()).unwrap_or(u32::MAX),
            mnt_paye: s.etat.mnt_paye,
        })
        .collect();
    Ok(Json(StatementList { statements }))
}

pub(super) async fn show(
    State(state): State<AppState>,
    Agency(agency): Agency,
    Path(no_cycle): Path<String>,
) -> ApiResult<Response> {
    let no_cycle: u32 = no_cycle.parse().map_err(|_| ApiError::not_found())?;
    let statement = available(&state, &agency)
        .await?
        .into_iter()
        .find(|s| s.etat.no_cycle == no_cycle)
        .ok_or_else(ApiError::not_found)?;
    xml_response(&statement.etat)
}
