//! One tracing set-up for every Tipi process: the app, the `tipi` command line, the sandbox
//! and the tests that run Tipi in-process.
//!
//! Every process logs to stderr under its own default filter (overridden by `TIPI_LOG`, or
//! `RUST_LOG` for the sandbox). When `TIPI_TRACE_DIR` is set (`cargo xtask test` sets it), each
//! process also writes every event at `TIPI_TRACE_FILTER` (default `trace`) to
//! `<dir>/<program>-<pid>.log`, capped at [`TRACE_FILE_CAP`] bytes, and logs panics there too,
//! so the leak scan ([`leaks`]) can search everything Tipi ever wrote for the test secrets.

pub mod leaks;
mod trace_file;

use std::path::PathBuf;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

pub use trace_file::TRACE_FILE_CAP;

/// The directory every process writes its TRACE log to, when set.
pub const TRACE_DIR_VAR: &str = "TIPI_TRACE_DIR";
/// The filter of the trace files (default `trace`: everything).
pub const TRACE_FILTER_VAR: &str = "TIPI_TRACE_FILTER";

/// How a process logs to stderr.
#[derive(Debug, Clone, Copy)]
pub struct Stderr {
    /// The variable that overrides the default filter (`TIPI_LOG`, `RUST_LOG`).
    pub filter_var: &'static str,
    /// The filter when that variable is unset or invalid.
    pub default_filter: &'static str,
    /// Colours when stderr is a terminal.
    pub ansi: bool,
}

/// Installs the process's global subscriber: stderr as `stderr` says, plus the trace file and
/// the panic hook when `TIPI_TRACE_DIR` is set. Does nothing when a global subscriber exists
/// already (a test binary calling it from several tests).
pub fn init(stderr: Stderr) {
    let stderr_filter = without_secret_statements(
        EnvFilter::try_from_env(stderr.filter_var)
            .unwrap_or_else(|_| EnvFilter::new(stderr.default_filter)),
    );
    let ansi = stderr.ansi && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let stderr_layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_filter(stderr_filter);
    let trace_layer = trace_dir().and_then(|dir| {
        let file = trace_file::CappedFile::create(&dir, &program_name()).ok()?;
        let filter = without_secret_statements(
            EnvFilter::try_from_env(TRACE_FILTER_VAR).unwrap_or_else(|_| EnvFilter::new("trace")),
        );
        Some(
            tracing_subscriber::fmt::layer()
                .with_writer(file)
                .with_ansi(false)
                .with_thread_names(true)
                .with_filter(filter),
        )
    });
    let traced = trace_layer.is_some();
    let installed = tracing_subscriber::registry()
        .with(stderr_layer)
        .with(trace_layer)
        .try_init()
        .is_ok();
    if installed && traced {
        log_panics();
    }
}

/// sqlx logs every statement's text at DEBUG, and SQLCipher's `PRAGMA key = '<database key>'`
/// is one (sqlx sends it on every new connection): whatever the filter asks, sqlx's statement
/// log stops at INFO. The leak scan looks for `PRAGMA key` to keep it so.
fn without_secret_statements(filter: EnvFilter) -> EnvFilter {
    filter.add_directive(
        "sqlx::query=info"
            .parse()
            .expect("a valid static directive"),
    )
}

/// The set-up for tests that run Tipi in-process: quiet on stderr (`TIPI_LOG` to see more),
/// the trace file when `TIPI_TRACE_DIR` is set. Idempotent.
pub fn init_for_tests() {
    init(Stderr {
        filter_var: "TIPI_LOG",
        default_filter: "warn",
        ansi: false,
    });
}

/// `TIPI_TRACE_DIR`, when set and not empty.
pub fn trace_dir() -> Option<PathBuf> {
    std::env::var_os(TRACE_DIR_VAR)
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
}

/// The running program's file name (a test binary's includes its hash).
fn program_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|path| Some(path.file_stem()?.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "tipi".to_owned())
}

/// Panics are logged as events too, so the scan searches their messages; the previous hook
/// still prints them to stderr.
fn log_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(target: "panic", "{info}");
        previous(info);
    }));
}

/// Where tests put what they want the leak scan to read besides the logs.
const KEPT_DIR: &str = "kept";

/// Copies `path` (a database, a backup) into the trace dir for the leak scan, when
/// `TIPI_TRACE_DIR` is set; a missing file is skipped. Every kept file must be free of every
/// test secret in its raw bytes: a Tipi database or backup is encrypted.
pub fn keep_file(label: &str, path: &std::path::Path) {
    let Some(dir) = kept_dir() else { return };
    if path.is_file() {
        // Best effort: the scan then has less to read, and says how much it read.
        let _ = std::fs::copy(path, dir.join(kept_name(label)));
    }
}

/// Appends `text` (what a notification showed) to a file in the trace dir for the leak scan.
pub fn keep_text(label: &str, text: &str) {
    use std::io::Write;
    let Some(dir) = kept_dir() else { return };
    let file = dir.join(format!("{label}-{}.txt", std::process::id()));
    if let Ok(mut file) = std::fs::File::options()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = writeln!(file, "{text}");
    }
}

fn kept_dir() -> Option<PathBuf> {
    let dir = trace_dir()?.join(KEPT_DIR);
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// `<label>-<pid>-<n>`: unique within the suite.
fn kept_name(label: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{label}-{}-{n}", std::process::id())
}
