//! The binary: `--help` explains how to run it; running it prints where it listens and where
//! the CA certificate is; its logs carry no NAM and no password.

mod common;

use std::process::Stdio;

use common::*;
use reqwest::StatusCode;
use serde_json::json;
use tipi_protocol::{paths, XmlMessage};
use tokio::io::{AsyncBufReadExt, BufReader};

const BIN: &str = env!("CARGO_BIN_EXE_tipi-sandbox");

#[test]
fn help_explains_how_to_run_it() {
    let output = std::process::Command::new(BIN)
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "--data-dir",
        "--port",
        "--clock",
        "--admin-token",
        "ca.pem",
        "12345",
        "U123d",
        "AGP54321",
        "07:00-22:00",
    ] {
        assert!(text.contains(expected), "--help lacks {expected}:\n{text}");
    }
}

#[tokio::test]
async fn it_prints_its_address_and_ca_and_logs_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = tokio::process::Command::new(BIN)
        .args([
            "--port",
            "0",
            "--admin-token",
            "cli-token",
            "--frozen",
            "--clock",
            TUESDAY_10H,
        ])
        .arg("--data-dir")
        .arg(dir.path())
        .env("RUST_LOG", "tipi_sandbox=debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut url = None;
    let mut ca_path = None;
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(rest) = line.strip_prefix("TIP-I sandbox listening on ") {
            url = rest.strip_suffix("/tipi/v1").map(str::to_owned);
        }
        if let Some(rest) = line.strip_prefix("CA certificate to trust: ") {
            ca_path = Some(std::path::PathBuf::from(rest));
        }
        if line.starts_with("Ctrl-C") {
            break;
        }
    }
    let url = url.expect("the address is printed");
    let ca_path = ca_path.expect("the CA path is printed");
    assert_eq!(ca_path, dir.path().join("ca.pem"));
    let http = client(&std::fs::read_to_string(&ca_path).unwrap());

    // A session with every secret the sandbox ever sees.
    let seeded = http
        .post(format!("{url}{}", paths::ADMIN_AGENCIES))
        .bearer_auth("cli-token")
        .json(&json!({"kind": "enrolled", "transmission_number": "80001", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(seeded.status(), StatusCode::CREATED);
    let wrong = http
        .get(format!("{url}{}", paths::SESSION))
        .basic_auth("AGP80001", Some("Wrong123"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let batch = lot(
        "80001",
        1,
        vec![
            request("1", "F1", NAM, "2026-03-09"),
            request("2", "F2", BAD_NAM, "2026-03-09"),
        ],
    );
    let sent = http
        .post(format!("{url}{}", paths::BATCHES))
        .basic_auth("AGP80001", Some(PASSWORD))
        .body(batch.to_xml().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::ACCEPTED);
    let enrol = http
        .post(format!("{url}{}", paths::ENROLMENT))
        .send()
        .await
        .unwrap();
    assert_eq!(enrol.status(), StatusCode::CREATED);

    child.start_kill().unwrap();
    let output = child.wait_with_output().await.unwrap();
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(
        logs.contains("batch received"),
        "logs were captured:\n{logs}"
    );
    for secret in [
        NAM,
        BAD_NAM,
        "TREJ",
        "Tremblay",
        PASSWORD,
        "Wrong123",
        "blast123",
        "Temp5432",
        "cli-token",
    ] {
        assert!(!logs.contains(secret), "the logs contain {secret}:\n{logs}");
    }
}
