//! The real keychain: gnome-keyring's Secret Service in a private D-Bus session.

use tipi_core::{Environment, KeyringSecrets, SecretKey, SecretStore, Sensitive};
use tipi_testrig::{desktop_or_skip, DesktopOptions};

#[test]
fn tipi_passwords_live_in_the_real_keychain_one_namespace_per_environment() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::KEYRING) else {
        return;
    };
    desktop.enter();
    let store = KeyringSecrets;
    let sandbox = SecretKey::tipi_password(Environment::Sandbox, "AGP12345");
    let production = SecretKey::tipi_password(Environment::Production, "AGP12345");

    store
        .set(&sandbox, &Sensitive::new("Sandbox1".into()))
        .unwrap();
    assert_eq!(store.get(&sandbox).unwrap().unwrap().expose(), "Sandbox1");
    assert!(
        store.get(&production).unwrap().is_none(),
        "no leak across environments"
    );

    store
        .set(&sandbox, &Sensitive::new("Changed2".into()))
        .unwrap();
    assert_eq!(store.get(&sandbox).unwrap().unwrap().expose(), "Changed2");
    store.delete(&sandbox).unwrap();
    assert!(store.get(&sandbox).unwrap().is_none());
}
