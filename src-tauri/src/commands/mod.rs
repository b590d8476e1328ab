//! The `#[tauri::command]`s the page calls. Each parses its arguments, calls one use case of
//! tipi-core and maps the result to what the page shows (camelCase JSON) or to
//! `{code, message}`.

pub(crate) mod account;
pub(crate) mod backup;
pub(crate) mod calendar;
pub(crate) mod claims;
pub(crate) mod home;
pub(crate) mod journal;
pub(crate) mod send;
pub(crate) mod settings;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Runs a use case and maps its error into the user's language.
pub(crate) async fn run<T>(
    state: &AppState,
    use_case: impl std::future::Future<Output = Result<T, tipi_core::CoreError>>,
) -> CommandResult<T> {
    use_case
        .await
        .map_err(|error| CommandError::core(error, state.lang()))
}
