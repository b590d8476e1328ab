//! Tipi's Tauri shell: thin commands over tipi-core, the app state built once at start, and
//! the delivery of reminders. No billing rule lives here.

mod choice;
mod commands;
mod error;
#[cfg(mobile)]
mod mobile;
mod notify;
mod ready;
mod reminders;
mod state;
mod tray;

use commands::{account, backup, calendar, claims, home, journal, send, settings};
use tauri::Manager;

/// Adds Tipi's plugins and commands to a Tauri builder (the real one, or the mock runtime's in
/// tests). The state is built in `setup`, once.
pub fn configure<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .setup(|app| {
            let config = state::AppConfig::from_env();
            let backend = tauri::async_runtime::block_on(state::Backend::start(config))?;
            let started = tauri::async_runtime::block_on(state::AppState::start(&backend))?;
            app.manage(backend);
            // A lost database key starts the recovery screen, with no state until it is done.
            let recovery = match started {
                state::Started::Ready(state) => {
                    app.manage(*state);
                    None
                }
                state::Started::Recovery(reason) => Some(reason),
            };
            let ready = recovery.is_none();
            app.manage(backup::Recovery::new(recovery));
            reminders::start(app.handle());
            if ready {
                if let Err(error) = tray::install(app.handle()) {
                    // No tray on this desktop: the app still works, it just quits with its window.
                    tracing::info!(%error, "no system tray");
                }
            }
            Ok(())
        })
        .on_window_event(tray::on_window_event)
        .invoke_handler(tauri::generate_handler![
            home::app_info,
            ready::ui_ready,
            home::overview,
            account::enrolment_start,
            account::enrolment_warning,
            account::enrolment_policy,
            account::enrolment_authenticate,
            account::enrolment_password,
            account::sign_in,
            account::password_rules,
            account::change_password,
            claims::claims_list,
            claims::claim_get,
            claims::claim_validate,
            claims::claim_save,
            claims::claims_import,
            send::batch_dry_run,
            send::batch_build,
            send::transmit,
            send::direct_send,
            send::resend_test_file,
            journal::journal,
            journal::sync,
            calendar::calendar,
            calendar::calendar_refresh,
            settings::settings_get,
            settings::settings_set,
            settings::set_language,
            settings::set_autostart,
            settings::set_environment,
            backup::recovery_status,
            backup::backups_list,
            backup::backup_create,
            backup::backup_restore,
            backup::recovery_start_fresh,
        ])
}

/// Runs the desktop app until its last window closes.
pub fn run() {
    tipi_trace::init(tipi_trace::Stderr {
        filter_var: "TIPI_LOG",
        default_filter: "info",
        ansi: false,
    });
    configure(tauri::Builder::default())
        .run(tauri::generate_context!())
        .expect("Tipi could not start its window");
}
