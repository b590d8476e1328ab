//! The billing calendar from the local cache (offline), and its refresh from TIP-I.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tauri::State;
use tipi_core::Lang;

use super::run;
use crate::error::CommandResult;
use crate::state::AppState;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CycleView {
    number: u32,
    start: NaiveDate,
    end: NaiveDate,
    cutoff: NaiveDate,
    payment_date: NaiveDate,
    deposit_date: NaiveDate,
}

#[derive(Serialize)]
pub(crate) struct HolidayView {
    date: NaiveDate,
    name: &'static str,
}

/// An announced TIP-I maintenance window, `[start, end)`.
#[derive(Serialize)]
pub(crate) struct MaintenanceView {
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CalendarView {
    today: NaiveDate,
    refreshed_at: Option<chrono::DateTime<chrono::Utc>>,
    cycles: Vec<CycleView>,
    holidays: Vec<HolidayView>,
    maintenance: Vec<MaintenanceView>,
}

/// The cached cycles and maintenance windows not over yet, and this year's and next year's
/// holidays. Works offline.
#[tauri::command]
pub(crate) async fn calendar(state: State<'_, AppState>) -> CommandResult<CalendarView> {
    let overview = run(&state, state.tipi().calendar_overview(None)).await?;
    let today = state.tipi().today();
    let lang = state.lang();
    let holidays = [today.year(), today.year() + 1]
        .into_iter()
        .flat_map(tipi_domain::calendar::holidays)
        .filter(|h| h.date >= today)
        .map(|h| HolidayView {
            date: h.date,
            name: if lang == Lang::En {
                h.name_en
            } else {
                h.name_fr
            },
        })
        .collect();
    let maintenance = state
        .tipi()
        .upcoming_maintenance()
        .into_iter()
        .map(|w| MaintenanceView {
            start: w.start,
            end: w.end,
        })
        .collect();
    Ok(match overview {
        None => CalendarView {
            today,
            refreshed_at: None,
            cycles: Vec::new(),
            holidays,
            maintenance,
        },
        Some(o) => CalendarView {
            today,
            refreshed_at: Some(o.refreshed_at),
            cycles: o
                .cycles
                .iter()
                .map(|c| CycleView {
                    number: c.number,
                    start: c.start,
                    end: c.end,
                    cutoff: c.cutoff,
                    payment_date: c.payment_date,
                    deposit_date: c.deposit_date(),
                })
                .collect(),
            holidays,
            maintenance,
        },
    })
}

/// Refreshes the cache from TIP-I.
#[tauri::command]
pub(crate) async fn calendar_refresh(state: State<'_, AppState>) -> CommandResult<()> {
    run(&state, state.tipi().refresh_calendar()).await?;
    Ok(())
}
