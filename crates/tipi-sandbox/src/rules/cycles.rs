//! The billing calendar the sandbox publishes (RAMQ publishes its own; clients treat it as
//! data). Model: two-week receipt periods from Monday to the second Sunday, counted from
//! Monday 2024-01-01; the cut-off for receipt is the period's second Friday and the payment
//! date the Friday twelve days after the period ends, each moved back to the previous
//! business day when it is not one. Cycle numbers are `YYYYNN`: the year of the first day,
//! then the rank of the cycle among those starting that year.

use chrono::{Datelike, Days, NaiveDate};
use tipi_domain::billing::{BillingCalendar, Cycle};
use tipi_domain::calendar::BusinessCalendar;

const PERIOD_DAYS: u64 = 14;
/// Cut-off: the second Friday (end - 2 days).
const CUTOFF_BEFORE_END: u64 = 2;
/// Payment: end + 12 days (a Friday).
const PAYMENT_AFTER_END: u64 = 12;

fn anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN)
}

fn business_on_or_before(date: NaiveDate, calendar: &BusinessCalendar) -> NaiveDate {
    if calendar.is_business_day(date) {
        date
    } else {
        calendar.previous_business_day(date)
    }
}

/// The cycles whose first day is in `first_year..=last_year`.
pub(crate) fn cycles(first_year: i32, last_year: i32, calendar: &BusinessCalendar) -> Vec<Cycle> {
    let mut out = Vec::new();
    let mut start = anchor();
    let mut rank = 0u32;
    let mut rank_year = start.year();
    while start.year() <= last_year {
        if start.year() != rank_year {
            rank_year = start.year();
            rank = 0;
        }
        rank += 1;
        let end = start + Days::new(PERIOD_DAYS - 1);
        if start.year() >= first_year {
            let year = u32::try_from(start.year()).unwrap_or(0);
            out.push(Cycle {
                number: year * 100 + rank,
                start,
                end,
                cutoff: business_on_or_before(end - Days::new(CUTOFF_BEFORE_END), calendar),
                payment_date: business_on_or_before(end + Days::new(PAYMENT_AFTER_END), calendar),
            });
        }
        start = start + Days::new(PERIOD_DAYS);
    }
    out
}

/// The calendar covering `first_year..=last_year`.
pub(crate) fn calendar(
    first_year: i32,
    last_year: i32,
    business: &BusinessCalendar,
) -> BillingCalendar {
    // The generated cycles are ordered and disjoint by construction.
    BillingCalendar::new(cycles(first_year, last_year, business)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn cycles_are_two_weeks_contiguous_and_numbered_per_year() {
        let list = cycles(2026, 2027, &BusinessCalendar::quebec());
        assert!(list.len() >= 52);
        for pair in list.windows(2) {
            assert_eq!(pair[0].end + Days::new(1), pair[1].start);
        }
        assert_eq!(list[0].number % 100, 1);
        assert_eq!(list[0].start.year(), 2026);
        assert!(list.iter().all(|c| c.start.weekday() == Weekday::Mon));
        assert!(list
            .iter()
            .all(|c| c.cutoff <= c.end && c.cutoff >= c.start));
        assert!(list.iter().all(|c| c.payment_date > c.end));
    }

    #[test]
    fn cut_off_and_payment_move_back_around_holidays() {
        let business = BusinessCalendar::quebec();
        let list = cycles(2026, 2026, &business);
        for cycle in &list {
            assert!(business.is_business_day(cycle.cutoff), "{cycle:?}");
            assert!(business.is_business_day(cycle.payment_date), "{cycle:?}");
        }
        // Good Friday 2026-04-03 is a second Friday: the cut-off moves to Thursday.
        let easter = list.iter().find(|c| c.contains(day(2026, 4, 3))).unwrap();
        assert_eq!(easter.end - Days::new(2), day(2026, 4, 3));
        assert_eq!(easter.cutoff, day(2026, 4, 2));
    }
}
