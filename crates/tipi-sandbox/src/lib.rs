//! A model of RAMQ's TIP-I test environment, served over HTTPS on loopback.
//!
//! The protocol is `docs/protocol.md` (types in `tipi-protocol`); the rules come from
//! `tipi-domain`. This crate adds what only a server knows: enrolment and credentials,
//! attestation sequences, receivability with RAMQ's reference tables, the test period and going
//! live, the journal, the published billing calendar and statements, a controllable clock, and
//! fault injection. Tests and the desktop app start it in-process:
//!
//! ```no_run
//! # async fn example() -> Result<(), tipi_sandbox::SandboxError> {
//! let dir = std::env::temp_dir().join("tipi-sandbox-example");
//! let sandbox = tipi_sandbox::Sandbox::start(tipi_sandbox::SandboxConfig::new(dir)).await?;
//! println!("{} trusts {}", sandbox.base_url(), sandbox.ca_cert_path().display());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

#[cfg(feature = "admin-client")]
mod admin_client;
mod api;
mod auth;
mod clock;
mod error;
mod faults;
mod hashing;
mod rules;
mod seed;
mod server;
mod state;
mod store;
mod tls;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use tipi_domain::calendar::BusinessCalendar;
use tipi_domain::time::MaintenanceWindow;
use tipi_protocol::admin::{ClockCommand, ClockState};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[cfg(feature = "admin-client")]
pub use admin_client::AdminClient;
pub use seed::{DEMO_BLAST, DEMO_NEW};
pub use tls::TlsError;

/// Request bodies as the sandbox reads them, without a server: the same functions its handlers
/// call, for fuzzing (`fuzz/fuzz_targets/sandbox_request.rs`) and tests.
pub mod requests {
    use tipi_protocol::lot::LotDemPaimt;
    use tipi_protocol::ErrorBody;

    /// The checks a batch body (`POST` batches) goes through before any state is read or
    /// written, in the handler's order: well-formed XML of the right kind, sent by the agency
    /// `transmission`; then the trailer, at least one request and the software's identity
    /// (which the handler applies once the attestation number is known to be the next one).
    pub fn check_batch_body(body: &str, transmission: &str) -> Result<LotDemPaimt, Box<ErrorBody>> {
        let lot = crate::api::read_lot(body, transmission).map_err(|e| e.0)?;
        crate::api::check_contents(&lot).map_err(|e| e.0)?;
        Ok(lot)
    }

    /// A JSON request body (enrolment, password, admin) read as the handlers read it: the
    /// error gives a position only, never a quote of the body.
    pub fn read_json_body<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, Box<ErrorBody>> {
        crate::api::parse_json(body).map_err(|e| e.0)
    }
}

use crate::clock::{ClockSetting, SandboxClock};
use crate::state::{AppState, Inner};
use crate::store::settings;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Where the database and the certificates live (created if missing). Reusing the
    /// directory keeps the sandbox's state across restarts.
    pub data_dir: PathBuf,
    /// Where to listen. Default `127.0.0.1:0` (loopback, a free port).
    pub bind: SocketAddr,
    /// The admin API's bearer token; a random one when `None`.
    pub admin_token: Option<String>,
    /// A clock command applied at start (e.g. freeze at a Tuesday 10:00 for a test).
    pub clock: Option<ClockCommand>,
    /// Create the demo agencies when absent (see [`DEMO_BLAST`], [`DEMO_NEW`]).
    pub seed_demo: bool,
    /// Extra names or IPs for the server certificate (only used when it is created).
    pub hostnames: Vec<String>,
}

impl SandboxConfig {
    /// Loopback, a free port, a random admin token, real time, demo agencies.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            admin_token: None,
            clock: None,
            seed_demo: true,
            hostnames: Vec::new(),
        }
    }
}

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The data dir or the listening socket.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The certificates.
    #[error(transparent)]
    Tls(#[from] TlsError),
    /// The database.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The database migrations.
    #[error("database migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Seeding the demo agencies.
    #[error("seeding the demo agencies failed")]
    Seed,
}

/// The entry point.
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// Prepares the data dir, certificates and database, binds, and serves in the background.
    pub async fn start(config: SandboxConfig) -> Result<SandboxHandle, SandboxError> {
        std::fs::create_dir_all(&config.data_dir)?;
        let certificates = tls::prepare(&config.data_dir, &config.hostnames)?;
        let pool = store::open(&config.data_dir).await.map_err(|e| match e {
            sqlx::Error::Migrate(m) => SandboxError::Migration(*m),
            other => SandboxError::Database(other),
        })?;
        let setting = settings::get(&pool, settings::CLOCK)
            .await?
            .map(|text| ClockSetting::decode(&text))
            .unwrap_or_default();
        let maintenance = store::agencies::maintenance(&pool)
            .await?
            .into_iter()
            .filter_map(|w| MaintenanceWindow::new(w.start_at, w.end_at))
            .collect();
        let admin_token = config
            .admin_token
            .clone()
            .unwrap_or_else(|| hashing::token(32));
        let state = AppState(Arc::new(Inner {
            pool,
            clock: SandboxClock::new(setting),
            write: tokio::sync::Mutex::new(()),
            faults: Mutex::new(Vec::new()),
            maintenance: RwLock::new(maintenance),
            calendar: BusinessCalendar::quebec(),
            admin_token: admin_token.clone(),
        }));
        if let Some(command) = &config.clock {
            api::apply_clock(&state, command).await?;
        }
        if config.seed_demo {
            seed::demo(&state).await.map_err(|_| SandboxError::Seed)?;
        }
        let listener = TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let (shutdown, receiver) = watch::channel(false);
        let app = api::router(state.clone());
        let task = tokio::spawn(server::serve(
            listener,
            certificates.server_config.clone(),
            app,
            receiver,
        ));
        tracing::info!(%addr, ca = %certificates.ca_path.display(), "TIP-I sandbox listening");
        Ok(SandboxHandle {
            addr,
            ca_path: certificates.ca_path,
            ca_pem: certificates.ca_pem,
            admin_token,
            state,
            shutdown,
            task,
        })
    }
}

/// A running sandbox. Drop it or call [`SandboxHandle::shutdown`] to stop it.
pub struct SandboxHandle {
    addr: SocketAddr,
    ca_path: PathBuf,
    ca_pem: String,
    admin_token: String,
    state: AppState,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("addr", &self.addr)
            .field("ca_path", &self.ca_path)
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `https://<ip>:<port>` (the certificate covers the loopback IPs and `localhost`).
    pub fn base_url(&self) -> String {
        match self.addr {
            SocketAddr::V6(addr) => format!("https://[{}]:{}", addr.ip(), addr.port()),
            SocketAddr::V4(addr) => format!("https://{}:{}", addr.ip(), addr.port()),
        }
    }

    /// The CA certificate file the client must trust.
    pub fn ca_cert_path(&self) -> &Path {
        &self.ca_path
    }

    /// The CA certificate, PEM.
    pub fn ca_cert_pem(&self) -> &str {
        &self.ca_pem
    }

    /// The admin API's bearer token.
    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }

    /// The sandbox's now.
    pub fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }

    /// Moves the sandbox clock (same as PUT /admin/v1/clock).
    pub async fn set_clock(&self, command: ClockCommand) -> Result<ClockState, SandboxError> {
        Ok(api::apply_clock(&self.state, &command).await?)
    }

    /// Stops accepting, lets open connections finish (a few seconds at most), closes the DB.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
        self.state.pool.close().await;
    }
}
