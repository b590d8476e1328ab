//! `tipi-sandbox`: run the TIP-I sandbox server.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Parser;
use tipi_protocol::admin::ClockCommand;
use tipi_sandbox::{Sandbox, SandboxConfig, DEMO_BLAST, DEMO_NEW};

const AFTER_HELP: &str = "\
The sandbox is a model of RAMQ's TIP-I test environment (see docs/protocol.md). It serves HTTPS
with its own local CA: point the client at the URL it prints and make it trust the printed
ca.pem (nothing is added to the system's trust store). Its state (SQLite, certificates, clock)
lives in --data-dir and survives restarts.

Demo agencies, created on first start:
  former BLAST agency: transmission no. 12345, BLAST id U123d, BLAST password blast123
                       (self-enrol to get TIP-I id AGP12345 and choose a password)
  new agency:          TIP-I id AGP54321, temporary password Temp5432 (change it at first login)

TIP-I is open 07:00-22:00 Monday-Friday on business days (America/Toronto): move the sandbox
clock with --clock or the admin API (PUT /admin/v1/clock, Authorization: Bearer <token>).

Examples:
  tipi-sandbox
  tipi-sandbox --port 8443 --clock 2026-03-10T10:00:00-04:00
  tipi-sandbox --data-dir /tmp/sandbox --admin-token secret --frozen --clock 2026-03-10T14:00:00Z";

/// Run the Tipi TIP-I sandbox server (HTTPS, local CA, controllable clock).
#[derive(Debug, Parser)]
#[command(name = "tipi-sandbox", version, after_help = AFTER_HELP)]
struct Args {
    /// Directory for the database and the certificates.
    #[arg(long, env = "TIPI_SANDBOX_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1", env = "TIPI_SANDBOX_HOST")]
    host: std::net::IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8443, env = "TIPI_SANDBOX_PORT")]
    port: u16,
    /// Admin API bearer token (random if absent; printed at start).
    #[arg(long, env = "TIPI_SANDBOX_ADMIN_TOKEN")]
    admin_token: Option<String>,
    /// Start the sandbox clock at this instant (RFC 3339), then let it run.
    #[arg(long)]
    clock: Option<DateTime<Utc>>,
    /// With --clock: keep the clock stopped at that instant.
    #[arg(long, requires = "clock")]
    frozen: bool,
    /// Do not create the demo agencies.
    #[arg(long)]
    no_demo: bool,
}

fn default_data_dir() -> PathBuf {
    dirs::data_local_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("tipi-sandbox")
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tipi_trace::init(tipi_trace::Stderr {
        filter_var: "RUST_LOG",
        default_filter: "tipi_sandbox=info",
        ansi: true,
    });
    let args = Args::parse();
    let mut config = SandboxConfig::new(args.data_dir.unwrap_or_else(default_data_dir));
    config.bind = SocketAddr::new(args.host, args.port);
    config.admin_token = args.admin_token;
    config.seed_demo = !args.no_demo;
    config.clock = args.clock.map(|at| {
        if args.frozen {
            ClockCommand::Freeze { at }
        } else {
            ClockCommand::Set { at }
        }
    });
    let sandbox = match Sandbox::start(config).await {
        Ok(sandbox) => sandbox,
        Err(error) => {
            eprintln!("tipi-sandbox: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let banner = format!(
        "TIP-I sandbox listening on {url}/tipi/v1\n\
         CA certificate to trust: {ca}\n\
         Admin API: {url}/admin/v1 (Authorization: Bearer {token})\n\
         Sandbox clock: {now}\n\
         Demo BLAST agency: {b0} / {b1} / {b2}; demo new agency: AGP{n0} / {n1} (temporary)\n\
         Ctrl-C to stop.",
        url = sandbox.base_url(),
        ca = sandbox.ca_cert_path().display(),
        token = sandbox.admin_token(),
        now = sandbox.now().to_rfc3339(),
        b0 = DEMO_BLAST.0,
        b1 = DEMO_BLAST.1,
        b2 = DEMO_BLAST.2,
        n0 = DEMO_NEW.0,
        n1 = DEMO_NEW.1,
    );
    #[allow(clippy::print_stdout)]
    {
        println!("{banner}");
    }
    stopped().await;
    sandbox.shutdown().await;
    std::process::ExitCode::SUCCESS
}

/// Ctrl-C, or SIGTERM on Unix (a supervisor or a test stopping the sandbox).
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
