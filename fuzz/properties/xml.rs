//! Property of the XML codec: whatever the input, reading does not panic, and a message it
//! accepts is written without error and reads back equal, the second writing byte for byte the
//! first (what the client stores is what it reads back).

use std::fmt::Debug;

use tipi_protocol::XmlMessage;

pub(crate) fn check<M: XmlMessage + PartialEq + Debug>(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(first) = M::from_xml(text) else {
        return;
    };
    let written = first.to_xml().expect("a message read can be written");
    let second = M::from_xml(&written).expect("a message written reads back");
    assert_eq!(first, second, "read, written, read again");
    assert_eq!(second.to_xml().expect("writes"), written, "stable writing");
}
