//! The engine starts beside the window, not before it: while WebKit starts its processes and
//! loads the page, the embedded sandbox starts and the store opens (keychain, SQLCipher) on
//! the async runtime. A command the page calls before the engine is up waits for it (the
//! page never sees a "not ready" error); if the start failed, every command gets the reason.

use std::sync::Arc;

use tauri::ipc::Invoke;
use tauri::{AppHandle, Manager, Runtime};
use tipi_core::Lang;
use tokio::sync::watch;

use crate::commands::backup::Recovery;
use crate::error::CommandError;
use crate::state::{AppConfig, AppState, Backend, StartError, Started};

/// How the start ended; `None` while it runs.
type Outcome = Option<Result<(), Arc<StartError>>>;

/// Starts the engine, once.
pub(crate) struct Starter(watch::Sender<Outcome>);

/// Holds the page's commands until the engine is up.
pub(crate) struct Gate(watch::Receiver<Outcome>);

/// A starter and the gate it opens.
pub(crate) fn gate() -> (Starter, Gate) {
    let (sender, receiver) = watch::channel(None);
    (Starter(sender), Gate(receiver))
}

impl Starter {
    /// Starts the engine on the async runtime and returns at once (called in `setup`, so the
    /// window is not held back).
    pub(crate) fn spawn<R: Runtime>(self, app: AppHandle<R>) {
        tauri::async_runtime::spawn(async move {
            let outcome = start(&app).await;
            if let Err(error) = &outcome {
                tracing::error!(%error, "Tipi could not start");
            }
            self.0.send_replace(Some(outcome.map_err(Arc::new)));
        });
    }
}

/// What used to block `setup`: the engine, its state (or the recovery screen when the key is
/// lost), then the reminders and the tray.
async fn start<R: Runtime>(app: &AppHandle<R>) -> Result<(), StartError> {
    let config = AppConfig::from_env();
    let backend = Backend::start(config).await?;
    let started = AppState::start(&backend).await?;
    app.manage(backend);
    // A lost database key starts the recovery screen, with no state until it is done.
    let recovery = match started {
        Started::Ready(state) => {
            app.manage(*state);
            None
        }
        Started::Recovery(reason) => Some(reason),
    };
    let ready = recovery.is_none();
    app.manage(Recovery::new(recovery));
    crate::reminders::start(app);
    if ready {
        if let Err(error) = crate::tray::install(app) {
            // No tray on this desktop: the app still works, it just quits with its window.
            tracing::info!(%error, "no system tray");
        }
    }
    Ok(())
}

impl Gate {
    /// Hands `invoke` to `commands` now if the engine is up, else once it is (on the main
    /// thread, where Tauri runs commands). Returns whether the command is handled, as
    /// Tauri's invoke handlers do; a deferred one is.
    pub(crate) fn dispatch<R, F>(&self, invoke: Invoke<R>, commands: &Arc<F>) -> bool
    where
        R: Runtime,
        F: Fn(Invoke<R>) -> bool + Send + Sync + 'static,
    {
        let outcome = self.0.borrow().clone();
        match outcome {
            Some(Ok(())) => return commands(invoke),
            Some(Err(error)) => {
                invoke.resolver.reject(start_failed(&error));
                return true;
            }
            None => {}
        }
        let mut receiver = self.0.clone();
        let commands = Arc::clone(commands);
        tauri::async_runtime::spawn(async move {
            let outcome = receiver.wait_for(Option::is_some).await.map(|o| o.clone());
            match outcome {
                Ok(Some(Ok(()))) => run_on_main_thread(invoke, commands),
                Ok(Some(Err(error))) => invoke.resolver.reject(start_failed(&error)),
                // The start task ended without an outcome (it panicked).
                Ok(None) | Err(_) => invoke
                    .resolver
                    .reject(start_failed(&StartError::Interrupted)),
            }
        });
        true
    }
}

fn run_on_main_thread<R, F>(invoke: Invoke<R>, commands: Arc<F>)
where
    R: Runtime,
    F: Fn(Invoke<R>) -> bool + Send + Sync + 'static,
{
    let app = invoke.message.webview_ref().app_handle().clone();
    let resolver = invoke.resolver.clone();
    let command = invoke.message.command().to_owned();
    let run = move || {
        if !commands(invoke) {
            resolver.reject(format!("Command {command} not found"));
        }
    };
    if let Err(error) = app.run_on_main_thread(run) {
        // The event loop is gone: the app is closing, nobody waits for the answer.
        tracing::info!(%error, "command dropped while closing");
    }
}

/// The error every command gets after a failed start (the detail is in the log). The page's
/// language is in the store that did not open: French, Tipi's default.
fn start_failed(error: &StartError) -> CommandError {
    let lang = Lang::Fr;
    match error {
        StartError::Core(error) => {
            let message = error.message(lang);
            CommandError::new("StartFailed", lang, &message, &message)
        }
        StartError::NoProductionUrl => CommandError::new(
            "StartFailed",
            lang,
            "La production demande l'adresse TIP-I de la RAMQ (TIPI_PRODUCTION_URL).",
            "Production needs RAMQ's TIP-I address (TIPI_PRODUCTION_URL).",
        ),
        StartError::Sandbox(_) | StartError::Interrupted => CommandError::new(
            "StartFailed",
            lang,
            "Tipi n'a pas pu démarrer. Fermez-le et ouvrez-le de nouveau.",
            "Tipi could not start. Close it and open it again.",
        ),
    }
}
