//! Every problem tipi-domain can report has its own RAMQ-style message code, so a claim the
//! client would refuse comes back from the server with a precise code, not "other".

use tipi_domain::claim::ProblemCode;
use tipi_protocol::messages::{for_problem, OTHER};

#[test]
fn every_domain_problem_has_its_own_message_code() {
    for code in ProblemCode::ALL {
        let message = for_problem(code.as_str());
        assert_ne!(message.code, OTHER.code, "{code}");
        assert_eq!(message.key, code.as_str());
    }
}
