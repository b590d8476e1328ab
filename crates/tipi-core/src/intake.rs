//! Getting claims in: the entry form's save (the invoice number assigned when left blank, Ready
//! as soon as nothing blocks it, Draft otherwise so nothing typed is lost) and CSV import.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tipi_domain::claim::{has_errors, Claim, ClaimLine, Patient, RemunerationSystem};
use tipi_domain::ids::Clientele;
use tipi_store::claims::ClaimId;

use crate::claims::ClaimView;
use crate::engine::Tipi;
use crate::error::CoreResult;

const EXTERNAL_ID_COUNTER: &str = "claims.next_external_id";

/// The columns of an imported CSV file, in order (a header row with these names is skipped).
pub const CSV_COLUMNS: [&str; 10] = [
    "nam",
    "nom",
    "prenom",
    "professionnel",
    "lieu",
    "code",
    "date",
    "role",
    "unites",
    "montant",
];

/// A CSV row that could not become a claim, with why (never its content: it holds a NAM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// 1-based line number in the file.
    pub row: usize,
    /// The column that could not be read (`date`, `montant`...), or `None` for the row shape.
    pub column: Option<&'static str>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Claims created (Ready, or Draft with their problems listed).
    pub imported: Vec<ClaimView>,
    /// Rows that could not be read.
    pub rejected: Vec<RejectedRow>,
}

impl Tipi {
    /// Saves the entry form: creates (`id` None) or replaces a claim, numbering it when its
    /// invoice number is blank, and makes it Ready when nothing blocks it. With blocking
    /// problems it stays a Draft and the problems come back, nothing lost.
    pub async fn save_claim(&self, id: Option<ClaimId>, mut claim: Claim) -> CoreResult<ClaimView> {
        if claim.external_id.trim().is_empty() {
            claim.external_id = self.next_external_id().await?;
        }
        let view = match id {
            Some(id) => self.update_claim(id, claim).await?,
            None => self.create_claim(claim).await?,
        };
        if has_errors(&view.problems) {
            return Ok(view);
        }
        self.mark_ready(view.stored.id).await
    }

    /// A new invoice number (`no_fact_ext`) for this agency: `T` and a counter taken before
    /// use, so a crash skips a number and never reuses one.
    pub async fn next_external_id(&self) -> CoreResult<String> {
        let next = match self.store.setting(EXTERNAL_ID_COUNTER).await? {
            Some(text) => text.parse::<u64>().unwrap_or(1),
            None => 1,
        };
        self.store
            .set_setting(EXTERNAL_ID_COUNTER, &(next + 1).to_string())
            .await?;
        Ok(format!("T{next:06}"))
    }

    /// Imports one claim per CSV row ([`CSV_COLUMNS`]): every readable row is saved as the
    /// entry form would save it; unreadable rows are reported by number and column.
    pub async fn import_csv(&self, text: &str, clientele: Clientele) -> CoreResult<ImportReport> {
        let (claims, rejected) = parse_csv(text, clientele);
        let mut report = ImportReport {
            imported: Vec::with_capacity(claims.len()),
            rejected,
        };
        for claim in claims {
            report.imported.push(self.save_claim(None, claim).await?);
        }
        Ok(report)
    }
}

/// Reads CSV text ([`CSV_COLUMNS`], an optional header row, blank rows skipped) into claims,
/// in file order, and the rows that could not be read. Pure: [`Tipi::import_csv`] saves what
/// this returns, and the fuzz target `csv_import` checks it.
pub fn parse_csv(text: &str, clientele: Clientele) -> (Vec<Claim>, Vec<RejectedRow>) {
    let mut claims = Vec::new();
    let mut rejected = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    for (index, record) in reader.records().enumerate() {
        let row = index + 1;
        let Ok(record) = record else {
            rejected.push(RejectedRow { row, column: None });
            continue;
        };
        if record.iter().all(str::is_empty) || is_header(&record) {
            continue;
        }
        match claim_from_row(&record, clientele) {
            Ok(claim) => claims.push(claim),
            Err(column) => rejected.push(RejectedRow { row, column }),
        }
    }
    (claims, rejected)
}

