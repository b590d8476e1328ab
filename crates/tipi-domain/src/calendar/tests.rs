use super::*;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn dates_of(year: i32) -> Vec<NaiveDate> {
    holidays(year).into_iter().map(|h| h.date).collect()
}

// Written out by hand from a printed calendar, not computed.
#[test]
fn holidays_2025() {
    assert_eq!(
        dates_of(2025),
        vec![
            date(2025, 1, 1),
            date(2025, 1, 2),
            date(2025, 4, 18),
            date(2025, 4, 21),
            date(2025, 5, 19),
            date(2025, 6, 24),
            date(2025, 7, 1),
            date(2025, 9, 1),
            date(2025, 10, 13),
            date(2025, 12, 24),
            date(2025, 12, 25),
            date(2025, 12, 26),
            date(2025, 12, 31),
        ]
    );
}

#[test]
fn holidays_2026() {
    assert_eq!(
        dates_of(2026),
        vec![
            date(2026, 1, 1),
            date(2026, 1, 2),
            date(2026, 4, 3),
            date(2026, 4, 6),
            date(2026, 5, 18),
            date(2026, 6, 24),
            date(2026, 7, 1),
            date(2026, 9, 7),
            date(2026, 10, 12),
            date(2026, 12, 24),
            date(2026, 12, 25),
            date(2026, 12, 26),
            date(2026, 12, 31),
        ]
    );
}

#[test]
fn holidays_2027() {
    assert_eq!(
        dates_of(2027),
        vec![
            date(2027, 1, 1),
            date(2027, 1, 2),
            date(2027, 3, 26),
            date(2027, 3, 29),
            date(2027, 5, 24),
            date(2027, 6, 24),
            date(2027, 7, 1),
            date(2027, 9, 6),
            date(2027, 10, 11),
            date(2027, 12, 24),
            date(2027, 12, 25),
            date(2027, 12, 26),
            date(2027, 12, 31),
        ]
    );
}

#[test]
fn sunday_shifts_in_2029() {
    // 24 June and 1 July 2029 are Sundays.
    let list = dates_of(2029);
    assert!(list.contains(&date(2029, 6, 25)));
    assert!(list.contains(&date(2029, 7, 2)));
    assert!(!is_business_day(date(2029, 6, 25)));
    assert!(!is_business_day(date(2029, 7, 2)));
    // No shift for a Saturday (2028): 26 June 2028 is a Monday business day.
    assert!(is_business_day(date(2028, 6, 26)));
    assert!(is_business_day(date(2028, 7, 3)));
    assert_eq!(dates_of(2028).len(), 13);
}

#[test]
fn easter_known_dates() {
    let cases = [
        (1818, date(1818, 3, 22)),
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2011, date(2011, 4, 24)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ];
    for (year, expected) in cases {
        assert_eq!(easter_sunday(year), Some(expected), "{year}");
    }
}

#[test]
fn holiday_names_are_bilingual() {
    let good_friday = holiday_on(date(2026, 4, 3)).unwrap();
    assert_eq!(good_friday.name_fr, "Vendredi saint");
    assert_eq!(good_friday.name_en, "Good Friday");
    assert_eq!(
        holiday_on(date(2026, 5, 18)).unwrap().name_fr,
        "Journée nationale des patriotes"
    );
    assert_eq!(holiday_on(date(2026, 5, 19)), None);
}

#[test]
fn business_days_around_easter_2026() {
    assert!(is_business_day(date(2026, 4, 2))); // Thursday
    assert!(!is_business_day(date(2026, 4, 3))); // Good Friday
    assert!(!is_business_day(date(2026, 4, 4))); // Saturday
    assert!(!is_business_day(date(2026, 4, 5))); // Sunday
    assert!(!is_business_day(date(2026, 4, 6))); // Easter Monday
    assert_eq!(next_business_day(date(2026, 4, 2)), date(2026, 4, 7));
    assert_eq!(previous_business_day(date(2026, 4, 7)), date(2026, 4, 2));
}

