//! The XML fuzz targets' property over their committed seed corpora (`fuzz/corpus`).

#[path = "../../../fuzz/properties/corpus.rs"]
mod corpus;
#[path = "../../../fuzz/properties/xml.rs"]
mod xml;

use tipi_protocol::lot::LotDemPaimtRecev;
use tipi_protocol::statement::EtatCompte;

#[test]
fn receivability_corpus_holds_the_fuzz_property() {
    corpus::replay(
        env!("CARGO_MANIFEST_DIR"),
        "receivability",
        xml::check::<LotDemPaimtRecev>,
    );
}

#[test]
fn statement_corpus_holds_the_fuzz_property() {
    corpus::replay(
        env!("CARGO_MANIFEST_DIR"),
        "statement",
        xml::check::<EtatCompte>,
    );
}
