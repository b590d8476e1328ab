//! Reminders. [`plan`] is pure: given now and the facts (password date, calendar, agency
//! status, claims, batches), it says what is due, each with a stable key so the app delivers
//! it once (the store's reminder log remembers delivered keys). Delivery itself is the host's
//! job, through a [`Notifier`]. Each kind knows the screen that deals with it
//! ([`ReminderKind::route`]), so a click on a notification opens it.

use chrono::{DateTime, NaiveDate, Utc};
use tipi_domain::billing::BillingCalendar;
use tipi_domain::calendar::BusinessCalendar;
use tipi_domain::ids::AttestationNumber;
use tipi_domain::lang::Lang;
use tipi_domain::password;
use tipi_domain::time::{self, local_date, local_datetime, MaintenanceWindow};
use tipi_protocol::service::AgencyStatus;
use tipi_store::claims::{ClaimId, ClaimState};
use tipi_store::outbox::OutboxKind;

use crate::engine::Tipi;
use crate::error::CoreResult;

/// Days before the password expires when a reminder is due (0: the day it expires).
pub const PASSWORD_THRESHOLDS: [i64; 5] = [14, 7, 3, 1, 0];

/// Days before a claim's 90-day limit when a reminder is due.
pub const LATE_LIMIT_WARNING_DAYS: i64 = 7;

/// A maintenance window is announced once it starts within this many days.
pub const MAINTENANCE_NOTICE_DAYS: i64 = 7;

/// What a claim contributes to the plan (never its patient).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFact {
    /// Local id.
    pub id: ClaimId,
    /// The external invoice number the user knows it by.
    pub external_id: String,
    /// Its state.
    pub state: ClaimState,
    /// Its earliest service date.
    pub first_service: Option<NaiveDate>,
    /// "Hors délai" declared: the 90-day limit does not apply.
    pub late_allowed: bool,
    /// The day it was received by TIP-I (Québec), once sent.
    pub sent_on: Option<NaiveDate>,
}

/// Everything [`plan`] looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderFacts {
    /// When the TIP-I password was set.
    pub password_set_on: Option<NaiveDate>,
    /// The cached billing calendar.
    pub calendar: Option<BillingCalendar>,
    /// Test or production, as last read.
    pub status: Option<AgencyStatus>,
    /// *En production depuis*.
    pub production_since: Option<NaiveDate>,
    /// Batches acknowledged by TIP-I whose returns are not in yet, with when they were sent.
    pub awaiting_returns: Vec<(AttestationNumber, DateTime<Utc>)>,
    /// The claims.
    pub claims: Vec<ClaimFact>,
    /// The announced TIP-I maintenance windows, as cached with the calendar.
    pub maintenance: Vec<MaintenanceWindow>,
}

/// What a reminder is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReminderKind {
    /// The password expires in `days_left` days (0 or less: expired).
    PasswordExpiry {
        /// Days left.
        days_left: i64,
        /// The first day it no longer works.
        expires_on: NaiveDate,
    },
    /// Tomorrow is the last day of receipt for the current payment cycle.
    CutoffTomorrow {
        /// The cut-off date.
        cutoff: NaiveDate,
    },
    /// A payment cycle changes tomorrow; in test, going live on that day delays payment.
    CycleChange {
        /// The first day of the new cycle (tomorrow).
        tomorrow: NaiveDate,
        /// The agency is still in its test period.
        in_test: bool,
    },
    /// A batch's receivability returns are ready to fetch.
    ReturnsReady {
        /// The batch.
        attestation: AttestationNumber,
    },
    /// The agency is in production.
    WentLive {
        /// *En production depuis*.
        since: NaiveDate,
    },
    /// An unsent claim nears its 90-day limit.
    LateLimit {
        /// The claim.
        claim: ClaimId,
        /// Its external invoice number.
        external_id: String,
        /// Its state (draft, ready or refused), so the claims list opens filtered on it.
        state: ClaimState,
        /// The last day it may be sent.
        limit: NaiveDate,
    },
    /// A receivable claim is still missing from the statements 45 days after it was sent:
    /// it must be sent again.
    MissingFromStatement {
        /// The claim.
        claim: ClaimId,
        /// Its external invoice number.
        external_id: String,
    },
    /// TIP-I announced a maintenance window: once when it is learnt (within
    /// [`MAINTENANCE_NOTICE_DAYS`] of its start), and again the day before it starts.
    Maintenance {
        /// The outage.
        window: MaintenanceWindow,
        /// The day-before reminder (otherwise the announcement).
        tomorrow: bool,
    },
}

