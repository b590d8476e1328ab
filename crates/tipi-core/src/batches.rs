//! Building a batch (lot). The dry run and the real run are one code path: the real run only
//! adds the last step, which writes the outbox row, moves the claims to Queued and advances the
//! numéro d'attestation in one store transaction.

use rust_decimal::Decimal;
use tipi_domain::batch::{Batch, ClaimProblems, MAX_CLAIMS};
use tipi_domain::ids::AttestationNumber;
use tipi_protocol::MAX_BODY_BYTES;
use tipi_store::claims::{ClaimId, ClaimState, StoredClaim};
use tipi_store::outbox::{NewBatch, OutboxId};
use tipi_store::profile::Profile;

use crate::engine::Tipi;
use crate::error::{CoreError, CoreResult};
use crate::wire;

/// Dry run or real run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildMode {
    /// Everything but writing: validates, numbers and serialises the batch.
    DryRun,
    /// Writes the batch to the outbox, ready to transmit.
    Real,
}

/// A built batch as the exact XML bytes the outbox keeps and sends for `agency`: the same
/// serialiser a real build uses, public so the benchmark (`cargo xtask bench`) measures it.
pub fn outbox_bytes(batch: &Batch, agency: &tipi_domain::ids::TipiId) -> Vec<u8> {
    wire::lot_bytes(batch, agency)
}

/// What a batch build did (or would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchPlan {
    /// Dry run or real run.
    pub mode: BuildMode,
    /// The numéro d'attestation it carries (a dry run shows the one a real run would use).
    pub attestation: AttestationNumber,
    /// Its claims, in order, with their external invoice numbers.
    pub claims: Vec<(ClaimId, String)>,
    /// Trailer: the total claimed.
    pub total: Decimal,
    /// Claims with warnings only (sent anyway).
    pub warnings: Vec<ClaimProblems>,
    /// The outbox entry (real run only).
    pub outbox: Option<OutboxId>,
    /// Whether sending it now, as the agency's first valid batch in test, would make it go
    /// live on a payment-cycle change (paid a cycle late): a reason to wait a day.
    pub pushes_payment: bool,
    /// The size of the XML file.
    pub bytes: usize,
}

impl Tipi {
    /// Builds a batch of `selection` (or the Ready claims, oldest first), as a dry run or for
    /// real. A batch holds at most [`MAX_CLAIMS`] claims and its upload at most
    /// [`MAX_BODY_BYTES`]; the claims past either limit stay Ready for the next batch.
    pub async fn build_batch(
        &self,
        selection: Option<Vec<ClaimId>>,
        mode: BuildMode,
    ) -> CoreResult<BatchPlan> {
        let profile = self.require_profile().await?;
        let mut stored = match selection {
            Some(ids) => {
                let mut claims = Vec::with_capacity(ids.len().min(MAX_CLAIMS));
                for id in ids.into_iter().take(MAX_CLAIMS) {
                    claims.push(self.store.claim(id).await?);
                }
                claims
            }
            // Oldest first, so the oldest services are sent first.
            None => {
                self.store
                    .claims_in_state_oldest_first(ClaimState::Ready, MAX_CLAIMS as u32)
                    .await?
            }
        };
        if stored.is_empty() {
            return Err(CoreError::NothingToSend);
        }
        if let Some(not_ready) = stored.iter().find(|c| c.state != ClaimState::Ready) {
            return Err(CoreError::WrongState(not_ready.state));
        }
        let now = self.now();
        let attestation = self.store.next_attestation_number().await?;
        let (batch, payload) = lot_within(MAX_BODY_BYTES, &mut stored, |claims| {
            self.write_lot(&profile, attestation, claims)
        })?;
        let ids: Vec<ClaimId> = stored.iter().map(|c| c.id).collect();
        let pushes_payment = match (profile.production_since, self.store.calendar().await?) {
            (None, Some(cached)) => cached
                .calendar
                .first_batch_pushes_payment(now, &self.business),
            _ => false,
        };
        let outbox = match mode {
            BuildMode::DryRun => None,
            BuildMode::Real => {
                let new = NewBatch {
                    attestation_number: attestation,
                    claims: &ids,
                    payload: &payload,
                };
                let id = self.store.enqueue_batch(new, now).await?;
                tracing::info!(
                    attestation = attestation.get(),
                    claims = ids.len(),
                    "batch queued"
                );
                Some(id)
            }
        };
        Ok(BatchPlan {
            mode,
            attestation,
            total: batch.total(),
            warnings: batch.warnings().to_vec(),
            claims: stored
                .iter()
                .map(|c| (c.id, c.claim.external_id.trim().to_owned()))
                .collect(),
            outbox,
            pushes_payment,
            bytes: payload.len(),
        })
    }

