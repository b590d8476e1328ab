//! Backups from the app (Settings) and the way back after a lost database key (the recovery
//! screen). Files go to one folder the user sees (`Documents/Tipi/backups`); a restore is
//! checked before anything is replaced, the replaced database is set aside (renamed, never
//! deleted), and the engine is opened again on the restored data without a restart.

use std::path::{Path, PathBuf};
use std::sync::RwLock;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tauri::{AppHandle, Manager, Runtime, State};
use tipi_core::backup::{self, BackupFile};
use tipi_core::{local, CoreError, KeyringSecrets, Lang, Sensitive};
use tipi_store::settings::LANGUAGE;

use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, Backend, RecoveryReason};

/// Whether the app waits for the user to recover its data, and the language of the page
/// while there is no store to keep it. Managed for the app's lifetime.
pub(crate) struct Recovery {
    reason: RwLock<Option<RecoveryReason>>,
    lang: RwLock<Lang>,
    /// One restore or fresh start at a time.
    busy: tokio::sync::Mutex<()>,
}

impl Recovery {
    pub(crate) fn new(reason: Option<RecoveryReason>) -> Self {
        Self {
            reason: RwLock::new(reason),
            lang: RwLock::new(Lang::Fr),
            busy: tokio::sync::Mutex::new(()),
        }
    }

    fn reason(&self) -> Option<RecoveryReason> {
        *self.reason.read().expect("recovery lock")
    }
}

/// The language of messages: the store's when it is open, else the page's.
fn lang<R: Runtime>(app: &AppHandle<R>) -> Lang {
    match app.try_state::<AppState>() {
        Some(state) => state.lang(),
        None => *app.state::<Recovery>().lang.read().expect("recovery lock"),
    }
}

fn core_error<R: Runtime>(app: &AppHandle<R>) -> impl Fn(CoreError) -> CommandError + '_ {
    move |error| CommandError::core(error, lang(app))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RecoveryView {
    /// `keyLost` or `unreadable`.
    reason: &'static str,
    /// The database Tipi could not open (left as it is).
    database: String,
    environment: tipi_core::Environment,
}

/// Whether the app started in recovery (`null` when the local data opened). The page passes
/// its language, used for messages until the data is back.
#[tauri::command]
pub(crate) fn recovery_status(
    backend: State<'_, Backend>,
    recovery: State<'_, Recovery>,
    language: Option<String>,
) -> Option<RecoveryView> {
    if let Some(lang) = language.as_deref().and_then(parse_lang) {
        *recovery.lang.write().expect("recovery lock") = lang;
    }
    let reason = recovery.reason()?;
    Some(RecoveryView {
        reason: match reason {
            RecoveryReason::KeyLost => "keyLost",
            RecoveryReason::Unreadable => "unreadable",
        },
        database: display(
            &backend
                .environment()
                .database_path(&backend.config.data_dir),
        ),
        environment: backend.environment(),
    })
}

