//! History at scale, run by `cargo xtask bench` (which formats the table).
//!
//! Fills a tipi-store database (a plain, unencrypted file opened without a key, so the sqlite3
//! shell can read it) with years of a practice, then times the store's own calls and, as the
//! floor, the same SQL through the `sqlite3` command-line shell on the same file (each call a
//! new process, as a person at a shell would run it). Prints p50 and p99 lines in the format
//! `BENCH<TAB>name<TAB>unit<TAB>value<TAB>floor<TAB>target ratio<TAB>lower`.
//! `--quick` stores 10,000 claims and times fewer runs; the full mode stores 50,000.

// Timings are not money: floats are the right type for latency figures.
#![allow(clippy::float_arithmetic)]

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use tipi_domain::claim::{Claim, ClaimLine, Patient, RemunerationSystem};
use tipi_domain::ids::Clientele;
use tipi_store::Store;

/// Issue #8: history queries within 1.5x of the sqlite3 shell running the same SQL.
const TARGET_RATIO: f64 = 1.5;
/// Distinct patients of the practice.
const PATIENTS: usize = 2_000;
/// Claims a call may return (the journal's page size is smaller; this bounds a month).
const LIMIT: u32 = 10_000;
/// The columns the store selects for a claim (tipi-store's `CLAIM_COLUMNS`).
const CLAIM_COLUMNS: &str = "c.id, c.external_id, c.state, c.professional, c.place, \
     c.remuneration, c.clientele, c.late_allowed, c.nam, c.surname, c.first_name, c.birth_date, \
     c.sex, c.no_fact_ramq, c.created_at, c.updated_at";

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 2).expect("a valid date")
}

/// The NAM of patient `p`: four letters and eight digits, distinct per patient.
fn nam(p: usize) -> String {
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    format!(
        "{}{}{}{}{:08}",
        letter(p / 26 / 26),
        letter(p / 26),
        letter(p),
        letter(p + 7),
        40_000_000 + p
    )
}

/// Claim `i` of the practice: about 45 a day, one or two lines, patients in turn.
fn claim(i: usize, per_day: usize) -> Claim {
    let day = first_day() + Days::new((i / per_day) as u64);
    let line = |code: &str| ClaimLine {
        billing_code: code.into(),
        service_date: day,
        role: "1".into(),
        units: 1,
        amount: Decimal::new(4550 + (i % 100) as i64, 2),
    };
    let mut lines = vec![line("00103")];
    if i % 3 == 0 {
        lines.push(line("00110"));
    }
    Claim {
        external_id: format!("F{i:08}"),
        professional: "123456".into(),
        place: "92017".into(),
        patient: Patient::WithNam {
            nam: nam((i * 7919) % PATIENTS),
            surname: "Tremblay".into(),
            first_name: "Mathieu".into(),
        },
        remuneration: RemunerationSystem::Rfp,
        clientele: Clientele::Physicians,
        late_allowed: false,
        lines,
    }
}

/// p50 and p99.
type Percentiles = (Duration, Duration);

/// p50 and p99 of `runs` timings.
fn percentiles(mut times: Vec<Duration>) -> Percentiles {
    times.sort();
    let at = |q: usize| times[((times.len() - 1) * q) / 100];
    (at(50), at(99))
}

fn time_runs(runs: usize, mut run: impl FnMut()) -> Percentiles {
    run(); // warm-up: page cache and the runtime
    percentiles(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                run();
                started.elapsed()
            })
            .collect(),
    )
}

fn sqlite3(file: &Path, sql: &str) {
    let output = Command::new("sqlite3")
        .arg(file)
        .arg(sql)
        .output()
        .expect("sqlite3 is installed (cargo xtask setup)");
    assert!(
        output.status.success() && !output.stdout.is_empty(),
        "sqlite3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let (claims, runs) = if quick { (10_000, 30) } else { (50_000, 200) };
    let per_day = 45;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("history.sqlite3");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");

    let filling = Instant::now();
    runtime.block_on(async {
        let store = Store::open(&file).await.expect("opens");
        let at = Utc.with_ymd_and_hms(2026, 1, 5, 12, 0, 0).unwrap();
        for i in 0..claims {
            store
                .create_claim(&claim(i, per_day), at)
                .await
                .expect("stores");
        }
        store.close().await;
    });
    eprintln!(
        "history: {claims} claims stored in {:.1} s",
        filling.elapsed().as_secs_f64()
    );

    // A month in the middle of the history, and a patient's NAM (full, as typed at the desk).
    let days = (claims / per_day) as u64;
    let from = first_day() + Days::new(days / 2);
    let to = from + Days::new(30);
    let patient = nam(1_234);
    let month_sql = format!(
        "SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.id IN (SELECT claim_id FROM claim_lines \
         WHERE service_date BETWEEN '{from}' AND '{to}') ORDER BY (SELECT MIN(service_date) \
         FROM claim_lines l WHERE l.claim_id = c.id), c.id LIMIT {LIMIT}; \
         SELECT claim_id, billing_code, service_date, role, units, amount FROM claim_lines \
         WHERE claim_id IN (SELECT claim_id FROM claim_lines WHERE service_date BETWEEN \
         '{from}' AND '{to}') ORDER BY claim_id, line_no;"
    );
    let nam_sql = format!(
        "SELECT {CLAIM_COLUMNS} FROM claims c WHERE c.nam >= '{patient}' AND c.nam < \
         '{patient}~' ORDER BY c.nam, c.id LIMIT {LIMIT}; SELECT claim_id, billing_code, \
         service_date, role, units, amount FROM claim_lines WHERE claim_id IN (SELECT id FROM \
         claims WHERE nam >= '{patient}' AND nam < '{patient}~') ORDER BY claim_id, line_no;"
    );

    let store = runtime.block_on(Store::open(&file)).expect("opens");
    let found = runtime
        .block_on(store.claims_with_service_between(from, to, LIMIT))
        .expect("lists");
    assert!(!found.is_empty(), "the month holds claims");
    let measures: Vec<(&str, Percentiles, Percentiles)> = vec![
        (
            "open the store",
            time_runs(runs, || {
                runtime.block_on(async {
                    let store = Store::open(&file).await.expect("opens");
                    store.close().await;
                });
            }),
            time_runs(runs, || {
                sqlite3(&file, "SELECT COUNT(*) FROM sqlite_master;")
            }),
        ),
        (
            "journal, one month",
            time_runs(runs, || {
                let claims = runtime
                    .block_on(store.claims_with_service_between(from, to, LIMIT))
                    .expect("lists");
                assert_eq!(claims.len(), found.len());
            }),
            time_runs(runs, || sqlite3(&file, &month_sql)),
        ),
        (
            "search a NAM",
            time_runs(runs, || {
                let claims = runtime
                    .block_on(store.search_claims_by_nam(&patient, LIMIT))
                    .expect("searches");
                assert!(!claims.is_empty());
            }),
            time_runs(runs, || sqlite3(&file, &nam_sql)),
        ),
    ];
    runtime.block_on(store.close());

    let mut out = std::io::stdout().lock();
    for (name, (p50, p99), (floor50, floor99)) in measures {
        for (label, value, floor) in [("p50", p50, floor50), ("p99", p99, floor99)] {
            writeln!(
                out,
                "BENCH\t{name} ({claims} claims), {label}\tms\t{:.3}\t{:.3}\t{TARGET_RATIO}\tlower",
                value.as_secs_f64() * 1e3,
                floor.as_secs_f64() * 1e3,
            )
            .expect("stdout is writable");
        }
    }
}
