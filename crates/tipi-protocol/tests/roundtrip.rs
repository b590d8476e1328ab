//! Every XML message reads back to itself, whatever the text in its fields; the codec refuses
//! documents of the wrong kind or namespace; secrets and patients never show in Debug.

mod samples;

use proptest::prelude::*;
use rust_decimal::Decimal;
use tipi_protocol::lot::{LotDemPaimt, LotDemPaimtRecev};
use tipi_protocol::rfp::*;
use tipi_protocol::statement::{EtatCompte, FactPaye};
use tipi_protocol::{Secret, XmlError, XmlMessage};

/// Text as users type it, including XML's special characters. The codec trims leading and
/// trailing white space (documented), so generated values have none.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-z0-9éÉàç'&<>\"/-]([A-Za-z0-9 éÉàç'&<>\"/-]{0,18}[A-Za-z0-9éÉàç'&<>\"/-])?",
    ]
}

fn amount() -> impl Strategy<Value = Decimal> {
    (0i64..10_000_000, 0u32..4).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn line() -> impl Strategy<Value = LigneFact> {
    (1u32..99, text(), text(), text(), 0u32..99, amount()).prop_map(
        |(no_ligne_fact, id_elm_fact, dat_serv_elm_fact, cod_role, qte_unit, mnt_prcu)| LigneFact {
            no_ligne_fact,
            id_elm_fact,
            dat_serv_elm_fact,
            cod_role,
            qte_unit,
            mnt_prcu,
        },
    )
}

fn person() -> impl Strategy<Value = PersObjetFact> {
    prop_oneof![
        (text(), text(), text()).prop_map(|(id_pers, nom_pers, pren_pers)| PersObjetFact {
            pers_patnt_avec_idt: Some(PersAvecIdt {
                id_pers,
                nom_pers,
                pren_pers
            }),
            pers_patnt_sans_idt: None,
        }),
        (text(), text(), text(), text()).prop_map(
            |(nom_pers, pren_pers, dat_nais_pers, cod_sexe_pers)| {
                PersObjetFact {
                    pers_patnt_avec_idt: None,
                    pers_patnt_sans_idt: Some(PersSansIdt {
                        nom_pers,
                        pren_pers,
                        dat_nais_pers,
                        cod_sexe_pers,
                    }),
                }
            }
        ),
    ]
}

fn fact() -> impl Strategy<Value = Fact> {
    (
        (text(), text(), text(), text(), text(), any::<bool>()),
        prop::collection::vec(person(), 0..2),
        prop::collection::vec(line(), 0..4),
    )
        .prop_map(
            |(
                (no_fact_ext, typ_remun, typ_clien, id_prof, lieu_consi, ind_hors_dela),
                pers,
                lines,
            )| Fact {
                no_fact_ext,
                typ_remun,
                typ_clien,
                prof: Prof { id_prof },
                lieu_consi,
                ind_hors_dela,
                liste_pers_objet_fact: pers,
                liste_ligne_fact: lines,
            },
        )
}

fn dem_paimt() -> impl Strategy<Value = DemPaimt> {
    (
        text(),
        text(),
        prop::option::of(text()),
        prop::collection::vec(fact(), 0..3),
    )
        .prop_map(|(no_dem_ext, id_intvn, agency, liste_fact)| DemPaimt {
            no_dem_ext,
            logcl_fact: samples::software(),
            demdr: Intervenant {
                typ_id_intvn: "1".into(),
                id_intvn,
            },
            exped_difrn_demdr: agency.map(|id_intvn| Intervenant {
                typ_id_intvn: "2".into(),
                id_intvn,
            }),
            moda_paimt: ModaPaimt {
                typ_moda_paimt: "2".into(),
                no_cpte_admin: Some("123".into()),
            },
            liste_fact,
        })
}

fn message() -> impl Strategy<Value = MsgExplRecev> {
    (text(), text(), prop::option::of(text())).prop_map(|(cod, txt, elm)| MsgExplRecev {
        cod_msg_expl_recev: cod,
        txt_msg_expl_recev: txt,
        elm_msg_expl_recev: elm,
    })
}

fn recev() -> impl Strategy<Value = DemPaimtRecev> {
    let fact_recev = (
        text(),
        any::<bool>(),
        prop::option::of(text()),
        any::<bool>(),
        prop::collection::vec(message(), 0..3),
        prop::collection::vec((1u32..9, amount(), text()), 0..3),
    )
        .prop_map(
            |(no_fact_ext, ok, token, counted, messages, lines)| FactRecev {
                no_fact_ext,
                sta_recev: if ok {
                    StaRecev::Receivable
                } else {
                    StaRecev::NotReceivable
                },
                no_fact_ramq: token.clone(),
                jeton_comm: token,
                ind_compt_paimt: counted,
                liste_msg_expl_recev: messages,
                liste_ligne_fact_recev: lines
                    .into_iter()
                    .map(|(no_ligne_fact, mnt_prel, formu_expl)| LigneFactRecev {
                        no_ligne_fact,
                        mnt_prel,
                        formu_expl,
                    })
                    .collect(),
            },
        );
    (
        text(),
        prop::collection::vec(message(), 0..2),
        prop::collection::vec(fact_recev, 0..3),
    )
        .prop_map(|(no_dem_ext, messages, facts)| DemPaimtRecev {
            no_dem_ext,
            sta_recev: if facts.iter().all(|f| f.sta_recev == StaRecev::Receivable) {
                StaRecev::Receivable
            } else {
                StaRecev::NotReceivable
            },
            liste_msg_expl_recev: messages,
            liste_fact_recev: facts,
        })
}

fn round_trip<M: XmlMessage + PartialEq + std::fmt::Debug>(
    message: &M,
) -> Result<(), TestCaseError> {
    let text = message
        .to_xml()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let read = M::from_xml(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    prop_assert_eq!(&read, message, "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn dem_paimt_round_trips(dem in dem_paimt()) {
        round_trip(&dem)?;
    }

    #[test]
    fn dem_paimt_recev_round_trips(recev in recev()) {
        round_trip(&recev)?;
    }

    #[test]
    fn lot_round_trips(no_attes in 1u32..1_000_000, dems in prop::collection::vec(dem_paimt(), 0..4)) {
        let lot = LotDemPaimt::new("12345".into(), no_attes, samples::software(), dems);
        prop_assert_eq!(lot.actual_count(), lot.nbr_dem);
        prop_assert_eq!(lot.actual_total(), lot.mnt_total);
        round_trip(&lot)?;
    }

    #[test]
    fn lot_recev_round_trips(no_attes in 1u32..1000, returns in prop::collection::vec(recev(), 0..4), seconds in 0i64..2_000_000_000) {
        let at = chrono::DateTime::from_timestamp(seconds, 0).unwrap();
        let count = u32::try_from(returns.len()).unwrap();
        let receivable = u32::try_from(returns.iter().filter(|r| r.sta_recev == StaRecev::Receivable).count()).unwrap();
        round_trip(&LotDemPaimtRecev {
            no_trans: "54321".into(),
            no_attes,
            dat_recep: at,
            dat_dispo: at + chrono::Duration::hours(10),
            ind_prodc: no_attes % 2 == 0,
            nbr_dem: count,
            nbr_dem_recev: receivable,
            nbr_dem_non_recev: count - receivable,
            dem_paimt_recev: returns,
        })?;
    }

    #[test]
    fn etat_compte_round_trips(amounts in prop::collection::vec(amount(), 0..5), ext in text()) {
        let mut etat = samples::etat_compte();
        etat.liste_fact_paye = amounts.iter().enumerate().map(|(index, mnt_acpt)| FactPaye {
            no_fact_ramq: format!("R{index}"),
            no_fact_ext: ext.clone(),
            no_attes: u32::try_from(index).unwrap(),
            dat_recep: samples::day("2026-01-05"),
            mnt_acpt: *mnt_acpt,
        }).collect();
        etat.mnt_fact_cycle = amounts.iter().sum();
        round_trip::<EtatCompte>(&etat)?;
    }
}

/// A request inside a batch is the request alone, one level deeper and without the namespace.
fn as_in_a_batch(request: &DemPaimt) -> String {
    let alone = request.to_xml().unwrap();
    let body = alone
        .strip_prefix(tipi_protocol::xml::DECLARATION)
        .unwrap()
        .replacen(" xmlns=\"urn:ramq-gouv-qc-ca:RFP\"", "", 1);
    body.lines().map(|line| format!("\n  {line}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The batch writer copies who sends a request when it is the previous request's: the copy
    /// must be what writing it would give, whatever the order of alike and different requests.
    #[test]
    fn a_batch_writes_each_request_as_the_request_alone(
        picks in prop::collection::vec(0usize..3, 1..8),
        others in prop::collection::vec(dem_paimt(), 2),
    ) {
        let choices = [samples::dem_paimt(), others[0].clone(), others[1].clone()];
        let dems: Vec<DemPaimt> = picks.iter().map(|&pick| choices[pick].clone()).collect();
        let text = LotDemPaimt::new("12345".into(), 1, samples::software(), dems.clone())
            .to_xml()
            .unwrap();
        let header = &text[..text.find("\n  <dem_paimt>").unwrap()];
        let expected: String = std::iter::once(header.to_owned())
            .chain(dems.iter().map(as_in_a_batch))
            .chain(std::iter::once("\n</lot_dem_paimt>\n".to_owned()))
            .collect();
        prop_assert_eq!(text, expected);
    }
}

#[test]
fn a_document_of_another_kind_is_refused() {
    let text = samples::dem_paimt().to_xml().unwrap();
    match LotDemPaimt::from_xml(&text) {
        Err(XmlError::WrongRoot { expected, found }) => {
            assert_eq!(expected, "lot_dem_paimt");
            assert_eq!(found, "dem_paimt");
        }
        other => panic!("expected WrongRoot, got {other:?}"),
    }
}

#[test]
fn a_document_outside_the_ramq_namespace_is_refused() {
    let text = samples::dem_paimt()
        .to_xml()
        .unwrap()
        .replace("urn:ramq-gouv-qc-ca:RFP", "urn:other");
    assert!(matches!(
        DemPaimt::from_xml(&text),
        Err(XmlError::WrongNamespace)
    ));
    let bare = samples::dem_paimt()
        .to_xml()
        .unwrap()
        .replace(" xmlns=\"urn:ramq-gouv-qc-ca:RFP\"", "");
    assert!(matches!(
        DemPaimt::from_xml(&bare),
        Err(XmlError::WrongNamespace)
    ));
}

#[test]
fn malformed_documents_are_refused() {
    for text in [
        "",
        "not xml",
        "<dem_paimt xmlns=\"urn:ramq-gouv-qc-ca:RFP\"><no_dem_ext>1</no_dem_ext></dem_paimt>",
    ] {
        assert!(
            matches!(DemPaimt::from_xml(text), Err(XmlError::Malformed(_))),
            "{text:?}"
        );
    }
    let bad_amount = samples::dem_paimt()
        .to_xml()
        .unwrap()
        .replace("45.00", "quarante");
    assert!(matches!(
        DemPaimt::from_xml(&bad_amount),
        Err(XmlError::Malformed(_))
    ));
}

#[test]
fn debug_output_hides_patients_and_secrets() {
    let dem = samples::dem_paimt();
    let shown = format!("{dem:?}");
    assert!(!shown.contains("TREJ85531510"), "{shown}");
    assert!(!shown.contains("Tremblay"), "{shown}");
    let secret = Secret::new("Abcd1234");
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(secret.expose(), "Abcd1234");
}
