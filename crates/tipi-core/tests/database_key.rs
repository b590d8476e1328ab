//! Encryption at rest with the real keychain (gnome-keyring in a private D-Bus session): the
//! key is made on first run, kept beside the TIP-I credentials, and opens the same data after
//! a restart; without it the bytes on disk say nothing.

use std::path::Path;
use std::sync::Arc;

use tipi_core::local::{open_with, Endpoint, LocalConfig};
use tipi_core::{Environment, KeyringSecrets, ManualClock, SecretKey, SecretStore, Tipi};
use tipi_domain::claim::Claim;
use tipi_testrig::{desktop_or_skip, DesktopOptions};

const CLAIM: &str = r#"{"external_id":"F-1","professional":"123456","place":"99999","patient":{"kind":"with_nam","nam":"TREJ85531510","surname":"Tremblay","first_name":"Julie"},"remuneration":"RFP","clientele":"physicians","late_allowed":false,"lines":[{"billing_code":"00001","service_date":"2026-03-09","role":"1","units":1,"amount":"45.00"}]}"#;

async fn open(config: &LocalConfig) -> Tipi {
    let clock = ManualClock::at("2026-03-10T14:00:00Z".parse().unwrap());
    open_with(config, Arc::new(KeyringSecrets), Arc::new(clock))
        .await
        .expect("tipi opens")
}

fn raw_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
        bytes.extend(wal);
    }
    bytes
}

fn assert_no_clear_text(bytes: &[u8]) {
    for needle in ["SQLite format 3", "TREJ85531510", "Tremblay", "Julie"] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "{needle:?} in clear"
        );
    }
}

#[tokio::test]
async fn data_survives_a_restart_with_the_key_from_the_real_keychain() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::KEYRING) else {
        return;
    };
    desktop.enter();
    let dir = tempfile::tempdir().unwrap();
    let config = LocalConfig {
        environment: Environment::Sandbox,
        data_dir: dir.path().join("data"),
        endpoint: Endpoint {
            url: "https://tipi.invalid".into(),
            ca_pem: None,
        },
    };
    let entry = SecretKey::database_key(Environment::Sandbox);
    assert!(KeyringSecrets.get(&entry).unwrap().is_none());

    let tipi = open(&config).await;
    let claim: Claim = serde_json::from_str(CLAIM).unwrap();
    tipi.create_claim(claim).await.unwrap();
    let key = KeyringSecrets
        .get(&entry)
        .unwrap()
        .expect("the key is in the keychain");
    assert!(KeyringSecrets
        .get(&SecretKey::database_key(Environment::Production))
        .unwrap()
        .is_none());
    let path = Environment::Sandbox.database_path(&config.data_dir);
    let open_bytes = raw_bytes(&path);
    assert!(open_bytes.len() > 4096, "the file and its WAL have pages");
    assert_no_clear_text(&open_bytes);
    tipi.store().clone().close().await;
    assert_no_clear_text(&raw_bytes(&path));

    let tipi = open(&config).await;
    assert!(tipi.claim_by_external_id("F-1").await.unwrap().is_some());
    tipi.store().clone().close().await;
    assert_eq!(
        KeyringSecrets.get(&entry).unwrap(),
        Some(key),
        "the same key, not a new one"
    );
}