fn is_header(record: &csv::StringRecord) -> bool {
    record
        .get(0)
        .is_some_and(|first| first.eq_ignore_ascii_case(CSV_COLUMNS[0]))
}

fn claim_from_row(
    record: &csv::StringRecord,
    clientele: Clientele,
) -> Result<Claim, Option<&'static str>> {
    if record.len() != CSV_COLUMNS.len() {
        return Err(None);
    }
    let cell = |i: usize| record.get(i).unwrap_or_default().to_owned();
    let service_date =
        NaiveDate::parse_from_str(&cell(6), "%Y-%m-%d").map_err(|_| Some(CSV_COLUMNS[6]))?;
    let units = cell(8).parse::<u32>().map_err(|_| Some(CSV_COLUMNS[8]))?;
    let amount = cell(9)
        .replace(',', ".")
        .parse::<Decimal>()
        .map_err(|_| Some(CSV_COLUMNS[9]))?;
    Ok(Claim {
        external_id: String::new(),
        professional: cell(3),
        place: cell(4),
        patient: Patient::WithNam {
            nam: cell(0),
            surname: cell(1),
            first_name: cell(2),
        },
        remuneration: RemunerationSystem::Rfp,
        clientele,
        late_allowed: false,
        lines: vec![ClaimLine {
            billing_code: cell(5),
            service_date,
            role: cell(7),
            units,
            amount,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{offline_tipi, valid_claim};
    use tipi_store::claims::ClaimState;

    #[tokio::test]
    async fn a_blank_invoice_number_is_assigned_and_a_valid_claim_is_ready() {
        let (tipi, _clock) = offline_tipi().await;
        let first = tipi.save_claim(None, valid_claim("")).await.unwrap();
        let second = tipi.save_claim(None, valid_claim(" ")).await.unwrap();
        assert_eq!(first.stored.state, ClaimState::Ready);
        assert_eq!(first.stored.claim.external_id, "T000001");
        assert_eq!(second.stored.claim.external_id, "T000002");
    }

    #[tokio::test]
    async fn an_invalid_claim_is_kept_as_a_draft_with_its_problems_then_fixed() {
        let (tipi, _clock) = offline_tipi().await;
        let mut claim = valid_claim("A-1");
        claim.patient = Patient::WithNam {
            nam: "TREM04121935".into(),
            surname: String::new(),
            first_name: String::new(),
        };
        let saved = tipi.save_claim(None, claim.clone()).await.unwrap();
        assert_eq!(saved.stored.state, ClaimState::Draft);
        assert!(saved
            .problems
            .iter()
            .any(|p| p.code.as_str() == "nam_check_digit" && p.field == "patient.nam"));
        let fixed = tipi
            .save_claim(Some(saved.stored.id), valid_claim("A-1"))
            .await
            .unwrap();
        assert_eq!(fixed.stored.id, saved.stored.id);
        assert_eq!(fixed.stored.state, ClaimState::Ready);
    }

    #[tokio::test]
    async fn csv_rows_become_claims_and_unreadable_rows_are_named() {
        let (tipi, _clock) = offline_tipi().await;
        let csv = "nam,nom,prenom,professionnel,lieu,code,date,role,unites,montant\n\
                   TREJ85531510,Tremblay,Julie,123456,99999,00001,2026-03-09,1,1,\"45,00\"\n\
                   TREJ85531510,Tremblay,Julie,123456,99999,00001,09/03/2026,1,1,45.00\n\
                   TREM04121935,Tremblay,Marc,123456,99999,00001,2026-03-09,1,1,45.00\n\
                   too,short\n";
        let report = tipi.import_csv(csv, Clientele::Physicians).await.unwrap();
        let states: Vec<ClaimState> = report.imported.iter().map(|v| v.stored.state).collect();
        assert_eq!(states, [ClaimState::Ready, ClaimState::Draft]);
        assert_eq!(
            report.imported[0].stored.claim.lines[0].amount.to_string(),
            "45.00"
        );
        assert_eq!(
            report.rejected,
            [
                RejectedRow {
                    row: 3,
                    column: Some("date")
                },
                RejectedRow {
                    row: 5,
                    column: None
                },
            ]
        );
    }
}
