//! Synchronising with TIP-I: the exchange journal, the agency's status (test or production
//! and since when), receivability returns (claims become receivable with RAMQ's numbers, or
//! refused with its messages) and statements (états de compte). Every step is idempotent: a
//! sync cut short is simply run again.

use chrono::{DateTime, NaiveDate, Utc};
use tipi_client::{ClientError, Credentials};
use tipi_domain::ids::AttestationNumber;
use tipi_protocol::lot::LotDemPaimtRecev;
use tipi_protocol::service::{AgencyStatus, ExchangeKind as RemoteKind, ExchangeState, Journal};
use tipi_store::claims::{ClaimId, ClaimState};
use tipi_store::exchanges::{ExchangeKind, NewExchange};
use tipi_store::outbox::{OutboxEntry, OutboxKind};
use tipi_store::profile::Profile;
use tipi_store::statements::{Statement, StatementLine};

use crate::engine::Tipi;
use crate::error::{CoreError, CoreResult};
use crate::wire;

/// The setting holding the agency status last read from TIP-I (`test` / `production`).
pub const AGENCY_STATUS: &str = "agency.status";

/// What a sync found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Test or production.
    pub status: AgencyStatus,
    /// *En production depuis*.
    pub production_since: Option<NaiveDate>,
    /// Batches whose returns were applied in this sync.
    pub returns_applied: Vec<AttestationNumber>,
    /// Claims that became receivable in this sync.
    pub receivable: usize,
    /// Claims refused in this sync (including invoices not counted during the test period).
    pub refused: usize,
    /// Cycles whose statement was recorded in this sync.
    pub statements: Vec<u32>,
    /// Claims sent during the test period that must be sent again now that the agency is in
    /// production ([`Tipi::resend_test_period_claims`] does it in one action).
    pub test_period_resend: Vec<ClaimId>,
}

/// A stable name of a journal state, kept in the local journal copy.
pub(crate) fn exchange_state_name(state: ExchangeState) -> &'static str {
    match state {
        ExchangeState::Received => "received",
        ExchangeState::Processed => "processed",
        ExchangeState::ReturnsAvailable => "returns_available",
        ExchangeState::Answered => "answered",
        ExchangeState::Available => "available",
    }
}

fn status_name(status: AgencyStatus) -> &'static str {
    match status {
        AgencyStatus::Test => "test",
        AgencyStatus::Production => "production",
    }
}

/// Parses [`status_name`]'s output.
pub(crate) fn parse_status(text: &str) -> Option<AgencyStatus> {
    match text {
        "test" => Some(AgencyStatus::Test),
        "production" => Some(AgencyStatus::Production),
        _ => None,
    }
}

impl Tipi {
    /// Reads the journal, the returns and the statements, and updates the local state.
    pub async fn sync(&self) -> CoreResult<SyncReport> {
        let (profile, credentials) = self.credentials().await?;
        let journal = self
            .transport
            .journal(&credentials)
            .await
            .map_err(|e| self.authenticated_error(&profile, e))?;
        self.apply_agency_status(
            &journal.status,
            journal.production_since,
            journal.next_attestation,
        )
        .await?;
        self.record_journal(&journal).await?;
        let mut report = SyncReport {
            status: journal.status,
            production_since: journal.production_since,
            returns_applied: Vec::new(),
            receivable: 0,
            refused: 0,
            statements: Vec::new(),
            test_period_resend: Vec::new(),
        };
        for entry in self.store.awaiting_returns().await? {
            let OutboxKind::Batch { attestation_number } = entry.kind else {
                continue;
            };
            if !returns_available(&journal, attestation_number) {
                continue;
            }
            match self
                .transport
                .batch_returns(&credentials, attestation_number)
                .await
            {
                Ok(returns) => {
                    let (receivable, refused) = self.apply_returns(&entry, &returns).await?;
                    report.receivable += receivable;
                    report.refused += refused;
                    report.returns_applied.push(attestation_number);
                }
                Err(ClientError::NotYetAvailable { .. }) => {}
                Err(error) => return Err(self.authenticated_error(&profile, error)),
            }
        }
        report.statements = self.sync_statements(&profile, &credentials).await?;
        if journal.status == AgencyStatus::Production {
            report.test_period_resend = self.test_period_claims().await?;
        }
        Ok(report)
    }

