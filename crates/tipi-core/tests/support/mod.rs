//! The scenario rig: a real sandbox over HTTPS (in-process, clock frozen on a Tuesday 10:00 in
//! Québec), a real SQLite file in a temporary directory, the real keychain in a private
//! session when the rig is available (required under CI), and Tipi wired to all three through
//! [`tipi_core::local`], exactly as the app and the command line open it.

#![allow(dead_code, unreachable_pub)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tipi_core::local::{Endpoint, LocalConfig};
use tipi_core::{
    Environment, KeyringSecrets, ManualClock, MemorySecrets, SecretStore, Sensitive, Tipi,
};
use tipi_protocol::admin::ClockCommand;
use tipi_sandbox::{AdminClient, Sandbox, SandboxConfig, SandboxHandle, DEMO_BLAST};
use tipi_testrig::{desktop_or_skip, Desktop, DesktopOptions};

/// Tuesday 10 March 2026, 10:00 in Québec (EDT).
pub const TUESDAY_10H: &str = "2026-03-10T14:00:00Z";

pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 instant")
}

/// An instant given as Québec local time.
pub fn local(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    tipi_domain::time::at_local(
        date,
        chrono::NaiveTime::from_hms_opt(hour, minute, 0).unwrap(),
    )
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn secret(text: &str) -> Sensitive<String> {
    Sensitive::new(text.to_owned())
}

pub struct Rig {
    pub sandbox: SandboxHandle,
    pub clock: ManualClock,
    pub dir: tempfile::TempDir,
    pub config: LocalConfig,
    pub secrets: Arc<dyn SecretStore>,
    pub tipi: Tipi,
    /// The sandbox's admin API.
    pub admin: AdminClient,
    _desktop: Option<Desktop>,
}

impl Rig {
    /// A sandbox frozen at [`TUESDAY_10H`], Tipi on a fresh SQLite file.
    pub async fn start() -> Self {
        let desktop = desktop_or_skip(DesktopOptions::KEYRING);
        let secrets: Arc<dyn SecretStore> = match &desktop {
            Some(desktop) => {
                desktop.enter();
                Arc::new(KeyringSecrets)
            }
            None => Arc::new(MemorySecrets::default()),
        };
        let dir = tempfile::tempdir().expect("a temporary directory");
        let now = at(TUESDAY_10H);
        let mut sandbox_config = SandboxConfig::new(dir.path().join("sandbox"));
        sandbox_config.clock = Some(ClockCommand::Freeze { at: now });
        let sandbox = Sandbox::start(sandbox_config)
            .await
            .expect("the sandbox starts");
        let config = LocalConfig {
            environment: Environment::Sandbox,
            data_dir: dir.path().join("data"),
            endpoint: Endpoint {
                url: sandbox.base_url(),
                ca_pem: Some(sandbox.ca_cert_pem().as_bytes().to_vec()),
            },
        };
        let clock = ManualClock::at(now);
        let tipi = tipi_core::local::open_with(&config, secrets.clone(), Arc::new(clock.clone()))
            .await
            .expect("tipi opens");
        let admin = AdminClient::for_sandbox(&sandbox);
        Self {
            sandbox,
            clock,
            dir,
            config,
            secrets,
            tipi,
            admin,
            _desktop: desktop,
        }
    }

    /// A fresh engine on the same files (what a restart of the app does).
    pub async fn restart(&mut self) {
        let tipi = tipi_core::local::open_with(
            &self.config,
            self.secrets.clone(),
            Arc::new(self.clock.clone()),
        )
        .await
        .expect("tipi reopens");
        let old = std::mem::replace(&mut self.tipi, tipi);
        old.store().clone().close().await;
    }

    pub fn database_path(&self) -> PathBuf {
        Environment::Sandbox.database_path(&self.config.data_dir)
    }

    /// Moves both clocks (the sandbox's and Tipi's) to `now`.
    pub async fn travel(&self, now: DateTime<Utc>) {
        self.sandbox
            .set_clock(ClockCommand::Freeze { at: now })
            .await
            .expect("the clock moves");
        self.clock.set(now);
    }

    /// Enrols the demo BLAST agency through Tipi's five steps, choosing `password`.
    pub async fn enrol_demo(&self, password: &str) {
        let tipi = &self.tipi;
        let id = tipi.enrolment_start().await.unwrap().id;
        tipi.enrolment_warning(&id, true).await.unwrap();
        tipi.enrolment_policy(&id, true).await.unwrap();
        let (number, blast_id, blast_password) = DEMO_BLAST;
        let shown = tipi
            .enrolment_authenticate(
                &id,
                &tipi_core::account::BlastLogin {
                    transmission_number: number.into(),
                    blast_id: blast_id.into(),
                    blast_password: secret(blast_password),
                },
            )
            .await
            .unwrap();
        assert_eq!(shown.tipi_id.as_deref(), Some("AGP12345"));
        let profile = tipi
            .enrolment_choose_password(&id, &secret(password), &secret(password))
            .await
            .unwrap();
        assert_eq!(profile.tipi_id.as_str(), "AGP12345");
    }

    pub async fn shutdown(self) {
        self.tipi.store().clone().close().await;
        self.sandbox.shutdown().await;
    }
}

/// A claim the sandbox judges receivable (tariff code 00001, place 99999), served on
/// Monday 9 March 2026.
pub use tipi_domain::sample::claim;

/// The keys of the reminders due now (`password-expiry:2026-06-08:0d`...).
pub async fn due_reminder_keys(tipi: &Tipi) -> Vec<String> {
    let due = tipi.due_reminders().await.expect("the reminders read");
    due.into_iter().map(|r| r.key).collect()
}

/// Waits a little for something the sandbox does in the background.
pub async fn settle() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}