impl ReminderKind {
    /// The UI route (`screen?query`) of the screen that deals with this reminder.
    pub fn route(&self) -> String {
        match self {
            ReminderKind::PasswordExpiry { .. } => "settings?section=password".into(),
            ReminderKind::CutoffTomorrow { .. } => "send".into(),
            ReminderKind::CycleChange { .. } | ReminderKind::Maintenance { .. } => {
                "calendar".into()
            }
            ReminderKind::ReturnsReady { .. }
            | ReminderKind::WentLive { .. }
            | ReminderKind::MissingFromStatement { .. } => "journal".into(),
            ReminderKind::LateLimit { state, .. } => format!("claims?state={}", state.as_str()),
        }
    }
}

/// One reminder with its delivery key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Stable: the same situation always gives the same key (never a NAM or a name).
    pub key: String,
    /// What it is about.
    pub kind: ReminderKind,
}

/// What is due at `now`. Pure: every input is given.
pub fn plan(
    now: DateTime<Utc>,
    facts: &ReminderFacts,
    business: &BusinessCalendar,
) -> Vec<Reminder> {
    let today = local_date(now);
    let tomorrow = today.succ_opt().unwrap_or(today);
    let mut due = Vec::new();
    if let Some(set_on) = facts.password_set_on {
        let days_left = password::days_left(set_on, today);
        let threshold = PASSWORD_THRESHOLDS
            .iter()
            .rev()
            .find(|t| **t >= days_left.max(0))
            .copied();
        if let Some(threshold) = threshold {
            let expires_on = password::expires_on(set_on);
            due.push(Reminder {
                key: format!("password-expiry:{expires_on}:{threshold}d"),
                kind: ReminderKind::PasswordExpiry {
                    days_left,
                    expires_on,
                },
            });
        }
    }
    if let Some(calendar) = &facts.calendar {
        if calendar.next_cutoff(today) == Some(tomorrow) {
            due.push(Reminder {
                key: format!("cutoff:{tomorrow}"),
                kind: ReminderKind::CutoffTomorrow { cutoff: tomorrow },
            });
        }
        if calendar.cycle_changes_tomorrow(today) {
            due.push(Reminder {
                key: format!("cycle-change:{tomorrow}"),
                kind: ReminderKind::CycleChange {
                    tomorrow,
                    in_test: facts.status != Some(AgencyStatus::Production),
                },
            });
        }
    }
    for (attestation, sent) in &facts.awaiting_returns {
        if time::returns_available_at(*sent, business) <= now {
            due.push(Reminder {
                key: format!("returns:{attestation}"),
                kind: ReminderKind::ReturnsReady {
                    attestation: *attestation,
                },
            });
        }
    }
    if let (Some(AgencyStatus::Production), Some(since)) = (facts.status, facts.production_since) {
        due.push(Reminder {
            key: format!("went-live:{since}"),
            kind: ReminderKind::WentLive { since },
        });
    }
    for window in &facts.maintenance {
        if let Some(reminder) = maintenance_reminder(now, *window) {
            due.push(reminder);
        }
    }
    for claim in &facts.claims {
        let unsent = matches!(
            claim.state,
            ClaimState::Draft | ClaimState::Ready | ClaimState::Refused
        );
        if let (true, false, Some(first)) = (unsent, claim.late_allowed, claim.first_service) {
            let limit = time::late_limit(first);
            let days = (limit - today).num_days();
            if (0..=LATE_LIMIT_WARNING_DAYS).contains(&days) {
                due.push(Reminder {
                    key: format!("late-limit:{}:{limit}", claim.id.0),
                    kind: ReminderKind::LateLimit {
                        claim: claim.id,
                        external_id: claim.external_id.clone(),
                        state: claim.state,
                        limit,
                    },
                });
            }
        }
        if let (ClaimState::Receivable, Some(sent_on)) = (claim.state, claim.sent_on) {
            if time::is_statement_resend_due(sent_on, today) {
                due.push(Reminder {
                    key: format!("statement-missing:{}", claim.id.0),
                    kind: ReminderKind::MissingFromStatement {
                        claim: claim.id,
                        external_id: claim.external_id.clone(),
                    },
                });
            }
        }
    }
    due
}

