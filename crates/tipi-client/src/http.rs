//! [`HttpTransport`]: the real [`Transport`], HTTPS to TIP-I through reqwest and rustls.

use async_trait::async_trait;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tipi_domain::ids::AttestationNumber;
use tipi_protocol::lot::LotDemPaimtRecev;
use tipi_protocol::rfp::DemPaimtRecev;
use tipi_protocol::service::{
    self, BatchReceipt, BillingCalendar, BlastAuthentication, Enrolment, Journal, PasswordChoice,
    PolicyAnswer, PolicyChoice, Session, StatementList, WarningAnswer, WarningChoice,
};
use tipi_protocol::statement::EtatCompte;
use tipi_protocol::{paths, xml, XmlMessage};

use crate::config::{ClientConfig, RetryPolicy};
use crate::credentials::Credentials;
use crate::error::{ClientError, Reached};
use crate::tls;
use crate::transport::{ClientResult, Transport};

/// The TIP-I client over HTTPS. Cheap to clone (one connection pool).
#[derive(Debug, Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    base_url: String,
    retry: RetryPolicy,
}

/// One request, ready to send (again, for retried reads).
struct Call<'a> {
    method: Method,
    path: String,
    credentials: Option<&'a Credentials>,
    body: Option<(&'static str, Vec<u8>)>,
    accept: &'static str,
}

impl<'a> Call<'a> {
    fn get(path: impl Into<String>, accept: &'static str) -> Self {
        Self {
            method: Method::GET,
            path: path.into(),
            credentials: None,
            body: None,
            accept,
        }
    }

    fn post(path: impl Into<String>, accept: &'static str) -> Self {
        Self {
            method: Method::POST,
            ..Self::get(path, accept)
        }
    }

    fn basic(mut self, credentials: &'a Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    fn body(mut self, content_type: &'static str, body: Vec<u8>) -> Self {
        self.body = Some((content_type, body));
        self
    }

    fn json<T: Serialize>(self, value: &T) -> ClientResult<Self> {
        let body = serde_json::to_vec(value).map_err(|_| {
            ClientError::Configuration("a request body could not be written".into())
        })?;
        Ok(self.body(service::CONTENT_TYPE, body))
    }

    /// Whether a transport failure of this call may be retried: reads only; an
    /// authenticated read only when it certainly did not reach TIP-I (a lost answer to a
    /// wrong password already counted toward suspension).
    fn may_retry(&self, error: &ClientError) -> bool {
        if self.method != Method::GET {
            return false;
        }
        match error {
            ClientError::Transport {
                reached: Reached::No,
            }
            | ClientError::Server { .. } => true,
            ClientError::Transport {
                reached: Reached::Unknown,
            } => self.credentials.is_none(),
            _ => false,
        }
    }
}

