//! The agency's account: self-enrolment of a former BLAST agency (the seed's five steps),
//! signing in with credentials handed over by RAMQ, and changing the password (before expiry,
//! or forced when it is expired or temporary). The password goes to the keychain only; the
//! database records the day it was set.

use tipi_client::{ClientError, Credentials};
use tipi_domain::ids::{BlastId, TipiId, TransmissionNumber};
use tipi_domain::password;
use tipi_protocol::service::{
    BlastAuthentication, Enrolment, EnrolmentStep, PasswordChoice, PolicyChoice, Session,
    WarningChoice,
};
use tipi_protocol::Secret;
use tipi_store::profile::Profile;

use crate::engine::Tipi;
use crate::error::{CoreError, CoreResult};
use crate::secrets::Sensitive;

/// The three BLAST values of enrolment step 3.
#[derive(Debug, Clone)]
pub struct BlastLogin {
    /// The 5-digit transmission number (No agence).
    pub transmission_number: String,
    /// The 5-character BLAST identifier.
    pub blast_id: String,
    /// The BLAST password.
    pub blast_password: Sensitive<String>,
}

/// What the agency looks like after signing in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountStatus {
    /// The stored profile.
    pub profile: Profile,
    /// TIP-I's session answer.
    pub session: Session,
}

fn secret(value: &Sensitive<String>) -> Secret {
    Secret::new(value.expose().as_str())
}

impl Tipi {
    /// Enrolment step 0: starts a self-enrolment; the answer shows the step-1 warning text.
    pub async fn enrolment_start(&self) -> CoreResult<Enrolment> {
        Ok(self.transport.start_enrolment().await?)
    }

    /// Step 1: *Continuer* (`true`) or *Quitter* (`false`, ends the enrolment).
    pub async fn enrolment_warning(&self, id: &str, carry_on: bool) -> CoreResult<Enrolment> {
        let choice = if carry_on {
            WarningChoice::Continue
        } else {
            WarningChoice::Quit
        };
        Ok(self.transport.answer_warning(id, choice).await?)
    }

    /// Step 2: *J'accepte* (`true`) or *Je refuse* (`false`, ends the enrolment).
    pub async fn enrolment_policy(&self, id: &str, accept: bool) -> CoreResult<Enrolment> {
        let choice = if accept {
            PolicyChoice::Accept
        } else {
            PolicyChoice::Refuse
        };
        Ok(self.transport.answer_policy(id, choice).await?)
    }

    /// Step 3: the agency authenticates with its BLAST values; the answer carries the new
    /// TIP-I identifier.
    pub async fn enrolment_authenticate(
        &self,
        id: &str,
        login: &BlastLogin,
    ) -> CoreResult<Enrolment> {
        let transmission = TransmissionNumber::parse(&login.transmission_number)?;
        let blast_id = BlastId::parse(&login.blast_id)?;
        let body = BlastAuthentication {
            transmission_number: transmission.as_str().to_owned(),
            blast_id: blast_id.as_str().to_owned(),
            blast_password: secret(&login.blast_password),
        };
        Ok(self.transport.authenticate_blast(id, &body).await?)
    }

    /// Steps 4-5: the chosen TIP-I password, typed twice. On success the agency is enrolled:
    /// the password goes to the keychain and the profile records the day it was set.
    pub async fn enrolment_choose_password(
        &self,
        id: &str,
        new: &Sensitive<String>,
        confirmation: &Sensitive<String>,
    ) -> CoreResult<Profile> {
        password::check_new(new.expose(), confirmation.expose(), None)?;
        let choice = PasswordChoice {
            password: secret(new),
            confirmation: secret(confirmation),
        };
        let enrolment = self.transport.choose_password(id, &choice).await?;
        let tipi_id = match (&enrolment.step, &enrolment.tipi_id) {
            (EnrolmentStep::Enrolled, Some(tipi_id)) => TipiId::parse(tipi_id)?,
            _ => return Err(CoreError::EnrolmentEnded),
        };
        let profile = self.save_profile(&tipi_id, Some(self.today())).await?;
        self.remember_password(&profile, new)?;
        tracing::info!(tipi_id = %tipi_id, "agency enrolled to TIP-I");
        // Best effort: the session tells the attestation number TIP-I expects.
        if let Err(error) = self.refresh_session().await {
            tracing::info!(code = error.code(), "no session right after enrolment");
        }
        self.require_profile().await
    }

