//! `TIPI_BENCH_READY_FILE`: when set, the app writes that file once the UI reports its first
//! screen rendered, so `cargo xtask bench` can time a cold start to the first meaningful paint.
//! Unset (always, outside the bench), the command does nothing.

/// Called by the UI right after it sets `body[data-ready=true]`.
#[tauri::command]
pub(crate) fn ui_ready() {
    if let Some(path) = std::env::var_os("TIPI_BENCH_READY_FILE") {
        // Best effort: a bench that finds no file reports the start as failed.
        let _ = std::fs::write(path, b"ready");
    }
}
