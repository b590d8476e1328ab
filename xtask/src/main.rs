//! `cargo xtask <command>`: the project's own commands, so a fresh Debian/Ubuntu machine needs
//! nothing but Rust to build, run and test Tipi.
//!
//! - `setup`: installs the system packages and tools that are missing (apt, cargo install).
//! - `run`:   builds the app and opens its window (under a private Xvfb desktop when there is no
//!   display), pointed at the embedded sandbox by default.
//! - `test`:  everything CI checks: fmt, clippy, every test (e2e included) with nextest.
//! - `bench`: release benchmarks, each a ratio to a floor from the same run; writes
//!   docs/performance.md.
//! - `fuzz`:  every fuzz target for a few seconds (cargo-fuzz on stable), one line per target.
//! - `leak-scan DIR`: the leak scan of `test`, over any directory.

mod bench;
mod bench_app;
mod fuzz;
mod run;
mod setup;
mod test;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    let outcome = match command {
        "setup" => setup::run(),
        "run" => run::run(rest),
        "test" => test::run(rest),
        "bench" => bench::run(rest),
        "fuzz" => fuzz::run(rest),
        "leak-scan" => test::leak_scan_command(rest),
        _ => {
            eprintln!("{HELP}");
            return if command == "help" || command == "--help" {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {command}: {message}");
            ExitCode::FAILURE
        }
    }
}

const HELP: &str = "usage: cargo xtask <command>

  setup                 install the missing system packages (apt) and tools (tauri-driver, nextest)
  run [--screenshot F]  build and open Tipi (a private Xvfb desktop when there is no display;
                        --screenshot saves the window to F after it has drawn, then quits)
  test [NEXTEST ARGS]   fmt, clippy -D warnings, every test with nextest (e2e included) with
                        TRACE logs to a directory, the leak scan of it, a short fuzz run
  bench [--quick]       release benchmarks as ratios to floors from the same run; prints the
                        table and writes docs/performance.md
  fuzz [--seconds N]    every fuzz target for N seconds (default 10) from its seed corpus
                        (stable + cargo-fuzz); prints executions and findings per target
  leak-scan DIR         search every file under DIR for the test secrets (what `test` does
                        after nextest with the TIPI_TRACE_DIR it set)";

/// Runs `command` to completion, failing with its name when it does not succeed.
pub(crate) fn status(command: &mut Command) -> Result<(), String> {
    eprintln!("+ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| format!("{}: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `cargo`, as the one running xtask.
pub(crate) fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The workspace root (xtask lives one level below it).
pub(crate) fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}
