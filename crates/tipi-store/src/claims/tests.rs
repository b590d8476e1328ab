use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tipi_domain::claim::{Claim, ClaimLine, Patient, RemunerationSystem};
use tipi_domain::ids::{Clientele, ExternalRequestNumber};
use tipi_domain::nam::Sex;

use super::*;
use crate::outbox::NewDirect;
use crate::receivability::{LineResult, Receivability, ReceivabilityMessage};
use crate::test_support::{at, TempStore};

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

fn line(service_date: NaiveDate, amount: Decimal) -> ClaimLine {
    ClaimLine {
        billing_code: "00103".into(),
        service_date,
        role: "1".into(),
        units: 1,
        amount,
    }
}

fn claim(external_id: &str, nam: &str, service_date: NaiveDate) -> Claim {
    Claim {
        external_id: external_id.into(),
        professional: "123456".into(),
        place: "99999".into(),
        patient: Patient::WithNam {
            nam: nam.into(),
            surname: "Tremblay".into(),
            first_name: "Marie".into(),
        },
        remuneration: RemunerationSystem::Rfp,
        clientele: Clientele::Physicians,
        late_allowed: false,
        lines: vec![
            line(service_date, dec!(45.10)),
            line(service_date, dec!(0.50)),
        ],
    }
}

async fn plan(store: &Store, source: &str, args: &[&str]) -> String {
    let sql = format!("EXPLAIN QUERY PLAN {}", claims_json(source));
    let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&sql);
    for arg in args {
        query = query.bind(*arg);
    }
    let rows = query.fetch_all(store.pool()).await.unwrap();
    rows.into_iter()
        .map(|r| r.3)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Takes a claim through a direct send to RAMQ's answer.
async fn send_and_answer(store: &Store, id: ClaimId, no_dem_ext: u64, receivable: bool) {
    store.mark_claim_ready(id, at(3, 10)).await.unwrap();
    let direct = NewDirect {
        no_dem_ext: ExternalRequestNumber::new(no_dem_ext).unwrap(),
        claim: id,
        payload: b"dem_paimt",
    };
    let outbox = store.enqueue_direct(direct, at(3, 11)).await.unwrap();
    store.mark_sending(outbox, at(3, 11)).await.unwrap();
    store.mark_sent(outbox, at(3, 11)).await.unwrap();
    let answer = Receivability {
        claim: id,
        outbox: Some(outbox),
        received_at: at(3, 12),
        receivable,
        no_fact_ramq: receivable.then(|| "RAMQ-1".to_owned()),
        jeton_comm: receivable.then(|| "J1".to_owned()),
        lines: vec![LineResult {
            line_no: 0,
            preliminary_amount: Some(dec!(45.10)),
            formula: Some("1 x 45.10".into()),
        }],
        messages: if receivable {
            vec![]
        } else {
            vec![ReceivabilityMessage {
                line_no: Some(1),
                code: "R123".into(),
                text: "Code de facturation invalide".into(),
            }]
        },
    };
    store.record_receivability(&answer).await.unwrap();
}

#[tokio::test]
async fn claims_round_trip_with_and_without_nam_and_survive_reopen() {
    let mut tmp = TempStore::new().await;
    let with_nam = claim("F-1", "TREM80510112", date(3, 3));
    let mut without_nam = claim("F-2", "", date(3, 4));
    without_nam.patient = Patient::WithoutNam {
        surname: "Gagnon".into(),
        first_name: "Luc".into(),
        birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
        sex: Sex::Male,
    };
    without_nam.remuneration = RemunerationSystem::Rmx;
    without_nam.clientele = Clientele::Dentists;
    without_nam.late_allowed = true;
    let a = tmp.store.create_claim(&with_nam, at(3, 9)).await.unwrap();
    let b = tmp
        .store
        .create_claim(&without_nam, at(3, 9))
        .await
        .unwrap();

    tmp.reopen().await;
    let read_a = tmp.store.claim(a).await.unwrap();
    assert_eq!(read_a.claim, with_nam);
    assert_eq!(read_a.state, ClaimState::Draft);
    assert_eq!(read_a.claim.total(), dec!(45.60));
    assert_eq!(tmp.store.claim(b).await.unwrap().claim, without_nam);
    let by_ext = tmp
        .store
        .claim_by_external_id("F-2")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_ext.id, b);
    assert!(tmp
        .store
        .claim(ClaimId(999))
        .await
        .unwrap_err()
        .is_not_found());
}

