//! Claims: list, one claim with RAMQ's answers, live validation, save, CSV import.

use serde::Serialize;
use tauri::State;
use tipi_core::claims::{ClaimFilter, ClaimView};
use tipi_core::Lang;
use tipi_domain::claim::{Claim, Patient, Problem, Severity};
use tipi_store::claims::{ClaimId, ClaimState};

use super::run;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// A problem as the form shows it beside its field.
#[derive(Serialize)]
pub(crate) struct ProblemView {
    code: &'static str,
    field: String,
    message: String,
    severity: &'static str,
}

pub(crate) fn problem_views(problems: &[Problem], lang: Lang) -> Vec<ProblemView> {
    problems
        .iter()
        .map(|p| ProblemView {
            code: p.code.as_str(),
            field: p.field.clone(),
            message: p.message(lang),
            severity: match p.severity() {
                Severity::Warning => "warning",
                _ => "error",
            },
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClaimRow {
    id: i64,
    external_id: String,
    service_date: Option<chrono::NaiveDate>,
    patient: String,
    total: String,
    state: &'static str,
    editable: bool,
}

fn patient_label(patient: &Patient) -> String {
    let (surname, first_name) = match patient {
        Patient::WithNam {
            surname,
            first_name,
            ..
        }
        | Patient::WithoutNam {
            surname,
            first_name,
            ..
        } => (surname, first_name),
    };
    format!("{surname} {first_name}").trim().to_owned()
}

fn row(view: &ClaimView) -> ClaimRow {
    let claim = &view.stored.claim;
    ClaimRow {
        id: view.stored.id.0,
        external_id: claim.external_id.clone(),
        service_date: claim.lines.iter().map(|l| l.service_date).min(),
        patient: patient_label(&claim.patient),
        total: claim.total().round_dp(2).to_string(),
        state: view.stored.state.as_str(),
        editable: view.stored.state.is_editable(),
    }
}

fn parse_state(state: Option<String>, lang: Lang) -> CommandResult<ClaimFilter> {
    match state.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(ClaimFilter::All),
        Some(text) => ClaimState::parse(text)
            .map(ClaimFilter::State)
            .ok_or_else(|| {
                CommandError::new("InvalidInput", lang, "État inconnu.", "Unknown state.")
            }),
    }
}

/// Claims, all or in one state.
#[tauri::command]
pub(crate) async fn claims_list(
    state: State<'_, AppState>,
    state_filter: Option<String>,
) -> CommandResult<ClaimsPage> {
    let filter = parse_state(state_filter, state.lang())?;
    let list = run(
        &state,
        state.tipi().list_recent_claims(filter, SCREEN_PER_STATE),
    )
    .await?;
    Ok(ClaimsPage {
        claims: list.claims.iter().map(row).collect(),
        limited_to: list.truncated.then_some(SCREEN_PER_STATE),
    })
}

/// The claims screen shows the most recent claims of each state, not years of paid ones.
const SCREEN_PER_STATE: u32 = 500;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClaimsPage {
    claims: Vec<ClaimRow>,
    /// Set when some state has more claims than the screen lists.
    limited_to: Option<u32>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RamqMessage {
    code: String,
    text: String,
    field: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClaimDetailView {
    id: i64,
    state: &'static str,
    claim: Claim,
    total: String,
    ramq_messages: Vec<RamqMessage>,
}

/// One claim, with the messages of RAMQ's latest answer placed on the lines they concern.
#[tauri::command]
pub(crate) async fn claim_get(
    state: State<'_, AppState>,
    id: i64,
) -> CommandResult<ClaimDetailView> {
    let detail = run(&state, state.tipi().claim(ClaimId(id))).await?;
    let latest = detail.receivability.last();
    let ramq_messages = latest
        .map(|answer| {
            answer
                .messages
                .iter()
                .map(|m| RamqMessage {
                    code: m.code.clone(),
                    text: m.text.clone(),
                    field: m.line_no.map(|n| format!("lines[{n}].billing_code")),
                })
                .collect()
        })
        .unwrap_or_default();
    let claim = detail.view.stored.claim;
    Ok(ClaimDetailView {
        id,
        state: detail.view.stored.state.as_str(),
        total: claim.total().round_dp(2).to_string(),
        claim,
        ramq_messages,
    })
}

/// Every problem of a claim as typed so far (the form calls it as the user types).
#[tauri::command]
pub(crate) fn claim_validate(state: State<'_, AppState>, claim: Claim) -> Vec<ProblemView> {
    problem_views(&state.tipi().validate_claim(&claim), state.lang())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Saved {
    id: i64,
    external_id: String,
    state: &'static str,
    problems: Vec<ProblemView>,
}

/// Saves the form: Ready when nothing blocks it, a Draft with its problems otherwise.
#[tauri::command]
pub(crate) async fn claim_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    claim: Claim,
) -> CommandResult<Saved> {
    let view = run(&state, state.tipi().save_claim(id.map(ClaimId), claim)).await?;
    Ok(Saved {
        id: view.stored.id.0,
        external_id: view.stored.claim.external_id.clone(),
        state: view.stored.state.as_str(),
        problems: problem_views(&view.problems, state.lang()),
    })
}

#[derive(Serialize)]
pub(crate) struct RejectedView {
    row: usize,
    problems: Vec<ProblemText>,
}

#[derive(Serialize)]
pub(crate) struct ProblemText {
    message: String,
}

#[derive(Serialize)]
pub(crate) struct ImportView {
    imported: usize,
    rejected: Vec<RejectedView>,
}

/// Imports claims from CSV text (one claim per row).
#[tauri::command]
pub(crate) async fn claims_import(
    state: State<'_, AppState>,
    csv: String,
) -> CommandResult<ImportView> {
    let lang = state.lang();
    let clientele = tipi_core::default_software().developer.clientele();
    let report = run(&state, state.tipi().import_csv(&csv, clientele)).await?;
    let mut rejected: Vec<RejectedView> = report
        .rejected
        .iter()
        .map(|r| RejectedView {
            row: r.row,
            problems: vec![ProblemText {
                message: match r.column {
                    Some(column) => format!(
                        "{} « {column} ».",
                        lang.pick(
                            "Valeur illisible dans la colonne",
                            "Unreadable value in column"
                        )
                    ),
                    None => lang
                        .pick(
                            "La ligne n'a pas les 10 colonnes attendues.",
                            "The row does not have the 10 expected columns.",
                        )
                        .to_owned(),
                },
            }],
        })
        .collect();
    rejected.sort_by_key(|r| r.row);
    Ok(ImportView {
        imported: report.imported.len(),
        rejected,
    })
}
