//! Access: HTTP Basic, three failures suspend, support reactivates, 90-day expiry, password
//! changes.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tipi_protocol::service::Session;
use tipi_protocol::{paths, ErrorCode};

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused_with_a_basic_challenge() {
    let env = Env::start().await;
    env.enrolled("11111").await;
    let response = env.http.get(env.url(paths::SESSION)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    for (user, password) in [
        ("AGP11111", "Wrong123"),
        ("AGP99999", PASSWORD),
        ("11111", PASSWORD),
        ("AGP11111", "secret12"),
    ] {
        let (status, body) = error(env.get(paths::SESSION, user, password).await).await;
        assert_eq!(
            (status, body.code),
            (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials),
            "{user}"
        );
    }
    // The identifier is case-insensitive (AGP), the password is not.
    assert_eq!(
        env.get(paths::SESSION, "agp11111", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn three_consecutive_failures_suspend_until_support_reactivates() {
    let env = Env::start().await;
    env.enrolled("22222").await;
    let user = "AGP22222";
    // A success in between resets the count.
    error(env.get(paths::SESSION, user, "Wrong123").await).await;
    error(env.get(paths::SESSION, user, "Wrong123").await).await;
    assert_eq!(
        env.get(paths::SESSION, user, PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(env.agency("22222").await["failed_logins"], 0);
    for attempt in 1..=3 {
        let (status, body) = error(env.get(paths::SESSION, user, "Wrong123").await).await;
        if attempt < 3 {
            assert_eq!(
                (status, body.code),
                (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials)
            );
        } else {
            assert_eq!(
                (status, body.code),
                (StatusCode::FORBIDDEN, ErrorCode::AccountSuspended)
            );
        }
    }
    // Suspended: even the right password is refused, and nothing else works.
    let (status, body) = error(env.get(paths::SESSION, user, PASSWORD).await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::FORBIDDEN, ErrorCode::AccountSuspended)
    );
    assert!(body.message.contains("soutien"));
    let batch = env
        .send_batch(
            "22222",
            &lot("22222", 1, valid_requests(1, 1, "2026-03-09")),
        )
        .await;
    assert_eq!(error(batch).await.1.code, ErrorCode::AccountSuspended);
    assert_eq!(env.agency("22222").await["suspended"], true);

    // Support's reactivation (admin API) restores access with the same password.
    let response = env
        .admin(Method::POST, &paths::admin_reactivate("22222"), None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        env.get(paths::SESSION, user, PASSWORD).await.status(),
        StatusCode::OK
    );
    // Or with a temporary password (forgotten password).
    for _ in 0..3 {
        env.get(paths::SESSION, user, "Wrong123").await;
    }
    let response = env
        .admin(
            Method::POST,
            &paths::admin_reactivate("22222"),
            Some(json!({"temporary_password": "Reset123"})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, body) = error(env.get(paths::SESSION, user, "Reset123").await).await;
    assert_eq!(body.code, ErrorCode::PasswordChangeRequired);
    // The admin API needs its token.
    let response = env
        .http
        .post(env.url(&paths::admin_reactivate("22222")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_password_expires_after_90_days_and_then_only_allows_a_change() {
    let env = Env::start().await;
    env.enrolled("33333").await;
    let user = "AGP33333";
    let session: Session = env
        .get(paths::SESSION, user, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session.password.days_left, 90);
    assert_eq!(session.password.expires_on.to_string(), "2026-06-08");
    // Friday, day 87: still valid.
    env.freeze("2026-06-05T14:00:00Z").await;
    let session: Session = env
        .get(paths::SESSION, user, PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session.password.days_left, 3);
    // Day 90: expired, everything but a password change is refused.
    env.freeze("2026-06-08T14:00:00Z").await;
    for path in [paths::SESSION, paths::JOURNAL, paths::STATEMENTS] {
        let (status, body) = error(env.get(path, user, PASSWORD).await).await;
        assert_eq!(
            (status, body.code),
            (StatusCode::FORBIDDEN, ErrorCode::PasswordExpired),
            "{path}"
        );
    }
    let same = env
        .post_json(
            paths::PASSWORD,
            Some((user, PASSWORD)),
            json!({"password": PASSWORD, "confirmation": PASSWORD}),
        )
        .await;
    let (status, body) = error(same).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Rejected)
    );
    assert_eq!(body.problems, vec!["password_same_as_current"]);
    for (new, problem) in [
        ("Abc 1234", "password_space"),
        ("Abcd-123", "password_not_alphanumeric"),
        ("Abcd12345", "password_length"),
    ] {
        let response = env
            .post_json(
                paths::PASSWORD,
                Some((user, PASSWORD)),
                json!({"password": new, "confirmation": new}),
            )
            .await;
        assert_eq!(error(response).await.1.problems, vec![problem]);
    }
    let changed = env
        .post_json(
            paths::PASSWORD,
            Some((user, PASSWORD)),
            json!({"password": "Newpass9", "confirmation": "Newpass9"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    let session: Session = changed.json().await.unwrap();
    assert_eq!(session.password.set_on.to_string(), "2026-06-08");
    assert_eq!(session.password.days_left, 90);
    assert_eq!(
        env.get(paths::JOURNAL, user, "Newpass9").await.status(),
        StatusCode::OK
    );
    // A password change needs the current password: a wrong one counts as a failure.
    let wrong = env
        .post_json(
            paths::PASSWORD,
            Some((user, PASSWORD)),
            json!({"password": "Other123", "confirmation": "Other123"}),
        )
        .await;
    assert_eq!(error(wrong).await.1.code, ErrorCode::InvalidCredentials);
    assert_eq!(env.agency("33333").await["failed_logins"], 1);
}
