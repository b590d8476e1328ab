//! The `tipi` binary against a real sandbox over HTTPS, with its own SQLite file and the real
//! keychain of a private session: a scripted day of work with the exit codes a script relies
//! on, and a `tipi batch send` killed with SIGKILL between "TIP-I has the batch" and "Tipi
//! recorded it", recovered on the next run without sending the batch twice.

mod common;

use std::time::{Duration, Instant};

use common::*;
use tipi_protocol::admin::{Fault, FaultEndpoint, FaultMode};
use tipi_store::OutboxState;

#[tokio::test]
async fn a_scripted_day_then_a_kill_between_sent_and_recorded() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    // Enrol: the answers and passwords come on stdin, never as arguments.
    let enrol = rig.enrol().await;
    assert!(enrol.status.success(), "{}", text(&enrol));
    assert!(String::from_utf8_lossy(&enrol.stdout).contains("enrolled: AGP12345"));

    // A claim with problems is kept as a draft: exit code 3 and every problem listed.
    let mut bad = claim_line("BAD-1").replace("99999", "12");
    bad = bad.replace("\"units\":1", "\"units\":0");
    let invalid = rig.tipi(&["claims", "add"], &bad).await;
    assert_eq!(invalid.status.code(), Some(3), "{}", text(&invalid));
    let shown = String::from_utf8_lossy(&invalid.stdout).into_owned();
    assert!(shown.contains("place_invalid") && shown.contains("units_not_positive"));
    assert!(!shown.contains("TREJ"), "no NAM in the output");

    // Import, dry run, build, send.
    let import = rig
        .tipi(
            &["claims", "import"],
            &format!("{}\n{}\n", claim_line("C-1"), claim_line("C-2")),
        )
        .await;
    assert!(import.status.success(), "{}", text(&import));
    let dry = rig.tipi(&["batch", "build", "--dry-run"], "").await;
    assert!(
        String::from_utf8_lossy(&dry.stdout).contains("batch: 1 (dry run)"),
        "{}",
        text(&dry)
    );
    let build = rig.tipi(&["batch", "build"], "").await;
    assert!(
        String::from_utf8_lossy(&build.stdout).contains("batch: 1 (queued)"),
        "{}",
        text(&build)
    );
    let send = rig.tipi(&["batch", "send"], "").await;
    assert!(send.status.success(), "{}", text(&send));
    let nothing = rig.tipi(&["batch", "build"], "").await;
    assert_eq!(nothing.status.code(), Some(8), "{}", text(&nothing));
    let late = rig
        .tipi(&["--now", "2026-03-11T02:01:00Z", "batch", "send"], "")
        .await;
    assert!(
        late.status.success(),
        "nothing queued is not an error: {}",
        text(&late)
    );

    // The kill: TIP-I records the batch and drops the answer; the lookup that follows hangs;
    // SIGKILL lands while the outbox says "sending".
    let more = rig.tipi(&["claims", "add"], &claim_line("K-1")).await;
    assert!(more.status.success(), "{}", text(&more));
    assert!(rig.tipi(&["batch", "build"], "").await.status.success());
    rig.admin_put_fault(&Fault {
        endpoint: FaultEndpoint::Batches,
        mode: FaultMode::Drop,
        delay_ms: None,
        count: Some(1),
    })
    .await;
    rig.admin_put_fault(&Fault {
        endpoint: FaultEndpoint::Returns,
        mode: FaultMode::Delay,
        delay_ms: Some(20_000),
        count: Some(1),
    })
    .await;
    let mut child = rig.spawn(&["batch", "send"], "");
    let started = Instant::now();
    while !rig.exchanges().await.iter().any(|e| e.no_attes == Some(2)) {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the batch never arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().expect("SIGKILL");
    let killed = child.wait().unwrap();
    assert!(!killed.success());
    rig.clear_faults().await;
    {
        let store = rig.open_store().await;
        let in_flight = store.in_flight().await.unwrap();
        assert_eq!(in_flight.len(), 1);
        assert_eq!(
            in_flight[0].state,
            OutboxState::Sending,
            "killed between sent and recorded"
        );
        store.close().await;
    }
    let resumed = rig.tipi(&["batch", "send"], "").await;
    assert!(resumed.status.success(), "{}", text(&resumed));
    assert!(
        String::from_utf8_lossy(&resumed.stdout).contains("already received"),
        "{}",
        text(&resumed)
    );
    let batches: Vec<u32> = rig
        .exchanges()
        .await
        .iter()
        .filter_map(|e| e.no_attes)
        .collect();
    assert_eq!(batches, [1, 2], "each batch exactly once");

    let status = rig.tipi(&["status"], "").await;
    let status_text = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(
        status_text.contains("agency: AGP12345"),
        "{}",
        text(&status)
    );
    assert!(
        status_text.contains("outbox: 0 to send, 2 awaiting returns"),
        "{status_text}"
    );
    // The password never shows in anything tipi printed.
    for output in [&enrol, &send, &resumed, &status] {
        assert!(!text(output).contains(PASSWORD));
    }
    rig.shutdown().await;
}
