//! The NAM fuzz target's property over its committed seed corpus (`fuzz/corpus/nam`).

#[path = "../../../fuzz/properties/corpus.rs"]
mod corpus;
#[path = "../../../fuzz/properties/nam.rs"]
mod nam;

#[test]
fn nam_corpus_holds_the_fuzz_property() {
    corpus::replay(env!("CARGO_MANIFEST_DIR"), "nam", nam::check);
}
