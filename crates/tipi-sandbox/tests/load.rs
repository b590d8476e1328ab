//! Bounded load test on loopback: 50 agencies send 4 batches each, concurrently. No error,
//! no lost and no doubled exchange; the throughput is printed (never asserted).

mod common;

use std::collections::HashSet;
use std::time::Instant;

use common::*;
use reqwest::StatusCode;
use tipi_protocol::XmlMessage;

const AGENCIES: u32 = 50;
const BATCHES: u32 = 4;
const REQUESTS_PER_BATCH: u64 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_agencies_send_batches_concurrently() {
    let env = Env::start().await;
    let numbers: Vec<String> = (0..AGENCIES).map(|i| format!("{}", 70_000 + i)).collect();
    for number in &numbers {
        env.enrolled(number).await;
    }
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for number in numbers.clone() {
        let http = env.http.clone();
        let url = env.url(tipi_protocol::paths::BATCHES);
        tasks.spawn(async move {
            let mut statuses = Vec::new();
            for no_attes in 1..=BATCHES {
                let first = u64::from(no_attes) * 100;
                let lot = lot(
                    &number,
                    no_attes,
                    valid_requests(first, REQUESTS_PER_BATCH, "2026-03-09"),
                );
                let response = http
                    .post(&url)
                    .basic_auth(format!("AGP{number}"), Some(PASSWORD))
                    .body(lot.to_xml().unwrap())
                    .send()
                    .await
                    .unwrap();
                statuses.push(response.status());
            }
            statuses
        });
    }
    let mut statuses = Vec::new();
    while let Some(result) = tasks.join_next().await {
        statuses.extend(result.unwrap());
    }
    let elapsed = started.elapsed();
    assert_eq!(statuses.len(), (AGENCIES * BATCHES) as usize);
    assert!(
        statuses.iter().all(|s| *s == StatusCode::ACCEPTED),
        "{statuses:?}"
    );

    let exchanges = env.exchanges().await;
    assert_eq!(
        exchanges.len(),
        (AGENCIES * BATCHES) as usize,
        "no lost or extra exchange"
    );
    let unique: HashSet<_> = exchanges
        .iter()
        .map(|e| (e.transmission_number.clone(), e.no_attes))
        .collect();
    assert_eq!(unique.len(), exchanges.len(), "no doubled exchange");
    for number in &numbers {
        assert_eq!(env.agency(number).await["next_attestation"], BATCHES + 1);
    }
    let batches = f64::from(AGENCIES * BATCHES);
    #[allow(clippy::float_arithmetic)]
    let rate = batches / elapsed.as_secs_f64();
    println!(
        "load: {} batches ({} requests) from {AGENCIES} agencies in {:.2?}: {rate:.1} batches/s",
        AGENCIES * BATCHES,
        u64::from(AGENCIES * BATCHES) * REQUESTS_PER_BATCH,
        elapsed,
    );
}
