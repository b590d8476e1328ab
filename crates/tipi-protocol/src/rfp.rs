//! One payment request (`dem_paimt`) and its receivability answer (`dem_paimt_recev`), in
//! RAMQ's vocabulary. The same types travel alone (*en direct*) and inside a batch
//! ([`crate::lot`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::xml::{xml_list, XmlError, XmlMessage};

mod write;

pub(crate) use write::SenderCache;
pub use write::{
    DemPaimtRef, FactRef, IntervenantRef, LigneFactRef, LogclFactRef, ModaPaimtRef, PersAvecIdtRef,
    PersObjetFactRef, PersSansIdtRef,
};

xml_list!(read_only list_fact, "fact");
xml_list!(read_only list_pers, "pers_objet_fact");
xml_list!(read_only list_ligne, "ligne_fact");
xml_list!(list_msg, "msg_expl_recev");
xml_list!(list_fact_recev, "fact_recev");
xml_list!(list_ligne_recev, "ligne_fact_recev");

/// The version of this XML vocabulary, sent in `logcl_fact/no_versi_xml_dem`.
pub const XML_VERSION: &str = "1.0";

/// The billing software that sent a message (`logcl_fact`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LogclFact {
    /// The developer's number, e.g. `AGP16001`.
    pub no_devpr_logcl: String,
    /// The developer's name.
    pub nom_devpr_logcl: String,
    /// The software's name.
    pub nom_logcl_fact: String,
    /// The software's version.
    pub no_versi_logcl_fact: String,
    /// The version of the XML vocabulary ([`XML_VERSION`]).
    pub no_versi_xml_dem: String,
}

/// A party to a request (`demdr`, `exped_difrn_demdr`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Intervenant {
    /// The kind of identifier: `1` professional number, `2` agency (TIP-I id).
    pub typ_id_intvn: String,
    /// The identifier.
    pub id_intvn: String,
}

/// How the payment is made (`moda_paimt`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ModaPaimt {
    /// `1` the professional's personal account, `2` an administrative account.
    pub typ_moda_paimt: String,
    /// The administrative account, with `typ_moda_paimt` = 2.
    #[serde(default)]
    pub no_cpte_admin: Option<String>,
}

/// A payment request (`dem_paimt`): one or more invoices of one professional.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DemPaimt {
    /// The sender's unique request number (`no_dem_ext`).
    pub no_dem_ext: String,
    /// The software that built the request.
    pub logcl_fact: LogclFact,
    /// The requester: the professional (`typ_id_intvn` 1).
    pub demdr: Intervenant,
    /// The sender when it is not the requester: the agency (`typ_id_intvn` 2).
    #[serde(default)]
    pub exped_difrn_demdr: Option<Intervenant>,
    /// How the payment is made.
    pub moda_paimt: ModaPaimt,
    /// The invoices (`liste_fact/fact`).
    #[serde(deserialize_with = "list_fact::deserialize")]
    pub liste_fact: Vec<Fact>,
}

impl XmlMessage for DemPaimt {
    const ROOT: &'static str = "dem_paimt";

    fn write_xml(&self, out: &mut Vec<u8>) -> Result<(), XmlError> {
        self.with_view(|request| request.write_document(out));
        Ok(())
    }
}

impl DemPaimt {
    /// The sum of every line's claimed amount.
    pub fn total(&self) -> Decimal {
        self.liste_fact.iter().map(Fact::total).sum()
    }
}

/// One invoice (`fact`): the project's model of a claim on the wire.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Fact {
    /// The sender's invoice number, unique for the agency (`no_fact_ext`).
    pub no_fact_ext: String,
    /// The remuneration system: `RFP`, `RPV`, `RPS` or `RMX` (`typ_remun`, project model).
    pub typ_remun: String,
    /// The clientele: `physicians`, `optometrists` or `dentists` (`typ_clien`, project model).
    pub typ_clien: String,
    /// The professional (`prof`).
    pub prof: Prof,
    /// The place of consultation code (`lieu_consi`).
    pub lieu_consi: String,
    /// `true` when the professional claims an exception to the 90-day limit (`ind_hors_dela`).
    #[serde(default)]
    pub ind_hors_dela: bool,
    /// The patient (`liste_pers_objet_fact/pers_objet_fact`): exactly one in this model.
    #[serde(deserialize_with = "list_pers::deserialize")]
    pub liste_pers_objet_fact: Vec<PersObjetFact>,
    /// The billed lines (`liste_ligne_fact/ligne_fact`).
    #[serde(deserialize_with = "list_ligne::deserialize")]
    pub liste_ligne_fact: Vec<LigneFact>,
}

impl Fact {
    /// The sum of the lines' claimed amounts.
    pub fn total(&self) -> Decimal {
        self.liste_ligne_fact.iter().map(|line| line.mnt_prcu).sum()
    }
}

/// The professional of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Prof {
    /// The professional's RAMQ number (`id_prof`).
    pub id_prof: String,
}

/// The person an invoice is about: with a NAM or, for a newborn or a person without a card,
/// without one. Exactly one of the two is present.
#[derive(Clone, PartialEq, Eq, Default, Deserialize)]
pub struct PersObjetFact {
    /// A patient identified by NAM.
    #[serde(default)]
    pub pers_patnt_avec_idt: Option<PersAvecIdt>,
    /// A patient identified by name, birth date and sex.
    #[serde(default)]
    pub pers_patnt_sans_idt: Option<PersSansIdt>,
}

