//! Receivability (*recevabilité*) of payment requests, RAMQ-style.
//!
//! Each `dem_paimt` carries exactly one invoice (`fact`), which is converted to a
//! `tipi_domain::claim::Claim` and judged by tipi-domain (`Batch::build`, so the batch-level
//! rules — duplicate invoice numbers, clientele of the software — are the client's own), then
//! by what only RAMQ knows: its tariff and places, and the invoices it already accepted.
//! Values that cannot even be converted (a date that is not a date...) get their own message
//! and a stand-in value, so every other problem is still reported at once.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::Deserialize;
use sqlx::SqliteConnection;
use tipi_domain::batch::{Batch, BatchError, SoftwareIdentity};
use tipi_domain::claim::{
    validate, Claim, ClaimLine, Patient, Problem, ProblemCode, RemunerationSystem,
};
use tipi_domain::ids::{
    AttestationNumber, Clientele, DeveloperNumber, ExternalRequestNumber, TransmissionNumber,
};
use tipi_domain::nam::Sex;
use tipi_protocol::messages::{self, MessageCode};
use tipi_protocol::rfp::{
    DemPaimt, DemPaimtRecev, Fact, FactRecev, LigneFactRecev, LogclFact, MsgExplRecev, StaRecev,
};

use crate::hashing;
use crate::rules::tables;
use crate::store::exchanges;

/// Who is judged, when, and whether receivable invoices count for payment.
pub(crate) struct Context<'a> {
    pub(crate) transmission: &'a str,
    /// The batch's attestation number (`first()` for *en direct*).
    pub(crate) attestation: AttestationNumber,
    /// The local date of reception.
    pub(crate) today: NaiveDate,
    /// The agency is in production: receivable invoices count for payment.
    pub(crate) counted: bool,
}

/// The judgement of one request, and what to store about its invoice(s).
pub(crate) struct Judged {
    pub(crate) recev: DemPaimtRecev,
    pub(crate) invoices: Vec<JudgedInvoice>,
}

pub(crate) struct JudgedInvoice {
    pub(crate) no_dem_ext: String,
    pub(crate) no_fact_ext: String,
    pub(crate) receivable: bool,
    pub(crate) no_fact_ramq: Option<String>,
    /// Sum of the preliminary amounts (zero when not receivable).
    pub(crate) amount: Decimal,
}

/// One message to send back.
#[derive(Debug, Clone)]
struct Finding {
    message: MessageCode,
    field: Option<String>,
    blocking: bool,
}

impl Finding {
    fn error(key: &str, field: impl Into<String>) -> Self {
        Self {
            message: messages::for_problem(key),
            field: Some(field.into()),
            blocking: true,
        }
    }

    fn from_problem(problem: &Problem, with_nam: bool) -> Self {
        Self {
            message: messages::for_problem(problem.code.as_str()),
            field: Some(wire_field(&problem.field, with_nam)),
            blocking: problem.is_error(),
        }
    }

    fn to_wire(&self) -> MsgExplRecev {
        MsgExplRecev {
            cod_msg_expl_recev: self.message.code.to_owned(),
            txt_msg_expl_recev: self.message.text_fr.to_owned(),
            elm_msg_expl_recev: self.field.clone(),
        }
    }
}

/// A converted invoice: the claim, findings of the conversion, and the domain fields that
/// hold stand-in values (their domain problems would only repeat the conversion's).
struct Converted {
    claim: Claim,
    findings: Vec<Finding>,
    masked: Vec<String>,
    /// The birth date is a stand-in: "service before birth" would be noise.
    birth_stand_in: bool,
}

