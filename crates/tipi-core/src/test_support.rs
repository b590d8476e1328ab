//! Unit-test helpers: an engine over an in-memory store, in-memory secrets, a manual clock and
//! a transport that never reaches anything (the scenario tests in `tests/` use the sandbox).

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tipi_client::{ClientError, ClientResult, Credentials, Reached, Transport};
use tipi_domain::ids::{AttestationNumber, TipiId};
use tipi_protocol::lot::LotDemPaimtRecev;
use tipi_protocol::rfp::DemPaimtRecev;
use tipi_protocol::service::{
    BatchReceipt, BillingCalendar, BlastAuthentication, Enrolment, Journal, PasswordChoice,
    PolicyChoice, Session, StatementList, WarningChoice,
};
use tipi_protocol::statement::EtatCompte;
use tipi_store::profile::Profile;
use tipi_store::{Environment, Store};

use crate::{default_software, ManualClock, MemorySecrets, Tipi, TipiParts};

/// A transport with no network: every call fails as "not reached".
pub(crate) struct Offline;

fn offline<T>() -> ClientResult<T> {
    Err(ClientError::Transport {
        reached: Reached::No,
    })
}

#[async_trait]
impl Transport for Offline {
    async fn start_enrolment(&self) -> ClientResult<Enrolment> {
        offline()
    }
    async fn enrolment(&self, _: &str) -> ClientResult<Enrolment> {
        offline()
    }
    async fn answer_warning(&self, _: &str, _: WarningChoice) -> ClientResult<Enrolment> {
        offline()
    }
    async fn answer_policy(&self, _: &str, _: PolicyChoice) -> ClientResult<Enrolment> {
        offline()
    }
    async fn authenticate_blast(
        &self,
        _: &str,
        _: &BlastAuthentication,
    ) -> ClientResult<Enrolment> {
        offline()
    }
    async fn choose_password(&self, _: &str, _: &PasswordChoice) -> ClientResult<Enrolment> {
        offline()
    }
    async fn session(&self, _: &Credentials) -> ClientResult<Session> {
        offline()
    }
    async fn change_password(&self, _: &Credentials, _: &PasswordChoice) -> ClientResult<Session> {
        offline()
    }
    async fn send_batch(&self, _: &Credentials, _: &[u8]) -> ClientResult<BatchReceipt> {
        offline()
    }
    async fn batch(&self, _: &Credentials, _: AttestationNumber) -> ClientResult<BatchReceipt> {
        offline()
    }
    async fn batch_returns(
        &self,
        _: &Credentials,
        _: AttestationNumber,
    ) -> ClientResult<LotDemPaimtRecev> {
        offline()
    }
    async fn send_direct(&self, _: &Credentials, _: &[u8]) -> ClientResult<DemPaimtRecev> {
        offline()
    }
    async fn journal(&self, _: &Credentials) -> ClientResult<Journal> {
        offline()
    }
    async fn calendar(&self) -> ClientResult<BillingCalendar> {
        offline()
    }
    async fn statements(&self, _: &Credentials) -> ClientResult<StatementList> {
        offline()
    }
    async fn statement(&self, _: &Credentials, _: u32) -> ClientResult<EtatCompte> {
        offline()
    }
}

/// Tuesday 2026-03-10, 10:00 in Montréal.
pub(crate) fn tuesday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 14, 0, 0).unwrap()
}

/// An offline engine with an enrolled agency (AGP12345), at [`tuesday_morning`].
pub(crate) async fn offline_tipi() -> (Tipi, ManualClock) {
    let clock = ManualClock::at(tuesday_morning());
    let store = Store::open_in_memory().await.unwrap();
    let tipi = Tipi::new(TipiParts {
        store,
        transport: Arc::new(Offline),
        secrets: Arc::new(MemorySecrets::default()),
        clock: Arc::new(clock.clone()),
        environment: Environment::Sandbox,
        software: default_software(),
    });
    let tipi_id = TipiId::parse("AGP12345").unwrap();
    let profile = Profile {
        environment: Environment::Sandbox,
        transmission_number: tipi_id.transmission_number(),
        tipi_id,
        professional_number: None,
        software: default_software(),
        password_set_on: NaiveDate::from_ymd_opt(2026, 3, 1),
        production_since: None,
    };
    tipi.store
        .save_profile(&profile, tuesday_morning())
        .await
        .unwrap();
    (tipi, clock)
}

/// A valid claim (sandbox tariff: code 00001, place 99999) with external id `external_id`.
pub(crate) use tipi_domain::sample::claim as valid_claim;
