use super::*;

#[test]
fn transmission_number_is_five_digits() {
    let t = TransmissionNumber::parse(" 12345 ").unwrap();
    assert_eq!(t.as_str(), "12345");
    assert_eq!(t.to_string(), "12345");
    assert_eq!(
        TransmissionNumber::parse("01234").unwrap().as_str(),
        "01234"
    );
    for bad in [
        "",
        "1234",
        "123456",
        "1234a",
        "12 45",
        "１２３４５",
        "-1234",
    ] {
        assert_eq!(
            TransmissionNumber::parse(bad),
            Err(IdError::TransmissionNumber),
            "{bad:?}"
        );
    }
}

#[test]
fn blast_id_is_five_alphanumerics_case_kept() {
    assert_eq!(BlastId::parse("U123d").unwrap().as_str(), "U123d");
    for bad in ["U123", "U123dd", "U12-d", "U12 d", "U12éd"] {
        assert_eq!(BlastId::parse(bad), Err(IdError::BlastId), "{bad:?}");
    }
}

#[test]
fn tipi_id_is_derived_from_the_transmission_number() {
    let t = TransmissionNumber::parse("12345").unwrap();
    let id = TipiId::from_transmission(&t);
    assert_eq!(id.as_str(), "AGP12345");
    assert_eq!(id.transmission_number(), t);
    assert_eq!(TipiId::parse("agp12345").unwrap(), id);
    for bad in [
        "AGP1234",
        "AGP123456",
        "AGQ12345",
        "12345",
        "AGP1234x",
        "AG",
        "ÀGP12345",
    ] {
        assert_eq!(TipiId::parse(bad), Err(IdError::TipiId), "{bad:?}");
    }
}

#[test]
fn developer_number_implies_the_clientele() {
    let cases = [
        ("AGP16001", Clientele::Physicians),
        ("AGP17999", Clientele::Optometrists),
        ("agp18123", Clientele::Dentists),
    ];
    for (text, clientele) in cases {
        let d = DeveloperNumber::parse(text).unwrap();
        assert_eq!(d.clientele(), clientele, "{text}");
        assert_eq!(d.as_str(), text.to_uppercase());
        assert_eq!(&d.as_str()[3..5], clientele.developer_series());
    }
    for bad in ["AGP15001", "AGP19001", "AGP1600", "AGP160012", "XYZ16001"] {
        assert_eq!(
            DeveloperNumber::parse(bad),
            Err(IdError::DeveloperNumber),
            "{bad}"
        );
    }
}

#[test]
fn professional_number_is_six_digits() {
    assert_eq!(
        ProfessionalNumber::parse("123456").unwrap().as_str(),
        "123456"
    );
    for bad in ["12345", "1234567", "12345a"] {
        assert_eq!(
            ProfessionalNumber::parse(bad),
            Err(IdError::ProfessionalNumber)
        );
    }
}

#[test]
fn attestation_numbers_increase_strictly() {
    let first = AttestationNumber::first();
    assert_eq!(first.get(), 1);
    let second = first.next().unwrap();
    assert_eq!(second.get(), 2);
    assert!(second > first);
    assert_eq!(AttestationNumber::new(0), Err(IdError::AttestationNumber));
    assert_eq!(AttestationNumber::new(u32::MAX).unwrap().next(), None);
    assert_eq!(AttestationNumber::parse(" 42 ").unwrap().get(), 42);
    for bad in ["", "0", "-1", "4x", "99999999999"] {
        assert_eq!(
            AttestationNumber::parse(bad),
            Err(IdError::AttestationNumber),
            "{bad}"
        );
    }
    assert_eq!(AttestationNumber::expected_after(None), Some(first));
    assert_eq!(AttestationNumber::expected_after(Some(first)), Some(second));
    assert!(first.may_follow(None));
    assert!(second.may_follow(Some(first)));
    assert!(!first.may_follow(Some(first)), "reuse is refused");
    assert!(!first.may_follow(Some(second)), "going back is refused");
    let tenth = AttestationNumber::new(10).unwrap();
    assert!(tenth.may_follow(Some(second)), "gaps are allowed");
}

#[test]
fn external_request_number_bounds() {
    assert_eq!(ExternalRequestNumber::parse("1").unwrap().get(), 1);
    assert_eq!(
        ExternalRequestNumber::parse("999999999999999")
            .unwrap()
            .get(),
        ExternalRequestNumber::MAX
    );
    for bad in ["", "0", "000", "1000000000000000", "12a", "-5"] {
        assert_eq!(
            ExternalRequestNumber::parse(bad),
            Err(IdError::ExternalRequestNumber),
            "{bad}"
        );
    }
    assert!(ExternalRequestNumber::new(ExternalRequestNumber::MAX + 1).is_err());
}

#[test]
fn serde_validates_on_the_way_in() {
    let t: TransmissionNumber = serde_json::from_str("\"12345\"").unwrap();
    assert_eq!(serde_json::to_string(&t).unwrap(), "\"12345\"");
    assert!(serde_json::from_str::<TransmissionNumber>("\"1234\"").is_err());
    assert!(serde_json::from_str::<TipiId>("\"AGP1\"").is_err());
    assert!(serde_json::from_str::<DeveloperNumber>("\"AGP19000\"").is_err());
    assert!(serde_json::from_str::<BlastId>("\"U1\"").is_err());
    assert!(serde_json::from_str::<ProfessionalNumber>("\"1\"").is_err());
    let a: AttestationNumber = serde_json::from_str("7").unwrap();
    assert_eq!(serde_json::to_string(&a).unwrap(), "7");
    assert!(serde_json::from_str::<AttestationNumber>("0").is_err());
    let e: ExternalRequestNumber = serde_json::from_str("1712345678901").unwrap();
    assert_eq!(serde_json::to_string(&e).unwrap(), "1712345678901");
    assert!(serde_json::from_str::<ExternalRequestNumber>("0").is_err());
}

#[test]
fn errors_have_codes_and_bilingual_messages() {
    let all = [
        IdError::TransmissionNumber,
        IdError::BlastId,
        IdError::TipiId,
        IdError::DeveloperNumber,
        IdError::ProfessionalNumber,
        IdError::AttestationNumber,
        IdError::ExternalRequestNumber,
    ];
    let mut codes: Vec<_> = all.iter().map(|e| e.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len(), "codes are distinct");
    for e in all {
        assert_ne!(e.message(Lang::Fr), e.message(Lang::En));
    }
}
