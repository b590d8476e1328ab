//! Reminders. [`plan`] is pure: given now and the facts (password date, calendar, agency
//! status, claims, batches), it says what is due, each with a stable key so the app delivers
//! it once (the store's reminder log remembers delivered keys). Delivery itself is the host's
//! job, through a [`Notifier`].

use chrono::{DateTime, NaiveDate, Utc};
use tipi_domain::billing::BillingCalendar;
use tipi_domain::calendar::BusinessCalendar;
use tipi_domain::ids::AttestationNumber;
use tipi_domain::lang::Lang;
use tipi_domain::password;
use tipi_domain::time::{self, local_date};
use tipi_protocol::service::AgencyStatus;
use tipi_store::claims::{ClaimEventKind, ClaimId, ClaimState};
use tipi_store::outbox::OutboxKind;

use crate::engine::Tipi;
use crate::error::CoreResult;

/// Days before the password expires when a reminder is due (0: the day it expires).
pub const PASSWORD_THRESHOLDS: [i64; 5] = [14, 7, 3, 1, 0];

/// Days before a claim's 90-day limit when a reminder is due.
pub const LATE_LIMIT_WARNING_DAYS: i64 = 7;

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
                    self.store
                        .claim_history(stored.id)
                        .await?
                        .iter()
                        .rev()
                        .find(|e| {
                            e.kind == ClaimEventKind::StateChanged && e.to == Some(ClaimState::Sent)
                        })
                        .map(|e| local_date(e.at))
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
}
