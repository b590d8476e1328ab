//! From tipi-domain claims to RAMQ's XML vocabulary (tipi-protocol) and back: the bytes the
//! outbox stores and sends, and the receivability answers turned into store records.

use std::borrow::Cow;

use tipi_domain::batch::{Batch, SoftwareIdentity};
use tipi_domain::claim::{Claim, Patient};
use tipi_domain::ids::{AttestationNumber, Clientele, ExternalRequestNumber, TipiId};
use tipi_protocol::lot::{LotHeader, LotWriter};
use tipi_protocol::rfp::{
    DemPaimtRecev, DemPaimtRef, FactRecev, FactRef, IntervenantRef, LigneFactRef, LogclFactRef,
    ModaPaimtRef, MsgExplRecev, PersAvecIdtRef, PersObjetFactRef, PersSansIdtRef, StaRecev,
    XML_VERSION,
};
use tipi_protocol::xml::Text;
use tipi_store::claims::ClaimId;
use tipi_store::outbox::OutboxId;
use tipi_store::receivability::{LineResult, Receivability, ReceivabilityMessage};

// A batch request's no_dem_ext is derived from the attestation number and its position (see
// [`batch_request_number`]): five digits of position are enough for the largest batch.
const _: () = assert!(tipi_domain::batch::MAX_CLAIMS < 100_000);

/// The message code RAMQ gives an invoice judged receivable while the agency was in its test
/// period: never paid, to be sent again after going live with a new attestation number.
pub const TEST_PERIOD_MESSAGE: &str = tipi_protocol::messages::AGENCY_TEST_PERIOD.code;

/// The no_dem_ext of the request at `position` (from 0) in batch `attestation`: unique for
/// the agency because attestation numbers are never reused, and below the direct range.
pub(crate) fn batch_request_number(
    attestation: AttestationNumber,
    position: usize,
) -> ExternalRequestNumber {
    let value = u64::from(attestation.get()) * 100_000 + position as u64 + 1;
    // u32::MAX * 100_000 + 99_999 < 10^15 and the value is never 0: always valid.
    ExternalRequestNumber::new(value).expect("a batch request number is always valid")
}

/// Where direct requests' numbers start: above every batch-derived number.
pub(crate) const FIRST_DIRECT_NUMBER: u64 = 900_000_000_000_001;

fn logcl_fact(software: &SoftwareIdentity) -> LogclFactRef<'_> {
    LogclFactRef {
        no_devpr_logcl: software.developer.as_str(),
        nom_devpr_logcl: &software.name,
        nom_logcl_fact: &software.name,
        no_versi_logcl_fact: &software.version,
        no_versi_xml_dem: XML_VERSION,
    }
}

fn clientele_code(clientele: Clientele) -> &'static str {
    match clientele {
        Clientele::Physicians => "physicians",
        Clientele::Optometrists => "optometrists",
        Clientele::Dentists => "dentists",
    }
}

/// `str::trim`, without its character-by-character Unicode scan when the text starts and ends
/// with printable ASCII, as almost every stored field does (a batch trims five per claim).
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// The NAM as sent: without white space, upper case. Borrowed when typed that way already
/// (printable ASCII, no lower case), as almost every stored claim is.
fn wire_nam(typed: &str) -> Cow<'_, str> {
    if typed
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b.is_ascii_lowercase())
    {
        Cow::Borrowed(typed)
    } else {
        Cow::Owned(typed.split_whitespace().collect::<String>().to_uppercase())
    }
}

