//! `cargo xtask bench [--quick]`: runs the benchmark targets in release, prints one table
//! (measure, value, floor, ratio, target, met?) and writes it to `docs/performance.md` with the
//! machine and the date.
//!
//! Every figure is a ratio to a floor measured in the same run on the same machine, so the
//! table compares like with like whatever the hardware. Each bench target prints lines
//! `BENCH<TAB>measure<TAB>unit<TAB>value<TAB>floor<TAB>target ratio<TAB>higher|lower`;
//! `higher` means more is better (throughput: met when value/floor >= target), `lower` means
//! less is better (latency: met when value/floor <= target). A target of `-` reports the ratio
//! without a target. An optional eighth field is an absolute bound on the value, in its unit
//! (a `lower` value must stay under it as well: "p99 under 20 ms").

// Timings and ratios are not money: floats are the right type here.
#![allow(clippy::float_arithmetic)]

use std::process::{Command, Stdio};

use crate::{cargo, describe, workspace_root};

/// (package, bench target) pairs, in table order. The app measures (processes under a private
/// desktop) follow them, from [`crate::bench_app`].
const TARGETS: [(&str, &str); 4] = [
    ("tipi-core", "pipeline"),
    ("tipi-core", "transmit"),
    ("tipi-core", "history"),
    ("tipi-sandbox", "capacity"),
];

/// Measures of issue #8 that no bench target produces yet; listed in the report.
const MISSING: &[&str] = &[];

struct Row {
    measure: String,
    unit: String,
    value: f64,
    floor: f64,
    /// None: the ratio is reported, with no target.
    target: Option<f64>,
    higher_is_better: bool,
    /// An absolute bound on the value, besides the ratio.
    limit: Option<f64>,
}