/// Judges the requests of one batch (or the single request sent *en direct*).
pub(crate) async fn judge(
    conn: &mut SqliteConnection,
    context: &Context<'_>,
    software: &LogclFact,
    requests: &[DemPaimt],
) -> Result<Vec<Judged>, sqlx::Error> {
    // Request-level checks that need no history.
    let mut request_findings: Vec<Vec<Finding>> = Vec::with_capacity(requests.len());
    let mut seen_requests = HashSet::new();
    for request in requests {
        let mut findings = Vec::new();
        let number = request.no_dem_ext.trim();
        if ExternalRequestNumber::parse(number).is_err() {
            findings.push(Finding::error("request_number_invalid", "no_dem_ext"));
        } else if !seen_requests.insert(number.to_owned())
            || exchanges::request_already_counted(conn, context.transmission, number).await?
        {
            findings.push(Finding::error("request_duplicate", "no_dem_ext"));
        }
        if request.liste_fact.len() != 1 {
            findings.push(Finding::error("request_invoice_count", "liste_fact"));
        }
        if DeveloperNumber::parse(&request.logcl_fact.no_devpr_logcl).is_err() {
            findings.push(Finding::error(
                "developer_invalid",
                "logcl_fact.no_devpr_logcl",
            ));
        }
        request_findings.push(findings);
    }

    // Convert the single invoice of each well-formed request.
    let developer = DeveloperNumber::parse(&software.no_devpr_logcl).ok();
    let fallback_clientele = developer
        .as_ref()
        .map_or(Clientele::Physicians, DeveloperNumber::clientele);
    let mut converted: Vec<Option<Converted>> = requests
        .iter()
        .map(|request| match request.liste_fact.as_slice() {
            [fact] => Some(convert(fact, context.today, fallback_clientele)),
            _ => None,
        })
        .collect();

    // tipi-domain's rules, batch-level ones included.
    let indices: Vec<usize> = (0..requests.len())
        .filter(|i| converted[*i].is_some())
        .collect();
    let claims: Vec<Claim> = indices
        .iter()
        .filter_map(|i| converted[*i].as_ref().map(|c| c.claim.clone()))
        .collect();
    let problems = domain_problems(context, software, developer, claims);
    for (position, found) in problems.into_iter().enumerate() {
        let Some(Some(entry)) = indices.get(position).map(|i| converted[*i].as_mut()) else {
            continue;
        };
        let with_nam = matches!(entry.claim.patient, Patient::WithNam { .. });
        for problem in found {
            let masked = entry
                .masked
                .iter()
                .any(|m| problem.field.starts_with(m.as_str()))
                || (entry.birth_stand_in && problem.code == ProblemCode::ServiceBeforeBirth);
            if !masked {
                entry
                    .findings
                    .push(Finding::from_problem(&problem, with_nam));
            }
        }
    }

    // RAMQ's own knowledge, then the answer.
    let mut sequence = exchanges::next_invoice_id(conn).await?;
    let mut judged = Vec::with_capacity(requests.len());
    for (index, request) in requests.iter().enumerate() {
        let request_blocked = request_findings[index].iter().any(|f| f.blocking);
        let mut fact_answers = Vec::new();
        let mut invoices = Vec::new();
        for fact in &request.liste_fact {
            let mut findings = Vec::new();
            let mut claim = None;
            if let Some(entry) = converted[index].as_mut() {
                findings.append(&mut entry.findings);
                claim = Some(&entry.claim);
                reference_checks(&entry.claim, fact, &mut findings);
                let external = fact.no_fact_ext.trim();
                if !external.is_empty()
                    && exchanges::invoice_already_counted(conn, context.transmission, external)
                        .await?
                {
                    findings.push(Finding::error(
                        "external_id_already_received",
                        "no_fact_ext",
                    ));
                }
            }
            let receivable =
                claim.is_some() && !request_blocked && !findings.iter().any(|f| f.blocking);
            let answer = match claim.filter(|_| receivable) {
                Some(claim) => {
                    if !context.counted {
                        findings.push(Finding {
                            message: messages::AGENCY_TEST_PERIOD,
                            field: None,
                            blocking: false,
                        });
                    }
                    let lines = preliminary_amounts(claim);
                    let amount = lines.iter().map(|l| l.mnt_prel).sum();
                    let no_fact_ramq = format!(
                        "{:04}{:03}{:06}",
                        context.today.year(),
                        context.today.ordinal(),
                        sequence
                    );
                    sequence += 1;
                    invoices.push(JudgedInvoice {
                        no_dem_ext: request.no_dem_ext.trim().to_owned(),
                        no_fact_ext: fact.no_fact_ext.trim().to_owned(),
                        receivable: true,
                        no_fact_ramq: Some(no_fact_ramq.clone()),
                        amount,
                    });
                    FactRecev {
                        no_fact_ext: fact.no_fact_ext.clone(),
                        sta_recev: StaRecev::Receivable,
                        no_fact_ramq: Some(no_fact_ramq),
                        jeton_comm: Some(hashing::token(12)),
                        ind_compt_paimt: context.counted,
                        liste_msg_expl_recev: findings.iter().map(Finding::to_wire).collect(),
                        liste_ligne_fact_recev: lines,
                    }
                }
                None => {
                    invoices.push(JudgedInvoice {
                        no_dem_ext: request.no_dem_ext.trim().to_owned(),
                        no_fact_ext: fact.no_fact_ext.trim().to_owned(),
                        receivable: false,
                        no_fact_ramq: None,
                        amount: Decimal::ZERO,
                    });
                    FactRecev {
                        no_fact_ext: fact.no_fact_ext.clone(),
                        sta_recev: StaRecev::NotReceivable,
                        no_fact_ramq: None,
                        jeton_comm: None,
                        ind_compt_paimt: false,
                        liste_msg_expl_recev: findings.iter().map(Finding::to_wire).collect(),
                        liste_ligne_fact_recev: Vec::new(),
                    }
                }
            };
            fact_answers.push(answer);
        }
        let all_receivable = !request_blocked
            && !fact_answers.is_empty()
            && fact_answers
                .iter()
                .all(|f| f.sta_recev == StaRecev::Receivable);
        judged.push(Judged {
            recev: DemPaimtRecev {
                no_dem_ext: request.no_dem_ext.clone(),
                sta_recev: if all_receivable {
                    StaRecev::Receivable
                } else {
                    StaRecev::NotReceivable
                },
                liste_msg_expl_recev: request_findings[index]
                    .iter()
                    .map(Finding::to_wire)
                    .collect(),
                liste_fact_recev: fact_answers,
            },
            invoices,
        });
    }
    Ok(judged)
}

