//! Access rules against the real sandbox: a temporary password forced to change, the policy
//! checked before TIP-I sees anything, direct mode, the service window (21:59, 22:01, a
//! holiday), an expired password, a stale stored password forgotten after one refusal, and the
//! suspension after exactly three bad passwords (Tipi never retries one by itself).

mod support;

use tipi_core::batches::BuildMode;
use tipi_core::CoreError;
use tipi_domain::claim::RemunerationSystem;
use tipi_protocol::admin::SeedAgency;
use tipi_sandbox::DEMO_NEW;
use tipi_store::ClaimState;

use support::*;

#[tokio::test]
async fn passwords_direct_mode_the_service_window_and_suspension() {
    let rig = Rig::start().await;
    let tipi = &rig.tipi;

    // A new agency's temporary password must be changed first.
    let (_, temporary) = DEMO_NEW;
    let error = tipi
        .login("AGP54321", &secret(temporary))
        .await
        .unwrap_err();
    assert_eq!(error.code(), "PasswordChangeRequired");
    for (new, confirmation) in [
        ("short", "short"),
        (temporary, temporary),
        ("Nouv2026", "nouv2026"),
    ] {
        let refused = tipi
            .change_password(None, &secret(new), &secret(confirmation))
            .await
            .unwrap_err();
        assert_eq!(refused.code(), "PasswordPolicy", "{new}");
    }
    let changed = tipi
        .change_password(None, &secret("Nouv2026"), &secret("Nouv2026"))
        .await
        .unwrap();
    assert_eq!(changed.profile.password_set_on, Some(date(2026, 3, 10)));
    assert!(!changed.session.password.temporary);
    assert_eq!(rig.admin.agency("54321").await.failed_logins, 0);

    // Direct: an RFP claim is judged at once (in test: receivable but not counted).
    let direct = tipi.add_ready_claim(claim("D-1")).await.unwrap().stored.id;
    let answer = tipi.submit_direct(direct).await.unwrap();
    assert_eq!(answer.state, ClaimState::Refused);
    assert!(answer.no_fact_ramq.is_some());
    assert!(answer
        .messages
        .iter()
        .any(|(code, _)| code == tipi_core::TEST_PERIOD_MESSAGE));
    assert_eq!(tipi.claim(direct).await.unwrap().receivability.len(), 1);
    let mut hourly = claim("D-2");
    hourly.remuneration = RemunerationSystem::Rpv;
    let rpv = tipi.add_ready_claim(hourly).await.unwrap().stored.id;
    assert_eq!(
        tipi.submit_direct(rpv).await.unwrap_err().code(),
        "DirectNotAllowed"
    );

    // 21:59 goes out; 22:01 waits for 07:00; Good Friday waits for Tuesday (Easter Monday).
    rig.travel(local(date(2026, 3, 10), 21, 59)).await;
    tipi.build_batch(None, BuildMode::Real).await.unwrap();
    assert_eq!(tipi.transmit().await.unwrap().sent.len(), 1);
    tipi.add_ready_claim(claim("W-1")).await.unwrap();
    tipi.build_batch(None, BuildMode::Real).await.unwrap();
    for (now, reopens) in [
        (
            local(date(2026, 3, 10), 22, 1),
            local(date(2026, 3, 11), 7, 0),
        ),
        (
            local(date(2026, 4, 3), 10, 0),
            local(date(2026, 4, 7), 7, 0),
        ),
    ] {
        rig.travel(now).await;
        match tipi.transmit().await.unwrap_err() {
            CoreError::OutsideServiceWindow { reopens_at } => assert_eq!(reopens_at, reopens),
            other => panic!("expected OutsideServiceWindow, got {other:?}"),
        }
    }
    rig.travel(local(date(2026, 4, 7), 7, 0)).await;
    assert_eq!(tipi.transmit().await.unwrap().sent.len(), 1);

    // 90 days after it was set the password is expired: reminded, then only a change works.
    rig.travel(local(date(2026, 6, 8), 9, 0)).await;
    let due = due_reminder_keys(tipi).await;
    assert!(
        due.contains(&"password-expiry:2026-06-08:0d".to_owned()),
        "{due:?}"
    );
    assert_eq!(
        tipi.refresh_session().await.unwrap_err().code(),
        "PasswordExpired"
    );
    let renewed = tipi
        .change_password(None, &secret("Juin2026"), &secret("Juin2026"))
        .await
        .unwrap();
    assert_eq!(renewed.profile.password_set_on, Some(date(2026, 6, 8)));
    tipi.refresh_session().await.unwrap();

    // Support resets the password behind Tipi's back: one refusal, and the stored password is
    // forgotten, so no automatic sync can count toward a suspension.
    rig.admin.reactivate("54321", "Reset123").await;
    assert_eq!(tipi.sync().await.unwrap_err().code(), "InvalidCredentials");
    assert_eq!(tipi.sync().await.unwrap_err().code(), "NotSignedIn");
    assert_eq!(rig.admin.agency("54321").await.failed_logins, 1);

    // Three bad passwords suspend an account; Tipi made exactly the three attempts asked.
    rig.admin
        .seed(&SeedAgency::Enrolled {
            transmission_number: "22222".into(),
            password: "Passw0rd".into(),
        })
        .await;
    let codes: Vec<&str> = {
        let mut codes = Vec::new();
        for _ in 0..3 {
            codes.push(
                tipi.login("AGP22222", &secret("Wrong123"))
                    .await
                    .unwrap_err()
                    .code(),
            );
        }
        codes
    };
    assert_eq!(
        codes,
        [
            "InvalidCredentials",
            "InvalidCredentials",
            "AccountSuspended"
        ]
    );
    let agency = rig.admin.agency("22222").await;
    assert!(agency.suspended);
    assert_eq!(agency.failed_logins, 3);
    let suspended = tipi
        .login("AGP22222", &secret("Passw0rd"))
        .await
        .unwrap_err();
    assert_eq!(suspended.code(), "AccountSuspended");
    assert!(suspended
        .message(tipi_core::Lang::Fr)
        .contains("418 643-8210"));
    rig.shutdown().await;
}