#[test]
fn next_business_day_is_strictly_after() {
    assert_eq!(next_business_day(date(2026, 3, 2)), date(2026, 3, 3)); // Mon -> Tue
    assert_eq!(next_business_day(date(2026, 3, 6)), date(2026, 3, 9)); // Fri -> Mon
    assert_eq!(next_business_day(date(2026, 3, 7)), date(2026, 3, 9)); // Sat -> Mon
                                                                       // Christmas 2026: Thu 24, Fri 25, Sat 26 closed; Thu 31 closed; Fri 1 and Sat 2 Jan closed.
    assert_eq!(next_business_day(date(2026, 12, 23)), date(2026, 12, 28));
    assert_eq!(next_business_day(date(2026, 12, 30)), date(2027, 1, 4));
    // 2029: Christmas and New Year fall Monday to Wednesday, six days after a Friday.
    assert_eq!(next_business_day(date(2029, 12, 21)), date(2029, 12, 27));
    assert_eq!(next_business_day(date(2029, 12, 28)), date(2030, 1, 3));
    // Patriotes 2027 (Monday 24 May).
    assert_eq!(next_business_day(date(2027, 5, 21)), date(2027, 5, 25));
}

#[test]
fn override_table() {
    let storm = date(2026, 3, 4); // a Wednesday
    let opened = date(2026, 12, 26); // a Saturday holiday
    let cal = BusinessCalendar::quebec()
        .with_closures([storm])
        .with_openings([opened]);
    assert!(is_business_day(storm));
    assert!(!cal.is_business_day(storm));
    assert!(cal.is_business_day(opened));
    assert_eq!(cal.next_business_day(date(2026, 3, 3)), date(2026, 3, 5));
    assert_eq!(cal.next_business_day(date(2026, 12, 23)), opened);
    // Both tables: closed.
    let both = BusinessCalendar::quebec()
        .with_closures([storm])
        .with_openings([storm]);
    assert!(!both.is_business_day(storm));
    assert_eq!(cal.closures().collect::<Vec<_>>(), vec![storm]);
    assert_eq!(cal.openings().collect::<Vec<_>>(), vec![opened]);
    assert_eq!(
        cal.same_or_next_business_day(date(2026, 3, 5)),
        date(2026, 3, 5)
    );
    assert_eq!(cal.same_or_next_business_day(storm), date(2026, 3, 5));
    let json = serde_json::to_string(&cal).unwrap();
    assert_eq!(
        serde_json::from_str::<BusinessCalendar>(&json).unwrap(),
        cal
    );
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..(130 * 366)).prop_map(|offset| date(1990, 1, 1) + Days::new(offset))
}

proptest! {
    #[test]
    fn next_business_day_is_one_and_nothing_between_is(d in any_date()) {
        let next = next_business_day(d);
        prop_assert!(next > d);
        prop_assert!(is_business_day(next));
        let mut between = d.succ_opt().unwrap();
        while between < next {
            prop_assert!(!is_business_day(between), "{} skipped", between);
            between = between.succ_opt().unwrap();
        }
        // The longest wait: a Friday before Christmas or New Year falling Monday to Wednesday.
        prop_assert!((next - d).num_days() <= 6);
        // And going back from `next` lands on or before `d`.
        prop_assert!(previous_business_day(next) <= d);
    }

    #[test]
    fn overrides_keep_the_property(
        d in any_date(),
        closed in prop::collection::vec(0u64..15, 0..6),
        opened in prop::collection::vec(0u64..15, 0..6),
    ) {
        let cal = BusinessCalendar::quebec()
            .with_closures(closed.iter().map(|o| d + Days::new(*o)))
            .with_openings(opened.iter().map(|o| d + Days::new(*o)));
        let next = cal.next_business_day(d);
        prop_assert!(next > d);
        prop_assert!(cal.is_business_day(next));
        let mut between = d.succ_opt().unwrap();
        while between < next {
            prop_assert!(!cal.is_business_day(between));
            between = between.succ_opt().unwrap();
        }
    }

    #[test]
    fn weekends_are_never_business_days_by_rule(d in any_date()) {
        if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            prop_assert!(!is_business_day(d));
        }
    }
}
