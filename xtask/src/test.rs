//! `cargo xtask test`: exactly what CI runs.
//!
//! After fmt and clippy, every test runs with nextest while each Tipi process (app, `tipi`,
//! sandbox, test binaries) writes a TRACE log to one directory (`TIPI_TRACE_DIR`), where the
//! tests also keep the databases, backups, panic output and notification texts they made. The
//! leak scan then searches all of it for the test secrets: zero hits. Last, every fuzz target
//! runs for a few seconds (short mode; `cargo xtask fuzz --seconds N` is the long one).

use std::path::{Path, PathBuf};
use std::time::Instant;

use tipi_trace::leaks::{test_secrets, Scanner};

use crate::{cargo, status, workspace_root};

pub(crate) fn run(nextest_args: &[String]) -> Result<(), String> {
    crate::setup::run()?;
    std::env::set_current_dir(workspace_root()).map_err(|e| e.to_string())?;
    status(cargo().args(["fmt", "--all", "--check"]))?;
    status(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The e2e tests drive the built app binary. Built with the whole workspace's features, as
    // the tests are, so the dependencies compile once.
    status(cargo().args(["build", "--workspace", "--bins"]))?;
    let trace_dir = fresh_trace_dir()?;
    let started = Instant::now();
    status(
        cargo()
            .args(["nextest", "run", "--workspace", "--profile", "ci"])
            .args(nextest_args)
            .env(tipi_trace::TRACE_DIR_VAR, &trace_dir)
            .env(tipi_trace::TRACE_FILTER_VAR, "trace"),
    )?;
    eprintln!("nextest (tracing at TRACE): {:.0?}", started.elapsed());
    // A filtered run may start no Tipi process; the whole suite always does.
    leak_scan(&trace_dir, nextest_args.is_empty())?;
    crate::fuzz::fuzz_all(crate::fuzz::CI_SECONDS)
}

/// `<target dir>/tipi-trace`, emptied: the scan must read this run's files only.
fn fresh_trace_dir() -> Result<PathBuf, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| workspace_root().join("target"), PathBuf::from);
    let dir = target.join("tipi-trace");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// `cargo xtask leak-scan DIR`.
pub(crate) fn leak_scan_command(args: &[String]) -> Result<(), String> {
    match args {
        [dir] => leak_scan(Path::new(dir), false),
        _ => Err("usage: cargo xtask leak-scan DIR".into()),
    }
}

/// Searches every file of `dir` for every test secret; fails on any hit, and on an empty
/// directory when `logs_expected` (tracing would then be broken, and the scan meaningless).
fn leak_scan(dir: &Path, logs_expected: bool) -> Result<(), String> {
    let started = Instant::now();
    let report = Scanner::new(test_secrets())
        .scan_paths(&[dir.to_owned()])
        .map_err(|e| format!("leak scan of {}: {e}", dir.display()))?;
    let logs = count_ending(dir, ".log");
    eprintln!(
        "leak scan: {} files ({logs} trace logs), {} bytes ({} MiB), {} hits, in {:.0?} ({})",
        report.files,
        report.bytes,
        report.bytes / (1024 * 1024),
        report.hits.len(),
        started.elapsed(),
        dir.display()
    );
    if logs == 0 && logs_expected {
        return Err("leak scan: no trace log was written; is tracing initialised?".into());
    }
    if report.hits.is_empty() {
        return Ok(());
    }
    for hit in report.hits.iter().take(20) {
        eprintln!("  {hit}");
    }
    Err(format!(
        "leak scan: {} secret(s) found in what the tests left",
        report.hits.len()
    ))
}

fn count_ending(dir: &Path, suffix: &str) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(suffix))
            .count()
    })
}
