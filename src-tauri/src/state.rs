//! The app's state, built once at start.

use tipi_core::Environment;

/// Configuration fixed at start: `TIPI_ENV=production` points at RAMQ, anything else at the
/// sandbox.
#[derive(Debug, Clone)]
pub(crate) struct AppConfig {
    pub(crate) environment: Environment,
}

impl AppConfig {
    pub(crate) fn from_env() -> Self {
        Self {
            environment: Environment::from_setting(std::env::var("TIPI_ENV").ok().as_deref()),
        }
    }
}
