//! *En direct*: one RFP claim sent alone, its receivability stored as soon as it comes back.
//! A direct request whose answer was lost is looked up in the journal by its no_dem_ext; if
//! TIP-I never got it, it is abandoned (Failed) and the claim is Ready again, never resent
//! blindly.

use tipi_client::{ClientError, Credentials, Reached};
use tipi_domain::claim::has_errors;
use tipi_domain::ids::ExternalRequestNumber;
use tipi_protocol::rfp::DemPaimtRecev;
use tipi_protocol::service::{ExchangeKind as RemoteKind, Journal};
use tipi_store::claims::{ClaimId, ClaimState};
use tipi_store::exchanges::{ExchangeKind, NewExchange};
use tipi_store::outbox::{NewDirect, OutboxEntry, OutboxId, OutboxKind, OutboxState};
use tipi_store::profile::Profile;
use tipi_store::receivability::{Receivability, ReceivabilityMessage};
use tipi_store::StoreError;

use crate::engine::Tipi;
use crate::error::{CoreError, CoreResult};
use crate::wire;

const DIRECT_COUNTER: &str = "direct.next_no_dem_ext";

/// The result of a direct request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectResult {
    /// The request's number.
    pub no_dem_ext: ExternalRequestNumber,
    /// The claim's state now: Receivable or Refused.
    pub state: ClaimState,
    /// RAMQ's invoice number, when receivable.
    pub no_fact_ramq: Option<String>,
    /// RAMQ's messages (code, French text).
    pub messages: Vec<(String, String)>,
}

impl Tipi {
    async fn next_direct_number(&self) -> CoreResult<ExternalRequestNumber> {
        let next = match self.store.setting(DIRECT_COUNTER).await? {
            Some(text) => text.parse::<u64>().unwrap_or(wire::FIRST_DIRECT_NUMBER),
            None => wire::FIRST_DIRECT_NUMBER,
        };
        // Taken before use: a crash skips a number, never reuses one.
        self.store
            .set_setting(DIRECT_COUNTER, &(next + 1).to_string())
            .await?;
        ExternalRequestNumber::new(next).map_err(CoreError::from)
    }

    /// Sends one Ready RFP claim *en direct* and stores RAMQ's answer at once.
    pub async fn submit_direct(&self, id: ClaimId) -> CoreResult<DirectResult> {
        let (profile, credentials) = self.credentials().await?;
        let stored = self.store.claim(id).await?;
        if stored.state != ClaimState::Ready {
            return Err(CoreError::WrongState(stored.state));
        }
        if !stored.claim.remuneration.allows_direct() {
            return Err(CoreError::DirectNotAllowed);
        }
        let problems = self.validate_claim(&stored.claim);
        if has_errors(&problems) {
            return Err(CoreError::Validation(problems));
        }
        let now = self.now();
        let window = self.service_window();
        if !window.is_open(now) {
            return Err(CoreError::OutsideServiceWindow {
                reopens_at: window.next_opening(now),
            });
        }
        let no_dem_ext = self.next_direct_number().await?;
        let payload = wire::direct_bytes(
            &stored.claim,
            no_dem_ext,
            &profile.software,
            &profile.tipi_id,
        )
        .map_err(|error| {
            tracing::error!(%error, "could not serialise a direct request");
            CoreError::Storage(StoreError::Corrupt { column: "claims" })
        })?;
        let outbox = self
            .store
            .enqueue_direct(
                NewDirect {
                    no_dem_ext,
                    claim: id,
                    payload: &payload,
                },
                now,
            )
            .await?;
        self.store.mark_sending(outbox, now).await?;
        match self.transport.send_direct(&credentials, &payload).await {
            Ok(answer) => self.record_direct(outbox, id, no_dem_ext, &answer).await,
            Err(error) if error.certainly_not_processed() => {
                // Nothing reached TIP-I: the claim is Ready again for a later try.
                self.store
                    .mark_failed(outbox, error.code(), self.now())
                    .await?;
                Err(self.authenticated_error(&profile, error))
            }
            Err(error) => {
                tracing::warn!(
                    code = error.code(),
                    "direct answer lost; checking the journal"
                );
                let entry = self.store.outbox_entry(outbox).await?;
                self.settle_directs(&profile, &credentials, vec![entry])
                    .await?;
                let state = self.store.claim_state(id).await?;
                if state == ClaimState::Ready {
                    return Err(CoreError::from(ClientError::Transport {
                        reached: Reached::Unknown,
                    }));
                }
                Ok(DirectResult {
                    no_dem_ext,
                    state,
                    no_fact_ramq: self.store.claim(id).await?.no_fact_ramq,
                    messages: Vec::new(),
                })
            }
        }
    }

