//! Mapping between `tipi_domain::claim::Claim` and the `claims` / `claim_lines` rows. The
//! stored names are the store's own (exhaustive matches), so a new domain variant is a compile
//! error here rather than a silently unreadable row.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use tipi_domain::claim::{Claim, ClaimLine, Patient, RemunerationSystem};
use tipi_domain::ids::Clientele;
use tipi_domain::nam::Sex;

use crate::error::{Result, StoreError};

fn corrupt(column: &'static str) -> StoreError {
    StoreError::Corrupt { column }
}

pub(crate) fn remuneration_name(r: RemunerationSystem) -> &'static str {
    match r {
        RemunerationSystem::Rfp => "RFP",
        RemunerationSystem::Rpv => "RPV",
        RemunerationSystem::Rps => "RPS",
        RemunerationSystem::Rmx => "RMX",
    }
}

fn parse_remuneration(s: &str) -> Result<RemunerationSystem> {
    match s {
        "RFP" => Ok(RemunerationSystem::Rfp),
        "RPV" => Ok(RemunerationSystem::Rpv),
        "RPS" => Ok(RemunerationSystem::Rps),
        "RMX" => Ok(RemunerationSystem::Rmx),
        _ => Err(corrupt("claims.remuneration")),
    }
}

pub(crate) fn clientele_name(c: Clientele) -> &'static str {
    match c {
        Clientele::Physicians => "physicians",
        Clientele::Optometrists => "optometrists",
        Clientele::Dentists => "dentists",
    }
}

fn parse_clientele(s: &str) -> Result<Clientele> {
    match s {
        "physicians" => Ok(Clientele::Physicians),
        "optometrists" => Ok(Clientele::Optometrists),
        "dentists" => Ok(Clientele::Dentists),
        _ => Err(corrupt("claims.clientele")),
    }
}

fn sex_name(s: Sex) -> &'static str {
    match s {
        Sex::Male => "M",
        Sex::Female => "F",
    }
}

fn parse_sex(s: &str) -> Result<Sex> {
    match s {
        "M" => Ok(Sex::Male),
        "F" => Ok(Sex::Female),
        _ => Err(corrupt("claims.sex")),
    }
}

/// The patient columns: nam, surname, first_name, birth_date, sex.
pub(crate) struct PatientColumns<'a> {
    pub(crate) nam: Option<String>,
    pub(crate) surname: &'a str,
    pub(crate) first_name: &'a str,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) sex: Option<&'static str>,
}

/// NAMs are stored upper-case without spaces, the form the search index works on.
pub(crate) fn normalize_nam(nam: &str) -> String {
    nam.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

pub(crate) fn patient_columns(patient: &Patient) -> PatientColumns<'_> {
    match patient {
        Patient::WithNam {
            nam,
            surname,
            first_name,
        } => PatientColumns {
            nam: Some(normalize_nam(nam)),
            surname,
            first_name,
            birth_date: None,
            sex: None,
        },
        Patient::WithoutNam {
            surname,
            first_name,
            birth_date,
            sex,
        } => PatientColumns {
            nam: None,
            surname,
            first_name,
            birth_date: Some(*birth_date),
            sex: Some(sex_name(*sex)),
        },
    }
}

/// A claim as [`claims_json`] lists it: its columns in order, then its lines.
#[derive(serde::Deserialize)]
pub(crate) struct ClaimRow {
    pub(crate) id: i64,
    pub(crate) external_id: String,
    pub(crate) state: String,
    pub(crate) professional: String,
    pub(crate) place: String,
    pub(crate) remuneration: String,
    pub(crate) clientele: String,
    #[serde(deserialize_with = "crate::json_rows::bool_from_int")]
    pub(crate) late_allowed: bool,
    pub(crate) nam: Option<String>,
    pub(crate) surname: String,
    pub(crate) first_name: String,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) sex: Option<String>,
    pub(crate) no_fact_ramq: Option<String>,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) lines: Vec<LineJson>,
}

/// The claims `source` selects (`SELECT c.* FROM claims c ...`, in the order they are
/// listed) as one JSON array of [`ClaimRow`]s, each with its lines
/// (`[line_no, billing_code, service_date, role, units, amount]`). One value for the whole
/// list: see [`crate::json_rows`].
pub(crate) fn claims_json(source: &str) -> String {
    format!(
        "SELECT json_group_array(json_array(c.id, c.external_id, c.state, c.professional, \
         c.place, c.remuneration, c.clientele, c.late_allowed, c.nam, c.surname, c.first_name, \
         c.birth_date, c.sex, c.no_fact_ramq, c.created_at, c.updated_at, \
         json((SELECT json_group_array(json_array(l.line_no, l.billing_code, l.service_date, \
         l.role, l.units, l.amount)) FROM claim_lines l WHERE l.claim_id = c.id)))) \
         FROM ({source}) c"
    )
}

/// One element of [`ClaimRow::lines`].
type LineJson = (i64, String, NaiveDate, String, u32, String);

/// The lines of a claim from [`ClaimRow::lines`], in line order.
fn lines_from_json(mut rows: Vec<LineJson>) -> Result<Vec<ClaimLine>> {
    rows.sort_by_key(|row| row.0);
    rows.into_iter()
        .map(|(_, billing_code, service_date, role, units, amount)| {
            Ok(ClaimLine {
                billing_code,
                service_date,
                role,
                units,
                amount: Decimal::from_str(&amount).map_err(|_| corrupt("claim_lines.amount"))?,
            })
        })
        .collect()
}

/// The claim a row holds; its id, state and instants are the caller's to take first.
pub(crate) fn claim_from_row(row: ClaimRow) -> Result<Claim> {
    let patient = match (row.nam, row.birth_date, row.sex) {
        (Some(nam), _, _) => Patient::WithNam {
            nam,
            surname: row.surname,
            first_name: row.first_name,
        },
        (None, Some(birth_date), Some(sex)) => Patient::WithoutNam {
            surname: row.surname,
            first_name: row.first_name,
            birth_date,
            sex: parse_sex(&sex)?,
        },
        _ => return Err(corrupt("claims.nam")),
    };
    Ok(Claim {
        external_id: row.external_id,
        professional: row.professional,
        place: row.place,
        patient,
        remuneration: parse_remuneration(&row.remuneration)?,
        clientele: parse_clientele(&row.clientele)?,
        late_allowed: row.late_allowed,
        lines: lines_from_json(row.lines)?,
    })
}
