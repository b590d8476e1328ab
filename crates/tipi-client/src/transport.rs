//! The [`Transport`] trait: one method per TIP-I endpoint the app uses.
//!
//! tipi-core depends on this trait, not on HTTP: its tests use a fake, the app an
//! `Arc<dyn Transport>` holding an [`crate::HttpTransport`]. Implement it with
//! `#[async_trait::async_trait]`.
//!
//! Retry contract: an implementation may retry a GET whose failure certainly did not
//! reach TIP-I (and unauthenticated GETs on any transport failure), never a POST and never an
//! authentication failure. After [`crate::ClientError::Transport`] with
//! [`crate::Reached::Unknown`] on a POST, the caller asks the journal (or the batch's state)
//! before sending again.

use async_trait::async_trait;
use tipi_domain::ids::AttestationNumber;
use tipi_protocol::lot::LotDemPaimtRecev;
use tipi_protocol::rfp::DemPaimtRecev;
use tipi_protocol::service::{
    BatchReceipt, BillingCalendar, BlastAuthentication, Enrolment, Journal, PasswordChoice,
    PolicyChoice, Session, StatementList, WarningChoice,
};
use tipi_protocol::statement::EtatCompte;

use crate::credentials::Credentials;
use crate::error::ClientError;

/// What every call returns.
pub type ClientResult<T> = Result<T, ClientError>;

/// The TIP-I service, as the app uses it.
#[async_trait]
pub trait Transport: Send + Sync {
    /// Starts a self-enrolment (no authentication); the answer is at step `warning`.
    async fn start_enrolment(&self) -> ClientResult<Enrolment>;

    /// An enrolment's current step.
    async fn enrolment(&self, id: &str) -> ClientResult<Enrolment>;

    /// Step 1: the BLAST-returns warning (`Quit` ends the enrolment).
    async fn answer_warning(&self, id: &str, choice: WarningChoice) -> ClientResult<Enrolment>;

    /// Step 2: the RAMQ policy (`Refuse` ends the enrolment).
    async fn answer_policy(&self, id: &str, choice: PolicyChoice) -> ClientResult<Enrolment>;

    /// Step 3: authentication with the three BLAST values; the answer carries the TIP-I id.
    async fn authenticate_blast(
        &self,
        id: &str,
        authentication: &BlastAuthentication,
    ) -> ClientResult<Enrolment>;

    /// Steps 4-5: the chosen TIP-I password, typed twice; the answer is `enrolled`.
    async fn choose_password(&self, id: &str, choice: &PasswordChoice) -> ClientResult<Enrolment>;

    /// The agency's session: status, password expiry, next attestation number, server time.
    async fn session(&self, credentials: &Credentials) -> ClientResult<Session>;

    /// Changes the password (the current one may be expired or temporary). On success the
    /// new password is the one to use from now on.
    async fn change_password(
        &self,
        credentials: &Credentials,
        choice: &PasswordChoice,
    ) -> ClientResult<Session>;

    /// Sends a batch (`lot_dem_paimt`) exactly as stored in the outbox, so that a resend is
    /// byte-identical. Never retried by the transport.
    async fn send_batch(&self, credentials: &Credentials, xml: &[u8])
        -> ClientResult<BatchReceipt>;

    /// A sent batch's state, by attestation number ([`ClientError::NotFound`]: never
    /// received).
    async fn batch(
        &self,
        credentials: &Credentials,
        no_attes: AttestationNumber,
    ) -> ClientResult<BatchReceipt>;

    /// A batch's receivability return ([`ClientError::NotYetAvailable`] before 08:00 the
    /// next day).
    async fn batch_returns(
        &self,
        credentials: &Credentials,
        no_attes: AttestationNumber,
    ) -> ClientResult<LotDemPaimtRecev>;

    /// Sends one request *en direct* (`dem_paimt`) and returns its receivability. Never
    /// retried by the transport.
    async fn send_direct(
        &self,
        credentials: &Credentials,
        xml: &[u8],
    ) -> ClientResult<DemPaimtRecev>;

    /// The exchange journal.
    async fn journal(&self, credentials: &Credentials) -> ClientResult<Journal>;

    /// The billing calendar (no authentication).
    async fn calendar(&self) -> ClientResult<BillingCalendar>;

    /// The statements of account available.
    async fn statements(&self, credentials: &Credentials) -> ClientResult<StatementList>;

    /// One cycle's statement of account.
    async fn statement(&self, credentials: &Credentials, no_cycle: u32)
        -> ClientResult<EtatCompte>;
}