    async fn record_direct(
        &self,
        outbox: OutboxId,
        claim: ClaimId,
        no_dem_ext: ExternalRequestNumber,
        answer: &DemPaimtRecev,
    ) -> CoreResult<DirectResult> {
        let now = self.now();
        self.store.mark_sent(outbox, now).await?;
        let fact = answer.liste_fact_recev.first();
        let result = match fact {
            Some(fact) => wire::receivability(claim, outbox, now, answer, fact),
            None => Receivability {
                claim,
                outbox: Some(outbox),
                received_at: now,
                receivable: false,
                no_fact_ramq: None,
                jeton_comm: None,
                lines: Vec::new(),
                messages: answer
                    .liste_msg_expl_recev
                    .iter()
                    .map(|m| ReceivabilityMessage {
                        line_no: None,
                        code: m.cod_msg_expl_recev.clone(),
                        text: m.txt_msg_expl_recev.clone(),
                    })
                    .collect(),
            },
        };
        self.store.record_receivability(&result).await?;
        self.store.mark_returns_received(outbox, now).await?;
        self.store
            .record_exchange(&NewExchange {
                remote_id: Some(format!("direct-{no_dem_ext}")),
                kind: ExchangeKind::DirectSent,
                occurred_at: now,
                outbox_id: Some(outbox),
                attestation_number: None,
                no_dem_ext: Some(no_dem_ext),
                status: Some(
                    if result.receivable {
                        "receivable"
                    } else {
                        "refused"
                    }
                    .into(),
                ),
                detail: None,
            })
            .await?;
        Ok(DirectResult {
            no_dem_ext,
            state: if result.receivable {
                ClaimState::Receivable
            } else {
                ClaimState::Refused
            },
            no_fact_ramq: result.no_fact_ramq.clone(),
            messages: result
                .messages
                .iter()
                .map(|m| (m.code.clone(), m.text.clone()))
                .collect(),
        })
    }

    /// Settles direct requests left Queued or Sending: found in the journal, they are Sent
    /// and judged from the journal's count; not found, they are Failed (claim Ready again).
    pub(crate) async fn settle_directs(
        &self,
        profile: &Profile,
        credentials: &Credentials,
        entries: Vec<OutboxEntry>,
    ) -> CoreResult<usize> {
        if entries.is_empty() {
            return Ok(0);
        }
        let journal: Journal = self
            .transport
            .journal(credentials)
            .await
            .map_err(|e| self.authenticated_error(profile, e))?;
        let mut settled = 0;
        for entry in entries {
            let OutboxKind::Direct { no_dem_ext } = entry.kind else {
                continue;
            };
            let found = journal.exchanges.iter().find(|e| {
                e.kind == RemoteKind::Direct
                    && e.no_dem_ext.as_deref().map(str::trim) == Some(&no_dem_ext.to_string())
            });
            let now = self.now();
            match found {
                Some(remote) => {
                    if entry.state == OutboxState::Queued {
                        self.store.mark_sending(entry.id, now).await?;
                    }
                    self.store.mark_sent(entry.id, remote.at).await?;
                    let receivable = remote.nbr_dem_recev.unwrap_or(0) > 0
                        && remote.counted_for_payment.unwrap_or(true);
                    for claim in &entry.claims {
                        self.store
                            .record_receivability(&Receivability {
                                claim: *claim,
                                outbox: Some(entry.id),
                                received_at: now,
                                receivable,
                                no_fact_ramq: None,
                                jeton_comm: None,
                                lines: Vec::new(),
                                messages: vec![ReceivabilityMessage {
                                    line_no: None,
                                    code: "journal".into(),
                                    text:
                                        "Réponse perdue : résultat lu dans le journal des échanges."
                                            .into(),
                                }],
                            })
                            .await?;
                    }
                    self.store.mark_returns_received(entry.id, now).await?;
                }
                None => {
                    self.store
                        .mark_failed(entry.id, "not_received", now)
                        .await?;
                }
            }
            settled += 1;
        }
        Ok(settled)
    }
}
