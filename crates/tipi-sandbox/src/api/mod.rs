//! The HTTP API: TIP-I endpoints under `/tipi/v1`, the legacy BLAST login, the admin API.
//!
//! Layers, outermost first: request log (method, path, status; never a body or a header),
//! fault injection for the endpoint's group, the service window, then the handler, whose
//! extractors authenticate.

pub(crate) mod admin;
mod batches;
mod blast;
mod calendar;
mod direct;
mod enrolment;
mod journal;
pub(crate) mod session;
mod statements;

use std::time::Instant;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tipi_protocol::admin::FaultEndpoint;
use tipi_protocol::{paths, ErrorCode, XmlMessage};

use crate::error::{ApiError, ApiResult};
use crate::faults;
use crate::state::AppState;

pub(crate) fn router(state: AppState) -> Router {
    let group = |endpoint: FaultEndpoint, window: Option<ErrorCode>, routes: Router<AppState>| {
        let routes = match window {
            Some(code) => routes.layer(from_fn_with_state((state.clone(), code), window_guard)),
            None => routes,
        };
        routes.layer(from_fn_with_state(
            (state.clone(), endpoint),
            faults::inject,
        ))
    };
    let open = Some(ErrorCode::OutsideServiceWindow);
    let tipi = Router::new()
        .merge(group(
            FaultEndpoint::Enrolment,
            Some(ErrorCode::EnrolmentClosed),
            Router::new()
                .route(paths::ENROLMENT, post(enrolment::start))
                .route(paths::ENROLMENT_ONE, get(enrolment::show))
                .route(paths::ENROLMENT_WARNING, post(enrolment::warning))
                .route(paths::ENROLMENT_POLICY, post(enrolment::policy))
                .route(
                    paths::ENROLMENT_AUTHENTICATION,
                    post(enrolment::authenticate),
                )
                .route(paths::ENROLMENT_PASSWORD, post(enrolment::password)),
        ))
        .merge(group(
            FaultEndpoint::Session,
            open,
            Router::new().route(paths::SESSION, get(session::show)),
        ))
        .merge(group(
            FaultEndpoint::Password,
            open,
            Router::new().route(paths::PASSWORD, post(session::change_password)),
        ))
        .merge(group(
            FaultEndpoint::Batches,
            open,
            Router::new().route(paths::BATCHES, post(batches::receive)),
        ))
        .merge(group(
            FaultEndpoint::Returns,
            open,
            Router::new()
                .route(paths::BATCH_ONE, get(batches::show))
                .route(paths::BATCH_RETURNS, get(batches::returns)),
        ))
        .merge(group(
            FaultEndpoint::Direct,
            open,
            Router::new().route(paths::DIRECT, post(direct::receive)),
        ))
        .merge(group(
            FaultEndpoint::Journal,
            open,
            Router::new().route(paths::JOURNAL, get(journal::show)),
        ))
        .merge(group(
            FaultEndpoint::Calendar,
            None,
            Router::new().route(paths::CALENDAR, get(calendar::show)),
        ))
        .merge(group(
            FaultEndpoint::Statements,
            open,
            Router::new()
                .route(paths::STATEMENTS, get(statements::list))
                .route(paths::STATEMENT_ONE, get(statements::show)),
        ))
        .route(paths::BLAST_SESSION, get(blast::session));
    tipi.merge(admin::router())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(tipi_protocol::MAX_BODY_BYTES))
        .layer(from_fn(log_request))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// Closed outside the service window: 503 with the reopening instant.
async fn window_guard(
    State((state, code)): State<(AppState, ErrorCode)>,
    request: Request,
    next: Next,
) -> Response {
    let now = state.now();
    let window = state.window();
    if window.is_open(now) {
        next.run(request).await
    } else {
        ApiError::closed(code, window.next_opening(now)).into_response()
    }
}

/// One line per request: method, path (never carries a NAM or a password), status, time.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

/// An XML message as a response body.
pub(crate) fn xml_response<M: XmlMessage>(message: &M) -> ApiResult<Response> {
    let text = message.to_xml().map_err(|error| {
        tracing::error!(%error, "could not write an XML answer");
        ApiError::internal()
    })?;
    Ok(xml_text(text))
}

pub(crate) fn xml_text(text: String) -> Response {
    ([(CONTENT_TYPE, tipi_protocol::xml::CONTENT_TYPE)], text).into_response()
}

/// Reads an XML request body.
pub(crate) fn parse_xml<M: XmlMessage>(body: &str) -> ApiResult<M> {
    M::from_xml(body).map_err(ApiError::malformed)
}

/// Reads a JSON request body, answering `MalformedMessage` when it is not one. The answer
/// gives the position only: serde's text may quote a value, and bodies carry passwords.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(body: &str) -> ApiResult<T> {
    serde_json::from_str(body).map_err(|e| {
        ApiError::malformed(format_args!(
            "JSON invalide ou incomplet (ligne {}, colonne {})",
            e.line(),
            e.column()
        ))
    })
}

pub(crate) use admin::apply_clock;
pub(crate) use batches::{check_contents, read_lot};
