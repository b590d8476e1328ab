//! *En direct*: one RFP request, receivability in the answer; idempotent by request number.

mod common;

use common::*;
use reqwest::StatusCode;
use tipi_protocol::rfp::{DemPaimtRecev, StaRecev};
use tipi_protocol::service::ExchangeKind;
use tipi_protocol::{paths, ErrorCode, XmlMessage};

async fn send(env: &Env, request: &tipi_protocol::rfp::DemPaimt) -> reqwest::Response {
    env.post_xml(
        paths::DIRECT,
        "AGP20001",
        PASSWORD,
        request.to_xml().unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_direct_request_is_answered_at_once() {
    let env = Env::start().await;
    env.enrolled("20001").await;
    let response = send(&env, &request("1", "F1", NAM, "2026-03-09")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("x-tipi-replay").is_none());
    let answer = DemPaimtRecev::from_xml(&response.text().await.unwrap()).unwrap();
    assert_eq!(answer.sta_recev, StaRecev::Receivable);
    let fact = &answer.liste_fact_recev[0];
    assert!(fact.no_fact_ramq.is_some() && fact.jeton_comm.is_some());
    assert!(!fact.ind_compt_paimt, "agency in test");

    let response = send(&env, &request("2", "F2", BAD_NAM, "2026-03-09")).await;
    let answer = DemPaimtRecev::from_xml(&response.text().await.unwrap()).unwrap();
    assert_eq!(answer.sta_recev, StaRecev::NotReceivable);
    assert_eq!(
        answer.liste_fact_recev[0].liste_msg_expl_recev[0].cod_msg_expl_recev,
        "105"
    );

    let journal = env.journal("20001").await;
    let direct: Vec<_> = journal
        .exchanges
        .iter()
        .filter(|e| e.kind == ExchangeKind::Direct)
        .collect();
    assert_eq!(direct.len(), 2);
    assert_eq!(direct[0].nbr_dem_recev, Some(1));
    assert_eq!(direct[1].nbr_dem_recev, Some(0));
}

#[tokio::test]
async fn only_rfp_and_one_invoice_go_en_direct() {
    let env = Env::start().await;
    env.enrolled("20001").await;
    let mut rpv = request("1", "F1", NAM, "2026-03-09");
    rpv.liste_fact[0].typ_remun = "RPV".into();
    let (status, body) = error(send(&env, &rpv).await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Rejected)
    );
    assert_eq!(body.problems, vec!["direct_rfp_only"]);
    let mut two = request("1", "F1", NAM, "2026-03-09");
    two.liste_fact.push(two.liste_fact[0].clone());
    assert_eq!(
        error(send(&env, &two).await).await.1.problems,
        vec!["request_invoice_count"]
    );
    assert!(env.exchanges().await.is_empty());
}

#[tokio::test]
async fn the_same_request_sent_again_gets_the_same_answer_without_a_second_record() {
    let env = Env::start().await;
    env.enrolled("20001").await;
    let original = request("7", "F7", NAM, "2026-03-09");
    let first = send(&env, &original).await.text().await.unwrap();
    let again = send(&env, &original).await;
    assert_eq!(again.headers()["x-tipi-replay"], "true");
    assert_eq!(again.text().await.unwrap(), first);
    assert_eq!(env.exchanges().await.len(), 1);
    // Same number, different content: judged anew, and refused as a duplicate once counted.
    let mut changed = original.clone();
    changed.liste_fact[0].no_fact_ext = "F8".into();
    let response = send(&env, &changed).await;
    assert!(response.headers().get("x-tipi-replay").is_none());
    assert_eq!(env.exchanges().await.len(), 2);
}
