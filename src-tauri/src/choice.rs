//! The user's explicit choice of environment, kept in `<data dir>/environment.json` and read at
//! start. Switching takes a restart, so one running app never mixes the two environments'
//! data or secrets. `TIPI_ENV` / `TIPI_PRODUCTION_URL`, when set, win over the file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tipi_core::Environment;

/// What is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EnvironmentChoice {
    pub(crate) environment: Environment,
    /// RAMQ's TIP-I address (production only).
    pub(crate) production_url: Option<String>,
}

fn file(data_dir: &Path) -> PathBuf {
    data_dir.join("environment.json")
}

/// The saved choice; none (the sandbox) when absent or unreadable.
pub(crate) fn load(data_dir: &Path) -> Option<EnvironmentChoice> {
    let text = std::fs::read_to_string(file(data_dir)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Why a choice is refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChoiceError {
    /// Production needs an `https://` address.
    ProductionUrl,
    /// The file could not be written.
    Io,
}

/// Saves a choice, checked first: production needs an `https://` address.
pub(crate) fn save(data_dir: &Path, choice: &EnvironmentChoice) -> Result<(), ChoiceError> {
    let url_ok = choice
        .production_url
        .as_deref()
        .is_some_and(|url| url.starts_with("https://") && url.len() > "https://".len());
    if choice.environment == Environment::Production && !url_ok {
        return Err(ChoiceError::ProductionUrl);
    }
    let text = serde_json::to_string_pretty(choice).map_err(|_| ChoiceError::Io)?;
    std::fs::create_dir_all(data_dir).map_err(|_| ChoiceError::Io)?;
    std::fs::write(file(data_dir), text).map_err(|_| ChoiceError::Io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_needs_an_https_address_and_the_choice_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), None);
        let mut choice = EnvironmentChoice {
            environment: Environment::Production,
            production_url: Some("http://tipi.example".into()),
        };
        assert_eq!(save(dir.path(), &choice), Err(ChoiceError::ProductionUrl));
        assert_eq!(load(dir.path()), None, "nothing written");
        choice.production_url = Some("https://tipi.example".into());
        save(dir.path(), &choice).unwrap();
        assert_eq!(load(dir.path()), Some(choice));
        let sandbox = EnvironmentChoice {
            environment: Environment::Sandbox,
            production_url: None,
        };
        save(dir.path(), &sandbox).unwrap();
        assert_eq!(load(dir.path()), Some(sandbox));
    }
}