#[tokio::test]
async fn money_is_stored_as_exact_decimal_text() {
    let tmp = TempStore::new().await;
    let id = tmp
        .store
        .create_claim(&claim("F-1", "TREM80510112", date(3, 3)), at(3, 9))
        .await;
    let id = id.unwrap();
    let stored: Vec<(String, String)> = sqlx::query_as(
        "SELECT typeof(amount), amount FROM claim_lines WHERE claim_id = ? ORDER BY line_no",
    )
    .bind(id.0)
    .fetch_all(tmp.store.pool())
    .await
    .unwrap();
    assert_eq!(
        stored,
        vec![
            ("text".into(), "45.10".into()),
            ("text".into(), "0.50".into())
        ]
    );
}

#[tokio::test]
async fn an_external_id_is_used_once() {
    let tmp = TempStore::new().await;
    let c = claim("F-1", "TREM80510112", date(3, 3));
    tmp.store.create_claim(&c, at(3, 9)).await.unwrap();
    let err = tmp.store.create_claim(&c, at(3, 9)).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert!(!err.to_string().contains("F-1"));
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM claim_lines")
        .fetch_one(tmp.store.pool())
        .await
        .unwrap();
    assert_eq!(count, 2, "the refused copy left no lines");
}

#[tokio::test]
async fn a_refused_claim_stays_editable_and_keeps_its_history() {
    let tmp = TempStore::new().await;
    let s = &tmp.store;
    let id = s
        .create_claim(&claim("F-1", "TREM80510112", date(3, 3)), at(3, 9))
        .await
        .unwrap();
    send_and_answer(s, id, 1, false).await;
    assert_eq!(s.claim_state(id).await.unwrap(), ClaimState::Refused);

    let mut corrected = claim("F-1", "TREM80510112", date(3, 3));
    corrected.lines[1].billing_code = "00104".into();
    s.update_claim(id, &corrected, at(3, 13)).await.unwrap();
    assert_eq!(s.claim(id).await.unwrap().claim, corrected);
    assert_eq!(s.claim_state(id).await.unwrap(), ClaimState::Draft);

    send_and_answer(s, id, 2, true).await;
    let stored = s.claim(id).await.unwrap();
    assert_eq!(stored.state, ClaimState::Receivable);
    assert_eq!(stored.no_fact_ramq.as_deref(), Some("RAMQ-1"));

    let results = s.receivability_history(id).await.unwrap();
    assert_eq!(results.len(), 2, "the refusal is kept");
    assert!(!results[0].receivable);
    assert_eq!(results[0].messages[0].code, "R123");
    assert_eq!(results[0].messages[0].line_no, Some(1));
    assert_eq!(results[1].lines[0].preliminary_amount, Some(dec!(45.10)));

    let kinds: Vec<_> = s
        .claim_history(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.to))
        .collect();
    use ClaimEventKind::*;
    use ClaimState::*;
    assert_eq!(
        kinds,
        vec![
            (Created, Some(Draft)),
            (StateChanged, Some(Ready)),
            (StateChanged, Some(Queued)),
            (StateChanged, Some(Sent)),
            (StateChanged, Some(Refused)),
            (Edited, Some(Draft)),
            (StateChanged, Some(Ready)),
            (StateChanged, Some(Queued)),
            (StateChanged, Some(Sent)),
            (StateChanged, Some(Receivable)),
        ]
    );

    // Receivable is no longer editable; paid is final.
    let err = s.update_claim(id, &corrected, at(4, 9)).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidTransition { .. }), "{err}");
    s.mark_claim_paid(id, at(20, 9)).await.unwrap();
    assert_eq!(s.claim_state(id).await.unwrap(), ClaimState::Paid);
}

