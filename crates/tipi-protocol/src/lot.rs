//! A batch of payment requests sent *en différé* (`lot_dem_paimt`) and its receivability
//! return (`lot_dem_paimt_recev`).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::rfp::{DemPaimt, DemPaimtRecev, DemPaimtRef, LogclFact, LogclFactRef, SenderCache};
use crate::xml::{tag, XmlError, XmlMessage, XmlWriter};

/// A batch: the envelope with its trailer (count and total), then the requests.
#[derive(Debug, Clone, PartialEq, Deserialize)]
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
    #[serde(deserialize_with = "crate::xml::decimal::deserialize")]
    pub mnt_total: Decimal,
    /// The requests, each a `dem_paimt` element.
    #[serde(rename = "dem_paimt", default)]
    pub dem_paimt: Vec<DemPaimt>,
}

impl XmlMessage for LotDemPaimt {
    const ROOT: &'static str = "lot_dem_paimt";

    fn write_xml(&self, out: &mut Vec<u8>) -> Result<(), XmlError> {
        let header = LotHeader {
            no_trans: &self.no_trans,
            no_attes: self.no_attes,
            logcl_fact: self.logcl_fact.view(),
            nbr_dem: self.nbr_dem,
            mnt_total: self.mnt_total,
        };
        let mut lot = LotWriter::start(out, &header);
        for request in &self.dem_paimt {
            request.with_view(|request| lot.dem_paimt(request));
        }
        lot.finish();
        Ok(())
    }
}

/// What a batch's XML holds before its requests: the envelope and the trailer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LotHeader<'a> {
    /// `no_trans`.
    pub no_trans: &'a str,
    /// `no_attes`.
    pub no_attes: u32,
    /// `logcl_fact`.
    pub logcl_fact: LogclFactRef<'a>,
    /// Trailer: `nbr_dem`, the number of requests that will follow.
    pub nbr_dem: u32,
    /// Trailer: `mnt_total`, the sum of their lines' claimed amounts.
    pub mnt_total: Decimal,
}

/// Writes a `lot_dem_paimt` document one request at a time, so that a batch of any size is
/// written without holding a copy of its requests: [`LotWriter::start`] writes the envelope and
/// trailer, [`LotWriter::dem_paimt`] each request, [`LotWriter::finish`] the end.
pub struct LotWriter<'o> {
    xml: XmlWriter<'o>,
    /// Where the first request starts.
    requests_start: usize,
    /// How many requests were written.
    requests: usize,
    /// Who sends the requests, written once.
    senders: SenderCache,
}

impl<'o> LotWriter<'o> {
    /// Appends the declaration, the envelope and the trailer to `out`.
    pub fn start(out: &'o mut Vec<u8>, header: &LotHeader<'_>) -> Self {
        let mut xml = XmlWriter::start(out, LotDemPaimt::ROOT);
        xml.str(tag!("no_trans"), header.no_trans);
        xml.number(tag!("no_attes"), header.no_attes);
        header.logcl_fact.write(&mut xml);
        xml.number(tag!("nbr_dem"), header.nbr_dem);
        xml.decimal(tag!("mnt_total"), header.mnt_total);
        let requests_start = xml.len();
        Self {
            xml,
            requests_start,
            requests: 0,
            senders: SenderCache::default(),
        }
    }

    /// Appends one request.
    pub fn dem_paimt(&mut self, request: &DemPaimtRef<'_>) {
        request.write_element(&mut self.xml, &mut self.senders);
        self.requests += 1;
    }

    /// Reserves room for `requests` more requests the size of those written so far, plus an
    /// eighth: a batch's requests are alike, so a large batch's buffer is allocated once
    /// instead of growing by doubling (and copying) to tens of megabytes.
    pub fn reserve_like_written(&mut self, requests: usize) {
        let written = self.xml.len() - self.requests_start;
        let average = written / self.requests.max(1);
        let estimate = average.saturating_mul(requests);
        self.xml.reserve(estimate.saturating_add(estimate / 8));
    }

    /// Ends the document.
    pub fn finish(self) {
        self.xml.finish(LotDemPaimt::ROOT);
    }
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

    fn write_xml(&self, out: &mut Vec<u8>) -> Result<(), XmlError> {
        crate::xml::write_with_serde(self, out)
    }
}
