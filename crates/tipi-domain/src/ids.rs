//! Validated identifiers of the agency, the software and the exchanges.
//!
//! Each type parses from user text (trimmed), refuses anything else with an [`IdError`], and
//! (de)serialises as its canonical form, validating on the way in.
//!
//! Formats marked *(model)* are this project's choice where RAMQ's specification is not public
//! (see `docs/glossary.md`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Which identifier failed and why. Never contains the offending text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum IdError {
    /// Transmission number (*No transmission* = *No agence*): exactly 5 digits.
    #[error("a transmission number has exactly 5 digits")]
    TransmissionNumber,
    /// BLAST identifier: exactly 5 letters or digits.
    #[error("a BLAST identifier has exactly 5 letters or digits")]
    BlastId,
    /// TIP-I identifier: `AGP` followed by 5 digits.
    #[error("a TIP-I identifier is AGP followed by 5 digits")]
    TipiId,
    /// Developer number: `AGP16xxx`, `AGP17xxx` or `AGP18xxx`.
    #[error("a developer number is AGP16xxx, AGP17xxx or AGP18xxx")]
    DeveloperNumber,
    /// Professional number: exactly 6 digits *(model)*.
    #[error("a professional number has exactly 6 digits")]
    ProfessionalNumber,
    /// Attestation number: a whole number from 1 up.
    #[error("an attestation number is a whole number from 1 up")]
    AttestationNumber,
    /// External request number (`no_dem_ext`): 1 to 15 digits, not zero *(model)*.
    #[error("an external request number has 1 to 15 digits and is not zero")]
    ExternalRequestNumber,
}

impl IdError {
    /// Stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            IdError::TransmissionNumber => "transmission_number_invalid",
            IdError::BlastId => "blast_id_invalid",
            IdError::TipiId => "tipi_id_invalid",
            IdError::DeveloperNumber => "developer_number_invalid",
            IdError::ProfessionalNumber => "professional_number_invalid",
            IdError::AttestationNumber => "attestation_number_invalid",
            IdError::ExternalRequestNumber => "external_request_number_invalid",
        }
    }

    /// User-facing explanation in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            IdError::TransmissionNumber => lang.pick(
                "Le numéro de transmission (No agence) compte exactement 5 chiffres (ex. : 12345).",
                "The transmission number (agency number) has exactly 5 digits (e.g. 12345).",
            ),
            IdError::BlastId => lang.pick(
                "L'identifiant BLAST compte exactement 5 caractères, lettres ou chiffres (ex. : U123d).",
                "The BLAST identifier has exactly 5 characters, letters or digits (e.g. U123d).",
            ),
            IdError::TipiId => lang.pick(
                "L'identifiant TIP-I est AGP suivi de 5 chiffres (ex. : AGP12345).",
                "The TIP-I identifier is AGP followed by 5 digits (e.g. AGP12345).",
            ),
            IdError::DeveloperNumber => lang.pick(
                "Le numéro de développeur est AGP16xxx, AGP17xxx ou AGP18xxx.",
                "The developer number is AGP16xxx, AGP17xxx or AGP18xxx.",
            ),
            IdError::ProfessionalNumber => lang.pick(
                "Le numéro de professionnel compte exactement 6 chiffres.",
                "The professional number has exactly 6 digits.",
            ),
            IdError::AttestationNumber => lang.pick(
                "Le numéro d'attestation est un nombre entier à partir de 1.",
                "The attestation number is a whole number from 1 up.",
            ),
            IdError::ExternalRequestNumber => lang.pick(
                "Le numéro de demande externe compte de 1 à 15 chiffres et n'est pas zéro.",
                "The external request number has 1 to 15 digits and is not zero.",
            ),
        }
    }
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// Implements `as_str`, Display, `FromStr` and the serde string conversions for a
/// string newtype with a `parse` constructor.
macro_rules! string_id {
    ($ty:ident) => {
        impl $ty {
            /// The canonical text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::str::FromStr for $ty {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                $ty::parse(s)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                $ty::parse(&value)
            }
        }
        impl From<$ty> for String {
            fn from(id: $ty) -> String {
                id.0
            }
        }
    };
}

