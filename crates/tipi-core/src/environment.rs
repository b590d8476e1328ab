//! Which TIP-I Tipi talks to. The two environments never share data or secrets.

use serde::{Deserialize, Serialize};

/// The TIP-I environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// The sandbox (a model of RAMQ's test environment): the default, safe to try everything.
    Sandbox,
    /// RAMQ's real TIP-I: only by explicit choice.
    Production,
}

impl Environment {
    /// Reads a setting such as `TIPI_ENV`; anything but `production` means the sandbox.
    pub fn from_setting(value: Option<&str>) -> Self {
        match value {
            Some(v) if v.trim().eq_ignore_ascii_case("production") => Self::Production,
            _ => Self::Sandbox,
        }
    }

    /// A short stable name, used in file names and keychain namespaces.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sandbox => "sandbox",
            Self::Production => "production",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_unless_production_is_chosen() {
        assert_eq!(Environment::from_setting(None), Environment::Sandbox);
        assert_eq!(
            Environment::from_setting(Some("prod")),
            Environment::Sandbox
        );
        assert_eq!(
            Environment::from_setting(Some(" Production ")),
            Environment::Production
        );
        assert_ne!(
            Environment::Sandbox.as_str(),
            Environment::Production.as_str()
        );
    }
}
