//! Writing a payment request (`dem_paimt`): borrowed views of its elements and the one function
//! that writes them. The owned types ([`super::DemPaimt`]...) write through these views; the
//! client builds them straight from its claims, so a batch is written without copying a field.

use std::fmt;

use rust_decimal::Decimal;

use super::{DemPaimt, Fact, Intervenant, LigneFact, LogclFact, PersObjetFact};
use crate::xml::{tag, Tag, Text, XmlMessage, XmlWriter};

/// A borrowed [`LogclFact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogclFactRef<'a> {
    /// `no_devpr_logcl`.
    pub no_devpr_logcl: &'a str,
    /// `nom_devpr_logcl`.
    pub nom_devpr_logcl: &'a str,
    /// `nom_logcl_fact`.
    pub nom_logcl_fact: &'a str,
    /// `no_versi_logcl_fact`.
    pub no_versi_logcl_fact: &'a str,
    /// `no_versi_xml_dem`, normally [`super::XML_VERSION`].
    pub no_versi_xml_dem: &'a str,
}

/// A borrowed [`Intervenant`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntervenantRef<'a> {
    /// `typ_id_intvn`.
    pub typ_id_intvn: &'a str,
    /// `id_intvn`.
    pub id_intvn: &'a str,
}

/// A borrowed [`super::ModaPaimt`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModaPaimtRef<'a> {
    /// `typ_moda_paimt`.
    pub typ_moda_paimt: &'a str,
    /// `no_cpte_admin`, omitted when `None`.
    pub no_cpte_admin: Option<&'a str>,
}

/// A borrowed [`DemPaimt`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemPaimtRef<'a> {
    /// `no_dem_ext`.
    pub no_dem_ext: Text<'a>,
    /// `logcl_fact`.
    pub logcl_fact: LogclFactRef<'a>,
    /// `demdr`.
    pub demdr: IntervenantRef<'a>,
    /// `exped_difrn_demdr`, omitted when `None`.
    pub exped_difrn_demdr: Option<IntervenantRef<'a>>,
    /// `moda_paimt`.
    pub moda_paimt: ModaPaimtRef<'a>,
    /// `liste_fact/fact`.
    pub liste_fact: &'a [FactRef<'a>],
}

/// A borrowed [`Fact`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactRef<'a> {
    /// `no_fact_ext`.
    pub no_fact_ext: &'a str,
    /// `typ_remun`.
    pub typ_remun: &'a str,
    /// `typ_clien`.
    pub typ_clien: &'a str,
    /// `prof/id_prof`.
    pub id_prof: &'a str,
    /// `lieu_consi`.
    pub lieu_consi: &'a str,
    /// `ind_hors_dela`.
    pub ind_hors_dela: bool,
    /// `liste_pers_objet_fact/pers_objet_fact`.
    pub liste_pers_objet_fact: &'a [PersObjetFactRef<'a>],
    /// `liste_ligne_fact/ligne_fact`.
    pub liste_ligne_fact: &'a [LigneFactRef<'a>],
}

/// A borrowed [`PersObjetFact`]. `Debug` is redacted.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct PersObjetFactRef<'a> {
    /// `pers_patnt_avec_idt`, omitted when `None`.
    pub pers_patnt_avec_idt: Option<PersAvecIdtRef<'a>>,
    /// `pers_patnt_sans_idt`, omitted when `None`.
    pub pers_patnt_sans_idt: Option<PersSansIdtRef<'a>>,
}

/// A borrowed [`super::PersAvecIdt`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PersAvecIdtRef<'a> {
    /// `id_pers`: the NAM.
    pub id_pers: &'a str,
    /// `nom_pers`.
    pub nom_pers: &'a str,
    /// `pren_pers`.
    pub pren_pers: &'a str,
}

/// A borrowed [`super::PersSansIdt`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PersSansIdtRef<'a> {
    /// `nom_pers`.
    pub nom_pers: &'a str,
    /// `pren_pers`.
    pub pren_pers: &'a str,
    /// `dat_nais_pers`, `YYYY-MM-DD`.
    pub dat_nais_pers: Text<'a>,
    /// `cod_sexe_pers`.
    pub cod_sexe_pers: &'a str,
}

