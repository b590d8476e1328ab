//! The whole story against the real sandbox over HTTPS, with a real SQLite file and the real
//! keychain: enrolment, a first batch in test with an error, the corrected batch, production
//! the next business day, the test-period claims sent again with a new attestation number,
//! receivability after 08:00, the statement. Along the way: the password is in neither the
//! database file nor the logs.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tipi_core::batches::BuildMode;
use tipi_core::claims::ClaimFilter;
use tipi_core::TEST_PERIOD_MESSAGE;
use tipi_protocol::service::AgencyStatus;
use tipi_store::ClaimState;

use support::*;

const PASSWORD: &str = "Tipi2026";

/// Collects every log line of the test (its thread runs the sandbox too).
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn from_enrolment_through_the_test_period_to_the_statement() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let rig = Rig::start().await;
    let tipi = &rig.tipi;
    rig.enrol_demo(PASSWORD).await;
    let profile = tipi.profile().await.unwrap().unwrap();
    assert_eq!(profile.password_set_on, Some(date(2026, 3, 10)));
    assert!(tipi.refresh_calendar().await.unwrap() > 0);

    // Tuesday: the first batch, in test, with one claim RAMQ's tariff does not know.
    let a = tipi.add_ready_claim(claim("A-1")).await.unwrap().stored.id;
    let mut unknown_code = claim("B-1");
    unknown_code.lines[0].billing_code = "99998".into();
    let b = tipi.add_ready_claim(unknown_code).await.unwrap().stored.id;
    let dry = tipi.build_batch(None, BuildMode::DryRun).await.unwrap();
    let first = tipi.build_batch(None, BuildMode::Real).await.unwrap();
    assert_eq!((dry.attestation.get(), first.attestation.get()), (1, 1));
    assert_eq!(dry.claims, first.claims);
    let sent = tipi.transmit().await.unwrap();
    assert_eq!(sent.sent.len(), 1);
    assert!(!sent.sent[0].counted_for_payment, "in test");

    // Wednesday 07:30: no returns before 08:00.
    rig.travel(local(date(2026, 3, 11), 7, 30)).await;
    let early = tipi.sync().await.unwrap();
    assert!(early.returns_applied.is_empty());
    assert_eq!(tipi.store().claim_state(a).await.unwrap(), ClaimState::Sent);

    // 08:30: A was judged receivable but not counted (test period), B refused.
    rig.travel(local(date(2026, 3, 11), 8, 30)).await;
    let returns = tipi.sync().await.unwrap();
    assert_eq!(returns.returns_applied.len(), 1);
    assert_eq!(
        returns.status,
        AgencyStatus::Test,
        "the first file had an error"
    );
    let a_detail = tipi.claim(a).await.unwrap();
    assert_eq!(a_detail.view.stored.state, ClaimState::Refused);
    let a_answer = a_detail.receivability.last().unwrap();
    assert!(a_answer.no_fact_ramq.is_some());
    assert!(a_answer
        .messages
        .iter()
        .any(|m| m.code == TEST_PERIOD_MESSAGE));
    let b_detail = tipi.claim(b).await.unwrap();
    assert_eq!(b_detail.view.stored.state, ClaimState::Refused);
    assert!(b_detail.receivability[0]
        .messages
        .iter()
        .any(|m| m.code == "142"));
    assert!(
        returns.test_period_resend.is_empty(),
        "not in production yet"
    );

    // The refused claim stays editable and keeps its history; the corrected batch goes out.
    rig.travel(local(date(2026, 3, 11), 10, 0)).await;
    tipi.update_claim(b, claim("B-1")).await.unwrap();
    tipi.mark_ready(b).await.unwrap();
    let history = tipi.claim(b).await.unwrap().history;
    assert!(history.iter().any(|e| e.to == Some(ClaimState::Refused)));
    let second = tipi.build_batch(None, BuildMode::Real).await.unwrap();
    assert_eq!(second.attestation.get(), 2);
    assert_eq!(second.claims.iter().map(|c| c.0).collect::<Vec<_>>(), [b]);
    tipi.transmit().await.unwrap();

    // Thursday: in production since Wednesday; both claims wait to be sent again.
    rig.travel(local(date(2026, 3, 12), 8, 30)).await;
    let live = tipi.sync().await.unwrap();
    assert_eq!(live.status, AgencyStatus::Production);
    assert_eq!(live.production_since, Some(date(2026, 3, 11)));
    let mut expected = vec![a, b];
    expected.sort();
    assert_eq!(live.test_period_resend, expected);
    let due = due_reminder_keys(tipi).await;
    assert!(due.contains(&"went-live:2026-03-11".to_owned()), "{due:?}");

    // The one action: a new batch with a new attestation number.
    rig.travel(local(date(2026, 3, 12), 10, 0)).await;
    let resend = tipi.resend_test_period_claims().await.unwrap();
    assert_eq!(resend.attestation.get(), 3);
    assert_eq!(resend.claims.len(), 2);
    let counted = tipi.transmit().await.unwrap();
    assert!(counted.sent[0].counted_for_payment);

    // Friday: receivability from 08:00, with RAMQ's numbers.
    rig.travel(local(date(2026, 3, 13), 7, 59)).await;
    assert!(tipi.sync().await.unwrap().returns_applied.is_empty());
    rig.travel(local(date(2026, 3, 13), 8, 1)).await;
    let judged = tipi.sync().await.unwrap();
    assert_eq!(judged.receivable, 2);
    for id in [a, b] {
        let stored = tipi.claim(id).await.unwrap().view.stored;
        assert_eq!(stored.state, ClaimState::Receivable);
        assert!(stored.no_fact_ramq.is_some());
    }

    // The statement, on the payment date of the cycle that received them.
    let overview = tipi
        .calendar_overview(Some(date(2026, 3, 12)))
        .await
        .unwrap()
        .unwrap();
    let cycle = overview.paying_today.unwrap();
    rig.travel(local(cycle.payment_date, 9, 0)).await;
    let paid = tipi.sync().await.unwrap();
    assert_eq!(paid.statements, [cycle.number]);
    let paid_claims = tipi
        .list_claims(ClaimFilter::State(ClaimState::Paid))
        .await
        .unwrap();
    assert_eq!(paid_claims.len(), 2);
    assert!(
        tipi.sync().await.unwrap().statements.is_empty(),
        "recorded once"
    );

    // Home: the cycle that received them shows what was sent, judged receivable and paid, each
    // claim counted once, at its last send (the test-period sends are not counted again).
    let home = tipi.overview().await.unwrap();
    let row = home
        .cycles
        .iter()
        .find(|c| c.cycle == cycle.number)
        .expect("the receiving cycle is on the home screen");
    assert_eq!(row.sent, dec!(90.00));
    assert_eq!(row.receivable, dec!(90.00));
    assert!(row.paid > Decimal::ZERO);
    let sent: Decimal = home.cycles.iter().map(|c| c.sent).sum();
    assert_eq!(sent, dec!(90.00), "{:?}", home.cycles);

    // TIP-I saw three batches, numbered 1, 2, 3: nothing lost, nothing twice.
    let mut numbers: Vec<u32> = rig
        .admin
        .exchanges()
        .await
        .iter()
        .filter_map(|e| e.no_attes)
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, [1, 2, 3]);

    // The password is in neither the database file nor the logs.
    let database = rig.database_path();
    rig.shutdown().await;
    for path in [database.clone(), database.with_extension("sqlite3-wal")] {
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(
                !bytes
                    .windows(PASSWORD.len())
                    .any(|w| w == PASSWORD.as_bytes()),
                "password found in {}",
                path.display()
            );
        }
    }
    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(logs.contains("batch queued"), "the logs were captured");
    for secret in [PASSWORD, "blast123", "TREJ85531510"] {
        assert!(!logs.contains(secret), "a secret or a NAM is in the logs");
    }
}
