//! The app's state, built at start: the engine (tipi-core) over the local store, the
//! keychain and TIP-I. With no RAMQ configuration the sandbox runs embedded on loopback, and
//! the app's clock follows the sandbox's, so a sandbox moved in time moves the whole app.
//!
//! A store that cannot be opened because its key is lost (or its file is unreadable) starts
//! the app in recovery: no [`AppState`] until the user restores a backup or starts fresh
//! (see `commands::backup`), and never an empty database in its place.

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

/// What the app keeps to open (and open again) its store: the configuration and the way to
/// TIP-I (the embedded sandbox, kept for the app's lifetime, in the sandbox environment).
#[derive(Clone)]
pub(crate) struct Backend {
    pub(crate) config: AppConfig,
    endpoint: Endpoint,
    clock: Arc<dyn Clock>,
    _sandbox: Option<Arc<SandboxHandle>>,
}

impl Backend {
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
        Ok(Self {
            config,
            endpoint,
            clock,
            _sandbox: sandbox,
        })
    }

    pub(crate) fn environment(&self) -> Environment {
        self.config.environment
    }

    /// Opens the engine over the store in the data directory. A database whose key is lost
    /// is refused, never replaced ([`CoreError::DatabaseKeyLost`]).
    pub(crate) async fn open(&self) -> Result<Tipi, CoreError> {
        let local = LocalConfig {
            environment: self.config.environment,
            data_dir: self.config.data_dir.clone(),
            endpoint: self.endpoint.clone(),
        };
        local::open_with(&local, Arc::new(KeyringSecrets), self.clock.clone()).await
    }
}

/// The engine the commands use (`state.tipi()`), replaced in place after a restore. Each
/// caller holds its own `Arc`: a command or a reminder tick still running on the replaced
/// engine (its store closed) gets a "closed" error, and the engine is freed when it ends.
pub(crate) struct LiveTipi(RwLock<Arc<Tipi>>);

impl LiveTipi {
    fn new(tipi: Tipi) -> Self {
        Self(RwLock::new(Arc::new(tipi)))
    }

    /// The engine now in place.
    fn current(&self) -> Arc<Tipi> {
        Arc::clone(&self.0.read().expect("engine lock"))
    }

    /// Puts `tipi` in place of the current engine, which the caller closed.
    pub(crate) fn replace(&self, tipi: Tipi) {
        *self.0.write().expect("engine lock") = Arc::new(tipi);
    }
}

/// Everything the commands share once the store is open.
pub(crate) struct AppState {
    pub(crate) engine: LiveTipi,
    /// Where the data of both environments lives.
    pub(crate) data_dir: PathBuf,
    pub(crate) lang: RwLock<Lang>,
    /// The enrolment in progress, if any (its id at TIP-I).
    pub(crate) enrolment: Mutex<Option<String>>,
    /// Held while transmitting: the page and the background tick never send at once (and a
    /// restore waits for a transmission to end).
    pub(crate) sending: tokio::sync::Mutex<()>,
    /// Closing the window keeps Tipi in the tray (a setting, off by default).
    pub(crate) keep_running: std::sync::atomic::AtomicBool,
}

/// Why the store could not be opened at start, when a way back exists: the recovery screen
/// explains it and offers a restore or a fresh start. The app then has no [`AppState`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecoveryReason {
    /// The keychain has no key for the database (or one that does not open it).
    KeyLost,
    /// The database file exists but cannot be read.
    Unreadable,
}

/// The app's state at start: ready, or waiting for the user to recover the local data.
pub(crate) enum Started {
    Ready(Box<AppState>),
    Recovery(RecoveryReason),
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
    /// The engine now in place (see [`LiveTipi`]).
    pub(crate) fn tipi(&self) -> Arc<Tipi> {
        self.engine.current()
    }

    /// Opens the store; a lost key or an unreadable file is a [`Started::Recovery`] (nothing
    /// is created in its place), anything else an error.
    pub(crate) async fn start(backend: &Backend) -> Result<Started, StartError> {
        match backend.open().await {
            Ok(tipi) => Ok(Started::Ready(Box::new(Self::with(tipi, backend).await))),
            Err(CoreError::DatabaseKeyLost) => Ok(Started::Recovery(RecoveryReason::KeyLost)),
            Err(error @ CoreError::Storage(_)) => {
                let database = backend
                    .environment()
                    .database_path(&backend.config.data_dir);
                if database.exists() {
                    tracing::warn!(%error, "the local database cannot be read");
                    Ok(Started::Recovery(RecoveryReason::Unreadable))
                } else {
                    Err(StartError::Core(error))
                }
            }
            Err(error) => Err(StartError::Core(error)),
        }
    }

    /// The state over an open engine, with the settings it keeps.
    pub(crate) async fn with(tipi: Tipi, backend: &Backend) -> Self {
        let lang = stored_lang(&tipi).await;
        let keep_running = matches!(
            tipi.store().setting(crate::tray::KEEP_RUNNING).await,
            Ok(Some(v)) if v == "true"
        );
        Self {
            engine: LiveTipi::new(tipi),
            data_dir: backend.config.data_dir.clone(),
            lang: RwLock::new(lang),
            enrolment: Mutex::new(None),
            sending: tokio::sync::Mutex::new(()),
            keep_running: keep_running.into(),
        }
    }

    /// Takes the settings of a newly opened engine (after a restore).
    pub(crate) async fn reload_settings(&self) {
        *self.lang.write().expect("language lock") = stored_lang(&self.tipi()).await;
        let keep_running = matches!(
            self.tipi().store().setting(crate::tray::KEEP_RUNNING).await,
            Ok(Some(v)) if v == "true"
        );
        self.keep_running
            .store(keep_running, std::sync::atomic::Ordering::Relaxed);
        *self.enrolment.lock().expect("enrolment lock") = None;
    }

    pub(crate) fn lang(&self) -> Lang {
        *self.lang.read().expect("language lock")
    }
}

async fn stored_lang(tipi: &Tipi) -> Lang {
    match tipi.store().setting(tipi_store::settings::LANGUAGE).await {
        Ok(Some(l)) if l == "en" => Lang::En,
        _ => Lang::Fr,
    }
}
