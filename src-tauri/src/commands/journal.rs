//! The exchange journal, from the local copy kept by sync, with receivability per claim.

use serde::Serialize;
use tauri::State;
use tipi_store::exchanges::ExchangeKind;

use super::home::{status_name, AgencyView};
use super::run;
use crate::error::CommandResult;
use crate::state::AppState;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClaimLine {
    external_id: String,
    status: &'static str,
    ramq_number: Option<String>,
    amount: String,
    messages: Vec<super::send::MessageView>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ExchangeView {
    kind: &'static str,
    at: chrono::DateTime<chrono::Utc>,
    state: String,
    attestation: Option<u32>,
    claims: Vec<ClaimLine>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct JournalView {
    agency: AgencyView,
    exchanges: Vec<ExchangeView>,
    resend_test_file: bool,
    last_sync: Option<chrono::DateTime<chrono::Utc>>,
}

fn kind_name(kind: ExchangeKind) -> &'static str {
    match kind {
        ExchangeKind::BatchSent => "batch",
        ExchangeKind::DirectSent => "direct",
        ExchangeKind::ReceivabilityReturned => "returns",
        ExchangeKind::Statement => "statement",
    }
}

/// Every exchange, newest first, with the agency's status and the resend offer.
#[tauri::command]
pub(crate) async fn journal(state: State<'_, AppState>) -> CommandResult<JournalView> {
    let tipi = state.tipi();
    let overview = run(&state, tipi.overview()).await?;
    let exchanges = run(&state, async {
        Ok(tipi.store().recent_exchanges(500).await?)
    })
    .await?;
    let mut views = Vec::with_capacity(exchanges.len());
    for exchange in exchanges {
        let e = exchange.exchange;
        let mut claims = Vec::new();
        if let (ExchangeKind::BatchSent, Some(number)) = (e.kind, e.attestation_number) {
            let entry = run(&state, async {
                Ok(tipi.store().outbox_by_attestation(number).await?)
            })
            .await?;
            for id in entry.map(|o| o.claims).unwrap_or_default() {
                let detail = run(&state, tipi.claim(id)).await?;
                let latest = detail.receivability.last();
                claims.push(ClaimLine {
                    external_id: detail.view.stored.claim.external_id.clone(),
                    status: detail.view.stored.state.as_str(),
                    ramq_number: detail.view.stored.no_fact_ramq.clone(),
                    amount: detail.view.stored.claim.total().round_dp(2).to_string(),
                    messages: latest
                        .map(|r| {
                            r.messages
                                .iter()
                                .map(|m| super::send::MessageView {
                                    code: m.code.clone(),
                                    text: m.text.clone(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                });
            }
        }
        views.push(ExchangeView {
            kind: kind_name(e.kind),
            at: e.occurred_at,
            state: e.status.unwrap_or_default(),
            attestation: e.attestation_number.map(|n| n.get()),
            claims,
        });
    }
    Ok(JournalView {
        agency: AgencyView {
            status: status_name(overview.status),
            since: overview.production_since,
        },
        resend_test_file: overview.next_action == tipi_core::home::NextAction::ResendTestFile,
        exchanges: views,
        last_sync: None,
    })
}

/// Reads TIP-I's journal, the returns and the statements into the local state.
#[tauri::command]
pub(crate) async fn sync<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<()> {
    run(&state, state.tipi().sync()).await?;
    super::account::refresh_calendar_quietly(&state).await;
    // Returns or going live may have made reminders due.
    crate::reminders::tick(&app).await;
    Ok(())
}
