//! Transmitting queued batches. The outbox row is written before anything is sent and its
//! state only moves forward. A send whose outcome is unknown (timeout, dropped answer, a
//! crash between "sent" and "recorded") leaves the row Sending; before sending it again the
//! transmitter asks TIP-I for the batch by its numéro d'attestation, so a batch TIP-I already
//! has is never sent twice, and one it does not have is sent again byte for byte: never lost.

use chrono::{DateTime, Utc};
use tipi_client::{ClientError, Credentials, Reached};
use tipi_domain::ids::AttestationNumber;
use tipi_protocol::service::BatchReceipt;
use tipi_store::exchanges::{ExchangeKind, NewExchange};
use tipi_store::outbox::{OutboxEntry, OutboxKind, OutboxState};
use tipi_store::profile::Profile;

use crate::engine::Tipi;
use crate::error::{CoreError, CoreResult};

/// How many times one transmit call tries a batch whose sends keep failing in transit.
const MAX_ATTEMPTS: u32 = 3;

/// Names the one point where a test may make Tipi panic (`TIPI_INJECT_PANIC=after_send`).
pub const INJECT_PANIC_VAR: &str = "TIPI_INJECT_PANIC";

/// Panics at `point` when `TIPI_INJECT_PANIC` names it: the fault tests die between TIP-I's
/// acknowledgement and its record, the worst moment, and the leak scan reads the panic message,
/// which carries the credentials' Debug on purpose (it must show `<redacted>`).
fn injected_panic(point: &str, context: &dyn std::fmt::Debug) {
    if std::env::var(INJECT_PANIC_VAR).is_ok_and(|wanted| wanted == point) {
        panic!("injected panic at {point}: {context:?}");
    }
}

/// A batch TIP-I acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentBatch {
    /// Its numéro d'attestation.
    pub attestation: AttestationNumber,
    /// When TIP-I recorded it.
    pub received_at: DateTime<Utc>,
    /// When its receivability return is available.
    pub returns_available_at: DateTime<Utc>,
    /// `false` when the agency was in its test period: the claims will not be paid.
    pub counted_for_payment: bool,
    /// `true` when it had been received already (found through TIP-I after an unknown
    /// outcome) and so was not sent again.
    pub recovered: bool,
}

/// A batch TIP-I refused as a whole (its claims are Ready again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedBatch {
    /// Its numéro d'attestation (used up).
    pub attestation: AttestationNumber,
    /// TIP-I's error code.
    pub code: String,
}

/// What a transmit call did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransmitReport {
    /// Batches acknowledged (or found at TIP-I) during this call, oldest first.
    pub sent: Vec<SentBatch>,
    /// Batches refused as a whole.
    pub refused: Vec<RefusedBatch>,
    /// Direct requests left unfinished by an earlier run, now settled.
    pub directs_settled: usize,
}

enum Outcome {
    Sent(SentBatch),
    Refused(RefusedBatch),
}

impl Tipi {
    /// Sends every queued batch, oldest first, when TIP-I is open; otherwise fails with
    /// [`CoreError::OutsideServiceWindow`] saying when it reopens. Stops at the first batch
    /// that cannot be settled (its state says where it is; the next call resumes safely).
    pub async fn transmit(&self) -> CoreResult<TransmitReport> {
        let (profile, credentials) = self.credentials().await?;
        let in_flight = self.store.in_flight().await?;
        let mut report = TransmitReport::default();
        let (batches, directs): (Vec<OutboxEntry>, Vec<OutboxEntry>) = in_flight
            .into_iter()
            .partition(|e| matches!(e.kind, OutboxKind::Batch { .. }));
        let now = self.now();
        let window = self.service_window();
        let nothing_to_do = batches.is_empty() && directs.is_empty();
        if !nothing_to_do && !window.is_open(now) {
            return Err(CoreError::OutsideServiceWindow {
                reopens_at: window.next_opening(now),
            });
        }
        if !directs.is_empty() {
            report.directs_settled = self.settle_directs(&profile, &credentials, directs).await?;
        }
        for entry in batches {
            match self.transmit_one(&profile, &credentials, &entry).await? {
                Outcome::Sent(sent) => report.sent.push(sent),
                Outcome::Refused(refused) => report.refused.push(refused),
            }
        }
        Ok(report)
    }