/// The agency's transmission number (*No transmission* = *No agence*): exactly 5 digits,
/// leading zeros kept (`12345`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TransmissionNumber(String);

impl TransmissionNumber {
    /// Parses 5 digits (surrounding spaces ignored).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        if all_digits(s, 5) {
            Ok(TransmissionNumber(s.to_owned()))
        } else {
            Err(IdError::TransmissionNumber)
        }
    }
}
string_id!(TransmissionNumber);

/// The agency's former BLAST identifier: exactly 5 ASCII letters or digits, case kept as
/// RAMQ issued it (`U123d`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BlastId(String);

impl BlastId {
    /// Parses 5 ASCII alphanumerics (surrounding spaces ignored).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        if s.len() == 5 && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(BlastId(s.to_owned()))
        } else {
            Err(IdError::BlastId)
        }
    }
}
string_id!(BlastId);

/// The agency's TIP-I identifier: `AGP` + its 5-digit transmission number (`AGP12345`)
/// *(model: derived from the seed example)*.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TipiId(String);

impl TipiId {
    /// Parses `AGP` + 5 digits; the prefix is accepted in any case and stored upper-case.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        match split_agp(s) {
            Some(digits) if all_digits(digits, 5) => Ok(TipiId(format!("AGP{digits}"))),
            _ => Err(IdError::TipiId),
        }
    }

    /// The identifier RAMQ creates for an agency at enrolment.
    pub fn from_transmission(transmission: &TransmissionNumber) -> Self {
        TipiId(format!("AGP{}", transmission.as_str()))
    }

    /// The transmission number this identifier is made of.
    pub fn transmission_number(&self) -> TransmissionNumber {
        TransmissionNumber(self.0[3..].to_owned())
    }
}
string_id!(TipiId);

fn split_agp(s: &str) -> Option<&str> {
    if s.len() >= 3 && s.is_char_boundary(3) && s[..3].eq_ignore_ascii_case("AGP") {
        Some(&s[3..])
    } else {
        None
    }
}

/// The clientele a registered software developer serves, implied by its developer number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clientele {
    /// Médecins omnipraticiens and médecins spécialistes (`AGP16xxx`).
    Physicians,
    /// Optométristes (`AGP17xxx`).
    Optometrists,
    /// Chirurgiens dentistes, spécialistes en chirurgie buccale et maxillo-faciale and
    /// denturologistes (`AGP18xxx`).
    Dentists,
}

impl Clientele {
    /// The two digits after `AGP` in developer numbers of this clientele.
    pub fn developer_series(self) -> &'static str {
        match self {
            Clientele::Physicians => "16",
            Clientele::Optometrists => "17",
            Clientele::Dentists => "18",
        }
    }

    /// Name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Clientele::Physicians => lang.pick("Médecins", "Physicians"),
            Clientele::Optometrists => lang.pick("Optométristes", "Optometrists"),
            Clientele::Dentists => lang.pick(
                "Dentistes, chirurgiens buccaux et denturologistes",
                "Dentists, oral surgeons and denturologists",
            ),
        }
    }
}

/// A registered software developer's number (*no_devpr_logcl*): `AGP16xxx` (physicians),
/// `AGP17xxx` (optometrists) or `AGP18xxx` (dentists, oral surgeons, denturologists).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DeveloperNumber(String);

impl DeveloperNumber {
    /// Parses `AGP1[678]` + 3 digits; the prefix is accepted in any case.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        match split_agp(s) {
            Some(digits) if all_digits(digits, 5) && matches!(&digits[..2], "16" | "17" | "18") => {
                Ok(DeveloperNumber(format!("AGP{digits}")))
            }
            _ => Err(IdError::DeveloperNumber),
        }
    }

    /// The clientele this number was issued for.
    pub fn clientele(&self) -> Clientele {
        match &self.0[3..5] {
            "16" => Clientele::Physicians,
            "17" => Clientele::Optometrists,
            // parse() admits only 16, 17 and 18.
            _ => Clientele::Dentists,
        }
    }
}
string_id!(DeveloperNumber);

