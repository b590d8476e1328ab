//! Send: the dry run (same code as the real build), the batch, transmission with progress
//! events, direct mode, and the test-period resend.

use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};
use tipi_core::batches::BuildMode;
use tipi_core::claims::ClaimFilter;
use tipi_core::CoreError;
use tipi_domain::claim::has_errors;
use tipi_store::claims::{ClaimId, ClaimState};

use super::claims::{problem_views, ProblemView};
use super::run;
use crate::error::CommandResult;
use crate::state::AppState;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ReadyClaim {
    id: i64,
    external_id: String,
    total: String,
    /// May go en direct (RFP).
    direct: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BlockedClaim {
    id: i64,
    external_id: String,
    problems: Vec<ProblemView>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DryRun {
    ready: Vec<ReadyClaim>,
    blocked: Vec<BlockedClaim>,
    total: String,
    attestation: Option<u32>,
    queued: usize,
    /// Sending this first valid batch today would go live on a cycle change (paid late).
    pushes_payment: bool,
}

/// What a batch would hold now, and what is blocked and why. Nothing is written.
#[tauri::command]
pub(crate) async fn batch_dry_run(state: State<'_, AppState>) -> CommandResult<DryRun> {
    let lang = state.lang();
    let mut ready = Vec::new();
    let mut blocked = Vec::new();
    for filter in [ClaimState::Ready, ClaimState::Draft] {
        for view in run(&state, state.tipi().list_claims(ClaimFilter::State(filter))).await? {
            let claim = &view.stored.claim;
            if has_errors(&view.problems) {
                blocked.push(BlockedClaim {
                    id: view.stored.id.0,
                    external_id: claim.external_id.clone(),
                    problems: problem_views(&view.problems, lang),
                });
            } else if filter == ClaimState::Ready {
                ready.push(ReadyClaim {
                    id: view.stored.id.0,
                    external_id: claim.external_id.clone(),
                    total: claim.total().round_dp(2).to_string(),
                    direct: claim.remuneration.allows_direct(),
                });
            }
        }
    }
    let queued = run(&state, async {
        Ok(state.tipi().store().in_flight_count().await?)
    })
    .await?;
    // The dry run is the real build without the write, on the claims that would go.
    let plan = if ready.is_empty() {
        None
    } else {
        match state
            .tipi()
            .build_batch(
                Some(ready.iter().map(|c| ClaimId(c.id)).collect()),
                BuildMode::DryRun,
            )
            .await
        {
            Ok(plan) => Some(plan),
            Err(CoreError::NothingToSend) => None,
            Err(error) => return Err(crate::error::CommandError::core(error, lang)),
        }
    };
    Ok(DryRun {
        total: plan
            .as_ref()
            .map(|p| p.total.round_dp(2).to_string())
            .unwrap_or_else(|| "0.00".into()),
        attestation: plan.as_ref().map(|p| p.attestation.get()),
        pushes_payment: plan.as_ref().is_some_and(|p| p.pushes_payment),
        ready,
        blocked,
        queued,
    })
}

#[derive(Serialize)]
pub(crate) struct Built {
    attestation: u32,
}

/// Puts every Ready claim in the outbox: one batch, or as many as it takes when there are more
/// than a batch holds (each gets its attestation number in the transaction that queues it).
#[tauri::command]
pub(crate) async fn batch_build(state: State<'_, AppState>) -> CommandResult<Built> {
    let tipi = state.tipi();
    let first = run(&state, tipi.build_batch(None, BuildMode::Real)).await?;
    loop {
        match tipi.build_batch(None, BuildMode::Real).await {
            Ok(_) => {}
            Err(CoreError::NothingToSend) => break,
            Err(error) => return Err(crate::error::CommandError::core(error, state.lang())),
        }
    }
    Ok(Built {
        attestation: first.attestation.get(),
    })
}

#[derive(Serialize, Clone)]
struct Progress {
    step: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Transmitted {
    /// `sent`, or `waiting` when TIP-I is closed (the batches stay in the outbox).
    outcome: &'static str,
    sent: usize,
    returns_at: Option<chrono::DateTime<chrono::Utc>>,
    reopens_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Sends what waits in the outbox, pushing progress to the page.
#[tauri::command]
pub(crate) async fn transmit<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<Transmitted> {
    let progress = |step| {
        let _ = app.emit("transmit-progress", Progress { step });
    };
    let _one_sender = state.sending.lock().await;
    progress("sending");
    match state.tipi().transmit().await {
        Ok(report) => {
            progress("recorded");
            Ok(Transmitted {
                outcome: "sent",
                sent: report.sent.len(),
                returns_at: report.sent.iter().map(|s| s.returns_available_at).max(),
                reopens_at: None,
            })
        }
        Err(CoreError::OutsideServiceWindow { reopens_at }) => Ok(Transmitted {
            outcome: "waiting",
            sent: 0,
            returns_at: None,
            reopens_at: Some(reopens_at),
        }),
        Err(error) => Err(crate::error::CommandError::core(error, state.lang())),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DirectView {
    receivable: bool,
    ramq_number: Option<String>,
    messages: Vec<MessageView>,
}

#[derive(Serialize)]
pub(crate) struct MessageView {
    pub(crate) code: String,
    pub(crate) text: String,
}

/// Sends one RFP claim en direct; RAMQ's answer is stored and shown at once.
#[tauri::command]
pub(crate) async fn direct_send(state: State<'_, AppState>, id: i64) -> CommandResult<DirectView> {
    let result = run(&state, state.tipi().submit_direct(ClaimId(id))).await?;
    Ok(DirectView {
        receivable: result.state == ClaimState::Receivable,
        ramq_number: result.no_fact_ramq,
        messages: result
            .messages
            .into_iter()
            .map(|(code, text)| MessageView { code, text })
            .collect(),
    })
}

/// Queues the test-period claims again, in one batch with a new attestation number.
#[tauri::command]
pub(crate) async fn resend_test_file(state: State<'_, AppState>) -> CommandResult<Built> {
    let plan = run(&state, state.tipi().resend_test_period_claims()).await?;
    Ok(Built {
        attestation: plan.attestation.get(),
    })
}
