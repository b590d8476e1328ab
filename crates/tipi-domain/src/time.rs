//! RAMQ time rules, all evaluated in `America/Toronto` ([`RAMQ_TZ`]) whatever the device's zone.
//!
//! Every function takes the instant (UTC) or the local date from the caller: nothing here reads
//! a clock. Local wall-clock times are turned into instants by [`at_local`], which resolves the
//! two DST cases explicitly: an ambiguous time (the repeated hour in November) means its
//! **first** occurrence, a nonexistent time (the skipped hour in March) means the **first
//! instant after the gap**. None of RAMQ's own times (07:00, 08:00, 22:00) fall in either case
//! in Toronto, but maintenance windows and tests may.
//!
//! Decisions recorded here (one place for each rule):
//! - Service window: open from 07:00 inclusive to 22:00 exclusive, local time, on business days
//!   ([`crate::calendar`]) only, minus announced maintenance windows (`[start, end)`).
//! - Receivability of a batch (*en différé*): sent before 22:00 local → available from 08:00
//!   on the first business day strictly after the local send day; sent at or after 22:00 →
//!   08:00 on the business day after that one.
//! - Going live: *en production* from the first business day after the local send day of the
//!   first valid batch; "en production depuis" shows the local send day itself.
//! - Late service: a claim may be sent up to and including service date + 90 days.
//! - Statement follow-up: a request still missing from the *état de compte* is due for resend
//!   on the 45th day after it was sent, and from then on.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::calendar::BusinessCalendar;

/// The zone of every RAMQ rule (`America/Montreal` is an alias of it).
pub const RAMQ_TZ: Tz = chrono_tz::America::Toronto;

const fn hm(hour: u32, minute: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, minute, 0) {
        Some(t) => t,
        None => panic!("invalid constant time"),
    }
}

/// TIP-I opens at 07:00 local time on business days.
pub const OPENING_TIME: NaiveTime = hm(7, 0);
/// TIP-I closes at 22:00 local time; also the *en différé* cut-off for next-day returns.
pub const CLOSING_TIME: NaiveTime = hm(22, 0);
/// Receivability of a batch is available from 08:00 local time.
pub const RETURNS_TIME: NaiveTime = hm(8, 0);
/// Days after the service date within which a claim must be sent.
pub const LATE_LIMIT_DAYS: u64 = 90;
/// Days after sending after which a request missing from the statement must be sent again.
pub const STATEMENT_RESEND_DAYS: u64 = 45;

/// The instant in RAMQ's zone.
pub fn local_datetime(instant: DateTime<Utc>) -> DateTime<Tz> {
    instant.with_timezone(&RAMQ_TZ)
}

/// The local (Toronto) calendar date of an instant.
pub fn local_date(instant: DateTime<Utc>) -> NaiveDate {
    local_datetime(instant).date_naive()
}

/// The instant of a local wall-clock time in RAMQ's zone. Ambiguous (repeated hour): the
/// first occurrence. Nonexistent (skipped hour): the first instant after the gap.
pub fn at_local(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let wall = date.and_time(time);
    if let Some(t) = RAMQ_TZ.from_local_datetime(&wall).earliest() {
        return t.with_timezone(&Utc);
    }
    // Inside a gap: the gap ends at the first later wall-clock minute that exists. Gaps are at
    // most a few hours, and they start and end on whole minutes in tzdata for this zone.
    let start = wall.date().and_time(NaiveTime::MIN) + TimeDelta::minutes(minutes_of(wall));
    (1..=24 * 60)
        .map(|m| start + TimeDelta::minutes(m))
        .find_map(|w: NaiveDateTime| RAMQ_TZ.from_local_datetime(&w).earliest())
        .map(|t| t.with_timezone(&Utc))
        // Unreachable for tzdata zones; fall back to reading the wall time as UTC.
        .unwrap_or_else(|| Utc.from_utc_datetime(&wall))
}

fn minutes_of(wall: NaiveDateTime) -> i64 {
    (wall.time() - NaiveTime::MIN).num_minutes()
}

/// An announced maintenance outage, `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaintenanceWindow {
    /// First instant of the outage.
    pub start: DateTime<Utc>,
    /// First instant after the outage.
    pub end: DateTime<Utc>,
}

impl MaintenanceWindow {
    /// A window; `None` unless `start < end`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Option<Self> {
        (start < end).then_some(MaintenanceWindow { start, end })
    }

    /// Whether `instant` is inside the outage.
    pub fn contains(&self, instant: DateTime<Utc>) -> bool {
        self.start <= instant && instant < self.end
    }
}

/// When TIP-I answers: 07:00–22:00 local on business days, minus maintenance windows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ServiceWindow {
    /// Which days are business days.
    pub calendar: BusinessCalendar,
    /// Announced outages.
    pub maintenance: Vec<MaintenanceWindow>,
}

