//! The headless desktop rig shared by Tipi's tests and `cargo xtask run`.
//!
//! A [`Desktop`] is a private, throw-away user session: its own D-Bus session bus, a
//! gnome-keyring Secret Service unlocked on it (so `keyring` stores real secrets), optionally an
//! Xvfb display and the dunst notification server. Nothing touches the real user's keyring, data
//! or bus: every XDG directory points into a temporary directory removed on drop.
//!
//! Tests that need the rig call [`Desktop::start`]; when a tool is missing, [`rig_unavailable`]
//! skips on a developer machine and fails under CI (`CI` set), so CI can never pass by skipping.

mod desktop;
mod notifications;
mod process;

pub use desktop::{Desktop, DesktopOptions};
pub use notifications::{Notification, NotificationWatcher};
pub use process::{free_port, require, stop_gracefully, wait_for_port};

use std::time::Duration;

/// What can go wrong while starting the rig.
#[derive(Debug, thiserror::Error)]
pub enum RigError {
    /// A program the rig needs is not installed (`cargo xtask setup` installs it).
    #[error("`{0}` is not installed; run `cargo xtask setup`")]
    Missing(&'static str),
    /// A program started but did not become ready in time.
    #[error("{what} did not become ready within {timeout:?}")]
    NotReady {
        /// The service that was waited for.
        what: String,
        /// How long the rig waited.
        timeout: Duration,
    },
    /// Starting or talking to a program failed.
    #[error("{what}: {source}")]
    Io {
        /// What the rig was doing.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Reports that the rig cannot run here: a panic under CI (a skipped e2e test must never let CI
/// pass), a message and `true` ("skip") on a developer machine without the packages.
pub fn rig_unavailable(error: &RigError) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("the headless rig is required under CI: {error}");
    }
    eprintln!("SKIPPED: the headless rig is not available here ({error})");
    true
}

/// Starts a [`Desktop`] with `options`, or returns `None` when the rig is unavailable on a
/// developer machine (see [`rig_unavailable`]).
pub fn desktop_or_skip(options: DesktopOptions) -> Option<Desktop> {
    // The test's own events go to the trace dir too (`cargo xtask test`'s leak scan).
    tipi_trace::init_for_tests();
    match Desktop::start(options) {
        Ok(desktop) => Some(desktop),
        Err(error) => {
            rig_unavailable(&error);
            None
        }
    }
}
