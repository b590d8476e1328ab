//! The billing calendar (*calendrier de facturation*): payment cycles as RAMQ publishes them.
//!
//! RAMQ publishes the cycles per profession (period, cut-off date for receipt, payment date);
//! they are data, never computed. This module only answers questions about them. A cycle's
//! period `[start, end]` is its receipt period; a claim received on a day is paid in the first
//! cycle whose cut-off (*date limite de réception*) is on or after that day.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::calendar::BusinessCalendar;
use crate::time;

/// Amounts under 20.00 $ are carried forward to a later payment, not paid.
pub const MIN_PAYMENT: Decimal = Decimal::from_parts(2000, 0, 0, false, 2);

/// Whether a payment of `amount` is carried forward instead of paid (under [`MIN_PAYMENT`]).
pub fn is_carried_forward(amount: Decimal) -> bool {
    amount < MIN_PAYMENT
}

/// Direct deposit lands the second day after the payment date, weekends excluded (holidays
/// are not skipped: RAMQ's rule names weekends only).
pub fn deposit_date(payment_date: NaiveDate) -> NaiveDate {
    let mut day = payment_date;
    let mut left = 2;
    while left > 0 {
        match day.succ_opt() {
            Some(next) => day = next,
            None => return day,
        }
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

/// One payment cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    /// RAMQ's cycle number.
    pub number: u32,
    /// First day of the receipt period.
    pub start: NaiveDate,
    /// Last day of the receipt period.
    pub end: NaiveDate,
    /// Cut-off date for receipt (*date limite de réception*), inclusive.
    pub cutoff: NaiveDate,
    /// Payment date.
    pub payment_date: NaiveDate,
}

impl Cycle {
    /// Whether `date` is in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// When the direct deposit lands: [`deposit_date`] of the payment date.
    pub fn deposit_date(&self) -> NaiveDate {
        deposit_date(self.payment_date)
    }
}

/// Why a list of cycles is not a usable calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BillingCalendarError {
    /// A cycle ends before it starts, or is paid before its cut-off.
    #[error("cycle {0} has its dates out of order")]
    DatesOutOfOrder(u32),
    /// Two cycle periods overlap.
    #[error("cycles {0} and {1} overlap")]
    Overlap(u32, u32),
}

/// The published cycles, as data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BillingCalendar {
    /// The cycles (sorted by start by [`BillingCalendar::new`]; queries accept any order).
    pub cycles: Vec<Cycle>,
}

impl BillingCalendar {
    /// Checks and sorts the cycles: `start <= end`, `cutoff <= payment_date`, no overlap.
    pub fn new(mut cycles: Vec<Cycle>) -> Result<Self, BillingCalendarError> {
        cycles.sort_by_key(|c| c.start);
        for c in &cycles {
            if c.start > c.end || c.cutoff > c.payment_date {
                return Err(BillingCalendarError::DatesOutOfOrder(c.number));
            }
        }
        for pair in cycles.windows(2) {
            if pair[1].start <= pair[0].end {
                return Err(BillingCalendarError::Overlap(
                    pair[0].number,
                    pair[1].number,
                ));
            }
        }
        Ok(BillingCalendar { cycles })
    }

    /// The cycle whose period contains `date`.
    pub fn cycle_containing(&self, date: NaiveDate) -> Option<&Cycle> {
        self.cycles.iter().find(|c| c.contains(date))
    }

    /// The cycle that pays a claim received on `received_on`: the one with the earliest
    /// cut-off on or after that day.
    pub fn cycle_for_receipt(&self, received_on: NaiveDate) -> Option<&Cycle> {
        self.cycles
            .iter()
            .filter(|c| c.cutoff >= received_on)
            .min_by_key(|c| c.cutoff)
    }

    /// The next cut-off date for receipt, `today` included.
    pub fn next_cutoff(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.cycle_for_receipt(today).map(|c| c.cutoff)
    }

    /// Whether a cycle boundary lies between `today` and tomorrow (a cycle ends today or
    /// one starts tomorrow).
    pub fn cycle_changes_tomorrow(&self, today: NaiveDate) -> bool {
        let Some(tomorrow) = today.succ_opt() else {
            return false;
        };
        self.cycles
            .iter()
            .any(|c| c.end == today || c.start == tomorrow)
    }

    /// Seed 000's warning, under the plain Québec business days: see
    /// [`BillingCalendar::going_live_pushes_payment_with`].
    pub fn going_live_pushes_payment(&self, date: NaiveDate) -> bool {
        self.going_live_pushes_payment_with(date, &BusinessCalendar::quebec())
    }

    /// Whether going *en production* on `date` means being paid only at the end of the
    /// following cycle: an agency still in test before a cycle change that goes live on the
    /// day of the change. Since an agency goes live on a business day, a change on the
    /// preceding weekend or holiday counts too: true when a cycle starts after the last
    /// business day before `date` and no later than `date`.
    pub fn going_live_pushes_payment_with(
        &self,
        date: NaiveDate,
        calendar: &BusinessCalendar,
    ) -> bool {
        let last_day_in_test = calendar.previous_business_day(date);
        self.cycles
            .iter()
            .any(|c| last_day_in_test < c.start && c.start <= date)
    }

    /// Whether sending the first valid batch at `sent` (agency in test) would make it go
    /// live on a cycle change ([`time::production_start`] then
    /// [`BillingCalendar::going_live_pushes_payment_with`]).
    pub fn first_batch_pushes_payment(
        &self,
        sent: DateTime<Utc>,
        calendar: &BusinessCalendar,
    ) -> bool {
        self.going_live_pushes_payment_with(time::production_start(sent, calendar), calendar)
    }
}

#[cfg(test)]
mod tests;
