//! The app's state, built once at start: the engine (tipi-core) over the local store, the
//! keychain and TIP-I. With no RAMQ configuration the sandbox runs embedded on loopback, and
//! the app's clock follows the sandbox's, so a sandbox moved in time moves the whole app.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use tipi_core::local::{self, Endpoint, LocalConfig};
use tipi_core::{Clock, CoreError, Environment, KeyringSecrets, Lang, SystemClock, Tipi};
use tipi_sandbox::{Sandbox, SandboxConfig, SandboxHandle};

/// Configuration read from the environment at start.
#[derive(Debug, Clone)]
pub(crate) struct AppConfig {
    pub(crate) environment: Environment,
    /// `TIPI_DATA_DIR`, or the platform's data directory.
    pub(crate) data_dir: PathBuf,
    /// `TIPI_SANDBOX_PORT`: a fixed loopback port for the embedded sandbox (tests).
    pub(crate) sandbox_port: Option<u16>,
    /// `TIPI_SANDBOX_ADMIN_TOKEN`: the embedded sandbox's admin token (tests).
    pub(crate) sandbox_admin_token: Option<String>,
    /// `TIPI_PRODUCTION_URL`: RAMQ's TIP-I address (production only).
    pub(crate) production_url: Option<String>,
}

impl AppConfig {
    pub(crate) fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let data_dir = var("TIPI_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(local::default_data_dir);
        // The environment variables win over the choice saved in the settings.
        let saved = crate::choice::load(&data_dir);
        let environment = match var("TIPI_ENV") {
            Some(value) => Environment::from_setting(Some(&value)),
            None => saved
                .as_ref()
                .map_or(Environment::Sandbox, |c| c.environment),
        };
        Self {
            environment,
            sandbox_port: var("TIPI_SANDBOX_PORT").and_then(|p| p.parse().ok()),
            sandbox_admin_token: var("TIPI_SANDBOX_ADMIN_TOKEN"),
            production_url: var("TIPI_PRODUCTION_URL")
                .or_else(|| saved.and_then(|c| c.production_url)),
            data_dir,
        }
    }
}

/// The embedded sandbox's clock, so the app and its TIP-I agree on "now".
struct SandboxClock(Arc<SandboxHandle>);

impl Clock for SandboxClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.now()
    }
}

/// Everything the commands share.
pub(crate) struct AppState {
    pub(crate) tipi: Tipi,
    /// Where the data of both environments lives.
    pub(crate) data_dir: PathBuf,
    /// The embedded sandbox, kept for the app's lifetime (sandbox environment only).
    _sandbox: Option<Arc<SandboxHandle>>,
    pub(crate) lang: RwLock<Lang>,
    /// The enrolment in progress, if any (its id at TIP-I).
    pub(crate) enrolment: Mutex<Option<String>>,
    /// Held while transmitting: the page and the background tick never send at once.
    pub(crate) sending: tokio::sync::Mutex<()>,
    /// Closing the window keeps Tipi in the tray (a setting, off by default).
    pub(crate) keep_running: std::sync::atomic::AtomicBool,
}

/// Why the app could not start.
#[derive(Debug)]
pub(crate) enum StartError {
    Sandbox(String),
    Core(CoreError),
    NoProductionUrl,
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sandbox(e) => write!(f, "the embedded sandbox could not start: {e}"),
            Self::Core(e) => write!(f, "{e}"),
            Self::NoProductionUrl => {
                f.write_str("production needs TIPI_PRODUCTION_URL (RAMQ's TIP-I address)")
            }
        }
    }
}

impl std::error::Error for StartError {}

impl AppState {
    pub(crate) async fn start(config: AppConfig) -> Result<Self, StartError> {
        let (endpoint, clock, sandbox): (Endpoint, Arc<dyn Clock>, _) = match config.environment {
            Environment::Sandbox => {
                let mut sandbox_config = SandboxConfig::new(config.data_dir.join("sandbox-server"));
                if let Some(port) = config.sandbox_port {
                    sandbox_config.bind.set_port(port);
                }
                sandbox_config.admin_token = config.sandbox_admin_token.clone();
                let handle = Sandbox::start(sandbox_config)
                    .await
                    .map_err(|e| StartError::Sandbox(e.to_string()))?;
                let handle = Arc::new(handle);
                let endpoint = Endpoint {
                    url: handle.base_url(),
                    ca_pem: Some(handle.ca_cert_pem().as_bytes().to_vec()),
                };
                (
                    endpoint,
                    Arc::new(SandboxClock(handle.clone())),
                    Some(handle),
                )
            }
            Environment::Production => {
                let url = config
                    .production_url
                    .clone()
                    .ok_or(StartError::NoProductionUrl)?;
                (Endpoint { url, ca_pem: None }, Arc::new(SystemClock), None)
            }
        };
        let local = LocalConfig {
            environment: config.environment,
            data_dir: config.data_dir.clone(),
            endpoint,
        };
        let tipi = local::open_with(&local, Arc::new(KeyringSecrets), clock)
            .await
            .map_err(StartError::Core)?;
        let lang = match tipi.store().setting(tipi_store::settings::LANGUAGE).await {
            Ok(Some(l)) if l == "en" => Lang::En,
            _ => Lang::Fr,
        };
        let keep_running = matches!(
            tipi.store().setting(crate::tray::KEEP_RUNNING).await,
            Ok(Some(v)) if v == "true"
        );
        Ok(Self {
            tipi,
            data_dir: config.data_dir.clone(),
            _sandbox: sandbox,
            lang: RwLock::new(lang),
            enrolment: Mutex::new(None),
            sending: tokio::sync::Mutex::new(()),
            keep_running: keep_running.into(),
        })
    }

    pub(crate) fn lang(&self) -> Lang {
        *self.lang.read().expect("language lock")
    }
}
