//! A private user session: D-Bus, gnome-keyring, Xvfb and dunst.

use crate::notifications::NotificationWatcher;
use crate::process::{require, spawn, stop_gracefully as stop, wait_until};
use crate::RigError;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// Which parts of the desktop a test needs.
#[derive(Debug, Clone, Copy)]
pub struct DesktopOptions {
    /// Unlock a gnome-keyring Secret Service on the bus.
    pub keyring: bool,
    /// Start an Xvfb display (needed by any window).
    pub display: bool,
    /// Start dunst, a real notification server (needs the display).
    pub notifications: bool,
}

impl DesktopOptions {
    /// Everything: bus, keyring, display and notification server.
    pub const FULL: Self = Self {
        keyring: true,
        display: true,
        notifications: true,
    };
    /// A bus with the keyring only (no window).
    pub const KEYRING: Self = Self {
        keyring: true,
        display: false,
        notifications: false,
    };
}

/// A running private desktop session. Dropping it stops every process it started.
#[derive(Debug)]
pub struct Desktop {
    home: tempfile::TempDir,
    env: Vec<(String, String)>,
    children: Vec<(&'static str, Child)>,
}

impl Desktop {
    /// Starts the parts `options` asks for, each ready before this returns.
    pub fn start(options: DesktopOptions) -> Result<Self, RigError> {
        require("dbus-daemon")?;
        require("dbus-send")?;
        if options.keyring {
            require("gnome-keyring-daemon")?;
        }
        if options.display || options.notifications {
            require("Xvfb")?;
        }
        if options.notifications {
            require("dunst")?;
        }
        let home = tempfile::Builder::new()
            .prefix("tipi-desktop-")
            .tempdir()
            .map_err(|source| RigError::Io {
                what: "creating the session directory".into(),
                source,
            })?;
        let mut desktop = Self {
            env: session_env(home.path())?,
            home,
            children: Vec::new(),
        };
        desktop.start_bus()?;
        if options.keyring {
            desktop.start_keyring()?;
        }
        if options.display || options.notifications {
            desktop.start_display()?;
        }
        if options.notifications {
            desktop.start_notification_server()?;
        }
        Ok(desktop)
    }

    /// The environment a program needs to live in this session.
    pub fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// Value of one of the session's variables.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Puts `command` in this session (and out of the real user's).
    pub fn apply<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
    }

    /// Moves the current process into this session, for in-process clients (keyring,
    /// notify-rust) that read the environment. Only for one-test-per-process runners (nextest)
    /// or single-threaded programs: the environment is process-wide.
    pub fn enter(&self) {
        for name in ["DISPLAY", "WAYLAND_DISPLAY"] {
            std::env::remove_var(name);
        }
        for (key, value) in &self.env {
            std::env::set_var(key, value);
        }
    }

    /// A directory private to this session, for the test's own files.
    pub fn dir(&self) -> &Path {
        self.home.path()
    }

    /// Starts watching the `Notify` calls made on this session's bus.
    pub fn watch_notifications(&self) -> Result<NotificationWatcher, RigError> {
        NotificationWatcher::start(self)
    }