#[tokio::test]
async fn only_claims_that_never_left_can_be_deleted() {
    let tmp = TempStore::new().await;
    let s = &tmp.store;
    let kept = s
        .create_claim(&claim("F-1", "TREM80510112", date(3, 3)), at(3, 9))
        .await
        .unwrap();
    let gone = s
        .create_claim(&claim("F-2", "TREM80510112", date(3, 3)), at(3, 9))
        .await
        .unwrap();
    send_and_answer(s, kept, 1, false).await;
    s.update_claim(kept, &claim("F-1", "TREM80510112", date(3, 3)), at(3, 13))
        .await
        .unwrap();
    let err = s.delete_claim(kept).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidTransition { .. }), "{err}");
    s.delete_claim(gone).await.unwrap();
    assert!(s.claim(gone).await.unwrap_err().is_not_found());
    assert!(s.claim(kept).await.is_ok());
}

#[tokio::test]
async fn claims_are_found_by_state_nam_prefix_and_service_date() {
    let tmp = TempStore::new().await;
    let s = &tmp.store;
    let a = s
        .create_claim(&claim("F-1", "TREM80510112", date(3, 3)), at(3, 9))
        .await
        .unwrap();
    let b = s
        .create_claim(&claim("F-2", "trem 8001 0199", date(3, 10)), at(3, 9))
        .await
        .unwrap();
    let c = s
        .create_claim(&claim("F-3", "GAGL75120345", date(2, 20)), at(3, 9))
        .await
        .unwrap();
    s.mark_claim_ready(b, at(3, 10)).await.unwrap();

    let ids = |v: Vec<StoredClaim>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(
        ids(s.search_claims_by_nam("trem", 10).await.unwrap()),
        vec![b, a]
    );
    assert_eq!(
        ids(s.search_claims_by_nam("TREM8051", 10).await.unwrap()),
        vec![a]
    );
    assert_eq!(
        ids(s.search_claims_by_nam("TREM80510112", 10).await.unwrap()),
        vec![a]
    );
    assert_eq!(
        ids(s.search_claims_by_nam("TREM", 1).await.unwrap()),
        vec![b]
    );
    assert!(s.search_claims_by_nam("TR%", 10).await.unwrap().is_empty());
    assert!(s.search_claims_by_nam("", 10).await.unwrap().is_empty());
    assert_eq!(
        s.claim(b).await.unwrap().claim.patient,
        Patient::WithNam {
            nam: "TREM80010199".into(),
            surname: "Tremblay".into(),
            first_name: "Marie".into()
        },
        "NAMs are stored normalized"
    );

    assert_eq!(
        ids(s.claims_in_state(ClaimState::Draft, 10).await.unwrap()),
        vec![c, a]
    );
    assert_eq!(
        ids(s.claims_in_state(ClaimState::Ready, 10).await.unwrap()),
        vec![b]
    );
    assert_eq!(
        ids(s
            .claims_in_state_oldest_first(ClaimState::Draft, 10)
            .await
            .unwrap()),
        vec![a, c]
    );
    assert_eq!(
        ids(s
            .claims_in_state_oldest_first(ClaimState::Draft, 1)
            .await
            .unwrap()),
        vec![a]
    );
    assert_eq!(
        s.claim_counts().await.unwrap(),
        vec![(ClaimState::Draft, 2), (ClaimState::Ready, 1)]
    );

    let in_march = s
        .claims_with_service_between(date(3, 1), date(3, 31), 10)
        .await
        .unwrap();
    assert_eq!(ids(in_march), vec![a, b]);
    let first_week = s
        .claims_with_service_between(date(2, 1), date(3, 7), 10)
        .await
        .unwrap();
    assert_eq!(ids(first_week), vec![c, a]);
}

#[tokio::test]
async fn searches_use_their_indexes() {
    let tmp = TempStore::new().await;
    let nam = plan(&tmp.store, BY_NAM_PREFIX, &["A", "B", "10"]).await;
    assert!(nam.contains("claims_by_nam"), "{nam}");
    for source in [BY_STATE, BY_STATE_OLDEST_FIRST] {
        let state = plan(&tmp.store, source, &["ready", "10"]).await;
        assert!(state.contains("claims_by_state"), "{state}");
    }
    let service = plan(
        &tmp.store,
        BY_SERVICE_DATE,
        &["2025-03-01", "2025-03-31", "10"],
    )
    .await;
    assert!(service.contains("claim_lines_by_service_date"), "{service}");
    // Only the month's claim ids are sorted; whole claims are fetched in that order.
    assert_eq!(
        service.matches("USE TEMP B-TREE FOR ORDER BY").count(),
        1,
        "{service}"
    );
    assert!(service.contains("SCAN m"), "{service}");
}

