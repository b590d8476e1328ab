//! How an [`crate::HttpTransport`] reaches TIP-I: address, trust, timeout, retries.

use std::time::Duration;

/// The TIP-I client's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// `https://host[:port]`, without the `/tipi/v1` base (HTTPS only).
    pub base_url: String,
    /// A CA certificate (PEM) trusted instead of the system's roots: the sandbox's `ca.pem`.
    pub extra_root_ca_pem: Option<Vec<u8>>,
    /// Whether [`Self::extra_root_ca_pem`] may be used at all. Production is built with
    /// `false` and refuses any extra CA, so the sandbox's CA can never be trusted there.
    pub allow_extra_ca: bool,
    /// The whole request's limit (connect, send, answer).
    pub timeout: Duration,
    /// Retries of idempotent reads.
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// Production: the system's roots only.
    pub fn production(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            extra_root_ca_pem: None,
            allow_extra_ca: false,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }

    /// The sandbox: its CA alone.
    pub fn sandbox(base_url: impl Into<String>, ca_pem: impl Into<Vec<u8>>) -> Self {
        Self {
            extra_root_ca_pem: Some(ca_pem.into()),
            allow_extra_ca: true,
            ..Self::production(base_url)
        }
    }
}

/// Generous enough for a batch of a few thousand requests on a slow line.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Bounded exponential backoff for the reads that may be retried (see [`crate::Transport`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included (1: never retry).
    pub attempts: u32,
    /// The wait before the second try; doubled before each next one.
    pub first_backoff: Duration,
}

impl RetryPolicy {
    /// Never retry.
    pub const NEVER: Self = Self {
        attempts: 1,
        first_backoff: Duration::ZERO,
    };

    /// The wait before try number `attempt` (2 for the first retry).
    pub(crate) fn backoff(self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(2).min(16);
        self.first_backoff.saturating_mul(1 << doublings)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            first_backoff: Duration::from_millis(250),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_first_retry() {
        let policy = RetryPolicy {
            attempts: 4,
            first_backoff: Duration::from_millis(100),
        };
        assert_eq!(policy.backoff(2), Duration::from_millis(100));
        assert_eq!(policy.backoff(3), Duration::from_millis(200));
        assert_eq!(policy.backoff(4), Duration::from_millis(400));
    }

    #[test]
    fn production_never_allows_an_extra_ca() {
        let config = ClientConfig::production("https://tipi.example");
        assert!(!config.allow_extra_ca);
        assert!(config.extra_root_ca_pem.is_none());
        let sandbox = ClientConfig::sandbox("https://localhost:8443", b"pem".to_vec());
        assert!(sandbox.allow_extra_ca);
    }
}