/// When a phone is told to show a reminder that becomes due later: 09:00 in Québec.
pub const SCHEDULED_TIME: chrono::NaiveTime = match chrono::NaiveTime::from_hms_opt(9, 0, 0) {
    Some(time) => time,
    None => panic!("09:00 is a time"),
};

/// The reminders that become due after `now` and within `days` days, each once with the
/// instant it is first due among the daily [`SCHEDULED_TIME`]s (for an OS scheduler, on phones).
/// Pure, like [`plan`]: the same facts are assumed to hold until then.
pub fn upcoming(
    now: DateTime<Utc>,
    days: u64,
    facts: &ReminderFacts,
    business: &BusinessCalendar,
) -> Vec<(DateTime<Utc>, Reminder)> {
    let due_now: Vec<String> = plan(now, facts, business)
        .into_iter()
        .map(|r| r.key)
        .collect();
    let today = local_date(now);
    let mut seen = std::collections::HashSet::new();
    let mut upcoming = Vec::new();
    for offset in 0..=days {
        let at = time::at_local(today + chrono::Days::new(offset), SCHEDULED_TIME);
        if at <= now {
            continue;
        }
        for reminder in plan(at, facts, business) {
            if !due_now.contains(&reminder.key) && seen.insert(reminder.key.clone()) {
                upcoming.push((at, reminder));
            }
        }
    }
    upcoming
}

/// The reminder due for `window` at `now`: the day before it starts (Québec), the eve
/// reminder; earlier, within [`MAINTENANCE_NOTICE_DAYS`], the announcement. Only one of the two
/// when the window is learnt on its eve; none once it has started.
fn maintenance_reminder(now: DateTime<Utc>, window: MaintenanceWindow) -> Option<Reminder> {
    if now >= window.start {
        return None;
    }
    let starts_on = local_date(window.start);
    let eve = starts_on.pred_opt().unwrap_or(starts_on);
    let id = format!("{}/{}", window.start.to_rfc3339(), window.end.to_rfc3339());
    let (tomorrow, key) = if local_date(now) >= eve {
        (true, format!("maintenance:{id}:eve"))
    } else if window.start - now <= chrono::Duration::days(MAINTENANCE_NOTICE_DAYS) {
        (false, format!("maintenance:{id}:announced"))
    } else {
        return None;
    };
    Some(Reminder {
        key,
        kind: ReminderKind::Maintenance { window, tomorrow },
    })
}

/// A Québec wall-clock time for texts (`2026-03-12 19:00`).
fn local_text(instant: DateTime<Utc>) -> String {
    local_datetime(instant).format("%Y-%m-%d %H:%M").to_string()
}

impl Reminder {
    /// A short title in `lang`.
    pub fn title(&self, lang: Lang) -> String {
        let text = match &self.kind {
            ReminderKind::PasswordExpiry { days_left, .. } if *days_left <= 0 => {
                lang.pick("Mot de passe TIP-I expiré", "TIP-I password expired")
            }
            ReminderKind::PasswordExpiry { .. } => lang.pick(
                "Mot de passe TIP-I bientôt expiré",
                "TIP-I password expires soon",
            ),
            ReminderKind::CutoffTomorrow { .. } => lang.pick(
                "Date limite de réception demain",
                "Receipt cut-off tomorrow",
            ),
            ReminderKind::CycleChange { .. } => {
                lang.pick("Changement de cycle de paiement", "Payment cycle change")
            }
            ReminderKind::ReturnsReady { .. } => lang.pick(
                "Retours de recevabilité prêts",
                "Receivability returns ready",
            ),
            ReminderKind::WentLive { .. } => {
                lang.pick("Agence en production", "Agency in production")
            }
            ReminderKind::LateLimit { .. } => lang.pick("Délai de 90 jours", "90-day limit"),
            ReminderKind::MissingFromStatement { .. } => {
                lang.pick("Absente de l'état de compte", "Missing from the statement")
            }
            ReminderKind::Maintenance { tomorrow: true, .. } => {
                lang.pick("Maintenance de TIP-I demain", "TIP-I maintenance tomorrow")
            }
            ReminderKind::Maintenance { .. } => lang.pick(
                "Maintenance de TIP-I annoncée",
                "TIP-I maintenance announced",
            ),
        };
        text.to_owned()
    }