/// Hands `write` one claim as a `dem_paimt` holding one invoice, sent by the agency for the
/// professional. The view borrows the claim's fields; `lines` is a buffer the caller reuses
/// from one claim to the next, so a batch is written without an allocation per claim.
fn with_dem_paimt<'c, R>(
    claim: &'c Claim,
    no_dem_ext: ExternalRequestNumber,
    logcl_fact: LogclFactRef<'c>,
    agency: &'c TipiId,
    lines: &mut Vec<LigneFactRef<'c>>,
    write: impl FnOnce(&DemPaimtRef<'_>) -> R,
) -> R {
    let nam;
    let mut sex_code = [0u8; 4];
    let person = match &claim.patient {
        Patient::WithNam {
            nam: typed,
            surname,
            first_name,
        } => {
            nam = wire_nam(typed);
            PersObjetFactRef {
                pers_patnt_avec_idt: Some(PersAvecIdtRef {
                    id_pers: &nam,
                    nom_pers: trim(surname),
                    pren_pers: trim(first_name),
                }),
                pers_patnt_sans_idt: None,
            }
        }
        Patient::WithoutNam {
            surname,
            first_name,
            birth_date,
            sex,
        } => PersObjetFactRef {
            pers_patnt_avec_idt: None,
            pers_patnt_sans_idt: Some(PersSansIdtRef {
                nom_pers: trim(surname),
                pren_pers: trim(first_name),
                dat_nais_pers: Text::Date(*birth_date),
                cod_sexe_pers: sex.code().encode_utf8(&mut sex_code),
            }),
        },
    };
    lines.clear();
    lines.extend(
        claim
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| LigneFactRef {
                no_ligne_fact: u32::try_from(i + 1).unwrap_or(u32::MAX),
                id_elm_fact: trim(&line.billing_code),
                dat_serv_elm_fact: Text::Date(line.service_date),
                cod_role: trim(&line.role),
                qte_unit: line.units,
                mnt_prcu: line.amount,
            }),
    );
    let professional = trim(&claim.professional);
    let fact = FactRef {
        no_fact_ext: trim(&claim.external_id),
        typ_remun: claim.remuneration.code(),
        typ_clien: clientele_code(claim.clientele),
        id_prof: professional,
        lieu_consi: trim(&claim.place),
        ind_hors_dela: claim.late_allowed,
        liste_pers_objet_fact: std::slice::from_ref(&person),
        liste_ligne_fact: lines,
    };
    write(&DemPaimtRef {
        no_dem_ext: Text::Number(no_dem_ext.get()),
        logcl_fact,
        demdr: IntervenantRef {
            typ_id_intvn: "1",
            id_intvn: professional,
        },
        exped_difrn_demdr: Some(IntervenantRef {
            typ_id_intvn: "2",
            id_intvn: agency.as_str(),
        }),
        moda_paimt: ModaPaimtRef {
            typ_moda_paimt: "1",
            no_cpte_admin: None,
        },
        liste_fact: std::slice::from_ref(&fact),
    })
}

/// A built batch as the exact XML bytes the outbox keeps and sends, written in one pass.
pub(crate) fn lot_bytes(batch: &Batch, agency: &TipiId) -> Vec<u8> {
    let claims = batch.claims();
    let software = logcl_fact(batch.software());
    let header = LotHeader {
        no_trans: batch.transmission().as_str(),
        no_attes: batch.attestation().get(),
        logcl_fact: software,
        nbr_dem: u32::try_from(claims.len()).unwrap_or(u32::MAX),
        mnt_total: batch.total(),
    };
    let mut out = Vec::new();
    let mut lot = LotWriter::start(&mut out, &header);
    let mut lines = Vec::new();
    for (i, claim) in claims.iter().enumerate() {
        let number = batch_request_number(batch.attestation(), i);
        with_dem_paimt(claim, number, software, agency, &mut lines, |request| {
            lot.dem_paimt(request)
        });
        if i == 0 {
            lot.reserve_like_written(claims.len() - 1);
        }
    }
    lot.finish();
    out
}

/// One direct request as XML bytes. Writing cannot fail; the `Result` is the shape the direct
/// path's error handling expects.
pub(crate) fn direct_bytes(
    claim: &Claim,
    no_dem_ext: ExternalRequestNumber,
    software: &SoftwareIdentity,
    agency: &TipiId,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let software = logcl_fact(software);
    with_dem_paimt(
        claim,
        no_dem_ext,
        software,
        agency,
        &mut Vec::new(),
        |request| request.write_document(&mut out),
    );
    Ok(out)
}

/// The line a message is about, from its element path (`liste_ligne_fact[2]...` -> 2).
fn message_line(element: Option<&str>) -> Option<u32> {
    let rest = element?.split("liste_ligne_fact[").nth(1)?;
    rest.split(']').next()?.parse().ok()
}

fn message(m: &MsgExplRecev) -> ReceivabilityMessage {
    ReceivabilityMessage {
        line_no: message_line(m.elm_msg_expl_recev.as_deref()),
        code: m.cod_msg_expl_recev.clone(),
        text: m.txt_msg_expl_recev.clone(),
    }
}

