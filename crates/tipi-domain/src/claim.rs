//! Claims (*demandes de paiement*) as the user edits them, and their validation.
//!
//! A [`Claim`] is an editable draft holding the raw strings the user types; [`validate`]
//! returns **all** problems at once, each with a stable [`ProblemCode`], the field it concerns
//! (`"patient.nam"`, `"lines[0].service_date"`...) and a French and English message that never
//! contains a NAM or a name. Warnings ([`Severity::Warning`]) inform but do not block.
//!
//! Formats marked *(model)* are this project's choice where RAMQ's specification is not public.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::{Clientele, ProfessionalNumber};
use crate::lang::Lang;
use crate::nam::{Nam, NamError, Sex};
use crate::time;

/// RAMQ's remuneration systems (*systèmes de rémunération*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RemunerationSystem {
    /// RFP: *Règlement des factures des professionnels*, fee for service (*à l'acte*).
    Rfp,
    /// RPV: *Rémunération des professionnels à vacation* (hourly, flat fees, per diem).
    Rpv,
    /// RPS: *Rémunération des professionnels à salaire* (fixed fees, salaried).
    Rps,
    /// RMX: *Rémunération mixte* (sessional and fee for service).
    Rmx,
}

impl RemunerationSystem {
    /// RAMQ's code: `RFP`, `RPV`, `RPS` or `RMX`.
    pub fn code(self) -> &'static str {
        match self {
            RemunerationSystem::Rfp => "RFP",
            RemunerationSystem::Rpv => "RPV",
            RemunerationSystem::Rps => "RPS",
            RemunerationSystem::Rmx => "RMX",
        }
    }

    /// Whether requests of this system may be sent *en direct* (one request, receivability
    /// at once). Only RFP offers it; every system may be sent *en différé* (batch).
    pub fn allows_direct(self) -> bool {
        self == RemunerationSystem::Rfp
    }
}

/// The patient a claim is for.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Patient {
    /// Identified by NAM (`pers_patnt_avec_idt`). The names are optional for RAMQ and only used
    /// to warn when the NAM does not match them.
    WithNam {
        /// The NAM as typed.
        nam: String,
        /// Surname (*nom*), may be empty.
        surname: String,
        /// First name (*prénom*), may be empty.
        first_name: String,
    },
    /// Without NAM (`pers_patnt_sans_idt`): name, birth date and sex are required.
    WithoutNam {
        /// Surname (*nom*).
        surname: String,
        /// First name (*prénom*).
        first_name: String,
        /// Birth date.
        birth_date: NaiveDate,
        /// Sex.
        sex: Sex,
    },
}

impl fmt::Debug for Patient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Patient::WithNam { .. } => f.write_str("Patient::WithNam(<redacted>)"),
            Patient::WithoutNam { .. } => f.write_str("Patient::WithoutNam(<redacted>)"),
        }
    }
}

/// One billed service (*ligne de facture*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimLine {
    /// Billing code (`id_elm_fact`): 1 to 10 ASCII letters or digits *(model)*.
    pub billing_code: String,
    /// Service date (`dat_serv_elm_fact`).
    pub service_date: NaiveDate,
    /// Role code (`cod_role`): 1 or 2 digits *(model)*.
    pub role: String,
    /// Units, at least 1.
    pub units: u32,
    /// Amount claimed for the line, positive, at most 2 decimals.
    pub amount: Decimal,
}

/// A payment request (*demande de paiement*) for one invoice, as edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// The sender's invoice number (`no_fact_ext`): 1 to 36 ASCII letters, digits or `-`
    /// *(model)*; unique within a batch.
    pub external_id: String,
    /// The professional's RAMQ number (`id_prof`), see [`ProfessionalNumber`].
    pub professional: String,
    /// Place of service (`lieu_consi`): the 5-digit place number *(model)*.
    pub place: String,
    /// The patient.
    pub patient: Patient,
    /// Remuneration system.
    pub remuneration: RemunerationSystem,
    /// Clientele (must match the software developer's, see [`crate::batch`]).
    pub clientele: Clientele,
    /// "Hors délai": the professional declares the late sending allowed (exceptional
    /// circumstances); a service older than 90 days is then not an error.
    pub late_allowed: bool,
    /// The billed services.
    pub lines: Vec<ClaimLine>,
}

impl Claim {
    /// Sum of the line amounts.
    pub fn total(&self) -> Decimal {
        self.lines.iter().map(|l| l.amount).sum()
    }

    /// Same as [`validate`].
    pub fn validate(&self, today: NaiveDate) -> Vec<Problem> {
        validate(self, today)
    }
}

/// Whether a problem blocks sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks: the claim cannot be sent.
    Error,
    /// Informs: the claim can be sent.
    Warning,
}

