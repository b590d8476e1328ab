use super::*;
use crate::claim::{ClaimLine, Patient, RemunerationSystem};
use crate::ids::Clientele;
use rust_decimal_macros::dec;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    date(2026, 3, 10)
}

fn claim(external_id: &str, amount: Decimal) -> Claim {
    Claim {
        external_id: external_id.into(),
        professional: "123456".into(),
        place: "92017".into(),
        patient: Patient::WithNam {
            nam: "TREM04121925".into(),
            surname: "Tremblay".into(),
            first_name: "Mathieu".into(),
        },
        remuneration: RemunerationSystem::Rfp,
        clientele: Clientele::Physicians,
        late_allowed: false,
        lines: vec![ClaimLine {
            billing_code: "00103".into(),
            service_date: date(2026, 3, 9),
            role: "1".into(),
            units: 1,
            amount,
        }],
    }
}

fn software() -> SoftwareIdentity {
    SoftwareIdentity {
        developer: DeveloperNumber::parse("AGP16001").unwrap(),
        name: "Tipi".into(),
        version: "0.1.0".into(),
    }
}

fn build(claims: Vec<Claim>) -> Result<Batch, BatchError> {
    Batch::build(
        TransmissionNumber::parse("12345").unwrap(),
        AttestationNumber::first(),
        software(),
        claims,
        today(),
    )
}

#[test]
fn a_valid_batch_has_count_and_total() {
    let batch = build(vec![claim("A1", dec!(45.50)), claim("A2", dec!(20.25))]).unwrap();
    assert_eq!(batch.count(), 2);
    assert_eq!(batch.total(), dec!(65.75));
    assert_eq!(batch.transmission().as_str(), "12345");
    assert_eq!(batch.attestation().get(), 1);
    assert_eq!(batch.software().name, "Tipi");
    assert!(batch.warnings().is_empty());
    assert!(trailer_matches(batch.claims(), 2, dec!(65.75)));
    assert!(!trailer_matches(batch.claims(), 3, dec!(65.75)));
    assert!(!trailer_matches(batch.claims(), 2, dec!(65.74)));
    assert_eq!(
        batch.to_string(),
        "batch 1 of agency 12345: 2 claim(s), 65.75 $"
    );
}

#[test]
fn an_invalid_claim_refuses_the_batch_and_is_named() {
    let mut bad = claim("B2", dec!(10));
    bad.lines[0].amount = dec!(0);
    let err = build(vec![claim("A1", dec!(10)), bad, claim("C3", dec!(5))]).unwrap_err();
    let BatchError::InvalidClaims(list) = &err else {
        panic!("expected InvalidClaims, got {err:?}");
    };
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].index, 1);
    assert_eq!(list[0].external_id, "B2");
    assert_eq!(list[0].problems[0].code, ProblemCode::AmountNotPositive);
    assert_eq!(list[0].problems[0].field, "lines[0].amount");
    assert_eq!(err.code(), "batch_invalid_claims");
    assert!(err.to_string().contains("B2"));
    assert!(err.message(Lang::Fr).contains("B2"));
    assert!(!format!("{err} {err:?}").contains("TREM"));
}

#[test]
fn duplicate_external_ids_are_refused() {
    let err = build(vec![claim("A1", dec!(10)), claim("A1", dec!(10))]).unwrap_err();
    let BatchError::InvalidClaims(list) = err else {
        panic!("expected InvalidClaims");
    };
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].index, 1);
    assert_eq!(list[0].problems[0].code, ProblemCode::ExternalIdDuplicate);
}

#[test]
fn clientele_must_match_the_developer() {
    let mut dental = claim("D1", dec!(10));
    dental.clientele = Clientele::Dentists;
    let err = build(vec![dental]).unwrap_err();
    let BatchError::InvalidClaims(list) = err else {
        panic!("expected InvalidClaims");
    };
    assert_eq!(list[0].problems[0].code, ProblemCode::ClienteleMismatch);
    assert_eq!(list[0].problems[0].field, "clientele");
}

#[test]
fn warnings_do_not_block() {
    let mut renamed = claim("W1", dec!(10));
    renamed.patient = Patient::WithNam {
        nam: "TREM04121925".into(),
        surname: "Gagnon".into(),
        first_name: "Marie".into(),
    };
    let batch = build(vec![renamed]).unwrap();
    assert_eq!(batch.warnings().len(), 1);
    assert_eq!(
        batch.warnings()[0].problems[0].code,
        ProblemCode::NamNameMismatch
    );
}

#[test]
fn empty_batch_and_missing_software_identity() {
    assert_eq!(build(vec![]).unwrap_err(), BatchError::Empty);
    let err = Batch::build(
        TransmissionNumber::parse("12345").unwrap(),
        AttestationNumber::first(),
        SoftwareIdentity {
            version: " ".into(),
            ..software()
        },
        vec![claim("A1", dec!(1))],
        today(),
    )
    .unwrap_err();
    assert_eq!(err, BatchError::SoftwareIdentity);
}

#[test]
fn a_batch_holds_at_most_max_claims() {
    let claims =
        |n: usize| -> Vec<Claim> { (0..n).map(|i| claim(&format!("F{i}"), dec!(1))).collect() };
    assert_eq!(
        build(claims(MAX_CLAIMS)).unwrap().claims().len(),
        MAX_CLAIMS
    );
    let err = build(claims(MAX_CLAIMS + 1)).unwrap_err();
    assert_eq!(err, BatchError::TooManyClaims(MAX_CLAIMS + 1));
    assert_eq!(err.code(), "batch_too_large");
    assert!(
        err.message(Lang::Fr).contains("5000"),
        "{}",
        err.message(Lang::Fr)
    );
    assert!(
        err.message(Lang::En).contains("5001"),
        "{}",
        err.message(Lang::En)
    );
}
