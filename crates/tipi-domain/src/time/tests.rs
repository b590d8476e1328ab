use super::*;
use crate::calendar;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn window() -> ServiceWindow {
    ServiceWindow::default()
}

#[test]
fn local_date_uses_toronto() {
    // 2026-03-10 03:30 UTC is still 9 March in Toronto (EDT, UTC-4).
    assert_eq!(local_date(utc(2026, 3, 10, 3, 30)), date(2026, 3, 9));
    assert_eq!(local_date(utc(2026, 3, 10, 4, 0)), date(2026, 3, 10));
    // In winter (EST, UTC-5).
    assert_eq!(local_date(utc(2026, 1, 10, 4, 59)), date(2026, 1, 9));
    assert_eq!(local_date(utc(2026, 1, 10, 5, 0)), date(2026, 1, 10));
}

#[test]
fn at_local_resolves_dst_explicitly() {
    assert_eq!(
        at_local(date(2026, 1, 12), hm(7, 0)),
        utc(2026, 1, 12, 12, 0)
    );
    assert_eq!(
        at_local(date(2026, 7, 13), hm(7, 0)),
        utc(2026, 7, 13, 11, 0)
    );
    // Skipped hour on 2026-03-08: 02:30 does not exist; first instant after the gap is
    // 03:00 EDT = 07:00 UTC.
    assert_eq!(at_local(date(2026, 3, 8), hm(2, 30)), utc(2026, 3, 8, 7, 0));
    assert_eq!(at_local(date(2026, 3, 8), hm(2, 0)), utc(2026, 3, 8, 7, 0));
    assert_eq!(
        at_local(date(2026, 3, 8), hm(1, 59)),
        utc(2026, 3, 8, 6, 59)
    );
    assert_eq!(at_local(date(2026, 3, 8), hm(3, 0)), utc(2026, 3, 8, 7, 0));
    // Repeated hour on 2026-11-01: 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST);
    // the first one is used.
    assert_eq!(
        at_local(date(2026, 11, 1), hm(1, 30)),
        utc(2026, 11, 1, 5, 30)
    );
    assert_eq!(
        at_local(date(2026, 11, 1), hm(2, 0)),
        utc(2026, 11, 1, 7, 0)
    );
}

#[test]
fn service_hours_on_a_weekday() {
    let w = window();
    // Tuesday 2026-01-13, EST.
    assert!(!w.is_open(utc(2026, 1, 13, 11, 59))); // 06:59
    assert!(w.is_open(utc(2026, 1, 13, 12, 0))); // 07:00
    assert!(w.is_open(utc(2026, 1, 14, 2, 59))); // 21:59
    assert!(!w.is_open(utc(2026, 1, 14, 3, 0))); // 22:00
    assert_eq!(
        w.next_opening(utc(2026, 1, 13, 15, 0)),
        utc(2026, 1, 13, 15, 0)
    );
    assert_eq!(
        w.next_opening(utc(2026, 1, 13, 9, 0)),
        utc(2026, 1, 13, 12, 0)
    );
    assert_eq!(
        w.next_opening(utc(2026, 1, 14, 3, 0)),
        utc(2026, 1, 14, 12, 0)
    );
    assert_eq!(
        w.closes_at(utc(2026, 1, 13, 15, 0)),
        Some(utc(2026, 1, 14, 3, 0))
    );
    assert_eq!(w.closes_at(utc(2026, 1, 13, 9, 0)), None);
}

#[test]
fn dst_start_2026_03_08() {
    let w = window();
    // Friday 6 March, EST: 07:00 = 12:00 UTC.
    assert!(!w.is_open(utc(2026, 3, 6, 11, 59)));
    assert!(w.is_open(utc(2026, 3, 6, 12, 0)));
    // Friday 22:00 EST = Saturday 03:00 UTC: closed until Monday 9 March 07:00 EDT = 11:00 UTC.
    assert!(!w.is_open(utc(2026, 3, 7, 3, 0)));
    assert_eq!(
        w.next_opening(utc(2026, 3, 7, 3, 0)),
        utc(2026, 3, 9, 11, 0)
    );
    // During the skipped hour itself.
    assert_eq!(
        w.next_opening(utc(2026, 3, 8, 7, 0)),
        utc(2026, 3, 9, 11, 0)
    );
    // Monday: 06:59 EDT closed, 07:00 EDT open; an hour later than the EST reading.
    assert!(!w.is_open(utc(2026, 3, 9, 10, 59)));
    assert!(w.is_open(utc(2026, 3, 9, 11, 0)));
    // Monday 22:00 EDT = Tuesday 02:00 UTC.
    assert!(w.is_open(utc(2026, 3, 10, 1, 59)));
    assert!(!w.is_open(utc(2026, 3, 10, 2, 0)));
    assert_eq!(
        w.closes_at(utc(2026, 3, 9, 20, 0)),
        Some(utc(2026, 3, 10, 2, 0))
    );
    // Returns of a batch sent Friday 21:00 EST: Monday 08:00 EDT.
    assert_eq!(
        returns_available_at(utc(2026, 3, 7, 2, 0), &BusinessCalendar::quebec()),
        utc(2026, 3, 9, 12, 0)
    );
}

