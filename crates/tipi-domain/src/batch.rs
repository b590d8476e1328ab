//! Batches (*lots*) of claims sent *en différé*.
//!
//! A batch carries the agency's transmission number, its *numéro d'attestation*, the software
//! identity and the claims, with their count and total as a trailer check. [`Batch::build`]
//! refuses a batch holding any claim with a blocking problem and says which claims and why.
//! Whether the attestation number follows the last accepted one is checked against history by
//! the caller ([`AttestationNumber::may_follow`]).

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::claim::{duplicate_external_ids, validate, Claim, Problem, ProblemCode};
use crate::ids::{AttestationNumber, DeveloperNumber, TransmissionNumber};
use crate::lang::Lang;

/// The most requests one batch carries (docs/protocol.md §2.3). Ready claims beyond it wait for
/// the next batch: a batch refused whole for a structural error (trailer, sequence) then holds
/// at most this many claims, and its upload stays far below the body limit
/// (`tipi_protocol::MAX_BODY_BYTES`).
pub const MAX_CLAIMS: usize = 5_000;

/// The billing software as it identifies itself to RAMQ (`logcl_fact`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoftwareIdentity {
    /// The developer's number (`no_devpr_logcl`), which fixes the clientele.
    pub developer: DeveloperNumber,
    /// Software name (`nom_logcl_fact`).
    pub name: String,
    /// Software version (`no_versi_logcl_fact`).
    pub version: String,
}

/// The problems of one claim of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimProblems {
    /// Position of the claim in the batch, from 0.
    pub index: usize,
    /// The claim's `external_id` (*no_fact_ext*), trimmed, as the user knows it.
    pub external_id: String,
    /// Its problems (errors and warnings).
    pub problems: Vec<Problem>,
}

/// Why a batch cannot be built. Names claims by external id only, never patient data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BatchError {
    /// No claim.
    #[error("a batch needs at least one claim")]
    Empty,
    /// Software name or version is blank.
    #[error("the software name and version are required")]
    SoftwareIdentity,
    /// More claims than [`MAX_CLAIMS`].
    #[error("a batch holds at most {MAX_CLAIMS} claims, not {0}")]
    TooManyClaims(usize),
    /// Some claims have blocking problems; only those claims are listed.
    #[error("the batch is refused: {} invalid claim(s): {}", .0.len(), external_ids(.0))]
    InvalidClaims(Vec<ClaimProblems>),
}

fn external_ids(claims: &[ClaimProblems]) -> String {
    claims
        .iter()
        .map(|c| {
            if c.external_id.is_empty() {
                format!("#{}", c.index + 1)
            } else {
                c.external_id.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl BatchError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            BatchError::Empty => "batch_empty",
            BatchError::SoftwareIdentity => "batch_software_identity",
            BatchError::TooManyClaims(_) => "batch_too_large",
            BatchError::InvalidClaims(_) => "batch_invalid_claims",
        }
    }

    /// User-facing summary in `lang` (details are in the listed claims' problems).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            BatchError::Empty => lang
                .pick(
                    "Le lot doit contenir au moins une demande.",
                    "The batch must contain at least one claim.",
                )
                .to_owned(),
            BatchError::SoftwareIdentity => lang
                .pick(
                    "Le nom et la version du logiciel sont obligatoires.",
                    "The software name and version are required.",
                )
                .to_owned(),
            BatchError::TooManyClaims(count) => match lang {
                Lang::Fr => format!("Un lot contient au plus {MAX_CLAIMS} demandes, pas {count}."),
                Lang::En => format!("A batch holds at most {MAX_CLAIMS} claims, not {count}."),
            },
            BatchError::InvalidClaims(claims) => match lang {
                Lang::Fr => format!(
                    "Le lot est refusé : {} demande(s) invalide(s) : {}.",
                    claims.len(),
                    external_ids(claims)
                ),
                Lang::En => format!(
                    "The batch is refused: {} invalid claim(s): {}.",
                    claims.len(),
                    external_ids(claims)
                ),
            },
        }
    }
}