/// A borrowed [`LigneFact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LigneFactRef<'a> {
    /// `no_ligne_fact`.
    pub no_ligne_fact: u32,
    /// `id_elm_fact`.
    pub id_elm_fact: &'a str,
    /// `dat_serv_elm_fact`, `YYYY-MM-DD`.
    pub dat_serv_elm_fact: Text<'a>,
    /// `cod_role`.
    pub cod_role: &'a str,
    /// `qte_unit`.
    pub qte_unit: u32,
    /// `mnt_prcu`.
    pub mnt_prcu: Decimal,
}

impl fmt::Debug for PersObjetFactRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Patient identity never reaches logs.
        f.write_str("PersObjetFactRef(<redacted>)")
    }
}

impl fmt::Debug for PersAvecIdtRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersAvecIdtRef(<redacted>)")
    }
}

impl fmt::Debug for PersSansIdtRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersSansIdtRef(<redacted>)")
    }
}

impl DemPaimtRef<'_> {
    /// Appends the request as a complete XML document (*en direct*) to `out`.
    pub fn write_document(&self, out: &mut Vec<u8>) {
        let mut xml = XmlWriter::start(out, DemPaimt::ROOT);
        self.write_children(&mut xml);
        xml.finish(DemPaimt::ROOT);
    }

    /// Writes the request as a `dem_paimt` element (inside a batch), who sends it through the
    /// batch's `senders` cache.
    pub(crate) fn write_element(&self, xml: &mut XmlWriter<'_>, senders: &mut SenderCache) {
        xml.open(tag!(DemPaimt::ROOT));
        xml.text(tag!("no_dem_ext"), self.no_dem_ext);
        senders.write(xml, self);
        write_list(xml, tag!("liste_fact"), self.liste_fact, FactRef::write);
        xml.close(tag!(DemPaimt::ROOT));
    }

    fn write_children(&self, xml: &mut XmlWriter<'_>) {
        xml.text(tag!("no_dem_ext"), self.no_dem_ext);
        self.write_sender(xml);
        write_list(xml, tag!("liste_fact"), self.liste_fact, FactRef::write);
    }

    /// Who sends the request: `logcl_fact`, `demdr`, `exped_difrn_demdr`, `moda_paimt`.
    fn write_sender(&self, xml: &mut XmlWriter<'_>) {
        self.logcl_fact.write(xml);
        self.demdr.write(xml, tag!("demdr"));
        if let Some(sender) = &self.exped_difrn_demdr {
            sender.write(xml, tag!("exped_difrn_demdr"));
        }
        xml.open(tag!("moda_paimt"));
        xml.str(tag!("typ_moda_paimt"), self.moda_paimt.typ_moda_paimt);
        if let Some(account) = self.moda_paimt.no_cpte_admin {
            xml.str(tag!("no_cpte_admin"), account);
        }
        xml.close(tag!("moda_paimt"));
    }

    /// The texts [`Self::write_sender`] writes, `None` for an element left out.
    fn sender_fields(&self) -> [Option<&str>; SENDER_FIELDS] {
        let software = &self.logcl_fact;
        let agency = self.exped_difrn_demdr.as_ref();
        [
            Some(software.no_devpr_logcl),
            Some(software.nom_devpr_logcl),
            Some(software.nom_logcl_fact),
            Some(software.no_versi_logcl_fact),
            Some(software.no_versi_xml_dem),
            Some(self.demdr.typ_id_intvn),
            Some(self.demdr.id_intvn),
            agency.map(|agency| agency.typ_id_intvn),
            agency.map(|agency| agency.id_intvn),
            Some(self.moda_paimt.typ_moda_paimt),
            self.moda_paimt.no_cpte_admin,
        ]
    }
}

impl LogclFactRef<'_> {
    /// Writes the `logcl_fact` element.
    pub(crate) fn write(&self, xml: &mut XmlWriter<'_>) {
        xml.open(tag!("logcl_fact"));
        xml.str(tag!("no_devpr_logcl"), self.no_devpr_logcl);
        xml.str(tag!("nom_devpr_logcl"), self.nom_devpr_logcl);
        xml.str(tag!("nom_logcl_fact"), self.nom_logcl_fact);
        xml.str(tag!("no_versi_logcl_fact"), self.no_versi_logcl_fact);
        xml.str(tag!("no_versi_xml_dem"), self.no_versi_xml_dem);
        xml.close(tag!("logcl_fact"));
    }
}

/// How many texts say who sends a request ([`DemPaimtRef::sender_fields`]).
const SENDER_FIELDS: usize = 11;

