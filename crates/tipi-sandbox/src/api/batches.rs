//! Batches sent *en différé*: received → processed (22:00 the day received) → returns
//! available (08:00 the next business day, from tipi-domain's rule).
//!
//! Checks, in order: the transmission number is the agency's; the attestation number is
//! exactly the next one expected (so a batch resent after a lost answer is refused with the
//! number that follows it); the trailer matches; the batch is not empty and names its
//! software. Only then is the batch recorded, every request judged at once, and the
//! attestation number consumed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use tipi_domain::batch::{BatchError, MAX_CLAIMS};
use tipi_domain::ids::AttestationNumber;
use tipi_domain::lang::Lang;
use tipi_domain::time;
use tipi_protocol::error::TrailerCheck;
use tipi_protocol::lot::{LotDemPaimt, LotDemPaimtRecev};
use tipi_protocol::rfp::StaRecev;
use tipi_protocol::service::{BatchReceipt, ExchangeState};
use tipi_protocol::{ErrorCode, XmlMessage};

use super::{parse_xml, session, xml_text};
use crate::auth::Agency;
use crate::error::{ApiError, ApiResult};
use crate::rules::receivability::{self, Context, Judged};
use crate::rules::status;
use crate::state::AppState;
use crate::store::agencies;
use crate::store::exchanges::{self, ExchangeRow, NewExchange, NewInvoice};

/// The state of a batch at `now`.
pub(crate) fn batch_state(row: &ExchangeRow, now: DateTime<Utc>) -> ExchangeState {
    if now >= row.returns_available_at {
        ExchangeState::ReturnsAvailable
    } else if now >= row.processed_at {
        ExchangeState::Processed
    } else {
        ExchangeState::Received
    }
}

/// When the night's processing of a batch received at `received` is done: 22:00 that day.
pub(crate) fn processed_at(received: DateTime<Utc>, available: DateTime<Utc>) -> DateTime<Utc> {
    let closing = time::at_local(time::local_date(received), time::CLOSING_TIME);
    closing.max(received).min(available)
}

fn receipt(row: &ExchangeRow, now: DateTime<Utc>) -> BatchReceipt {
    BatchReceipt {
        exchange_id: format!("batch-{}", row.no_attes.unwrap_or_default()),
        no_attes: row
            .no_attes
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(0),
        received_at: row.received_at,
        state: batch_state(row, now),
        returns_available_at: row.returns_available_at,
        nbr_dem: u32::try_from(row.nbr_dem).unwrap_or(0),
        mnt_total: row.mnt_total.parse().unwrap_or(Decimal::ZERO),
        counted_for_payment: row.counted,
    }
}

/// Stores a judged exchange and its invoices (inside the caller's transaction).
pub(crate) async fn record(
    conn: &mut sqlx::SqliteConnection,
    exchange: &NewExchange<'_>,
    judged: &[Judged],
) -> Result<i64, sqlx::Error> {
    let id = exchanges::insert(conn, exchange).await?;
    let received_on = time::local_date(exchange.received_at);
    for request in judged {
        for invoice in &request.invoices {
            let stored = NewInvoice {
                no_dem_ext: &invoice.no_dem_ext,
                no_fact_ext: &invoice.no_fact_ext,
                receivable: invoice.receivable,
                no_fact_ramq: invoice.no_fact_ramq.as_deref(),
                amount: invoice.amount,
            };
            exchanges::insert_invoice(conn, exchange, id, &stored, received_on).await?;
        }
    }
    Ok(id)
}

/// Reads a batch body sent by the agency `transmission` (first checks, before any state).
pub(crate) fn read_lot(body: &str, transmission: &str) -> ApiResult<LotDemPaimt> {
    let lot: LotDemPaimt = parse_xml(body)?;
    if lot.no_trans.trim() != transmission {
        return Err(ApiError::new(
            ErrorCode::TransmissionMismatch,
            "Le numéro de transmission du lot n'est pas celui de l'agence authentifiée.",
        ));
    }
    Ok(lot)
}

/// The checks of a batch's own content, once its attestation number is the expected one:
/// trailer, at least one request, the software's identity.
pub(crate) fn check_contents(lot: &LotDemPaimt) -> ApiResult<()> {
    if lot.nbr_dem != lot.actual_count() || lot.mnt_total != lot.actual_total() {
        return Err(ApiError::trailer(TrailerCheck {
            declared_count: lot.nbr_dem,
            actual_count: lot.actual_count(),
            declared_total: lot.mnt_total,
            actual_total: lot.actual_total(),
        }));
    }
    if lot.dem_paimt.is_empty() {
        return Err(ApiError::rejected(
            "Le lot doit contenir au moins une demande de paiement.",
            vec!["batch_empty".into()],
        ));
    }
    if lot.dem_paimt.len() > MAX_CLAIMS {
        let refused = BatchError::TooManyClaims(lot.dem_paimt.len());
        return Err(ApiError::rejected(
            refused.message(Lang::Fr),
            vec![refused.code().into()],
        ));
    }
    if lot.logcl_fact.nom_logcl_fact.trim().is_empty()
        || lot.logcl_fact.no_versi_logcl_fact.trim().is_empty()
    {
        return Err(ApiError::rejected(
            "Le nom et la version du logiciel de facturation sont obligatoires.",
            vec!["batch_software_identity".into()],
        ));
    }
    Ok(())
}

