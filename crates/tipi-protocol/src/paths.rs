//! Endpoint paths. Every TIP-I path starts with [`BASE`]; the sandbox's admin API with
//! [`ADMIN_BASE`]. Paths with a parameter have a function that fills it and an axum-style
//! pattern (`{name}`) for routers.

/// The base of every TIP-I endpoint.
pub const BASE: &str = "/tipi/v1";
/// The base of the legacy BLAST endpoint (modelled only to show it closes after enrolment).
pub const BLAST_BASE: &str = "/blast/v1";
/// The base of the sandbox-only admin API.
pub const ADMIN_BASE: &str = "/admin/v1";

/// POST: start a self-enrolment (no auth).
pub const ENROLMENT: &str = "/tipi/v1/enrolment";
/// GET: an enrolment's current step.
pub const ENROLMENT_ONE: &str = "/tipi/v1/enrolment/{id}";
/// POST: step 1, the BLAST-returns warning (`continue` / `quit`).
pub const ENROLMENT_WARNING: &str = "/tipi/v1/enrolment/{id}/warning";
/// POST: step 2, the RAMQ policy (`accept` / `refuse`).
pub const ENROLMENT_POLICY: &str = "/tipi/v1/enrolment/{id}/policy";
/// POST: step 3, authentication with the three BLAST values.
pub const ENROLMENT_AUTHENTICATION: &str = "/tipi/v1/enrolment/{id}/authentication";
/// POST: step 4-5, the chosen TIP-I password, typed twice.
pub const ENROLMENT_PASSWORD: &str = "/tipi/v1/enrolment/{id}/password";
/// GET (Basic): the agency's session: status, password expiry.
pub const SESSION: &str = "/tipi/v1/session";
/// POST (Basic, current password even if expired or temporary): change the password.
pub const PASSWORD: &str = "/tipi/v1/password";
/// POST (Basic): send a batch (`lot_dem_paimt`).
pub const BATCHES: &str = "/tipi/v1/batches";
/// GET (Basic): a batch's state, by attestation number.
pub const BATCH_ONE: &str = "/tipi/v1/batches/{no_attes}";
/// GET (Basic): a batch's receivability return (`lot_dem_paimt_recev`).
pub const BATCH_RETURNS: &str = "/tipi/v1/batches/{no_attes}/returns";
/// POST (Basic): one request *en direct* (`dem_paimt` -> `dem_paimt_recev`).
pub const DIRECT: &str = "/tipi/v1/direct";
/// GET (Basic): the exchange journal.
pub const JOURNAL: &str = "/tipi/v1/journal";
/// GET (no auth): the billing calendar.
pub const CALENDAR: &str = "/tipi/v1/calendar";
/// GET (Basic): the statements available.
pub const STATEMENTS: &str = "/tipi/v1/statements";
/// GET (Basic): one cycle's statement (`etat_compte`).
pub const STATEMENT_ONE: &str = "/tipi/v1/statements/{no_cycle}";
/// GET (Basic with transmission number and BLAST password): the legacy BLAST login.
pub const BLAST_SESSION: &str = "/blast/v1/session";

/// GET/PUT: the sandbox clock.
pub const ADMIN_CLOCK: &str = "/admin/v1/clock";
/// POST: seed an agency.
pub const ADMIN_AGENCIES: &str = "/admin/v1/agencies";
/// GET: an agency's internal state.
pub const ADMIN_AGENCY_ONE: &str = "/admin/v1/agencies/{transmission}";
/// POST: reactivate a suspended agency (support's phone call).
pub const ADMIN_REACTIVATE: &str = "/admin/v1/agencies/{transmission}/reactivate";
/// POST: add, GET: list, DELETE: clear maintenance windows.
pub const ADMIN_MAINTENANCE: &str = "/admin/v1/maintenance";
/// PUT: set, GET: list, DELETE: clear injected faults.
pub const ADMIN_FAULTS: &str = "/admin/v1/faults";
/// GET: every exchange of every agency (load tests check for lost or doubled ones).
pub const ADMIN_EXCHANGES: &str = "/admin/v1/exchanges";

/// [`ENROLMENT_ONE`] for one enrolment.
pub fn enrolment(id: &str) -> String {
    format!("{ENROLMENT}/{id}")
}

/// [`ENROLMENT_WARNING`] for one enrolment.
pub fn enrolment_warning(id: &str) -> String {
    format!("{ENROLMENT}/{id}/warning")
}

/// [`ENROLMENT_POLICY`] for one enrolment.
pub fn enrolment_policy(id: &str) -> String {
    format!("{ENROLMENT}/{id}/policy")
}

/// [`ENROLMENT_AUTHENTICATION`] for one enrolment.
pub fn enrolment_authentication(id: &str) -> String {
    format!("{ENROLMENT}/{id}/authentication")
}

/// [`ENROLMENT_PASSWORD`] for one enrolment.
pub fn enrolment_password(id: &str) -> String {
    format!("{ENROLMENT}/{id}/password")
}

/// [`BATCH_ONE`] for one attestation number.
pub fn batch(no_attes: u32) -> String {
    format!("{BATCHES}/{no_attes}")
}

/// [`BATCH_RETURNS`] for one attestation number.
pub fn batch_returns(no_attes: u32) -> String {
    format!("{BATCHES}/{no_attes}/returns")
}

/// [`STATEMENT_ONE`] for one cycle.
pub fn statement(no_cycle: u32) -> String {
    format!("{STATEMENTS}/{no_cycle}")
}

/// [`ADMIN_AGENCY_ONE`] for one transmission number.
pub fn admin_agency(transmission: &str) -> String {
    format!("{ADMIN_AGENCIES}/{transmission}")
}

/// [`ADMIN_REACTIVATE`] for one transmission number.
pub fn admin_reactivate(transmission: &str) -> String {
    format!("{ADMIN_AGENCIES}/{transmission}/reactivate")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filled_paths_match_their_patterns() {
        let cases = [
            (ENROLMENT_ONE, enrolment("X"), "{id}"),
            (ENROLMENT_WARNING, enrolment_warning("X"), "{id}"),
            (ENROLMENT_POLICY, enrolment_policy("X"), "{id}"),
            (
                ENROLMENT_AUTHENTICATION,
                enrolment_authentication("X"),
                "{id}",
            ),
            (ENROLMENT_PASSWORD, enrolment_password("X"), "{id}"),
            (BATCH_ONE, batch(7), "{no_attes}"),
            (STATEMENT_ONE, statement(7), "{no_cycle}"),
            (ADMIN_AGENCY_ONE, admin_agency("X"), "{transmission}"),
            (ADMIN_REACTIVATE, admin_reactivate("X"), "{transmission}"),
        ];
        for (pattern, filled, parameter) in cases {
            let value = if parameter.contains("no_") { "7" } else { "X" };
            assert_eq!(pattern.replace(parameter, value), filled);
        }
        assert_eq!(BATCH_RETURNS.replace("{no_attes}", "7"), batch_returns(7));
    }

    #[test]
    fn every_tipi_path_is_under_the_base() {
        for path in [
            ENROLMENT, SESSION, PASSWORD, BATCHES, DIRECT, JOURNAL, CALENDAR, STATEMENTS,
        ] {
            assert!(path.starts_with(BASE), "{path}");
        }
        for path in [
            ADMIN_CLOCK,
            ADMIN_AGENCIES,
            ADMIN_MAINTENANCE,
            ADMIN_FAULTS,
            ADMIN_EXCHANGES,
        ] {
            assert!(path.starts_with(ADMIN_BASE), "{path}");
        }
    }
}
