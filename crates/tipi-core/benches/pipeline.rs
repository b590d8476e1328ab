//! Batch pipeline throughput, run by `cargo xtask bench` (which formats the table).
//!
//! The measure is what a real batch build does with the claims: validate and build
//! ([`Batch::build`]) and serialise to the outbox bytes ([`tipi_core::batches::outbox_bytes`]).
//! A batch holds at most [`MAX_CLAIMS`] claims, so more claims than that are built as
//! consecutive batches, as `Tipi::build_batch` takes them.
//! The floor, timed in the same process, serialises the same claims with serde_json to a `Vec`.
//! Prints one machine-readable line per measure:
//! `BENCH<TAB>name<TAB>unit<TAB>value<TAB>floor<TAB>target ratio<TAB>higher|lower`.
//! `--quick` runs fewer iterations and skips the 50,000-claim batch.

// Timings are not money: floats are the right type for throughput figures.
#![allow(clippy::float_arithmetic)]

use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use tipi_domain::batch::{Batch, SoftwareIdentity, MAX_CLAIMS};
use tipi_domain::claim::{Claim, ClaimLine, Patient, RemunerationSystem};
use tipi_domain::ids::{AttestationNumber, Clientele, DeveloperNumber, TipiId, TransmissionNumber};

/// The pipeline must reach at least half of serde_json's throughput.
const TARGET_RATIO: f64 = 0.5;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 10).expect("a valid date")
}

fn software() -> SoftwareIdentity {
    SoftwareIdentity {
        developer: DeveloperNumber::parse("AGP16001").expect("a valid developer number"),
        name: "Tipi".into(),
        version: "0.1.0".into(),
    }
}

/// `count` valid claims, distinct invoice numbers, services spread over the last 60 days.
fn claims(count: usize) -> Vec<Claim> {
    (0..count)
        .map(|i| Claim {
            external_id: format!("F{i:08}"),
            professional: "123456".into(),
            place: "92017".into(),
            patient: Patient::WithNam {
                nam: "TREM04121925".into(),
                surname: "Tremblay".into(),
                first_name: "Mathieu".into(),
            },
            remuneration: RemunerationSystem::Rfp,
            clientele: Clientele::Physicians,
            late_allowed: false,
            lines: vec![ClaimLine {
                billing_code: "00103".into(),
                service_date: today() - Days::new(1 + (i % 60) as u64),
                role: "1".into(),
                units: 1,
                amount: Decimal::new(4550 + (i % 100) as i64, 2),
            }],
        })
        .collect()
}

/// Median wall time of `run`, called at least `min_runs` times and for at least `budget`.
fn median(min_runs: usize, budget: Duration, mut run: impl FnMut() -> Duration) -> Duration {
    let started = Instant::now();
    let mut times = Vec::new();
    while times.len() < min_runs || started.elapsed() < budget {
        times.push(run());
    }
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let (sizes, budget): (&[usize], _) = if quick {
        (&[100, 5_000], Duration::from_millis(400))
    } else {
        (&[100, 5_000, 50_000], Duration::from_secs(2))
    };
    let agency = TipiId::parse("AGP12345").expect("a valid agency id");
    let mut out = std::io::stdout().lock();
    for &size in sizes {
        let input = claims(size);
        let pipeline = median(5, budget, || {
            let lots: Vec<Vec<Claim>> = input.chunks(MAX_CLAIMS).map(<[Claim]>::to_vec).collect();
            let started = Instant::now();
            for (n, claims) in (1..).zip(lots) {
                let batch = Batch::build(
                    TransmissionNumber::parse("12345").expect("a valid transmission number"),
                    AttestationNumber::new(n).expect("a valid attestation number"),
                    software(),
                    claims,
                    today(),
                )
                .expect("the generated claims are valid");
                black_box(tipi_core::batches::outbox_bytes(&batch, &agency));
            }
            started.elapsed()
        });
        let floor = median(5, budget, || {
            let started = Instant::now();
            let bytes = serde_json::to_vec(black_box(&input)).expect("serialises");
            let elapsed = started.elapsed();
            black_box(bytes);
            elapsed
        });
        let per_second = |time: Duration| size as f64 / time.as_secs_f64();
        writeln!(
            out,
            "BENCH\tbatch pipeline, {size} claims\tclaims/s\t{:.0}\t{:.0}\t{TARGET_RATIO}\thigher",
            per_second(pipeline),
            per_second(floor),
        )
        .expect("stdout is writable");
    }
}
