//! Placeholder: filled in by its own issue.

/// The crate's name, so the skeleton has one real item to test.
pub const CRATE: &str = env!("CARGO_PKG_NAME");

#[cfg(test)]
mod tests {
    #[test]
    fn crate_name_is_set() {
        assert!(super::CRATE.starts_with("tipi-"));
    }
}
