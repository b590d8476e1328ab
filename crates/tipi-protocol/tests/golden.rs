//! Golden files pin the exact bytes of every message. Regenerate with `TIPI_BLESS=1` after a
//! deliberate change, and review the diff: the client and the sandbox both depend on it.

mod samples;

use std::path::PathBuf;

use serde::Serialize;
use tipi_protocol::admin::*;
use tipi_protocol::error::{ErrorBody, ErrorCode, TrailerCheck};
use tipi_protocol::service::*;
use tipi_protocol::{Secret, XmlMessage};

use rust_decimal_macros::dec;
use samples::{at, day};

fn golden_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn check(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var_os("TIPI_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden file {name}; run with TIPI_BLESS=1"));
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

fn check_xml<M: XmlMessage + PartialEq + std::fmt::Debug>(name: &str, message: &M) {
    let text = message.to_xml().unwrap();
    check(name, &text);
    // The golden bytes read back to the same message.
    let read = M::from_xml(&std::fs::read_to_string(golden_path(name)).unwrap()).unwrap();
    assert_eq!(&read, message);
}

fn check_json<M: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    name: &str,
    message: &M,
) {
    let text = serde_json::to_string_pretty(message).unwrap() + "\n";
    check(name, &text);
    let read: M =
        serde_json::from_str(&std::fs::read_to_string(golden_path(name)).unwrap()).unwrap();
    assert_eq!(&read, message);
}

#[test]
fn xml_messages_match_their_golden_files() {
    check_xml("dem_paimt.xml", &samples::dem_paimt());
    check_xml("dem_paimt_sans_nam.xml", &samples::dem_paimt_without_nam());
    check_xml("dem_paimt_recev.xml", &samples::receivable());
    check_xml(
        "dem_paimt_recev_non_recevable.xml",
        &samples::not_receivable(),
    );
    check_xml("lot_dem_paimt.xml", &samples::lot());
    check_xml("lot_dem_paimt_recev.xml", &samples::lot_recev());
    check_xml("etat_compte.xml", &samples::etat_compte());
}

#[test]
fn written_requests_and_batches_keep_their_bytes_at_the_edges() {
    check_xml("dem_paimt_edges.xml", &samples::dem_paimt_edges());
    let [empty, edges] = samples::lots_edges();
    check_xml("lot_dem_paimt_empty.xml", &empty);
    check_xml("lot_dem_paimt_edges.xml", &edges);
}

#[test]
fn service_messages_match_their_golden_files() {
    check_json(
        "enrolment.json",
        &Enrolment {
            id: "e-3f1c".into(),
            step: EnrolmentStep::Password,
            tipi_id: Some("AGP12345".into()),
            text: None,
        },
    );
    check_json(
        "warning_answer.json",
        &WarningAnswer {
            choice: WarningChoice::Continue,
        },
    );
    check_json(
        "policy_answer.json",
        &PolicyAnswer {
            choice: PolicyChoice::Accept,
        },
    );
    check_json(
        "blast_authentication.json",
        &BlastAuthentication {
            transmission_number: "12345".into(),
            blast_id: "U123d".into(),
            blast_password: Secret::new("blast123"),
        },
    );
    check_json(
        "password_choice.json",
        &PasswordChoice {
            password: Secret::new("Abcd1234"),
            confirmation: Secret::new("Abcd1234"),
        },
    );
    let password = PasswordInfo {
        set_on: day("2026-03-10"),
        expires_on: day("2026-06-08"),
        days_left: 90,
        temporary: false,
    };
    check_json(
        "session.json",
        &Session {
            tipi_id: "AGP12345".into(),
            transmission_number: "12345".into(),
            status: AgencyStatus::Production,
            production_since: Some(day("2026-03-10")),
            password,
            next_attestation: 2,
            server_time: at("2026-03-11T14:00:00Z"),
        },
    );
    check_json(
        "batch_receipt.json",
        &BatchReceipt {
            exchange_id: "batch-1".into(),
            no_attes: 1,
            received_at: at("2026-03-10T15:04:05Z"),
            state: ExchangeState::Received,
            returns_available_at: at("2026-03-11T12:00:00Z"),
            nbr_dem: 2,
            mnt_total: dec!(120.50),
            counted_for_payment: false,
        },
    );
    check_json(
        "journal.json",
        &Journal {
            tipi_id: "AGP12345".into(),
            status: AgencyStatus::Test,
            production_since: None,
            next_attestation: 2,
            server_time: at("2026-03-11T14:00:00Z"),
            exchanges: vec![
                JournalEntry {
                    id: "batch-1".into(),
                    kind: ExchangeKind::Batch,
                    at: at("2026-03-10T15:04:05Z"),
                    state: ExchangeState::ReturnsAvailable,
                    no_attes: Some(1),
                    no_dem_ext: None,
                    no_cycle: None,
                    nbr_dem: Some(2),
                    nbr_dem_recev: None,
                    counted_for_payment: Some(false),
                },
                JournalEntry {
                    id: "returns-1".into(),
                    kind: ExchangeKind::Returns,
                    at: at("2026-03-11T12:00:00Z"),
                    state: ExchangeState::Available,
                    no_attes: Some(1),
                    no_dem_ext: None,
                    no_cycle: None,
                    nbr_dem: Some(2),
                    nbr_dem_recev: Some(1),
                    counted_for_payment: None,
                },
            ],
        },
    );
    check_json(
        "calendar.json",
        &BillingCalendar {
            years: vec![2026, 2027],
            cycles: vec![CalendarCycle {
                number: 202605,
                start: day("2026-03-09"),
                end: day("2026-03-22"),
                cutoff: day("2026-03-20"),
                payment_date: day("2026-04-02"),
            }],
            // Québec's offsets, as the server writes them (EDT from March 8).
            maintenance: vec![AnnouncedMaintenance {
                start: chrono::DateTime::parse_from_rfc3339("2026-03-10T19:00:00-04:00").unwrap(),
                end: chrono::DateTime::parse_from_rfc3339("2026-03-11T09:00:00-04:00").unwrap(),
            }],
        },
    );
    check_json(
        "statement_list.json",
        &StatementList {
            statements: vec![StatementSummary {
                no_cycle: 202605,
                payment_date: day("2026-04-02"),
                available_at: at("2026-04-02T12:00:00Z"),
                nbr_fact: 1,
                mnt_paye: dec!(87.50),
            }],
        },
    );
}

