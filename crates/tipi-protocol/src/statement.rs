//! The statement of account of one billing cycle (`etat_compte`).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::xml::{xml_list, XmlMessage};

xml_list!(list_fact_paye, "fact_paye");

/// What RAMQ pays an agency for one cycle: the receivable invoices received in production
/// up to the cycle's cut-off, with amounts under the minimum carried forward.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EtatCompte {
    /// The agency's transmission number.
    pub no_trans: String,
    /// The cycle's number (`no_cycle`), as in the billing calendar.
    pub no_cycle: u32,
    /// The cycle's first day.
    pub dat_deb_cycle: NaiveDate,
    /// The cycle's last day.
    pub dat_fin_cycle: NaiveDate,
    /// The cut-off date for receipt (`dat_limi_recep`).
    pub dat_limi_recep: NaiveDate,
    /// The payment date (`dat_paimt`).
    pub dat_paimt: NaiveDate,
    /// Carried forward from earlier cycles (`mnt_report_anter`).
    #[serde(with = "crate::xml::decimal")]
    pub mnt_report_anter: Decimal,
    /// The sum of this cycle's invoices (`mnt_fact_cycle`).
    #[serde(with = "crate::xml::decimal")]
    pub mnt_fact_cycle: Decimal,
    /// Paid on `dat_paimt` (`mnt_paye`): zero when under the minimum.
    #[serde(with = "crate::xml::decimal")]
    pub mnt_paye: Decimal,
    /// Carried forward to the next cycle (`mnt_report_suiv`).
    #[serde(with = "crate::xml::decimal")]
    pub mnt_report_suiv: Decimal,
    /// The invoices of this cycle.
    #[serde(with = "list_fact_paye")]
    pub liste_fact_paye: Vec<FactPaye>,
}

impl XmlMessage for EtatCompte {
    const ROOT: &'static str = "etat_compte";

    fn write_xml(&self, out: &mut Vec<u8>) -> Result<(), crate::xml::XmlError> {
        crate::xml::write_with_serde(self, out)
    }
}

/// One invoice on a statement (`fact_paye`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactPaye {
    /// RAMQ's invoice number.
    pub no_fact_ramq: String,
    /// The sender's invoice number.
    pub no_fact_ext: String,
    /// The attestation number of the batch that carried it (0 for *en direct*).
    pub no_attes: u32,
    /// The day it was received, in Québec.
    pub dat_recep: NaiveDate,
    /// The amount accepted (`mnt_acpt`): the sum of its preliminary amounts.
    #[serde(with = "crate::xml::decimal")]
    pub mnt_acpt: Decimal,
}
