//! Living in the system tray: with "keep running" on, closing the window hides it and the app
//! stays in the tray, so reminders still arrive; the tray menu opens it again or quits.
//! Starting at login is the autostart plugin's job (off by default, the user's choice).

use std::sync::atomic::Ordering;

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};

use crate::state::AppState;

/// The setting that keeps the app in the tray when its window is closed.
pub(crate) const KEEP_RUNNING: &str = "tray.keep_running";

/// Adds the tray icon and its menu (in the user's language).
pub(crate) fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let lang = app.state::<AppState>().lang();
    let open = MenuItem::with_id(
        app,
        "open",
        lang.pick("Ouvrir Tipi", "Open Tipi"),
        true,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(
        app,
        "quit",
        lang.pick("Quitter Tipi", "Quit Tipi"),
        true,
        None::<&str>,
    )?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut tray = TrayIconBuilder::with_id("tipi")
        .tooltip("Tipi")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => show_main(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Closing the window hides it instead when the user chose to keep Tipi running.
pub(crate) fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        let keep = window
            .try_state::<AppState>()
            .is_some_and(|state| state.keep_running.load(Ordering::Relaxed));
        if keep {
            api.prevent_close();
            let _ = window.hide();
        }
    }
}
