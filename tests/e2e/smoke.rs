//! The foundation's end-to-end proof: the real window shows what a Rust command answered.

use tipi_e2e::{App, DesktopOptions};
use tipi_testrig::desktop_or_skip;

#[tokio::test]
async fn the_window_shows_version_and_environment_from_rust_in_both_languages() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some(app) = App::launch(&desktop, &[]).await else {
        return;
    };

    // French by default, and the sandbox is marked as such.
    app.wait_text("#env-banner", "Environnement d'essai").await;
    app.click("#about-button").await;
    app.wait_text("#about-version", env!("CARGO_PKG_VERSION"))
        .await;
    app.wait_text("#about-environment", "Environnement d'essai")
        .await;
    let shot = app.screenshot("smoke-fr").await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 1000);

    // English on request.
    app.click("#lang-toggle").await;
    app.wait_text("#env-banner", "Sandbox").await;
    app.wait_text("#about-environment", "Sandbox").await;
    app.screenshot("smoke-en").await;

    app.close().await;
}
