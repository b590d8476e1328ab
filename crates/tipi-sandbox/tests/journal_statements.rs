//! The journal, the billing calendar as data, and the statements per cycle.

mod common;

use common::*;
use reqwest::StatusCode;
use rust_decimal_macros::dec;
use tipi_protocol::service::{BillingCalendar, ExchangeKind, ExchangeState, StatementList};
use tipi_protocol::statement::EtatCompte;
use tipi_protocol::{paths, ErrorCode, XmlMessage};

#[tokio::test]
async fn the_calendar_lists_two_week_cycles_of_this_year_and_next() {
    let env = Env::start().await;
    let response = env.http.get(env.url(paths::CALENDAR)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let calendar: BillingCalendar = response.json().await.unwrap();
    assert_eq!(calendar.years, vec![2026, 2027]);
    assert!(calendar.cycles.len() >= 52);
    for pair in calendar.cycles.windows(2) {
        assert_eq!((pair[1].start - pair[0].start).num_days(), 14);
        assert!(pair[0].number < pair[1].number);
    }
    for cycle in &calendar.cycles {
        assert!(
            cycle.start <= cycle.cutoff
                && cycle.cutoff <= cycle.end
                && cycle.end < cycle.payment_date
        );
        assert!(tipi_domain::calendar::is_business_day(cycle.cutoff));
        assert!(tipi_domain::calendar::is_business_day(cycle.payment_date));
    }
    // Good Friday 2026 would be a cut-off: moved back to Thursday.
    assert!(calendar
        .cycles
        .iter()
        .any(|c| c.cutoff.to_string() == "2026-04-02"));
}

#[tokio::test]
async fn statements_pay_production_claims_by_cycle_and_carry_small_amounts_forward() {
    // Thursday 2026-03-05: the agency goes live on Friday 2026-03-06.
    let env = Env::start_at("2026-03-05T15:00:00Z").await;
    env.enrolled("30001").await;
    let send = |no_attes: u32, requests| {
        let env = &env;
        async move {
            let response = env
                .send_batch("30001", &lot("30001", no_attes, requests))
                .await;
            assert_eq!(response.status(), StatusCode::ACCEPTED);
        }
    };
    send(1, valid_requests(1, 1, "2026-03-04")).await; // in test: never paid
                                                       // Cycle 2026-03-09..22, cut-off Friday 2026-03-20: 12.50 $ only (under 20 $, carried).
    env.freeze("2026-03-10T14:00:00Z").await;
    send(
        2,
        vec![request_with("2", "F2", NAM, "2026-03-09", "00103", 1)],
    )
    .await;
    // Next cycle 2026-03-23..04-05 (cut-off Thursday 2026-04-02): 45.00 + 45.00.
    env.freeze("2026-03-24T14:00:00Z").await;
    send(3, valid_requests(3, 2, "2026-03-23")).await;
    env.freeze("2026-03-30T14:00:00Z").await;
    send(
        4,
        vec![request_with("5", "F5", NAM, "2026-03-27", "00020", 1)],
    )
    .await;

    // Before the first payment date (Friday 2026-04-03 → Good Friday → Thursday 04-02).
    env.freeze("2026-04-01T14:00:00Z").await;
    let list: StatementList = env
        .get(paths::STATEMENTS, "AGP30001", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert!(list.statements.is_empty());
    env.freeze("2026-04-17T14:00:00Z").await;
    let list: StatementList = env
        .get(paths::STATEMENTS, "AGP30001", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.statements.len(), 2, "{list:?}");
    let first = &list.statements[0];
    assert_eq!((first.nbr_fact, first.mnt_paye), (1, dec!(0.00)));
    let response = env
        .get(&paths::statement(first.no_cycle), "AGP30001", PASSWORD)
        .await;
    let etat = EtatCompte::from_xml(&response.text().await.unwrap()).unwrap();
    assert_eq!(etat.dat_limi_recep.to_string(), "2026-03-20");
    assert_eq!(
        (etat.mnt_fact_cycle, etat.mnt_paye, etat.mnt_report_suiv),
        (dec!(12.50), dec!(0.00), dec!(12.50))
    );
    assert_eq!(etat.liste_fact_paye[0].no_fact_ext, "F2");
    assert_eq!(etat.liste_fact_paye[0].no_attes, 2);

    let second = &list.statements[1];
    let response = env
        .get(&paths::statement(second.no_cycle), "AGP30001", PASSWORD)
        .await;
    let etat = EtatCompte::from_xml(&response.text().await.unwrap()).unwrap();
    assert_eq!(etat.mnt_report_anter, dec!(12.50));
    assert_eq!(etat.mnt_fact_cycle, dec!(105.25));
    assert_eq!(etat.mnt_paye, dec!(117.75));
    assert_eq!(etat.mnt_report_suiv, dec!(0.00));
    let mut invoices: Vec<_> = etat
        .liste_fact_paye
        .iter()
        .map(|f| f.no_fact_ext.as_str())
        .collect();
    invoices.sort_unstable();
    assert_eq!(invoices, vec!["F3", "F4", "F5"]);

    let missing = env
        .get(&paths::statement(209901), "AGP30001", PASSWORD)
        .await;
    assert_eq!(error(missing).await.1.code, ErrorCode::NotFound);
    // The journal lists the statements with the exchanges.
    let journal = env.journal("30001").await;
    let statements = journal
        .exchanges
        .iter()
        .filter(|e| e.kind == ExchangeKind::Statement)
        .count();
    assert_eq!(statements, 2);
    assert!(journal
        .exchanges
        .iter()
        .filter(|e| e.kind == ExchangeKind::Batch)
        .all(|e| e.state == ExchangeState::ReturnsAvailable));
    assert!(journal
        .exchanges
        .windows(2)
        .all(|pair| pair[0].at <= pair[1].at));
}
