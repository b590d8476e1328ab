//! Opening Tipi on a desktop or in the command line: the store in the platform's data
//! directory (one file per environment), the HTTPS transport (trusting the sandbox's CA in the
//! sandbox environment only), the OS keychain and the system clock. The app and the `tipi`
//! command share it; starting an embedded sandbox is the host's choice (it passes the
//! sandbox's URL and CA here).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tipi_client::{ClientConfig, HttpTransport, Transport};
use tipi_store::{Environment, Store};

use crate::engine::{default_software, Tipi, TipiParts};
use crate::error::{CoreError, CoreResult};
use crate::{Clock, KeyringSecrets, SecretStore, SystemClock};

/// Where TIP-I is.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `https://host[:port]`.
    pub url: String,
    /// The CA to trust on top of the system's (the sandbox's `ca.pem`); refused in
    /// production.
    pub ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url)
            .field("ca_pem", &self.ca_pem.as_ref().map(Vec::len))
            .finish()
    }
}

/// The platform's data directory for Tipi (e.g. `~/.local/share/tipi` on Linux).
pub fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("tipi")
}

/// Opens (creating if missing) the database of `environment` in `data_dir`.
pub async fn open_store(data_dir: &Path, environment: Environment) -> CoreResult<Store> {
    Ok(Store::open_in(data_dir, environment).await?)
}

/// The HTTPS transport for `environment`. Production trusts the system's roots only.
pub fn http_transport(
    environment: Environment,
    endpoint: &Endpoint,
) -> CoreResult<Arc<dyn Transport>> {
    let config = match (environment, &endpoint.ca_pem) {
        (Environment::Sandbox, Some(ca)) => ClientConfig::sandbox(endpoint.url.clone(), ca.clone()),
        (Environment::Sandbox, None) => ClientConfig::production(endpoint.url.clone()),
        (Environment::Production, Some(_)) => {
            return Err(CoreError::Remote(tipi_client::ClientError::Configuration(
                "an extra CA certificate is refused in production".into(),
            )))
        }
        (Environment::Production, None) => ClientConfig::production(endpoint.url.clone()),
    };
    Ok(Arc::new(HttpTransport::new(config)?))
}

/// Everything to open Tipi locally.
#[derive(Debug, Clone)]
pub struct LocalConfig {
    /// Sandbox or production.
    pub environment: Environment,
    /// The data directory ([`default_data_dir`] unless told).
    pub data_dir: PathBuf,
    /// Where TIP-I is.
    pub endpoint: Endpoint,
}

/// Opens Tipi with the OS keychain and the system clock.
pub async fn open(config: &LocalConfig) -> CoreResult<Tipi> {
    open_with(config, Arc::new(KeyringSecrets), Arc::new(SystemClock)).await
}

/// Opens Tipi with the given keychain and clock (tests, a sandbox with a moved clock).
pub async fn open_with(
    config: &LocalConfig,
    secrets: Arc<dyn SecretStore>,
    clock: Arc<dyn Clock>,
) -> CoreResult<Tipi> {
    let store = open_store(&config.data_dir, config.environment).await?;
    let transport = http_transport(config.environment, &config.endpoint)?;
    Ok(Tipi::new(TipiParts {
        store,
        transport,
        secrets,
        clock,
        environment: config.environment,
        software: default_software(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn production_refuses_an_extra_ca_and_each_environment_has_its_file() {
        let endpoint = Endpoint {
            url: "https://127.0.0.1:1".into(),
            ca_pem: Some(b"-----BEGIN CERTIFICATE-----".to_vec()),
        };
        let refused = http_transport(Environment::Production, &endpoint)
            .err()
            .unwrap();
        assert_eq!(refused.code(), "Configuration");
        let dir = tempfile::tempdir().unwrap();
        let sandbox = open_store(dir.path(), Environment::Sandbox).await.unwrap();
        sandbox.close().await;
        assert!(Environment::Sandbox.database_path(dir.path()).exists());
        assert!(!Environment::Production.database_path(dir.path()).exists());
    }
}