impl Row {
    fn parse(line: &str) -> Option<Row> {
        let fields: Vec<&str> = line.strip_prefix("BENCH\t")?.split('\t').collect();
        let (fields, limit) = match fields[..] {
            [.., limit] if fields.len() == 7 => (&fields[..6], Some(limit.parse().ok()?)),
            _ => (&fields[..], None),
        };
        let [measure, unit, value, floor, target, direction] = fields[..] else {
            return None;
        };
        Some(Row {
            measure: measure.to_owned(),
            unit: unit.to_owned(),
            value: value.parse().ok()?,
            floor: floor.parse().ok()?,
            target: match target {
                "-" => None,
                number => Some(number.parse().ok()?),
            },
            limit,
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

    /// None when there is nothing to meet.
    fn met(&self) -> Option<bool> {
        let within_limit = |value: f64| match self.limit {
            Some(limit) if self.higher_is_better => value >= limit,
            Some(limit) => value <= limit,
            None => true,
        };
        let ratio_met = match self.target {
            Some(target) if self.higher_is_better => self.ratio() >= target,
            Some(target) => self.ratio() <= target,
            None if self.limit.is_none() => return None,
            None => true,
        };
        Some(ratio_met && within_limit(self.value))
    }

    fn target_text(&self) -> String {
        let sign = if self.higher_is_better { ">=" } else { "<=" };
        let ratio = self.target.map(|target| format!("{sign} {target}x"));
        let limit = self
            .limit
            .map(|limit| format!("{sign} {} {}", figure(limit), self.unit));
        match (ratio, limit) {
            (Some(ratio), Some(limit)) => format!("{ratio}, {limit}"),
            (Some(text), None) | (None, Some(text)) => text,
            (None, None) => "(ratio only)".to_owned(),
        }
    }
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let (quick, app_only) = match args {
        [] => (false, false),
        [flag] if flag == "--quick" => (true, false),
        // The app measures alone, on the binaries already built; printed, not recorded.
        [flag] if flag == "--app-only" => (false, true),
        _ => return Err("usage: cargo xtask bench [--quick | --app-only]".into()),
    };
    if app_only {
        let lines = crate::bench_app::run(quick, false)?;
        let rows: Vec<Row> = lines.iter().filter_map(|line| Row::parse(line)).collect();
        print_table(&table(&rows));
        return Ok(());
    }
    let mut rows = Vec::new();
    // A measure that fails is reported as not measured; the others still make the table.
    let mut failed = Vec::new();
    for (package, target) in TARGETS {
        match run_target(package, target, quick) {
            Ok(found) => rows.extend(found),
            Err(error) => failed.push(format!("{package} bench {target} failed: {error}")),
        }
    }
    match crate::bench_app::run(quick, true) {
        Ok(lines) => rows.extend(lines.iter().filter_map(|line| Row::parse(line))),
        Err(error) => failed.push(format!("the app measures failed: {error}")),
    }
    for failure in &failed {
        eprintln!("{failure}");
    }
    let table = table(&rows);
    print_table(&table);
    let path = workspace_root().join("docs/performance.md");
    let previous = std::fs::read_to_string(&path).unwrap_or_default();
    let report = report(&table, quick, &failed)? + &kept_sections(&previous);
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
            match row.met() {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "-",
            },
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

fn report(table: &str, quick: bool, failed: &[String]) -> Result<String, String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown".to_owned(), |(_, model)| model.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let date = command_output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))?;
    let mode = if quick { "`--quick`" } else { "full" };
    let missing: String = MISSING
        .iter()
        .copied()
        .chain(failed.iter().map(String::as_str))
        .map(|m| format!("- {m}\n"))
        .collect();
    let missing = if missing.is_empty() {
        String::new()
    } else {
        format!("\n## Not measured yet\n\n{missing}")
    };
    Ok(format!(
        "# Performance\n\n\
         Written by `cargo xtask bench` ({mode} mode) on {date}: {cores} cores (nproc), {cpu}.\n\
         Every figure is a ratio to a floor measured in the same run on the same machine; \
         \"met?\" is `-` where the issue sets no target (the ratio is reported).\n\n\
         {table}\n\
         ## What is measured\n\n\
         - **Batch pipeline**: `Batch::build` (validation of every claim and the batch rules) \
         then `tipi_core::batches::outbox_bytes` (the lot XML the outbox stores and sends), \
         median of repeated runs, in claims per second. A batch holds at most 5,000 claims \
         (`tipi_domain::batch::MAX_CLAIMS`): 50,000 claims are built as ten consecutive \
         batches, as the app's Send builds them. Floor: `serde_json::to_vec` of the same \
         claims. Source: `crates/tipi-core/benches/pipeline.rs`.\n\
         - **Transmit end to end**: a 5,000-claim batch from the outbox to the sandbox over \
         loopback TLS and the receipt back into the local journal (`Tipi::transmit`, Tipi \
         opened as the app opens it: encrypted store, the sandbox's CA), median of rounds. \
         Floor: `curl --cacert` uploading the same bytes (the outbox payload) with the same \
         HTTP Basic credentials to the same endpoint of a second sandbox in the same state, \
         one process per upload. Source: `crates/tipi-core/benches/transmit.rs`.\n\
         - **History at scale**: ten years of a busy practice (500,000 claims, 137 a day, with \
         their lines and events; 2,500 batches in the outbox and their receivability returns; \
         a statement per two-week payment cycle; the exchange journal), generated by SQL in \
         one transaction and cached under the target directory by schema version. p50 and p99 \
         of the store's own calls: opening it, the exchange journal of one month, the claims \
         served in one month (about 4,200 with their lines), searching one NAM (100 claims), \
         the statements of one payment cycle summed in `Decimal`. Floor: the same SQL \
         (`tipi_store::sql`, parameters bound by the shell's `.parameter set`) through the \
         `sqlite3` shell on the same plain file, one process per call. Target: 1.5x of the \
         shell, and p99 under 20 ms at 500,000 claims. The app's file is SQLCipher-encrypted, \
         which the shell cannot read: the same calls on an encrypted copy are given as a ratio \
         to the plain store. `--quick` uses 50,000 claims. \
         Source: `crates/tipi-core/benches/history.rs`.\n\
         - **Sandbox capacity**: 50 enrolled agencies at once over loopback TLS, each its own \
         HTTPS client sending batches of 5 requests one after the other (the load test's \
         approach): batches per second over the run and the p99 latency of one batch. Floor: \
         the same number of requests from the same clients with the same authentication to a \
         trivial endpoint of the same server (GET the calendar). The issue sets no target. \
         Source: `crates/tipi-sandbox/benches/capacity.rs`.\n\
         - **The app**: Tipi against a bare Tauri 2 hello world (`bench/hello-tauri`), both \
         built in this run in release with the same features, both run in the same private \
         desktop (Xvfb, D-Bus, keyring), started in turn (Tipi, hello, Tipi...: a change in \
         the machine's load weighs on both alike). Start: process spawn until the page reports its first \
         screen rendered (both call a `ui_ready` command right after `body[data-ready=true]`; \
         `TIPI_BENCH_READY_FILE` makes it write a file); Tipi opens on its home screen with data \
         (an enrolled agency, claims sent and claims waiting, seeded by the `tipi` command \
         line). Idle memory: VmRSS 30 s after a start, summed over the app and all its \
         descendants (WebKit's web and network processes). Sizes: the release binary, and a \
         `.deb` of it made the same way for both with `dpkg-deb` (the tauri CLI's bundler is not \
         installed). Source: `xtask/src/bench_app.rs`.\n\n\
         The machine is shared with other builds: expect some noise, most in the p99 \
         figures.\n\n\
         {missing}"
    ))
}

/// The sections of the report this tool writes; any other `## ` section of the previous
/// file (an engineer's profile notes) is kept, after them.
const OWN_SECTIONS: [&str; 2] = ["What is measured", "Not measured yet"];

fn kept_sections(previous: &str) -> String {
    previous
        .split("\n## ")
        .skip(1)
        .filter(|section| !OWN_SECTIONS.iter().any(|own| section.starts_with(own)))
        .map(|section| format!("\n## {}\n", section.trim_end()))
        .collect()
}

fn command_output(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|e| format!("{}: {e}", describe(command)))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
