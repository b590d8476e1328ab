//! Fault injection per endpoint: refuse, delay, 5xx, and accept-then-drop (the batch is
//! recorded, the connection closed without an answer: the case that creates duplicates in
//! naive clients).

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tipi_protocol::admin::Fault;
use tipi_protocol::service::{BatchReceipt, ExchangeState};
use tipi_protocol::{paths, ErrorCode, XmlMessage};

async fn arm(env: &Env, fault: Value) {
    let response = env
        .admin(Method::PUT, paths::ADMIN_FAULTS, Some(fault))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn armed(env: &Env) -> Vec<Fault> {
    env.admin(Method::GET, paths::ADMIN_FAULTS, None)
        .await
        .json()
        .await
        .unwrap()
}

async fn try_batch(env: &Env, no_attes: u32) -> Result<reqwest::Response, reqwest::Error> {
    let body = lot(
        "50001",
        no_attes,
        valid_requests(u64::from(no_attes) * 10, 2, "2026-03-09"),
    )
    .to_xml()
    .unwrap();
    env.http
        .post(env.url(paths::BATCHES))
        .basic_auth("AGP50001", Some(PASSWORD))
        .body(body)
        .send()
        .await
}

#[tokio::test]
async fn refuse_closes_the_connection_without_recording_anything() {
    let env = Env::start().await;
    env.enrolled("50001").await;
    arm(
        &env,
        json!({"endpoint": "batches", "mode": "refuse", "count": 1}),
    )
    .await;
    assert!(try_batch(&env, 1).await.is_err());
    assert!(env.exchanges().await.is_empty());
    assert!(armed(&env).await.is_empty(), "the fault was used up");
    assert_eq!(
        try_batch(&env, 1).await.unwrap().status(),
        StatusCode::ACCEPTED
    );
}

#[tokio::test]
async fn server_error_answers_500_without_recording_anything() {
    let env = Env::start().await;
    env.enrolled("50001").await;
    arm(
        &env,
        json!({"endpoint": "batches", "mode": "server_error", "count": 2}),
    )
    .await;
    for _ in 0..2 {
        let (status, body) = error(try_batch(&env, 1).await.unwrap()).await;
        assert_eq!(
            (status, body.code),
            (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::InternalError)
        );
    }
    assert!(env.exchanges().await.is_empty());
    assert_eq!(
        try_batch(&env, 1).await.unwrap().status(),
        StatusCode::ACCEPTED
    );
}

#[tokio::test]
async fn delay_answers_normally_after_the_delay() {
    let env = Env::start().await;
    env.enrolled("50001").await;
    arm(
        &env,
        json!({"endpoint": "journal", "mode": "delay", "delay_ms": 300}),
    )
    .await;
    for _ in 0..2 {
        let response = env.get(paths::JOURNAL, "AGP50001", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(armed(&env).await.len(), 1, "no count: armed until cleared");
    // Other endpoints are not affected.
    assert_eq!(
        try_batch(&env, 1).await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    let response = env.admin(Method::DELETE, paths::ADMIN_FAULTS, None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(armed(&env).await.is_empty());
}

#[tokio::test]
async fn drop_records_the_batch_then_closes_the_connection() {
    let env = Env::start().await;
    env.enrolled("50001").await;
    arm(
        &env,
        json!({"endpoint": "batches", "mode": "drop", "count": 1}),
    )
    .await;
    assert!(try_batch(&env, 1).await.is_err(), "no answer");
    // It was recorded: resending the same attestation number is refused with the next one,
    // and the batch can be looked up by its number.
    let exchanges = env.exchanges().await;
    assert_eq!(exchanges.len(), 1);
    assert_eq!(exchanges[0].no_attes, Some(1));
    let (status, body) = error(try_batch(&env, 1).await.unwrap()).await;
    assert_eq!((status, body.expected), (StatusCode::CONFLICT, Some(2)));
    let receipt: BatchReceipt = env
        .get(&paths::batch(1), "AGP50001", PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (receipt.no_attes, receipt.state),
        (1, ExchangeState::Received)
    );
    assert_eq!(env.exchanges().await.len(), 1, "never doubled");
}

#[tokio::test]
async fn drop_on_a_direct_request_is_recovered_by_sending_it_again() {
    let env = Env::start().await;
    env.enrolled("50001").await;
    arm(
        &env,
        json!({"endpoint": "direct", "mode": "drop", "count": 1}),
    )
    .await;
    let body = request("77", "F77", NAM, "2026-03-09").to_xml().unwrap();
    let send = || {
        env.http
            .post(env.url(paths::DIRECT))
            .basic_auth("AGP50001", Some(PASSWORD))
            .body(body.clone())
            .send()
    };
    assert!(send().await.is_err());
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.headers()["x-tipi-replay"], "true");
    assert_eq!(env.exchanges().await.len(), 1);
}

#[tokio::test]
async fn faults_apply_to_their_endpoint_only_and_need_the_admin_token() {
    let env = Env::start().await;
    env.enrolled("50001").await;
    arm(&env, json!({"endpoint": "returns", "mode": "server_error"})).await;
    assert_eq!(
        env.get(paths::SESSION, "AGP50001", PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        env.get(&paths::batch(1), "AGP50001", PASSWORD)
            .await
            .status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    let response = env
        .http
        .put(env.url(paths::ADMIN_FAULTS))
        .bearer_auth("wrong")
        .json(&json!({"endpoint": "batches", "mode": "refuse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(armed(&env).await.len(), 1);
}
