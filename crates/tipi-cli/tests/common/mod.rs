//! The rig shared by the `tipi` binary's tests: a private desktop session with a real keychain,
//! a sandbox over HTTPS with a frozen clock, a data dir, and the sandbox's admin API.

// Each test file uses its own part of the rig.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};

use tipi_core::KeyringSecrets;
use tipi_protocol::admin::{ClockCommand, ExchangeRecord, Fault};
use tipi_sandbox::{AdminClient, Sandbox, SandboxConfig, SandboxHandle, DEMO_BLAST};
use tipi_store::{Environment, Store};
use tipi_testrig::{desktop_or_skip, Desktop, DesktopOptions};

/// Tuesday 10 March 2026, 10:00 in Québec.
pub(crate) const TUESDAY_10H: &str = "2026-03-10T14:00:00Z";
pub(crate) const PASSWORD: &str = "Cli2026a";

const CLAIM: &str = r#"{"external_id":"EXT","professional":"123456","place":"99999","patient":{"kind":"with_nam","nam":"TREJ85531510","surname":"Tremblay","first_name":"Julie"},"remuneration":"RFP","clientele":"physicians","late_allowed":false,"lines":[{"billing_code":"00001","service_date":"2026-03-09","role":"1","units":1,"amount":"45.00"}]}"#;

/// One valid claim as `tipi claims add|import` reads it (a JSON line).
pub(crate) fn claim_line(external_id: &str) -> String {
    CLAIM.replace("EXT", external_id)
}

pub(crate) struct Rig {
    pub(crate) desktop: Desktop,
    sandbox: Option<SandboxHandle>,
    dir: tempfile::TempDir,
    admin: AdminClient,
}

impl Rig {
    /// `None` when this machine cannot give the test a private desktop session (the test then
    /// passes without running, as the other desktop tests do).
    pub(crate) async fn start() -> Option<Self> {
        let desktop = desktop_or_skip(DesktopOptions::KEYRING)?;
        let dir = tempfile::tempdir().unwrap();
        let mut config = SandboxConfig::new(dir.path().join("sandbox"));
        config.clock = Some(ClockCommand::Freeze {
            at: TUESDAY_10H.parse().unwrap(),
        });
        let sandbox = Sandbox::start(config).await.unwrap();
        let admin = AdminClient::for_sandbox(&sandbox);
        Some(Self {
            desktop,
            sandbox: Some(sandbox),
            dir,
            admin,
        })
    }

    pub(crate) fn sandbox(&self) -> &SandboxHandle {
        self.sandbox.as_ref().expect("the sandbox is running")
    }

    /// Stops the sandbox and starts it again on the same address, data dir, CA and admin token
    /// (its state, frozen clock included, is kept).
    pub(crate) async fn restart_sandbox(&mut self) {
        let old = self.sandbox.take().expect("the sandbox is running");
        let mut config = SandboxConfig::new(self.dir.path().join("sandbox"));
        config.bind = old.addr();
        config.admin_token = Some(old.admin_token().to_owned());
        old.shutdown().await;
        self.sandbox = Some(Sandbox::start(config).await.expect("the sandbox restarts"));
    }

    pub(crate) async fn shutdown(mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            sandbox.shutdown().await;
        }
    }

    /// The CLI's local store, opened as the test's process (no `tipi` may be running) with the
    /// database key `tipi` keeps in this session's keychain (so the process enters the session).
    pub(crate) async fn open_store(&self) -> Store {
        self.desktop.enter();
        tipi_core::local::open_store(&self.data_dir(), Environment::Sandbox, &KeyringSecrets)
            .await
            .expect("the CLI's store opens")
    }

    pub(crate) fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tipi"));
        self.desktop.apply(&mut command);
        command
            .args(args)
            .env("TIPI_DATA_DIR", self.data_dir())
            .env("TIPI_SANDBOX_URL", self.sandbox().base_url())
            .env("TIPI_CA_CERT", self.sandbox().ca_cert_path())
            .env("TIPI_NOW", TUESDAY_10H)
            .env("TIPI_LANG", "en")
            .env_remove("TIPI_ENV")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    pub(crate) fn spawn(&self, args: &[&str], stdin: &str) -> Child {
        let mut child = self.command(args).spawn().expect("tipi starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child
    }

    pub(crate) async fn tipi(&self, args: &[&str], stdin: &str) -> Output {
        let child = self.spawn(args, stdin);
        tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap()
    }

    /// Enrols the demo BLAST agency with [`PASSWORD`]; answers and passwords go on stdin.
    pub(crate) async fn enrol(&self) -> Output {
        let (number, blast_id, blast_password) = DEMO_BLAST;
        self.tipi(
            &[
                "--password-stdin",
                "enrol",
                "--yes",
                "--transmission",
                number,
                "--blast-id",
                blast_id,
            ],
            &format!("{blast_password}\n{PASSWORD}\n{PASSWORD}\n"),
        )
        .await
    }

    pub(crate) async fn admin_put_fault(&self, fault: &Fault) {
        self.admin.fault_with(fault).await;
    }

    pub(crate) async fn clear_faults(&self) {
        self.admin.clear_faults().await;
    }

    /// What TIP-I recorded (batches and direct requests), oldest first.
    pub(crate) async fn exchanges(&self) -> Vec<ExchangeRecord> {
        self.admin.exchanges().await
    }
}

/// An output for an assertion message: exit code, stdout, stderr.
pub(crate) fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