    /// The text in `lang` (no patient data: invoice numbers and dates only).
    pub fn body(&self, lang: Lang) -> String {
        match (&self.kind, lang) {
            (
                ReminderKind::PasswordExpiry {
                    days_left,
                    expires_on,
                },
                Lang::Fr,
            ) if *days_left > 0 => {
                format!("Votre mot de passe expire dans {days_left} jour(s), le {expires_on}. Changez-le avant.")
            }
            (
                ReminderKind::PasswordExpiry {
                    days_left,
                    expires_on,
                },
                Lang::En,
            ) if *days_left > 0 => {
                format!("Your password expires in {days_left} day(s), on {expires_on}. Change it before.")
            }
            (ReminderKind::PasswordExpiry { .. }, Lang::Fr) => {
                "Votre mot de passe est expiré : changez-le pour transmettre.".into()
            }
            (ReminderKind::PasswordExpiry { .. }, Lang::En) => {
                "Your password has expired: change it to send.".into()
            }
            (ReminderKind::CutoffTomorrow { cutoff }, Lang::Fr) => {
                format!("Transmettez vos demandes avant 22 h le {cutoff} pour le cycle en cours.")
            }
            (ReminderKind::CutoffTomorrow { cutoff }, Lang::En) => {
                format!("Send your claims before 22:00 on {cutoff} for the current cycle.")
            }
            (
                ReminderKind::CycleChange {
                    tomorrow,
                    in_test: true,
                },
                Lang::Fr,
            ) => format!(
                "Un cycle commence le {tomorrow}. En période de test, une mise en production ce \
                 jour-là reporterait le paiement d'un cycle."
            ),
            (
                ReminderKind::CycleChange {
                    tomorrow,
                    in_test: true,
                },
                Lang::En,
            ) => format!(
                "A cycle starts on {tomorrow}. In the test period, going live that day would \
                 delay payment by one cycle."
            ),
            (ReminderKind::CycleChange { tomorrow, .. }, Lang::Fr) => {
                format!("Un nouveau cycle de paiement commence le {tomorrow}.")
            }
            (ReminderKind::CycleChange { tomorrow, .. }, Lang::En) => {
                format!("A new payment cycle starts on {tomorrow}.")
            }
            (ReminderKind::ReturnsReady { attestation }, Lang::Fr) => {
                format!("Les retours du lot {attestation} sont disponibles : synchronisez.")
            }
            (ReminderKind::ReturnsReady { attestation }, Lang::En) => {
                format!("The returns of batch {attestation} are available: synchronise.")
            }
            (ReminderKind::WentLive { since }, Lang::Fr) => format!(
                "Votre agence est en production depuis le {since}. Retransmettez les demandes \
                 envoyées en période de test."
            ),
            (ReminderKind::WentLive { since }, Lang::En) => format!(
                "Your agency is in production since {since}. Send again the claims sent during \
                 the test period."
            ),
            (
                ReminderKind::LateLimit {
                    external_id, limit, ..
                },
                Lang::Fr,
            ) => {
                format!("La facture {external_id} doit être transmise au plus tard le {limit}.")
            }
            (
                ReminderKind::LateLimit {
                    external_id, limit, ..
                },
                Lang::En,
            ) => {
                format!("Invoice {external_id} must be sent by {limit}.")
            }
            (ReminderKind::MissingFromStatement { external_id, .. }, Lang::Fr) => format!(
                "La facture {external_id} n'apparaît sur aucun état de compte 45 jours après \
                 l'envoi : transmettez-la de nouveau."
            ),
            (ReminderKind::MissingFromStatement { external_id, .. }, Lang::En) => format!(
                "Invoice {external_id} is on no statement 45 days after it was sent: send it \
                 again."
            ),
            (ReminderKind::Maintenance { window, .. }, Lang::Fr) => format!(
                "TIP-I sera fermé du {} au {} (heure du Québec). Transmettez avant, ou vos \
                 envois attendront la réouverture.",
                local_text(window.start),
                local_text(window.end)
            ),
            (ReminderKind::Maintenance { window, .. }, Lang::En) => format!(
                "TIP-I will be closed from {} to {} (Québec time). Send before, or your batches \
                 will wait until it reopens.",
                local_text(window.start),
                local_text(window.end)
            ),
        }
    }
}

