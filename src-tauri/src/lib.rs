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
mod startup;
mod state;
mod tray;

use commands::{account, backup, calendar, claims, home, journal, send, settings};

/// Adds Tipi's plugins and commands to a Tauri builder (the real one, or the mock runtime's in
/// tests). The state is built once, started from `setup` (see [`startup`]).
pub fn configure<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    let (starter, gate) = startup::gate();
    let commands = std::sync::Arc::new(app_commands::<R>());
    builder
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .setup(move |app| {
            // The window is already created: the engine starts beside WebKit, not before it.
            starter.spawn(app.handle().clone());
            Ok(())
        })
        .on_window_event(tray::on_window_event)
        .invoke_handler(move |invoke| gate.dispatch(invoke, &commands))
}

/// Every app command (the page waits for the engine through [`startup::Gate`]).
fn app_commands<R: tauri::Runtime>(
) -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
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
    ]
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
