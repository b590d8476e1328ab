//! tipi-client against the real sandbox over HTTPS: every endpoint, every error the app
//! branches on, retries, faults and certificate trust.

mod support;

use std::time::Duration;

use chrono::{Duration as Days, NaiveDate};
use rust_decimal_macros::dec;
use tipi_client::{ClientConfig, ClientError, HttpTransport, Reached, RetryPolicy, Transport};
use tipi_domain::calendar::BusinessCalendar;
use tipi_domain::ids::AttestationNumber;
use tipi_domain::time;
use tipi_protocol::admin::{FaultEndpoint, FaultMode};
use tipi_protocol::rfp::StaRecev;
use tipi_protocol::service::{
    AgencyStatus, EnrolmentStep, ExchangeKind, ExchangeState, PolicyChoice, WarningChoice,
};
use tipi_protocol::XmlMessage;
use tipi_sandbox::DEMO_BLAST;

use support::*;

fn attestation(n: u32) -> AttestationNumber {
    AttestationNumber::new(n).unwrap()
}

/// The day before the rig's Tuesday: a service date the sandbox accepts.
fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()
}

#[tokio::test]
async fn the_demo_blast_agency_enrols_then_opens_a_session() {
    let rig = Rig::start().await;
    let credentials = rig.enrol_demo_blast("Tipi2026").await;

    let session = rig.client.session(&credentials).await.unwrap();
    assert_eq!(session.tipi_id, "AGP12345");
    assert_eq!(session.transmission_number, DEMO_BLAST.0);
    assert_eq!(session.status, AgencyStatus::Test);
    assert_eq!(session.next_attestation, 1);
    assert!(!session.password.temporary);
    assert_eq!(session.server_time, at(TUESDAY_10H));

    // The same BLAST values cannot enrol twice.
    let again = rig.client.start_enrolment().await.unwrap().id;
    rig.client
        .answer_warning(&again, WarningChoice::Continue)
        .await
        .unwrap();
    rig.client
        .answer_policy(&again, PolicyChoice::Accept)
        .await
        .unwrap();
    let (number, blast_id, password) = DEMO_BLAST;
    let error = rig
        .client
        .authenticate_blast(&again, &blast(number, blast_id, password))
        .await
        .unwrap_err();
    assert_eq!(error, ClientError::AlreadyEnrolled);
    rig.shutdown().await;
}

