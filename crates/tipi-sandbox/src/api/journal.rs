//! *Consulter le suivi des échanges d'information*: every exchange with its state, the
//! agency's status and "en production depuis".

use axum::extract::State;
use axum::Json;
use tipi_protocol::service::{ExchangeKind, ExchangeState, Journal, JournalEntry};

use super::batches::batch_state;
use super::session::{next_attestation, tipi_id};
use crate::auth::Agency;
use crate::error::ApiResult;
use crate::rules::{statements, status};
use crate::state::AppState;
use crate::store::exchanges;

pub(super) async fn show(
    State(state): State<AppState>,
    Agency(agency): Agency,
) -> ApiResult<Json<Journal>> {
    let now = state.now();
    let rows = exchanges::of_agency(&state.pool, &agency.transmission_number).await?;
    let mut entries = Vec::new();
    for row in &rows {
        let nbr_dem = u32::try_from(row.nbr_dem).ok();
        let nbr_dem_recev = u32::try_from(row.nbr_dem_recev).ok();
        let no_attes = row.no_attes.and_then(|n| u32::try_from(n).ok());
        if row.kind == "direct" {
            entries.push(JournalEntry {
                id: format!("direct-{}", row.id),
                kind: ExchangeKind::Direct,
                at: row.received_at,
                state: ExchangeState::Answered,
                no_attes: None,
                no_dem_ext: row.no_dem_ext.clone(),
                no_cycle: None,
                nbr_dem,
                nbr_dem_recev,
                counted_for_payment: Some(row.counted),
            });
            continue;
        }
        let state_now = batch_state(row, now);
        entries.push(JournalEntry {
            id: format!("batch-{}", no_attes.unwrap_or_default()),
            kind: ExchangeKind::Batch,
            at: row.received_at,
            state: state_now,
            no_attes,
            no_dem_ext: None,
            no_cycle: None,
            nbr_dem,
            nbr_dem_recev: None,
            counted_for_payment: Some(row.counted),
        });
        if state_now == ExchangeState::ReturnsAvailable {
            entries.push(JournalEntry {
                id: format!("returns-{}", no_attes.unwrap_or_default()),
                kind: ExchangeKind::Returns,
                at: row.returns_available_at,
                state: ExchangeState::Available,
                no_attes,
                no_dem_ext: None,
                no_cycle: None,
                nbr_dem,
                nbr_dem_recev,
                counted_for_payment: None,
            });
        }
    }
    let invoices = exchanges::paid_invoices(&state.pool, &agency.transmission_number).await?;
    for statement in
        statements::available(&agency.transmission_number, &invoices, now, &state.calendar)
    {
        entries.push(JournalEntry {
            id: format!("statement-{}", statement.etat.no_cycle),
            kind: ExchangeKind::Statement,
            at: statement.available_at,
            state: ExchangeState::Available,
            no_attes: None,
            no_dem_ext: None,
            no_cycle: Some(statement.etat.no_cycle),
            nbr_dem: u32::try_from(statement.etat.liste_fact_paye.len()).ok(),
            nbr_dem_recev: None,
            counted_for_payment: None,
        });
    }
    entries.sort_by_key(|entry| entry.at);
    let (status, production_since) =
        status::status(agency.first_valid_batch_at, now, &state.calendar);
    Ok(Json(Journal {
        tipi_id: tipi_id(&agency),
        status,
        production_since,
        next_attestation: next_attestation(&agency),
        server_time: now,
        exchanges: entries,
    }))
}
