//! The CSV import fuzz target's property over its committed seed corpus
//! (`fuzz/corpus/csv_import`).

#[path = "../../../fuzz/properties/corpus.rs"]
mod corpus;
#[path = "../../../fuzz/properties/csv_import.rs"]
mod csv_import;

#[test]
fn csv_import_corpus_holds_the_fuzz_property() {
    corpus::replay(env!("CARGO_MANIFEST_DIR"), "csv_import", csv_import::check);
}
