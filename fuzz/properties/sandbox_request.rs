//! Property of the sandbox's request bodies: whatever the body, reading does not panic; a batch
//! it accepts has a matching trailer, at least one request and a software identity, and its
//! re-written form is accepted as the same batch; a JSON body it refuses gets an answer that
//! gives a position only, never a quote of the body (bodies carry passwords).

use tipi_protocol::service::{BlastAuthentication, PasswordChoice};
use tipi_protocol::{ErrorBody, XmlMessage};
use tipi_sandbox::requests::{check_batch_body, read_json_body};

/// The transmission number of the seed batches (`tests/golden/lot_dem_paimt.xml`).
pub(crate) const TRANSMISSION: &str = "12345";

pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(lot) = check_batch_body(text, TRANSMISSION) {
        assert_eq!(lot.nbr_dem, lot.actual_count(), "trailer count");
        assert_eq!(lot.mnt_total, lot.actual_total(), "trailer total");
        assert!(!lot.dem_paimt.is_empty());
        let written = lot.to_xml().expect("an accepted batch can be written");
        let again = check_batch_body(&written, TRANSMISSION).expect("accepted again");
        assert_eq!(again, lot, "read, written, read again");
    }
    if let Err(error) = read_json_body::<PasswordChoice>(text) {
        assert_position_only(&error);
    }
    if let Err(error) = read_json_body::<BlastAuthentication>(text) {
        assert_position_only(&error);
    }
}

fn assert_position_only(error: &ErrorBody) {
    let rest = error
        .message
        .strip_prefix("Message mal formé : JSON invalide ou incomplet (ligne ")
        .and_then(|rest| rest.strip_suffix(')'))
        .expect("the fixed message");
    let (line, column) = rest.split_once(", colonne ").expect("line and column");
    assert!(line.parse::<usize>().is_ok() && column.parse::<usize>().is_ok());
}
