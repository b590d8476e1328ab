//! The sandbox's model of RAMQ's processing. Claim rules come from tipi-domain; what is here
//! is only what RAMQ knows and a client cannot: its reference tables, its history of
//! received invoices, the published calendar, the statements.

pub(crate) mod cycles;
pub(crate) mod receivability;
pub(crate) mod statements;
pub(crate) mod status;
pub(crate) mod tables;
