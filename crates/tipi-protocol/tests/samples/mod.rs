//! Sample messages shared by the golden and round-trip tests (one of each kind).
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use tipi_protocol::lot::{LotDemPaimt, LotDemPaimtRecev};
use tipi_protocol::rfp::*;
use tipi_protocol::statement::{EtatCompte, FactPaye};

pub(crate) fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub(crate) fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

pub(crate) fn software() -> LogclFact {
    LogclFact {
        no_devpr_logcl: "AGP16001".into(),
        nom_devpr_logcl: "Tipi".into(),
        nom_logcl_fact: "Tipi".into(),
        no_versi_logcl_fact: "0.1.0".into(),
        no_versi_xml_dem: XML_VERSION.into(),
    }
}

pub(crate) fn dem_paimt() -> DemPaimt {
    DemPaimt {
        no_dem_ext: "1000001".into(),
        logcl_fact: software(),
        demdr: Intervenant {
            typ_id_intvn: "1".into(),
            id_intvn: "123456".into(),
        },
        exped_difrn_demdr: Some(Intervenant {
            typ_id_intvn: "2".into(),
            id_intvn: "AGP12345".into(),
        }),
        moda_paimt: ModaPaimt {
            typ_moda_paimt: "1".into(),
            no_cpte_admin: None,
        },
        liste_fact: vec![Fact {
            no_fact_ext: "F000001".into(),
            typ_remun: "RFP".into(),
            typ_clien: "physicians".into(),
            prof: Prof {
                id_prof: "123456".into(),
            },
            lieu_consi: "99999".into(),
            ind_hors_dela: false,
            liste_pers_objet_fact: vec![PersObjetFact {
                pers_patnt_avec_idt: Some(PersAvecIdt {
                    id_pers: "TREJ85531510".into(),
                    nom_pers: "Tremblay".into(),
                    pren_pers: "Julie".into(),
                }),
                pers_patnt_sans_idt: None,
            }],
            liste_ligne_fact: vec![
                LigneFact {
                    no_ligne_fact: 1,
                    id_elm_fact: "00001".into(),
                    dat_serv_elm_fact: "2026-03-09".into(),
                    cod_role: "1".into(),
                    qte_unit: 1,
                    mnt_prcu: dec!(45.00),
                },
                LigneFact {
                    no_ligne_fact: 2,
                    id_elm_fact: "00020".into(),
                    dat_serv_elm_fact: "2026-03-09".into(),
                    cod_role: "1".into(),
                    qte_unit: 2,
                    mnt_prcu: dec!(30.50),
                },
            ],
        }],
    }
}

pub(crate) fn dem_paimt_without_nam() -> DemPaimt {
    let mut dem = dem_paimt();
    dem.no_dem_ext = "1000002".into();
    dem.exped_difrn_demdr = None;
    let fact = &mut dem.liste_fact[0];
    fact.no_fact_ext = "F000002".into();
    fact.ind_hors_dela = true;
    fact.liste_pers_objet_fact = vec![PersObjetFact {
        pers_patnt_avec_idt: None,
        pers_patnt_sans_idt: Some(PersSansIdt {
            nom_pers: "Roy".into(),
            pren_pers: "Alice".into(),
            dat_nais_pers: "2026-02-01".into(),
            cod_sexe_pers: "F".into(),
        }),
    }];
    fact.liste_ligne_fact.truncate(1);
    dem
}

pub(crate) fn receivable() -> DemPaimtRecev {
    DemPaimtRecev {
        no_dem_ext: "1000001".into(),
        sta_recev: StaRecev::Receivable,
        liste_msg_expl_recev: vec![],
        liste_fact_recev: vec![FactRecev {
            no_fact_ext: "F000001".into(),
            sta_recev: StaRecev::Receivable,
            no_fact_ramq: Some("2026058000001".into()),
            jeton_comm: Some("J7Q2X9K4".into()),
            ind_compt_paimt: true,
            liste_msg_expl_recev: vec![],
            liste_ligne_fact_recev: vec![
                LigneFactRecev {
                    no_ligne_fact: 1,
                    mnt_prel: dec!(45.00),
                    formu_expl: "1 x 45.00".into(),
                },
                LigneFactRecev {
                    no_ligne_fact: 2,
                    mnt_prel: dec!(30.50),
                    formu_expl: "2 x 15.25".into(),
                },
            ],
        }],
    }
}

pub(crate) fn not_receivable() -> DemPaimtRecev {
    DemPaimtRecev {
        no_dem_ext: "1000002".into(),
        sta_recev: StaRecev::NotReceivable,
        liste_msg_expl_recev: vec![],
        liste_fact_recev: vec![FactRecev {
            no_fact_ext: "F000002".into(),
            sta_recev: StaRecev::NotReceivable,
            no_fact_ramq: None,
            jeton_comm: None,
            ind_compt_paimt: false,
            liste_msg_expl_recev: vec![MsgExplRecev {
                cod_msg_expl_recev: "105".into(),
                txt_msg_expl_recev: "Le chiffre de contrôle du NAM est invalide.".into(),
                elm_msg_expl_recev: Some(
                    "liste_pers_objet_fact[0].pers_patnt_avec_idt.id_pers".into(),
                ),
            }],
            liste_ligne_fact_recev: vec![],
        }],
    }
}

