//! App info and the home screen.

use serde::Serialize;
use tauri::State;
use tipi_core::home::Overview;
use tipi_core::{Environment, Lang};
use tipi_protocol::service::AgencyStatus;

use super::run;
use crate::error::CommandResult;
use crate::state::AppState;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppInfo {
    name: &'static str,
    version: &'static str,
    environment: Environment,
    enrolled: bool,
    language: &'static str,
}

pub(crate) fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        _ => "fr",
    }
}

/// Name, version, environment, whether an agency is set up, and the saved language.
#[tauri::command]
pub(crate) async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    let profile = run(&state, state.tipi().profile()).await?;
    Ok(AppInfo {
        name: "Tipi",
        version: env!("CARGO_PKG_VERSION"),
        environment: state.tipi().environment(),
        enrolled: profile.is_some(),
        language: lang_code(state.lang()),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OverviewView {
    tipi_id: String,
    agency: AgencyView,
    password: PasswordView,
    next_cutoff: Option<CutoffView>,
    counts: serde_json::Map<String, serde_json::Value>,
    next_action: NextActionView,
    chart: Vec<CycleView>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AgencyView {
    pub(crate) status: &'static str,
    pub(crate) since: Option<chrono::NaiveDate>,
}

pub(crate) fn status_name(status: AgencyStatus) -> &'static str {
    match status {
        AgencyStatus::Production => "production",
        _ => "test",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PasswordView {
    expires_on: Option<chrono::NaiveDate>,
    days_left: Option<i64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CutoffView {
    cutoff: chrono::NaiveDate,
    payment_date: chrono::NaiveDate,
    deposit_date: chrono::NaiveDate,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NextActionView {
    code: &'static str,
    count: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CycleView {
    cycle: u32,
    sent: String,
    receivable: String,
    paid: String,
}

/// Everything the home screen shows, from the local state (works offline).
#[tauri::command]
pub(crate) async fn overview(state: State<'_, AppState>) -> CommandResult<OverviewView> {
    let overview: Overview = run(&state, state.tipi().overview()).await?;
    let profile = run(&state, state.tipi().profile()).await?;
    let counts = overview
        .counts
        .iter()
        .map(|(s, n)| (s.as_str().to_owned(), serde_json::Value::from(*n)))
        .collect();
    Ok(OverviewView {
        tipi_id: profile.map(|p| p.tipi_id.to_string()).unwrap_or_default(),
        agency: AgencyView {
            status: status_name(overview.status),
            since: overview.production_since,
        },
        password: PasswordView {
            expires_on: overview.password_expires_on,
            days_left: overview.password_days_left,
        },
        next_cutoff: overview
            .next_cutoff
            .map(|(cutoff, payment_date, deposit_date)| CutoffView {
                cutoff,
                payment_date,
                deposit_date,
            }),
        counts,
        next_action: NextActionView {
            code: overview.next_action.code(),
            count: overview.next_action.count(),
        },
        chart: overview
            .cycles
            .iter()
            .map(|c| CycleView {
                cycle: c.cycle,
                sent: c.sent.round_dp(2).to_string(),
                receivable: c.receivable.round_dp(2).to_string(),
                paid: c.paid.round_dp(2).to_string(),
            })
            .collect(),
    })
}
