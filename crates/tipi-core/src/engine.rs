//! [`Tipi`]: the facade every host (the app, the `tipi` command line, tests) drives. It holds
//! the store and the four injected services; each use case is an async method, defined in the
//! module of its use case (claims, batches, transmit, sync...).

use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};
use tipi_client::{ClientError, Credentials, Transport};
use tipi_domain::batch::SoftwareIdentity;
use tipi_domain::calendar::BusinessCalendar;
use tipi_domain::ids::DeveloperNumber;
use tipi_domain::time::{local_date, MaintenanceWindow, ServiceWindow};
use tipi_store::profile::Profile;
use tipi_store::{Environment, Store};

use crate::clock::Clock;
use crate::error::{CoreError, CoreResult};
use crate::secrets::{SecretKey, SecretStore, Sensitive};

/// The developer number Tipi identifies itself with by default (physicians' series, model).
pub const DEFAULT_DEVELOPER: &str = "AGP16001";

/// Tipi's own software identity (`logcl_fact`): developer number, name and version.
pub fn default_software() -> SoftwareIdentity {
    SoftwareIdentity {
        developer: DeveloperNumber::parse(DEFAULT_DEVELOPER).expect("valid constant"),
        name: "Tipi".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }
}

/// What a [`Tipi`] is made of.
pub struct TipiParts {
    /// The local database of `environment`.
    pub store: Store,
    /// TIP-I.
    pub transport: Arc<dyn Transport>,
    /// The keychain.
    pub secrets: Arc<dyn SecretStore>,
    /// Where "now" comes from.
    pub clock: Arc<dyn Clock>,
    /// Sandbox or production.
    pub environment: Environment,
    /// The software identity new profiles get.
    pub software: SoftwareIdentity,
}

/// The use cases, over a store and injected services. Cheap to share behind an `Arc`.
pub struct Tipi {
    pub(crate) store: Store,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) secrets: Arc<dyn SecretStore>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) environment: Environment,
    pub(crate) software: SoftwareIdentity,
    pub(crate) business: BusinessCalendar,
    /// The announced maintenance windows, as cached with the calendar (kept in memory so the
    /// service window stays a plain question; see `calendar.rs`).
    pub(crate) maintenance: RwLock<Vec<MaintenanceWindow>>,
}

impl std::fmt::Debug for Tipi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tipi")
            .field("environment", &self.environment)
            .field("software", &self.software)
            .finish_non_exhaustive()
    }
}

impl Tipi {
    /// Assembles the engine.
    pub fn new(parts: TipiParts) -> Self {
        Self {
            store: parts.store,
            transport: parts.transport,
            secrets: parts.secrets,
            clock: parts.clock,
            environment: parts.environment,
            software: parts.software,
            business: BusinessCalendar::quebec(),
            maintenance: RwLock::default(),
        }
    }

    /// The local database (read-only use by hosts: listings, settings).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Sandbox or production.
    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The injected clock's now.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in Québec.
    pub fn today(&self) -> NaiveDate {
        local_date(self.now())
    }

    /// TIP-I's service window as known locally: business days 07:00-22:00 minus the announced
    /// maintenance windows cached with the calendar (other outages are learnt from TIP-I's
    /// answers).
    pub fn service_window(&self) -> ServiceWindow {
        let maintenance = self
            .maintenance
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        ServiceWindow::new(self.business.clone()).with_maintenance(maintenance)
    }

    /// The agency's profile, if one is set up.
    pub async fn profile(&self) -> CoreResult<Option<Profile>> {
        Ok(self.store.profile().await?)
    }

    pub(crate) async fn require_profile(&self) -> CoreResult<Profile> {
        self.store.profile().await?.ok_or(CoreError::NotEnrolled)
    }

    pub(crate) fn password_key(&self, profile: &Profile) -> SecretKey {
        SecretKey::tipi_password(self.environment, profile.tipi_id.as_str())
    }

    /// The stored credentials of the agency.
    pub(crate) async fn credentials(&self) -> CoreResult<(Profile, Credentials)> {
        let profile = self.require_profile().await?;
        let password = self
            .secrets
            .get(&self.password_key(&profile))?
            .ok_or(CoreError::NotSignedIn)?;
        let credentials = Credentials::new(profile.tipi_id.clone(), password.expose().as_str());
        Ok((profile, credentials))
    }

    /// Maps a TIP-I error met with the stored password. A refused password is forgotten at
    /// once: nothing automatic may try it again (3 failures suspend the account).
    pub(crate) fn authenticated_error(&self, profile: &Profile, error: ClientError) -> CoreError {
        if matches!(error, ClientError::InvalidCredentials) {
            if let Err(forget) = self.secrets.delete(&self.password_key(profile)) {
                tracing::warn!(error = %forget, "could not forget a refused password");
            }
            tracing::warn!("TIP-I refused the stored password; it was forgotten");
        }
        error.into()
    }

    pub(crate) fn remember_password(
        &self,
        profile: &Profile,
        password: &Sensitive<String>,
    ) -> CoreResult<()> {
        Ok(self.secrets.set(&self.password_key(profile), password)?)
    }
}