    pub(crate) async fn apply_agency_status(
        &self,
        status: &AgencyStatus,
        production_since: Option<NaiveDate>,
        next_attestation: u32,
    ) -> CoreResult<()> {
        let now = self.now();
        self.store
            .set_setting(AGENCY_STATUS, status_name(*status))
            .await?;
        if let Some(since) = production_since {
            self.store.set_production_since(since, now).await?;
        }
        // Numbers used before Tipi (or by TIP-I's own count) move the local counter forward.
        if let Ok(expected) = AttestationNumber::new(next_attestation) {
            if expected > self.store.next_attestation_number().await?
                && self.store.in_flight_count().await? == 0
            {
                self.store.advance_attestation_number(expected).await?;
            }
        }
        Ok(())
    }

    async fn record_journal(&self, journal: &Journal) -> CoreResult<()> {
        for remote in &journal.exchanges {
            let attestation = remote.no_attes.and_then(|n| AttestationNumber::new(n).ok());
            let outbox_id = match attestation {
                Some(n) if matches!(remote.kind, RemoteKind::Batch | RemoteKind::Returns) => {
                    self.store.outbox_by_attestation(n).await?.map(|e| e.id)
                }
                _ => None,
            };
            let no_dem_ext = remote
                .no_dem_ext
                .as_deref()
                .and_then(|n| tipi_domain::ids::ExternalRequestNumber::parse(n).ok());
            let kind = match remote.kind {
                RemoteKind::Batch => ExchangeKind::BatchSent,
                RemoteKind::Direct => ExchangeKind::DirectSent,
                RemoteKind::Returns => ExchangeKind::ReceivabilityReturned,
                RemoteKind::Statement => ExchangeKind::Statement,
            };
            let mut detail = Vec::new();
            if let Some(n) = remote.nbr_dem {
                detail.push(format!("{n} demande(s)"));
            }
            if let Some(n) = remote.nbr_dem_recev {
                detail.push(format!("{n} recevable(s)"));
            }
            if let Some(cycle) = remote.no_cycle {
                detail.push(format!("cycle {cycle}"));
            }
            if remote.counted_for_payment == Some(false) {
                detail.push("période de test".into());
            }
            self.store
                .record_exchange(&NewExchange {
                    remote_id: Some(remote.id.clone()),
                    kind,
                    occurred_at: remote.at,
                    outbox_id,
                    attestation_number: attestation,
                    no_dem_ext,
                    status: Some(exchange_state_name(remote.state).to_owned()),
                    detail: (!detail.is_empty()).then(|| detail.join(", ")),
                })
                .await?;
        }
        Ok(())
    }

