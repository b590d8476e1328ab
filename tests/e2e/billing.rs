//! A professional's first billing day, through the real window against the embedded sandbox:
//! enrol as a former BLAST agency, enter three claims (one with a bad NAM, refused with a clear
//! message, then fixed), send the batch, come back after 08:00 the next business day, and find
//! the claims receivable and the agency in production. Once in French, once in English.

use tipi_e2e::{App, DesktopOptions};
use tipi_testrig::desktop_or_skip;

/// The words the story checks, per language.
struct Words {
    lang: &'static str,
    banner: &'static str,
    in_test: &'static str,
    in_production: &'static str,
}

const FRENCH: Words = Words {
    lang: "fr",
    banner: "Environnement d'essai",
    in_test: "En période de test",
    in_production: "En production depuis le",
};

const ENGLISH: Words = Words {
    lang: "en",
    banner: "Sandbox",
    in_test: "In test period",
    in_production: "In production since",
};

// From Tuesday 10:00 (the harness's start) to Wednesday 08:30, after the first returns;
// Thursday 08:30, after the returns of the file sent again.
const WEDNESDAY_8H30: &str = "2026-03-11T12:30:00Z";
const THURSDAY_8H30: &str = "2026-03-12T12:30:00Z";

const GOOD_NAM: &str = "TREJ85531510";
const BAD_NAM: &str = "TREM 0412 1935";

#[tokio::test]
async fn a_new_agency_bills_its_first_day_in_french() {
    first_billing_day(&FRENCH).await;
}

#[tokio::test]
async fn the_same_story_in_english() {
    first_billing_day(&ENGLISH).await;
}

async fn first_billing_day(words: &Words) {
    let Some(desktop) = desktop_or_skip(DesktopOptions::FULL) else {
        return;
    };
    let Some((app, admin)) = App::launch_on_tuesday(&desktop, &[]).await else {
        return;
    };
    let shot = |name: &str| format!("{}-{name}", words.lang);

    if words.lang == "en" {
        app.click("#lang-toggle").await;
    }
    app.wait_text("#env-banner", words.banner).await;

    // Enrolment, the five steps of RAMQ's instructions.
    app.screenshot(&shot("onboarding")).await;
    app.enrol_demo_agency(Some(&shot("enrol-password"))).await;
    app.wait_text("#agency-status", words.in_test).await;
    app.screenshot(&shot("home-test")).await;

    // Usual values, then three claims; the second has a NAM whose check digit is wrong.
    app.go("settings").await;
    app.type_into("#default-professional", "123456").await;
    app.type_into("#default-place", "99999").await;
    app.click("#defaults-form button[type=submit]").await;
    app.wait_for("#settings-saved:not(:empty)").await;
    app.screenshot(&shot("settings")).await;

    enter_claim(&app, GOOD_NAM, "Tremblay", "Julie", "45.00").await;
    app.wait_for("#claims-table").await;

    app.go("claims?new=1").await;
    fill_claim(&app, BAD_NAM, "Tremblay", "Marc", "32.50").await;
    app.click("#save-claim").await;
    let message = app.wait_for("#nam-msg[data-code=nam_check_digit]").await;
    let text = message.text().await.unwrap();
    assert!(
        !text.is_empty() && !text.contains("TREM"),
        "clear, NAM-free message: {text}"
    );
    app.screenshot(&shot("claim-refused-nam")).await;
    // Fix it: what was typed elsewhere is still there.
    assert_eq!(app.value("#surname").await, "Tremblay");
    assert_eq!(app.value("#line-0-amount").await, "32.50");
    app.type_into("#nam", "TREM 0412 1925").await;
    app.click("#save-claim").await;
    app.wait_for("#claims-table").await;

    enter_claim(&app, GOOD_NAM, "Tremblay", "Julie", "20.00").await;
    app.wait_for("#claims-table tr[data-state=ready]:nth-child(3)")
        .await;
    assert!(app.find_all("tr[data-state=draft]").await.is_empty());
    app.screenshot(&shot("claims")).await;

    // Dry run, then the batch.
    app.go("send").await;
    app.wait_for("#ready-list li:nth-child(3)").await;
    app.screenshot(&shot("send")).await;
    app.click("#send-batch").await;
    app.wait_for("#transmit-outcome[data-outcome=sent]").await;

    // The next business day after 08:00: the agency is live since Tuesday, and (as RAMQ
    // says) what was sent during the test period is not paid: it must go again.
    admin.freeze_clock(WEDNESDAY_8H30).await;
    app.go("journal").await;
    app.click("#sync").await;
    app.wait_for("#sync-result").await;
    app.wait_for("#journal-status[data-status=production]")
        .await;
    let status = app.text("#journal-status").await;
    assert!(status.starts_with(words.in_production), "status: {status}");
    app.click("details.exchange[data-kind=batch][data-attestation='1'] summary")
        .await;
    app.wait_for("tr[data-status=refused]:nth-child(3)").await;
    app.screenshot(&shot("journal-test-period")).await;
    app.click("#resend-test-file").await;
    app.wait_for("main[data-screen=send] #queued-note").await;
    app.click("#send-batch").await;
    app.wait_for("#transmit-outcome[data-outcome=sent]").await;

    // The day after: the three claims are receivable, with RAMQ's numbers.
    admin.freeze_clock(THURSDAY_8H30).await;
    app.go("journal").await;
    app.click("#sync").await;
    app.wait_for("#sync-result").await;
    let batch = "details.exchange[data-kind=batch][data-attestation='2']";
    app.click(&format!("{batch} summary")).await;
    app.wait_for(&format!("{batch} tr[data-status=receivable]:nth-child(3)"))
        .await;
    let receivable = app
        .find_all(&format!("{batch} tr[data-status=receivable]"))
        .await;
    assert_eq!(receivable.len(), 3, "the three claims are receivable");
    app.screenshot(&shot("journal")).await;
    // Filters: batches only, then only what happened from Wednesday on.
    app.find("#kind-filter")
        .await
        .select_by_value("batch")
        .await
        .unwrap();
    let shown = app.find_all("details.exchange").await;
    assert_eq!(shown.len(), 2, "the two batches");
    app.set_date("#journal-from", "2026-03-11").await;
    app.wait_for("details.exchange[data-attestation='2']").await;
    app.screenshot(&shot("journal-filtered")).await;
    assert!(app
        .find_all("details.exchange[data-attestation='1']")
        .await
        .is_empty());

    app.go("calendar").await;
    app.wait_for("#cycles li.current").await;
    app.screenshot(&shot("calendar")).await;
    app.go("home").await;
    app.wait_for("#agency-status[data-status=production]").await;
    app.screenshot(&shot("home")).await;
    app.close().await;
}

async fn enter_claim(app: &App, nam: &str, surname: &str, first_name: &str, amount: &str) {
    app.go("claims?new=1").await;
    fill_claim(app, nam, surname, first_name, amount).await;
    app.click("#save-claim").await;
}

async fn fill_claim(app: &App, nam: &str, surname: &str, first_name: &str, amount: &str) {
    app.type_into("#nam", nam).await;
    app.type_into("#surname", surname).await;
    app.type_into("#first-name", first_name).await;
    assert_eq!(
        app.value("#professional").await,
        "123456",
        "usual values prefilled"
    );
    app.type_into("#line-0-billing_code", "00001").await;
    app.type_into("#line-0-amount", amount).await;
}
