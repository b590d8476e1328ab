//! The sandbox request fuzz target's property over its committed seed corpus
//! (`fuzz/corpus/sandbox_request`).

#[path = "../../../fuzz/properties/corpus.rs"]
mod corpus;
#[path = "../../../fuzz/properties/sandbox_request.rs"]
mod sandbox_request;

#[test]
fn sandbox_request_corpus_holds_the_fuzz_property() {
    corpus::replay(
        env!("CARGO_MANIFEST_DIR"),
        "sandbox_request",
        sandbox_request::check,
    );
}

#[test]
fn the_seed_batch_is_accepted() {
    let body = include_str!("../../../fuzz/corpus/sandbox_request/lot_dem_paimt.xml");
    let lot = tipi_sandbox::requests::check_batch_body(body, sandbox_request::TRANSMISSION)
        .expect("the golden batch passes the stateless checks");
    assert!(!lot.dem_paimt.is_empty());
    let mismatch = include_str!("../../../fuzz/corpus/sandbox_request/trailer_mismatch.xml");
    let refused = tipi_sandbox::requests::check_batch_body(mismatch, sandbox_request::TRANSMISSION)
        .expect_err("a wrong trailer is refused");
    assert_eq!(refused.code, tipi_protocol::ErrorCode::TrailerMismatch);
}
