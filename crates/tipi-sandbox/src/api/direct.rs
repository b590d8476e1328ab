//! One RFP request *en direct*: receivability in the answer. The request number
//! (`no_dem_ext`) makes it idempotent: the same request sent again (after a lost answer) gets
//! the stored answer back, marked `x-tipi-replay: true`, and is not recorded twice.

use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::Response;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use tipi_domain::claim::RemunerationSystem;
use tipi_domain::ids::AttestationNumber;
use tipi_domain::time;
use tipi_protocol::rfp::{DemPaimt, StaRecev};
use tipi_protocol::XmlMessage;

use super::{batches, parse_xml, xml_text};
use crate::auth::Agency;
use crate::error::{ApiError, ApiResult};
use crate::rules::receivability::{self, Context};
use crate::rules::status;
use crate::state::AppState;
use crate::store::exchanges::{self, NewExchange};

/// The header marking a replayed answer.
pub(crate) const REPLAY_HEADER: &str = "x-tipi-replay";

pub(super) async fn receive(
    State(state): State<AppState>,
    Agency(agency): Agency,
    body: String,
) -> ApiResult<Response> {
    let request: DemPaimt = parse_xml(&body)?;
    let [fact] = request.liste_fact.as_slice() else {
        return Err(ApiError::rejected(
            "Une demande en direct contient exactement une facture.",
            vec!["request_invoice_count".into()],
        ));
    };
    if fact.typ_remun.trim() != RemunerationSystem::Rfp.code() {
        return Err(ApiError::rejected(
            "Seul le système RFP accepte la transmission en direct.",
            vec!["direct_rfp_only".into()],
        ));
    }
    let canonical = request.to_xml().map_err(ApiError::malformed)?;
    let digest = B64.encode(ring::digest::digest(
        &ring::digest::SHA256,
        canonical.as_bytes(),
    ));
    let transmission = agency.transmission_number.clone();
    let number = request.no_dem_ext.trim().to_owned();

    let _write = state.write.lock().await;
    let now = state.now();
    let mut tx = state.pool.begin().await?;
    let earlier = exchanges::direct_by_request(&mut tx, &transmission, &number).await?;
    if let Some(same) = earlier
        .iter()
        .find(|e| e.request_digest.as_deref() == Some(&digest))
    {
        let mut response = xml_text(same.response_xml.clone());
        response
            .headers_mut()
            .insert(REPLAY_HEADER, HeaderValue::from_static("true"));
        return Ok(response);
    }
    let (agency_status, _) = status::status(agency.first_valid_batch_at, now, &state.calendar);
    let counted = agency_status == tipi_protocol::service::AgencyStatus::Production;
    let context = Context {
        transmission: &transmission,
        attestation: AttestationNumber::first(),
        today: time::local_date(now),
        counted,
    };
    let judged = receivability::judge(
        &mut tx,
        &context,
        &request.logcl_fact,
        std::slice::from_ref(&request),
    )
    .await?;
    let answer = judged
        .first()
        .map(|j| j.recev.clone())
        .ok_or_else(ApiError::internal)?;
    let response_xml = answer.to_xml().map_err(|error| {
        tracing::error!(%error, "could not write the receivability answer");
        ApiError::internal()
    })?;
    let receivable = u32::from(answer.sta_recev == StaRecev::Receivable);
    let exchange = NewExchange {
        transmission_number: &transmission,
        kind: "direct",
        no_attes: None,
        no_dem_ext: Some(&number),
        request_digest: Some(&digest),
        received_at: now,
        processed_at: now,
        returns_available_at: now,
        counted,
        nbr_dem: 1,
        nbr_dem_recev: receivable,
        mnt_total: request.total(),
        response_xml: &response_xml,
    };
    batches::record(&mut tx, &exchange, &judged).await?;
    tx.commit().await?;
    tracing::info!(agency = %transmission, receivable, counted, "direct request answered");
    Ok(xml_text(response_xml))
}
