#![no_main]

#[path = "../properties/xml.rs"]
mod property;

use tipi_protocol::statement::EtatCompte;

libfuzzer_sys::fuzz_target!(|data: &[u8]| property::check::<EtatCompte>(data));
