//! For every fault the sandbox injects — refused connection, 5xx, delay, accept-then-drop —
//! and for a crash between "sent" and "recorded", the end state has no lost claim and no claim
//! sent twice: TIP-I holds each batch exactly once and every claim reached it.

mod support;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tipi_client::{ClientResult, Credentials, Transport};
use tipi_core::batches::BuildMode;
use tipi_core::{Tipi, TipiParts};
use tipi_domain::ids::AttestationNumber;
use tipi_protocol::admin::{Fault, FaultEndpoint, FaultMode, SeedAgency};
use tipi_protocol::lot::LotDemPaimtRecev;
use tipi_protocol::rfp::DemPaimtRecev;
use tipi_protocol::service::{
    BatchReceipt, BillingCalendar, BlastAuthentication, Enrolment, Journal, PasswordChoice,
    PolicyChoice, Session, StatementList, WarningChoice,
};
use tipi_protocol::statement::EtatCompte;
use tipi_store::{ClaimState, OutboxState};

use support::*;

/// A transport that forwards a batch to TIP-I, then never returns: the process "dies" after
/// TIP-I recorded the batch and before Tipi could record that it was sent.
struct DiesAfterSending(Arc<dyn Transport>);

#[async_trait]
impl Transport for DiesAfterSending {
    async fn start_enrolment(&self) -> ClientResult<Enrolment> {
        self.0.start_enrolment().await
    }
    async fn enrolment(&self, id: &str) -> ClientResult<Enrolment> {
        self.0.enrolment(id).await
    }
    async fn answer_warning(&self, id: &str, c: WarningChoice) -> ClientResult<Enrolment> {
        self.0.answer_warning(id, c).await
    }
    async fn answer_policy(&self, id: &str, c: PolicyChoice) -> ClientResult<Enrolment> {
        self.0.answer_policy(id, c).await
    }
    async fn authenticate_blast(
        &self,
        id: &str,
        a: &BlastAuthentication,
    ) -> ClientResult<Enrolment> {
        self.0.authenticate_blast(id, a).await
    }
    async fn choose_password(&self, id: &str, c: &PasswordChoice) -> ClientResult<Enrolment> {
        self.0.choose_password(id, c).await
    }
    async fn session(&self, c: &Credentials) -> ClientResult<Session> {
        self.0.session(c).await
    }
    async fn change_password(&self, c: &Credentials, p: &PasswordChoice) -> ClientResult<Session> {
        self.0.change_password(c, p).await
    }
    async fn send_batch(&self, c: &Credentials, xml: &[u8]) -> ClientResult<BatchReceipt> {
        self.0.send_batch(c, xml).await?;
        std::future::pending().await
    }
    async fn batch(&self, c: &Credentials, n: AttestationNumber) -> ClientResult<BatchReceipt> {
        self.0.batch(c, n).await
    }
    async fn batch_returns(
        &self,
        c: &Credentials,
        n: AttestationNumber,
    ) -> ClientResult<LotDemPaimtRecev> {
        self.0.batch_returns(c, n).await
    }
    async fn send_direct(&self, c: &Credentials, xml: &[u8]) -> ClientResult<DemPaimtRecev> {
        self.0.send_direct(c, xml).await?;
        std::future::pending().await
    }
    async fn journal(&self, c: &Credentials) -> ClientResult<Journal> {
        self.0.journal(c).await
    }
    async fn calendar(&self) -> ClientResult<BillingCalendar> {
        self.0.calendar().await
    }
    async fn statements(&self, c: &Credentials) -> ClientResult<StatementList> {
        self.0.statements(c).await
    }
    async fn statement(&self, c: &Credentials, n: u32) -> ClientResult<EtatCompte> {
        self.0.statement(c, n).await
    }
}

async fn queue_one(rig: &Rig, external_id: &str) -> u32 {
    rig.tipi.add_ready_claim(claim(external_id)).await.unwrap();
    let plan = rig.tipi.build_batch(None, BuildMode::Real).await.unwrap();
    plan.attestation.get()
}

