//! `cargo xtask fuzz [--seconds N]`: runs every fuzz target of `fuzz/` for N seconds (default
//! 10) from its committed seed corpus, then prints one line per target: executions, findings.
//!
//! Needs the nightly toolchain and cargo-fuzz (installed when missing). Built without a
//! sanitizer: the workspace forbids `unsafe`, and an uninstrumented build is twice as fast to
//! build and to run. New inputs go to a temporary corpus, so the committed seeds stay small;
//! findings (crashing inputs) are kept under `fuzz/artifacts/<target>/` to replay with
//! `cargo +nightly fuzz run -s none <target> fuzz/artifacts/<target>/<file>`.

use std::path::Path;
use std::process::Command;

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

struct Outcome {
    target: &'static str,
    executions: u64,
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
    let root = workspace_root();
    std::env::set_current_dir(&root).map_err(|e| e.to_string())?;
    ensure_cargo_fuzz()?;
    status(fuzz_command().args(["build", "-s", "none"]))?;
    let scratch = std::env::temp_dir().join(format!("tipi-fuzz-{}", std::process::id()));
    let mut outcomes = Vec::new();
    for target in TARGETS {
        outcomes.push(run_target(&root, &scratch, target, seconds)?);
    }
    let _ = std::fs::remove_dir_all(&scratch);
    print_table(&outcomes);
    let findings: usize = outcomes.iter().map(|o| o.findings).sum();
    if findings == 0 {
        Ok(())
    } else {
        Err(format!(
            "{findings} finding(s): see fuzz/artifacts/ and replay with \
             `cargo +nightly fuzz run -s none <target> <file>`"
        ))
    }
}

/// `cargo +nightly fuzz`, through rustup's proxy whatever cargo runs xtask.
fn fuzz_command() -> Command {
    let mut command = Command::new("cargo");
    command.args(["+nightly", "fuzz"]);
    command
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let present = fuzz_command()
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if present {
        return Ok(());
    }
    status(crate::cargo().args(["install", "cargo-fuzz", "--locked"]))
}

fn run_target(
    root: &Path,
    scratch: &Path,
    target: &'static str,
    seconds: u64,
) -> Result<Outcome, String> {
    let corpus = scratch.join(target);
    let artifacts = root.join("fuzz/artifacts").join(target);
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let before = count_files(&artifacts);
    let seeds = root.join("fuzz/corpus").join(target);
    let mut command = fuzz_command();
    command
        .args(["run", "-s", "none", target])
        .arg(&corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    eprintln!("+ cargo +nightly fuzz run -s none {target} ({seconds} s)");
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
    Ok(Outcome {
        target,
        executions: executions(&log),
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
fn print_table(outcomes: &[Outcome]) {
    println!("{:<16} {:>12} {:>9}", "target", "executions", "findings");
    for outcome in outcomes {
        println!(
            "{:<16} {:>12} {:>9}",
            outcome.target, outcome.executions, outcome.findings
        );
    }
}
