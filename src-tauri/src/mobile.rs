//! Reminders on phones: the app is not running most of the time, so each tick hands the
//! upcoming reminders (tipi-core's plan over the next days, not only what is due now) to the
//! OS scheduler through tauri-plugin-notification's `Schedule::At`. Each gets a stable id
//! derived from its key, and the previous schedule is cancelled and replaced on every tick,
//! so a changed situation (password changed, claim sent) never leaves a stale reminder.
//! The keys handed over are kept in a setting; once their time has passed the OS has shown
//! them, and they are logged as delivered so the due-now path does not show them again.
//!
//! Not built here (no Android/iOS toolchain): written against tauri-plugin-notification 2.8's
//! mobile API (`NotificationBuilder::{id, schedule}`, `Notification::cancel`).

use chrono::{DateTime, Utc};
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::{NotificationExt, Schedule};
use tipi_core::reminders::Reminder;

use crate::state::AppState;

/// How far ahead reminders are handed to the OS.
const HORIZON_DAYS: u64 = 14;

/// The setting listing what was handed to the OS: one `seconds key` line each.
const SCHEDULED: &str = "mobile.scheduled";

/// A stable notification id for a reminder key (FNV-1a, positive i32): the same key always
/// replaces the same OS notification.
fn notification_id(key: &str) -> i32 {
    let hash = key.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    i32::try_from(hash & 0x7fff_ffff).unwrap_or(0)
}

async fn scheduled(state: &AppState) -> Vec<(DateTime<Utc>, String)> {
    let text = state
        .tipi()
        .store()
        .setting(SCHEDULED)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (seconds, key) = line.split_once(' ')?;
            Some((
                DateTime::from_timestamp(seconds.parse().ok()?, 0)?,
                key.to_owned(),
            ))
        })
        .collect()
}

/// Logs as delivered the handed-over reminders whose time has passed (the OS showed them).
pub(crate) async fn settle_shown<R: Runtime>(_app: &AppHandle<R>, state: &AppState) {
    let now = state.tipi().now();
    for (at, key) in scheduled(state).await {
        if at <= now {
            if let Err(error) = state.tipi().mark_reminder_shown(&key, at).await {
                tracing::info!(code = error.code(), "scheduled reminder not logged");
            }
        }
    }
}

/// Cancels what was handed to the OS and hands over the upcoming reminders again, except the
/// kinds turned off.
pub(crate) async fn reschedule<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    turned_off: &[&'static str],
) {
    let previous: Vec<i32> = scheduled(state)
        .await
        .iter()
        .map(|(_, key)| notification_id(key))
        .collect();
    if let Err(error) = app.notification().cancel(previous) {
        tracing::info!(%error, "scheduled reminders not cancelled");
    }
    let upcoming = match state.tipi().upcoming_reminders(HORIZON_DAYS).await {
        Ok(upcoming) => upcoming,
        Err(error) => {
            tracing::info!(code = error.code(), "reminders not planned");
            return;
        }
    };
    let lang = state.lang();
    let mut handed = Vec::new();
    for (at, reminder) in upcoming {
        if turned_off.contains(&crate::reminders::setting_kind(&reminder.kind)) {
            continue;
        }
        if schedule_one(app, &reminder, at, lang).is_ok() {
            handed.push(format!("{} {}", at.timestamp(), reminder.key));
        }
    }
    if let Err(error) = state
        .tipi()
        .store()
        .set_setting(SCHEDULED, &handed.join("\n"))
        .await
    {
        tracing::info!(%error, "scheduled reminders not recorded");
    }
}

fn schedule_one<R: Runtime>(
    app: &AppHandle<R>,
    reminder: &Reminder,
    at: DateTime<Utc>,
    lang: tipi_core::Lang,
) -> Result<(), String> {
    let date =
        time::OffsetDateTime::from_unix_timestamp(at.timestamp()).map_err(|e| e.to_string())?;
    app.notification()
        .builder()
        .id(notification_id(&reminder.key))
        .title(reminder.title(lang))
        .body(reminder.body(lang))
        .schedule(Schedule::At {
            date,
            repeating: false,
            allow_while_idle: true,
        })
        .show()
        .map_err(|e| {
            tracing::info!(key = %reminder.key, error = %e, "reminder not scheduled");
            e.to_string()
        })
}