/// A batch ready to send: every claim passed validation on the build date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batch {
    transmission: TransmissionNumber,
    attestation: AttestationNumber,
    software: SoftwareIdentity,
    claims: Vec<Claim>,
    warnings: Vec<ClaimProblems>,
}

impl Batch {
    /// Builds a batch for sending on local date `today`. Each claim is validated
    /// ([`crate::claim::validate`]) plus two batch rules: `external_id` unique in the batch, and
    /// the claim's clientele equal to the software developer's. Any blocking problem refuses
    /// the whole batch with every offending claim listed; warnings are kept in
    /// [`Batch::warnings`].
    pub fn build(
        transmission: TransmissionNumber,
        attestation: AttestationNumber,
        software: SoftwareIdentity,
        claims: Vec<Claim>,
        today: NaiveDate,
    ) -> Result<Batch, BatchError> {
        if claims.is_empty() {
            return Err(BatchError::Empty);
        }
        if claims.len() > MAX_CLAIMS {
            return Err(BatchError::TooManyClaims(claims.len()));
        }
        if software.name.trim().is_empty() || software.version.trim().is_empty() {
            return Err(BatchError::SoftwareIdentity);
        }
        let duplicates = duplicate_external_ids(&claims);
        let clientele = software.developer.clientele();
        let mut invalid = Vec::new();
        let mut warnings = Vec::new();
        for (index, claim) in claims.iter().enumerate() {
            let mut problems = validate(claim, today);
            if duplicates.contains(&index) {
                problems.push(Problem::new(
                    ProblemCode::ExternalIdDuplicate,
                    "external_id",
                ));
            }
            if claim.clientele != clientele {
                problems.push(Problem::new(ProblemCode::ClienteleMismatch, "clientele"));
            }
            if problems.is_empty() {
                continue;
            }
            let entry = ClaimProblems {
                index,
                external_id: claim.external_id.trim().to_owned(),
                problems,
            };
            if entry.problems.iter().any(Problem::is_error) {
                invalid.push(entry);
            } else {
                warnings.push(entry);
            }
        }
        if !invalid.is_empty() {
            return Err(BatchError::InvalidClaims(invalid));
        }
        Ok(Batch {
            transmission,
            attestation,
            software,
            claims,
            warnings,
        })
    }

    /// The agency's transmission number.
    pub fn transmission(&self) -> &TransmissionNumber {
        &self.transmission
    }

    /// The batch's attestation number.
    pub fn attestation(&self) -> AttestationNumber {
        self.attestation
    }

    /// The sending software.
    pub fn software(&self) -> &SoftwareIdentity {
        &self.software
    }

    /// The claims, in order.
    pub fn claims(&self) -> &[Claim] {
        &self.claims
    }

    /// Claims with warnings only (sent anyway).
    pub fn warnings(&self) -> &[ClaimProblems] {
        &self.warnings
    }

    /// Number of claims (trailer count).
    pub fn count(&self) -> usize {
        self.claims.len()
    }

    /// Sum of all claim totals (trailer total).
    pub fn total(&self) -> Decimal {
        self.claims.iter().map(Claim::total).sum()
    }

    /// Gives the claims back (e.g. to store them as sent).
    pub fn into_claims(self) -> Vec<Claim> {
        self.claims
    }
}

impl fmt::Display for Batch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "batch {} of agency {}: {} claim(s), {} $",
            self.attestation,
            self.transmission,
            self.count(),
            self.total()
        )
    }
}

/// The trailer check a receiver applies: the declared count and total equal the claims'.
pub fn trailer_matches(claims: &[Claim], count: usize, total: Decimal) -> bool {
    claims.len() == count && claims.iter().map(Claim::total).sum::<Decimal>() == total
}

#[cfg(test)]
mod tests;
