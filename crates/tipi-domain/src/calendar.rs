//! The Québec business-day calendar used for every RAMQ "next business day" rule.
//!
//! A business day (*jour ouvrable*) is a weekday that is not one of these closures (Loi
//! d'interprétation and the government closure calendar, see `domain.md` §3): 1 and 2 January,
//! Good Friday, Easter Monday, the Monday before 25 May (Journée nationale des patriotes),
//! 24 June (25 June when 24 June is a Sunday), 1 July (2 July when 1 July is a Sunday), the first
//! Monday of September, the second Monday of October, and 24, 25, 26 and 31 December.
//!
//! No other weekend shift is computed: announced closures (or exceptional openings) go in the
//! override table of a [`BusinessCalendar`]. The free functions use the plain Québec rules.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A statutory closure day with its French and English names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The day.
    pub date: NaiveDate,
    /// French name (*Vendredi saint*...).
    pub name_fr: &'static str,
    /// English name (Good Friday...).
    pub name_en: &'static str,
}

/// Easter Sunday of `year` (Gregorian computus, the anonymous "Meeus/Jones/Butcher" algorithm).
/// `None` only outside chrono's date range.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The statutory closure days of `year`, in date order (weekend ones included).
pub fn holidays(year: i32) -> Vec<Holiday> {
    let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
    let nth_monday = |m, n| NaiveDate::from_weekday_of_month_opt(year, m, Weekday::Mon, n);
    let easter = easter_sunday(year);
    let shift = |date: Option<NaiveDate>, days: i64| {
        date.and_then(|d| d.checked_add_signed(chrono::TimeDelta::days(days)))
    };
    let patriotes =
        ymd(5, 24).map(|d| d - Days::new(u64::from(d.weekday().num_days_from_monday())));
    let sunday_shift = |date: Option<NaiveDate>| {
        date.filter(|d| d.weekday() == Weekday::Sun)
            .and_then(|d| d.succ_opt())
    };

    let candidates: [(Option<NaiveDate>, &'static str, &'static str); 15] = [
        (ymd(1, 1), "Jour de l'An", "New Year's Day"),
        (
            ymd(1, 2),
            "Lendemain du jour de l'An",
            "Day after New Year's Day",
        ),
        (shift(easter, -2), "Vendredi saint", "Good Friday"),
        (shift(easter, 1), "Lundi de Pâques", "Easter Monday"),
        (
            patriotes,
            "Journée nationale des patriotes",
            "National Patriots' Day",
        ),
        (
            ymd(6, 24),
            "Fête nationale du Québec",
            "Québec's National Holiday",
        ),
        (
            sunday_shift(ymd(6, 24)),
            "Fête nationale du Québec (reportée)",
            "Québec's National Holiday (observed)",
        ),
        (ymd(7, 1), "Fête du Canada", "Canada Day"),
        (
            sunday_shift(ymd(7, 1)),
            "Fête du Canada (reportée)",
            "Canada Day (observed)",
        ),
        (nth_monday(9, 1), "Fête du Travail", "Labour Day"),
        (nth_monday(10, 2), "Action de grâce", "Thanksgiving"),
        (ymd(12, 24), "Veille de Noël", "Christmas Eve"),
        (ymd(12, 25), "Noël", "Christmas Day"),
        (ymd(12, 26), "Lendemain de Noël", "Boxing Day"),
        (ymd(12, 31), "Veille du jour de l'An", "New Year's Eve"),
    ];
    let mut list: Vec<Holiday> = candidates
        .into_iter()
        .filter_map(|(date, name_fr, name_en)| {
            date.map(|date| Holiday {
                date,
                name_fr,
                name_en,
            })
        })
        .collect();
    list.sort_by_key(|h| h.date);
    list
}

/// The statutory holiday on `date`, if any (weekends are not holidays by themselves).
pub fn holiday_on(date: NaiveDate) -> Option<Holiday> {
    holidays(date.year()).into_iter().find(|h| h.date == date)
}

/// Whether `date` is a business day under the plain Québec rules.
pub fn is_business_day(date: NaiveDate) -> bool {
    BusinessCalendar::quebec().is_business_day(date)
}

/// The first business day strictly after `date`, under the plain Québec rules.
pub fn next_business_day(date: NaiveDate) -> NaiveDate {
    BusinessCalendar::quebec().next_business_day(date)
}

/// The last business day strictly before `date`, under the plain Québec rules.
pub fn previous_business_day(date: NaiveDate) -> NaiveDate {
    BusinessCalendar::quebec().previous_business_day(date)
}

/// The Québec rules plus an override table: announced extra closures and exceptional
/// openings. A date in both tables is closed (the safer reading for deadlines).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BusinessCalendar {
    closures: BTreeSet<NaiveDate>,
    openings: BTreeSet<NaiveDate>,
}

impl BusinessCalendar {
    /// The plain Québec rules, no overrides (same as `Default`).
    pub fn quebec() -> Self {
        Self::default()
    }

    /// Adds announced closures (days that are not business days although the rules say so).
    pub fn with_closures(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.closures.extend(dates);
        self
    }

    /// Adds exceptional openings (days that are business days although the rules say not).
    pub fn with_openings(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.openings.extend(dates);
        self
    }

    /// The announced closures, in date order.
    pub fn closures(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.closures.iter().copied()
    }

    /// The exceptional openings, in date order.
    pub fn openings(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.openings.iter().copied()
    }

    /// The statutory holidays of `year` (the rules, without the override table).
    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        holidays(year)
    }

    /// Whether `date` is a business day: override table first, then weekday and holidays.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        if self.closures.contains(&date) {
            return false;
        }
        if self.openings.contains(&date) {
            return true;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && holiday_on(date).is_none()
    }

    /// The first business day strictly after `date`. Saturates at chrono's last date.
    pub fn next_business_day(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while let Some(next) = day.succ_opt() {
            day = next;
            if self.is_business_day(day) {
                return day;
            }
        }
        day
    }

    /// The last business day strictly before `date`. Saturates at chrono's first date.
    pub fn previous_business_day(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while let Some(previous) = day.pred_opt() {
            day = previous;
            if self.is_business_day(day) {
                return day;
            }
        }
        day
    }

    /// `date` itself when it is a business day, else the next one.
    pub fn same_or_next_business_day(&self, date: NaiveDate) -> NaiveDate {
        if self.is_business_day(date) {
            date
        } else {
            self.next_business_day(date)
        }
    }
}

#[cfg(test)]
mod tests;
