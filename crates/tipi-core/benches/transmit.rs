//! Transmit end to end, run by `cargo xtask bench` (which formats the table).
//!
//! A batch of 5,000 claims goes from Tipi's outbox to the sandbox over loopback TLS, and the
//! receipt back into the local journal: `Tipi::transmit`, timed, with Tipi opened as the app
//! opens it (`tipi_core::local`, an encrypted SQLite file, the sandbox's CA). Floor: `curl`
//! uploading the same bytes (the outbox payload Tipi just sent) to the same endpoint of a
//! second sandbox in the same state (the same agency, password and attestation sequence), with
//! the same TLS (`curl --cacert` with that sandbox's CA) and the same HTTP Basic
//! authentication, one process per upload as at a shell. Both answers are 202 receipts.
//!
//! Prints `BENCH<TAB>name<TAB>unit<TAB>value<TAB>floor<TAB>target<TAB>lower` (p50 over rounds).

// Timings are not money: floats are the right type for latency figures.
#![allow(clippy::float_arithmetic)]
// The BENCH lines on stdout are the bench's output.
#![allow(clippy::print_stdout)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::{at, claim, secret, TUESDAY_10H};
use tipi_core::batches::BuildMode;
use tipi_core::local::{Endpoint, LocalConfig};
use tipi_core::{Environment, ManualClock, MemorySecrets, Tipi};
use tipi_protocol::admin::ClockCommand;
use tipi_protocol::paths;
use tipi_sandbox::{Sandbox, SandboxConfig, SandboxHandle, DEMO_BLAST};

/// Issue #8: within 2x of curl.
const TARGET_RATIO: f64 = 2.0;
const CLAIMS: usize = 5_000;
const PASSWORD: &str = "Tipi2026";

async fn sandbox(dir: &std::path::Path, demo: bool) -> SandboxHandle {
    let mut config = SandboxConfig::new(dir);
    config.clock = Some(ClockCommand::Freeze {
        at: at(TUESDAY_10H),
    });
    config.seed_demo = demo;
    Sandbox::start(config).await.expect("the sandbox starts")
}

/// Tipi enrolled on `sandbox` as the demo agency, through its five steps.
async fn enrolled_tipi(sandbox: &SandboxHandle, dir: &std::path::Path) -> (Tipi, String) {
    let config = LocalConfig {
        environment: Environment::Sandbox,
        data_dir: dir.join("data"),
        endpoint: Endpoint {
            url: sandbox.base_url(),
            ca_pem: Some(sandbox.ca_cert_pem().as_bytes().to_vec()),
        },
    };
    let clock = ManualClock::at(at(TUESDAY_10H));
    let tipi =
        tipi_core::local::open_with(&config, Arc::new(MemorySecrets::default()), Arc::new(clock))
            .await
            .expect("tipi opens");
    let id = tipi.enrolment_start().await.unwrap().id;
    tipi.enrolment_warning(&id, true).await.unwrap();
    tipi.enrolment_policy(&id, true).await.unwrap();
    let (number, blast_id, blast_password) = DEMO_BLAST;
    tipi.enrolment_authenticate(
        &id,
        &tipi_core::account::BlastLogin {
            transmission_number: number.into(),
            blast_id: blast_id.into(),
            blast_password: secret(blast_password),
        },
    )
    .await
    .unwrap();
    let profile = tipi
        .enrolment_choose_password(&id, &secret(PASSWORD), &secret(PASSWORD))
        .await
        .unwrap();
    (tipi, profile.tipi_id.as_str().to_owned())
}

/// The same agency, enrolled with the same password, on the floor's sandbox.
async fn seed_same_agency(sandbox: &SandboxHandle) {
    let ca = reqwest::Certificate::from_pem(sandbox.ca_cert_pem().as_bytes()).unwrap();
    let http = reqwest::Client::builder()
        .tls_certs_only([ca])
        .build()
        .unwrap();
    let body = serde_json::json!({
        "kind": "enrolled",
        "transmission_number": DEMO_BLAST.0,
        "password": PASSWORD,
    });
    let response = http
        .post(format!("{}{}", sandbox.base_url(), paths::ADMIN_AGENCIES))
        .bearer_auth(sandbox.admin_token())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{}", response.status());
}

fn curl_upload(sandbox: &SandboxHandle, user: &str, payload: &std::path::Path) -> Duration {
    let started = Instant::now();
    let output = Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--fail",
            "--output",
            "/dev/null",
        ])
        .arg("--cacert")
        .arg(sandbox.ca_cert_path())
        .arg("--user")
        .arg(format!("{user}:{PASSWORD}"))
        .args(["--header", "content-type: application/xml", "--data-binary"])
        .arg(format!("@{}", payload.display()))
        .args(["--write-out", "%{http_code}"])
        .arg(format!("{}{}", sandbox.base_url(), paths::BATCHES))
        .output()
        .expect("curl is installed");
    let elapsed = started.elapsed();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "202",
        "curl: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick");
    let rounds = if quick { 3 } else { 9 };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let tipis_sandbox = sandbox(&dir.path().join("sandbox"), true).await;
    let floor_sandbox = sandbox(&dir.path().join("floor-sandbox"), false).await;
    seed_same_agency(&floor_sandbox).await;
    let (tipi, user) = enrolled_tipi(&tipis_sandbox, dir.path()).await;
    let payload_file = dir.path().join("batch.xml");

    let mut tipi_times = Vec::new();
    let mut curl_times = Vec::new();
    let mut bytes = 0;
    for round in 0..rounds {
        for i in 0..CLAIMS {
            tipi.add_ready_claim(claim(&format!("R{round}-{i:05}")))
                .await
                .expect("a valid claim");
        }
        let plan = tipi.build_batch(None, BuildMode::Real).await.unwrap();
        assert_eq!(plan.claims.len(), CLAIMS);
        let outbox = plan.outbox.expect("a real batch is queued");
        let payload = tipi.store().outbox_entry(outbox).await.unwrap().payload;
        bytes = payload.len();

        let started = Instant::now();
        let report = tipi.transmit().await.expect("transmits");
        tipi_times.push(started.elapsed());
        assert_eq!(report.sent.len(), 1);
        assert_eq!(report.sent[0].attestation, plan.attestation);

        std::fs::write(&payload_file, &payload).expect("a temporary file");
        curl_times.push(curl_upload(&floor_sandbox, &user, &payload_file));
    }
    eprintln!("transmit: {rounds} rounds of a {bytes}-byte batch");
    println!(
        "BENCH\ttransmit a {CLAIMS}-claim batch end to end (p50 of {rounds})\tms\t{:.2}\t{:.2}\t{TARGET_RATIO}\tlower",
        median(tipi_times).as_secs_f64() * 1e3,
        median(curl_times).as_secs_f64() * 1e3,
    );
    tipi.store().clone().close().await;
    tipis_sandbox.shutdown().await;
    floor_sandbox.shutdown().await;
}
