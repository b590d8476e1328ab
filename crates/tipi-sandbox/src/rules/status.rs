//! Test period and going live, from the instant of the agency's first valid batch.

use chrono::{DateTime, NaiveDate, Utc};
use tipi_domain::calendar::BusinessCalendar;
use tipi_domain::time;
use tipi_protocol::service::AgencyStatus;

/// The agency's status at `now` and its "en production depuis" date once in production.
pub(crate) fn status(
    first_valid_batch_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> (AgencyStatus, Option<NaiveDate>) {
    match first_valid_batch_at {
        Some(sent) if time::local_date(now) >= time::production_start(sent, calendar) => {
            (AgencyStatus::Production, Some(time::production_since(sent)))
        }
        _ => (AgencyStatus::Test, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn an_agency_goes_live_the_next_business_day() {
        let calendar = BusinessCalendar::quebec();
        // Friday 2026-03-13, 10:00 in Montréal.
        let sent = Some(at("2026-03-13T14:00:00Z"));
        assert_eq!(
            status(None, at("2026-03-20T14:00:00Z"), &calendar).0,
            AgencyStatus::Test
        );
        assert_eq!(
            status(sent, at("2026-03-14T14:00:00Z"), &calendar).0,
            AgencyStatus::Test
        );
        let (monday, since) = status(sent, at("2026-03-16T11:00:00Z"), &calendar);
        assert_eq!(monday, AgencyStatus::Production);
        assert_eq!(since, NaiveDate::from_ymd_opt(2026, 3, 13));
    }
}
