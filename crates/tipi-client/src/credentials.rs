//! The agency's TIP-I credentials, sent as HTTP Basic on every authenticated call.

use tipi_domain::ids::TipiId;
use tipi_protocol::Secret;

/// A TIP-I identifier and its password. Debug shows the identifier and `<redacted>`; the
/// password is read only where the `Authorization` header is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `AGP` + the transmission number.
    pub tipi_id: TipiId,
    /// The TIP-I password (current, temporary or expired).
    pub password: Secret,
}

impl Credentials {
    /// Pairs an identifier with its password.
    pub fn new(tipi_id: TipiId, password: impl Into<Secret>) -> Self {
        Self {
            tipi_id,
            password: password.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_password() {
        let credentials = Credentials::new(TipiId::parse("AGP12345").unwrap(), "Secr3tPw");
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("Secr3tPw"), "{shown}");
        assert!(shown.contains("AGP12345"), "{shown}");
    }
}
