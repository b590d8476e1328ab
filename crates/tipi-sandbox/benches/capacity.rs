//! Sandbox capacity, run by `cargo xtask bench` (which formats the table).
//!
//! The approach of the load test (tests/load.rs): 50 enrolled agencies send batches of 5
//! receivable requests at once over loopback TLS, each agency its own HTTPS client (its own
//! connection, as on its own computer) sending its batches one after the other. Measured:
//! batches per second over the whole run and the p99 latency of one batch request. Floor: the
//! same number of requests, from the same 50 clients with the same authentication, to a
//! trivial endpoint of the same server (GET the calendar), so the ratio is what handling a
//! batch costs above TLS, HTTP and authentication.
//!
//! Prints `BENCH<TAB>name<TAB>unit<TAB>value<TAB>floor<TAB>target<TAB>higher|lower`; the issue
//! sets no target for capacity, so the ratios are reported without one (`-`).

// Timings and rates are not money: floats are the right type here.
#![allow(clippy::float_arithmetic)]
// The BENCH lines on stdout are the bench's output.
#![allow(clippy::print_stdout)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::StatusCode;
use tipi_protocol::{paths, XmlMessage};

const AGENCIES: u32 = 50;
const REQUESTS_PER_BATCH: u64 = 5;

/// What one round of 50 concurrent agencies does: one request, by agency and batch number.
#[derive(Clone, Copy)]
enum Work {
    Batch,
    Calendar,
}

struct Round {
    elapsed: Duration,
    latencies: Vec<Duration>,
}

async fn round(env: &Env, work: Work, batches: u32, first_attestation: u32) -> Round {
    let ca = env.sandbox.ca_cert_pem().to_owned();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for agency in 0..AGENCIES {
        let number = format!("{}", 70_000 + agency);
        let http = client(&ca);
        let base = env.base.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            for no_attes in first_attestation..first_attestation + batches {
                let request = match work {
                    Work::Batch => {
                        let first = u64::from(no_attes) * 100;
                        let service = "2026-03-09";
                        let requests = valid_requests(first, REQUESTS_PER_BATCH, service);
                        let body = lot(&number, no_attes, requests).to_xml().unwrap();
                        http.post(format!("{base}{}", paths::BATCHES))
                            .header("content-type", "application/xml")
                            .body(body)
                    }
                    Work::Calendar => http.get(format!("{base}{}", paths::CALENDAR)),
                };
                let sent = Instant::now();
                let response = request
                    .basic_auth(format!("AGP{number}"), Some(PASSWORD))
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                let _ = response.bytes().await.unwrap();
                latencies.push(sent.elapsed());
                let expected = match work {
                    Work::Batch => StatusCode::ACCEPTED,
                    Work::Calendar => StatusCode::OK,
                };
                assert_eq!(status, expected);
            }
            latencies
        });
    }
    let mut latencies = Vec::new();
    while let Some(result) = tasks.join_next().await {
        latencies.extend(result.unwrap());
    }
    Round {
        elapsed: started.elapsed(),
        latencies,
    }
}

fn p99(mut latencies: Vec<Duration>) -> Duration {
    latencies.sort();
    latencies[(latencies.len() - 1) * 99 / 100]
}

fn rate(round: &Round) -> f64 {
    round.latencies.len() as f64 / round.elapsed.as_secs_f64()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let batches = if quick { 4 } else { 20 };
    let env = Env::start().await;
    for agency in 0..AGENCIES {
        env.enrolled(&format!("{}", 70_000 + agency)).await;
    }
    // Warm-up: the server's first connections and pages of its database.
    round(&env, Work::Calendar, 1, 1).await;
    let floor = round(&env, Work::Calendar, batches, 1).await;
    let sent = round(&env, Work::Batch, batches, 1).await;
    let exchanges = env.exchanges().await;
    assert_eq!(
        exchanges.len(),
        (AGENCIES * batches) as usize,
        "every batch"
    );

    let total = AGENCIES * batches;
    println!(
        "BENCH\tsandbox capacity, {AGENCIES} agencies x {batches} batches of \
         {REQUESTS_PER_BATCH} ({total} batches)\tbatches/s\t{:.1}\t{:.1}\t-\thigher",
        rate(&sent),
        rate(&floor),
    );
    println!(
        "BENCH\tsandbox capacity, p99 latency of a batch under {AGENCIES} agencies\tms\t{:.2}\t{:.2}\t-\tlower",
        p99(sent.latencies).as_secs_f64() * 1e3,
        p99(floor.latencies).as_secs_f64() * 1e3,
    );
    env.stop().await;
}
