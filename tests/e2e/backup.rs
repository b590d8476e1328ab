//! Issue #9 in the real window: a backup made from Settings (passphrase typed twice, in a
//! folder the user sees) brings the claims back after the keychain lost the database key.
//! With the key gone the app opens on the recovery screen, never on onboarding or an empty
//! home; the unreadable file stays as it was until the user restores, and is then set aside,
//! not deleted. A wrong passphrase changes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use tipi_e2e::{App, Desktop, DesktopOptions, CLAIM_NAM, STORY_PASSWORD};
use tipi_testrig::desktop_or_skip;

const PASSPHRASE: &str = "three quiet herons";

/// The keychain entry of the sandbox database's key (tipi-core's `SecretKey::database_key`,
/// as the keyring crate stores it on the Secret Service).
const KEY_ATTRIBUTES: [&str; 4] = ["service", "ca.tipi.app.sandbox", "username", "database/key"];

fn secret_tool(desktop: &Desktop, action: &str) -> std::process::Output {
    let mut command = Command::new("secret-tool");
    desktop
        .apply(&mut command)
        .arg(action)
        .args(KEY_ATTRIBUTES)
        .output()
        .expect("secret-tool runs")
}

fn database(desktop: &Desktop) -> PathBuf {
    let data = desktop.var("XDG_DATA_HOME").expect("private data dir");
    Path::new(data).join("tipi/tipi-sandbox.sqlite3")
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

async fn attribute(app: &App, css: &str, name: &str) -> String {
    app.find(css)
        .await
        .attr(name)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_backup_from_settings_brings_the_claims_back_after_the_key_is_lost() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some((app, _admin)) = App::launch_on_tuesday(&desktop, &[]).await else {
        return;
    };
    app.phone_sized().await;
    app.enrol_demo_agency(None).await;

    // One claim.
    app.enter_claim("Tremblay").await;
    app.wait_for("#claims-table tbody tr").await;

    // Settings → Backup: a confirmation that differs writes nothing.
    app.go("settings").await;
    let folder = PathBuf::from(app.text("#backup-folder").await);
    let home = desktop.var("HOME").expect("private home");
    assert!(
        folder.starts_with(home),
        "a folder in the user's home: {folder:?}"
    );
    assert!(folder.ends_with("Tipi/backups"), "{folder:?}");
    app.find("#backup-none").await;
    app.type_into("#backup-passphrase", PASSPHRASE).await;
    app.type_into("#backup-confirm", "three quiet heron").await;
    app.click("#backup-create").await;
    let differ = app
        .wait_for("#backup-error[data-code=PassphraseMismatch]")
        .await;
    assert!(!differ.text().await.unwrap().is_empty());
    let written = |folder: &Path| std::fs::read_dir(folder).map_or(0, |d| d.count());
    assert_eq!(written(&folder), 0, "nothing written");
    // Too short: the one rule tipi-core applies (also to the command line).
    app.type_into("#backup-passphrase", "short").await;
    app.type_into("#backup-confirm", "short").await;
    app.click("#backup-create").await;
    app.wait_for("#backup-error[data-code=WeakPassphrase]")
        .await;
    assert_eq!(written(&folder), 0, "nothing written");

    app.type_into("#backup-passphrase", PASSPHRASE).await;
    app.type_into("#backup-confirm", PASSPHRASE).await;
    app.click("#backup-create").await;
    app.wait_for("#backup-result[data-path]").await;
    let backup = PathBuf::from(attribute(&app, "#backup-result", "data-path").await);
    assert_eq!(backup.parent(), Some(folder.as_path()));
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("tipi-sandbox-") && name.ends_with(".tipibackup"),
        "{name}"
    );
    let bytes = std::fs::read(&backup).expect("the backup is where the page says");
    for needle in [
        "SQLite format 3",
        CLAIM_NAM,
        "Tremblay",
        "Julie",
        STORY_PASSWORD,
    ] {
        assert!(!holds(&bytes, needle), "{needle:?} in clear in the backup");
    }
    app.wait_for(&format!("#backup-list li[data-name='{name}']"))
        .await;
    assert!(app.text("#backup-result").await.contains(&name));
    app.assert_fits("settings with a backup").await;
    app.screenshot("backup-settings").await;
    app.close().await;

    // The keychain loses the database key (a reset keychain, a copied home folder).
    let looked_up = secret_tool(&desktop, "lookup");
    assert!(!looked_up.stdout.is_empty(), "the app kept its key there");
    assert!(secret_tool(&desktop, "clear").status.success());
    assert!(secret_tool(&desktop, "lookup").stdout.is_empty());
    let unreadable = std::fs::read(database(&desktop)).unwrap();

    // Relaunched: the recovery screen, not onboarding, not an empty home; the file untouched.
    let (app, _admin) = App::launch_with_sandbox(&desktop, &[])
        .await
        .expect("relaunch");
    app.phone_sized().await;
    app.wait_for("main[data-screen=recovery] #recovery[data-reason=keyLost]")
        .await;
    assert!(app.find_all("#start-blast").await.is_empty());
    assert!(app.find_all("#agency-status").await.is_empty());
    assert!(!app
        .find("#recovery-explain")
        .await
        .text()
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        PathBuf::from(app.text("#recovery-database").await),
        database(&desktop)
    );
    assert!(std::fs::read(database(&desktop)).unwrap() == unreadable);
    // Another route still shows the recovery screen.
    app.client
        .execute("location.hash = '#/claims';", vec![])
        .await
        .unwrap();
    app.wait_for("main[data-screen=recovery] #recovery").await;
    app.wait_for(&format!("#backup-list li[data-name='{name}']"))
        .await;
    app.assert_fits("recovery").await;
    app.screenshot("backup-recovery").await;

    // Not without the confirmation; not with a wrong passphrase: nothing replaced.
    assert_eq!(
        app.value("#restore-path").await,
        backup.display().to_string()
    );
    app.type_into("#restore-passphrase", "not the passphrase")
        .await;
    app.click("#restore-submit").await;
    app.wait_for("#restore-error[data-code=ConfirmFirst]").await;
    app.click("#restore-confirm").await;
    app.click("#restore-submit").await;
    let wrong = app
        .wait_for("#restore-error[data-code=WrongPassphrase]")
        .await;
    assert!(!wrong.text().await.unwrap().is_empty());
    assert!(std::fs::read(database(&desktop)).unwrap() == unreadable);
    assert!(secret_tool(&desktop, "lookup").stdout.is_empty());
    app.screenshot("backup-recovery-wrong").await;

    // The right one: the data is back under a new key, the unreadable file set aside.
    app.type_into("#restore-passphrase", PASSPHRASE).await;
    app.click("#restore-submit").await;
    app.wait_for("#restore-done").await;
    let aside = PathBuf::from(app.text("#set-aside-path").await);
    assert_eq!(aside.parent(), database(&desktop).parent());
    assert!(
        std::fs::read(&aside).unwrap() == unreadable,
        "set aside as it was"
    );
    assert!(
        !secret_tool(&desktop, "lookup").stdout.is_empty(),
        "a new key"
    );
    app.assert_fits("restored").await;
    app.screenshot("backup-restored").await;
    app.click("#restore-continue").await;

    // Still enrolled, the claim is there.
    app.wait_for("main[data-screen=home] #agency-status").await;
    app.go("claims").await;
    let rows = app.find_all("#claims-table tbody tr").await;
    assert_eq!(rows.len(), 1, "the claim saved before the backup");

    // A second claim, then a restore from Settings in the running app: the engine is opened
    // again in place (no restart) on the state at backup time, the replaced file set aside.
    app.enter_claim("Gagnon").await;
    app.wait_for("#claims-table tbody tr:nth-child(2)").await;
    app.go("settings").await;
    app.click(&format!(
        "#backup-list button[data-path='{}']",
        backup.display()
    ))
    .await;
    app.type_into("#restore-passphrase", PASSPHRASE).await;
    app.click("#restore-confirm").await;
    app.click("#restore-submit").await;
    app.wait_for("#restore-done").await;
    let replaced = PathBuf::from(app.text("#set-aside-path").await);
    assert_ne!(replaced, aside);
    assert!(replaced.is_file() && aside.is_file(), "nothing deleted");
    app.click("#restore-continue").await;
    app.wait_for("main[data-screen=home] #agency-status").await;
    app.go("claims").await;
    app.wait_for("#claims-table tbody tr").await;
    let rows = app.find_all("#claims-table tbody tr").await;
    assert_eq!(rows.len(), 1, "the state at backup time");
    app.close().await;
}