impl std::fmt::Debug for PersObjetFact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Patient identity never reaches logs.
        f.write_str("PersObjetFact(<redacted>)")
    }
}

/// A patient identified by NAM (`pers_patnt_avec_idt`).
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct PersAvecIdt {
    /// The NAM (`id_pers`), 12 characters.
    pub id_pers: String,
    /// The surname (`nom_pers`).
    pub nom_pers: String,
    /// The first name (`pren_pers`).
    pub pren_pers: String,
}

/// A patient without NAM (`pers_patnt_sans_idt`).
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct PersSansIdt {
    /// The surname.
    pub nom_pers: String,
    /// The first name.
    pub pren_pers: String,
    /// The birth date, `YYYY-MM-DD` (`dat_nais_pers`).
    pub dat_nais_pers: String,
    /// `M` or `F` (`cod_sexe_pers`).
    pub cod_sexe_pers: String,
}

/// One billed line (`ligne_fact`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LigneFact {
    /// The line number within the invoice, from 1 (`no_ligne_fact`).
    pub no_ligne_fact: u32,
    /// The billing code (`id_elm_fact`).
    pub id_elm_fact: String,
    /// The service date, `YYYY-MM-DD` (`dat_serv_elm_fact`).
    pub dat_serv_elm_fact: String,
    /// The professional's role code (`cod_role`).
    pub cod_role: String,
    /// The number of units (`qte_unit`).
    pub qte_unit: u32,
    /// The amount claimed (`mnt_prcu`).
    #[serde(deserialize_with = "crate::xml::decimal::deserialize")]
    pub mnt_prcu: Decimal,
}

/// Receivable or not (`sta_recev`): written as `1` or `2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaRecev {
    /// `1`: receivable (recevable).
    Receivable,
    /// `2`: not receivable (non recevable).
    NotReceivable,
}

impl StaRecev {
    /// The wire value.
    pub fn code(self) -> u8 {
        match self {
            Self::Receivable => 1,
            Self::NotReceivable => 2,
        }
    }
}

impl Serialize for StaRecev {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.code())
    }
}

impl<'de> Deserialize<'de> for StaRecev {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match u8::deserialize(deserializer)? {
            1 => Ok(Self::Receivable),
            2 => Ok(Self::NotReceivable),
            other => Err(serde::de::Error::custom(format!(
                "sta_recev must be 1 or 2, not {other}"
            ))),
        }
    }
}

/// An explanatory message (`msg_expl_recev`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MsgExplRecev {
    /// The message code (`cod_msg_expl_recev`), see [`crate::messages`].
    pub cod_msg_expl_recev: String,
    /// The message text in French (`txt_msg_expl_recev`).
    pub txt_msg_expl_recev: String,
    /// The element the message is about, as a path in the request
    /// (`elm_msg_expl_recev`, project model; e.g. `liste_ligne_fact[0].dat_serv_elm_fact`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elm_msg_expl_recev: Option<String>,
}

/// The receivability of one payment request (`dem_paimt_recev`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemPaimtRecev {
    /// The sender's request number, echoed.
    pub no_dem_ext: String,
    /// `1` when every invoice is receivable, else `2`.
    pub sta_recev: StaRecev,
    /// Messages about the request as a whole.
    #[serde(with = "list_msg")]
    pub liste_msg_expl_recev: Vec<MsgExplRecev>,
    /// One answer per invoice, in the request's order.
    #[serde(with = "list_fact_recev")]
    pub liste_fact_recev: Vec<FactRecev>,
}

impl XmlMessage for DemPaimtRecev {
    const ROOT: &'static str = "dem_paimt_recev";

    fn write_xml(&self, out: &mut Vec<u8>) -> Result<(), XmlError> {
        crate::xml::write_with_serde(self, out)
    }
}

/// The receivability of one invoice (`fact_recev`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactRecev {
    /// The sender's invoice number, echoed.
    pub no_fact_ext: String,
    /// Receivable or not.
    pub sta_recev: StaRecev,
    /// RAMQ's invoice number, when receivable (needed to modify or cancel it later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_fact_ramq: Option<String>,
    /// The communication token, when receivable (needed with `no_fact_ramq`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jeton_comm: Option<String>,
    /// `false` when the invoice was received while the agency was in its test period: it will
    /// never be paid and must be sent again after going live (`ind_compt_paimt`, project model).
    pub ind_compt_paimt: bool,
    /// Messages about this invoice (why it is not receivable, or warnings).
    #[serde(with = "list_msg")]
    pub liste_msg_expl_recev: Vec<MsgExplRecev>,
    /// The preliminary amount per line, when receivable.
    #[serde(with = "list_ligne_recev")]
    pub liste_ligne_fact_recev: Vec<LigneFactRecev>,
}

/// The preliminary amount of one line (`ligne_fact_recev`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LigneFactRecev {
    /// The line number, echoed.
    pub no_ligne_fact: u32,
    /// The preliminary amount (`mnt_prel`).
    #[serde(with = "crate::xml::decimal")]
    pub mnt_prel: Decimal,
    /// How it was computed (`formu_expl`), e.g. `2 x 25.00`.
    pub formu_expl: String,
}

impl std::fmt::Debug for PersAvecIdt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersAvecIdt(<redacted>)")
    }
}

impl std::fmt::Debug for PersSansIdt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersSansIdt(<redacted>)")
    }
}
