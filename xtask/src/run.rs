//! `cargo xtask run`: builds the app and opens it.

use crate::{cargo, status, workspace_root};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;
use tipi_testrig::{Desktop, DesktopOptions};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let screenshot = match args {
        [] => None,
        [flag, path] if flag == "--screenshot" => Some(PathBuf::from(path)),
        _ => return Err("usage: cargo xtask run [--screenshot FILE]".into()),
    };
    crate::setup::run()?;
    // The same feature set as `cargo xtask test`, so the two share one build.
    status(cargo().args(["build", "--workspace", "--bins"]))?;
    let binary = target_dir().join("debug/tipi-app");

    let has_display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    if has_display && screenshot.is_none() {
        return status(&mut Command::new(&binary));
    }
    // No display (a server, CI) or a screenshot wanted: a private desktop under Xvfb.
    let desktop = Desktop::start(DesktopOptions::FULL).map_err(|e| e.to_string())?;
    let mut app = Command::new(&binary);
    desktop.apply(&mut app);
    eprintln!(
        "Tipi runs on the virtual display {} (no screen here).",
        desktop.var("DISPLAY").unwrap_or("?")
    );
    let Some(path) = screenshot else {
        return status(&mut app);
    };
    let mut child = app.spawn().map_err(|e| format!("starting Tipi: {e}"))?;
    std::thread::sleep(Duration::from_secs(8));
    let mut import = Command::new("import");
    desktop
        .apply(&mut import)
        .args(["-window", "root"])
        .arg(&path);
    let shot = status(&mut import);
    tipi_testrig::stop_gracefully(&mut child);
    shot?;
    eprintln!("screenshot saved to {}", path.display());
    Ok(())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}
