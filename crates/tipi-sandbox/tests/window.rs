//! The service window: 07:00-22:00 Monday-Friday on business days (America/Toronto), minus
//! maintenance windows; outside it a 503 with the reopening instant. Time travel across a
//! night, a weekend and a holiday.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;
use tipi_protocol::service::BillingCalendar;
use tipi_protocol::{paths, ErrorCode};

async fn closed_until(env: &Env, reopens: &str) {
    let (status, body) = error(env.get(paths::SESSION, "AGP44444", PASSWORD).await).await;
    assert_eq!(
        (status, body.code),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::OutsideServiceWindow
        )
    );
    assert_eq!(body.reopens_at, Some(at(reopens)));
}

async fn open(env: &Env) {
    assert_eq!(
        env.get(paths::SESSION, "AGP44444", PASSWORD).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_service_closes_at_night() {
    let env = Env::start().await;
    env.enrolled("44444").await;
    // Tuesday 21:59:59 open; 22:00 closed until Wednesday 07:00.
    env.freeze("2026-03-11T01:59:59Z").await;
    open(&env).await;
    env.advance(1).await;
    closed_until(&env, "2026-03-11T11:00:00Z").await;
    env.freeze("2026-03-11T10:59:59Z").await;
    closed_until(&env, "2026-03-11T11:00:00Z").await;
    env.advance(1).await;
    open(&env).await;
}

#[tokio::test]
async fn the_service_is_closed_on_weekends_and_holidays() {
    let env = Env::start().await;
    env.enrolled("44444").await;
    // Friday 22:00 → Monday 07:00.
    env.freeze("2026-03-14T02:00:00Z").await;
    closed_until(&env, "2026-03-16T11:00:00Z").await;
    env.freeze("2026-03-15T16:00:00Z").await;
    closed_until(&env, "2026-03-16T11:00:00Z").await;
    // Good Friday 2026-04-03 and Easter Monday 2026-04-06: closed until Tuesday 07:00.
    env.freeze("2026-04-03T14:00:00Z").await;
    closed_until(&env, "2026-04-07T11:00:00Z").await;
    env.freeze("2026-04-06T14:00:00Z").await;
    closed_until(&env, "2026-04-07T11:00:00Z").await;
    // Saint-Jean-Baptiste, Wednesday 2026-06-24.
    env.freeze("2026-06-24T14:00:00Z").await;
    closed_until(&env, "2026-06-25T11:00:00Z").await;
    // The calendar is data: served at any hour, without credentials.
    let calendar: BillingCalendar = env
        .http
        .get(env.url(paths::CALENDAR))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calendar.years, vec![2026, 2027]);
}

#[tokio::test]
async fn a_maintenance_window_closes_the_service_inside_business_hours() {
    let env = Env::start().await;
    env.enrolled("44444").await;
    // Tuesday 10:00-12:00 (14:00-16:00Z); the clock is at 10:00.
    let response = env
        .admin(
            Method::POST,
            paths::ADMIN_MAINTENANCE,
            Some(json!({"start": "2026-03-10T14:00:00Z", "end": "2026-03-10T16:00:00Z"})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    closed_until(&env, "2026-03-10T16:00:00Z").await;
    // Other endpoints are closed too, the enrolment with its own code.
    let (_, body) = error(env.post_json(paths::ENROLMENT, None, json!({})).await).await;
    assert_eq!(body.code, ErrorCode::EnrolmentClosed);
    env.freeze("2026-03-10T16:00:00Z").await;
    open(&env).await;
    // A window ending after 22:00 reopens the next business morning.
    env.admin(
        Method::POST,
        paths::ADMIN_MAINTENANCE,
        Some(json!({"start": "2026-03-10T20:00:00Z", "end": "2026-03-11T12:00:00Z"})),
    )
    .await;
    env.freeze("2026-03-10T21:00:00Z").await;
    closed_until(&env, "2026-03-11T12:00:00Z").await;
    let response = env
        .admin(Method::DELETE, paths::ADMIN_MAINTENANCE, None)
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    open(&env).await;
    // A window that ends before it starts is refused.
    let response = env
        .admin(
            Method::POST,
            paths::ADMIN_MAINTENANCE,
            Some(json!({"start": "2026-03-10T20:00:00Z", "end": "2026-03-10T19:00:00Z"})),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn calendar(env: &Env) -> (BillingCalendar, String) {
    let text = env
        .http
        .get(env.url(paths::CALENDAR))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (serde_json::from_str(&text).unwrap(), text)
}

#[tokio::test]
async fn the_calendar_announces_maintenance_windows_until_they_end() {
    let env = Env::start().await;
    // Clock at Tuesday 2026-03-10 10:00 in Montréal; nothing announced yet.
    env.freeze("2026-03-10T14:00:00Z").await;
    assert!(calendar(&env).await.0.maintenance.is_empty());
    for (start, end) in [
        ("2026-03-12T23:00:00Z", "2026-03-13T03:00:00Z"),
        ("2026-03-10T20:00:00Z", "2026-03-10T22:00:00Z"),
    ] {
        let response = env
            .admin(
                Method::POST,
                paths::ADMIN_MAINTENANCE,
                Some(json!({"start": start, "end": end})),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    // Sorted by start, in Québec's offset (EDT), served without credentials.
    let (announced, text) = calendar(&env).await;
    assert!(
        text.contains(r#""start":"2026-03-10T16:00:00-04:00""#),
        "{text}"
    );
    let starts: Vec<_> = announced.maintenance.iter().map(|w| w.start).collect();
    assert_eq!(
        starts,
        [at("2026-03-10T20:00:00Z"), at("2026-03-12T23:00:00Z")]
    );
    assert_eq!(announced.maintenance[1].end, at("2026-03-13T03:00:00Z"));
    // A window that has ended is no longer announced.
    env.freeze("2026-03-10T22:00:00Z").await;
    let (later, _) = calendar(&env).await;
    assert_eq!(later.maintenance.len(), 1);
    assert_eq!(later.maintenance[0].start, at("2026-03-12T23:00:00Z"));
}