/// The domain's problems per claim, in order: through `Batch::build` when the software's
/// developer number is valid (batch-level rules included), else claim by claim.
fn domain_problems(
    context: &Context<'_>,
    software: &LogclFact,
    developer: Option<DeveloperNumber>,
    claims: Vec<Claim>,
) -> Vec<Vec<Problem>> {
    let today = context.today;
    let one_by_one = |claims: &[Claim]| claims.iter().map(|c| validate(c, today)).collect();
    let (Some(developer), Ok(transmission)) =
        (developer, TransmissionNumber::parse(context.transmission))
    else {
        return one_by_one(&claims);
    };
    if claims.is_empty() {
        return Vec::new();
    }
    let count = claims.len();
    let identity = SoftwareIdentity {
        developer,
        name: software.nom_logcl_fact.clone(),
        version: software.no_versi_logcl_fact.clone(),
    };
    let fallback = claims.clone();
    match Batch::build(transmission, context.attestation, identity, claims, today) {
        Ok(batch) => {
            let mut out = vec![Vec::new(); count];
            for warned in batch.warnings() {
                if let Some(slot) = out.get_mut(warned.index) {
                    slot.clone_from(&warned.problems);
                }
            }
            out
        }
        Err(BatchError::InvalidClaims(invalid)) => {
            // Claims with warnings only are not listed on failure: ask them one by one.
            let mut out: Vec<Vec<Problem>> = one_by_one(&fallback);
            for entry in invalid {
                if let Some(slot) = out.get_mut(entry.index) {
                    *slot = entry.problems;
                }
            }
            out
        }
        Err(_) => one_by_one(&fallback),
    }
}

/// RAMQ's tables: the place, each billing code for the clientele, the line numbering.
fn reference_checks(claim: &Claim, fact: &Fact, findings: &mut Vec<Finding>) {
    let place = claim.place.trim();
    if place.len() == 5 && place.bytes().all(|b| b.is_ascii_digit()) && !tables::place_known(place)
    {
        findings.push(Finding::error("place_unknown", "lieu_consi"));
    }
    for (i, line) in claim.lines.iter().enumerate() {
        let code = line.billing_code.trim();
        if !code.is_empty() && tables::billing_code(code, claim.clientele).is_none() {
            findings.push(Finding::error(
                "billing_code_unknown",
                format!("liste_ligne_fact[{i}].id_elm_fact"),
            ));
        }
    }
    let numbered = fact
        .liste_ligne_fact
        .iter()
        .enumerate()
        .all(|(i, line)| usize::try_from(line.no_ligne_fact).ok() == Some(i + 1));
    if !numbered {
        findings.push(Finding::error("line_number_invalid", "liste_ligne_fact"));
    }
}

/// RAMQ's tariff: units x unit price per line.
fn preliminary_amounts(claim: &Claim) -> Vec<LigneFactRecev> {
    claim
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let code = tables::billing_code(&line.billing_code, claim.clientele)?;
            let mut amount = code.price() * Decimal::from(line.units);
            amount.rescale(2);
            Some(LigneFactRecev {
                no_ligne_fact: u32::try_from(i + 1).unwrap_or(u32::MAX),
                mnt_prel: amount,
                formu_expl: format!("{} x {}", line.units, code.price()),
            })
        })
        .collect()
}

