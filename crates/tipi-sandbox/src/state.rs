//! What every handler shares.

use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqlitePool;
use tipi_domain::calendar::BusinessCalendar;
use tipi_domain::time::{MaintenanceWindow, ServiceWindow};
use tipi_protocol::admin::{Fault, FaultEndpoint};

use crate::clock::SandboxClock;

/// Shared state (cheap to clone).
#[derive(Clone)]
pub(crate) struct AppState(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub(crate) pool: SqlitePool,
    pub(crate) clock: SandboxClock,
    /// Serialises writers (SQLite has one writer; this keeps them from retrying).
    pub(crate) write: tokio::sync::Mutex<()>,
    pub(crate) faults: Mutex<Vec<Fault>>,
    pub(crate) maintenance: RwLock<Vec<MaintenanceWindow>>,
    pub(crate) calendar: BusinessCalendar,
    pub(crate) admin_token: String,
}

impl std::ops::Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl Inner {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn today(&self) -> NaiveDate {
        tipi_domain::time::local_date(self.now())
    }

    /// The service window now: business days 07:00-22:00 minus maintenance.
    pub(crate) fn window(&self) -> ServiceWindow {
        let maintenance = self
            .maintenance
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        ServiceWindow::new(self.calendar.clone()).with_maintenance(maintenance)
    }

    /// Takes the first fault armed for `endpoint`, counting it down.
    pub(crate) fn take_fault(&self, endpoint: FaultEndpoint) -> Option<Fault> {
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        let index = faults.iter().position(|f| f.endpoint == endpoint)?;
        let fault = faults[index].clone();
        match faults[index].count {
            Some(1) => {
                faults.remove(index);
            }
            Some(n) => faults[index].count = Some(n - 1),
            None => {}
        }
        Some(fault)
    }
}
