//! The home screen's question, "where do I stand and what do I do next?", answered from the
//! local state only (so it works offline): agency status, password expiry, next cut-off,
//! claim counts, the one next action, and amounts per payment cycle.

use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use tipi_domain::billing::BillingCalendar;
use tipi_domain::password;
use tipi_domain::time::{at_local, local_date};
use tipi_protocol::service::AgencyStatus;
use tipi_store::claims::{ClaimEventKind, ClaimId, ClaimState};

use crate::engine::Tipi;
use crate::error::CoreResult;

/// Days before expiry from which changing the password becomes the next action.
pub const PASSWORD_URGENT_DAYS: i64 = 7;

/// The one thing the user should do next, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextAction {
    /// The password is expired or expires within [`PASSWORD_URGENT_DAYS`].
    ChangePassword,
    /// In production with claims sent during the test period: send them again.
    ResendTestFile,
    /// Refused claims wait to be fixed.
    FixRefused(usize),
    /// Ready claims or queued batches wait to be sent.
    Send(usize),
    /// A batch's receivability returns are expected (or may be in: sync).
    WaitReturns,
    /// Nothing entered yet, or only drafts.
    EnterClaims,
    /// Everything is up to date.
    Nothing,
}

impl NextAction {
    /// A stable code for hosts (`change_password`, `send`...).
    pub fn code(self) -> &'static str {
        match self {
            Self::ChangePassword => "change_password",
            Self::ResendTestFile => "resend_test_file",
            Self::FixRefused(_) => "fix_refused",
            Self::Send(_) => "send",
            Self::WaitReturns => "wait_returns",
            Self::EnterClaims => "enter_claims",
            Self::Nothing => "nothing",
        }
    }

    /// How many claims it concerns, where that is meaningful.
    pub fn count(self) -> Option<usize> {
        match self {
            Self::FixRefused(n) | Self::Send(n) => Some(n),
            _ => None,
        }
    }
}

/// Amounts of one payment cycle, by the day TIP-I received the claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleAmounts {
    /// The cycle's number.
    pub cycle: u32,
    /// Claimed in claims sent during the cycle's receipt period.
    pub sent: Decimal,
    /// Of those, found receivable (or paid).
    pub receivable: Decimal,
    /// Paid according to the cycle's statements.
    pub paid: Decimal,
}

/// Everything the home screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// Test or production, as last read from TIP-I (test until known).
    pub status: AgencyStatus,
    /// *En production depuis*.
    pub production_since: Option<NaiveDate>,
    /// When the password expires, if its date is known.
    pub password_expires_on: Option<NaiveDate>,
    /// Days left before it expires (0 or less: expired).
    pub password_days_left: Option<i64>,
    /// The next cut-off for receipt, and that cycle's payment and deposit dates.
    pub next_cutoff: Option<(NaiveDate, NaiveDate, NaiveDate)>,
    /// Claims per state.
    pub counts: Vec<(ClaimState, u64)>,
    /// Batches (and direct requests) waiting in the outbox.
    pub queued_batches: usize,
    /// The one next thing to do.
    pub next_action: NextAction,
    /// Amounts per cycle, oldest first (cycles with something only).
    pub cycles: Vec<CycleAmounts>,
}