/// Wire invoice to domain claim, with stand-ins for values that cannot be converted.
fn convert(fact: &Fact, today: NaiveDate, fallback_clientele: Clientele) -> Converted {
    let mut findings = Vec::new();
    let mut masked = Vec::new();
    let mut birth_stand_in = false;
    let remuneration = [
        RemunerationSystem::Rfp,
        RemunerationSystem::Rpv,
        RemunerationSystem::Rps,
        RemunerationSystem::Rmx,
    ]
    .into_iter()
    .find(|system| system.code() == fact.typ_remun.trim())
    .unwrap_or_else(|| {
        findings.push(Finding::error("remuneration_invalid", "typ_remun"));
        RemunerationSystem::Rfp
    });
    let clientele =
        Clientele::deserialize(StrDeserializer::<ValueError>::new(fact.typ_clien.trim()))
            .unwrap_or_else(|_| {
                findings.push(Finding::error("clientele_invalid", "typ_clien"));
                masked.push("clientele".to_owned());
                fallback_clientele
            });
    let patient = match fact.liste_pers_objet_fact.as_slice() {
        [person] => match (&person.pers_patnt_avec_idt, &person.pers_patnt_sans_idt) {
            (Some(with), None) => Some(Patient::WithNam {
                nam: with.id_pers.clone(),
                surname: with.nom_pers.clone(),
                first_name: with.pren_pers.clone(),
            }),
            (None, Some(without)) => {
                let prefix = "liste_pers_objet_fact[0].pers_patnt_sans_idt";
                let birth_date = parse_date(&without.dat_nais_pers).unwrap_or_else(|| {
                    findings.push(Finding::error(
                        "birth_date_invalid",
                        format!("{prefix}.dat_nais_pers"),
                    ));
                    masked.push("patient.birth_date".to_owned());
                    birth_stand_in = true;
                    today
                });
                let sex = [Sex::Male, Sex::Female]
                    .into_iter()
                    .find(|sex| without.cod_sexe_pers.trim() == sex.code().to_string())
                    .unwrap_or_else(|| {
                        findings.push(Finding::error(
                            "sex_invalid",
                            format!("{prefix}.cod_sexe_pers"),
                        ));
                        Sex::Female
                    });
                Some(Patient::WithoutNam {
                    surname: without.nom_pers.clone(),
                    first_name: without.pren_pers.clone(),
                    birth_date,
                    sex,
                })
            }
            _ => None,
        },
        _ => None,
    };
    let patient = patient.unwrap_or_else(|| {
        findings.push(Finding::error("patient_missing", "liste_pers_objet_fact"));
        masked.push("patient".to_owned());
        birth_stand_in = true;
        Patient::WithoutNam {
            surname: "-".into(),
            first_name: "-".into(),
            birth_date: today,
            sex: Sex::Female,
        }
    });
    let lines = fact
        .liste_ligne_fact
        .iter()
        .enumerate()
        .map(|(i, line)| ClaimLine {
            billing_code: line.id_elm_fact.clone(),
            service_date: parse_date(&line.dat_serv_elm_fact).unwrap_or_else(|| {
                findings.push(Finding::error(
                    "service_date_invalid",
                    format!("liste_ligne_fact[{i}].dat_serv_elm_fact"),
                ));
                masked.push(format!("lines[{i}].service_date"));
                today
            }),
            role: line.cod_role.clone(),
            units: line.qte_unit,
            amount: line.mnt_prcu,
        })
        .collect();
    Converted {
        claim: Claim {
            external_id: fact.no_fact_ext.clone(),
            professional: fact.prof.id_prof.clone(),
            place: fact.lieu_consi.clone(),
            patient,
            remuneration,
            clientele,
            late_allowed: fact.ind_hors_dela,
            lines,
        },
        findings,
        masked,
        birth_stand_in,
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A domain field path (`lines[0].service_date`) as a path in the wire invoice.
fn wire_field(field: &str, with_nam: bool) -> String {
    let person = if with_nam {
        "liste_pers_objet_fact[0].pers_patnt_avec_idt"
    } else {
        "liste_pers_objet_fact[0].pers_patnt_sans_idt"
    };
    if let Some(rest) = field.strip_prefix("lines[") {
        let (index, name) = rest.split_once("].").unwrap_or((rest, ""));
        let element = match name {
            "billing_code" => "id_elm_fact",
            "service_date" => "dat_serv_elm_fact",
            "role" => "cod_role",
            "units" => "qte_unit",
            "amount" => "mnt_prcu",
            other => other,
        };
        return format!("liste_ligne_fact[{index}].{element}");
    }
    match field {
        "external_id" => "no_fact_ext".into(),
        "professional" => "prof.id_prof".into(),
        "place" => "lieu_consi".into(),
        "clientele" => "typ_clien".into(),
        "lines" => "liste_ligne_fact".into(),
        "patient.nam" => format!("{person}.id_pers"),
        "patient.surname" => format!("{person}.nom_pers"),
        "patient.first_name" => format!("{person}.pren_pers"),
        "patient.birth_date" => format!("{person}.dat_nais_pers"),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_fields_map_to_wire_elements() {
        assert_eq!(
            wire_field("lines[2].service_date", true),
            "liste_ligne_fact[2].dat_serv_elm_fact"
        );
        assert_eq!(
            wire_field("patient.nam", true),
            "liste_pers_objet_fact[0].pers_patnt_avec_idt.id_pers"
        );
        assert_eq!(
            wire_field("patient.surname", false),
            "liste_pers_objet_fact[0].pers_patnt_sans_idt.nom_pers"
        );
        assert_eq!(wire_field("place", true), "lieu_consi");
    }
}
