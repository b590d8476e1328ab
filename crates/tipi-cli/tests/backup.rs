//! `tipi backup create|restore` with the real keychain of a private session: the backup holds
//! no NAM, name or password in clear, a wrong passphrase changes nothing, and a restore brings
//! the claims back after the database key was lost from the keychain.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tipi_core::{Environment, KeyringSecrets, SecretKey, SecretStore};
use tipi_testrig::{desktop_or_skip, Desktop, DesktopOptions};
use tipi_trace::leaks::{test_secrets, Kind, Scanner};

const CLAIM: &str = r#"{"external_id":"F-1","professional":"123456","place":"99999","patient":{"kind":"with_nam","nam":"TREJ85531510","surname":"Tremblay","first_name":"Julie"},"remuneration":"RFP","clientele":"physicians","late_allowed":false,"lines":[{"billing_code":"00001","service_date":"2026-03-09","role":"1","units":1,"amount":"45.00"}]}"#;
const PASSPHRASE: &str = "a long backup passphrase";

fn tipi(desktop: &Desktop, data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tipi"));
    desktop.apply(&mut command);
    let mut child = command
        .args(args)
        .env("TIPI_DATA_DIR", data_dir)
        .env("TIPI_LANG", "en")
        .env_remove("TIPI_ENV")
        .env_remove("TIPI_SANDBOX_URL")
        .env_remove("TIPI_SANDBOX_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tipi starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A clear-text copy of the `tipi` database (SQLCipher's export with an empty key), read with
/// its key from the keychain (64 hex digits, a raw key).
fn decrypted_copy(database: &Path, hex_key: &str, target: &Path) -> Vec<u8> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Connection};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut conn = SqliteConnectOptions::new()
            .filename(database)
            // The attached export target is opened with the same flags: it must be created.
            .create_if_missing(true)
            .pragma("key", format!("'x''{hex_key}'''"))
            .connect()
            .await
            .unwrap();
        sqlx::query("ATTACH DATABASE ?1 AS clear KEY ''")
            .bind(target.to_str().unwrap())
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("SELECT sqlcipher_export('clear')")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("DETACH DATABASE clear")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    });
    std::fs::read(target).unwrap()
}

#[test]
fn a_backup_restores_the_claims_after_the_database_key_is_lost() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::KEYRING) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let backup: PathBuf = dir.path().join("tipi.backup");
    let backup_arg = backup.to_str().unwrap();

    let added = tipi(&desktop, &data_dir, &["claims", "add", "--draft"], CLAIM);
    assert!(added.status.success(), "{}", text(&added));
    let twice = format!("{PASSPHRASE}\n{PASSPHRASE}\n");
    let differ = tipi(
        &desktop,
        &data_dir,
        &["--password-stdin", "backup", "create", backup_arg],
        &format!("{PASSPHRASE}\nsomething else\n"),
    );
    assert_eq!(differ.status.code(), Some(2), "{}", text(&differ));
    assert!(!backup.exists());
    let created = tipi(
        &desktop,
        &data_dir,
        &["--password-stdin", "backup", "create", backup_arg],
        &twice,
    );
    assert!(created.status.success(), "{}", text(&created));
    let bytes = std::fs::read(&backup).unwrap();
    for needle in ["SQLite format 3", "TREJ85531510", "Tremblay", "Julie"] {
        assert!(!holds(&bytes, needle), "{needle:?} in clear");
    }
    let database = Environment::Sandbox.database_path(&data_dir);
    let scanner = Scanner::new(test_secrets());
    for file in [&backup, &database] {
        let leaks = scanner.scan_bytes("file", &std::fs::read(file).unwrap());
        assert!(leaks.is_empty(), "{}: {leaks:?}", file.display());
    }
    // And again in `cargo xtask test`'s leak scan, with everything else the suite left.
    tipi_trace::keep_file("backup", &backup);
    tipi_trace::keep_file("backup-database", &database);

    // The keychain loses the database key: the database is refused, not replaced.
    desktop.enter();
    let entry = SecretKey::database_key(Environment::Sandbox);
    let old_key = KeyringSecrets.get(&entry).unwrap().expect("a key was made");
    assert!(!holds(&bytes, old_key.expose()));
    // Decrypted, the database holds the claim (NAM included) but no password or passphrase.
    let clear = decrypted_copy(&database, old_key.expose(), &dir.path().join("clear.db"));
    assert!(holds(&clear, "SQLite format 3") && holds(&clear, "TREJ85531510"));
    let passwords: Vec<_> = scanner
        .scan_bytes("decrypted database", &clear)
        .into_iter()
        .filter(|hit| hit.kind != Kind::Nam)
        .collect();
    assert!(passwords.is_empty(), "{passwords:?}");
    KeyringSecrets.delete(&entry).unwrap();
    let lost = tipi(&desktop, &data_dir, &["claims", "list"], "");
    assert_eq!(lost.status.code(), Some(1), "{}", text(&lost));
    assert!(
        String::from_utf8_lossy(&lost.stderr).contains("DatabaseKeyLost"),
        "{}",
        text(&lost)
    );

    let wrong = tipi(
        &desktop,
        &data_dir,
        &["--password-stdin", "backup", "restore", backup_arg],
        "not the passphrase\n",
    );
    assert_eq!(wrong.status.code(), Some(4), "{}", text(&wrong));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("WrongPassphrase"));
    assert!(
        KeyringSecrets.get(&entry).unwrap().is_none(),
        "nothing changed"
    );

    let restored = tipi(
        &desktop,
        &data_dir,
        &["--password-stdin", "backup", "restore", backup_arg],
        &format!("{PASSPHRASE}\n"),
    );
    assert!(restored.status.success(), "{}", text(&restored));
    let new_key = KeyringSecrets.get(&entry).unwrap().expect("a new key");
    assert_ne!(new_key, old_key);
    let listed = tipi(&desktop, &data_dir, &["claims", "list"], "");
    assert!(listed.status.success(), "{}", text(&listed));
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("F-1"),
        "{}",
        text(&listed)
    );
}