impl Tipi {
    /// The home screen's data, from the local state.
    pub async fn overview(&self) -> CoreResult<Overview> {
        let profile = self.require_profile().await?;
        let today = self.today();
        let status = self
            .store
            .setting(crate::sync::AGENCY_STATUS)
            .await?
            .as_deref()
            .and_then(crate::sync::parse_status)
            .unwrap_or(AgencyStatus::Test);
        let counts = self.store.claim_counts().await?;
        let count = |state: ClaimState| -> usize {
            counts
                .iter()
                .find(|(s, _)| *s == state)
                .map_or(0, |(_, n)| usize::try_from(*n).unwrap_or(usize::MAX))
        };
        let calendar = self.cached_calendar().await?;
        let next_cutoff = calendar.as_ref().and_then(|c| {
            let cutoff = c.next_cutoff(today)?;
            let cycle = c.cycle_for_receipt(cutoff)?;
            Some((cutoff, cycle.payment_date, cycle.deposit_date()))
        });
        let queued_batches = self.store.in_flight_count().await?;
        let awaiting = self.store.awaiting_returns_count().await? > 0;
        let days_left = profile
            .password_set_on
            .map(|set_on| password::days_left(set_on, today));
        let resend =
            status == AgencyStatus::Production && !self.test_period_claims().await?.is_empty();

        let next_action = if days_left.is_some_and(|d| d <= PASSWORD_URGENT_DAYS) {
            NextAction::ChangePassword
        } else if resend {
            NextAction::ResendTestFile
        } else if count(ClaimState::Refused) > 0 {
            NextAction::FixRefused(count(ClaimState::Refused))
        } else if count(ClaimState::Ready) > 0 || queued_batches > 0 {
            NextAction::Send(count(ClaimState::Ready))
        } else if awaiting {
            NextAction::WaitReturns
        } else if counts
            .iter()
            .all(|(s, n)| *n == 0 || *s == ClaimState::Draft)
        {
            NextAction::EnterClaims
        } else {
            NextAction::Nothing
        };

        Ok(Overview {
            status,
            production_since: profile.production_since,
            password_expires_on: profile.password_set_on.map(password::expires_on),
            password_days_left: days_left,
            next_cutoff,
            counts,
            queued_batches,
            next_action,
            cycles: match calendar {
                Some(calendar) => self.cycle_amounts(&calendar).await?,
                None => Vec::new(),
            },
        })
    }

    /// The day TIP-I received a claim (Québec), from its history: the last move to Sent.
    pub(crate) async fn sent_on(&self, claim: ClaimId) -> CoreResult<Option<NaiveDate>> {
        Ok(self
            .store
            .claim_history(claim)
            .await?
            .iter()
            .rev()
            .find(|e| e.kind == ClaimEventKind::StateChanged && e.to == Some(ClaimState::Sent))
            .map(|e| local_date(e.at)))
    }

    async fn cycle_amounts(&self, calendar: &BillingCalendar) -> CoreResult<Vec<CycleAmounts>> {
        let mut cycles: Vec<CycleAmounts> = Vec::new();
        // Only what TIP-I received since the calendar's first cycle can fall in one of its
        // cycles: one indexed read, whatever the years of history.
        let since = calendar.cycles.iter().map(|c| c.start).min();
        let receipts = match since {
            Some(start) => {
                self.store
                    .receipts_since(at_local(start, NaiveTime::MIN))
                    .await?
            }
            None => Vec::new(),
        };
        for receipt in receipts {
            let Some(cycle) = calendar.cycle_for_receipt(local_date(receipt.sent_at)) else {
                continue;
            };
            let row = cycle_row(&mut cycles, cycle.number);
            row.sent += receipt.total;
            if matches!(receipt.state, ClaimState::Receivable | ClaimState::Paid) {
                row.receivable += receipt.total;
            }
        }
        let numbers: Vec<u32> = calendar.cycles.iter().map(|c| c.number).collect();
        for number in numbers {
            let paid: Decimal = self
                .store
                .statements_for_cycle(number)
                .await?
                .iter()
                .map(|s| s.statement.total)
                .sum();
            if paid > Decimal::ZERO {
                cycle_row(&mut cycles, number).paid += paid;
            }
        }
        cycles.sort_by_key(|c| c.cycle);
        Ok(cycles)
    }
}

fn cycle_row(cycles: &mut Vec<CycleAmounts>, cycle: u32) -> &mut CycleAmounts {
    let index = match cycles.iter().position(|c| c.cycle == cycle) {
        Some(index) => index,
        None => {
            cycles.push(CycleAmounts {
                cycle,
                sent: Decimal::ZERO,
                receivable: Decimal::ZERO,
                paid: Decimal::ZERO,
            });
            cycles.len() - 1
        }
    };
    &mut cycles[index]
}
