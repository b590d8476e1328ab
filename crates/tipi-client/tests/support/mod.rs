//! A real sandbox over HTTPS for the client's tests: started in-process on a temporary
//! directory, its clock frozen on a Tuesday at 10:00 in Québec, with its admin client.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use tipi_client::{ClientConfig, Credentials, HttpTransport, RetryPolicy, Transport};
use tipi_domain::ids::TipiId;
use tipi_protocol::admin::{ClockCommand, SeedAgency};
use tipi_protocol::lot::LotDemPaimt;
use tipi_protocol::rfp::DemPaimt;
use tipi_protocol::service::{
    BlastAuthentication, EnrolmentStep, PasswordChoice, PolicyChoice, WarningChoice,
};
use tipi_protocol::{Secret, XmlMessage};
use tipi_sandbox::{AdminClient, Sandbox, SandboxConfig, SandboxHandle, DEMO_BLAST, DEMO_NEW};

/// Tuesday 10 March 2026, 10:00 in Québec (EDT): the service window is open.
pub const TUESDAY_10H: &str = "2026-03-10T14:00:00Z";

/// An enrolled agency the tests seed, and its password.
pub const ENROLLED: (&str, &str) = ("22222", "Passw0rd");

pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 instant")
}

pub struct Rig {
    pub sandbox: SandboxHandle,
    pub client: HttpTransport,
    /// The sandbox's admin API.
    pub admin: AdminClient,
    _dir: tempfile::TempDir,
}

impl Rig {
    /// A sandbox frozen at [`TUESDAY_10H`] and a client trusting its CA.
    pub async fn start() -> Self {
        Self::start_at(TUESDAY_10H).await
    }

    pub async fn start_at(now: &str) -> Self {
        // The test's events go to `cargo xtask test`'s trace dir for the leak scan.
        tipi_trace::init_for_tests();
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut config = SandboxConfig::new(dir.path());
        config.clock = Some(ClockCommand::Freeze { at: at(now) });
        let sandbox = Sandbox::start(config).await.expect("the sandbox starts");
        let client = HttpTransport::new(Self::client_config(&sandbox)).expect("a client");
        let admin = AdminClient::for_sandbox(&sandbox);
        Self {
            sandbox,
            client,
            admin,
            _dir: dir,
        }
    }

    /// The configuration the app uses against the sandbox, with short backoffs.
    pub fn client_config(sandbox: &SandboxHandle) -> ClientConfig {
        let mut config =
            ClientConfig::sandbox(sandbox.base_url(), sandbox.ca_cert_pem().as_bytes());
        config.retry = RetryPolicy {
            attempts: 3,
            first_backoff: Duration::from_millis(10),
        };
        config
    }

    pub async fn freeze(&self, now: DateTime<Utc>) {
        self.sandbox
            .set_clock(ClockCommand::Freeze { at: now })
            .await
            .expect("the clock moves");
    }

    /// Seeds [`ENROLLED`] and returns its credentials.
    pub async fn enrolled(&self) -> Credentials {
        let (number, password) = ENROLLED;
        self.admin
            .seed(&SeedAgency::Enrolled {
                transmission_number: number.into(),
                password: password.into(),
            })
            .await;
        credentials(number, password)
    }

    /// Walks the five enrolment steps for the demo BLAST agency; returns its credentials.
    pub async fn enrol_demo_blast(&self, password: &str) -> Credentials {
        let (number, blast_id, blast_password) = DEMO_BLAST;
        let client = &self.client;
        let enrolment = client.start_enrolment().await.unwrap();
        assert_eq!(enrolment.step, EnrolmentStep::Warning);
        let id = enrolment.id;
        let step = |e: tipi_protocol::service::Enrolment| e.step;
        assert_eq!(
            step(
                client
                    .answer_warning(&id, WarningChoice::Continue)
                    .await
                    .unwrap()
            ),
            EnrolmentStep::Policy
        );
        assert_eq!(
            step(
                client
                    .answer_policy(&id, PolicyChoice::Accept)
                    .await
                    .unwrap()
            ),
            EnrolmentStep::Authentication
        );
        let shown = client
            .authenticate_blast(&id, &blast(number, blast_id, blast_password))
            .await
            .unwrap();
        assert_eq!(shown.step, EnrolmentStep::Password);
        assert_eq!(shown.tipi_id.as_deref(), Some("AGP12345"));
        let done = client.choose_password(&id, &twice(password)).await.unwrap();
        assert_eq!(done.step, EnrolmentStep::Enrolled);
        credentials(number, password)
    }

    pub async fn shutdown(self) {
        self.sandbox.shutdown().await;
    }
}

pub fn demo_new() -> Credentials {
    credentials(DEMO_NEW.0, DEMO_NEW.1)
}

pub fn credentials(transmission: &str, password: &str) -> Credentials {
    Credentials::new(
        TipiId::parse(&format!("AGP{transmission}")).unwrap(),
        password,
    )
}

pub fn blast(number: &str, blast_id: &str, password: &str) -> BlastAuthentication {
    BlastAuthentication {
        transmission_number: number.into(),
        blast_id: blast_id.into(),
        blast_password: Secret::new(password),
    }
}

pub fn twice(password: &str) -> PasswordChoice {
    PasswordChoice {
        password: password.into(),
        confirmation: password.into(),
    }
}

/// The protocol's golden batch, for `transmission` with attestation `no_attes`, every service
/// date moved to `served_on`, as the bytes the outbox would hold.
pub fn lot(transmission: &str, no_attes: u32, served_on: NaiveDate) -> LotDemPaimt {
    let golden = include_str!("../../../tipi-protocol/tests/golden/lot_dem_paimt.xml");
    let mut lot = LotDemPaimt::from_xml(golden).expect("the golden batch reads");
    lot.no_trans = transmission.into();
    lot.no_attes = no_attes;
    for dem in &mut lot.dem_paimt {
        retarget(dem, transmission, served_on);
    }
    lot
}

pub fn lot_xml(transmission: &str, no_attes: u32, served_on: NaiveDate) -> Vec<u8> {
    lot(transmission, no_attes, served_on)
        .to_xml()
        .unwrap()
        .into_bytes()
}

/// The protocol's golden direct request, retargeted like [`lot`].
pub fn direct_xml(transmission: &str, no_dem_ext: &str, served_on: NaiveDate) -> Vec<u8> {
    let golden = include_str!("../../../tipi-protocol/tests/golden/dem_paimt.xml");
    let mut dem = DemPaimt::from_xml(golden).expect("the golden request reads");
    retarget(&mut dem, transmission, served_on);
    dem.no_dem_ext = no_dem_ext.into();
    for fact in &mut dem.liste_fact {
        fact.no_fact_ext = format!("D{no_dem_ext}");
    }
    dem.to_xml().unwrap().into_bytes()
}

fn retarget(dem: &mut DemPaimt, transmission: &str, served_on: NaiveDate) {
    if let Some(sender) = &mut dem.exped_difrn_demdr {
        sender.id_intvn = format!("AGP{transmission}");
    }
    for fact in &mut dem.liste_fact {
        for line in &mut fact.liste_ligne_fact {
            line.dat_serv_elm_fact = served_on.to_string();
        }
    }
}
