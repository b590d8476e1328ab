//! For every fault the sandbox injects — refused connection, 5xx, delay, accept-then-drop —
//! and for a crash between "sent" and "recorded", the end state has no lost claim and no claim
//! sent twice: TIP-I holds each batch exactly once and every claim reached it.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
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

/// The real transport, counting the batches sent; with `dies`, a send forwards the batch to
/// TIP-I and then never returns: the process "dies" after TIP-I recorded the batch and before
/// Tipi could record that it was sent.
struct Watched {
    inner: Arc<dyn Transport>,
    sends: Arc<AtomicUsize>,
    dies: bool,
}

#[async_trait]
impl Transport for Watched {
    async fn start_enrolment(&self) -> ClientResult<Enrolment> {
        self.inner.start_enrolment().await
    }
    async fn enrolment(&self, id: &str) -> ClientResult<Enrolment> {
        self.inner.enrolment(id).await
    }
    async fn answer_warning(&self, id: &str, c: WarningChoice) -> ClientResult<Enrolment> {
        self.inner.answer_warning(id, c).await
    }
    async fn answer_policy(&self, id: &str, c: PolicyChoice) -> ClientResult<Enrolment> {
        self.inner.answer_policy(id, c).await
    }
    async fn authenticate_blast(
        &self,
        id: &str,
        a: &BlastAuthentication,
    ) -> ClientResult<Enrolment> {
        self.inner.authenticate_blast(id, a).await
    }
    async fn choose_password(&self, id: &str, c: &PasswordChoice) -> ClientResult<Enrolment> {
        self.inner.choose_password(id, c).await
    }
    async fn session(&self, c: &Credentials) -> ClientResult<Session> {
        self.inner.session(c).await
    }
    async fn change_password(&self, c: &Credentials, p: &PasswordChoice) -> ClientResult<Session> {
        self.inner.change_password(c, p).await
    }
    async fn send_batch(&self, c: &Credentials, xml: &[u8]) -> ClientResult<BatchReceipt> {
        self.sends.fetch_add(1, Ordering::SeqCst);
        let answer = self.inner.send_batch(c, xml).await;
        if self.dies {
            std::future::pending::<()>().await;
        }
        answer
    }
    async fn batch(&self, c: &Credentials, n: AttestationNumber) -> ClientResult<BatchReceipt> {
        self.inner.batch(c, n).await
    }
    async fn batch_returns(
        &self,
        c: &Credentials,
        n: AttestationNumber,
    ) -> ClientResult<LotDemPaimtRecev> {
        self.inner.batch_returns(c, n).await
    }
    async fn send_direct(&self, c: &Credentials, xml: &[u8]) -> ClientResult<DemPaimtRecev> {
        self.inner.send_direct(c, xml).await
    }
    async fn journal(&self, c: &Credentials) -> ClientResult<Journal> {
        self.inner.journal(c).await
    }
    async fn calendar(&self) -> ClientResult<BillingCalendar> {
        self.inner.calendar().await
    }
    async fn statements(&self, c: &Credentials) -> ClientResult<StatementList> {
        self.inner.statements(c).await
    }
    async fn statement(&self, c: &Credentials, n: u32) -> ClientResult<EtatCompte> {
        self.inner.statement(c, n).await
    }
}

/// An engine on the rig's files whose batch sends are counted in `sends`.
async fn watched_engine(rig: &Rig, sends: &Arc<AtomicUsize>, dies: bool) -> Tipi {
    let store = tipi_core::local::open_store(
        &rig.config.data_dir,
        rig.config.environment,
        rig.secrets.as_ref(),
    )
    .await
    .unwrap();
    let inner =
        tipi_core::local::http_transport(rig.config.environment, &rig.config.endpoint).unwrap();
    Tipi::new(TipiParts {
        store,
        transport: Arc::new(Watched {
            inner,
            sends: sends.clone(),
            dies,
        }),
        secrets: rig.secrets.clone(),
        clock: Arc::new(rig.clock.clone()),
        environment: rig.config.environment,
        software: tipi_core::default_software(),
    })
}

async fn queue_one(rig: &Rig, external_id: &str) -> u32 {
    rig.tipi.add_ready_claim(claim(external_id)).await.unwrap();
    let plan = rig.tipi.build_batch(None, BuildMode::Real).await.unwrap();
    plan.attestation.get()
}

