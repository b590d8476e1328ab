//! Secrets: the TIP-I password and the database key live in the OS keychain only.
//! Entries are namespaced by environment, so sandbox credentials can never reach production.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use tipi_store::Environment;

/// A secret value in transit. Its Debug prints `<redacted>` and it cannot be serialised, so it
/// never ends up in a log line, an error message or a file by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that must use it (an auth header, the keychain).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

/// Which secret: an environment and an account within it (e.g. `AGP12345/password`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey {
    environment: Environment,
    account: String,
}

impl SecretKey {
    /// The TIP-I password of `tipi_id` in `environment`.
    pub fn tipi_password(environment: Environment, tipi_id: &str) -> Self {
        Self {
            environment,
            account: format!("{tipi_id}/password"),
        }
    }

    /// The key of the local database of `environment` (64 hex digits: 32 random bytes).
    pub fn database_key(environment: Environment) -> Self {
        Self {
            environment,
            account: "database/key".to_owned(),
        }
    }

    /// The keychain service name: one per environment.
    pub fn service(&self) -> String {
        format!("ca.tipi.app.{}", self.environment.as_str())
    }

    /// The account within the service.
    pub fn account(&self) -> &str {
        &self.account
    }
}

/// Why a secret could not be read or written. Never carries the secret.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The keychain is locked, missing or refused access.
    #[error("the system keychain is not available: {0}")]
    Unavailable(String),
}

/// Where secrets are kept.
pub trait SecretStore: Send + Sync {
    /// Reads a secret; `None` when there is none.
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError>;
    /// Writes (or replaces) a secret.
    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError>;
    /// Removes a secret; removing a missing one is not an error.
    fn delete(&self, key: &SecretKey) -> Result<(), SecretError>;
}

/// The OS keychain through `keyring` (Secret Service on Linux, Keychain on macOS, Credential
/// Manager on Windows).
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyringSecrets;

impl KeyringSecrets {
    fn entry(key: &SecretKey) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&key.service(), key.account()).map_err(unavailable)
    }
}

fn unavailable(error: keyring::Error) -> SecretError {
    // keyring's errors name the store and the failure, never the secret.
    SecretError::Unavailable(error.to_string())
}

impl SecretStore for KeyringSecrets {
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        match Self::entry(key)?.get_password() {
            Ok(value) => Ok(Some(Sensitive(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(unavailable(error)),
        }
    }

    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        Self::entry(key)?
            .set_password(value.expose())
            .map_err(unavailable)
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        match Self::entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(unavailable(error)),
        }
    }
}

/// Secrets in memory, for unit tests only.
#[derive(Debug, Default)]
pub struct MemorySecrets(Mutex<HashMap<SecretKey, Sensitive<String>>>);

impl SecretStore for MemorySecrets {
    fn get(&self, key: &SecretKey) -> Result<Option<Sensitive<String>>, SecretError> {
        Ok(self.0.lock().expect("secrets lock").get(key).cloned())
    }

    fn set(&self, key: &SecretKey, value: &Sensitive<String>) -> Result<(), SecretError> {
        self.0
            .lock()
            .expect("secrets lock")
            .insert(key.clone(), value.clone());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<(), SecretError> {
        self.0.lock().expect("secrets lock").remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_never_shows_its_value() {
        let secret = Sensitive::new("Secret42".to_owned());
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
        assert_eq!(secret.expose(), "Secret42");
    }

    #[test]
    fn environments_never_share_a_namespace() {
        let sandbox = SecretKey::tipi_password(Environment::Sandbox, "AGP12345");
        let production = SecretKey::tipi_password(Environment::Production, "AGP12345");
        assert_ne!(sandbox.service(), production.service());
        assert_eq!(sandbox.account(), production.account());
        let key = SecretKey::database_key(Environment::Sandbox);
        assert_ne!(key, SecretKey::database_key(Environment::Production));
        assert_eq!(key.service(), sandbox.service(), "beside the credentials");
        assert_ne!(key.account(), sandbox.account());
    }

    #[test]
    fn memory_secrets_round_trip() {
        let store = MemorySecrets::default();
        let key = SecretKey::tipi_password(Environment::Sandbox, "AGP12345");
        assert!(store.get(&key).unwrap().is_none());
        store.set(&key, &Sensitive::new("Secret42".into())).unwrap();
        assert_eq!(store.get(&key).unwrap().unwrap().expose(), "Secret42");
        store.delete(&key).unwrap();
        store.delete(&key).unwrap();
        assert!(store.get(&key).unwrap().is_none());
    }
}
