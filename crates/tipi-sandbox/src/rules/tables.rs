//! RAMQ's reference tables, as a small sandbox sample (docs/protocol.md lists them): the
//! billing codes with their clientele and unit price, and the known places of consultation.

use rust_decimal::Decimal;
use tipi_domain::ids::Clientele;

/// One billing code of the sample tariff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BillingCode {
    pub(crate) code: &'static str,
    pub(crate) clientele: Clientele,
    /// Unit price in cents (the preliminary amount is units x price).
    pub(crate) cents: i64,
    pub(crate) label: &'static str,
}

impl BillingCode {
    pub(crate) fn price(&self) -> Decimal {
        Decimal::new(self.cents, 2)
    }
}

pub(crate) const BILLING_CODES: &[BillingCode] = &[
    BillingCode {
        code: "00001",
        clientele: Clientele::Physicians,
        cents: 4500,
        label: "Examen ordinaire",
    },
    BillingCode {
        code: "00020",
        clientele: Clientele::Physicians,
        cents: 1525,
        label: "Acte technique",
    },
    BillingCode {
        code: "00103",
        clientele: Clientele::Physicians,
        cents: 1250,
        label: "Visite de suivi",
    },
    BillingCode {
        code: "08857",
        clientele: Clientele::Physicians,
        cents: 6000,
        label: "Consultation",
    },
    BillingCode {
        code: "09001",
        clientele: Clientele::Optometrists,
        cents: 4800,
        label: "Examen oculovisuel complet",
    },
    BillingCode {
        code: "09002",
        clientele: Clientele::Optometrists,
        cents: 3000,
        label: "Examen partiel",
    },
    BillingCode {
        code: "01000",
        clientele: Clientele::Dentists,
        cents: 3500,
        label: "Examen dentaire",
    },
    BillingCode {
        code: "01300",
        clientele: Clientele::Dentists,
        cents: 1800,
        label: "Radiographie",
    },
];

/// Places of consultation known to the sandbox.
pub(crate) const PLACES: &[(&str, &str)] = &[
    ("99999", "Cabinet privé"),
    ("95010", "CLSC"),
    ("02403", "Centre hospitalier"),
    ("07703", "Domicile de la personne"),
];

pub(crate) fn billing_code(code: &str, clientele: Clientele) -> Option<&'static BillingCode> {
    BILLING_CODES
        .iter()
        .find(|entry| entry.code == code.trim() && entry.clientele == clientele)
}

pub(crate) fn place_known(place: &str) -> bool {
    PLACES.iter().any(|(code, _)| *code == place.trim())
}