    async fn transmit_one(
        &self,
        profile: &Profile,
        credentials: &Credentials,
        entry: &OutboxEntry,
    ) -> CoreResult<Outcome> {
        let OutboxKind::Batch { attestation_number } = entry.kind else {
            return Err(CoreError::NotFound("batch"));
        };
        let mut state = entry.state;
        let mut last_error = None;
        for _ in 0..MAX_ATTEMPTS {
            if state == OutboxState::Sending {
                // An earlier send may have reached TIP-I: ask before sending again.
                match self.transport.batch(credentials, attestation_number).await {
                    Ok(receipt) => {
                        return self.settle_found(entry, attestation_number, receipt).await
                    }
                    Err(ClientError::NotFound) => {}
                    Err(error) => return Err(self.authenticated_error(profile, error)),
                }
            }
            self.store.mark_sending(entry.id, self.now()).await?;
            state = OutboxState::Sending;
            match self.transport.send_batch(credentials, &entry.payload).await {
                Ok(receipt) => {
                    injected_panic("after_send", &(attestation_number, credentials));
                    return Ok(Outcome::Sent(
                        self.record_sent(entry, attestation_number, receipt, false)
                            .await?,
                    ));
                }
                Err(ClientError::AttestationOutOfSequence { expected })
                    if expected > attestation_number =>
                {
                    // TIP-I has this number already: ours (an earlier send) or not ours.
                    return match self.transport.batch(credentials, attestation_number).await {
                        Ok(receipt) => self.settle_found(entry, attestation_number, receipt).await,
                        Err(ClientError::NotFound) => {
                            self.refuse(
                                entry,
                                attestation_number,
                                "AttestationOutOfSequence",
                                Some(expected),
                            )
                            .await
                        }
                        Err(error) => Err(self.authenticated_error(profile, error)),
                    };
                }
                Err(
                    error @ (ClientError::TrailerMismatch { .. }
                    | ClientError::TransmissionMismatch
                    | ClientError::Rejected(_)
                    | ClientError::MalformedMessage),
                ) => {
                    return self
                        .refuse(entry, attestation_number, error.code(), None)
                        .await;
                }
                Err(
                    error @ (ClientError::Transport {
                        reached: Reached::Unknown,
                    }
                    | ClientError::Server { .. }
                    | ClientError::Protocol { .. }),
                ) => {
                    tracing::warn!(
                        attestation = attestation_number.get(),
                        code = error.code(),
                        "batch send outcome unknown or failed; asking TIP-I before any resend"
                    );
                    last_error = Some(error);
                }
                Err(error) => return Err(self.authenticated_error(profile, error)),
            }
        }
        Err(last_error
            .map(CoreError::from)
            .unwrap_or(CoreError::Unreachable))
    }

    /// TIP-I has a batch with our number: ours if its count matches, else the number was
    /// used by someone else.
    async fn settle_found(
        &self,
        entry: &OutboxEntry,
        attestation: AttestationNumber,
        receipt: BatchReceipt,
    ) -> CoreResult<Outcome> {
        if receipt.nbr_dem as usize == entry.claims.len() {
            tracing::info!(
                attestation = attestation.get(),
                "batch already received by TIP-I; not sent again"
            );
            Ok(Outcome::Sent(
                self.record_sent(entry, attestation, receipt, true).await?,
            ))
        } else {
            self.refuse(
                entry,
                attestation,
                "AttestationOutOfSequence",
                attestation.next(),
            )
            .await
        }
    }

    async fn record_sent(
        &self,
        entry: &OutboxEntry,
        attestation: AttestationNumber,
        receipt: BatchReceipt,
        recovered: bool,
    ) -> CoreResult<SentBatch> {
        self.store.mark_sent(entry.id, receipt.received_at).await?;
        self.store
            .record_exchange(&NewExchange {
                remote_id: Some(receipt.exchange_id.clone()),
                kind: ExchangeKind::BatchSent,
                occurred_at: receipt.received_at,
                outbox_id: Some(entry.id),
                attestation_number: Some(attestation),
                no_dem_ext: None,
                status: Some(crate::sync::exchange_state_name(receipt.state).to_owned()),
                detail: Some(format!("{} demande(s)", receipt.nbr_dem)),
            })
            .await?;
        Ok(SentBatch {
            attestation,
            received_at: receipt.received_at,
            returns_available_at: receipt.returns_available_at,
            counted_for_payment: receipt.counted_for_payment,
            recovered,
        })
    }

    async fn refuse(
        &self,
        entry: &OutboxEntry,
        attestation: AttestationNumber,
        code: &str,
        expected: Option<AttestationNumber>,
    ) -> CoreResult<Outcome> {
        tracing::warn!(
            attestation = attestation.get(),
            code,
            "batch refused as a whole"
        );
        self.store.mark_rejected(entry.id, code, self.now()).await?;
        if let Some(expected) = expected {
            if expected > self.store.next_attestation_number().await? {
                self.store.advance_attestation_number(expected).await?;
            }
        }
        Ok(Outcome::Refused(RefusedBatch {
            attestation,
            code: code.to_owned(),
        }))
    }
}
