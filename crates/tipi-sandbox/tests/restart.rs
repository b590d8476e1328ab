//! A restarted sandbox keeps its state: agencies, attestation sequence, exchanges, clock,
//! maintenance windows, and its CA (a client keeps trusting the same certificate).

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tipi_protocol::service::Session;
use tipi_protocol::{paths, ErrorCode};

#[tokio::test]
async fn state_survives_a_restart() {
    let env = Env::start().await;
    env.enrolled("60001").await;
    let response = env
        .send_batch(
            "60001",
            &lot("60001", 1, valid_requests(1, 2, "2026-03-09")),
        )
        .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    env.admin(
        Method::POST,
        paths::ADMIN_MAINTENANCE,
        Some(json!({"start": "2026-03-10T20:00:00Z", "end": "2026-03-10T21:00:00Z"})),
    )
    .await;
    let ca = env.sandbox.ca_cert_pem().to_owned();
    let now = env.sandbox.now();
    let dir = env.dir.clone();
    let temp = env.stop().await;

    let env = Env::open(&dir, None, true).await;
    assert_eq!(env.sandbox.ca_cert_pem(), ca, "same CA");
    assert_eq!(env.sandbox.now(), now, "the frozen clock was kept");
    let session: Session = env
        .get(paths::SESSION, "AGP60001", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(session.next_attestation, 2);
    assert_eq!(env.exchanges().await.len(), 1);
    env.freeze("2026-03-10T20:30:00Z").await;
    let (_, body) = error(env.get(paths::SESSION, "AGP60001", PASSWORD).await).await;
    assert_eq!(
        body.code,
        ErrorCode::OutsideServiceWindow,
        "maintenance kept"
    );
    // The demo agencies were created on this start and are kept as they are on the next.
    env.freeze(TUESDAY_10H).await;
    let (_, body) = error(env.get(paths::SESSION, "AGP54321", "Temp5432").await).await;
    assert_eq!(body.code, ErrorCode::PasswordChangeRequired);
    let changed = env
        .post_json(
            paths::PASSWORD,
            Some(("AGP54321", "Temp5432")),
            json!({"password": PASSWORD, "confirmation": PASSWORD}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
    env.stop().await;

    let env = Env::open(&dir, None, true).await;
    assert_eq!(
        env.get(paths::SESSION, "AGP54321", PASSWORD).await.status(),
        StatusCode::OK
    );
    env.stop().await;
    drop(temp);
}