    /// Validates `claims` as batch `attestation` of the agency and writes its XML.
    fn write_lot(
        &self,
        profile: &Profile,
        attestation: AttestationNumber,
        claims: &[StoredClaim],
    ) -> CoreResult<(Batch, Vec<u8>)> {
        let batch = Batch::build(
            profile.transmission_number.clone(),
            attestation,
            profile.software.clone(),
            claims.iter().map(|c| c.claim.clone()).collect(),
            self.today(),
        )?;
        let payload = wire::lot_bytes(&batch, &profile.tipi_id);
        Ok((batch, payload))
    }
}

/// Writes the lot of `claims` with `write`; while its bytes exceed `max_bytes`, keeps only
/// the share of claims that fits at their average size (the rest left out of `claims`, to
/// wait for the next batch) and writes it again. One claim is always written.
fn lot_within(
    max_bytes: usize,
    claims: &mut Vec<StoredClaim>,
    write: impl Fn(&[StoredClaim]) -> CoreResult<(Batch, Vec<u8>)>,
) -> CoreResult<(Batch, Vec<u8>)> {
    loop {
        let (batch, payload) = write(claims)?;
        let count = claims.len();
        if payload.len() <= max_bytes || count == 1 {
            return Ok((batch, payload));
        }
        let fits = (count * max_bytes / payload.len()).clamp(1, count - 1);
        claims.truncate(fits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{offline_tipi, valid_claim};

    #[tokio::test]
    async fn a_lot_too_big_to_upload_keeps_the_oldest_claims_that_fit() {
        let (tipi, _clock) = offline_tipi().await;
        for i in 0..12 {
            tipi.add_ready_claim(valid_claim(&format!("F-{i:02}")))
                .await
                .unwrap();
        }
        let profile = tipi.require_profile().await.unwrap();
        let ready = tipi
            .store
            .claims_in_state_oldest_first(ClaimState::Ready, 100)
            .await
            .unwrap();
        let first = AttestationNumber::first();
        let write = |claims: &[StoredClaim]| tipi.write_lot(&profile, first, claims);
        let whole = write(&ready).unwrap().1.len();

        let mut fits = ready.clone();
        let (batch, payload) = lot_within(whole, &mut fits, write).unwrap();
        assert_eq!(
            (batch.claims().len(), payload.len()),
            (12, whole),
            "at the limit: all"
        );

        let mut fits = ready.clone();
        let (batch, payload) = lot_within(whole / 2, &mut fits, write).unwrap();
        assert!(payload.len() <= whole / 2);
        assert!((1..12).contains(&fits.len()), "{}", fits.len());
        assert_eq!(batch.claims().len(), fits.len());
        assert_eq!(fits[..], ready[..fits.len()], "the oldest claims, in order");

        let mut alone = ready.clone();
        let (batch, _) = lot_within(10, &mut alone, write).unwrap();
        assert_eq!(batch.claims().len(), 1, "one claim always goes");
        assert_eq!(alone[0], ready[0]);
    }

    #[tokio::test]
    async fn the_dry_run_is_the_real_run_without_the_write() {
        let (tipi, _clock) = offline_tipi().await;
        assert_eq!(
            tipi.build_batch(None, BuildMode::DryRun)
                .await
                .unwrap_err()
                .code(),
            "NothingToSend"
        );
        for id in ["F-1", "F-2"] {
            tipi.add_ready_claim(valid_claim(id)).await.unwrap();
        }
        let dry = tipi.build_batch(None, BuildMode::DryRun).await.unwrap();
        assert_eq!(dry.outbox, None);
        assert_eq!(dry.attestation.get(), 1);
        assert_eq!(dry.total, rust_decimal_macros::dec!(90.00));
        assert_eq!(tipi.store.next_attestation_number().await.unwrap().get(), 1);
        assert!(tipi.store.in_flight().await.unwrap().is_empty());

        let real = tipi.build_batch(None, BuildMode::Real).await.unwrap();
        assert_eq!(
            (real.attestation, &real.claims, real.total, real.bytes),
            (dry.attestation, &dry.claims, dry.total, dry.bytes),
            "same batch"
        );
        let entry = tipi.store.outbox_entry(real.outbox.unwrap()).await.unwrap();
        assert_eq!(entry.claims.len(), 2);
        assert_eq!(tipi.store.next_attestation_number().await.unwrap().get(), 2);
        for (id, _) in &real.claims {
            assert_eq!(
                tipi.store.claim_state(*id).await.unwrap(),
                ClaimState::Queued
            );
        }
    }

    #[tokio::test]
    async fn a_batch_refuses_claims_gone_stale_naming_them_and_selections_must_be_ready() {
        let (tipi, clock) = offline_tipi().await;
        let good = tipi.add_ready_claim(valid_claim("F-1")).await.unwrap();
        let draft = tipi.create_claim(valid_claim("F-3")).await.unwrap();
        let err = tipi
            .build_batch(
                Some(vec![good.stored.id, draft.stored.id]),
                BuildMode::DryRun,
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), "WrongState");
        // 100 days later the Ready claim's service is past the 90-day limit.
        clock.advance(chrono::Duration::days(100));
        match tipi.build_batch(None, BuildMode::Real).await.unwrap_err() {
            CoreError::InvalidBatch(claims) => {
                assert_eq!(claims.len(), 1);
                assert_eq!(claims[0].external_id, "F-1");
                assert_eq!(claims[0].problems[0].code.as_str(), "late_service");
            }
            other => panic!("expected InvalidBatch, got {other:?}"),
        }
        assert!(tipi.store.in_flight().await.unwrap().is_empty());
        assert_eq!(tipi.store.next_attestation_number().await.unwrap().get(), 1);
    }

    #[tokio::test]
    async fn transmit_outside_the_window_says_when_it_reopens_and_sends_nothing() {
        let (tipi, clock) = offline_tipi().await;
        tipi.secrets
            .set(
                &tipi.password_key(&tipi.require_profile().await.unwrap()),
                &crate::Sensitive::new("Abcd1234".into()),
            )
            .unwrap();
        tipi.add_ready_claim(valid_claim("F-1")).await.unwrap();
        tipi.build_batch(None, BuildMode::Real).await.unwrap();
        // Tuesday 22:01 in Montréal (EDT, UTC-4).
        clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 11, 2, 1, 0).unwrap());
        match tipi.transmit().await.unwrap_err() {
            CoreError::OutsideServiceWindow { reopens_at } => assert_eq!(
                reopens_at,
                chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 11, 11, 0, 0).unwrap()
            ),
            other => panic!("expected OutsideServiceWindow, got {other:?}"),
        }
        let entry = &tipi.store.in_flight().await.unwrap()[0];
        assert_eq!(
            entry.state,
            tipi_store::OutboxState::Queued,
            "nothing attempted"
        );
    }
}