/// The professional's RAMQ number (*id_prof*): exactly 6 digits *(model)*.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProfessionalNumber(String);

impl ProfessionalNumber {
    /// Parses 6 digits (surrounding spaces ignored).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        if all_digits(s, 6) {
            Ok(ProfessionalNumber(s.to_owned()))
        } else {
            Err(IdError::ProfessionalNumber)
        }
    }
}
string_id!(ProfessionalNumber);

/// The agency's *numéro d'attestation*: the number of a sent batch file, strictly increasing
/// and never reused (a reused one is refused with the next expected number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct AttestationNumber(u32);

impl AttestationNumber {
    /// Any number from 1 up.
    pub fn new(value: u32) -> Result<Self, IdError> {
        if value == 0 {
            Err(IdError::AttestationNumber)
        } else {
            Ok(AttestationNumber(value))
        }
    }

    /// The first attestation number of an agency: 1.
    pub fn first() -> Self {
        AttestationNumber(1)
    }

    /// Parses decimal digits (surrounding spaces ignored).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::AttestationNumber);
        }
        s.parse::<u32>()
            .map_err(|_| IdError::AttestationNumber)
            .and_then(AttestationNumber::new)
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }

    /// The number after this one; `None` only past `u32::MAX`, which no agency reaches.
    pub fn next(self) -> Option<Self> {
        self.0.checked_add(1).map(AttestationNumber)
    }

    /// The next number expected after the last accepted one (`None`: nothing accepted yet).
    pub fn expected_after(last: Option<Self>) -> Option<Self> {
        match last {
            None => Some(Self::first()),
            Some(last) => last.next(),
        }
    }

    /// Whether this number may follow `last`: strictly greater (gaps allowed, reuse refused).
    pub fn may_follow(self, last: Option<Self>) -> bool {
        last.is_none_or(|last| self > last)
    }
}

impl fmt::Display for AttestationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for AttestationNumber {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        AttestationNumber::parse(s)
    }
}

impl TryFrom<u32> for AttestationNumber {
    type Error = IdError;
    fn try_from(value: u32) -> Result<Self, IdError> {
        AttestationNumber::new(value)
    }
}

impl From<AttestationNumber> for u32 {
    fn from(n: AttestationNumber) -> u32 {
        n.0
    }
}

/// The sender's unique request number (`no_dem_ext`): 1 to 15 digits, not zero *(model:
/// RAMQ's known clients send a millisecond timestamp)*. Uniqueness across the agency's history
/// is the store's job; this type only guarantees the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u64")]
pub struct ExternalRequestNumber(u64);

impl ExternalRequestNumber {
    /// The largest accepted value (15 digits).
    pub const MAX: u64 = 999_999_999_999_999;

    /// Any number from 1 to [`Self::MAX`].
    pub fn new(value: u64) -> Result<Self, IdError> {
        if (1..=Self::MAX).contains(&value) {
            Ok(ExternalRequestNumber(value))
        } else {
            Err(IdError::ExternalRequestNumber)
        }
    }

    /// Parses 1 to 15 decimal digits (surrounding spaces ignored).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim();
        if s.is_empty() || s.len() > 15 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::ExternalRequestNumber);
        }
        s.parse::<u64>()
            .map_err(|_| IdError::ExternalRequestNumber)
            .and_then(ExternalRequestNumber::new)
    }

    /// The number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for ExternalRequestNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::str::FromStr for ExternalRequestNumber {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        ExternalRequestNumber::parse(s)
    }
}

impl TryFrom<u64> for ExternalRequestNumber {
    type Error = IdError;
    fn try_from(value: u64) -> Result<Self, IdError> {
        ExternalRequestNumber::new(value)
    }
}

impl From<ExternalRequestNumber> for u64 {
    fn from(n: ExternalRequestNumber) -> u64 {
        n.0
    }
}

#[cfg(test)]
mod tests;
