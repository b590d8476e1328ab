//! The SQL of the store's history reads, for tools that run the very same statements
//! elsewhere: the history benchmark times them through the `sqlite3` shell on the same file
//! as its floor. Parameters are numbered (`?1`, `?2`...) in the order of the matching
//! [`Store`](crate::Store) method's arguments.

use crate::claims::{claims_json, BY_NAM_PREFIX, BY_SERVICE_DATE};

/// [`Store::claims_with_service_between`](crate::Store::claims_with_service_between):
/// `?1` first day, `?2` last day, `?3` limit.
pub fn claims_served_between() -> String {
    claims_json(BY_SERVICE_DATE)
}

/// [`Store::search_claims_by_nam`](crate::Store::search_claims_by_nam): `?1` the normalized
/// prefix, `?2` the prefix followed by `~`, `?3` limit.
pub fn claims_by_nam_prefix() -> String {
    claims_json(BY_NAM_PREFIX)
}

/// [`Store::statements_for_cycle`](crate::Store::statements_for_cycle): `?1` the cycle.
pub fn statements_of_cycle() -> &'static str {
    crate::statements::BY_CYCLE
}

/// [`Store::exchanges_between`](crate::Store::exchanges_between): `?1` from, `?2` until
/// (instants as RFC 3339 text).
pub fn exchanges_between() -> &'static str {
    crate::exchanges::BETWEEN
}