#[test]
fn error_bodies_match_their_golden_files() {
    let mut window = ErrorBody::new(
        ErrorCode::OutsideServiceWindow,
        "Le service TIP-I est fermé.",
    );
    window.reopens_at = Some(at("2026-03-16T11:00:00Z"));
    check_json("error_outside_service_window.json", &window);
    let mut sequence = ErrorBody::new(
        ErrorCode::AttestationOutOfSequence,
        "Numéro d'attestation inattendu.",
    );
    sequence.expected = Some(4);
    check_json("error_attestation_out_of_sequence.json", &sequence);
    let mut trailer = ErrorBody::new(
        ErrorCode::TrailerMismatch,
        "Le nombre ou le total du lot ne correspond pas.",
    );
    trailer.trailer = Some(TrailerCheck {
        declared_count: 3,
        actual_count: 2,
        declared_total: dec!(120.50),
        actual_total: dec!(120.50),
    });
    check_json("error_trailer_mismatch.json", &trailer);
    let mut rejected = ErrorBody::new(ErrorCode::Rejected, "Mot de passe refusé.");
    rejected.problems = vec!["password_length".into()];
    check_json("error_rejected.json", &rejected);
    let mut early = ErrorBody::new(ErrorCode::NotYetAvailable, "Retour pas encore disponible.");
    early.available_at = Some(at("2026-03-11T12:00:00Z"));
    check_json("error_not_yet_available.json", &early);
}

#[test]
fn admin_messages_match_their_golden_files() {
    check_json(
        "admin_clock_freeze.json",
        &ClockCommand::Freeze {
            at: at("2026-03-10T14:00:00Z"),
        },
    );
    check_json(
        "admin_clock_advance.json",
        &ClockCommand::Advance { seconds: 86_400 },
    );
    check_json(
        "admin_seed_blast.json",
        &SeedAgency::Blast {
            transmission_number: "12345".into(),
            blast_id: "U123d".into(),
            blast_password: Secret::new("blast123"),
        },
    );
    check_json(
        "admin_fault.json",
        &Fault {
            endpoint: FaultEndpoint::Batches,
            mode: FaultMode::Drop,
            delay_ms: None,
            count: Some(1),
        },
    );
    check_json(
        "admin_maintenance.json",
        &MaintenanceWindow {
            start: at("2026-03-10T23:00:00Z"),
            end: at("2026-03-11T13:00:00Z"),
        },
    );
}

#[test]
fn every_error_code_has_the_documented_status() {
    let statuses = [
        (ErrorCode::InvalidCredentials, 401),
        (ErrorCode::PasswordExpired, 403),
        (ErrorCode::PasswordChangeRequired, 403),
        (ErrorCode::AccountSuspended, 403),
        (ErrorCode::OutsideServiceWindow, 503),
        (ErrorCode::AttestationOutOfSequence, 409),
        (ErrorCode::TrailerMismatch, 422),
        (ErrorCode::Rejected, 422),
        (ErrorCode::NotYetAvailable, 425),
    ];
    for (code, status) in statuses {
        assert_eq!(code.status(), status, "{code:?}");
    }
}
