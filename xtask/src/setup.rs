//! Installs what a fresh machine lacks. Idempotent: installs only what is missing.

use crate::{cargo, status};
use std::process::Command;

/// Debian packages: WebKitGTK to build the app, the headless desktop to test it.
const PACKAGES: &[&str] = &[
    // build
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libayatana-appindicator3-dev",
    // headless desktop for tests and `xtask run` without a display
    "xvfb",
    "xauth",
    "x11-utils",
    "webkit2gtk-driver",
    "dbus",
    "gnome-keyring",
    "libsecret-tools",
    "dunst",
    "libnotify-bin",
    "imagemagick",
    "xdotool",
    // benchmarks and fault tests compare against these
    "sqlite3",
    "curl",
];

pub(crate) fn run() -> Result<(), String> {
    install_packages()?;
    install_cargo_tool(
        "tauri-driver",
        &["tauri-driver", "--version", "^2", "--locked"],
    )?;
    install_cargo_tool("cargo-nextest", &["cargo-nextest", "--locked"])?;
    // `cargo xtask fuzz` and the short fuzz run of `cargo xtask test`, on stable.
    install_cargo_tool("cargo-fuzz", &["cargo-fuzz", "--locked"])?;
    Ok(())
}

fn install_packages() -> Result<(), String> {
    let missing: Vec<&str> = PACKAGES
        .iter()
        .copied()
        .filter(|package| !is_installed(package))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("installing system packages: {}", missing.join(" "));
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut command = if sudo {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        } else {
            Command::new("apt-get")
        };
        command.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        command
    };
    status(&mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    status(install.args(&missing))
}

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn install_cargo_tool(binary: &str, install_args: &[&str]) -> Result<(), String> {
    let present = Command::new(binary)
        .arg("--version")
        .output()
        .map(|out| out.status.success())
        .unwrap_or(false)
        || (binary == "cargo-nextest"
            && cargo()
                .args(["nextest", "--version"])
                .output()
                .map(|out| out.status.success())
                .unwrap_or(false));
    if present {
        return Ok(());
    }
    status(cargo().arg("install").args(install_args))
}
