//! One database file per environment, so sandbox data can never mix with production data.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Which TIP-I the data belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    /// RAMQ's test environment (or Tipi's sandbox).
    Sandbox,
    /// The real TIP-I.
    Production,
}

impl Environment {
    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }

    /// Reads a setting such as `TIPI_ENV`: only `production` (any case, trimmed) means
    /// production; anything else, or nothing, means the sandbox (the safe default).
    pub fn from_setting(value: Option<&str>) -> Self {
        match value {
            Some(v) if v.trim().eq_ignore_ascii_case("production") => Environment::Production,
            _ => Environment::Sandbox,
        }
    }

    /// Parses [`Environment::as_str`]'s output.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sandbox" => Some(Environment::Sandbox),
            "production" => Some(Environment::Production),
            _ => None,
        }
    }

    /// The database file name for this environment, e.g. `tipi-sandbox.sqlite3`.
    pub fn database_file_name(self) -> &'static str {
        match self {
            Environment::Sandbox => "tipi-sandbox.sqlite3",
            Environment::Production => "tipi-production.sqlite3",
        }
    }

    /// The database path inside the platform's data directory (chosen by the caller).
    pub fn database_path(self, data_dir: &Path) -> PathBuf {
        data_dir.join(self.database_file_name())
    }
}

impl fmt::Display for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_environment_has_its_own_file() {
        let dir = Path::new("/data");
        let sandbox = Environment::Sandbox.database_path(dir);
        let production = Environment::Production.database_path(dir);
        assert_ne!(sandbox, production);
        assert_eq!(sandbox, Path::new("/data/tipi-sandbox.sqlite3"));
        assert_eq!(production, Path::new("/data/tipi-production.sqlite3"));
    }

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
    }

    #[test]
    fn names_round_trip() {
        for env in [Environment::Sandbox, Environment::Production] {
            assert_eq!(Environment::parse(env.as_str()), Some(env));
        }
        assert_eq!(Environment::parse("prod"), None);
    }
}