#[tokio::test]
async fn enrolment_steps_are_answered_in_order_and_quitting_ends_it() {
    let rig = Rig::start().await;
    let id = rig.client.start_enrolment().await.unwrap().id;
    let early = rig
        .client
        .answer_policy(&id, PolicyChoice::Accept)
        .await
        .unwrap_err();
    assert_eq!(early, ClientError::EnrolmentWrongStep);

    let ended = rig
        .client
        .answer_warning(&id, WarningChoice::Quit)
        .await
        .unwrap();
    assert_eq!(ended.step, EnrolmentStep::Ended);
    assert_eq!(
        rig.client.enrolment(&id).await.unwrap().step,
        EnrolmentStep::Ended
    );
    let after = rig
        .client
        .answer_policy(&id, PolicyChoice::Accept)
        .await
        .unwrap_err();
    assert_eq!(after, ClientError::EnrolmentEnded);
    assert_eq!(
        rig.client.enrolment("no-such-enrolment").await.unwrap_err(),
        ClientError::NotFound
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn a_temporary_password_must_be_changed_first() {
    let rig = Rig::start().await;
    let temporary = demo_new();
    assert_eq!(
        rig.client.session(&temporary).await.unwrap_err(),
        ClientError::PasswordChangeRequired
    );

    // A password that breaks the policy is refused with its codes, nothing changes.
    match rig
        .client
        .change_password(&temporary, &twice("short"))
        .await
        .unwrap_err()
    {
        ClientError::Rejected(codes) => assert!(!codes.is_empty()),
        other => panic!("expected Rejected, got {other:?}"),
    }

    let session = rig
        .client
        .change_password(&temporary, &twice("N3wPassw"))
        .await
        .unwrap();
    assert!(!session.password.temporary);
    let changed = credentials(
        &temporary.tipi_id.transmission_number().to_string(),
        "N3wPassw",
    );
    assert_eq!(
        rig.client.session(&changed).await.unwrap().tipi_id,
        "AGP54321"
    );
    assert_eq!(
        rig.client.session(&temporary).await.unwrap_err(),
        ClientError::InvalidCredentials
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn an_expired_password_only_allows_a_change() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    rig.freeze(at(TUESDAY_10H) + Days::days(91)).await;
    let error = rig.client.journal(&credentials).await.unwrap_err();
    assert_eq!(error, ClientError::PasswordExpired);
    assert!(error.is_authentication());

    rig.client
        .change_password(&credentials, &twice("Fresh123"))
        .await
        .unwrap();
    let fresh = credentials_for(&credentials, "Fresh123");
    assert_eq!(
        rig.client.session(&fresh).await.unwrap().password.days_left,
        90
    );
    rig.shutdown().await;
}

fn credentials_for(old: &tipi_client::Credentials, password: &str) -> tipi_client::Credentials {
    tipi_client::Credentials::new(old.tipi_id.clone(), password)
}

#[tokio::test]
async fn batches_follow_the_attestation_sequence() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    let (number, _) = ENROLLED;

    let receipt = rig
        .client
        .send_batch(&credentials, &lot_xml(number, 1, monday()))
        .await
        .unwrap();
    assert_eq!(receipt.no_attes, 1);
    assert_eq!(receipt.nbr_dem, 2);
    assert_eq!(receipt.mnt_total, dec!(120.50));
    assert_eq!(receipt.state, ExchangeState::Received);
    assert!(!receipt.counted_for_payment);

    // Byte-identical resend of batch 1: refused with the number expected.
    let resent = rig
        .client
        .send_batch(&credentials, &lot_xml(number, 1, monday()))
        .await
        .unwrap_err();
    assert_eq!(
        resent,
        ClientError::AttestationOutOfSequence {
            expected: attestation(2)
        }
    );

    let mut wrong = lot(number, 2, monday());
    wrong.nbr_dem = 3;
    match rig
        .client
        .send_batch(&credentials, wrong.to_xml().unwrap().as_bytes())
        .await
        .unwrap_err()
    {
        ClientError::TrailerMismatch { check: Some(check) } => {
            assert_eq!((check.declared_count, check.actual_count), (3, 2));
        }
        other => panic!("expected TrailerMismatch, got {other:?}"),
    }

    let state = rig
        .client
        .batch(&credentials, attestation(1))
        .await
        .unwrap();
    assert_eq!(state, receipt);
    assert_eq!(
        rig.client
            .batch(&credentials, attestation(2))
            .await
            .unwrap_err(),
        ClientError::NotFound
    );
    assert_eq!(
        rig.admin.exchanges().await.len(),
        1,
        "only batch 1 was recorded"
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn returns_are_not_available_until_the_next_morning() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    let receipt = rig
        .client
        .send_batch(&credentials, &lot_xml(ENROLLED.0, 1, monday()))
        .await
        .unwrap();

    let available_at = match rig
        .client
        .batch_returns(&credentials, attestation(1))
        .await
        .unwrap_err()
    {
        ClientError::NotYetAvailable { available_at } => available_at,
        other => panic!("expected NotYetAvailable, got {other:?}"),
    };
    assert_eq!(available_at, receipt.returns_available_at);
    assert_eq!(
        available_at,
        time::returns_available_at(at(TUESDAY_10H), &BusinessCalendar::quebec())
    );

    rig.freeze(available_at).await;
    let returns = rig
        .client
        .batch_returns(&credentials, attestation(1))
        .await
        .unwrap();
    assert_eq!(returns.no_attes, 1);
    assert_eq!(returns.nbr_dem, 2);
    assert_eq!(returns.dem_paimt_recev.len(), 2);
    assert_eq!(
        returns.nbr_dem_recev + returns.nbr_dem_non_recev,
        returns.nbr_dem
    );
    assert!(!returns.ind_prodc, "sent during the test period");

    let journal = rig.client.journal(&credentials).await.unwrap();
    let kinds: Vec<_> = journal.exchanges.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&ExchangeKind::Batch), "{kinds:?}");
    assert!(kinds.contains(&ExchangeKind::Returns), "{kinds:?}");
    assert_eq!(journal.next_attestation, 2);
    rig.shutdown().await;
}

#[tokio::test]
async fn a_direct_request_is_answered_at_once_and_journaled() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    let answer = rig
        .client
        .send_direct(&credentials, &direct_xml(ENROLLED.0, "2000001", monday()))
        .await
        .unwrap();
    assert_eq!(answer.no_dem_ext, "2000001");
    assert_eq!(answer.liste_fact_recev.len(), 1);
    let receivable = answer.sta_recev == StaRecev::Receivable;
    assert_eq!(
        receivable,
        answer.liste_fact_recev[0].sta_recev == StaRecev::Receivable
    );

    let journal = rig.client.journal(&credentials).await.unwrap();
    let direct = journal
        .exchanges
        .iter()
        .find(|e| e.kind == ExchangeKind::Direct)
        .expect("the direct request is in the journal");
    assert_eq!(direct.no_dem_ext.as_deref(), Some("2000001"));
    assert_eq!(direct.state, ExchangeState::Answered);
    rig.shutdown().await;
}