#[tokio::test]
async fn no_fault_loses_a_claim_or_sends_one_twice() {
    let mut rig = Rig::start().await;
    rig.seed(&SeedAgency::Enrolled {
        transmission_number: "22222".into(),
        password: "Passw0rd".into(),
    })
    .await;
    rig.tipi
        .login("AGP22222", &secret("Passw0rd"))
        .await
        .unwrap();

    // One-off faults are absorbed within one transmit: ask TIP-I, then send or not.
    let delay = Fault {
        endpoint: FaultEndpoint::Batches,
        mode: FaultMode::Delay,
        delay_ms: Some(300),
        count: Some(1),
    };
    for (i, fault) in [FaultMode::Refuse, FaultMode::ServerError, FaultMode::Drop]
        .into_iter()
        .map(|mode| Fault {
            endpoint: FaultEndpoint::Batches,
            mode,
            delay_ms: None,
            count: Some(1),
        })
        .chain(std::iter::once(delay))
        .enumerate()
    {
        let number = queue_one(&rig, &format!("F-{i}")).await;
        rig.fault_with(fault.clone()).await;
        let report = rig
            .tipi
            .transmit()
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(report.sent.len(), 1, "{fault:?}");
        assert_eq!(report.sent[0].attestation.get(), number);
        assert_eq!(
            report.sent[0].recovered,
            fault.mode == FaultMode::Drop,
            "{fault:?}"
        );
    }

    // A lasting outage: the batch stays Sending (never Failed, never lost) and goes out once
    // when TIP-I is back.
    let number = queue_one(&rig, "F-outage").await;
    rig.fault(FaultEndpoint::Batches, FaultMode::Refuse, None)
        .await;
    let error = rig.tipi.transmit().await.unwrap_err();
    assert_eq!(error.code(), "ConnectionLost");
    let entry = &rig.tipi.store().in_flight().await.unwrap()[0];
    assert_eq!(entry.state, OutboxState::Sending);
    rig.clear_faults().await;
    let report = rig.tipi.transmit().await.unwrap();
    assert_eq!(report.sent[0].attestation.get(), number);
    assert!(!report.sent[0].recovered);

    // Accepted, answer dropped, and the lookup fails too: Tipi stops without resending; after a
    // restart it finds the batch at TIP-I and records it, still without resending.
    let number = queue_one(&rig, "F-dropped").await;
    rig.fault(FaultEndpoint::Batches, FaultMode::Drop, Some(1))
        .await;
    rig.fault(FaultEndpoint::Returns, FaultMode::ServerError, None)
        .await;
    assert!(rig.tipi.transmit().await.is_err());
    rig.clear_faults().await;
    rig.restart().await;
    let report = rig.tipi.transmit().await.unwrap();
    assert_eq!(report.sent[0].attestation.get(), number);
    assert!(report.sent[0].recovered, "found at TIP-I, not sent again");

    // The process dies between "sent" (TIP-I has it) and "recorded" (Tipi wrote it down).
    let number = queue_one(&rig, "F-crash").await;
    let store = tipi_core::local::open_store(&rig.config.data_dir, rig.config.environment)
        .await
        .unwrap();
    let real =
        tipi_core::local::http_transport(rig.config.environment, &rig.config.endpoint).unwrap();
    let dying = Tipi::new(TipiParts {
        store,
        transport: Arc::new(DiesAfterSending(real)),
        secrets: rig.secrets.clone(),
        clock: Arc::new(rig.clock.clone()),
        environment: rig.config.environment,
        software: tipi_core::default_software(),
    });
    let killed = tokio::time::timeout(Duration::from_secs(2), dying.transmit()).await;
    assert!(killed.is_err(), "the transmit was cut short");
    drop(dying);
    rig.restart().await;
    let report = rig.tipi.transmit().await.unwrap();
    assert_eq!(report.sent[0].attestation.get(), number);
    assert!(report.sent[0].recovered);

    // A direct request whose answer is dropped is settled from the journal.
    let direct = rig
        .tipi
        .add_ready_claim(claim("D-1"))
        .await
        .unwrap()
        .stored
        .id;
    rig.fault(FaultEndpoint::Direct, FaultMode::Drop, Some(1))
        .await;
    let result = rig.tipi.submit_direct(direct).await.unwrap();
    assert_ne!(result.state, ClaimState::Ready);

    // End state: TIP-I has each batch once; every claim reached it; nothing is in flight.
    let exchanges = rig.exchanges().await;
    let mut numbers: Vec<u32> = exchanges.iter().filter_map(|e| e.no_attes).collect();
    numbers.sort_unstable();
    let expected: Vec<u32> = (1..=7).collect();
    assert_eq!(numbers, expected, "each batch exactly once");
    assert_eq!(exchanges.iter().filter(|e| e.kind == "direct").count(), 1);
    assert!(rig.tipi.store().in_flight().await.unwrap().is_empty());
    for state in [ClaimState::Draft, ClaimState::Ready, ClaimState::Queued] {
        assert!(
            rig.tipi
                .store()
                .claims_in_state(state, 100)
                .await
                .unwrap()
                .is_empty(),
            "a claim was left {state:?}"
        );
    }
    rig.shutdown().await;
}
