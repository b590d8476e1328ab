//! Observing desktop notifications on the session bus, as a user's notification server sees them.

use crate::desktop::Desktop;
use crate::process::{require, spawn, stop_gracefully as stop};
use crate::RigError;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// One `org.freedesktop.Notifications.Notify` call seen on the bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The sending application's name.
    pub app_name: String,
    /// The title.
    pub summary: String,
    /// The text.
    pub body: String,
}

type Seen = Arc<(Mutex<Vec<Notification>>, Condvar)>;

/// A `dbus-monitor` on the session bus, collecting every `Notify` call from its start.
#[derive(Debug)]
pub struct NotificationWatcher {
    monitor: Child,
    seen: Seen,
}

const MATCH_RULE: &str =
    "type='method_call',interface='org.freedesktop.Notifications',member='Notify'";

impl NotificationWatcher {
    pub(crate) fn start(desktop: &Desktop) -> Result<Self, RigError> {
        require("dbus-monitor")?;
        let mut command = Command::new("dbus-monitor");
        desktop
            .apply(&mut command)
            .args(["--session", MATCH_RULE])
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut monitor = spawn(&mut command, "dbus-monitor")?;
        let stdout = monitor.stdout.take().ok_or_else(|| RigError::NotReady {
            what: "dbus-monitor".into(),
            timeout: Duration::ZERO,
        })?;
        let seen: Seen = Arc::default();
        let sink = Arc::clone(&seen);
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut parser = MonitorParser::default();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // dbus-monitor announces itself with a NameLost/NameAcquired signal first.
                let _ = ready_tx.send(());
                if let Some(notification) = parser.feed(&line) {
                    // The leak scan of `cargo xtask test` reads every text shown.
                    tipi_trace::keep_text(
                        "notifications",
                        &format!("{}\n{}", notification.summary, notification.body),
                    );
                    let (list, signal) = &*sink;
                    list.lock().expect("watcher lock").push(notification);
                    signal.notify_all();
                }
            }
        });
        ready_rx
            .recv_timeout(Duration::from_secs(10))
            .map_err(|_| RigError::NotReady {
                what: "dbus-monitor".into(),
                timeout: Duration::from_secs(10),
            })?;
        Ok(Self { monitor, seen })
    }

    /// Every notification seen so far.
    pub fn seen(&self) -> Vec<Notification> {
        self.seen.0.lock().expect("watcher lock").clone()
    }

    /// Waits until a notification matching `wanted` is seen, up to `timeout`.
    pub fn wait_for(
        &self,
        timeout: Duration,
        wanted: impl Fn(&Notification) -> bool,
    ) -> Option<Notification> {
        let deadline = Instant::now() + timeout;
        let (list, signal) = &*self.seen;
        let mut guard = list.lock().expect("watcher lock");
        loop {
            if let Some(found) = guard.iter().find(|n| wanted(n)) {
                return Some(found.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            guard = signal.wait_timeout(guard, left).expect("watcher lock").0;
        }
    }
}

impl Drop for NotificationWatcher {
    fn drop(&mut self) {
        stop(&mut self.monitor);
    }
}

/// Reads dbus-monitor's text output: after a `member=Notify` header come the arguments
/// app_name, replaces_id, icon, summary, body. A string may span lines.
#[derive(Debug, Default)]
struct MonitorParser {
    in_notify: bool,
    args: Vec<String>,
    open_string: Option<String>,
}

impl MonitorParser {
    fn feed(&mut self, line: &str) -> Option<Notification> {
        if line.starts_with("method call") || line.starts_with("signal") {
            self.in_notify = line.contains("member=Notify");
            self.args.clear();
            self.open_string = None;
            return None;
        }
        if !self.in_notify {
            return None;
        }
        if let Some(mut text) = self.open_string.take() {
            text.push('\n');
            self.take_string_part(text, line);
        } else {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("string \"") {
                self.take_string_part(String::new(), rest);
            } else if trimmed.starts_with("uint32") {
                self.args.push(trimmed.to_owned());
            }
        }
        if self.args.len() == 5 {
            self.in_notify = false;
            let mut args = std::mem::take(&mut self.args).into_iter();
            let app_name = args.next().unwrap_or_default();
            let _replaces_id = args.next();
            let _icon = args.next();
            return Some(Notification {
                app_name,
                summary: args.next().unwrap_or_default(),
                body: args.next().unwrap_or_default(),
            });
        }
        None
    }

    fn take_string_part(&mut self, mut text: String, part: &str) {
        match part.strip_suffix('"') {
            Some(last) => {
                text.push_str(last);
                self.args.push(text);
            }
            None => {
                text.push_str(part);
                self.open_string = Some(text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_notify_call_with_a_multiline_body() {
        let output = r#"method call time=1.0 sender=:1.4 -> destination=org.freedesktop.Notifications serial=7 path=/org/freedesktop/Notifications; interface=org.freedesktop.Notifications; member=Notify
   string "Tipi"
   uint32 0
   string ""
   string "Mot de passe"
   string "Il expire
dans 3 jours"
   array [
   ]"#;
        let mut parser = MonitorParser::default();
        let found: Vec<_> = output.lines().filter_map(|l| parser.feed(l)).collect();
        assert_eq!(
            found,
            vec![Notification {
                app_name: "Tipi".into(),
                summary: "Mot de passe".into(),
                body: "Il expire\ndans 3 jours".into(),
            }]
        );
    }

    #[test]
    fn ignores_other_calls() {
        let mut parser = MonitorParser::default();
        let line = "method call time=1.0 sender=:1.4 -> destination=x serial=1 path=/; interface=org.freedesktop.Notifications; member=GetCapabilities";
        assert!(parser.feed(line).is_none());
        assert!(parser.feed("   string \"x\"").is_none());
    }
}
