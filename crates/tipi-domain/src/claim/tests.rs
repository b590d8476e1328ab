use super::*;
use rust_decimal_macros::dec;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 3, 10);

fn today() -> NaiveDate {
    date(TODAY.0, TODAY.1, TODAY.2)
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

pub(crate) fn valid_claim() -> Claim {
    Claim {
        external_id: "F-0001".into(),
        professional: "123456".into(),
        place: "92017".into(),
        patient: Patient::WithNam {
            nam: "TREM 0412 1925".into(),
            surname: "Tremblay".into(),
            first_name: "Mathieu".into(),
        },
        remuneration: RemunerationSystem::Rfp,
        clientele: Clientele::Physicians,
        late_allowed: false,
        lines: vec![
            line(date(2026, 3, 9), dec!(45.50)),
            line(date(2026, 3, 2), dec!(20)),
        ],
    }
}

fn codes(problems: &[Problem]) -> Vec<(&'static str, &str)> {
    problems
        .iter()
        .map(|p| (p.code.as_str(), p.field.as_str()))
        .collect()
}

#[test]
fn a_valid_claim_has_no_problem_and_a_total() {
    let claim = valid_claim();
    assert_eq!(validate(&claim, today()), vec![]);
    assert_eq!(claim.total(), dec!(65.50));
}

#[test]
fn every_problem_is_reported_at_once() {
    let claim = Claim {
        external_id: "  ".into(),
        professional: "12345".into(),
        place: "ABCDE".into(),
        patient: Patient::WithNam {
            nam: "TREM04121935".into(),
            surname: String::new(),
            first_name: String::new(),
        },
        lines: vec![
            ClaimLine {
                billing_code: "".into(),
                service_date: date(2026, 3, 11),
                role: "x".into(),
                units: 0,
                amount: dec!(0),
            },
            ClaimLine {
                billing_code: "00103".into(),
                service_date: date(2025, 12, 9),
                role: "1".into(),
                units: 1,
                amount: dec!(-5),
            },
            line(date(2026, 3, 1), dec!(10.005)),
        ],
        ..valid_claim()
    };
    assert_eq!(
        codes(&validate(&claim, today())),
        vec![
            ("external_id_missing", "external_id"),
            ("professional_invalid", "professional"),
            ("place_invalid", "place"),
            ("nam_check_digit", "patient.nam"),
            ("billing_code_invalid", "lines[0].billing_code"),
            ("service_date_future", "lines[0].service_date"),
            ("role_invalid", "lines[0].role"),
            ("units_not_positive", "lines[0].units"),
            ("amount_not_positive", "lines[0].amount"),
            ("late_service", "lines[1].service_date"),
            ("amount_not_positive", "lines[1].amount"),
            ("amount_precision", "lines[2].amount"),
        ]
    );
}

#[test]
fn no_lines() {
    let claim = Claim {
        lines: vec![],
        ..valid_claim()
    };
    assert_eq!(
        codes(&validate(&claim, today())),
        vec![("no_lines", "lines")]
    );
}

#[test]
fn ninety_day_limit_is_inclusive_and_hors_delai_lifts_it() {
    // 2026-03-10 - 90 days = 2025-12-10: still on time; 2025-12-09 is late.
    let on_time = Claim {
        lines: vec![line(date(2025, 12, 10), dec!(10))],
        ..valid_claim()
    };
    assert_eq!(validate(&on_time, today()), vec![]);
    let late = Claim {
        lines: vec![line(date(2025, 12, 9), dec!(10))],
        ..valid_claim()
    };
    assert_eq!(
        codes(&validate(&late, today())),
        vec![("late_service", "lines[0].service_date")]
    );
    let declared = Claim {
        late_allowed: true,
        ..late
    };
    assert_eq!(validate(&declared, today()), vec![]);
}

#[test]
fn service_date_today_is_fine_tomorrow_is_not() {
    let claim = Claim {
        lines: vec![line(today(), dec!(1)), line(date(2026, 3, 11), dec!(1))],
        ..valid_claim()
    };
    assert_eq!(
        codes(&validate(&claim, today())),
        vec![("service_date_future", "lines[1].service_date")]
    );
}

#[test]
fn nam_errors_map_to_problem_codes() {
    let cases = [
        ("TREM0412192", "nam_length"),
        ("TR3M04121925", "nam_letters"),
        ("TREM04131925", "nam_date"),
        ("TREM041219O5", "nam_administrative_character"),
        ("TREM04121935", "nam_check_digit"),
    ];
    for (nam, code) in cases {
        let claim = Claim {
            patient: Patient::WithNam {
                nam: nam.into(),
                surname: String::new(),
                first_name: String::new(),
            },
            ..valid_claim()
        };
        assert_eq!(
            codes(&validate(&claim, today())),
            vec![(code, "patient.nam")],
            "{nam}"
        );
        assert_eq!(Nam::parse(nam).unwrap_err().code(), code);
    }
}

#[test]
fn nam_name_mismatch_is_a_warning() {
    let claim = Claim {
        patient: Patient::WithNam {
            nam: "TREM04121925".into(),
            surname: "Gagnon".into(),
            first_name: "Marie".into(),
        },
        ..valid_claim()
    };
    let problems = validate(&claim, today());
    assert_eq!(codes(&problems), vec![("nam_name_mismatch", "patient.nam")]);
    assert_eq!(problems[0].severity(), Severity::Warning);
    assert!(!has_errors(&problems));
}

#[test]
fn service_before_birth_uses_the_nam_birth_date() {
    // TREM04121925: born 2004-12-19.
    let claim = Claim {
        late_allowed: true,
        lines: vec![
            line(date(2004, 12, 18), dec!(10)),
            line(date(2004, 12, 19), dec!(10)),
        ],
        ..valid_claim()
    };
    assert_eq!(
        codes(&validate(&claim, today())),
        vec![("service_before_birth", "lines[0].service_date")]
    );
}

#[test]
fn patient_without_nam() {
    let claim = Claim {
        patient: Patient::WithoutNam {
            surname: " ".into(),
            first_name: "".into(),
            birth_date: date(2026, 3, 11),
            sex: Sex::Female,
        },
        ..valid_claim()
    };
    assert_eq!(
        codes(&validate(&claim, today())),
        vec![
            ("surname_missing", "patient.surname"),
            ("first_name_missing", "patient.first_name"),
            ("birth_date_future", "patient.birth_date"),
            ("service_before_birth", "lines[0].service_date"),
            ("service_before_birth", "lines[1].service_date"),
        ]
    );
    let newborn = Claim {
        patient: Patient::WithoutNam {
            surname: "Roy".into(),
            first_name: "Bébé".into(),
            birth_date: date(2026, 3, 1),
            sex: Sex::Male,
        },
        ..valid_claim()
    };
    assert_eq!(validate(&newborn, today()), vec![]);
}

#[test]
fn field_formats() {
    let ok = valid_claim();
    let bad_external = Claim {
        external_id: "F 0001".into(),
        ..ok.clone()
    };
    assert_eq!(
        codes(&validate(&bad_external, today())),
        vec![("external_id_invalid", "external_id")]
    );
    let long_external = Claim {
        external_id: "A".repeat(37),
        ..ok.clone()
    };
    assert_eq!(
        codes(&validate(&long_external, today())),
        vec![("external_id_invalid", "external_id")]
    );
    let uuid = Claim {
        external_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
        ..ok.clone()
    };
    assert_eq!(validate(&uuid, today()), vec![]);
    let mut long_code = ok.clone();
    long_code.lines[0].billing_code = "12345678901".into();
    long_code.lines[1].role = "123".into();
    assert_eq!(
        codes(&validate(&long_code, today())),
        vec![
            ("billing_code_invalid", "lines[0].billing_code"),
            ("role_invalid", "lines[1].role"),
        ]
    );
    // Trailing zeros are not extra precision.
    let mut zeros = ok;
    zeros.lines[0].amount = dec!(12.500);
    assert_eq!(validate(&zeros, today()), vec![]);
}

#[test]
fn problem_codes_are_stable_unique_and_bilingual() {
    let mut seen = std::collections::HashSet::new();
    for code in ProblemCode::ALL {
        assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
        assert_eq!(ProblemCode::from_code(code.as_str()), Some(*code));
        let json = serde_json::to_string(code).unwrap();
        assert_eq!(
            json,
            format!("\"{}\"", code.as_str()),
            "serde matches as_str"
        );
        assert_ne!(code.message(Lang::Fr), code.message(Lang::En));
        assert!(!code.message(Lang::Fr).is_empty());
    }
    assert_eq!(ProblemCode::from_code("nope"), None);
    for e in [
        NamError::Length,
        NamError::Letters,
        NamError::Date,
        NamError::AdministrativeCharacter,
        NamError::CheckDigit,
    ] {
        assert_eq!(ProblemCode::from(e).as_str(), e.code());
        assert_eq!(ProblemCode::from(e).message(Lang::En), e.message(Lang::En));
    }
}

#[test]
fn messages_name_the_line_and_leak_nothing() {
    let p = Problem::new(ProblemCode::AmountNotPositive, "lines[2].amount");
    assert_eq!(
        p.message(Lang::Fr),
        "Ligne 3 : Le montant doit être supérieur à zéro."
    );
    assert_eq!(
        p.message(Lang::En),
        "Line 3: The amount must be greater than zero."
    );
    let claim = Claim {
        patient: Patient::WithNam {
            nam: "TREM04121935".into(),
            surname: "Tremblay".into(),
            first_name: "Mathieu".into(),
        },
        ..valid_claim()
    };
    let problems = validate(&claim, today());
    assert!(!problems.is_empty());
    for p in &problems {
        for lang in [Lang::Fr, Lang::En] {
            let text = format!("{} {:?}", p.message(lang), p);
            assert!(!text.contains("TREM"), "{text}");
            assert!(!text.contains("Tremblay"), "{text}");
        }
    }
    let debug = format!("{claim:?}");
    assert!(!debug.contains("TREM") && !debug.contains("Tremblay") && !debug.contains("Mathieu"));
}

#[test]
fn remuneration_systems() {
    assert!(RemunerationSystem::Rfp.allows_direct());
    for s in [
        RemunerationSystem::Rpv,
        RemunerationSystem::Rps,
        RemunerationSystem::Rmx,
    ] {
        assert!(!s.allows_direct());
    }
    assert_eq!(
        serde_json::to_string(&RemunerationSystem::Rmx).unwrap(),
        "\"RMX\""
    );
    assert_eq!(RemunerationSystem::Rpv.code(), "RPV");
}

#[test]
fn claim_serde_round_trip() {
    let claim = valid_claim();
    let json = serde_json::to_string(&claim).unwrap();
    assert!(json.contains("\"kind\":\"with_nam\""), "{json}");
    assert!(json.contains("\"45.50\""), "amounts as strings: {json}");
    assert_eq!(serde_json::from_str::<Claim>(&json).unwrap(), claim);
}

#[test]
fn duplicates_are_found_after_trimming() {
    let a = valid_claim();
    let b = Claim {
        external_id: " F-0001 ".into(),
        ..valid_claim()
    };
    let c = Claim {
        external_id: "F-0002".into(),
        ..valid_claim()
    };
    assert_eq!(duplicate_external_ids(&[a.clone(), c, b, a]), vec![2, 3]);
}