    async fn save_profile(
        &self,
        tipi_id: &TipiId,
        password_set_on: Option<chrono::NaiveDate>,
    ) -> CoreResult<Profile> {
        let existing = self.store.profile().await?;
        let profile = match existing {
            Some(p) if p.tipi_id == *tipi_id => Profile {
                password_set_on: password_set_on.or(p.password_set_on),
                ..p
            },
            _ => Profile {
                environment: self.environment,
                tipi_id: tipi_id.clone(),
                transmission_number: tipi_id.transmission_number(),
                professional_number: None,
                software: self.software.clone(),
                password_set_on,
                production_since: None,
            },
        };
        self.store.save_profile(&profile, self.now()).await?;
        Ok(profile)
    }

    /// Signs in with the TIP-I identifier and password RAMQ handed over (or after a
    /// reinstall). The password is kept in the keychain even when TIP-I says it is expired or
    /// temporary (the error then asks for [`Tipi::change_password`], which needs it). A
    /// refused password is never stored, and never retried.
    pub async fn login(
        &self,
        tipi_id: &str,
        password: &Sensitive<String>,
    ) -> CoreResult<AccountStatus> {
        let tipi_id = TipiId::parse(tipi_id)?;
        let credentials = Credentials::new(tipi_id.clone(), password.expose().as_str());
        match self.transport.session(&credentials).await {
            Ok(session) => {
                let profile = self
                    .save_profile(&tipi_id, Some(session.password.set_on))
                    .await?;
                self.remember_password(&profile, password)?;
                self.apply_session(&session).await?;
                Ok(AccountStatus {
                    profile: self.require_profile().await?,
                    session,
                })
            }
            Err(error @ (ClientError::PasswordExpired | ClientError::PasswordChangeRequired)) => {
                let profile = self.save_profile(&tipi_id, None).await?;
                self.remember_password(&profile, password)?;
                Err(error.into())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Changes the TIP-I password. `current` defaults to the stored one. Checked against the
    /// policy first (8 letters or digits, typed twice, different from the current one).
    pub async fn change_password(
        &self,
        current: Option<&Sensitive<String>>,
        new: &Sensitive<String>,
        confirmation: &Sensitive<String>,
    ) -> CoreResult<AccountStatus> {
        let profile = self.require_profile().await?;
        let stored;
        let current = match current {
            Some(current) => current,
            None => {
                stored = self
                    .secrets
                    .get(&self.password_key(&profile))?
                    .ok_or(CoreError::NotSignedIn)?;
                &stored
            }
        };
        password::check_new(
            new.expose(),
            confirmation.expose(),
            Some(current.expose().as_str()),
        )?;
        let credentials = Credentials::new(profile.tipi_id.clone(), current.expose().as_str());
        let choice = PasswordChoice {
            password: secret(new),
            confirmation: secret(confirmation),
        };
        let session = self
            .transport
            .change_password(&credentials, &choice)
            .await
            .map_err(|e| self.authenticated_error(&profile, e))?;
        self.remember_password(&profile, new)?;
        self.store
            .set_password_set_on(session.password.set_on, self.now())
            .await?;
        self.apply_session(&session).await?;
        tracing::info!("TIP-I password changed");
        Ok(AccountStatus {
            profile: self.require_profile().await?,
            session,
        })
    }

    /// Asks TIP-I for the session with the stored password and records what it says.
    pub async fn refresh_session(&self) -> CoreResult<AccountStatus> {
        let (profile, credentials) = self.credentials().await?;
        let session = self
            .transport
            .session(&credentials)
            .await
            .map_err(|e| self.authenticated_error(&profile, e))?;
        self.store
            .set_password_set_on(session.password.set_on, self.now())
            .await?;
        self.apply_session(&session).await?;
        Ok(AccountStatus {
            profile: self.require_profile().await?,
            session,
        })
    }

    async fn apply_session(&self, session: &Session) -> CoreResult<()> {
        self.apply_agency_status(
            &session.status,
            session.production_since,
            session.next_attestation,
        )
        .await
    }

    /// Forgets the stored password (sign out). The profile and data stay.
    pub async fn logout(&self) -> CoreResult<()> {
        let profile = self.require_profile().await?;
        Ok(self.secrets.delete(&self.password_key(&profile))?)
    }
}
