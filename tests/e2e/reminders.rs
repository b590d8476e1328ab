//! Reminders reach the desktop: the real app, in a private D-Bus session with a real
//! notification server (dunst), the clock moved through the embedded sandbox. Each reminder
//! appears on the bus once, with the right title and body, never with a NAM or a name, not
//! again after a restart, and not at all when its kind is turned off.

use std::time::Duration;

use tipi_e2e::{App, DesktopOptions};
use tipi_testrig::{desktop_or_skip, Notification};

// The password is set on Tuesday 10 March 2026 (10:00 in Montréal): it expires on 8 June.
const TUESDAY_10H: &str = "2026-03-10T14:00:00Z";
const SEVEN_DAYS_LEFT: &str = "2026-06-01T14:00:00Z";
const THREE_DAYS_LEFT: &str = "2026-06-05T14:00:00Z";
const ONE_DAY_LEFT: &str = "2026-06-07T14:00:00Z";

const NAM: &str = "TREJ85531510";
const TICK: &[(&str, &str)] = &[("TIPI_REMINDER_SECONDS", "1")];
const WAIT: Duration = Duration::from_secs(20);

fn password_reminder(days: u32) -> impl Fn(&Notification) -> bool {
    move |n| {
        n.summary == "Mot de passe TIP-I bientôt expiré" && n.body.contains(&format!("{days} jour"))
    }
}

#[tokio::test]
async fn password_reminders_arrive_once_survive_a_restart_and_respect_the_settings() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let watcher = desktop.watch_notifications().expect("watch the bus");
    let Some((app, admin)) = App::launch_with_sandbox(&desktop, TICK).await else {
        return;
    };
    admin.freeze_clock(TUESDAY_10H).await;
    app.enrol_demo_agency(None).await;
    // A claim left unsent, so the 90-day reminder has a patient to (not) talk about.
    app.go("claims?new=1").await;
    app.type_into("#nam", NAM).await;
    app.type_into("#surname", "Tremblay").await;
    app.type_into("#first-name", "Julie").await;
    app.type_into("#professional", "123456").await;
    app.type_into("#place", "99999").await;
    app.type_into("#line-0-billing_code", "00001").await;
    app.type_into("#line-0-amount", "45.00").await;
    app.click("#save-claim").await;
    app.wait_for("#claims-table tr[data-state=ready]").await;

    admin.freeze_clock(SEVEN_DAYS_LEFT).await;
    let seen = watcher
        .wait_for(WAIT, password_reminder(7))
        .expect("the 7-day password reminder appears on the bus");
    assert!(seen.body.contains("2026-06-08"), "body: {}", seen.body);
    watcher
        .wait_for(WAIT, |n| n.summary == "Délai de 90 jours")
        .expect("the 90-day reminder for the unsent claim");
    // Several ticks later, still once.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(count(&watcher.seen(), password_reminder(7)), 1);
    app.close().await;

    // After a restart: the 7-day reminder is not shown again, the 3-day one is.
    let (app, admin) = App::launch_with_sandbox(&desktop, TICK)
        .await
        .expect("relaunch");
    admin.freeze_clock(THREE_DAYS_LEFT).await;
    watcher
        .wait_for(WAIT, password_reminder(3))
        .expect("the 3-day reminder after the restart");
    assert_eq!(count(&watcher.seen(), password_reminder(7)), 1);

    // Turned off in the settings: the 1-day reminder stays silent.
    app.go("settings").await;
    app.click("#notify-password").await;
    app.wait_for("#settings-saved:not(:empty)").await;
    admin.freeze_clock(ONE_DAY_LEFT).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(count(&watcher.seen(), password_reminder(1)), 0);
    app.close().await;

    // Lock screens show notifications: none carries the NAM or the patient's name.
    let all = watcher.seen();
    assert!(all.len() >= 3, "seen: {all:?}");
    for n in &all {
        for secret in [NAM, "TREJ", "Tremblay", "Julie"] {
            assert!(
                !n.summary.contains(secret) && !n.body.contains(secret),
                "{n:?}"
            );
        }
    }
}

fn count(seen: &[Notification], wanted: impl Fn(&Notification) -> bool) -> usize {
    seen.iter().filter(|n| wanted(n)).count()
}

#[tokio::test]
async fn starting_at_login_is_off_until_the_user_turns_it_on() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some((app, admin)) = App::launch_with_sandbox(&desktop, &[]).await else {
        return;
    };
    admin.freeze_clock(TUESDAY_10H).await;
    app.enrol_demo_agency(None).await;
    // Where XDG desktops look for programs to start at login.
    let autostart_dir =
        std::path::Path::new(desktop.var("HOME").unwrap()).join(".config/autostart");
    let entries = || {
        std::fs::read_dir(&autostart_dir)
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .map(|e| e.path())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    app.go("settings").await;
    assert!(!app.find("#autostart").await.is_selected().await.unwrap());
    assert!(entries().is_empty(), "off by default");

    app.click("#autostart").await;
    app.wait_for("#settings-saved:not(:empty)").await;
    let created = entries();
    assert_eq!(created.len(), 1, "one autostart entry: {created:?}");
    let desktop_file = std::fs::read_to_string(&created[0]).unwrap();
    assert!(desktop_file.contains("tipi-app"), "{desktop_file}");

    app.click("#autostart").await;
    let deadline = std::time::Instant::now() + WAIT;
    while !entries().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(entries().is_empty(), "turned off again");
    app.close().await;
}