    /// Applies a batch's receivability return; claims already judged are left alone, so a
    /// cut-short sync can run again. Returns (receivable, refused) counts.
    async fn apply_returns(
        &self,
        entry: &OutboxEntry,
        returns: &LotDemPaimtRecev,
    ) -> CoreResult<(usize, usize)> {
        let mut counts = (0, 0);
        let now = self.now();
        for request in &returns.dem_paimt_recev {
            for fact in &request.liste_fact_recev {
                let Some(stored) = self
                    .store
                    .claim_by_external_id(fact.no_fact_ext.trim())
                    .await?
                else {
                    tracing::warn!("a returned invoice matches no local claim");
                    continue;
                };
                if !entry.claims.contains(&stored.id) || stored.state != ClaimState::Sent {
                    continue;
                }
                let result = wire::receivability(stored.id, entry.id, now, request, fact);
                self.store.record_receivability(&result).await?;
                if result.receivable {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        // Claims the return did not mention stay Sent; the entry is done only when all are in.
        let mut all_judged = true;
        for claim in &entry.claims {
            if self.store.claim_state(*claim).await? == ClaimState::Sent {
                all_judged = false;
            }
        }
        if all_judged {
            self.store.mark_returns_received(entry.id, now).await?;
        }
        Ok(counts)
    }

    async fn sync_statements(
        &self,
        profile: &Profile,
        credentials: &Credentials,
    ) -> CoreResult<Vec<u32>> {
        let list = self
            .transport
            .statements(credentials)
            .await
            .map_err(|e| self.authenticated_error(profile, e))?;
        let mut recorded = Vec::new();
        for summary in list.statements {
            let remote_id = format!("statement-{}", summary.no_cycle);
            let known = self
                .store
                .statements_for_cycle(summary.no_cycle)
                .await?
                .iter()
                .any(|s| s.statement.remote_id.as_deref() == Some(remote_id.as_str()));
            if known {
                continue;
            }
            let etat = self
                .transport
                .statement(credentials, summary.no_cycle)
                .await
                .map_err(|e| self.authenticated_error(profile, e))?;
            let mut lines = Vec::with_capacity(etat.liste_fact_paye.len());
            let mut paid = Vec::new();
            for fact in &etat.liste_fact_paye {
                let claim = self
                    .store
                    .claim_by_external_id(fact.no_fact_ext.trim())
                    .await?;
                if let Some(claim) = &claim {
                    if claim.state == ClaimState::Receivable {
                        paid.push(claim.id);
                    }
                }
                lines.push(StatementLine {
                    claim: claim.map(|c| c.id),
                    external_id: Some(fact.no_fact_ext.clone()),
                    no_fact_ramq: Some(fact.no_fact_ramq.clone()),
                    amount: fact.mnt_acpt,
                    message_code: None,
                });
            }
            let received_at = self.now();
            self.store
                .record_statement(&Statement {
                    remote_id: Some(remote_id),
                    cycle_number: etat.no_cycle,
                    payment_date: etat.dat_paimt,
                    received_at,
                    total: etat.mnt_paye,
                    lines,
                })
                .await?;
            for claim in paid {
                self.store.mark_claim_paid(claim, received_at).await?;
            }
            recorded.push(summary.no_cycle);
        }
        Ok(recorded)
    }

    /// Claims refused only because they were sent during the test period (receivable but not
    /// counted for payment): they must be sent again after going live.
    pub async fn test_period_claims(&self) -> CoreResult<Vec<ClaimId>> {
        let mut found = Vec::new();
        for stored in self
            .store
            .claims_in_state(ClaimState::Refused, 100_000)
            .await?
        {
            let history = self.store.receivability_history(stored.id).await?;
            let Some(last) = history.last() else { continue };
            let only_test_period = last.no_fact_ramq.is_some()
                && last
                    .messages
                    .iter()
                    .any(|m| m.code == wire::TEST_PERIOD_MESSAGE);
            if only_test_period {
                found.push(stored.id);
            }
        }
        found.sort();
        Ok(found)
    }

    /// The one action for the seed's rule "a first file sent during the test period must be
    /// sent again with a new attestation number": the claims refused only for the test period
    /// go back to Ready unchanged and into one new batch (queued; [`Tipi::transmit`] sends
    /// it). Refused while the agency is still in test.
    pub async fn resend_test_period_claims(&self) -> CoreResult<crate::batches::BatchPlan> {
        let status = self.store.setting(AGENCY_STATUS).await?;
        if status.as_deref().and_then(parse_status) != Some(AgencyStatus::Production) {
            return Err(CoreError::WrongState(ClaimState::Refused));
        }
        let claims = self.test_period_claims().await?;
        if claims.is_empty() {
            return Err(CoreError::NothingToSend);
        }
        let now = self.now();
        for id in &claims {
            let stored = self.store.claim(*id).await?;
            self.store.update_claim(*id, &stored.claim, now).await?;
            self.store.mark_claim_ready(*id, now).await?;
        }
        self.build_batch(Some(claims), crate::batches::BuildMode::Real)
            .await
    }

    /// When the returns of a batch sent at `sent` will be available.
    pub fn returns_available_at(&self, sent: DateTime<Utc>) -> DateTime<Utc> {
        tipi_domain::time::returns_available_at(sent, &self.business)
    }
}

fn returns_available(journal: &Journal, attestation: AttestationNumber) -> bool {
    journal.exchanges.iter().any(|e| {
        e.no_attes == Some(attestation.get())
            && (e.state == ExchangeState::ReturnsAvailable
                || (e.kind == RemoteKind::Returns && e.state == ExchangeState::Available))
    })
}