pub(crate) fn lot() -> LotDemPaimt {
    LotDemPaimt::new(
        "12345".into(),
        1,
        software(),
        vec![dem_paimt(), dem_paimt_without_nam()],
    )
}

pub(crate) fn lot_recev() -> LotDemPaimtRecev {
    LotDemPaimtRecev {
        no_trans: "12345".into(),
        no_attes: 1,
        dat_recep: at("2026-03-10T15:04:05Z"),
        dat_dispo: at("2026-03-11T12:00:00Z"),
        ind_prodc: true,
        nbr_dem: 2,
        nbr_dem_recev: 1,
        nbr_dem_non_recev: 1,
        dem_paimt_recev: vec![receivable(), not_receivable()],
    }
}

pub(crate) fn etat_compte() -> EtatCompte {
    EtatCompte {
        no_trans: "12345".into(),
        no_cycle: 202605,
        dat_deb_cycle: day("2026-03-09"),
        dat_fin_cycle: day("2026-03-22"),
        dat_limi_recep: day("2026-03-20"),
        dat_paimt: day("2026-04-02"),
        mnt_report_anter: dec!(12.00),
        mnt_fact_cycle: dec!(75.50),
        mnt_paye: dec!(87.50),
        mnt_report_suiv: dec!(0.00),
        liste_fact_paye: vec![FactPaye {
            no_fact_ramq: "2026058000001".into(),
            no_fact_ext: "F000001".into(),
            no_attes: 1,
            dat_recep: day("2026-03-10"),
            mnt_acpt: dec!(75.50),
        }],
    }
}

/// A request with what the common samples lack: XML's special characters, accents, empty
/// texts and lists, a person with neither identity, an administrative account, amounts of
/// every shape. Pins the writer's bytes where a typical claim never goes.
pub(crate) fn dem_paimt_edges() -> DemPaimt {
    let line = |no_ligne_fact, mnt_prcu| LigneFact {
        no_ligne_fact,
        id_elm_fact: "0&<>'\"9".into(),
        dat_serv_elm_fact: String::new(),
        cod_role: "é".into(),
        qte_unit: u32::MAX,
        mnt_prcu,
    };
    DemPaimt {
        no_dem_ext: "999999999999999".into(),
        logcl_fact: LogclFact {
            no_devpr_logcl: String::new(),
            nom_devpr_logcl: "Dév & Cie <ltée>".into(),
            nom_logcl_fact: "\"Tipi\" l'app".into(),
            no_versi_logcl_fact: "a&&b>>c<<d".into(),
            no_versi_xml_dem: XML_VERSION.into(),
        },
        demdr: Intervenant {
            typ_id_intvn: "1".into(),
            id_intvn: String::new(),
        },
        exped_difrn_demdr: None,
        moda_paimt: ModaPaimt {
            typ_moda_paimt: "2".into(),
            no_cpte_admin: Some("12 34".into()),
        },
        liste_fact: vec![
            Fact {
                no_fact_ext: String::new(),
                typ_remun: "RPV".into(),
                typ_clien: "dentists".into(),
                prof: Prof {
                    id_prof: String::new(),
                },
                lieu_consi: "&".into(),
                ind_hors_dela: false,
                liste_pers_objet_fact: vec![PersObjetFact::default()],
                liste_ligne_fact: Vec::new(),
            },
            Fact {
                no_fact_ext: "F-2".into(),
                typ_remun: "RMX".into(),
                typ_clien: "optometrists".into(),
                prof: Prof {
                    id_prof: "654321".into(),
                },
                lieu_consi: "12345".into(),
                ind_hors_dela: true,
                liste_pers_objet_fact: vec![PersObjetFact {
                    pers_patnt_avec_idt: None,
                    pers_patnt_sans_idt: Some(PersSansIdt {
                        nom_pers: "D'Amours-Côté".into(),
                        pren_pers: String::new(),
                        dat_nais_pers: "1999-12-31".into(),
                        cod_sexe_pers: "M".into(),
                    }),
                }],
                liste_ligne_fact: vec![
                    line(1, Decimal::ZERO),
                    line(2, dec!(0.00)),
                    line(3, dec!(0.05)),
                    line(4, dec!(-1.50)),
                    line(5, dec!(12345678901234567890.123)),
                    line(6, Decimal::MAX),
                    line(7, Decimal::MIN),
                    line(8, Decimal::new(1, 28)),
                    line(9, dec!(100)),
                ],
            },
        ],
    }
}

/// A batch of no request, then one of the edge request and a typical one.
pub(crate) fn lots_edges() -> [LotDemPaimt; 2] {
    [
        LotDemPaimt::new("00000".into(), 0, software(), Vec::new()),
        // A trailer the requests do not match: the writer writes what it is given.
        LotDemPaimt {
            no_trans: "&<>".into(),
            no_attes: u32::MAX,
            logcl_fact: dem_paimt_edges().logcl_fact,
            nbr_dem: 7,
            mnt_total: dec!(-0.01),
            dem_paimt: vec![dem_paimt_edges(), dem_paimt()],
        },
    ]
}