#[test]
fn dst_end_2026_11_01() {
    let w = window();
    // Friday 30 October, EDT: 22:00 = Saturday 02:00 UTC.
    assert!(w.is_open(utc(2026, 10, 31, 1, 59)));
    assert!(!w.is_open(utc(2026, 10, 31, 2, 0)));
    // Next opening: Monday 2 November 07:00 EST = 12:00 UTC.
    assert_eq!(
        w.next_opening(utc(2026, 10, 31, 2, 0)),
        utc(2026, 11, 2, 12, 0)
    );
    // During both occurrences of the repeated hour.
    assert_eq!(
        w.next_opening(utc(2026, 11, 1, 5, 30)),
        utc(2026, 11, 2, 12, 0)
    );
    assert_eq!(
        w.next_opening(utc(2026, 11, 1, 6, 30)),
        utc(2026, 11, 2, 12, 0)
    );
    assert!(!w.is_open(utc(2026, 11, 2, 11, 59)));
    assert!(w.is_open(utc(2026, 11, 2, 12, 0)));
    let cal = BusinessCalendar::quebec();
    // Sent Friday 21:00 EDT: Monday 08:00 EST = 13:00 UTC.
    assert_eq!(
        returns_available_at(utc(2026, 10, 31, 1, 0), &cal),
        utc(2026, 11, 2, 13, 0)
    );
    // Sent Friday 22:30 EDT: Tuesday 08:00 EST.
    assert_eq!(
        returns_available_at(utc(2026, 10, 31, 2, 30), &cal),
        utc(2026, 11, 3, 13, 0)
    );
}

#[test]
fn holidays_close_the_service() {
    let w = window();
    // Good Friday 2026-04-03 at 10:00 EDT.
    assert!(!w.is_open(utc(2026, 4, 3, 14, 0)));
    // Thursday 2 April 22:30 EDT -> Tuesday 7 April 07:00 EDT.
    assert_eq!(
        w.next_opening(utc(2026, 4, 3, 2, 30)),
        utc(2026, 4, 7, 11, 0)
    );
    let storm = ServiceWindow::new(BusinessCalendar::quebec().with_closures([date(2026, 4, 7)]));
    assert_eq!(
        storm.next_opening(utc(2026, 4, 3, 2, 30)),
        utc(2026, 4, 8, 11, 0)
    );
}

#[test]
fn maintenance_windows() {
    // Tuesday 2026-03-10 12:00-14:00 EDT = 16:00-18:00 UTC, and an overlapping one to 19:00 UTC.
    let first = MaintenanceWindow::new(utc(2026, 3, 10, 16, 0), utc(2026, 3, 10, 18, 0)).unwrap();
    let overlap =
        MaintenanceWindow::new(utc(2026, 3, 10, 17, 30), utc(2026, 3, 10, 19, 0)).unwrap();
    assert!(MaintenanceWindow::new(utc(2026, 3, 10, 18, 0), utc(2026, 3, 10, 18, 0)).is_none());
    let w = window().with_maintenance([first]);
    assert!(w.is_open(utc(2026, 3, 10, 15, 59)));
    assert!(!w.is_open(utc(2026, 3, 10, 16, 0)));
    assert!(!w.is_open(utc(2026, 3, 10, 17, 59)));
    assert!(w.is_open(utc(2026, 3, 10, 18, 0)));
    assert_eq!(
        w.next_opening(utc(2026, 3, 10, 16, 30)),
        utc(2026, 3, 10, 18, 0)
    );
    assert_eq!(
        w.closes_at(utc(2026, 3, 10, 15, 0)),
        Some(utc(2026, 3, 10, 16, 0))
    );
    let chained = window().with_maintenance([overlap, first]);
    assert_eq!(
        chained.next_opening(utc(2026, 3, 10, 16, 30)),
        utc(2026, 3, 10, 19, 0)
    );
    // A window running past 22:00 EDT (to 23:00 EDT = 03:00 UTC) pushes to the next morning.
    let late = MaintenanceWindow::new(utc(2026, 3, 11, 1, 0), utc(2026, 3, 11, 3, 0)).unwrap();
    let w = window().with_maintenance([late]);
    assert_eq!(
        w.next_opening(utc(2026, 3, 11, 1, 30)),
        utc(2026, 3, 11, 11, 0)
    );
    // A window covering the morning opening delays it.
    let morning =
        MaintenanceWindow::new(utc(2026, 3, 11, 10, 0), utc(2026, 3, 11, 12, 15)).unwrap();
    let w = window().with_maintenance([morning]);
    assert_eq!(
        w.next_opening(utc(2026, 3, 11, 3, 0)),
        utc(2026, 3, 11, 12, 15)
    );
}

