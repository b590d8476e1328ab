//! A typed client of the admin API (docs/protocol.md §8.1), for tests and support tools: HTTPS
//! trusting only the sandbox's CA, the bearer token, the messages of `tipi_protocol::admin`.
//!
//! Every call expects success and panics with the path, the status and the answer otherwise: a
//! failed admin call is a broken test setup, never a case for the caller to handle.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tipi_protocol::admin::{
    AgencyView, ClockCommand, ClockState, ExchangeRecord, Fault, FaultEndpoint, FaultMode,
    MaintenanceWindow, Reactivate, SeedAgency,
};
use tipi_protocol::paths;

use crate::SandboxHandle;

/// The admin API of one sandbox, in-process or in another process (the app's embedded one).
#[derive(Clone)]
pub struct AdminClient {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl std::fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token stays out of Debug output.
        f.debug_struct("AdminClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl AdminClient {
    /// A client of the sandbox at `base_url` (`https://127.0.0.1:PORT`) that trusts only
    /// `ca_pem` and authenticates with `token`.
    pub fn new(base_url: &str, token: &str, ca_pem: &[u8]) -> Self {
        let ca = reqwest::Certificate::from_pem(ca_pem).expect("the sandbox's CA reads");
        let http = reqwest::Client::builder()
            .tls_certs_only([ca])
            .build()
            .expect("an HTTPS client");
        Self {
            base: base_url.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            http,
        }
    }

    /// A client of a sandbox started in this process.
    pub fn for_sandbox(sandbox: &SandboxHandle) -> Self {
        Self::new(
            &sandbox.base_url(),
            sandbox.admin_token(),
            sandbox.ca_cert_pem().as_bytes(),
        )
    }

    /// The sandbox's clock.
    pub async fn clock(&self) -> ClockState {
        self.call(Method::GET, paths::ADMIN_CLOCK, None::<&()>)
            .await
    }

    /// Moves the sandbox's clock.
    pub async fn set_clock(&self, command: &ClockCommand) -> ClockState {
        self.call(Method::PUT, paths::ADMIN_CLOCK, Some(command))
            .await
    }

    /// Stops the sandbox's clock at `at`.
    pub async fn freeze(&self, at: DateTime<Utc>) -> ClockState {
        self.set_clock(&ClockCommand::Freeze { at }).await
    }

    /// Creates (or replaces) an agency.
    pub async fn seed(&self, agency: &SeedAgency) -> AgencyView {
        self.call(Method::POST, paths::ADMIN_AGENCIES, Some(agency))
            .await
    }

    /// What the sandbox knows of the agency `transmission`.
    pub async fn agency(&self, transmission: &str) -> AgencyView {
        self.call(Method::GET, &paths::admin_agency(transmission), None::<&()>)
            .await
    }

    /// Lifts a suspension and gives the agency `temporary_password` (what RAMQ's pilot does).
    pub async fn reactivate(&self, transmission: &str, temporary_password: &str) -> AgencyView {
        let body = Reactivate {
            temporary_password: Some(temporary_password.into()),
        };
        self.call(
            Method::POST,
            &paths::admin_reactivate(transmission),
            Some(&body),
        )
        .await
    }

    /// Announces a TIP-I maintenance window `[start, end)`; answers every announced window.
    pub async fn announce_maintenance(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Vec<MaintenanceWindow> {
        let window = MaintenanceWindow { start, end };
        self.call(Method::POST, paths::ADMIN_MAINTENANCE, Some(&window))
            .await
    }

    /// Adds a fault; answers every active fault.
    pub async fn fault_with(&self, fault: &Fault) -> Vec<Fault> {
        self.call(Method::PUT, paths::ADMIN_FAULTS, Some(fault))
            .await
    }

    /// Makes `endpoint` fail as `mode` for the next `count` requests (always, when `None`).
    pub async fn fault(
        &self,
        endpoint: FaultEndpoint,
        mode: FaultMode,
        count: Option<u32>,
    ) -> Vec<Fault> {
        self.fault_with(&Fault {
            endpoint,
            mode,
            delay_ms: None,
            count,
        })
        .await
    }

    /// Delays the next request to `endpoint` by `delay`.
    pub async fn delay(&self, endpoint: FaultEndpoint, delay: Duration) -> Vec<Fault> {
        let delay_ms = u64::try_from(delay.as_millis()).expect("a delay in milliseconds");
        self.fault_with(&Fault {
            endpoint,
            mode: FaultMode::Delay,
            delay_ms: Some(delay_ms),
            count: Some(1),
        })
        .await
    }

    /// The active faults, with what is left of their counts.
    pub async fn faults(&self) -> Vec<Fault> {
        self.call(Method::GET, paths::ADMIN_FAULTS, None::<&()>)
            .await
    }

    /// Removes every fault.
    pub async fn clear_faults(&self) {
        self.send(Method::DELETE, paths::ADMIN_FAULTS, None::<&()>)
            .await;
    }

    /// Every exchange the sandbox recorded (batches and direct requests), oldest first.
    pub async fn exchanges(&self) -> Vec<ExchangeRecord> {
        self.call(Method::GET, paths::ADMIN_EXCHANGES, None::<&()>)
            .await
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> T {
        let text = self.send(method, path, body).await;
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("admin {path}: {e}: {text}"))
    }

    /// Sends one request and returns the body of its successful answer.
    async fn send(&self, method: Method, path: &str, body: Option<&impl Serialize>) -> String {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(serde_json::to_vec(body).expect("an admin message serializes"));
        }
        let response = request.send().await.expect("the admin API answers");
        let status = response.status();
        let text = response.text().await.expect("the admin API's answer reads");
        assert!(status.is_success(), "admin {path}: {status} {text}");
        text
    }
}
