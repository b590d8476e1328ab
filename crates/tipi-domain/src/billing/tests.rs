use super::*;
use chrono::TimeZone;
use rust_decimal_macros::dec;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Three two-week cycles (test data shaped like RAMQ's, not RAMQ's real dates):
/// periods Monday to Sunday, cut-off on the Thursday, payment two Fridays later.
fn calendar() -> BillingCalendar {
    BillingCalendar::new(vec![
        Cycle {
            number: 2,
            start: date(2026, 1, 19),
            end: date(2026, 2, 1),
            cutoff: date(2026, 1, 29),
            payment_date: date(2026, 2, 13),
        },
        Cycle {
            number: 1,
            start: date(2026, 1, 5),
            end: date(2026, 1, 18),
            cutoff: date(2026, 1, 15),
            payment_date: date(2026, 1, 30),
        },
        Cycle {
            number: 3,
            start: date(2026, 2, 2),
            end: date(2026, 2, 15),
            cutoff: date(2026, 2, 12),
            payment_date: date(2026, 2, 27),
        },
    ])
    .unwrap()
}

#[test]
fn new_sorts_and_checks() {
    let cal = calendar();
    assert_eq!(
        cal.cycles.iter().map(|c| c.number).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let mut overlapping = cal.cycles.clone();
    overlapping[1].start = date(2026, 1, 18);
    assert_eq!(
        BillingCalendar::new(overlapping),
        Err(BillingCalendarError::Overlap(1, 2))
    );
    let mut reversed = cal.cycles.clone();
    reversed[0].payment_date = date(2026, 1, 1);
    assert_eq!(
        BillingCalendar::new(reversed),
        Err(BillingCalendarError::DatesOutOfOrder(1))
    );
}

#[test]
fn deposit_is_two_weekdays_after_payment() {
    assert_eq!(deposit_date(date(2026, 1, 30)), date(2026, 2, 3)); // Fri -> Tue
    assert_eq!(deposit_date(date(2026, 1, 29)), date(2026, 2, 2)); // Thu -> Mon
    assert_eq!(deposit_date(date(2026, 1, 26)), date(2026, 1, 28)); // Mon -> Wed
    assert_eq!(deposit_date(date(2026, 1, 31)), date(2026, 2, 3)); // Sat -> Tue
    assert_eq!(calendar().cycles[0].deposit_date(), date(2026, 2, 3));
}

#[test]
fn min_payment() {
    assert_eq!(MIN_PAYMENT, dec!(20.00));
    assert!(is_carried_forward(dec!(19.99)));
    assert!(!is_carried_forward(dec!(20)));
}

#[test]
fn cycle_queries() {
    let cal = calendar();
    assert_eq!(cal.cycle_containing(date(2026, 1, 5)).unwrap().number, 1);
    assert_eq!(cal.cycle_containing(date(2026, 1, 18)).unwrap().number, 1);
    assert_eq!(cal.cycle_containing(date(2026, 1, 19)).unwrap().number, 2);
    assert!(cal.cycle_containing(date(2026, 1, 4)).is_none());
    assert!(cal.cycle_containing(date(2026, 2, 16)).is_none());

    assert_eq!(cal.next_cutoff(date(2026, 1, 15)), Some(date(2026, 1, 15)));
    assert_eq!(cal.next_cutoff(date(2026, 1, 16)), Some(date(2026, 1, 29)));
    assert_eq!(cal.next_cutoff(date(2026, 2, 13)), None);
    assert_eq!(cal.cycle_for_receipt(date(2026, 1, 16)).unwrap().number, 2);

    assert!(cal.cycle_changes_tomorrow(date(2026, 1, 18)));
    assert!(!cal.cycle_changes_tomorrow(date(2026, 1, 17)));
    assert!(!cal.cycle_changes_tomorrow(date(2026, 1, 19)));
    assert!(
        cal.cycle_changes_tomorrow(date(2026, 2, 15)),
        "last cycle ends"
    );
    assert!(
        cal.cycle_changes_tomorrow(date(2026, 1, 4)),
        "first cycle starts"
    );
}

#[test]
fn seed_000_cycle_change_warning() {
    let cal = calendar();
    // Cycle 2 starts Monday 19 January: going live that day pushes payment.
    assert!(cal.going_live_pushes_payment(date(2026, 1, 19)));
    assert!(!cal.going_live_pushes_payment(date(2026, 1, 16)));
    assert!(!cal.going_live_pushes_payment(date(2026, 1, 20)));
    // Cycle 3 starts Monday 2 February.
    assert!(cal.going_live_pushes_payment(date(2026, 2, 2)));

    // From the send instant: first valid batch Friday 16 January 15:00 EST -> live Monday 19.
    let friday = Utc.with_ymd_and_hms(2026, 1, 16, 20, 0, 0).unwrap();
    let thursday = Utc.with_ymd_and_hms(2026, 1, 15, 20, 0, 0).unwrap();
    let monday = Utc.with_ymd_and_hms(2026, 1, 19, 20, 0, 0).unwrap();
    let quebec = BusinessCalendar::quebec();
    assert!(cal.first_batch_pushes_payment(friday, &quebec));
    assert!(!cal.first_batch_pushes_payment(thursday, &quebec));
    assert!(!cal.first_batch_pushes_payment(monday, &quebec));
}

#[test]
fn a_change_over_the_weekend_or_a_holiday_counts() {
    // A cycle starting Saturday 17 January: going live Monday 19 is the first business day
    // after the change.
    let cal = BillingCalendar::new(vec![Cycle {
        number: 9,
        start: date(2026, 1, 17),
        end: date(2026, 1, 30),
        cutoff: date(2026, 1, 29),
        payment_date: date(2026, 2, 13),
    }])
    .unwrap();
    assert!(cal.going_live_pushes_payment(date(2026, 1, 19)));
    assert!(!cal.going_live_pushes_payment(date(2026, 1, 16)));
    assert!(!cal.going_live_pushes_payment(date(2026, 1, 20)));
    // Easter 2026: a cycle starting Good Friday 3 April; live Tuesday 7 April.
    let easter = BillingCalendar::new(vec![Cycle {
        number: 10,
        start: date(2026, 4, 3),
        end: date(2026, 4, 16),
        cutoff: date(2026, 4, 16),
        payment_date: date(2026, 4, 30),
    }])
    .unwrap();
    assert!(easter.going_live_pushes_payment(date(2026, 4, 7)));
    assert!(!easter.going_live_pushes_payment(date(2026, 4, 8)));
}

#[test]
fn serde_round_trip() {
    let cal = calendar();
    let json = serde_json::to_string(&cal).unwrap();
    assert!(json.contains("\"payment_date\":\"2026-01-30\""), "{json}");
    assert_eq!(serde_json::from_str::<BillingCalendar>(&json).unwrap(), cal);
}
