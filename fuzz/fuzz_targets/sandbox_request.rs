#![no_main]

#[path = "../properties/sandbox_request.rs"]
mod property;

libfuzzer_sys::fuzz_target!(|data: &[u8]| property::check(data));
