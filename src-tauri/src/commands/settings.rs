//! Settings: language, claim-form defaults, which reminders to show.

use serde::Serialize;
use tauri::State;
use tipi_core::{Environment, Lang};
use tipi_store::settings::LANGUAGE;

use super::home::lang_code;
use super::run;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The reminder kinds a user can turn off (`notify.<kind>` settings, on by default).
pub(crate) const REMINDER_KINDS: [&str; 8] = [
    "password",
    "cutoff",
    "cycle",
    "returns",
    "production",
    "late",
    "statement",
    "maintenance",
];

/// Settings the page may write as text, besides `notify.<kind>`.
const WRITABLE: [&str; 2] = ["professional", "place"];
/// Settings the page may switch on or off.
const SWITCHES: [&str; 1] = [crate::tray::KEEP_RUNNING];

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SettingsView {
    language: &'static str,
    environment: Environment,
    professional: Option<String>,
    place: Option<String>,
    clientele: tipi_domain::ids::Clientele,
    notifications: serde_json::Map<String, serde_json::Value>,
    version: &'static str,
    developer_number: String,
    /// Today in Québec by the app's clock (the sandbox's when it is embedded).
    today: chrono::NaiveDate,
    keep_running: bool,
    autostart: bool,
}

/// Whether reminders of `kind` are wanted (on unless turned off).
pub(crate) async fn reminder_wanted(state: &AppState, kind: &str) -> bool {
    !matches!(
        state.tipi().store().setting(&format!("notify.{kind}")).await,
        Ok(Some(v)) if v == "false"
    )
}

async fn setting(state: &AppState, key: &str) -> CommandResult<Option<String>> {
    run(state, async {
        Ok(state.tipi().store().setting(key).await?)
    })
    .await
}

/// Every setting the settings screen shows.
#[tauri::command]
pub(crate) async fn settings_get<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> CommandResult<SettingsView> {
    use tauri_plugin_autostart::ManagerExt;
    let mut notifications = serde_json::Map::new();
    for kind in REMINDER_KINDS {
        notifications.insert(kind.into(), reminder_wanted(&state, kind).await.into());
    }
    let software = tipi_core::default_software();
    Ok(SettingsView {
        language: lang_code(state.lang()),
        environment: state.tipi().environment(),
        professional: setting(&state, "professional").await?,
        place: setting(&state, "place").await?,
        clientele: software.developer.clientele(),
        notifications,
        version: env!("CARGO_PKG_VERSION"),
        developer_number: software.developer.to_string(),
        today: state.tipi().today(),
        keep_running: state
            .keep_running
            .load(std::sync::atomic::Ordering::Relaxed),
        autostart: app.autolaunch().is_enabled().unwrap_or(false),
    })
}

/// Writes one setting the page may change.
#[tauri::command]
pub(crate) async fn settings_set(
    state: State<'_, AppState>,
    key: String,
    value: String,
) -> CommandResult<()> {
    let switch = matches!(value.as_str(), "true" | "false");
    let allowed = WRITABLE.contains(&key.as_str())
        || (SWITCHES.contains(&key.as_str()) && switch)
        || key.strip_prefix("notify.").is_some_and(|kind| {
            REMINDER_KINDS.contains(&kind) && matches!(value.as_str(), "true" | "false")
        });
    if !allowed || value.len() > 64 {
        return Err(CommandError::new(
            "InvalidInput",
            state.lang(),
            "Ce réglage n'existe pas.",
            "There is no such setting.",
        ));
    }
    run(&state, async {
        Ok(state.tipi().store().set_setting(&key, value.trim()).await?)
    })
    .await?;
    if key == crate::tray::KEEP_RUNNING {
        state
            .keep_running
            .store(value == "true", std::sync::atomic::Ordering::Relaxed);
    }
    Ok(())
}

/// Starts Tipi at login, or stops doing so (off until the user turns it on).
#[tauri::command]
pub(crate) fn set_autostart<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    enabled: bool,
) -> CommandResult<()> {
    use tauri_plugin_autostart::ManagerExt;
    let manager = app.autolaunch();
    let done = if enabled {
        manager.enable()
    } else {
        manager.disable()
    };
    done.map_err(|error| {
        tracing::warn!(%error, "autostart not changed");
        CommandError::new(
            "Autostart",
            state.lang(),
            "Le démarrage à l'ouverture de session n'a pas pu être changé.",
            "Starting at login could not be changed.",
        )
    })
}

/// Sets the interface language (French or English) and remembers it.
#[tauri::command]
pub(crate) async fn set_language(
    state: State<'_, AppState>,
    language: String,
) -> CommandResult<()> {
    let lang = match language.as_str() {
        "fr" => Lang::Fr,
        "en" => Lang::En,
        _ => {
            return Err(CommandError::new(
                "InvalidInput",
                state.lang(),
                "Langue inconnue.",
                "Unknown language.",
            ))
        }
    };
    run(&state, async {
        Ok(state
            .tipi()
            .store()
            .set_setting(LANGUAGE, &language)
            .await?)
    })
    .await?;
    *state.lang.write().expect("language lock") = lang;
    Ok(())
}

/// Saves the explicit choice of environment for the next start (production needs RAMQ's
/// `https://` address). The running app keeps its environment until it restarts.
#[tauri::command]
pub(crate) fn set_environment(
    state: State<'_, AppState>,
    environment: Environment,
    production_url: Option<String>,
) -> CommandResult<()> {
    let choice = crate::choice::EnvironmentChoice {
        environment,
        production_url: production_url
            .map(|url| url.trim().to_owned())
            .filter(|url| !url.is_empty()),
    };
    crate::choice::save(&state.data_dir, &choice).map_err(|error| match error {
        crate::choice::ChoiceError::ProductionUrl => CommandError::new(
            "InvalidInput",
            state.lang(),
            "La production demande l'adresse TIP-I de la RAMQ, en https://.",
            "Production needs RAMQ's TIP-I address, starting with https://.",
        ),
        crate::choice::ChoiceError::Io => CommandError::new(
            "Storage",
            state.lang(),
            "Le choix n'a pas pu être enregistré.",
            "The choice could not be saved.",
        ),
    })
}