/// The last request sender a batch wrote, as written. The requests of a batch usually share
/// it (one software, one agency, and for a solo professional one requester and one payment
/// mode): after the first, it is compared (eleven short texts) and copied instead of written
/// element by element, 18 of a request's 45 elements.
#[derive(Debug, Default)]
pub(crate) struct SenderCache {
    /// The texts and the depth it was written for; `None` before the first request.
    written_for: Option<([Option<String>; SENDER_FIELDS], usize)>,
    bytes: Vec<u8>,
}

impl SenderCache {
    fn write(&mut self, xml: &mut XmlWriter<'_>, request: &DemPaimtRef<'_>) {
        let fields = request.sender_fields();
        if let Some((cached, depth)) = &self.written_for {
            if *depth == xml.depth() && cached.iter().zip(fields).all(|(a, b)| a.as_deref() == b) {
                return xml.repeat(&self.bytes);
            }
        }
        let start = xml.len();
        request.write_sender(xml);
        self.bytes.clear();
        self.bytes.extend_from_slice(xml.written_since(start));
        self.written_for = Some((fields.map(|field| field.map(str::to_owned)), xml.depth()));
    }
}

impl IntervenantRef<'_> {
    fn write(&self, xml: &mut XmlWriter<'_>, name: &Tag) {
        xml.open(name);
        xml.str(tag!("typ_id_intvn"), self.typ_id_intvn);
        xml.str(tag!("id_intvn"), self.id_intvn);
        xml.close(name);
    }
}

impl FactRef<'_> {
    fn write(&self, xml: &mut XmlWriter<'_>) {
        xml.open(tag!("fact"));
        xml.str(tag!("no_fact_ext"), self.no_fact_ext);
        xml.str(tag!("typ_remun"), self.typ_remun);
        xml.str(tag!("typ_clien"), self.typ_clien);
        xml.open(tag!("prof"));
        xml.str(tag!("id_prof"), self.id_prof);
        xml.close(tag!("prof"));
        xml.str(tag!("lieu_consi"), self.lieu_consi);
        xml.bool(tag!("ind_hors_dela"), self.ind_hors_dela);
        write_list(
            xml,
            tag!("liste_pers_objet_fact"),
            self.liste_pers_objet_fact,
            PersObjetFactRef::write,
        );
        write_list(
            xml,
            tag!("liste_ligne_fact"),
            self.liste_ligne_fact,
            LigneFactRef::write,
        );
        xml.close(tag!("fact"));
    }
}

impl PersObjetFactRef<'_> {
    fn write(&self, xml: &mut XmlWriter<'_>) {
        const NAME: &Tag = tag!("pers_objet_fact");
        if self.pers_patnt_avec_idt.is_none() && self.pers_patnt_sans_idt.is_none() {
            return xml.empty(NAME);
        }
        xml.open(NAME);
        if let Some(person) = &self.pers_patnt_avec_idt {
            xml.open(tag!("pers_patnt_avec_idt"));
            xml.str(tag!("id_pers"), person.id_pers);
            xml.str(tag!("nom_pers"), person.nom_pers);
            xml.str(tag!("pren_pers"), person.pren_pers);
            xml.close(tag!("pers_patnt_avec_idt"));
        }
        if let Some(person) = &self.pers_patnt_sans_idt {
            xml.open(tag!("pers_patnt_sans_idt"));
            xml.str(tag!("nom_pers"), person.nom_pers);
            xml.str(tag!("pren_pers"), person.pren_pers);
            xml.text(tag!("dat_nais_pers"), person.dat_nais_pers);
            xml.str(tag!("cod_sexe_pers"), person.cod_sexe_pers);
            xml.close(tag!("pers_patnt_sans_idt"));
        }
        xml.close(NAME);
    }
}

impl LigneFactRef<'_> {
    fn write(&self, xml: &mut XmlWriter<'_>) {
        xml.open(tag!("ligne_fact"));
        xml.number(tag!("no_ligne_fact"), self.no_ligne_fact);
        xml.str(tag!("id_elm_fact"), self.id_elm_fact);
        xml.text(tag!("dat_serv_elm_fact"), self.dat_serv_elm_fact);
        xml.str(tag!("cod_role"), self.cod_role);
        xml.number(tag!("qte_unit"), self.qte_unit);
        xml.decimal(tag!("mnt_prcu"), self.mnt_prcu);
        xml.close(tag!("ligne_fact"));
    }
}