/// Delivers reminders (the desktop's notifications, a phone's, a log line...).
pub trait Notifier: Send + Sync {
    /// Shows one reminder. [`Tipi::deliver_due`] logs its key first, so a failure here is
    /// logged and the reminder is not shown again.
    fn notify(&self, reminder: &Reminder, lang: Lang) -> Result<(), String>;
}

impl Tipi {
    /// The facts [`plan`] needs, read from the store.
    pub async fn reminder_facts(&self) -> CoreResult<ReminderFacts> {
        let profile = self.store.profile().await?;
        let status = self
            .store
            .setting(crate::sync::AGENCY_STATUS)
            .await?
            .as_deref()
            .and_then(crate::sync::parse_status);
        let mut awaiting = Vec::new();
        for entry in self.store.awaiting_returns().await? {
            if let (OutboxKind::Batch { attestation_number }, Some(sent)) =
                (&entry.kind, entry.sent_at)
            {
                awaiting.push((*attestation_number, sent));
            }
        }
        let mut claims = Vec::new();
        for state in [
            ClaimState::Draft,
            ClaimState::Ready,
            ClaimState::Refused,
            ClaimState::Receivable,
        ] {
            for stored in self.store.claims_in_state(state, 100_000).await? {
                let sent_on = if state == ClaimState::Receivable {
                    self.sent_on(stored.id).await?
                } else {
                    None
                };
                claims.push(ClaimFact {
                    id: stored.id,
                    external_id: stored.claim.external_id.clone(),
                    state,
                    first_service: stored.claim.lines.iter().map(|l| l.service_date).min(),
                    late_allowed: stored.claim.late_allowed,
                    sent_on,
                });
            }
        }
        Ok(ReminderFacts {
            password_set_on: profile.as_ref().and_then(|p| p.password_set_on),
            calendar: self.cached_calendar().await?,
            status,
            production_since: profile.and_then(|p| p.production_since),
            awaiting_returns: awaiting,
            claims,
            maintenance: self.store.maintenance_windows().await?,
        })
    }

    /// The reminders due now and not delivered yet.
    pub async fn due_reminders(&self) -> CoreResult<Vec<Reminder>> {
        let facts = self.reminder_facts().await?;
        let mut due = Vec::new();
        for reminder in plan(self.now(), &facts, &self.business) {
            if self
                .store
                .reminder_delivered_at(&reminder.key)
                .await?
                .is_none()
            {
                due.push(reminder);
            }
        }
        Ok(due)
    }

    /// The reminders that become due within `days` days, not delivered yet, with when
    /// ([`upcoming`]).
    pub async fn upcoming_reminders(
        &self,
        days: u64,
    ) -> CoreResult<Vec<(DateTime<Utc>, Reminder)>> {
        let facts = self.reminder_facts().await?;
        let mut pending = Vec::new();
        for (at, reminder) in upcoming(self.now(), days, &facts, &self.business) {
            if self
                .store
                .reminder_delivered_at(&reminder.key)
                .await?
                .is_none()
            {
                pending.push((at, reminder));
            }
        }
        Ok(pending)
    }

