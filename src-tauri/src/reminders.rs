//! Reminders on the desktop. Desktop notifications cannot be scheduled with the OS, so the app
//! does the timing: at launch, then every few minutes and after each sync, it asks tipi-core
//! which reminders are due and shows each once ([`crate::notify`]: a click opens its screen;
//! the reminder log in the store makes "once" hold across restarts). On phones the same tick
//! also hands the upcoming ones to the OS scheduler ([`crate::mobile`]). The tick sends batches
//! left in the outbox while TIP-I was closed, as soon as it reopens.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tipi_core::reminders::{Notifier, Reminder, ReminderKind};
use tipi_core::Lang;

use crate::commands::settings::reminder_wanted;
use crate::state::AppState;

/// How often the app looks for due reminders (`TIPI_REMINDER_SECONDS` overrides it).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(300);

/// The setting kind (`notify.<kind>`) of a reminder.
pub(crate) fn setting_kind(kind: &ReminderKind) -> &'static str {
    match kind {
        ReminderKind::PasswordExpiry { .. } => "password",
        ReminderKind::CutoffTomorrow { .. } => "cutoff",
        ReminderKind::CycleChange { .. } => "cycle",
        ReminderKind::ReturnsReady { .. } => "returns",
        ReminderKind::WentLive { .. } => "production",
        ReminderKind::LateLimit { .. } => "late",
        ReminderKind::MissingFromStatement { .. } => "statement",
        ReminderKind::Maintenance { .. } => "maintenance",
    }
}

/// Shows reminders as native notifications, except the kinds the user turned off (those
/// are logged as delivered, so turning a kind back on does not replay old ones).
struct DesktopNotifier<R: Runtime> {
    app: AppHandle<R>,
    turned_off: Vec<&'static str>,
}

impl<R: Runtime> Notifier for DesktopNotifier<R> {
    fn notify(&self, reminder: &Reminder, lang: Lang) -> Result<(), String> {
        if self.turned_off.contains(&setting_kind(&reminder.kind)) {
            return Ok(());
        }
        crate::notify::show(&self.app, reminder, lang)
    }
}

/// One pass: deliver what is due, then send what waits in the outbox if TIP-I is open.
pub(crate) async fn tick<R: Runtime>(app: &AppHandle<R>) {
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let mut turned_off = Vec::new();
    for kind in crate::commands::settings::REMINDER_KINDS {
        if !reminder_wanted(&state, kind).await {
            turned_off.push(kind);
        }
    }
    #[cfg(mobile)]
    crate::mobile::settle_shown(app, &state).await;
    #[cfg(mobile)]
    let scheduled_off = turned_off.clone();
    let notifier = DesktopNotifier {
        app: app.clone(),
        turned_off,
    };
    if let Err(error) = state.tipi().deliver_due(&notifier, state.lang()).await {
        tracing::info!(code = error.code(), "reminders not checked");
    }
    #[cfg(mobile)]
    crate::mobile::reschedule(app, &state, &scheduled_off).await;
    let waiting = state
        .tipi()
        .store()
        .in_flight_count()
        .await
        .map(|count| count > 0);
    if waiting.unwrap_or(false) && state.tipi().service_window().is_open(state.tipi().now()) {
        let _one_sender = state.sending.lock().await;
        match state.tipi().transmit().await {
            Ok(report) => tracing::info!(batches = report.sent.len(), "outbox sent"),
            Err(error) => tracing::info!(code = error.code(), "outbox still waiting"),
        }
    }
}

/// Starts the periodic ticks for the app's lifetime.
pub(crate) fn start<R: Runtime>(app: &AppHandle<R>) {
    let interval = std::env::var("TIPI_REMINDER_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(DEFAULT_INTERVAL, Duration::from_secs);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tick(&app).await;
            tokio::time::sleep(interval).await;
        }
    });
}
