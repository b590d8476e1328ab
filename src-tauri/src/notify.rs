//! One reminder on the desktop, and what a click on it does: the main window comes to the front
//! and the UI opens the reminder's screen ([`OPEN_ROUTE`] event with the route tipi-core gives
//! the reminder's kind).
//!
//! tauri-plugin-notification has no click callback on Linux desktops, so there the notification
//! is sent with notify-rust (what the plugin uses underneath) with a "default" action, and a
//! blocking thread waits for the notification server to report the click or the closing.
//! Other desktops keep the plugin (no click handling yet).

use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tipi_core::reminders::Reminder;
use tipi_core::Lang;

/// The event the UI listens to, to open the screen of a clicked reminder.
pub(crate) const OPEN_ROUTE: &str = "reminder-open";

/// The name notification servers show for the app.
pub(crate) const APP_NAME: &str = "Tipi";

#[derive(Clone, Serialize)]
struct OpenRoute {
    route: String,
}

/// Brings the main window to the front and asks the UI to open `route`.
pub(crate) fn open_route<R: Runtime>(app: &AppHandle<R>, route: String) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
    if let Err(error) = app.emit_to("main", OPEN_ROUTE, OpenRoute { route }) {
        tracing::warn!(%error, "the clicked reminder's screen was not opened");
    }
}

/// Shows `reminder`; a click on it opens its screen.
#[cfg(target_os = "linux")]
pub(crate) fn show<R: Runtime>(
    app: &AppHandle<R>,
    reminder: &Reminder,
    lang: Lang,
) -> Result<(), String> {
    let handle = notify_rust::Notification::new()
        .appname(APP_NAME)
        .summary(&reminder.title(lang))
        .body(&reminder.body(lang))
        .action("default", lang.pick("Ouvrir", "Open"))
        .show()
        .map_err(|e| e.to_string())?;
    let app = app.clone();
    let route = reminder.kind.route();
    // Returns when the server reports a click or the notification's closing (expired,
    // dismissed); a notification that never closes keeps its small thread waiting.
    std::thread::spawn(move || {
        handle.wait_for_action(|action| {
            if action == "default" {
                open_route(&app, route);
            }
        });
    });
    Ok(())
}

/// Shows `reminder` through the notification plugin (no click handling on these desktops).
#[cfg(not(target_os = "linux"))]
pub(crate) fn show<R: Runtime>(
    app: &AppHandle<R>,
    reminder: &Reminder,
    lang: Lang,
) -> Result<(), String> {
    use tauri_plugin_notification::NotificationExt;
    app.notification()
        .builder()
        .title(reminder.title(lang))
        .body(reminder.body(lang))
        .show()
        .map_err(|e| e.to_string())
}
