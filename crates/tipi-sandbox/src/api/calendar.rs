//! The billing calendar as data: the cycles of the current and next year (no auth, served at
//! any hour so a client can refresh its cache).

use axum::extract::State;
use axum::Json;
use chrono::Datelike;
use tipi_protocol::service::{BillingCalendar, CalendarCycle};

use crate::rules::cycles;
use crate::state::AppState;

pub(super) async fn show(State(state): State<AppState>) -> Json<BillingCalendar> {
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
    Json(BillingCalendar {
        years: vec![year, year + 1],
        cycles,
    })
}