#[tokio::test]
async fn starting_fresh_after_a_lost_key_sets_the_file_aside() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some((app, _admin)) = App::launch_with_sandbox(&desktop, &[]).await else {
        return;
    };
    app.wait_for("#start-blast").await;
    app.close().await;
    assert!(secret_tool(&desktop, "clear").status.success());
    let unreadable = std::fs::read(database(&desktop)).unwrap();

    let (app, _admin) = App::launch_with_sandbox(&desktop, &[])
        .await
        .expect("relaunch");
    app.click("#lang-toggle").await;
    app.wait_for("#recovery[data-reason=keyLost]").await;
    app.wait_text("#recovery h2", "Your local data cannot be opened")
        .await;
    app.find("#backup-none").await;
    // Not without the confirmation.
    app.click("#start-fresh").await;
    app.wait_for("#fresh-error:not([hidden])").await;
    assert!(std::fs::read(database(&desktop)).unwrap() == unreadable);
    app.click("#fresh-confirm").await;
    app.click("#start-fresh").await;
    app.wait_for("#restore-done").await;
    let aside = PathBuf::from(app.text("#set-aside-path").await);
    assert!(
        std::fs::read(&aside).unwrap() == unreadable,
        "set aside, not deleted"
    );
    assert!(
        database(&desktop).is_file(),
        "a new database under a new key"
    );
    assert!(!secret_tool(&desktop, "lookup").stdout.is_empty());
    app.screenshot("backup-fresh-start").await;
    app.click("#restore-continue").await;
    // Empty local data: enrolment starts again, in the language chosen.
    app.wait_for("#start-blast").await;
    app.wait_text("#env-banner", "Sandbox").await;
    app.close().await;
}