/// A wrapper element holding one element per item, `<name/>` when there is none.
fn write_list<T>(
    xml: &mut XmlWriter<'_>,
    name: &Tag,
    items: &[T],
    write: impl Fn(&T, &mut XmlWriter<'_>),
) {
    if items.is_empty() {
        return xml.empty(name);
    }
    xml.open(name);
    for item in items {
        write(item, xml);
    }
    xml.close(name);
}

impl LogclFact {
    /// The borrowed view the writer takes.
    pub fn view(&self) -> LogclFactRef<'_> {
        LogclFactRef {
            no_devpr_logcl: &self.no_devpr_logcl,
            nom_devpr_logcl: &self.nom_devpr_logcl,
            nom_logcl_fact: &self.nom_logcl_fact,
            no_versi_logcl_fact: &self.no_versi_logcl_fact,
            no_versi_xml_dem: &self.no_versi_xml_dem,
        }
    }
}

impl Intervenant {
    fn view(&self) -> IntervenantRef<'_> {
        IntervenantRef {
            typ_id_intvn: &self.typ_id_intvn,
            id_intvn: &self.id_intvn,
        }
    }
}

impl PersObjetFact {
    fn view(&self) -> PersObjetFactRef<'_> {
        PersObjetFactRef {
            pers_patnt_avec_idt: self.pers_patnt_avec_idt.as_ref().map(|p| PersAvecIdtRef {
                id_pers: &p.id_pers,
                nom_pers: &p.nom_pers,
                pren_pers: &p.pren_pers,
            }),
            pers_patnt_sans_idt: self.pers_patnt_sans_idt.as_ref().map(|p| PersSansIdtRef {
                nom_pers: &p.nom_pers,
                pren_pers: &p.pren_pers,
                dat_nais_pers: Text::Str(&p.dat_nais_pers),
                cod_sexe_pers: &p.cod_sexe_pers,
            }),
        }
    }
}

impl LigneFact {
    fn view(&self) -> LigneFactRef<'_> {
        LigneFactRef {
            no_ligne_fact: self.no_ligne_fact,
            id_elm_fact: &self.id_elm_fact,
            dat_serv_elm_fact: Text::Str(&self.dat_serv_elm_fact),
            cod_role: &self.cod_role,
            qte_unit: self.qte_unit,
            mnt_prcu: self.mnt_prcu,
        }
    }
}

impl DemPaimt {
    /// Calls `use_view` with the borrowed view of this request. The view's lists borrow
    /// vectors built here: the owned types are for the sandbox and tests, not the hot path.
    pub fn with_view<R>(&self, use_view: impl FnOnce(&DemPaimtRef<'_>) -> R) -> R {
        let people: Vec<Vec<PersObjetFactRef<'_>>> = self
            .liste_fact
            .iter()
            .map(|fact| {
                let people = &fact.liste_pers_objet_fact;
                people.iter().map(PersObjetFact::view).collect()
            })
            .collect();
        let lines: Vec<Vec<LigneFactRef<'_>>> = self
            .liste_fact
            .iter()
            .map(|fact| fact.liste_ligne_fact.iter().map(LigneFact::view).collect())
            .collect();
        let facts: Vec<FactRef<'_>> = self
            .liste_fact
            .iter()
            .zip(people.iter().zip(&lines))
            .map(|(fact, (people, lines))| fact.view(people, lines))
            .collect();
        use_view(&DemPaimtRef {
            no_dem_ext: Text::Str(&self.no_dem_ext),
            logcl_fact: self.logcl_fact.view(),
            demdr: self.demdr.view(),
            exped_difrn_demdr: self.exped_difrn_demdr.as_ref().map(Intervenant::view),
            moda_paimt: ModaPaimtRef {
                typ_moda_paimt: &self.moda_paimt.typ_moda_paimt,
                no_cpte_admin: self.moda_paimt.no_cpte_admin.as_deref(),
            },
            liste_fact: &facts,
        })
    }
}

impl Fact {
    fn view<'a>(
        &'a self,
        people: &'a [PersObjetFactRef<'a>],
        lines: &'a [LigneFactRef<'a>],
    ) -> FactRef<'a> {
        FactRef {
            no_fact_ext: &self.no_fact_ext,
            typ_remun: &self.typ_remun,
            typ_clien: &self.typ_clien,
            id_prof: &self.prof.id_prof,
            lieu_consi: &self.lieu_consi,
            ind_hors_dela: self.ind_hors_dela,
            liste_pers_objet_fact: people,
            liste_ligne_fact: lines,
        }
    }
}
