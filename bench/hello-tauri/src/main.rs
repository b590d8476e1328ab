//! A bare Tauri 2 "hello world": the floor for Tipi's start time, memory and size in
//! `cargo xtask bench`. Its page calls `ui_ready` once rendered; with `TIPI_BENCH_READY_FILE`
//! set, that writes the file, exactly as Tipi does.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[tauri::command]
fn ui_ready() {
    if let Some(path) = std::env::var_os("TIPI_BENCH_READY_FILE") {
        let _ = std::fs::write(path, b"ready");
    }
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!())
        .expect("the hello world could not start its window");
}
