//! `cargo xtask bench [--quick]`: runs the benchmark targets in release, prints one table
//! (measure, value, floor, ratio, target, met?) and writes it to `docs/performance.md` with the
//! machine and the date.
//!
//! Every figure is a ratio to a floor measured in the same run on the same machine, so the
//! table compares like with like whatever the hardware. Each bench target prints lines
//! `BENCH<TAB>measure<TAB>unit<TAB>value<TAB>floor<TAB>target ratio<TAB>higher|lower`;
//! `higher` means more is better (throughput: met when value/floor >= target), `lower` means
//! less is better (latency: met when value/floor <= target).

// Timings and ratios are not money: floats are the right type here.
#![allow(clippy::float_arithmetic)]

use std::process::{Command, Stdio};

use crate::{cargo, describe, workspace_root};

/// (package, bench target) pairs, in table order.
const TARGETS: [(&str, &str); 2] = [("tipi-core", "pipeline"), ("tipi-core", "history")];

/// Measures of issue #8 that no bench target produces yet; listed in the report.
const MISSING: [&str; 4] = [
    "history at scale: summing a statement cycle, and 50,000+ claims in `--quick` mode",
    "sandbox capacity (batches/s and p99 with 50 concurrent agencies over loopback TLS)",
    "app start time and resident memory",
    "transmit vs curl",
];

struct Row {
    measure: String,
    unit: String,
    value: f64,
    floor: f64,
    target: f64,
    higher_is_better: bool,
}

impl Row {
    fn parse(line: &str) -> Option<Row> {
        let fields: Vec<&str> = line.strip_prefix("BENCH\t")?.split('\t').collect();
        let [measure, unit, value, floor, target, direction] = fields[..] else {
            return None;
        };
        Some(Row {
            measure: measure.to_owned(),
            unit: unit.to_owned(),
            value: value.parse().ok()?,
            floor: floor.parse().ok()?,
            target: target.parse().ok()?,
            higher_is_better: match direction {
                "higher" => true,
                "lower" => false,
                _ => return None,
            },
        })
    }

    fn ratio(&self) -> f64 {
        self.value / self.floor
    }

    fn met(&self) -> bool {
        if self.higher_is_better {
            self.ratio() >= self.target
        } else {
            self.ratio() <= self.target
        }
    }

    fn target_text(&self) -> String {
        let sign = if self.higher_is_better { ">=" } else { "<=" };
        format!("{sign} {}x", self.target)
    }
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let quick = match args {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => return Err("usage: cargo xtask bench [--quick]".into()),
    };
    let mut rows = Vec::new();
    for (package, target) in TARGETS {
        rows.extend(run_target(package, target, quick)?);
    }
    let table = table(&rows);
    print_table(&table);
    let report = report(&table, quick)?;
    let path = workspace_root().join("docs/performance.md");
    std::fs::write(&path, report).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("written to {}", path.display());
    Ok(())
}

/// Builds and runs one bench target in release (cargo's bench profile), parsing its lines.
fn run_target(package: &str, target: &str, quick: bool) -> Result<Vec<Row>, String> {
    let mut command = cargo();
    command
        .current_dir(workspace_root())
        .args(["bench", "-p", package, "--bench", target, "--"])
        .stderr(Stdio::inherit());
    if quick {
        command.arg("--quick");
    }
    eprintln!("+ {}", describe(&command));
    let output = command
        .output()
        .map_err(|e| format!("{}: {e}", describe(&command)))?;
    if !output.status.success() {
        return Err(format!(
            "`{}` failed ({})",
            describe(&command),
            output.status
        ));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let rows: Vec<Row> = stdout.lines().filter_map(Row::parse).collect();
    if rows.is_empty() {
        return Err(format!("bench {target} printed no BENCH line"));
    }
    Ok(rows)
}

fn table(rows: &[Row]) -> String {
    let mut lines = vec![
        "| measure | value | floor | ratio | target | met? |".to_owned(),
        "|---|---:|---:|---:|---|---|".to_owned(),
    ];
    for row in rows {
        lines.push(format!(
            "| {} | {} {unit} | {} {unit} | {:.2}x | {} | {} |",
            row.measure,
            figure(row.value),
            figure(row.floor),
            row.ratio(),
            row.target_text(),
            if row.met() { "yes" } else { "NO" },
            unit = row.unit,
        ));
    }
    lines.join("\n") + "\n"
}

/// Three significant digits or more: 12.3 ms, 1.23 ms, 123456 claims/s.
fn figure(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[allow(clippy::print_stdout)] // The table is the command's output.
fn print_table(table: &str) {
    print!("{table}");
}

fn report(table: &str, quick: bool) -> Result<String, String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown".to_owned(), |(_, model)| model.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let date = command_output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))?;
    let mode = if quick { "`--quick`" } else { "full" };
    let missing: String = MISSING.iter().map(|m| format!("- {m}\n")).collect();
    Ok(format!(
        "# Performance\n\n\
         Written by `cargo xtask bench` ({mode} mode) on {date}: {cores} cores (nproc), {cpu}.\n\
         Every figure is a ratio to a floor measured in the same run on the same machine.\n\n\
         {table}\n\
         ## What is measured\n\n\
         - **Batch pipeline**: `Batch::build` (validation of every claim and the batch rules) \
         then `tipi_core::batches::outbox_bytes` (the lot XML the outbox stores and sends), \
         median of repeated runs, in claims per second. Floor: `serde_json::to_vec` of the same \
         claims. Source: `crates/tipi-core/benches/pipeline.rs`.\n\
         - **History at scale**: a tipi-store database (plain file, opened without a key so the \
         `sqlite3` shell can read it; the app's own file is SQLCipher-encrypted) holding 45 \
         claims a calendar day (50,000 claims is three years); p50 and p99 of opening the store, listing a month \
         (claims with a service in 30 days, with their lines) and searching one NAM. Floor: the \
         same SQL through the `sqlite3` shell on the same file, one process per call. \
         Source: `crates/tipi-core/benches/history.rs`. The history targets (no slower than \
         the shell) are a first choice, not from the issue.\n\n\
         The machine is shared with other builds: expect some noise, most in the p99 \
         figures.\n\n\
         ## Not measured yet\n\n{missing}"
    ))
}

fn command_output(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("{}: {e}", describe(command)))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