pub(super) async fn receive(
    State(state): State<AppState>,
    Agency(agency): Agency,
    body: String,
) -> ApiResult<(StatusCode, Json<BatchReceipt>)> {
    let transmission = agency.transmission_number.clone();
    let lot = read_lot(&body, &transmission)?;

    let _write = state.write.lock().await;
    let now = state.now();
    let mut tx = state.pool.begin().await?;
    let agency = agencies::find_in(&mut tx, &transmission)
        .await?
        .ok_or_else(ApiError::invalid_credentials)?;
    let expected = session::next_attestation(&agency);
    if lot.no_attes != expected {
        return Err(ApiError::out_of_sequence(expected));
    }
    check_contents(&lot)?;

    let (agency_status, _) = status::status(agency.first_valid_batch_at, now, &state.calendar);
    let counted = agency_status == tipi_protocol::service::AgencyStatus::Production;
    let context = Context {
        transmission: &transmission,
        attestation: AttestationNumber::new(lot.no_attes)
            .unwrap_or_else(|_| AttestationNumber::first()),
        today: time::local_date(now),
        counted,
    };
    let judged = receivability::judge(&mut tx, &context, &lot.logcl_fact, &lot.dem_paimt).await?;
    let receivable = judged
        .iter()
        .filter(|j| j.recev.sta_recev == StaRecev::Receivable)
        .count();
    let nbr_dem = lot.actual_count();
    let nbr_dem_recev = u32::try_from(receivable).unwrap_or(u32::MAX);
    let available = time::returns_available_at(now, &state.calendar);
    let answer = LotDemPaimtRecev {
        no_trans: transmission.clone(),
        no_attes: lot.no_attes,
        dat_recep: now,
        dat_dispo: available,
        ind_prodc: counted,
        nbr_dem,
        nbr_dem_recev,
        nbr_dem_non_recev: nbr_dem - nbr_dem_recev,
        dem_paimt_recev: judged.iter().map(|j| j.recev.clone()).collect(),
    };
    let response_xml = answer.to_xml().map_err(|error| {
        tracing::error!(%error, "could not write the receivability return");
        ApiError::internal()
    })?;
    let exchange = NewExchange {
        transmission_number: &transmission,
        kind: "batch",
        no_attes: Some(lot.no_attes),
        no_dem_ext: None,
        request_digest: None,
        received_at: now,
        processed_at: processed_at(now, available),
        returns_available_at: available,
        counted,
        nbr_dem,
        nbr_dem_recev,
        mnt_total: lot.actual_total(),
        response_xml: &response_xml,
    };
    record(&mut tx, &exchange, &judged).await?;
    // The first batch without any error starts the move to production.
    let valid = nbr_dem_recev == nbr_dem;
    let first_valid = (valid && agency.first_valid_batch_at.is_none()).then_some(now);
    agencies::record_batch(&mut tx, &transmission, lot.no_attes, first_valid).await?;
    tx.commit().await?;
    tracing::info!(
        agency = %transmission,
        no_attes = lot.no_attes,
        nbr_dem,
        nbr_dem_recev,
        counted,
        "batch received"
    );
    let row = exchanges::batch(&state.pool, &transmission, lot.no_attes)
        .await?
        .ok_or_else(ApiError::internal)?;
    Ok((StatusCode::ACCEPTED, Json(receipt(&row, now))))
}

async fn find(
    state: &AppState,
    agency: &agencies::AgencyRow,
    no_attes: &str,
) -> ApiResult<ExchangeRow> {
    let no_attes: u32 = no_attes.parse().map_err(|_| ApiError::not_found())?;
    exchanges::batch(&state.pool, &agency.transmission_number, no_attes)
        .await?
        .ok_or_else(ApiError::not_found)
}

pub(super) async fn show(
    State(state): State<AppState>,
    Agency(agency): Agency,
    Path(no_attes): Path<String>,
) -> ApiResult<Json<BatchReceipt>> {
    let row = find(&state, &agency, &no_attes).await?;
    Ok(Json(receipt(&row, state.now())))
}

pub(super) async fn returns(
    State(state): State<AppState>,
    Agency(agency): Agency,
    Path(no_attes): Path<String>,
) -> ApiResult<Response> {
    let row = find(&state, &agency, &no_attes).await?;
    if state.now() < row.returns_available_at {
        return Err(ApiError::not_yet(row.returns_available_at));
    }
    Ok(xml_text(row.response_xml))
}
