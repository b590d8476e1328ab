//! Announced maintenance against the real sandbox: the calendar refresh caches the windows, the
//! service window (the Send screen's and the outbox's rule) predicts the reopening from them
//! without asking TIP-I, across a restart, and the plan reminds them.

mod support;

use tipi_core::batches::BuildMode;
use tipi_core::{CoreError, ReminderKind};

use support::*;

const PASSWORD: &str = "Tipi2026";

#[tokio::test]
async fn announced_maintenance_is_cached_predicts_the_reopening_and_is_reminded() {
    let mut rig = Rig::start().await;
    rig.enrol_demo(PASSWORD).await;
    // Tuesday 11:00-13:00 in Québec; the clock is at 10:00.
    rig.admin
        .announce_maintenance(at("2026-03-10T15:00:00Z"), at("2026-03-10T17:00:00Z"))
        .await;
    let inside = at("2026-03-10T15:30:00Z");
    assert!(
        rig.tipi.service_window().is_open(inside),
        "not known before the refresh"
    );
    rig.tipi.refresh_calendar().await.unwrap();
    assert!(!rig.tipi.service_window().is_open(inside));
    let overview = rig.tipi.calendar_overview(None).await.unwrap().unwrap();
    assert_eq!(overview.maintenance.len(), 1);
    assert_eq!(overview.maintenance[0].end, at("2026-03-10T17:00:00Z"));
    // Learnt today, starting within the hour: the reminder is due now.
    let due = rig.tipi.due_reminders().await.unwrap();
    assert!(
        due.iter()
            .any(|r| matches!(r.kind, ReminderKind::Maintenance { .. })),
        "{due:?}"
    );

    // After a restart the cache alone knows it.
    rig.restart().await;
    rig.tipi.add_ready_claim(claim("M-1")).await.unwrap();
    rig.tipi.build_batch(None, BuildMode::Real).await.unwrap();
    rig.travel(inside).await;
    match rig.tipi.transmit().await.unwrap_err() {
        CoreError::OutsideServiceWindow { reopens_at } => {
            assert_eq!(reopens_at, at("2026-03-10T17:00:00Z"))
        }
        other => panic!("expected OutsideServiceWindow, got {other:?}"),
    }
    // Predicted locally: TIP-I was not asked.
    assert!(rig
        .admin
        .exchanges()
        .await
        .iter()
        .all(|e| e.kind != "batch"));
    rig.shutdown().await;
}
