//! A batch of payment requests sent *en différé* (`lot_dem_paimt`) and its receivability
//! return (`lot_dem_paimt_recev`).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::rfp::{DemPaimt, DemPaimtRecev, LogclFact};
use crate::xml::XmlMessage;

/// A batch: the envelope with its trailer (count and total), then the requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LotDemPaimt {
    /// The agency's transmission number, 5 digits (`no_trans`).
    pub no_trans: String,
    /// The agency's attestation number: exactly the next one the server expects (`no_attes`).
    pub no_attes: u32,
    /// The software that built the batch.
    pub logcl_fact: LogclFact,
    /// Trailer: the number of `dem_paimt` in the batch (`nbr_dem`).
    pub nbr_dem: u32,
    /// Trailer: the sum of every line's claimed amount (`mnt_total`).
    #[serde(with = "crate::xml::decimal")]
    pub mnt_total: Decimal,
    /// The requests, each a `dem_paimt` element.
    #[serde(rename = "dem_paimt", default)]
    pub dem_paimt: Vec<DemPaimt>,
}

impl XmlMessage for LotDemPaimt {
    const ROOT: &'static str = "lot_dem_paimt";
}

impl LotDemPaimt {
    /// Builds a batch whose trailer matches its content.
    pub fn new(
        no_trans: String,
        no_attes: u32,
        logcl_fact: LogclFact,
        dem_paimt: Vec<DemPaimt>,
    ) -> Self {
        let nbr_dem = u32::try_from(dem_paimt.len()).unwrap_or(u32::MAX);
        let mnt_total = dem_paimt.iter().map(DemPaimt::total).sum();
        Self {
            no_trans,
            no_attes,
            logcl_fact,
            nbr_dem,
            mnt_total,
            dem_paimt,
        }
    }

    /// The number of requests actually present.
    pub fn actual_count(&self) -> u32 {
        u32::try_from(self.dem_paimt.len()).unwrap_or(u32::MAX)
    }

    /// The total actually present.
    pub fn actual_total(&self) -> Decimal {
        self.dem_paimt.iter().map(DemPaimt::total).sum()
    }
}

/// The receivability return of a batch, available all at once from `dat_dispo`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LotDemPaimtRecev {
    /// The agency's transmission number, echoed.
    pub no_trans: String,
    /// The batch's attestation number, echoed.
    pub no_attes: u32,
    /// When the server received the batch (UTC, RFC 3339) (`dat_recep`).
    pub dat_recep: DateTime<Utc>,
    /// When the return became available (`dat_dispo`).
    pub dat_dispo: DateTime<Utc>,
    /// `true` when the agency was in production at reception: the receivable invoices count
    /// for payment (`ind_prodc`).
    pub ind_prodc: bool,
    /// The number of requests received.
    pub nbr_dem: u32,
    /// How many were receivable (`sta_recev` 1).
    pub nbr_dem_recev: u32,
    /// How many were not (`sta_recev` 2).
    pub nbr_dem_non_recev: u32,
    /// One answer per request, in the batch's order.
    #[serde(rename = "dem_paimt_recev", default)]
    pub dem_paimt_recev: Vec<DemPaimtRecev>,
}

impl XmlMessage for LotDemPaimtRecev {
    const ROOT: &'static str = "lot_dem_paimt_recev";
}
