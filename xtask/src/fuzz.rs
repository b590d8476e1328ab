//! `cargo xtask fuzz [--seconds N]`: runs every fuzz target of `fuzz/` for N seconds (default
//! 10) from its committed seeds, then prints one line per target: executions, findings.
//! `cargo xtask test` runs it too, for [`CI_SECONDS`] per target.
//!
//! Runs on the stable toolchain, as CI has no other: cargo-fuzz (installed when missing) builds
//! without a sanitizer (`-s none`: the workspace forbids `unsafe`, and an uninstrumented build
//! is much faster to build and to run) and its coverage flags are stable codegen options;
//! `RUSTC_BOOTSTRAP=1` covers any nightly-only flag it may add. The build goes to
//! `$TIPI_FUZZ_TARGET_DIR`, else `$CARGO_TARGET_DIR/fuzz`, so repeated runs reuse it.
//!
//! Corpora: the committed seeds (`fuzz/corpus/<target>/`, small, hand-picked) are only read;
//! the inputs libFuzzer finds go to `<fuzz target dir>/corpus/<target>/`, kept between runs on
//! the same machine and never committed. Findings (crashing inputs) are kept under
//! `fuzz/artifacts/<target>/` (ignored by git) to replay with
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{status, workspace_root};

/// Every target in `fuzz/fuzz_targets/`, with its seed corpus in `fuzz/corpus/<target>/`.
const TARGETS: [&str; 5] = [
    "nam",
    "receivability",
    "statement",
    "csv_import",
    "sandbox_request",
];

const DEFAULT_SECONDS: u64 = 10;

/// Seconds per target in `cargo xtask test` (CI).
pub(crate) const CI_SECONDS: u64 = 15;

struct Outcome {
    target: &'static str,
    executions: u64,
    /// Inputs in the kept (uncommitted) corpus after the run.
    corpus: usize,
    findings: usize,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let seconds = match args {
        [] => DEFAULT_SECONDS,
        [flag, n] if flag == "--seconds" => n
            .parse()
            .map_err(|_| format!("--seconds takes a number, not {n:?}"))?,
        _ => return Err("usage: cargo xtask fuzz [--seconds N]".into()),
    };
    fuzz_all(seconds)
}

/// Builds every target, runs each for `seconds`, prints the table; fails on any finding.
pub(crate) fn fuzz_all(seconds: u64) -> Result<(), String> {
    let root = workspace_root();
    std::env::set_current_dir(&root).map_err(|e| e.to_string())?;
    ensure_cargo_fuzz()?;
    let target_dir = fuzz_target_dir(&root);
    let started = Instant::now();
    status(
        fuzz_command("build")
            .args(["-s", "none", "--target-dir"])
            .arg(&target_dir),
    )?;
    eprintln!("fuzz build: {:.0?}", started.elapsed());
    let mut outcomes = Vec::new();
    for target in TARGETS {
        outcomes.push(run_target(&root, &target_dir, target, seconds)?);
    }
    print_table(&outcomes, seconds);
    let findings: usize = outcomes.iter().map(|o| o.findings).sum();
    if findings == 0 {
        Ok(())
    } else {
        Err(format!(
            "{findings} finding(s): see fuzz/artifacts/ and replay with \
             `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none <target> <file>`"
        ))
    }
}

/// `$TIPI_FUZZ_TARGET_DIR`, else `$CARGO_TARGET_DIR/fuzz`, else `target/fuzz`.
fn fuzz_target_dir(root: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("TIPI_FUZZ_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| root.join("target"), PathBuf::from)
        .join("fuzz")
}

/// `cargo fuzz <subcommand>` on whatever toolchain runs xtask (stable in CI).
fn fuzz_command(subcommand: &str) -> Command {
    let mut command = Command::new("cargo");
    command
        .args(["fuzz", subcommand])
        .env("RUSTC_BOOTSTRAP", "1")
        // The fuzz workspace has its own target dir; xtask's must not leak into it.
        .env_remove("CARGO_TARGET_DIR");
    command
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if present {
        return Ok(());
    }
    status(crate::cargo().args(["install", "cargo-fuzz", "--locked"]))
}

fn run_target(
    root: &Path,
    target_dir: &Path,
    target: &'static str,
    seconds: u64,
) -> Result<Outcome, String> {
    let corpus = target_dir.join("corpus").join(target);
    let artifacts = root.join("fuzz/artifacts").join(target);
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let before = count_files(&artifacts);
    let seeds = root.join("fuzz/corpus").join(target);
    let mut command = fuzz_command("run");
    command
        .args(["-s", "none", "--target-dir"])
        .arg(target_dir)
        .arg(target)
        .arg(&corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    eprintln!("+ cargo fuzz run -s none {target} ({seconds} s)");
    let output = command
        .output()
        .map_err(|e| format!("cargo fuzz run {target}: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr);
    let findings = count_files(&artifacts).saturating_sub(before);
    if !output.status.success() && findings == 0 {
        eprintln!("{log}");
        return Err(format!(
            "cargo fuzz run {target} failed ({})",
            output.status
        ));
    }
    if findings > 0 {
        // The crash report (the panic message and the input's path).
        eprintln!("{log}");
    }
    Ok(Outcome {
        target,
        executions: executions(&log),
        corpus: count_files(&corpus),
        findings,
    })
}

/// libFuzzer's count: `Done N runs in S second(s)`, or the last `#N` status line when a
/// finding stopped the run.
fn executions(log: &str) -> u64 {
    let done = log.lines().rev().find_map(|line| {
        line.strip_prefix("Done ")?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    });
    done.unwrap_or_else(|| {
        log.lines()
            .rev()
            .find_map(|line| {
                line.strip_prefix('#')?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0)
    })
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.flatten().count())
}

#[allow(clippy::print_stdout)] // The table is the command's output.
fn print_table(outcomes: &[Outcome], seconds: u64) {
    println!(
        "{:<16} {:>8} {:>12} {:>8} {:>9}",
        "target", "seconds", "executions", "corpus", "findings"
    );
    for outcome in outcomes {
        println!(
            "{:<16} {:>8} {:>12} {:>8} {:>9}",
            outcome.target, seconds, outcome.executions, outcome.corpus, outcome.findings
        );
    }
}