#[tokio::test]
async fn the_calendar_is_served_without_credentials_even_when_closed() {
    // Saturday: TIP-I is closed but the calendar is data anyone may read.
    let rig = Rig::start_at("2026-03-14T15:00:00Z").await;
    let calendar = rig.client.calendar().await.unwrap();
    assert!(calendar.years.contains(&2026), "{:?}", calendar.years);
    assert!(!calendar.cycles.is_empty());
    for cycle in &calendar.cycles {
        assert!(cycle.start <= cycle.end && cycle.end < cycle.payment_date);
    }
    rig.shutdown().await;
}

#[tokio::test]
async fn outside_the_service_window_the_error_says_when_it_reopens() {
    // Saturday 14 March 2026, 11:00 in Québec: reopens Monday 16 March at 07:00 (EDT).
    let rig = Rig::start_at("2026-03-14T15:00:00Z").await;
    let credentials = rig.enrolled().await;
    let error = rig.client.session(&credentials).await.unwrap_err();
    assert_eq!(
        error,
        ClientError::OutsideServiceWindow {
            reopens_at: at("2026-03-16T11:00:00Z")
        }
    );
    assert_eq!(error.code(), "OutsideServiceWindow");
    let batch = rig
        .client
        .send_batch(&credentials, &lot_xml(ENROLLED.0, 1, monday()))
        .await
        .unwrap_err();
    assert_eq!(batch.code(), "OutsideServiceWindow");
    assert!(rig.admin.exchanges().await.is_empty());
    rig.shutdown().await;
}

