//! Property of the CSV import: whatever the text, reading does not panic, rejected rows are
//! named in increasing order, and the claims read, written back as CSV, read back the same
//! with nothing rejected (no cell is lost or altered on the way in).

use tipi_core::intake::{parse_csv, CSV_COLUMNS};
use tipi_domain::claim::{Claim, Patient};
use tipi_domain::ids::Clientele;

pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (claims, rejected) = parse_csv(text, Clientele::Physicians);
    assert!(
        rejected.windows(2).all(|pair| pair[0].row < pair[1].row),
        "rows in order"
    );
    assert!(rejected.iter().all(|r| r.row >= 1));
    let written = write_csv(&claims);
    let (again, rejected_again) = parse_csv(&written, Clientele::Physicians);
    assert!(rejected_again.is_empty(), "claims written back read back");
    assert_eq!(again, claims, "read, written, read again");
}

fn write_csv(claims: &[Claim]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS).expect("header");
    for claim in claims {
        let Patient::WithNam {
            nam,
            surname,
            first_name,
        } = &claim.patient
        else {
            panic!("an imported claim names its patient by NAM");
        };
        let [line] = claim.lines.as_slice() else {
            panic!("an imported claim has one line");
        };
        let date = line.service_date.format("%Y-%m-%d").to_string();
        writer
            .write_record([
                nam.as_str(),
                surname,
                first_name,
                &claim.professional,
                &claim.place,
                &line.billing_code,
                &date,
                &line.role,
                &line.units.to_string(),
                &line.amount.to_string(),
            ])
            .expect("record");
    }
    String::from_utf8(writer.into_inner().expect("flush")).expect("UTF-8 in, UTF-8 out")
}
