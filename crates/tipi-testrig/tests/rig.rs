//! The rig's own proof: real secrets in gnome-keyring, real notifications on the bus.
//! Each test moves its process into a private session, so run them with nextest (one process
//! per test), as `cargo xtask test` does.

use std::process::Command;
use std::time::Duration;
use tipi_testrig::{desktop_or_skip, DesktopOptions};

#[test]
fn a_secret_round_trips_through_keyring_and_gnome_keyring() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::KEYRING) else {
        return;
    };
    desktop.enter();
    let entry = keyring::Entry::new("ca.tipi.rig-test", "AGP12345").expect("entry");
    entry.set_password("Secret42").expect("store the secret");
    assert_eq!(entry.get_password().expect("read it back"), "Secret42");

    // The item is really in gnome-keyring, as another program sees it.
    let mut lookup = Command::new("secret-tool");
    desktop
        .apply(&mut lookup)
        .args(["search", "--all", "service", "ca.tipi.rig-test"]);
    let listed = lookup.output().expect("secret-tool runs");
    let listed = String::from_utf8_lossy(&listed.stdout) + String::from_utf8_lossy(&listed.stderr);
    assert!(listed.contains("AGP12345"), "secret-tool sees: {listed}");

    entry.delete_credential().expect("delete it");
    assert!(matches!(entry.get_password(), Err(keyring::Error::NoEntry)));
}

#[test]
fn a_notification_sent_over_dbus_is_observed() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    desktop.enter();
    let watcher = desktop.watch_notifications().expect("watch the bus");
    notify_rust::Notification::new()
        .appname("Tipi")
        .summary("Date limite demain")
        .body("3 demandes ne sont pas encore transmises.")
        .show()
        .expect("dunst accepts the notification");
    let seen = watcher
        .wait_for(Duration::from_secs(10), |n| {
            n.summary == "Date limite demain"
        })
        .expect("the Notify call is seen on the bus");
    assert_eq!(seen.app_name, "Tipi");
    assert_eq!(seen.body, "3 demandes ne sont pas encore transmises.");
}
