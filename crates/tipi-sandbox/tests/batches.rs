//! Batches *en différé*: attestation sequence, trailer, receivability with RAMQ-style codes,
//! returns at 08:00 the next business day, batch states, and going live.

mod common;

use common::*;
use reqwest::StatusCode;
use rust_decimal_macros::dec;
use tipi_protocol::lot::LotDemPaimtRecev;
use tipi_protocol::rfp::{FactRecev, StaRecev};
use tipi_protocol::service::{AgencyStatus, BatchReceipt, ExchangeState};
use tipi_protocol::{paths, ErrorCode, XmlMessage};

async fn accepted(
    env: &Env,
    transmission: &str,
    lot: &tipi_protocol::lot::LotDemPaimt,
) -> BatchReceipt {
    let response = env.send_batch(transmission, lot).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::ACCEPTED, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn returns(env: &Env, transmission: &str, no_attes: u32) -> LotDemPaimtRecev {
    let response = env
        .get(
            &paths::batch_returns(no_attes),
            &format!("AGP{transmission}"),
            PASSWORD,
        )
        .await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    LotDemPaimtRecev::from_xml(&text).unwrap()
}

fn codes(fact: &FactRecev) -> Vec<&str> {
    fact.liste_msg_expl_recev
        .iter()
        .map(|m| m.cod_msg_expl_recev.as_str())
        .collect()
}

#[tokio::test]
async fn attestation_numbers_must_be_exactly_the_next_expected() {
    let env = Env::start().await;
    env.enrolled("10001").await;
    let requests = valid_requests(1, 2, "2026-03-09");
    let (status, body) = error(
        env.send_batch("10001", &lot("10001", 2, requests.clone()))
            .await,
    )
    .await;
    assert_eq!(
        (status, body.code, body.expected),
        (
            StatusCode::CONFLICT,
            ErrorCode::AttestationOutOfSequence,
            Some(1)
        )
    );
    let receipt = accepted(&env, "10001", &lot("10001", 1, requests.clone())).await;
    assert_eq!(
        (receipt.no_attes, receipt.nbr_dem, receipt.mnt_total),
        (1, 2, dec!(90.00))
    );
    assert_eq!(receipt.state, ExchangeState::Received);
    // Reused, and skipped, numbers are refused with the expected one.
    for number in [1, 3, 100] {
        let (status, body) = error(
            env.send_batch(
                "10001",
                &lot("10001", number, valid_requests(3, 1, "2026-03-09")),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, body.expected),
            (StatusCode::CONFLICT, Some(2)),
            "{number}"
        );
    }
    assert_eq!(
        env.exchanges().await.len(),
        1,
        "refused batches are not recorded"
    );
}

#[tokio::test]
async fn the_trailer_and_the_envelope_are_checked_before_anything_is_recorded() {
    let env = Env::start().await;
    env.enrolled("10002").await;
    let mut wrong_count = lot("10002", 1, valid_requests(1, 2, "2026-03-09"));
    wrong_count.nbr_dem = 3;
    let (status, body) = error(env.send_batch("10002", &wrong_count).await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::TrailerMismatch)
    );
    let trailer = body.trailer.unwrap();
    assert_eq!((trailer.declared_count, trailer.actual_count), (3, 2));
    let mut wrong_total = lot("10002", 1, valid_requests(1, 2, "2026-03-09"));
    wrong_total.mnt_total = dec!(90.01);
    let (_, body) = error(env.send_batch("10002", &wrong_total).await).await;
    assert_eq!(body.code, ErrorCode::TrailerMismatch);
    assert_eq!(body.trailer.unwrap().actual_total, dec!(90.00));
    // Another agency's transmission number.
    let (status, body) = error(
        env.send_batch(
            "10002",
            &lot("10003", 1, valid_requests(1, 1, "2026-03-09")),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body.code),
        (StatusCode::FORBIDDEN, ErrorCode::TransmissionMismatch)
    );
    // Not a batch.
    let response = env
        .post_xml(paths::BATCHES, "AGP10002", PASSWORD, "<lot>".into())
        .await;
    assert_eq!(error(response).await.1.code, ErrorCode::MalformedMessage);
    let single = request("1", "F1", NAM, "2026-03-09").to_xml().unwrap();
    let (status, body) = error(
        env.post_xml(paths::BATCHES, "AGP10002", PASSWORD, single)
            .await,
    )
    .await;
    assert_eq!(
        (status, body.code),
        (StatusCode::BAD_REQUEST, ErrorCode::MalformedMessage)
    );
    // Empty.
    let (_, body) = error(env.send_batch("10002", &lot("10002", 1, vec![])).await).await;
    assert_eq!(
        (body.code, body.problems),
        (ErrorCode::Rejected, vec!["batch_empty".to_owned()])
    );
    // Too many requests for one batch.
    let oversized = valid_requests(1, tipi_domain::batch::MAX_CLAIMS as u64 + 1, "2026-03-09");
    let (status, body) = error(env.send_batch("10002", &lot("10002", 1, oversized)).await).await;
    assert_eq!(
        (status, body.code, body.problems),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Rejected,
            vec!["batch_too_large".to_owned()]
        )
    );
    // None of it consumed the attestation number.
    assert_eq!(
        accepted(
            &env,
            "10002",
            &lot("10002", 1, valid_requests(1, 1, "2026-03-09"))
        )
        .await
        .no_attes,
        1
    );
}

