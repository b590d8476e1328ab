//! The typed admin client (feature `admin-client`) against a real sandbox: each call reaches
//! its endpoint and reads its answer, and a refused call panics with the path and status.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tipi_protocol::admin::{ClockCommand, FaultEndpoint, FaultMode, SeedAgency};
use tipi_sandbox::{AdminClient, Sandbox, SandboxConfig};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 instant")
}

#[tokio::test]
async fn every_admin_call_reaches_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = SandboxConfig::new(dir.path());
    config.clock = Some(ClockCommand::Freeze {
        at: at("2026-03-10T14:00:00Z"),
    });
    let sandbox = Sandbox::start(config).await.unwrap();
    let admin = AdminClient::for_sandbox(&sandbox);

    let later = at("2026-03-11T14:00:00Z");
    let clock = admin.freeze(later).await;
    assert!(clock.frozen);
    assert_eq!(admin.clock().await.now, later);
    let moved = admin
        .set_clock(&ClockCommand::Advance { seconds: 60 })
        .await;
    assert_eq!(moved.now, later + chrono::Duration::seconds(60));

    let seeded = admin
        .seed(&SeedAgency::Enrolled {
            transmission_number: "22222".into(),
            password: "Passw0rd".into(),
        })
        .await;
    assert!(seeded.enrolled);
    assert_eq!(admin.agency("22222").await.transmission_number, "22222");
    let reactivated = admin.reactivate("22222", "Reset123").await;
    assert!(!reactivated.suspended);

    let windows = admin
        .announce_maintenance(at("2026-03-12T15:00:00Z"), at("2026-03-12T17:00:00Z"))
        .await;
    assert_eq!(windows.len(), 1);

    admin
        .fault(FaultEndpoint::Journal, FaultMode::ServerError, Some(2))
        .await;
    let faults = admin
        .delay(FaultEndpoint::Session, Duration::from_millis(1500))
        .await;
    assert_eq!(faults.len(), 2);
    assert_eq!(admin.faults().await, faults);
    admin.clear_faults().await;
    assert!(admin.faults().await.is_empty());
    assert!(admin.exchanges().await.is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
#[should_panic(expected = "404")]
async fn a_refused_call_panics_with_its_status() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxConfig::new(dir.path()))
        .await
        .unwrap();
    AdminClient::for_sandbox(&sandbox).agency("99999").await;
}
