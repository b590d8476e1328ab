//! Property of the NAM parser: whatever the input, parsing does not panic, and a NAM it
//! accepts reads back to itself from its wire form and its card form, and is the one
//! `Nam::build` makes from its decoded parts (so the check digit and the century agree).

use tipi_domain::nam::Nam;

pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(nam) = Nam::parse(text) else {
        return;
    };
    assert_eq!(Nam::parse(nam.as_str()).as_ref(), Ok(&nam), "wire form");
    assert_eq!(Nam::parse(&nam.formatted()).as_ref(), Ok(&nam), "card form");
    let admin = nam.as_str().chars().nth(10).expect("12 characters");
    let built = Nam::build(nam.prefix(), nam.birth_date(), nam.sex(), admin);
    assert_eq!(built.as_ref(), Ok(&nam), "built from its parts");
}