macro_rules! problem_codes {
    ($($variant:ident => $code:literal, $severity:ident, $fr:literal, $en:literal;)*) => {
        /// What is wrong. `as_str` is stable: stores, the UI and tests key on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ProblemCode {
            $(
                #[doc = $en]
                $variant,
            )*
        }

        impl ProblemCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant),*];

            /// The stable machine code (`"nam_check_digit"`...).
            pub fn as_str(self) -> &'static str {
                match self { $(ProblemCode::$variant => $code,)* }
            }

            /// Error (blocks) or warning.
            pub fn severity(self) -> Severity {
                match self { $(ProblemCode::$variant => Severity::$severity,)* }
            }

            /// The explanation in `lang`, without any patient data.
            pub fn message(self, lang: Lang) -> &'static str {
                match self { $(ProblemCode::$variant => lang.pick($fr, $en),)* }
            }

            /// The code for a stable string, if it is one.
            pub fn from_code(code: &str) -> Option<ProblemCode> {
                match code { $($code => Some(ProblemCode::$variant),)* _ => None }
            }
        }
    };
}

problem_codes! {
    ExternalIdMissing => "external_id_missing", Error,
        "Le numéro de facture externe est obligatoire.",
        "The external invoice number is required.";
    ExternalIdInvalid => "external_id_invalid", Error,
        "Le numéro de facture externe compte au plus 36 lettres, chiffres ou tirets.",
        "The external invoice number has at most 36 letters, digits or hyphens.";
    ExternalIdDuplicate => "external_id_duplicate", Error,
        "Ce numéro de facture externe est déjà utilisé dans le lot.",
        "This external invoice number is already used in the batch.";
    ProfessionalInvalid => "professional_invalid", Error,
        "Le numéro de professionnel compte exactement 6 chiffres.",
        "The professional number has exactly 6 digits.";
    PlaceInvalid => "place_invalid", Error,
        "Le lieu de consultation est un numéro de 5 chiffres.",
        "The place of service is a 5-digit number.";
    ClienteleMismatch => "clientele_mismatch", Error,
        "La clientèle de la demande ne correspond pas à celle du logiciel de facturation.",
        "The claim's clientele does not match the billing software's.";
    NamLength => "nam_length", Error,
        "Le NAM doit compter 12 caractères.",
        "The NAM must have 12 characters.";
    NamLetters => "nam_letters", Error,
        "Les 4 premiers caractères du NAM doivent être des lettres.",
        "The first 4 characters of the NAM must be letters.";
    NamDate => "nam_date", Error,
        "Les caractères 5 à 10 du NAM ne forment pas une date de naissance valide.",
        "Characters 5 to 10 of the NAM are not a valid birth date.";
    NamAdministrativeCharacter => "nam_administrative_character", Error,
        "Le 11e caractère du NAM doit être un chiffre de 1 à 9 ou une lettre autre que I et O.",
        "Character 11 of the NAM must be a digit 1 to 9 or a letter other than I and O.";
    NamCheckDigit => "nam_check_digit", Error,
        "Le chiffre de contrôle du NAM ne correspond pas : vérifiez le NAM sur la carte.",
        "The NAM check digit does not match: check the NAM on the card.";
    NamNameMismatch => "nam_name_mismatch", Warning,
        "Le NAM ne correspond pas au nom et au prénom du patient : vérifiez la carte.",
        "The NAM does not match the patient's surname and first name: check the card.";
    SurnameMissing => "surname_missing", Error,
        "Le nom du patient est obligatoire sans NAM.",
        "The patient's surname is required without a NAM.";
    FirstNameMissing => "first_name_missing", Error,
        "Le prénom du patient est obligatoire sans NAM.",
        "The patient's first name is required without a NAM.";
    BirthDateFuture => "birth_date_future", Error,
        "La date de naissance est dans le futur.",
        "The birth date is in the future.";
    NoLines => "no_lines", Error,
        "La demande doit contenir au moins une ligne de service.",
        "The claim must have at least one service line.";
    BillingCodeInvalid => "billing_code_invalid", Error,
        "Le code de facturation compte de 1 à 10 lettres ou chiffres.",
        "The billing code has 1 to 10 letters or digits.";
    ServiceDateFuture => "service_date_future", Error,
        "La date de service est dans le futur.",
        "The service date is in the future.";
    ServiceBeforeBirth => "service_before_birth", Error,
        "La date de service précède la date de naissance du patient.",
        "The service date is before the patient's birth date.";
    LateService => "late_service", Error,
        "Le service date de plus de 90 jours : cochez « hors délai » seulement si une circonstance exceptionnelle le permet.",
        "The service is more than 90 days old: mark it \"hors délai\" only if exceptional circumstances allow it.";
    RoleInvalid => "role_invalid", Error,
        "Le code de rôle compte 1 ou 2 chiffres.",
        "The role code has 1 or 2 digits.";
    UnitsNotPositive => "units_not_positive", Error,
        "Le nombre d'unités doit être d'au moins 1.",
        "The number of units must be at least 1.";
    AmountNotPositive => "amount_not_positive", Error,
        "Le montant doit être supérieur à zéro.",
        "The amount must be greater than zero.";
    AmountPrecision => "amount_precision", Error,
        "Le montant a au plus 2 décimales.",
        "The amount has at most 2 decimals.";
}