#[test]
fn returns_rule_around_22h() {
    let cal = BusinessCalendar::quebec();
    // Thursday 2026-04-02 (before Easter). 21:59 EDT -> Tuesday 7 April 08:00 EDT.
    assert_eq!(
        returns_available_at(utc(2026, 4, 3, 1, 59), &cal),
        utc(2026, 4, 7, 12, 0)
    );
    // 22:00 EDT -> the business day after Tuesday: Wednesday 8 April.
    assert_eq!(
        returns_available_at(utc(2026, 4, 3, 2, 0), &cal),
        utc(2026, 4, 8, 12, 0)
    );
    // An ordinary Tuesday morning: Wednesday 08:00.
    assert_eq!(
        returns_available_at(utc(2026, 1, 13, 14, 0), &cal),
        utc(2026, 1, 14, 13, 0)
    );
    // Sent on a Saturday: Monday 08:00.
    assert_eq!(
        returns_available_at(utc(2026, 1, 17, 15, 0), &cal),
        utc(2026, 1, 19, 13, 0)
    );
}

#[test]
fn production_dates() {
    let cal = BusinessCalendar::quebec();
    // Valid batch sent Thursday 2026-04-02 at 20:00 EDT: en production Tuesday 7 April,
    // "en production depuis 2026-04-02".
    let sent = utc(2026, 4, 3, 0, 0);
    assert_eq!(production_start(sent, &cal), date(2026, 4, 7));
    assert_eq!(production_since(sent), date(2026, 4, 2));
    assert_eq!(
        production_start(utc(2026, 1, 13, 15, 0), &cal),
        date(2026, 1, 14)
    );
}

#[test]
fn day_count_rules() {
    assert_eq!(late_limit(date(2026, 1, 1)), date(2026, 4, 1));
    assert!(!is_late(date(2026, 1, 1), date(2026, 4, 1)));
    assert!(is_late(date(2026, 1, 1), date(2026, 4, 2)));
    assert_eq!(statement_resend_due(date(2026, 1, 1)), date(2026, 2, 15));
    assert!(!is_statement_resend_due(
        date(2026, 1, 1),
        date(2026, 2, 14)
    ));
    assert!(is_statement_resend_due(date(2026, 1, 1), date(2026, 2, 15)));
    // Across a leap day.
    assert_eq!(late_limit(date(2028, 1, 15)), date(2028, 4, 14));
}

fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    // 2025-01-01 .. 2029-01-01, minute resolution.
    (0i64..(4 * 366 * 24 * 60)).prop_map(|m| utc(2025, 1, 1, 0, 0) + TimeDelta::minutes(m))
}

proptest! {
    #[test]
    fn next_opening_is_open_and_is_the_first(t in any_instant(), maint in prop::collection::vec((0i64..600, 1i64..300), 0..3)) {
        let windows = maint
            .iter()
            .filter_map(|(start, len)| {
                let s = t + TimeDelta::minutes(*start);
                MaintenanceWindow::new(s, s + TimeDelta::minutes(*len))
            });
        let w = window().with_maintenance(windows);
        let opening = w.next_opening(t);
        prop_assert!(opening >= t);
        prop_assert!(w.is_open(opening));
        if opening > t {
            prop_assert!(!w.is_open(opening - TimeDelta::seconds(1)));
            prop_assert!(!w.is_open(t));
            // Sample the closed stretch minute by minute when it is short enough.
            let minutes = (opening - t).num_minutes();
            if minutes < 6 * 24 * 60 {
                for m in 0..minutes {
                    prop_assert!(!w.is_open(t + TimeDelta::minutes(m)));
                }
            }
        }
    }

    #[test]
    fn open_means_business_day_between_7_and_22(t in any_instant()) {
        let local = local_datetime(t);
        let expected = calendar::is_business_day(local.date_naive())
            && local.time() >= OPENING_TIME
            && local.time() < CLOSING_TIME;
        prop_assert_eq!(window().is_open(t), expected);
    }

    #[test]
    fn returns_are_at_8_on_a_business_day_after_sending(t in any_instant()) {
        let cal = BusinessCalendar::quebec();
        let at = returns_available_at(t, &cal);
        let local = local_datetime(at);
        prop_assert_eq!(local.time(), RETURNS_TIME);
        prop_assert!(cal.is_business_day(local.date_naive()));
        prop_assert!(local.date_naive() > local_date(t));
    }
}
