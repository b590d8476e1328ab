#![no_main]

#[path = "../properties/xml.rs"]
mod property;

use tipi_protocol::lot::LotDemPaimtRecev;

libfuzzer_sys::fuzz_target!(|data: &[u8]| property::check::<LotDemPaimtRecev>(data));