impl From<NamError> for ProblemCode {
    fn from(e: NamError) -> Self {
        match e {
            NamError::Length => ProblemCode::NamLength,
            NamError::Letters => ProblemCode::NamLetters,
            NamError::Date => ProblemCode::NamDate,
            NamError::AdministrativeCharacter => ProblemCode::NamAdministrativeCharacter,
            NamError::CheckDigit => ProblemCode::NamCheckDigit,
        }
    }
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with a claim, and where.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// What is wrong.
    pub code: ProblemCode,
    /// The field concerned: `external_id`, `professional`, `place`, `clientele`,
    /// `patient.nam`, `patient.surname`, `patient.first_name`, `patient.birth_date`, `lines`,
    /// or `lines[i].billing_code|service_date|role|units|amount` (`i` from 0).
    pub field: String,
}

impl Problem {
    /// A problem on a field.
    pub fn new(code: ProblemCode, field: impl Into<String>) -> Self {
        Problem {
            code,
            field: field.into(),
        }
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// Whether it blocks sending.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }

    /// The message in `lang`, prefixed with the line number (from 1) for line fields.
    pub fn message(&self, lang: Lang) -> String {
        let text = self.code.message(lang);
        match (line_index(&self.field), lang) {
            (Some(i), Lang::Fr) => format!("Ligne {} : {text}", i + 1),
            (Some(i), Lang::En) => format!("Line {}: {text}", i + 1),
            (None, _) => text.to_owned(),
        }
    }
}

fn line_index(field: &str) -> Option<usize> {
    let rest = field.strip_prefix("lines[")?;
    let end = rest.find(']')?;
    rest[..end].parse().ok()
}

/// Whether any problem blocks sending.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(Problem::is_error)
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn digits(s: &str, lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Every problem of `claim` when sent on local date `today`, in field order. Empty: valid.
pub fn validate(claim: &Claim, today: NaiveDate) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut push = |code, field: &str| problems.push(Problem::new(code, field));

    let external_id = claim.external_id.trim();
    if external_id.is_empty() {
        push(ProblemCode::ExternalIdMissing, "external_id");
    } else if external_id.len() > 36
        || !external_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        push(ProblemCode::ExternalIdInvalid, "external_id");
    }
    if ProfessionalNumber::parse(&claim.professional).is_err() {
        push(ProblemCode::ProfessionalInvalid, "professional");
    }
    if !digits(claim.place.trim(), 5..=5) {
        push(ProblemCode::PlaceInvalid, "place");
    }

    let birth_date = match &claim.patient {
        Patient::WithNam {
            nam,
            surname,
            first_name,
        } => match Nam::parse(nam) {
            Ok(nam) => {
                if !is_blank(surname)
                    && !is_blank(first_name)
                    && !nam.matches_name(surname, first_name)
                {
                    push(ProblemCode::NamNameMismatch, "patient.nam");
                }
                Some(nam.birth_date())
            }
            Err(e) => {
                push(e.into(), "patient.nam");
                None
            }
        },
        Patient::WithoutNam {
            surname,
            first_name,
            birth_date,
            sex: _,
        } => {
            if is_blank(surname) {
                push(ProblemCode::SurnameMissing, "patient.surname");
            }
            if is_blank(first_name) {
                push(ProblemCode::FirstNameMissing, "patient.first_name");
            }
            if *birth_date > today {
                push(ProblemCode::BirthDateFuture, "patient.birth_date");
            }
            Some(*birth_date)
        }
    };

    if claim.lines.is_empty() {
        push(ProblemCode::NoLines, "lines");
    }
    for (i, line) in claim.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{i}].{name}");
        let code = line.billing_code.trim();
        if code.is_empty() || code.len() > 10 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            push(ProblemCode::BillingCodeInvalid, &field("billing_code"));
        }
        if line.service_date > today {
            push(ProblemCode::ServiceDateFuture, &field("service_date"));
        } else if time::is_late(line.service_date, today) && !claim.late_allowed {
            push(ProblemCode::LateService, &field("service_date"));
        }
        if birth_date.is_some_and(|birth| line.service_date < birth) {
            push(ProblemCode::ServiceBeforeBirth, &field("service_date"));
        }
        if !digits(line.role.trim(), 1..=2) {
            push(ProblemCode::RoleInvalid, &field("role"));
        }
        if line.units == 0 {
            push(ProblemCode::UnitsNotPositive, &field("units"));
        }
        if line.amount <= Decimal::ZERO {
            push(ProblemCode::AmountNotPositive, &field("amount"));
        } else if line.amount.normalize().scale() > 2 {
            push(ProblemCode::AmountPrecision, &field("amount"));
        }
    }
    problems
}

/// For a set of claims (a batch): a duplicate-`external_id` problem for every claim whose
/// trimmed `external_id` already appeared earlier, keyed by claim index.
pub(crate) fn duplicate_external_ids(claims: &[Claim]) -> Vec<usize> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    for (i, claim) in claims.iter().enumerate() {
        let id = claim.external_id.trim();
        if id.is_empty() {
            continue;
        }
        if seen.insert(id, i).is_some() {
            duplicates.push(i);
        }
    }
    duplicates
}

#[cfg(test)]
mod tests;