/// RAMQ's answer for one invoice as a store record. An invoice receivable during the test
/// period is recorded as not receivable (it will never be paid) with RAMQ's test-period
/// message, so the claim is Refused, stays editable and can be sent again after going live.
pub(crate) fn receivability(
    claim: ClaimId,
    outbox: OutboxId,
    received_at: chrono::DateTime<chrono::Utc>,
    request: &DemPaimtRecev,
    fact: &FactRecev,
) -> Receivability {
    let mut messages: Vec<ReceivabilityMessage> =
        request.liste_msg_expl_recev.iter().map(message).collect();
    messages.extend(fact.liste_msg_expl_recev.iter().map(message));
    let judged_receivable = fact.sta_recev == StaRecev::Receivable;
    if judged_receivable
        && !fact.ind_compt_paimt
        && !messages.iter().any(|m| m.code == TEST_PERIOD_MESSAGE)
    {
        messages.push(ReceivabilityMessage {
            line_no: None,
            code: TEST_PERIOD_MESSAGE.to_owned(),
            text: tipi_protocol::messages::AGENCY_TEST_PERIOD
                .text_fr
                .to_owned(),
        });
    }
    Receivability {
        claim,
        outbox: Some(outbox),
        received_at,
        receivable: judged_receivable && fact.ind_compt_paimt,
        no_fact_ramq: fact.no_fact_ramq.clone(),
        jeton_comm: fact.jeton_comm.clone(),
        lines: fact
            .liste_ligne_fact_recev
            .iter()
            .map(|line| LineResult {
                line_no: line.no_ligne_fact.saturating_sub(1),
                preliminary_amount: Some(line.mnt_prel),
                formula: Some(line.formu_expl.clone()),
            })
            .collect(),
        messages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use rust_decimal_macros::dec;
    use tipi_domain::ids::{DeveloperNumber, TransmissionNumber};
    use tipi_protocol::lot::LotDemPaimt;
    use tipi_protocol::XmlMessage;

    pub(crate) fn software() -> SoftwareIdentity {
        SoftwareIdentity {
            developer: DeveloperNumber::parse("AGP16001").unwrap(),
            name: "Tipi".into(),
            version: "0.1.0".into(),
        }
    }

    /// The sample claim, its NAM typed as on the card (the wire form is normalised).
    fn claim() -> Claim {
        let mut claim = crate::test_support::valid_claim("F000001");
        claim.patient = Patient::WithNam {
            nam: "trej 8553 1510".into(),
            surname: "Tremblay".into(),
            first_name: "Julie".into(),
        };
        claim
    }

    #[test]
    fn a_batch_becomes_a_lot_whose_trailer_and_request_numbers_match() {
        let attestation = AttestationNumber::new(7).unwrap();
        let batch = Batch::build(
            TransmissionNumber::parse("12345").unwrap(),
            attestation,
            software(),
            vec![claim()],
            NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        )
        .unwrap();
        let agency = TipiId::parse("AGP12345").unwrap();
        let bytes = lot_bytes(&batch, &agency);
        let lot = LotDemPaimt::from_xml(std::str::from_utf8(&bytes).unwrap()).unwrap();
        assert_eq!(lot.no_attes, 7);
        assert_eq!(lot.nbr_dem, 1);
        assert_eq!(lot.mnt_total, dec!(45.00));
        assert_eq!(lot.dem_paimt[0].no_dem_ext, "700001");
        let fact = &lot.dem_paimt[0].liste_fact[0];
        assert_eq!(fact.typ_clien, "physicians");
        let person = fact.liste_pers_objet_fact[0]
            .pers_patnt_avec_idt
            .as_ref()
            .unwrap();
        assert_eq!(person.id_pers, "TREJ85531510", "NAM normalised");
        assert_eq!(lot_bytes(&batch, &agency), bytes, "deterministic bytes");
    }

    #[test]
    fn the_fast_trim_is_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "F-1",
            "\u{a0}F\u{a0}",
            "é",
            " é ",
            "a\u{2003}",
            "\u{85}b",
            "x y",
            "\u{1c}z",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn request_numbers_never_collide_between_batches_or_with_direct() {
        let a = batch_request_number(AttestationNumber::new(1).unwrap(), 99_998);
        let b = batch_request_number(AttestationNumber::new(2).unwrap(), 0);
        assert!(a.get() < b.get());
        let last = batch_request_number(AttestationNumber::new(u32::MAX).unwrap(), 99_998);
        assert!(last.get() < FIRST_DIRECT_NUMBER);
        assert_eq!(message_line(Some("liste_ligne_fact[2].qte_unit")), Some(2));
        assert_eq!(message_line(Some("no_fact_ext")), None);
    }
}