#[tokio::test]
async fn every_claim_is_judged_with_ramq_message_codes() {
    let env = Env::start().await;
    env.enrolled("10004").await;
    let mut late_allowed = request("5", "F5", NAM, "2025-12-01");
    late_allowed.liste_fact[0].ind_hors_dela = true;
    let mut bad_date = request("6", "F6", NAM, "2026-02-30");
    bad_date.liste_fact[0].liste_ligne_fact[0].cod_role = "123".into();
    let mut unknown_place = request("7", "F7", NAM, "2026-03-09");
    unknown_place.liste_fact[0].lieu_consi = "12345".into();
    let mut other_name = request("9", "F9", NAM, "2026-03-09");
    other_name.liste_fact[0].liste_pers_objet_fact[0]
        .pers_patnt_avec_idt
        .as_mut()
        .unwrap()
        .nom_pers = "Gagnon".into();
    let requests = vec![
        request("1", "F1", NAM, "2026-03-09"),
        request("2", "F2", BAD_NAM, "2026-03-09"),
        request_with("3", "F3", NAM, "2026-03-09", "99999", 1),
        request("4", "F4", NAM, "2025-12-01"),
        late_allowed,
        bad_date,
        unknown_place,
        request("8", "F1", NAM, "2026-03-09"),
        other_name,
        request_with("10", "F10", NAM, "2026-03-09", "00020", 2),
    ];
    accepted(&env, "10004", &lot("10004", 1, requests)).await;
    env.freeze("2026-03-11T12:00:00Z").await; // Wednesday 08:00
    let answer = returns(&env, "10004", 1).await;
    assert_eq!(
        (
            answer.nbr_dem,
            answer.nbr_dem_recev,
            answer.nbr_dem_non_recev
        ),
        (10, 4, 6)
    );
    let facts: Vec<&FactRecev> = answer
        .dem_paimt_recev
        .iter()
        .map(|d| &d.liste_fact_recev[0])
        .collect();
    let receivable = |i: usize| facts[i].sta_recev == StaRecev::Receivable;

    assert!(receivable(0));
    assert_eq!(facts[0].no_fact_ramq.as_deref().map(str::len), Some(13));
    assert!(facts[0].jeton_comm.is_some());
    assert_eq!(facts[0].liste_ligne_fact_recev[0].mnt_prel, dec!(45.00));
    assert!(!receivable(1));
    assert_eq!(codes(facts[1]), vec!["105"]);
    assert_eq!(
        facts[1].liste_msg_expl_recev[0]
            .elm_msg_expl_recev
            .as_deref(),
        Some("liste_pers_objet_fact[0].pers_patnt_avec_idt.id_pers")
    );
    assert!(facts[1].no_fact_ramq.is_none() && facts[1].jeton_comm.is_none());
    assert_eq!(codes(facts[2]), vec!["142"]);
    assert_eq!(codes(facts[3]), vec!["152"]);
    assert!(receivable(4), "hors délai declared");
    assert_eq!(codes(facts[5]), vec!["150", "143"], "all problems at once");
    assert_eq!(codes(facts[6]), vec!["131"]);
    assert_eq!(codes(facts[7]), vec!["162"], "F1 twice in the batch");
    assert!(receivable(8));
    assert!(codes(facts[8]).contains(&"106"), "a warning does not block");
    assert_eq!(facts[9].liste_ligne_fact_recev[0].mnt_prel, dec!(30.50));
    assert_eq!(facts[9].liste_ligne_fact_recev[0].formu_expl, "2 x 15.25");
    // In test: receivable, but not counted for payment.
    assert!(!answer.ind_prodc);
    assert!(facts.iter().all(|f| !f.ind_compt_paimt));
    assert!(codes(facts[0]).contains(&"190"));
    // Numbers are unique.
    let mut numbers: Vec<_> = facts
        .iter()
        .filter_map(|f| f.no_fact_ramq.clone())
        .collect();
    numbers.dedup();
    assert_eq!(numbers.len(), 4);
}