fn parse_lang(code: &str) -> Option<Lang> {
    match code {
        "fr" => Some(Lang::Fr),
        "en" => Some(Lang::En),
        _ => None,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BackupView {
    path: String,
    name: String,
    size: u64,
    modified: Option<DateTime<Utc>>,
}

impl From<BackupFile> for BackupView {
    fn from(file: BackupFile) -> Self {
        Self {
            name: file
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: display(&file.path),
            size: file.size,
            modified: file.modified,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BackupsView {
    /// Where backups are written and looked for.
    folder: String,
    /// The shortest passphrase accepted (tipi-core's one rule).
    min_chars: usize,
    /// Newest first.
    backups: Vec<BackupView>,
}

/// The backups in the backup folder, and the passphrase rule.
#[tauri::command]
pub(crate) fn backups_list<R: Runtime>(app: AppHandle<R>) -> CommandResult<BackupsView> {
    let folder = backup::default_backup_dir();
    let backups = backup::list_backups(&folder).map_err(|error| {
        tracing::warn!(%error, "backup folder not read");
        CommandError::new(
            "Storage",
            lang(&app),
            "Le dossier des sauvegardes n'a pas pu être lu.",
            "The backup folder could not be read.",
        )
    })?;
    Ok(BackupsView {
        folder: display(&folder),
        min_chars: backup::MIN_PASSPHRASE_CHARS,
        backups: backups.into_iter().map(BackupView::from).collect(),
    })
}

/// Writes a backup of the local state to the backup folder, named after the date and time
/// in Québec. The passphrase is typed twice; nothing is written unless both match and the
/// passphrase follows the rule.
#[tauri::command]
pub(crate) async fn backup_create(
    state: State<'_, AppState>,
    passphrase: String,
    confirmation: String,
) -> CommandResult<BackupView> {
    let lang = state.lang();
    if passphrase != confirmation {
        return Err(CommandError::new(
            "PassphraseMismatch",
            lang,
            "Les deux phrases de passe diffèrent. Aucune sauvegarde n'a été écrite.",
            "The two passphrases differ. No backup was written.",
        ));
    }
    let passphrase = Sensitive::new(passphrase);
    backup::check_passphrase(&passphrase).map_err(|e| CommandError::core(e, lang))?;
    let folder = backup::default_backup_dir();
    std::fs::create_dir_all(&folder).map_err(|error| {
        tracing::warn!(%error, "backup folder not created");
        CommandError::new(
            "Storage",
            lang,
            "Le dossier des sauvegardes n'a pas pu être créé.",
            "The backup folder could not be created.",
        )
    })?;
    // The computer's clock names files (the app's may follow a sandbox moved in time).
    let path = folder.join(backup::backup_file_name(
        state.tipi().environment(),
        Utc::now(),
    ));
    state
        .tipi()
        .backup(&path, &passphrase)
        .await
        .map_err(|e| CommandError::core(e, lang))?;
    let metadata = std::fs::metadata(&path).ok();
    Ok(BackupView::from(BackupFile {
        size: metadata.as_ref().map_or(0, std::fs::Metadata::len),
        modified: metadata
            .and_then(|m| m.modified().ok())
            .map(DateTime::<Utc>::from),
        path,
    }))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RestoredView {
    /// Where the replaced database went (`null` when there was none).
    set_aside: Option<String>,
}

/// A path typed by the user: `~/` is the home folder, a bare name is in the backup folder.
fn typed_path(typed: &str) -> PathBuf {
    let typed = typed.trim();
    if let Some(rest) = typed.strip_prefix("~/") {
        if let Some(home) = dirs_home() {
            return home.join(rest);
        }
    }
    let path = PathBuf::from(typed);
    if path.is_absolute() {
        path
    } else {
        backup::default_backup_dir().join(path)
    }
}

fn dirs_home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// Replaces the local data with the backup at `path`, checked with `passphrase` before
/// anything changes. The current database is set aside; the app then works on the restored
/// data without restarting (from the recovery screen, the app becomes ready).
#[tauri::command]
pub(crate) async fn backup_restore<R: Runtime>(
    app: AppHandle<R>,
    backend: State<'_, Backend>,
    recovery: State<'_, Recovery>,
    path: String,
    passphrase: String,
) -> CommandResult<RestoredView> {
    let _one_at_a_time = recovery.busy.lock().await;
    let file = typed_path(&path);
    if path.trim().is_empty() || !file.is_file() {
        return Err(CommandError::new(
            "BackupNotFound",
            lang(&app),
            "Aucune sauvegarde à cet endroit. Rien n'a été modifié.",
            "There is no backup there. Nothing was changed.",
        ));
    }
    let data_dir = &backend.config.data_dir;
    let pending = local::prepare_restore(
        data_dir,
        backend.environment(),
        &file,
        &Sensitive::new(passphrase),
    )
    .await
    .map_err(core_error(&app))?;
    let set_aside = match app.try_state::<AppState>() {
        Some(state) => {
            // The backup is good: stop the engine (after any transmission), swap the files,
            // and open the engine again on what is now in place.
            let _no_sending = state.sending.lock().await;
            state.tipi().store().clone().close().await;
            let committed = pending.commit(&KeyringSecrets, Utc::now());
            let tipi = backend.open().await.map_err(core_error(&app))?;
            state.engine.replace(tipi);
            state.reload_settings().await;
            committed.map_err(core_error(&app))?
        }
        None => {
            let set_aside = pending
                .commit(&KeyringSecrets, Utc::now())
                .map_err(core_error(&app))?;
            become_ready(&app, &backend, &recovery).await?;
            set_aside
        }
    };
    tracing::info!("backup restored");
    Ok(RestoredView {
        set_aside: set_aside.as_deref().map(display),
    })
}

/// From the recovery screen: sets the unreadable database aside (renamed, never deleted) and
/// starts with empty local data.
#[tauri::command]
pub(crate) async fn recovery_start_fresh<R: Runtime>(
    app: AppHandle<R>,
    backend: State<'_, Backend>,
    recovery: State<'_, Recovery>,
) -> CommandResult<RestoredView> {
    let _one_at_a_time = recovery.busy.lock().await;
    if recovery.reason().is_none() {
        return Err(CommandError::new(
            "WrongState",
            lang(&app),
            "Les données locales sont lisibles : il n'y a rien à mettre de côté.",
            "The local data can be read: there is nothing to set aside.",
        ));
    }
    let set_aside = local::set_aside(&backend.config.data_dir, backend.environment(), Utc::now())
        .map_err(core_error(&app))?;
    become_ready(&app, &backend, &recovery).await?;
    tracing::info!("started fresh; the unreadable database was set aside");
    Ok(RestoredView {
        set_aside: set_aside.as_deref().map(display),
    })
}

/// Opens the store and gives the app its state (it had none while recovering).
async fn become_ready<R: Runtime>(
    app: &AppHandle<R>,
    backend: &Backend,
    recovery: &Recovery,
) -> CommandResult<()> {
    let tipi = backend.open().await.map_err(core_error(app))?;
    // Fresh data has no language yet: keep the one the page shows.
    let store = tipi.store();
    if let Ok(None) = store.setting(LANGUAGE).await {
        let code = crate::commands::home::lang_code(lang(app));
        if let Err(error) = store.set_setting(LANGUAGE, code).await {
            tracing::info!(%error, "language not kept");
        }
    }
    app.manage(AppState::with(tipi, backend).await);
    *recovery.reason.write().expect("recovery lock") = None;
    if let Err(error) = crate::tray::install(app) {
        tracing::info!(%error, "no system tray");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_is_absolute_in_the_home_or_in_the_backup_folder() {
        assert_eq!(
            typed_path(" /media/key/tipi.tipibackup "),
            PathBuf::from("/media/key/tipi.tipibackup")
        );
        assert_eq!(
            typed_path("tipi-sandbox-2026-03-10-10h00m00.tipibackup"),
            backup::default_backup_dir().join("tipi-sandbox-2026-03-10-10h00m00.tipibackup")
        );
        if let Some(home) = dirs_home() {
            assert_eq!(
                typed_path("~/tipi.tipibackup"),
                home.join("tipi.tipibackup")
            );
        }
    }
}
