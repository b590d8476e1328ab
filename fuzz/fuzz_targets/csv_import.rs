#![no_main]

#[path = "../properties/csv_import.rs"]
mod property;

libfuzzer_sys::fuzz_target!(|data: &[u8]| property::check(data));
