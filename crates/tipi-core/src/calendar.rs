//! The billing calendar: refreshed from TIP-I into the local cache; every question is answered
//! from the cache, so it works offline. The announced maintenance windows come with it: they
//! are cached in the same transaction and kept in memory for [`Tipi::service_window`].

use chrono::{DateTime, NaiveDate, Utc};
use tipi_domain::billing::{BillingCalendar, Cycle};
use tipi_domain::time::MaintenanceWindow;

use crate::engine::Tipi;
use crate::error::{CoreError, CoreResult};

/// What the calendar says about a day, from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarOverview {
    /// The day asked about (Québec).
    pub today: NaiveDate,
    /// When the cache was last refreshed from TIP-I.
    pub refreshed_at: DateTime<Utc>,
    /// The cycle whose period contains today.
    pub current: Option<Cycle>,
    /// The cycle a claim received today is paid in.
    pub paying_today: Option<Cycle>,
    /// The next cut-off date for receipt (today included).
    pub next_cutoff: Option<NaiveDate>,
    /// When the deposit of that cycle lands.
    pub deposit_date: Option<NaiveDate>,
    /// Whether a cycle changes between today and tomorrow.
    pub cycle_changes_tomorrow: bool,
    /// Every cached cycle.
    pub cycles: Vec<Cycle>,
    /// The announced maintenance windows not over yet, by start.
    pub maintenance: Vec<MaintenanceWindow>,
}

impl Tipi {
    /// Fetches the calendar from TIP-I (no authentication) and replaces the cache.
    pub async fn refresh_calendar(&self) -> CoreResult<usize> {
        let remote = self.transport.calendar().await?;
        let cycles: Vec<Cycle> = remote
            .cycles
            .into_iter()
            .map(|c| Cycle {
                number: c.number,
                start: c.start,
                end: c.end,
                cutoff: c.cutoff,
                payment_date: c.payment_date,
            })
            .collect();
        let calendar = BillingCalendar::new(cycles).map_err(|error| {
            tracing::warn!(%error, "TIP-I sent an inconsistent calendar; cache kept");
            CoreError::Remote(tipi_client::ClientError::Protocol {
                status: 200,
                what: "inconsistent billing calendar",
            })
        })?;
        let maintenance: Vec<MaintenanceWindow> = remote
            .maintenance
            .iter()
            .filter_map(|w| {
                let window = MaintenanceWindow::new(w.start.to_utc(), w.end.to_utc());
                if window.is_none() {
                    tracing::warn!("TIP-I announced a maintenance window ending before it starts");
                }
                window
            })
            .collect();
        self.store
            .replace_calendar(&calendar.cycles, &maintenance, self.now())
            .await?;
        self.set_known_maintenance(maintenance);
        Ok(calendar.cycles.len())
    }

    /// Loads the cached maintenance windows into the service window (at open).
    pub async fn load_cached_maintenance(&self) -> CoreResult<()> {
        let cached = self.store.maintenance_windows().await?;
        self.set_known_maintenance(cached);
        Ok(())
    }

    fn set_known_maintenance(&self, windows: Vec<MaintenanceWindow>) {
        *self.maintenance.write().unwrap_or_else(|e| e.into_inner()) = windows;
    }

    /// The announced maintenance windows not over at `now`, by start (from the cache).
    pub fn upcoming_maintenance(&self) -> Vec<MaintenanceWindow> {
        let now = self.now();
        self.maintenance
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|w| w.end > now)
            .copied()
            .collect()
    }

    /// The cached calendar (None if never fetched).
    pub async fn cached_calendar(&self) -> CoreResult<Option<BillingCalendar>> {
        Ok(self.store.calendar().await?.map(|c| c.calendar))
    }

    /// What the cached calendar says about `day` (today by default). Offline.
    pub async fn calendar_overview(
        &self,
        day: Option<NaiveDate>,
    ) -> CoreResult<Option<CalendarOverview>> {
        let Some(cached) = self.store.calendar().await? else {
            return Ok(None);
        };
        let today = day.unwrap_or_else(|| self.today());
        let calendar = &cached.calendar;
        let paying_today = calendar.cycle_for_receipt(today).cloned();
        Ok(Some(CalendarOverview {
            today,
            refreshed_at: cached.refreshed_at,
            current: calendar.cycle_containing(today).cloned(),
            next_cutoff: calendar.next_cutoff(today),
            deposit_date: paying_today.as_ref().map(Cycle::deposit_date),
            paying_today,
            cycle_changes_tomorrow: calendar.cycle_changes_tomorrow(today),
            cycles: calendar.cycles.clone(),
            maintenance: self.upcoming_maintenance(),
        }))
    }
}