async fn show(env: &Env, no_attes: u32) -> BatchReceipt {
    let response = env.get(&paths::batch(no_attes), "AGP10005", PASSWORD).await;
    response.json().await.unwrap()
}

#[tokio::test]
async fn returns_wait_for_08_00_the_next_business_day() {
    let env = Env::start().await;
    env.enrolled("10005").await;
    // Tuesday 10:00 → Wednesday 08:00, across the night.
    accepted(
        &env,
        "10005",
        &lot("10005", 1, valid_requests(1, 1, "2026-03-09")),
    )
    .await;
    let (status, body) = error(
        env.get(&paths::batch_returns(1), "AGP10005", PASSWORD)
            .await,
    )
    .await;
    assert_eq!(
        (status, body.code),
        (StatusCode::TOO_EARLY, ErrorCode::NotYetAvailable)
    );
    assert_eq!(body.available_at, Some(at("2026-03-11T12:00:00Z")));
    env.freeze("2026-03-11T01:59:00Z").await; // 21:59: still received
    assert_eq!(show(&env, 1).await.state, ExchangeState::Received);
    env.freeze("2026-03-11T11:59:00Z").await; // Wednesday 07:59: processed overnight
    assert_eq!(show(&env, 1).await.state, ExchangeState::Processed);
    assert_eq!(
        error(
            env.get(&paths::batch_returns(1), "AGP10005", PASSWORD)
                .await
        )
        .await
        .1
        .code,
        ErrorCode::NotYetAvailable
    );
    env.advance(60).await;
    assert_eq!(show(&env, 1).await.state, ExchangeState::ReturnsAvailable);
    assert_eq!(returns(&env, "10005", 1).await.nbr_dem_recev, 1);

    // Friday 21:30 → Monday 08:00, across the weekend.
    env.freeze("2026-03-14T01:30:00Z").await;
    let receipt = accepted(
        &env,
        "10005",
        &lot("10005", 2, valid_requests(2, 1, "2026-03-09")),
    )
    .await;
    assert_eq!(receipt.returns_available_at, at("2026-03-16T12:00:00Z"));
    // Thursday before Easter → Tuesday 08:00, across Good Friday, the weekend, Easter Monday.
    env.freeze("2026-04-02T18:00:00Z").await;
    let receipt = accepted(
        &env,
        "10005",
        &lot("10005", 3, valid_requests(3, 1, "2026-04-01")),
    )
    .await;
    assert_eq!(receipt.returns_available_at, at("2026-04-07T12:00:00Z"));
    env.freeze("2026-04-06T16:00:00Z").await; // Easter Monday noon: closed anyway
    assert_eq!(
        error(
            env.get(&paths::batch_returns(3), "AGP10005", PASSWORD)
                .await
        )
        .await
        .1
        .code,
        ErrorCode::OutsideServiceWindow
    );
    env.freeze("2026-04-07T12:00:00Z").await;
    assert_eq!(returns(&env, "10005", 3).await.no_attes, 3);
    let unknown = env
        .get(&paths::batch_returns(9), "AGP10005", PASSWORD)
        .await;
    assert_eq!(error(unknown).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_agency_goes_live_the_business_day_after_its_first_valid_batch() {
    let env = Env::start().await;
    env.enrolled("10006").await;
    // Tuesday: a batch with an error keeps the agency in test.
    let mut with_error = valid_requests(1, 2, "2026-03-09");
    with_error.push(request("3", "F3", BAD_NAM, "2026-03-09"));
    accepted(&env, "10006", &lot("10006", 1, with_error)).await;
    env.freeze("2026-03-11T14:00:00Z").await; // Wednesday 10:00
    let journal = env.journal("10006").await;
    assert_eq!(
        (journal.status, journal.production_since),
        (AgencyStatus::Test, None)
    );
    // Wednesday: a valid batch (the same invoices, corrected), still in test.
    let receipt = accepted(
        &env,
        "10006",
        &lot("10006", 2, valid_requests(1, 3, "2026-03-09")),
    )
    .await;
    assert!(!receipt.counted_for_payment);
    assert_eq!(env.journal("10006").await.status, AgencyStatus::Test);
    // Thursday 08:00: in production since Wednesday.
    env.freeze("2026-03-12T12:00:00Z").await;
    let journal = env.journal("10006").await;
    assert_eq!(journal.status, AgencyStatus::Production);
    assert_eq!(journal.production_since.unwrap().to_string(), "2026-03-11");
    let test_returns = returns(&env, "10006", 2).await;
    assert!(test_returns
        .dem_paimt_recev
        .iter()
        .all(|d| !d.liste_fact_recev[0].ind_compt_paimt));
    // The test-period invoices must be sent again, with a new attestation number: now counted.
    let receipt = accepted(
        &env,
        "10006",
        &lot("10006", 3, valid_requests(1, 3, "2026-03-09")),
    )
    .await;
    assert!(receipt.counted_for_payment);
    env.freeze("2026-03-13T12:00:00Z").await;
    let live = returns(&env, "10006", 3).await;
    assert!(live.ind_prodc);
    assert!(live.dem_paimt_recev.iter().all(|d| {
        let fact = &d.liste_fact_recev[0];
        fact.sta_recev == StaRecev::Receivable && fact.ind_compt_paimt && codes(fact).is_empty()
    }));
    // Once counted, the same invoice (or request number) is a duplicate.
    accepted(
        &env,
        "10006",
        &lot(
            "10006",
            4,
            vec![
                request("99", "F1", NAM, "2026-03-09"),
                request("1", "G1", NAM, "2026-03-09"),
            ],
        ),
    )
    .await;
    env.freeze("2026-03-16T12:00:00Z").await;
    let duplicates = returns(&env, "10006", 4).await;
    assert_eq!(
        codes(&duplicates.dem_paimt_recev[0].liste_fact_recev[0]),
        vec!["163"]
    );
    let request_codes: Vec<_> = duplicates.dem_paimt_recev[1]
        .liste_msg_expl_recev
        .iter()
        .map(|m| m.cod_msg_expl_recev.as_str())
        .collect();
    assert_eq!(request_codes, vec!["182"]);
    // The journal shows every batch and its returns.
    let journal = env.journal("10006").await;
    let batches = journal
        .exchanges
        .iter()
        .filter(|e| e.id.starts_with("batch-"))
        .count();
    let returns_listed = journal
        .exchanges
        .iter()
        .filter(|e| e.id.starts_with("returns-"))
        .count();
    assert_eq!((batches, returns_listed), (4, 4));
    assert_eq!(journal.next_attestation, 5);
}

#[tokio::test]
async fn a_first_valid_batch_on_friday_goes_live_on_monday() {
    let env = Env::start_at("2026-03-13T14:00:00Z").await;
    env.enrolled("10007").await;
    accepted(
        &env,
        "10007",
        &lot("10007", 1, valid_requests(1, 1, "2026-03-12")),
    )
    .await;
    env.freeze("2026-03-16T11:00:00Z").await; // Monday 07:00
    let journal = env.journal("10007").await;
    assert_eq!(journal.status, AgencyStatus::Production);
    assert_eq!(journal.production_since.unwrap().to_string(), "2026-03-13");
}
