//! Opening Tipi for a command: environment, data directory, where TIP-I is (an embedded
//! sandbox, a running one, or RAMQ), the keychain and the clock.

use std::sync::Arc;

use tipi_core::local::{default_data_dir, Endpoint, LocalConfig};
use tipi_core::{Clock, Environment, KeyringSecrets, ManualClock, SystemClock, Tipi};
use tipi_sandbox::{Sandbox, SandboxConfig, SandboxHandle};

use crate::args::Cli;
use crate::exit::Failure;

/// Where TIP-I is when nothing is configured: any network command then fails as
/// unreachable, offline ones work.
const NOWHERE: &str = "https://tipi.invalid";

/// An open engine, and the embedded sandbox serving it (if any), stopped on drop.
pub(crate) struct Opened {
    pub(crate) tipi: Tipi,
    pub(crate) sandbox: Option<SandboxHandle>,
}

pub(crate) async fn open(cli: &Cli) -> Result<Opened, Failure> {
    let environment = Environment::from_setting(Some(&cli.environment));
    if environment == Environment::Production
        && (cli.sandbox_dir.is_some() || cli.sandbox_url.is_some() || cli.ca_cert.is_some())
    {
        return Err(Failure::Usage(
            "the sandbox options cannot be used with the production environment".into(),
        ));
    }
    if environment == Environment::Production && cli.now.is_some() {
        return Err(Failure::Usage("--now is for the sandbox only".into()));
    }
    let mut sandbox = None;
    let endpoint = match environment {
        Environment::Production => Endpoint {
            url: cli.url.clone().unwrap_or_else(|| NOWHERE.into()),
            ca_pem: None,
        },
        Environment::Sandbox => match (&cli.sandbox_dir, &cli.sandbox_url) {
            (Some(dir), _) => {
                let handle = Sandbox::start(SandboxConfig::new(dir)).await.map_err(|e| {
                    Failure::Usage(format!("the embedded sandbox did not start: {e}"))
                })?;
                let endpoint = Endpoint {
                    url: handle.base_url(),
                    ca_pem: Some(handle.ca_cert_pem().as_bytes().to_vec()),
                };
                sandbox = Some(handle);
                endpoint
            }
            (None, Some(url)) => {
                let ca_pem = match &cli.ca_cert {
                    Some(path) => Some(std::fs::read(path).map_err(|e| {
                        Failure::Usage(format!("cannot read the CA certificate: {e}"))
                    })?),
                    None => None,
                };
                Endpoint {
                    url: url.clone(),
                    ca_pem,
                }
            }
            (None, None) => Endpoint {
                url: NOWHERE.into(),
                ca_pem: None,
            },
        },
    };
    let config = LocalConfig {
        environment,
        data_dir: cli.data_dir.clone().unwrap_or_else(default_data_dir),
        endpoint,
    };
    let clock: Arc<dyn Clock> = match cli.now {
        Some(now) => Arc::new(ManualClock::at(now)),
        None => Arc::new(SystemClock),
    };
    let tipi = tipi_core::local::open_with(&config, Arc::new(KeyringSecrets), clock).await?;
    Ok(Opened { tipi, sandbox })
}