#[tokio::test]
async fn statements_appear_once_the_agency_is_paid_in_production() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    let business = BusinessCalendar::quebec();
    assert!(rig
        .client
        .statements(&credentials)
        .await
        .unwrap()
        .statements
        .is_empty());

    rig.client
        .send_batch(&credentials, &lot_xml(ENROLLED.0, 1, monday()))
        .await
        .unwrap();
    // Going live, then a batch in production, at 10:00 on that day.
    let live_on = time::production_start(at(TUESDAY_10H), &business);
    let live = at(&format!("{live_on}T14:00:00Z"));
    rig.freeze(live).await;
    let session = rig.client.session(&credentials).await.unwrap();
    assert_eq!(session.status, AgencyStatus::Production);
    let paid = rig
        .client
        .send_batch(
            &credentials,
            &lot_xml(ENROLLED.0, 2, live_on - Days::days(1)),
        )
        .await
        .unwrap();
    assert!(paid.counted_for_payment);

    // Long after: every cycle concerned has been paid. On a closed day, come back when
    // TIP-I says it reopens.
    rig.freeze(live + Days::days(60)).await;
    let list = match rig.client.statements(&credentials).await {
        Err(ClientError::OutsideServiceWindow { reopens_at }) => {
            rig.freeze(reopens_at).await;
            rig.client.statements(&credentials).await.unwrap()
        }
        other => other.unwrap(),
    };
    let first = list.statements.first().expect("a statement");
    let statement = rig
        .client
        .statement(&credentials, first.no_cycle)
        .await
        .unwrap();
    assert_eq!(statement.no_cycle, first.no_cycle);
    assert_eq!(statement.no_trans, ENROLLED.0);
    assert_eq!(statement.mnt_paye, first.mnt_paye);
    assert_eq!(
        rig.client
            .statement(&credentials, 190001)
            .await
            .unwrap_err(),
        ClientError::NotFound
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn three_bad_passwords_suspend_and_each_is_tried_once() {
    let rig = Rig::start().await;
    let good = rig.enrolled().await;
    let bad = credentials_for(&good, "Wrong123");
    let (number, _) = ENROLLED;

    for failures in 1..=2 {
        let error = rig.client.session(&bad).await.unwrap_err();
        assert_eq!(error, ClientError::InvalidCredentials);
        assert_eq!(rig.admin.agency(number).await.failed_logins, failures);
    }
    assert_eq!(
        rig.client.journal(&bad).await.unwrap_err(),
        ClientError::AccountSuspended
    );
    let agency = rig.admin.agency(number).await;
    assert!(agency.suspended);
    assert_eq!(agency.failed_logins, 3);
    assert_eq!(
        rig.client.session(&good).await.unwrap_err(),
        ClientError::AccountSuspended
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn a_server_error_on_a_post_is_reported_and_never_retried() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    rig.admin
        .fault(FaultEndpoint::Batches, FaultMode::ServerError, Some(2))
        .await;
    let error = rig
        .client
        .send_batch(&credentials, &lot_xml(ENROLLED.0, 1, monday()))
        .await
        .unwrap_err();
    assert_eq!(error, ClientError::Server { status: 500 });
    assert!(error.certainly_not_processed());
    assert!(rig.admin.exchanges().await.is_empty());
    // One attempt only: one of the two armed faults is left.
    assert_eq!(rig.admin.faults().await[0].count, Some(1));
    rig.shutdown().await;
}

#[tokio::test]
async fn reads_are_retried_a_bounded_number_of_times() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    rig.admin
        .fault(FaultEndpoint::Journal, FaultMode::ServerError, Some(2))
        .await;
    let journal = rig.client.journal(&credentials).await.unwrap();
    assert_eq!(journal.tipi_id, "AGP22222");
    assert!(rig.admin.faults().await.is_empty(), "both faults were met");

    rig.admin
        .fault(FaultEndpoint::Journal, FaultMode::ServerError, Some(4))
        .await;
    assert_eq!(
        rig.client.journal(&credentials).await.unwrap_err(),
        ClientError::Server { status: 500 }
    );
    assert_eq!(
        rig.admin.faults().await[0].count,
        Some(1),
        "three tries, no more"
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn a_dropped_answer_is_a_transport_error_and_the_batch_state_tells_the_truth() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    rig.admin
        .fault(FaultEndpoint::Batches, FaultMode::Drop, Some(1))
        .await;
    let xml = lot_xml(ENROLLED.0, 1, monday());
    let error = rig.client.send_batch(&credentials, &xml).await.unwrap_err();
    assert_eq!(
        error,
        ClientError::Transport {
            reached: Reached::Unknown
        }
    );
    assert!(!error.certainly_not_processed());

    // What tipi-core's transmitter does: ask before sending again.
    let state = rig
        .client
        .batch(&credentials, attestation(1))
        .await
        .unwrap();
    assert_eq!(state.no_attes, 1);
    assert_eq!(rig.admin.exchanges().await.len(), 1);
    assert_eq!(
        rig.client.send_batch(&credentials, &xml).await.unwrap_err(),
        ClientError::AttestationOutOfSequence {
            expected: attestation(2)
        }
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn an_authenticated_read_lost_in_transit_is_not_retried() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    rig.admin
        .fault(FaultEndpoint::Session, FaultMode::Refuse, Some(2))
        .await;
    assert_eq!(
        rig.client.session(&credentials).await.unwrap_err(),
        ClientError::Transport {
            reached: Reached::Unknown
        }
    );
    assert_eq!(rig.admin.faults().await[0].count, Some(1), "tried once");

    // The calendar carries no password: retried through the same kind of failure.
    rig.admin
        .fault(FaultEndpoint::Calendar, FaultMode::Refuse, Some(1))
        .await;
    rig.client.calendar().await.unwrap();
    rig.shutdown().await;
}

#[tokio::test]
async fn a_timeout_is_a_transport_error_of_unknown_reach() {
    let rig = Rig::start().await;
    let credentials = rig.enrolled().await;
    let mut config = Rig::client_config(&rig.sandbox);
    config.timeout = Duration::from_millis(300);
    config.retry = RetryPolicy::NEVER;
    let impatient = HttpTransport::new(config).unwrap();
    rig.admin
        .delay(FaultEndpoint::Session, Duration::from_secs(5))
        .await;
    assert_eq!(
        impatient.session(&credentials).await.unwrap_err(),
        ClientError::Transport {
            reached: Reached::Unknown
        }
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn a_server_certificate_outside_the_trust_list_is_refused() {
    let rig = Rig::start().await;
    let production = HttpTransport::new(ClientConfig::production(rig.sandbox.base_url())).unwrap();
    let error = production.calendar().await.unwrap_err();
    assert_eq!(error, ClientError::UntrustedCertificate);
    assert_eq!(error.code(), "UntrustedCertificate");
    let credentials = rig.enrolled().await;
    assert_eq!(
        production
            .send_batch(&credentials, &lot_xml(ENROLLED.0, 1, monday()))
            .await
            .unwrap_err(),
        ClientError::UntrustedCertificate
    );
    assert!(rig.admin.exchanges().await.is_empty());

    // Production refuses the sandbox's CA, and plain HTTP, before connecting at all.
    let mut smuggled = ClientConfig::production(rig.sandbox.base_url());
    smuggled.extra_root_ca_pem = Some(rig.sandbox.ca_cert_pem().as_bytes().to_vec());
    assert_eq!(
        HttpTransport::new(smuggled).unwrap_err().code(),
        "Configuration"
    );
    let plain = ClientConfig::sandbox(
        rig.sandbox.base_url().replace("https", "http"),
        rig.sandbox.ca_cert_pem().as_bytes(),
    );
    assert_eq!(
        HttpTransport::new(plain).unwrap_err().code(),
        "Configuration"
    );
    rig.shutdown().await;
}

#[tokio::test]
async fn nothing_is_reachable_on_a_closed_port() {
    // Bind then drop a listener: the port is (almost certainly) closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut config = ClientConfig::production(format!("https://127.0.0.1:{port}"));
    config.retry = RetryPolicy {
        attempts: 2,
        first_backoff: Duration::from_millis(1),
    };
    let client = HttpTransport::new(config).unwrap();
    assert_eq!(
        client.calendar().await.unwrap_err(),
        ClientError::Transport {
            reached: Reached::No
        }
    );
}
