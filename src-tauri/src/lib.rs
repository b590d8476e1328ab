//! Tipi's Tauri shell: thin commands over tipi-core, app state, notification delivery.
//! No billing logic lives here.

mod commands;
mod state;

/// Adds Tipi's plugins, state and commands to a Tauri builder (the real one, or the mock
/// runtime's in tests).
pub fn configure<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_notification::init())
        .manage(state::AppConfig::from_env())
        .invoke_handler(tauri::generate_handler![commands::app_info])
}

/// Runs the desktop app until its last window closes.
pub fn run() {
    configure(tauri::Builder::default())
        .run(tauri::generate_context!())
        .expect("Tipi could not start its window");
}