    /// Asks the bus whether `name` has an owner.
    pub fn name_has_owner(&self, name: &str) -> bool {
        let mut command = Command::new("dbus-send");
        self.apply(&mut command)
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
            ])
            .arg(format!("string:{name}"))
            .stderr(Stdio::null());
        command
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).contains("boolean true"))
            .unwrap_or(false)
    }

    fn wait_for_name(&self, name: &str) -> Result<(), RigError> {
        wait_until(name, READY_TIMEOUT, || self.name_has_owner(name))
    }

    fn start_bus(&mut self) -> Result<(), RigError> {
        let socket = self.home.path().join("bus");
        let mut command = Command::new("dbus-daemon");
        self.apply(&mut command)
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = spawn(&mut command, "dbus-daemon")?;
        let address = first_line(&mut child, "dbus-daemon")?;
        self.children.push(("dbus-daemon", child));
        self.env
            .push(("DBUS_SESSION_BUS_ADDRESS".into(), address.trim().to_owned()));
        self.wait_for_name("org.freedesktop.DBus")
    }

    fn start_keyring(&mut self) -> Result<(), RigError> {
        let mut command = Command::new("gnome-keyring-daemon");
        self.apply(&mut command)
            .args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = spawn(&mut command, "gnome-keyring-daemon")?;
        // An empty stdin creates no login keyring (NoStorageAccess): give it an empty password line.
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(b"\n").map_err(|source| RigError::Io {
                what: "unlocking gnome-keyring".into(),
                source,
            })?;
        }
        self.children.push(("gnome-keyring-daemon", child));
        self.wait_for_name("org.freedesktop.secrets")
    }

    fn start_display(&mut self) -> Result<(), RigError> {
        // -displayfd picks a free display itself: a fixed number races with a dying server.
        let mut command = Command::new("Xvfb");
        self.apply(&mut command)
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = spawn(&mut command, "Xvfb")?;
        let display = first_line(&mut child, "Xvfb")?;
        self.children.push(("Xvfb", child));
        self.env
            .push(("DISPLAY".into(), format!(":{}", display.trim())));
        Ok(())
    }

    fn start_notification_server(&mut self) -> Result<(), RigError> {
        let config = self.home.path().join("dunstrc");
        std::fs::write(&config, DUNST_CONFIG).map_err(|source| RigError::Io {
            what: "writing dunstrc".into(),
            source,
        })?;
        let mut command = Command::new("dunst");
        self.apply(&mut command)
            .arg("-config")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = spawn(&mut command, "dunst")?;
        self.children.push(("dunst", child));
        self.wait_for_name("org.freedesktop.Notifications")
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // Newest first: the bus goes last so the others can say goodbye on it.
        while let Some((_, mut child)) = self.children.pop() {
            stop(&mut child);
        }
    }
}

const DUNST_CONFIG: &str = "[global]\n    timeout = 30\n";

fn session_env(home: &Path) -> Result<Vec<(String, String)>, RigError> {
    let dirs: [(&str, PathBuf); 5] = [
        ("XDG_RUNTIME_DIR", home.join("run")),
        ("XDG_DATA_HOME", home.join("data")),
        ("XDG_CONFIG_HOME", home.join("config")),
        ("XDG_CACHE_HOME", home.join("cache")),
        ("XDG_STATE_HOME", home.join("state")),
    ];
    let mut env = Vec::new();
    for (name, dir) in dirs {
        std::fs::create_dir_all(&dir).map_err(|source| RigError::Io {
            what: format!("creating {name}"),
            source,
        })?;
        env.push((name.to_owned(), dir.display().to_string()));
    }
    restrict_runtime_dir(&home.join("run"))?;
    // Some libraries ignore XDG and write under ~/.config (autostart entries...): a private
    // HOME keeps the real user's untouched.
    env.push(("HOME".into(), home.display().to_string()));
    // GTK would otherwise look for an accessibility bus that outlives the test.
    env.push(("NO_AT_BRIDGE".into(), "1".into()));
    Ok(env)
}

fn restrict_runtime_dir(dir: &Path) -> Result<(), RigError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|source| {
        RigError::Io {
            what: "restricting XDG_RUNTIME_DIR".into(),
            source,
        }
    })
}

fn first_line(child: &mut Child, what: &str) -> Result<String, RigError> {
    let stdout = child.stdout.take().ok_or_else(|| RigError::NotReady {
        what: what.to_owned(),
        timeout: READY_TIMEOUT,
    })?;
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader.read_line(&mut line).map_err(|source| RigError::Io {
        what: format!("reading from {what}"),
        source,
    })?;
    if line.trim().is_empty() {
        return Err(RigError::NotReady {
            what: what.to_owned(),
            timeout: READY_TIMEOUT,
        });
    }
    // Keep the pipe open (and drained) so a later write never kills the program with SIGPIPE.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    Ok(line)
}