impl ServiceWindow {
    /// The window for a business calendar, no maintenance.
    pub fn new(calendar: BusinessCalendar) -> Self {
        ServiceWindow {
            calendar,
            maintenance: Vec::new(),
        }
    }

    /// Adds announced maintenance windows.
    pub fn with_maintenance(
        mut self,
        windows: impl IntoIterator<Item = MaintenanceWindow>,
    ) -> Self {
        self.maintenance.extend(windows);
        self
    }

    fn in_hours(&self, instant: DateTime<Utc>) -> bool {
        let local = local_datetime(instant);
        let time = local.time();
        self.calendar.is_business_day(local.date_naive())
            && time >= OPENING_TIME
            && time < CLOSING_TIME
    }

    fn maintenance_end(&self, instant: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.maintenance
            .iter()
            .filter(|w| w.contains(instant))
            .map(|w| w.end)
            .max()
    }

    /// Whether TIP-I is open at `instant`.
    pub fn is_open(&self, instant: DateTime<Utc>) -> bool {
        self.in_hours(instant) && self.maintenance_end(instant).is_none()
    }

    /// `instant` itself when open, else the first instant after it when TIP-I opens.
    pub fn next_opening(&self, instant: DateTime<Utc>) -> DateTime<Utc> {
        let mut candidate = instant;
        // Each step moves strictly forward, and there are finitely many closures and
        // maintenance windows, so this ends.
        loop {
            if self.is_open(candidate) {
                return candidate;
            }
            let local = local_datetime(candidate);
            let day = local.date_naive();
            let next = if self.in_hours(candidate) {
                // In hours, so inside maintenance.
                self.maintenance_end(candidate)
            } else if self.calendar.is_business_day(day) && local.time() < OPENING_TIME {
                Some(at_local(day, OPENING_TIME))
            } else {
                None
            };
            candidate = match next {
                Some(t) if t > candidate => t,
                _ => at_local(self.calendar.next_business_day(day), OPENING_TIME),
            };
        }
    }

    /// When open at `instant`: the instant it closes next (22:00 or the start of a
    /// maintenance window, whichever comes first). `None` when closed.
    pub fn closes_at(&self, instant: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if !self.is_open(instant) {
            return None;
        }
        let closing = at_local(local_date(instant), CLOSING_TIME);
        let maintenance = self
            .maintenance
            .iter()
            .map(|w| w.start)
            .filter(|start| *start > instant);
        Some(maintenance.fold(closing, DateTime::min))
    }
}

/// When the receivability of a batch sent at `sent` is available: 08:00 local on the first
/// business day after the local send day if sent before 22:00, otherwise 08:00 on the
/// business day after that one.
pub fn returns_available_at(sent: DateTime<Utc>, calendar: &BusinessCalendar) -> DateTime<Utc> {
    let local = local_datetime(sent);
    let mut day = calendar.next_business_day(local.date_naive());
    if local.time() >= CLOSING_TIME {
        day = calendar.next_business_day(day);
    }
    at_local(day, RETURNS_TIME)
}

/// The day an agency in test goes *en production* after its first valid batch was sent at
/// `first_valid_batch_sent`: the first business day after the local send day.
pub fn production_start(
    first_valid_batch_sent: DateTime<Utc>,
    calendar: &BusinessCalendar,
) -> NaiveDate {
    calendar.next_business_day(local_date(first_valid_batch_sent))
}

/// The "En production depuis" date RAMQ shows: the local day the first valid batch was sent.
pub fn production_since(first_valid_batch_sent: DateTime<Utc>) -> NaiveDate {
    local_date(first_valid_batch_sent)
}

fn plus_days(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// The day a request sent on `sent_on` and still missing from the statement must be sent
/// again: `sent_on` + 45 days.
pub fn statement_resend_due(sent_on: NaiveDate) -> NaiveDate {
    plus_days(sent_on, STATEMENT_RESEND_DAYS)
}

/// Whether, on `today`, a request sent on `sent_on` and still missing from the statement
/// must be sent again (from [`statement_resend_due`] inclusive).
pub fn is_statement_resend_due(sent_on: NaiveDate, today: NaiveDate) -> bool {
    today >= statement_resend_due(sent_on)
}

/// The last day a service given on `service_date` may be claimed without "hors délai":
/// `service_date` + 90 days.
pub fn late_limit(service_date: NaiveDate) -> NaiveDate {
    plus_days(service_date, LATE_LIMIT_DAYS)
}

/// Whether a claim for `service_date` sent on `today` is late (after [`late_limit`]).
pub fn is_late(service_date: NaiveDate, today: NaiveDate) -> bool {
    today > late_limit(service_date)
}

#[cfg(test)]
mod tests;
