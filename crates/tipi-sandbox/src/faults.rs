//! Fault injection per endpoint (admin API): refuse, delay, 5xx, and accept-then-drop.
//!
//! `refuse` and `drop` close the TCP connection without an answer through the per-connection
//! [`ConnectionKill`] the server puts in every request: `refuse` before the handler runs
//! (nothing recorded), `drop` after it returned (everything recorded). This is the case that
//! makes naive clients send the same batch twice.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tipi_protocol::admin::{FaultEndpoint, FaultMode};
use tokio::sync::Notify;

use crate::error::ApiError;
use crate::state::AppState;

/// Closes the connection a request came on, when notified.
#[derive(Clone, Debug, Default)]
pub(crate) struct ConnectionKill(pub(crate) Arc<Notify>);

impl ConnectionKill {
    /// Kills the connection and never returns: the answer must not be written.
    async fn kill(&self) -> Response {
        self.0.notify_one();
        std::future::pending::<Response>().await
    }
}

/// Middleware applying the faults armed for `endpoint`.
pub(crate) async fn inject(
    State((state, endpoint)): State<(AppState, FaultEndpoint)>,
    request: Request,
    next: Next,
) -> Response {
    let Some(fault) = state.take_fault(endpoint) else {
        return next.run(request).await;
    };
    tracing::info!(?endpoint, mode = ?fault.mode, "injecting fault");
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    match fault.mode {
        FaultMode::Delay => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms.unwrap_or(1_000))).await;
            next.run(request).await
        }
        FaultMode::ServerError => ApiError::internal().into_response(),
        FaultMode::Refuse => match kill {
            Some(kill) => kill.kill().await,
            None => ApiError::internal().into_response(),
        },
        FaultMode::Drop => {
            let response = next.run(request).await;
            match kill {
                Some(kill) => kill.kill().await,
                None => response,
            }
        }
    }
}
