//! Sample values for tests, in this crate and (feature `test-support`) in the crates above it:
//! one place for the claim every layer's tests bill.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::claim::{Claim, ClaimLine, Patient, RemunerationSystem};
use crate::ids::Clientele;

/// The day [`claim`]'s service was given: Monday 9 March 2026.
pub fn service_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 9).expect("a calendar date")
}

/// A valid claim the sandbox judges receivable (its tariff: code 00001 at place 99999), with
/// external id `external_id`: a physician's RFP claim for a patient with a NAM, one line of
/// 45.00 $ served on [`service_date`].
pub fn claim(external_id: &str) -> Claim {
    Claim {
        external_id: external_id.into(),
        professional: "123456".into(),
        place: "99999".into(),
        patient: Patient::WithNam {
            nam: "TREJ85531510".into(),
            surname: "Tremblay".into(),
            first_name: "Julie".into(),
        },
        remuneration: RemunerationSystem::Rfp,
        clientele: Clientele::Physicians,
        late_allowed: false,
        lines: vec![ClaimLine {
            billing_code: "00001".into(),
            service_date: service_date(),
            role: "1".into(),
            units: 1,
            amount: Decimal::new(4500, 2),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::validate;

    #[test]
    fn the_sample_claim_is_valid_the_day_after_its_service() {
        let claim = claim("F-1");
        let next_day = service_date().succ_opt().unwrap();
        assert_eq!(validate(&claim, next_day), vec![]);
        assert_eq!(claim.external_id, "F-1");
        assert_eq!(claim.total(), Decimal::new(4500, 2));
    }
}
