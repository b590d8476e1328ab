//! Self-enrolment of a former BLAST agency (the five seed steps) and first login of a new
//! agency.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tipi_protocol::service::{Enrolment, EnrolmentStep, Session};
use tipi_protocol::{paths, ErrorCode};

async fn blast_agency(env: &Env) {
    env.seed(json!({
        "kind": "blast", "transmission_number": "12345", "blast_id": "U123d", "blast_password": "blast-pw"
    }))
    .await;
}

async fn start(env: &Env) -> Enrolment {
    let response = env.post_json(paths::ENROLMENT, None, json!({})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.unwrap()
}

async fn step(env: &Env, path: String, body: Value) -> reqwest::Response {
    env.post_json(&path, None, body).await
}

async fn ok(response: reqwest::Response) -> Enrolment {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn a_blast_agency_enrols_in_five_steps_and_loses_blast() {
    let env = Env::start().await;
    blast_agency(&env).await;
    // BLAST works before enrolment.
    assert_eq!(
        env.get(paths::BLAST_SESSION, "U123d", "blast-pw")
            .await
            .status(),
        StatusCode::OK
    );

    let enrolment = start(&env).await;
    assert_eq!(enrolment.step, EnrolmentStep::Warning);
    assert!(enrolment.text.unwrap().contains("BLAST"));
    let id = enrolment.id;
    let policy = ok(step(
        &env,
        paths::enrolment_warning(&id),
        json!({"choice": "continue"}),
    )
    .await)
    .await;
    assert_eq!(policy.step, EnrolmentStep::Policy);
    let auth = ok(step(
        &env,
        paths::enrolment_policy(&id),
        json!({"choice": "accept"}),
    )
    .await)
    .await;
    assert_eq!(auth.step, EnrolmentStep::Authentication);
    let body =
        json!({"transmission_number": "12345", "blast_id": "U123d", "blast_password": "blast-pw"});
    let chosen = ok(step(&env, paths::enrolment_authentication(&id), body).await).await;
    assert_eq!(chosen.step, EnrolmentStep::Password);
    assert_eq!(chosen.tipi_id.as_deref(), Some("AGP12345"));

    // Step 4: the policy and the confirmation are checked.
    let short = step(
        &env,
        paths::enrolment_password(&id),
        json!({"password": "abc", "confirmation": "abc"}),
    )
    .await;
    let (status, body) = error(short).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Rejected)
    );
    assert_eq!(body.problems, vec!["password_length"]);
    let mismatch = step(
        &env,
        paths::enrolment_password(&id),
        json!({"password": PASSWORD, "confirmation": "secret12"}),
    )
    .await;
    assert_eq!(
        error(mismatch).await.1.problems,
        vec!["password_confirmation_mismatch"]
    );
    let done = ok(step(
        &env,
        paths::enrolment_password(&id),
        json!({"password": PASSWORD, "confirmation": PASSWORD}),
    )
    .await)
    .await;
    assert_eq!(done.step, EnrolmentStep::Enrolled);
    assert_eq!(done.tipi_id.as_deref(), Some("AGP12345"));

    // Step 5: TIP-I works, BLAST no longer does, and the agency cannot enrol twice.
    let session = env.get(paths::SESSION, "AGP12345", PASSWORD).await;
    assert_eq!(session.status(), StatusCode::OK);
    let session: Session = session.json().await.unwrap();
    assert_eq!(session.next_attestation, 1);
    assert!(!session.password.temporary);
    let (status, body) = error(env.get(paths::BLAST_SESSION, "U123d", "blast-pw").await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::FORBIDDEN, ErrorCode::BlastDisabled)
    );
    let again = start(&env).await.id;
    ok(step(
        &env,
        paths::enrolment_warning(&again),
        json!({"choice": "continue"}),
    )
    .await)
    .await;
    ok(step(
        &env,
        paths::enrolment_policy(&again),
        json!({"choice": "accept"}),
    )
    .await)
    .await;
    let body =
        json!({"transmission_number": "12345", "blast_id": "U123d", "blast_password": "blast-pw"});
    let (status, body) =
        error(step(&env, paths::enrolment_authentication(&again), body).await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::CONFLICT, ErrorCode::AlreadyEnrolled)
    );
    // A finished enrolment accepts no more steps.
    let (status, body) = error(
        step(
            &env,
            paths::enrolment_warning(&id),
            json!({"choice": "continue"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body.code),
        (StatusCode::CONFLICT, ErrorCode::EnrolmentEnded)
    );
}

#[tokio::test]
async fn quitting_or_refusing_ends_the_enrolment_at_once() {
    let env = Env::start().await;
    blast_agency(&env).await;
    let quit = start(&env).await.id;
    let ended = ok(step(
        &env,
        paths::enrolment_warning(&quit),
        json!({"choice": "quit"}),
    )
    .await)
    .await;
    assert_eq!(ended.step, EnrolmentStep::Ended);
    let (status, body) = error(
        step(
            &env,
            paths::enrolment_policy(&quit),
            json!({"choice": "accept"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body.code),
        (StatusCode::CONFLICT, ErrorCode::EnrolmentEnded)
    );

    let refuse = start(&env).await.id;
    ok(step(
        &env,
        paths::enrolment_warning(&refuse),
        json!({"choice": "continue"}),
    )
    .await)
    .await;
    let ended = ok(step(
        &env,
        paths::enrolment_policy(&refuse),
        json!({"choice": "refuse"}),
    )
    .await)
    .await;
    assert_eq!(ended.step, EnrolmentStep::Ended);
    let body =
        json!({"transmission_number": "12345", "blast_id": "U123d", "blast_password": "blast-pw"});
    let (_, body) = error(step(&env, paths::enrolment_authentication(&refuse), body).await).await;
    assert_eq!(body.code, ErrorCode::EnrolmentEnded);
    // Nothing was enrolled.
    assert_eq!(env.agency("12345").await["enrolled"], false);
}

#[tokio::test]
async fn steps_must_come_in_order_and_blast_values_must_match() {
    let env = Env::start().await;
    blast_agency(&env).await;
    let id = start(&env).await.id;
    let body =
        json!({"transmission_number": "12345", "blast_id": "U123d", "blast_password": "blast-pw"});
    let (status, error_body) =
        error(step(&env, paths::enrolment_authentication(&id), body).await).await;
    assert_eq!(
        (status, error_body.code),
        (StatusCode::CONFLICT, ErrorCode::EnrolmentWrongStep)
    );
    ok(step(
        &env,
        paths::enrolment_warning(&id),
        json!({"choice": "continue"}),
    )
    .await)
    .await;
    ok(step(
        &env,
        paths::enrolment_policy(&id),
        json!({"choice": "accept"}),
    )
    .await)
    .await;
    for (number, blast_id, password) in [
        ("12345", "U123d", "wrong"),
        ("12345", "U123D", "blast-pw"),
        ("54321", "U123d", "blast-pw"),
    ] {
        let body = json!({"transmission_number": number, "blast_id": blast_id, "blast_password": password});
        let (status, error_body) =
            error(step(&env, paths::enrolment_authentication(&id), body).await).await;
        assert_eq!(
            (status, error_body.code),
            (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials)
        );
    }
    let body = json!({"transmission_number": "1234", "blast_id": "U12", "blast_password": "x"});
    let (status, error_body) =
        error(step(&env, paths::enrolment_authentication(&id), body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_body.problems,
        vec!["transmission_number_invalid", "blast_id_invalid"]
    );
    let shown: Enrolment = env
        .http
        .get(env.url(&paths::enrolment(&id)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown.step, EnrolmentStep::Authentication);
}

#[tokio::test]
async fn enrolment_is_closed_at_night_and_on_weekends() {
    // Saturday 2026-03-14, 10:00.
    let env = Env::start_at("2026-03-14T14:00:00Z").await;
    let (status, body) = error(env.post_json(paths::ENROLMENT, None, json!({})).await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::EnrolmentClosed)
    );
    assert_eq!(
        body.reopens_at,
        Some(at("2026-03-16T11:00:00Z")),
        "Monday 07:00"
    );
    // Monday 06:59 still closed, 07:00 open.
    env.freeze("2026-03-16T10:59:00Z").await;
    assert_eq!(
        env.post_json(paths::ENROLMENT, None, json!({}))
            .await
            .status(),
        StatusCode::SERVICE_UNAVAILABLE
    );
    env.advance(60).await;
    assert_eq!(
        env.post_json(paths::ENROLMENT, None, json!({}))
            .await
            .status(),
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn a_new_agency_must_replace_its_temporary_password_first() {
    let env = Env::start().await;
    env.seed(
        json!({"kind": "new", "transmission_number": "54321", "temporary_password": "Temp5432"}),
    )
    .await;
    let (status, body) = error(env.get(paths::JOURNAL, "AGP54321", "Temp5432").await).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::FORBIDDEN, ErrorCode::PasswordChangeRequired)
    );
    let response = env
        .post_json(
            paths::PASSWORD,
            Some(("AGP54321", "Temp5432")),
            json!({"password": "Temp5432", "confirmation": "Temp5432"}),
        )
        .await;
    assert_eq!(
        error(response).await.1.problems,
        vec!["password_same_as_current"]
    );
    let response = env
        .post_json(
            paths::PASSWORD,
            Some(("AGP54321", "Temp5432")),
            json!({"password": PASSWORD, "confirmation": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let session: Session = response.json().await.unwrap();
    assert!(!session.password.temporary);
    assert_eq!(session.tipi_id, "AGP54321");
    assert_eq!(
        env.get(paths::JOURNAL, "AGP54321", PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        error(env.get(paths::JOURNAL, "AGP54321", "Temp5432").await)
            .await
            .1
            .code,
        ErrorCode::InvalidCredentials
    );
}

#[tokio::test]
async fn a_malformed_body_is_refused_without_echoing_it() {
    let env = Env::start().await;
    let id = start(&env).await.id;
    let response = env
        .http
        .post(env.url(&paths::enrolment_warning(&id)))
        .body(r#"{"choice": "Secret12"}"#)
        .send()
        .await
        .unwrap();
    let (status, body) = error(response).await;
    assert_eq!(
        (status, body.code),
        (StatusCode::BAD_REQUEST, ErrorCode::MalformedMessage)
    );
    assert!(!body.message.contains("Secret12"), "{}", body.message);
}
