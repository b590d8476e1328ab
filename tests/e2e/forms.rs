//! Bad input in the forms gets a clear message in the user's language and loses nothing typed;
//! the layout holds on a phone-sized window.

use tipi_e2e::{App, DesktopOptions, DEMO_BLAST, TUESDAY_10H};
use tipi_testrig::desktop_or_skip;

const SATURDAY_10H: &str = "2026-03-14T14:00:00Z";

#[tokio::test]
async fn wrong_values_are_explained_and_what_was_typed_stays() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some((app, admin)) = App::launch_with_sandbox(&desktop, &[]).await else {
        return;
    };

    // Enrolment is closed on Saturdays: the message says so, nothing starts.
    admin.freeze_clock(SATURDAY_10H).await;
    app.click("#start-blast").await;
    let closed = app.wait_for(".form-error[data-code=EnrolmentClosed]").await;
    assert!(!closed.text().await.unwrap().is_empty());

    admin.freeze_clock(TUESDAY_10H).await;
    app.click("#start-blast").await;
    app.click("#warning-continue").await;
    app.click("#policy-accept").await;
    let (transmission, blast_id, _) = DEMO_BLAST;
    app.type_into("#transmission", transmission).await;
    app.type_into("#blast-id", blast_id).await;
    app.type_into("#blast-password", "wrong123").await;
    app.click("#authenticate").await;
    let refused = app.wait_for("#auth-form .form-error:not([hidden])").await;
    let message = refused.text().await.unwrap();
    assert!(
        !message.is_empty() && !message.contains("wrong123"),
        "{message}"
    );
    assert_eq!(app.value("#transmission").await, transmission);
    assert_eq!(app.value("#blast-id").await, blast_id);
    app.screenshot("fr-enrol-refused").await;

    // A password that breaks the rules is refused before TIP-I sees it, with the rule named.
    app.type_into("#blast-password", DEMO_BLAST.2).await;
    app.click("#authenticate").await;
    app.type_into("#new-password", "court").await;
    app.type_into("#confirm-password", "court").await;
    app.click("#confirm-password-button").await;
    app.wait_for("#password-form .form-error[data-code=PasswordPolicy]")
        .await;
    assert_eq!(app.value("#new-password").await, "court");
    app.close().await;
}

#[tokio::test]
async fn the_screens_fit_a_phone() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some((app, _admin)) = App::launch_on_tuesday(&desktop, &[]).await else {
        return;
    };
    app.phone_sized().await;
    app.enrol_demo_agency(None).await;
    for screen in ["home", "claims?new=1", "send", "journal", "settings"] {
        app.go(screen).await;
        app.assert_fits(screen).await;
        let name = screen.split('?').next().unwrap();
        app.screenshot(&format!("phone-{name}")).await;
    }
    app.close().await;
}

#[tokio::test]
async fn production_is_an_explicit_choice_that_shares_nothing_with_the_sandbox() {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some((app, _admin)) = App::launch_enrolled(&desktop, &[]).await else {
        return;
    };
    app.go("settings").await;
    app.find("#environment-choice")
        .await
        .select_by_value("production")
        .await
        .expect("choose production");
    // Not without the confirmation, not without RAMQ's https address.
    app.click("#environment-save").await;
    app.wait_for("#environment-form .form-error:not([hidden])")
        .await;
    app.click("#environment-confirm").await;
    app.type_into("#production-url", "http://tipi.example")
        .await;
    app.click("#environment-save").await;
    app.wait_for("#environment-form .form-error[data-code=InvalidInput]")
        .await;
    app.type_into("#production-url", "https://tipi.invalid")
        .await;
    app.click("#environment-save").await;
    app.wait_for("#settings-saved:not(:empty)").await;
    // Still the sandbox until the restart.
    app.wait_text("#env-banner", "Environnement d'essai").await;
    app.close().await;

    let app = App::launch(&desktop, &[]).await.expect("relaunch");
    app.wait_text("#env-banner", "Production RAMQ").await;
    // The sandbox agency is not there: production starts from its own, empty data.
    app.wait_for("#start-blast").await;
    app.screenshot("fr-production-onboarding").await;
    app.close().await;
}