#[tokio::test]
async fn no_fault_loses_a_claim_or_sends_one_twice() {
    let mut rig = Rig::start().await;
    rig.admin
        .seed(&SeedAgency::Enrolled {
            transmission_number: "22222".into(),
            password: "Passw0rd".into(),
        })
        .await;
    rig.tipi
        .login("AGP22222", &secret("Passw0rd"))
        .await
        .unwrap();
    let sends = Arc::new(AtomicUsize::new(0));
    rig.tipi = watched_engine(&rig, &sends, false).await;
    let sent_since = |before: usize| sends.load(Ordering::SeqCst) - before;

    // One-off faults are absorbed within one transmit: ask TIP-I, then send again only if it
    // does not have the batch.
    let cases = [
        (FaultMode::Refuse, None, 2),
        (FaultMode::ServerError, None, 2),
        (FaultMode::Drop, None, 1),
        (FaultMode::Delay, Some(300), 1),
    ];
    for (i, (mode, delay_ms, expected_sends)) in cases.into_iter().enumerate() {
        let fault = Fault {
            endpoint: FaultEndpoint::Batches,
            mode,
            delay_ms,
            count: Some(1),
        };
        let number = queue_one(&rig, &format!("F-{i}")).await;
        rig.admin.fault_with(&fault).await;
        let before = sends.load(Ordering::SeqCst);
        let report = rig
            .tipi
            .transmit()
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(report.sent.len(), 1, "{fault:?}");
        assert_eq!(report.sent[0].attestation.get(), number);
        assert_eq!(
            report.sent[0].recovered,
            mode == FaultMode::Drop,
            "{fault:?}"
        );
        assert_eq!(sent_since(before), expected_sends, "{fault:?}");
    }

    // A lasting outage: the batch stays Sending (never Failed, never lost) and goes out once
    // when TIP-I is back.
    let number = queue_one(&rig, "F-outage").await;
    rig.admin
        .fault(FaultEndpoint::Batches, FaultMode::Refuse, None)
        .await;
    let error = rig.tipi.transmit().await.unwrap_err();
    assert_eq!(error.code(), "ConnectionLost");
    let entry = &rig.tipi.store().in_flight().await.unwrap()[0];
    assert_eq!(entry.state, OutboxState::Sending);
    rig.admin.clear_faults().await;
    let report = rig.tipi.transmit().await.unwrap();
    assert_eq!(report.sent[0].attestation.get(), number);
    assert!(!report.sent[0].recovered);

    // Accepted, answer dropped, and the lookup fails too: Tipi stops without resending; after a
    // restart it finds the batch at TIP-I and records it, still without resending.
    let number = queue_one(&rig, "F-dropped").await;
    rig.admin
        .fault(FaultEndpoint::Batches, FaultMode::Drop, Some(1))
        .await;
    rig.admin
        .fault(FaultEndpoint::Returns, FaultMode::ServerError, None)
        .await;
    let before = sends.load(Ordering::SeqCst);
    assert!(rig.tipi.transmit().await.is_err());
    assert_eq!(
        sent_since(before),
        1,
        "no resend while TIP-I cannot be asked"
    );
    rig.admin.clear_faults().await;
    rig.tipi = watched_engine(&rig, &sends, false).await;
    let report = rig.tipi.transmit().await.unwrap();
    assert_eq!(report.sent[0].attestation.get(), number);
    assert!(report.sent[0].recovered, "found at TIP-I");
    assert_eq!(sent_since(before), 1, "not sent again");

    // The process dies between "sent" (TIP-I has it) and "recorded" (Tipi wrote it down).
    let number = queue_one(&rig, "F-crash").await;
    let before = sends.load(Ordering::SeqCst);
    let dying = watched_engine(&rig, &sends, true).await;
    let killed = tokio::time::timeout(Duration::from_secs(2), dying.transmit()).await;
    assert!(killed.is_err(), "the transmit was cut short");
    drop(dying);
    rig.tipi = watched_engine(&rig, &sends, false).await;
    let report = rig.tipi.transmit().await.unwrap();
    assert_eq!(report.sent[0].attestation.get(), number);
    assert!(report.sent[0].recovered);
    assert_eq!(sent_since(before), 1, "sent once, before the crash");

    // A direct request whose answer is dropped is settled from the journal.
    let direct = rig
        .tipi
        .add_ready_claim(claim("D-1"))
        .await
        .unwrap()
        .stored
        .id;
    rig.admin
        .fault(FaultEndpoint::Direct, FaultMode::Drop, Some(1))
        .await;
    let result = rig.tipi.submit_direct(direct).await.unwrap();
    assert_ne!(result.state, ClaimState::Ready);

    // End state: TIP-I has each batch once; every claim reached it; nothing is in flight.
    let exchanges = rig.admin.exchanges().await;
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
