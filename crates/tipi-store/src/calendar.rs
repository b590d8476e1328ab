//! The billing-calendar cache: the cycles and the announced maintenance windows last fetched
//! from TIP-I and when, so Tipi works offline from it.

use chrono::{DateTime, NaiveDate, Utc};
use tipi_domain::billing::{BillingCalendar, Cycle};
use tipi_domain::time::MaintenanceWindow;

use crate::error::Result;
use crate::store::Store;

const REFRESHED_AT: &str = "calendar_refreshed_at";

#[derive(sqlx::FromRow)]
struct CycleRow {
    number: u32,
    start_date: NaiveDate,
    end_date: NaiveDate,
    cutoff: NaiveDate,
    payment_date: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct MaintenanceRow {
    start_at: DateTime<Utc>,
    end_at: DateTime<Utc>,
}

/// The cached calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedCalendar {
    /// The cycles, sorted by start date.
    pub calendar: BillingCalendar,
    /// The announced maintenance windows, by start (some may have ended since the refresh).
    pub maintenance: Vec<MaintenanceWindow>,
    /// When the cache was last refreshed from TIP-I.
    pub refreshed_at: DateTime<Utc>,
}

impl Store {
    /// Replaces the whole cache with `cycles` and `maintenance`, in one transaction.
    pub async fn replace_calendar(
        &self,
        cycles: &[Cycle],
        maintenance: &[MaintenanceWindow],
        at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM calendar_cycles")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM calendar_maintenance")
            .execute(&mut *tx)
            .await?;
        for window in maintenance {
            sqlx::query(
                "INSERT OR IGNORE INTO calendar_maintenance (start_at, end_at) VALUES (?, ?)",
            )
            .bind(window.start)
            .bind(window.end)
            .execute(&mut *tx)
            .await?;
        }
        for cycle in cycles {
            sqlx::query(
                "INSERT INTO calendar_cycles (start_date, number, end_date, cutoff, payment_date) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(cycle.start)
            .bind(cycle.number)
            .bind(cycle.end)
            .bind(cycle.cutoff)
            .bind(cycle.payment_date)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO store_meta (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(REFRESHED_AT)
        .bind(at.to_rfc3339())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The cached calendar, or None if it was never fetched.
    pub async fn calendar(&self) -> Result<Option<CachedCalendar>> {
        let refreshed: Option<String> =
            sqlx::query_scalar("SELECT value FROM store_meta WHERE key = ?")
                .bind(REFRESHED_AT)
                .fetch_optional(self.pool())
                .await?;
        let Some(refreshed) = refreshed else {
            return Ok(None);
        };
        let refreshed_at = DateTime::parse_from_rfc3339(&refreshed)
            .map_err(|_| crate::StoreError::Corrupt {
                column: "store_meta.calendar_refreshed_at",
            })?
            .with_timezone(&Utc);
        let rows: Vec<CycleRow> = sqlx::query_as(
            "SELECT number, start_date, end_date, cutoff, payment_date \
             FROM calendar_cycles ORDER BY start_date",
        )
        .fetch_all(self.pool())
        .await?;
        let cycles = rows
            .into_iter()
            .map(|r| Cycle {
                number: r.number,
                start: r.start_date,
                end: r.end_date,
                cutoff: r.cutoff,
                payment_date: r.payment_date,
            })
            .collect();
        Ok(Some(CachedCalendar {
            calendar: BillingCalendar { cycles },
            maintenance: self.maintenance_windows().await?,
            refreshed_at,
        }))
    }

    /// The cached maintenance windows, by start (empty if the calendar was never fetched).
    pub async fn maintenance_windows(&self) -> Result<Vec<MaintenanceWindow>> {
        let rows: Vec<MaintenanceRow> = sqlx::query_as(
            "SELECT start_at, end_at FROM calendar_maintenance ORDER BY start_at, end_at",
        )
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                MaintenanceWindow::new(r.start_at, r.end_at).ok_or(crate::StoreError::Corrupt {
                    column: "calendar_maintenance.end_at",
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, TempStore};

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    fn cycle(number: u32, start: NaiveDate) -> Cycle {
        Cycle {
            number,
            start,
            end: start + chrono::Days::new(13),
            cutoff: start + chrono::Days::new(11),
            payment_date: start + chrono::Days::new(25),
        }
    }

    #[tokio::test]
    async fn calendar_is_replaced_whole_and_survives_reopen() {
        let mut tmp = TempStore::new().await;
        assert_eq!(tmp.store.calendar().await.unwrap(), None);
        let first = vec![cycle(5, date(3, 2)), cycle(4, date(2, 16))];
        let window = |from: u32, to: u32| MaintenanceWindow::new(at(from, 23), at(to, 3)).unwrap();
        let announced = [window(12, 13), window(5, 6)];
        tmp.store
            .replace_calendar(&first, &announced, at(3, 9))
            .await
            .unwrap();
        assert_eq!(
            tmp.store.maintenance_windows().await.unwrap(),
            [window(5, 6), window(12, 13)]
        );
        let second = vec![cycle(6, date(3, 16)), cycle(5, date(3, 2))];
        tmp.store
            .replace_calendar(&second, &[window(20, 21)], at(4, 9))
            .await
            .unwrap();

        tmp.reopen().await;
        let cached = tmp.store.calendar().await.unwrap().unwrap();
        assert_eq!(cached.refreshed_at, at(4, 9));
        assert_eq!(
            cached.calendar.cycles,
            vec![cycle(5, date(3, 2)), cycle(6, date(3, 16))]
        );
        // The windows were replaced with the cycles, not added to.
        assert_eq!(cached.maintenance, [window(20, 21)]);
    }

    #[tokio::test]
    async fn no_maintenance_is_known_before_the_first_refresh() {
        let tmp = TempStore::new().await;
        assert!(tmp.store.maintenance_windows().await.unwrap().is_empty());
    }
}