    /// Records that `key` was shown at `at` (by an OS scheduler the host handed it to), so it
    /// is not delivered again. Returns `false` when it already was.
    pub async fn mark_reminder_shown(&self, key: &str, at: DateTime<Utc>) -> CoreResult<bool> {
        Ok(self.store.mark_reminder_delivered(key, at).await?)
    }

    /// Delivers each due reminder once: its key is logged first (so a crash can at worst skip
    /// one, never repeat it), then the notifier shows it. Returns what was delivered.
    pub async fn deliver_due(
        &self,
        notifier: &dyn Notifier,
        lang: Lang,
    ) -> CoreResult<Vec<Reminder>> {
        let mut delivered = Vec::new();
        for reminder in self.due_reminders().await? {
            if !self
                .store
                .mark_reminder_delivered(&reminder.key, self.now())
                .await?
            {
                continue;
            }
            if let Err(error) = notifier.notify(&reminder, lang) {
                tracing::warn!(key = %reminder.key, %error, "reminder not shown");
            }
            delivered.push(reminder);
        }
        Ok(delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use tipi_domain::billing::Cycle;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    /// 10:00 in Montréal on 2026-`m`-`d` (EDT from March 8).
    fn morning(m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, m, d, 14, 0, 0).unwrap()
    }

    fn keys(now: DateTime<Utc>, facts: &ReminderFacts) -> Vec<String> {
        plan(now, facts, &BusinessCalendar::quebec())
            .into_iter()
            .map(|r| r.key)
            .collect()
    }

    #[test]
    fn password_reminders_come_at_14_7_3_1_and_0_days_with_one_key_each() {
        // Set on March 1: expires May 30.
        let facts = ReminderFacts {
            password_set_on: Some(date(3, 1)),
            ..ReminderFacts::default()
        };
        assert!(keys(morning(5, 15), &facts).is_empty(), "15 days left");
        assert_eq!(
            keys(morning(5, 16), &facts),
            ["password-expiry:2026-05-30:14d"]
        );
        assert_eq!(
            keys(morning(5, 20), &facts),
            ["password-expiry:2026-05-30:14d"]
        );
        assert_eq!(
            keys(morning(5, 23), &facts),
            ["password-expiry:2026-05-30:7d"]
        );
        assert_eq!(
            keys(morning(5, 27), &facts),
            ["password-expiry:2026-05-30:3d"]
        );
        assert_eq!(
            keys(morning(5, 29), &facts),
            ["password-expiry:2026-05-30:1d"]
        );
        assert_eq!(
            keys(morning(5, 30), &facts),
            ["password-expiry:2026-05-30:0d"]
        );
        assert_eq!(
            keys(morning(6, 10), &facts),
            ["password-expiry:2026-05-30:0d"]
        );
        let reminder = &plan(morning(5, 29), &facts, &BusinessCalendar::quebec())[0];
        assert!(reminder.body(Lang::Fr).contains("1 jour"));
        assert!(reminder.body(Lang::En).contains("2026-05-30"));
    }

    #[test]
    fn calendar_status_batches_and_claims_each_give_their_reminder() {
        let cycle = |number, start: NaiveDate, end: NaiveDate| Cycle {
            number,
            start,
            end,
            cutoff: end,
            payment_date: end + chrono::Days::new(14),
        };
        let calendar = BillingCalendar::new(vec![
            cycle(1, date(3, 1), date(3, 14)),
            cycle(2, date(3, 15), date(3, 28)),
        ])
        .unwrap();
        let facts = ReminderFacts {
            calendar: Some(calendar),
            status: Some(AgencyStatus::Test),
            awaiting_returns: vec![(AttestationNumber::new(3).unwrap(), morning(3, 12))],
            claims: vec![
                ClaimFact {
                    id: ClaimId(1),
                    external_id: "F-1".into(),
                    state: ClaimState::Ready,
                    first_service: Some(date(3, 13) - chrono::Days::new(85)),
                    late_allowed: false,
                    sent_on: None,
                },
                ClaimFact {
                    id: ClaimId(2),
                    external_id: "F-2".into(),
                    state: ClaimState::Receivable,
                    first_service: Some(date(1, 20)),
                    late_allowed: false,
                    sent_on: Some(date(1, 27)),
                },
                ClaimFact {
                    id: ClaimId(3),
                    external_id: "F-3".into(),
                    state: ClaimState::Receivable,
                    first_service: Some(date(3, 1)),
                    late_allowed: false,
                    sent_on: Some(date(3, 2)),
                },
            ],
            ..ReminderFacts::default()
        };
        // Friday March 13: cut-off (March 14) tomorrow; Thursday's batch has its returns since
        // 08:00; F-1 reaches its 90 days on March 18; F-2 was sent 45 days ago.
        assert_eq!(
            keys(morning(3, 13), &facts),
            [
                "cutoff:2026-03-14",
                "returns:3",
                "late-limit:1:2026-03-18",
                "statement-missing:2",
            ]
        );
        // Saturday: the cycle changes tomorrow, while the agency is still in test.
        let saturday = plan(morning(3, 14), &facts, &BusinessCalendar::quebec());
        assert_eq!(saturday[0].key, "cycle-change:2026-03-15");
        assert_eq!(
            saturday[0].kind,
            ReminderKind::CycleChange {
                tomorrow: date(3, 15),
                in_test: true
            }
        );
        assert!(saturday[0].body(Lang::Fr).contains("reporterait"));
        let live = ReminderFacts {
            status: Some(AgencyStatus::Production),
            production_since: Some(date(3, 12)),
            ..ReminderFacts::default()
        };
        assert_eq!(keys(morning(3, 16), &live), ["went-live:2026-03-12"]);
    }

    /// Thursday 2026-03-19, 19:00-23:00 in Montréal.
    fn thursday_evening_window() -> MaintenanceWindow {
        MaintenanceWindow::new(
            Utc.with_ymd_and_hms(2026, 3, 19, 23, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 3, 20, 3, 0, 0).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn maintenance_is_announced_within_a_week_then_the_day_before() {
        let window = thursday_evening_window();
        let facts = ReminderFacts {
            maintenance: vec![window],
            ..ReminderFacts::default()
        };
        let announced = "maintenance:2026-03-19T23:00:00+00:00/2026-03-20T03:00:00+00:00:announced";
        let eve = "maintenance:2026-03-19T23:00:00+00:00/2026-03-20T03:00:00+00:00:eve";
        assert!(keys(morning(3, 12), &facts).is_empty(), "more than 7 days");
        assert_eq!(keys(morning(3, 13), &facts), [announced]);
        assert_eq!(keys(morning(3, 17), &facts), [announced]);
        // From the start of Wednesday (Québec), the eve reminder replaces the announcement.
        let tuesday_late = Utc.with_ymd_and_hms(2026, 3, 18, 3, 59, 0).unwrap();
        assert_eq!(keys(tuesday_late, &facts), [announced]);
        assert_eq!(
            keys(tuesday_late + chrono::Duration::minutes(1), &facts),
            [eve]
        );
        assert_eq!(keys(morning(3, 19), &facts), [eve]);
        // Started: nothing more.
        assert!(keys(window.start, &facts).is_empty());
        let reminder = &plan(morning(3, 18), &facts, &BusinessCalendar::quebec())[0];
        assert_eq!(reminder.title(Lang::Fr), "Maintenance de TIP-I demain");
        assert_eq!(reminder.kind.route(), "calendar");
        assert!(
            reminder
                .body(Lang::Fr)
                .contains("du 2026-03-19 19:00 au 2026-03-19 23:00"),
            "{}",
            reminder.body(Lang::Fr)
        );
        assert!(reminder
            .body(Lang::En)
            .contains("from 2026-03-19 19:00 to 2026-03-19 23:00"));
    }

    #[test]
    fn each_kind_opens_its_screen() {
        let facts = ReminderFacts {
            password_set_on: Some(date(1, 10)),
            claims: vec![ClaimFact {
                id: ClaimId(4),
                external_id: "F-4".into(),
                state: ClaimState::Draft,
                first_service: Some(date(1, 1)),
                late_allowed: false,
                sent_on: None,
            }],
            ..ReminderFacts::default()
        };
        let routes: Vec<String> = plan(morning(3, 30), &facts, &BusinessCalendar::quebec())
            .iter()
            .map(|r| r.kind.route())
            .collect();
        assert_eq!(routes, ["settings?section=password", "claims?state=draft"]);
        let cutoff = ReminderKind::CutoffTomorrow {
            cutoff: date(3, 20),
        };
        assert_eq!(cutoff.route(), "send");
        let returns = ReminderKind::ReturnsReady {
            attestation: AttestationNumber::new(1).unwrap(),
        };
        assert_eq!(returns.route(), "journal");
    }

    #[test]
    fn upcoming_reminders_come_once_each_at_nine_in_the_morning() {
        let facts = ReminderFacts {
            maintenance: vec![thursday_evening_window()],
            ..ReminderFacts::default()
        };
        // Tuesday March 10 at 10:00: the announcement is due from the 13th, the eve on the 18th.
        let next = upcoming(morning(3, 10), 14, &facts, &BusinessCalendar::quebec());
        let nine = |d| Utc.with_ymd_and_hms(2026, 3, d, 13, 0, 0).unwrap();
        let found: Vec<_> = next
            .iter()
            .map(|(at, r)| (*at, r.key.ends_with(":eve")))
            .collect();
        assert_eq!(found, [(nine(13), false), (nine(18), true)]);
        // Already due now: not in the schedule (delivered at once instead).
        let later = upcoming(morning(3, 13), 14, &facts, &BusinessCalendar::quebec());
        assert_eq!(later.len(), 1);
        assert!(later[0].1.key.ends_with(":eve"));
    }

    /// Records what it is asked to show.
    #[derive(Default)]
    struct Recorder(std::sync::Mutex<Vec<String>>);

    impl Notifier for Recorder {
        fn notify(&self, reminder: &Reminder, lang: Lang) -> Result<(), String> {
            self.0.lock().unwrap().push(reminder.title(lang));
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_cached_maintenance_window_is_delivered_once_at_each_step_and_closes_the_window() {
        let (tipi, clock) = crate::test_support::offline_tipi().await;
        // Password set on March 1: no password reminder before May.
        let window = thursday_evening_window();
        tipi.store
            .replace_calendar(&[], &[window], tipi.now())
            .await
            .unwrap();
        tipi.load_cached_maintenance().await.unwrap();
        assert_eq!(tipi.upcoming_maintenance(), [window]);
        let recorder = Recorder::default();
        let shown = || recorder.0.lock().unwrap().clone();
        // Tuesday March 10: nine days ahead, nothing yet.
        tipi.deliver_due(&recorder, Lang::En).await.unwrap();
        assert!(shown().is_empty());
        for day in [13, 14, 16] {
            clock.set(morning(3, day));
            tipi.deliver_due(&recorder, Lang::En).await.unwrap();
        }
        assert_eq!(shown(), ["TIP-I maintenance announced"]);
        for hour in [14, 20] {
            clock.set(Utc.with_ymd_and_hms(2026, 3, 18, hour, 0, 0).unwrap());
            tipi.deliver_due(&recorder, Lang::En).await.unwrap();
        }
        assert_eq!(
            shown(),
            ["TIP-I maintenance announced", "TIP-I maintenance tomorrow"]
        );
        // Thursday at 19:30 in Montréal: the Send screen's rule says TIP-I is closed until the
        // window ends, then until Friday 07:00 (22:00 has passed by then).
        let inside = window.start + chrono::Duration::minutes(30);
        clock.set(inside);
        tipi.deliver_due(&recorder, Lang::En).await.unwrap();
        assert_eq!(shown().len(), 2);
        let service = tipi.service_window();
        assert!(!service.is_open(inside));
        assert_eq!(
            service.next_opening(inside),
            Utc.with_ymd_and_hms(2026, 3, 20, 11, 0, 0).unwrap()
        );
        // Before the window, open, closing when it starts.
        let before = window.start - chrono::Duration::hours(1);
        assert_eq!(service.closes_at(before), Some(window.start));
        // Ended windows are no longer upcoming.
        clock.set(window.end);
        assert!(tipi.upcoming_maintenance().is_empty());
    }
}