#[tokio::test]
async fn debug_output_of_a_stored_claim_hides_the_patient() {
    let tmp = TempStore::new().await;
    let id = tmp
        .store
        .create_claim(&claim("F-1", "TREM80510112", date(3, 3)), at(3, 9))
        .await
        .unwrap();
    let debug = format!("{:?}", tmp.store.claim(id).await.unwrap());
    assert!(
        !debug.contains("TREM") && !debug.contains("Tremblay"),
        "{debug}"
    );
}

#[tokio::test]
async fn receipts_are_the_last_move_to_sent_with_exact_totals() {
    let tmp = TempStore::new().await;
    let s = &tmp.store;
    let resent = s
        .create_claim(&claim("F-1", "TREM80510112", date(3, 3)), at(3, 9))
        .await
        .unwrap();
    send_and_answer(s, resent, 1, false).await;
    s.update_claim(resent, &claim("F-1", "TREM80510112", date(3, 3)), at(3, 13))
        .await
        .unwrap();
    s.mark_claim_ready(resent, at(3, 14)).await.unwrap();
    let direct = NewDirect {
        no_dem_ext: ExternalRequestNumber::new(2).unwrap(),
        claim: resent,
        payload: b"dem_paimt",
    };
    let outbox = s.enqueue_direct(direct, at(3, 14)).await.unwrap();
    s.mark_sending(outbox, at(3, 14)).await.unwrap();
    s.mark_sent(outbox, at(3, 14)).await.unwrap();
    let receivable = s
        .create_claim(&claim("F-2", "TREM80510112", date(3, 4)), at(3, 9))
        .await
        .unwrap();
    send_and_answer(s, receivable, 3, true).await;
    s.create_claim(&claim("F-3", "TREM80510112", date(3, 5)), at(3, 9))
        .await
        .unwrap();

    let mut receipts = s.receipts_since(at(3, 1)).await.unwrap();
    receipts.sort_by_key(|r| r.sent_at);
    let expected = [
        (at(3, 11), ClaimState::Receivable),
        (at(3, 14), ClaimState::Sent),
    ];
    let found: Vec<_> = receipts.iter().map(|r| (r.sent_at, r.state)).collect();
    assert_eq!(
        found, expected,
        "one row a claim, from its last move to sent"
    );
    assert!(receipts.iter().all(|r| r.total == dec!(45.60)));
    let later = s.receipts_since(at(3, 12)).await.unwrap();
    assert_eq!(
        later.len(),
        1,
        "the first send of the resent claim is not counted"
    );
    assert!(s.receipts_since(at(3, 15)).await.unwrap().is_empty());

    let rows: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(&format!("EXPLAIN QUERY PLAN {}", super::receipts::RECEIPTS))
            .bind(at(3, 1))
            .fetch_all(s.pool())
            .await
            .unwrap();
    let plan: Vec<String> = rows.into_iter().map(|r| r.3).collect();
    assert!(
        plan.iter()
            .any(|step| step.contains("claim_events_sent_at")),
        "{plan:?}"
    );
}

#[tokio::test]
async fn any_text_survives_the_json_read() {
    let tmp = TempStore::new().await;
    let mut odd = claim("F-\"1\\", "TREM80510112", date(3, 3));
    odd.patient = Patient::WithNam {
        nam: "TREM80510112".into(),
        surname: "O'Brien-Lévesque \"Jr\" \\ \u{1F600}".into(),
        first_name: "Zoé\n\t\u{0}".into(),
    };
    odd.lines[1].billing_code = "<&>".into();
    let id = tmp.store.create_claim(&odd, at(3, 9)).await.unwrap();
    assert_eq!(tmp.store.claim(id).await.unwrap().claim, odd);
    let listed = tmp
        .store
        .claims_in_state(ClaimState::Draft, 5)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].claim, odd);
}
