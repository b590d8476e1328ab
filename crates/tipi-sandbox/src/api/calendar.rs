//! The billing calendar as data: the cycles of the current and next year and the announced
//! maintenance windows not over yet (no auth, served at any hour so a client can refresh its
//! cache and predict when TIP-I is closed).

use axum::extract::State;
use axum::Json;
use chrono::Datelike;
use tipi_domain::time::RAMQ_TZ;
use tipi_protocol::service::{AnnouncedMaintenance, BillingCalendar, CalendarCycle};

use crate::rules::cycles;
use crate::state::AppState;

pub(super) async fn show(State(state): State<AppState>) -> Json<BillingCalendar> {
    let now = state.now();
    let year = state.today().year();
    let cycles = cycles::cycles(year, year + 1, &state.calendar)
        .into_iter()
        .map(|c| CalendarCycle {
            number: c.number,
            start: c.start,
            end: c.end,
            cutoff: c.cutoff,
            payment_date: c.payment_date,
        })
        .collect();
    let mut maintenance: Vec<AnnouncedMaintenance> = state
        .maintenance
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|w| w.end > now)
        .map(|w| AnnouncedMaintenance {
            start: w.start.with_timezone(&RAMQ_TZ).fixed_offset(),
            end: w.end.with_timezone(&RAMQ_TZ).fixed_offset(),
        })
        .collect();
    maintenance.sort_by_key(|w| w.start);
    Json(BillingCalendar {
        years: vec![year, year + 1],
        cycles,
        maintenance,
    })
}