impl HttpTransport {
    /// Builds the client. Refuses a non-HTTPS address, and an extra CA unless the
    /// configuration allows one (production never does).
    pub fn new(config: ClientConfig) -> ClientResult<Self> {
        let base_url = config.base_url.trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|_| ClientError::Configuration("the TIP-I address is not a URL".into()))?;
        if parsed.scheme() != "https" {
            return Err(ClientError::Configuration(
                "the TIP-I address must use https".into(),
            ));
        }
        if config.extra_root_ca_pem.is_some() && !config.allow_extra_ca {
            return Err(ClientError::Configuration(
                "an extra CA certificate is not allowed in this environment".into(),
            ));
        }
        let tls = tls::client_config(config.extra_root_ca_pem.as_deref())?;
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .https_only(true)
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(CONNECT_TIMEOUT))
            .redirect(reqwest::redirect::Policy::none())
            // Every retry is decided here, so TIP-I sees exactly the attempts made.
            .retry(reqwest::retry::never())
            .user_agent(concat!("Tipi/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| ClientError::Configuration("the HTTP client could not be built".into()))?;
        Ok(Self {
            client,
            base_url,
            retry: config.retry,
        })
    }

    /// Sends `call`, retrying it as [`Call::may_retry`] allows; returns the success status
    /// and body.
    async fn run(&self, call: &Call<'_>) -> ClientResult<(u16, Vec<u8>)> {
        let attempts = self.retry.attempts.max(1);
        let mut attempt = 1;
        loop {
            match self.once(call).await {
                Err(error) if attempt < attempts && call.may_retry(&error) => {
                    attempt += 1;
                    tracing::info!(
                        path = %call.path,
                        code = error.code(),
                        attempt,
                        "retrying a TIP-I read"
                    );
                    tokio::time::sleep(self.retry.backoff(attempt)).await;
                }
                result => return result,
            }
        }
    }

    /// One attempt.
    async fn once(&self, call: &Call<'_>) -> ClientResult<(u16, Vec<u8>)> {
        let url = format!("{}{}", self.base_url, call.path);
        let mut request = self
            .client
            .request(call.method.clone(), url)
            .header(ACCEPT, call.accept);
        if let Some(credentials) = call.credentials {
            request = request.basic_auth(
                credentials.tipi_id.as_str(),
                Some(credentials.password.expose()),
            );
        }
        if let Some((content_type, body)) = &call.body {
            request = request
                .header(CONTENT_TYPE, *content_type)
                .body(body.clone());
        }
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|_| {
            tracing::warn!(path = %call.path, status, "answer lost while reading it");
            ClientError::Transport {
                reached: Reached::Unknown,
            }
        })?;
        tracing::debug!(method = %call.method, path = %call.path, status, "TIP-I answered");
        if (200..300).contains(&status) {
            Ok((status, body.to_vec()))
        } else {
            Err(ClientError::from_answer(status, &body))
        }
    }

    async fn json<T: DeserializeOwned>(&self, call: Call<'_>) -> ClientResult<T> {
        let (status, body) = self.run(&call).await?;
        serde_json::from_slice(&body).map_err(|_| ClientError::Protocol {
            status,
            what: "a JSON answer that does not match the protocol",
        })
    }

    async fn xml<M: XmlMessage>(&self, call: Call<'_>) -> ClientResult<M> {
        let (status, body) = self.run(&call).await?;
        std::str::from_utf8(&body)
            .ok()
            .and_then(|text| M::from_xml(text).ok())
            .ok_or(ClientError::Protocol {
                status,
                what: "an XML answer that does not match the protocol",
            })
    }
}

/// Connecting never takes longer than this, whatever the whole request's timeout.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// Classifies a failure to get an answer. Only the kind is kept: reqwest's message may hold
/// the URL, which is harmless, but nothing else of it is needed.
fn transport_error(error: reqwest::Error) -> ClientError {
    if tls::is_untrusted_certificate(&error) {
        return ClientError::UntrustedCertificate;
    }
    let reached = if error.is_connect() {
        Reached::No
    } else {
        Reached::Unknown
    };
    tracing::warn!(
        timeout = error.is_timeout(),
        connect = error.is_connect(),
        "TIP-I request failed in transit"
    );
    ClientError::Transport { reached }
}

const JSON: &str = service::CONTENT_TYPE;
const XML: &str = xml::CONTENT_TYPE;

#[async_trait]
impl Transport for HttpTransport {
    async fn start_enrolment(&self) -> ClientResult<Enrolment> {
        self.json(Call::post(paths::ENROLMENT, JSON)).await
    }

    async fn enrolment(&self, id: &str) -> ClientResult<Enrolment> {
        self.json(Call::get(paths::enrolment(id), JSON)).await
    }

    async fn answer_warning(&self, id: &str, choice: WarningChoice) -> ClientResult<Enrolment> {
        let call =
            Call::post(paths::enrolment_warning(id), JSON).json(&WarningAnswer { choice })?;
        self.json(call).await
    }

    async fn answer_policy(&self, id: &str, choice: PolicyChoice) -> ClientResult<Enrolment> {
        let call = Call::post(paths::enrolment_policy(id), JSON).json(&PolicyAnswer { choice })?;
        self.json(call).await
    }

    async fn authenticate_blast(
        &self,
        id: &str,
        authentication: &BlastAuthentication,
    ) -> ClientResult<Enrolment> {
        let call = Call::post(paths::enrolment_authentication(id), JSON).json(authentication)?;
        self.json(call).await
    }

    async fn choose_password(&self, id: &str, choice: &PasswordChoice) -> ClientResult<Enrolment> {
        let call = Call::post(paths::enrolment_password(id), JSON).json(choice)?;
        self.json(call).await
    }

    async fn session(&self, credentials: &Credentials) -> ClientResult<Session> {
        self.json(Call::get(paths::SESSION, JSON).basic(credentials))
            .await
    }

    async fn change_password(
        &self,
        credentials: &Credentials,
        choice: &PasswordChoice,
    ) -> ClientResult<Session> {
        let call = Call::post(paths::PASSWORD, JSON)
            .basic(credentials)
            .json(choice)?;
        self.json(call).await
    }

    async fn send_batch(
        &self,
        credentials: &Credentials,
        xml: &[u8],
    ) -> ClientResult<BatchReceipt> {
        let call = Call::post(paths::BATCHES, JSON)
            .basic(credentials)
            .body(XML, xml.to_vec());
        self.json(call).await
    }

    async fn batch(
        &self,
        credentials: &Credentials,
        no_attes: AttestationNumber,
    ) -> ClientResult<BatchReceipt> {
        self.json(Call::get(paths::batch(no_attes.get()), JSON).basic(credentials))
            .await
    }

    async fn batch_returns(
        &self,
        credentials: &Credentials,
        no_attes: AttestationNumber,
    ) -> ClientResult<LotDemPaimtRecev> {
        self.xml(Call::get(paths::batch_returns(no_attes.get()), XML).basic(credentials))
            .await
    }

    async fn send_direct(
        &self,
        credentials: &Credentials,
        xml: &[u8],
    ) -> ClientResult<DemPaimtRecev> {
        let call = Call::post(paths::DIRECT, XML)
            .basic(credentials)
            .body(XML, xml.to_vec());
        self.xml(call).await
    }

    async fn journal(&self, credentials: &Credentials) -> ClientResult<Journal> {
        self.json(Call::get(paths::JOURNAL, JSON).basic(credentials))
            .await
    }

    async fn calendar(&self) -> ClientResult<BillingCalendar> {
        self.json(Call::get(paths::CALENDAR, JSON)).await
    }

    async fn statements(&self, credentials: &Credentials) -> ClientResult<StatementList> {
        self.json(Call::get(paths::STATEMENTS, JSON).basic(credentials))
            .await
    }

    async fn statement(
        &self,
        credentials: &Credentials,
        no_cycle: u32,
    ) -> ClientResult<EtatCompte> {
        self.xml(Call::get(paths::statement(no_cycle), XML).basic(credentials))
            .await
    }
}

#[cfg(test)]
mod tests {
    use tipi_domain::ids::TipiId;

    use super::*;

    const LOST: ClientError = ClientError::Transport {
        reached: Reached::Unknown,
    };
    const UNSENT: ClientError = ClientError::Transport {
        reached: Reached::No,
    };

    #[test]
    fn posts_are_never_retried() {
        let post = Call::post(paths::BATCHES, JSON);
        for error in [LOST, UNSENT, ClientError::Server { status: 500 }] {
            assert!(!post.may_retry(&error), "{error:?}");
        }
    }

    #[test]
    fn authentication_failures_are_never_retried() {
        let credentials = Credentials::new(TipiId::parse("AGP12345").unwrap(), "Passw0rd");
        let read = Call::get(paths::SESSION, JSON).basic(&credentials);
        for error in [
            ClientError::InvalidCredentials,
            ClientError::AccountSuspended,
            ClientError::PasswordExpired,
            ClientError::UntrustedCertificate,
        ] {
            assert!(!read.may_retry(&error), "{error:?}");
        }
    }

    #[test]
    fn an_authenticated_read_is_retried_only_when_it_surely_did_not_count() {
        let credentials = Credentials::new(TipiId::parse("AGP12345").unwrap(), "Passw0rd");
        let read = Call::get(paths::JOURNAL, JSON).basic(&credentials);
        assert!(read.may_retry(&UNSENT));
        assert!(read.may_retry(&ClientError::Server { status: 503 }));
        assert!(!read.may_retry(&LOST));
        let anonymous = Call::get(paths::CALENDAR, JSON);
        assert!(anonymous.may_retry(&LOST));
    }
}
