//! Fault campaign: many trials, each disturbing a `tipi` run in a random way, then recovering
//! and checking that no claim was lost or doubled.
//!
//! A trial imports 1–3 claims and builds their batch, then one of: SIGKILL of `tipi batch send`
//! or `tipi sync` at a random moment; a restart of the sandbox while a send runs; or a fault
//! injected through the sandbox's admin API (refuse, delay, server_error, drop) on a random
//! endpoint of the send path. Recovery clears the faults and runs `batch send`, `batch build`,
//! `batch send`, `sync`, as a user would. The invariant, checked after every trial: every
//! claim is at TIP-I (the admin API's exchanges) exactly once, or still waiting locally (Ready,
//! or in a batch TIP-I does not have); the local outbox and TIP-I agree on which batches TIP-I
//! holds and on their sizes.
//!
//! Short by default (CI); `TIPI_FAULT_TRIALS=200` for the long run. The seed is printed;
//! `TIPI_FAULT_SEED=<seed>` replays a campaign.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use common::*;
use tipi_core::transmit::INJECT_PANIC_VAR;
use tipi_core::Environment;
use tipi_domain::ids::AttestationNumber;
use tipi_protocol::admin::{Fault, FaultEndpoint, FaultMode};
use tipi_store::{ClaimState, OutboxState};
use tipi_trace::leaks::{test_secrets, Scanner};

const SHORT_TRIALS: usize = 24;

/// Kill send, kill sync, sandbox restart, and the four fault modes.
const KINDS: usize = 7;

/// A small seeded generator (SplitMix64): the campaign is replayable from its seed alone.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name} is a number")),
    )
}

#[tokio::test]
async fn no_claim_is_lost_or_doubled_whatever_fails_when() {
    let Some(mut rig) = Rig::start().await else {
        return;
    };
    let trials = env_number("TIPI_FAULT_TRIALS").map_or(SHORT_TRIALS, |n| n as usize);
    let seed = env_number("TIPI_FAULT_SEED").unwrap_or_else(|| {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        nanos as u64
    });
    eprintln!("fault campaign: {trials} trials, seed {seed} (replay: TIPI_FAULT_SEED={seed})");
    let mut rng = Rng(seed);
    let enrol = rig.enrol().await;
    assert!(enrol.status.success(), "{}", text(&enrol));

    let started = Instant::now();
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut external_ids = Vec::new();
    let mut violations = Vec::new();
    for trial in 0..trials {
        let count = 1 + rng.below(3);
        let lines: Vec<String> = (0..count)
            .map(|i| {
                let id = format!("F{trial}-{i}");
                let line = claim_line(&id);
                external_ids.push(id);
                line
            })
            .collect();
        let import = rig.tipi(&["claims", "import"], &lines.join("\n")).await;
        assert!(import.status.success(), "{}", text(&import));
        let build = rig.tipi(&["batch", "build"], "").await;
        assert!(build.status.success(), "{}", text(&build));

        // The first trials go through every kind once, so even a short run covers them all.
        let choice = if trial < KINDS {
            trial as u64
        } else {
            rng.below(KINDS as u64)
        };
        let kind = disturb(&mut rig, &mut rng, choice).await;
        *kinds.entry(kind).or_default() += 1;
        recover(&rig).await;
        for problem in check_invariant(&rig, &external_ids).await {
            violations.push(format!("trial {trial} ({kind}): {problem}"));
        }
    }
    let (at_ramq, waiting) = placement(&rig, &external_ids).await;
    eprintln!(
        "fault campaign: seed {seed}, {trials} trials in {:.0?}, {} claims: {at_ramq} at TIP-I, \
         {waiting} waiting locally",
        started.elapsed(),
        external_ids.len()
    );
    for (kind, n) in &kinds {
        eprintln!("  {kind:<22} {n}");
    }
    eprintln!("  violations             {}", violations.len());
    tipi_trace::keep_file(
        "campaign-database",
        &Environment::Sandbox.database_path(&rig.data_dir()),
    );
    rig.shutdown().await;
    assert!(
        violations.is_empty(),
        "seed {seed}:\n{}",
        violations.join("\n")
    );
}

/// A `tipi batch send` that panics right after TIP-I acknowledged its batch, before recording
/// it: the panic shows no secret (the leak scan reads it again from the trace dir), and the
/// next send finds the batch at TIP-I instead of sending it twice.
#[tokio::test]
async fn a_panic_between_acknowledgement_and_record_loses_and_doubles_nothing() {
    let Some(rig) = Rig::start().await else {
        return;
    };
    let enrol = rig.enrol().await;
    assert!(enrol.status.success(), "{}", text(&enrol));
    let ids = vec!["P-1".to_owned(), "P-2".to_owned()];
    let lines: Vec<String> = ids.iter().map(|id| claim_line(id)).collect();
    let import = rig.tipi(&["claims", "import"], &lines.join("\n")).await;
    assert!(import.status.success(), "{}", text(&import));
    let build = rig.tipi(&["batch", "build"], "").await;
    assert!(build.status.success(), "{}", text(&build));

    let mut send = rig.command(&["batch", "send"]);
    send.env(INJECT_PANIC_VAR, "after_send");
    let panicked = tokio::task::spawn_blocking(move || send.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&panicked.stderr);
    tipi_trace::keep_text("panic-stderr", &stderr);
    assert!(!panicked.status.success(), "{}", text(&panicked));
    assert!(stderr.contains("injected panic at after_send"), "{stderr}");
    assert!(
        stderr.contains("<redacted>"),
        "the credentials' Debug: {stderr}"
    );
    let leaks = Scanner::new(test_secrets()).scan_bytes("stderr", &panicked.stderr);
    assert!(leaks.is_empty(), "{leaks:?}");

    // TIP-I holds the batch while the outbox still says Sending: the checker sees it...
    let found = violations(&gather(&rig, &ids).await);
    assert!(
        found
            .iter()
            .any(|v| v == "batch 1 is at TIP-I but Sending locally"),
        "{found:?}"
    );
    // ...and the user's next send settles it without sending it again.
    recover(&rig).await;
    assert_eq!(check_invariant(&rig, &ids).await, Vec::<String>::new());
    let batches_at_ramq = rig
        .exchanges()
        .await
        .iter()
        .filter(|e| e.kind == "batch")
        .count();
    assert_eq!(batches_at_ramq, 1);
    tipi_trace::keep_file(
        "panic-database",
        &Environment::Sandbox.database_path(&rig.data_dir()),
    );
    rig.shutdown().await;
}

/// Disturbance `choice` (0..KINDS) at a random moment; returns its kind for the figures.
async fn disturb(rig: &mut Rig, rng: &mut Rng, choice: u64) -> &'static str {
    let pause = Duration::from_millis(rng.below(400));
    match choice {
        0 => {
            kill_after(rig, &["batch", "send"], pause).await;
            "kill batch send"
        }
        1 => {
            kill_after(rig, &["sync"], pause).await;
            "kill sync"
        }
        2 => {
            let child = rig.spawn(&["batch", "send"], "");
            tokio::time::sleep(pause).await;
            rig.restart_sandbox().await;
            wait(child).await;
            "sandbox restart"
        }
        n => {
            let mode = [
                FaultMode::Refuse,
                FaultMode::Delay,
                FaultMode::ServerError,
                FaultMode::Drop,
            ][n as usize - 3];
            let endpoint = rng.pick(&[
                FaultEndpoint::Batches,
                FaultEndpoint::Returns,
                FaultEndpoint::Session,
                FaultEndpoint::Journal,
            ]);
            rig.admin_put_fault(&Fault {
                endpoint,
                mode,
                delay_ms: (mode == FaultMode::Delay).then(|| rng.below(1500)),
                count: Some(1 + rng.below(2) as u32),
            })
            .await;
            // The outcome may be an error: only what follows the recovery is judged.
            let _ = rig.tipi(&["batch", "send"], "").await;
            match mode {
                FaultMode::Refuse => "fault refuse",
                FaultMode::Delay => "fault delay",
                FaultMode::ServerError => "fault server_error",
                FaultMode::Drop => "fault drop",
            }
        }
    }
}

async fn kill_after(rig: &Rig, args: &[&str], pause: Duration) {
    let mut child = rig.spawn(args, "");
    tokio::time::sleep(pause).await;
    // It may have finished already: then the kill is a no-op.
    let _ = child.kill();
    wait(child).await;
}

async fn wait(mut child: std::process::Child) {
    tokio::task::spawn_blocking(move || child.wait().expect("tipi exits"))
        .await
        .unwrap();
}

/// What a user does after a failure: send what is pending, batch what is Ready again, send,
/// then sync. Each step must succeed once TIP-I behaves.
async fn recover(rig: &Rig) {
    rig.clear_faults().await;
    let resend = rig.tipi(&["batch", "send"], "").await;
    assert!(resend.status.success(), "recovery send: {}", text(&resend));
    let rebuild = rig.tipi(&["batch", "build"], "").await;
    // 8: nothing to build.
    assert!(
        matches!(rebuild.status.code(), Some(0 | 8)),
        "recovery build: {}",
        text(&rebuild)
    );
    let send = rig.tipi(&["batch", "send"], "").await;
    assert!(send.status.success(), "recovery send: {}", text(&send));
    let sync = rig.tipi(&["sync"], "").await;
    assert!(sync.status.success(), "recovery sync: {}", text(&sync));
}

/// Where each claim is after a trial, from the local store and from TIP-I.
struct Placement {
    /// External id → how many batches TIP-I holds it in.
    at_ramq: HashMap<String, usize>,
    /// External id → waiting locally (Ready, or in a batch TIP-I does not have).
    waiting: HashMap<String, bool>,
    /// Disagreements between the outbox and TIP-I.
    problems: Vec<String>,
}

/// What a trial left, as read from TIP-I and from the local store: the input of [`judge`].
#[derive(Default)]
struct Facts {
    /// Every batch TIP-I recorded: (numéro d'attestation, its claim count), in order.
    at_ramq: Vec<(u32, u32)>,
    /// Every numéro d'attestation used locally, with its outbox entry when there is one.
    outbox: Vec<(u32, Option<LocalBatch>)>,
    /// Every claim of the campaign: (external id, local id, state).
    claims: Vec<(String, i64, ClaimState)>,
}

struct LocalBatch {
    state: OutboxState,
    claims: Vec<i64>,
}

async fn gather(rig: &Rig, external_ids: &[String]) -> Facts {
    let mut facts = Facts::default();
    for exchange in rig.exchanges().await {
        if let (Some(n), "batch") = (exchange.no_attes, exchange.kind.as_str()) {
            facts.at_ramq.push((n, exchange.nbr_dem));
        }
    }
    let store = rig.open_store().await;
    let next = store.next_attestation_number().await.unwrap().get();
    for n in 1..next {
        let entry = store
            .outbox_by_attestation(AttestationNumber::new(n).unwrap())
            .await
            .unwrap()
            .map(|entry| LocalBatch {
                state: entry.state,
                claims: entry.claims.iter().map(|c| c.0).collect(),
            });
        facts.outbox.push((n, entry));
    }
    for id in external_ids {
        let stored = store
            .claim_by_external_id(id)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("claim {id} exists"));
        facts.claims.push((id.clone(), stored.id.0, stored.state));
    }
    store.close().await;
    facts
}

/// Where each claim is, and every disagreement between the outbox and TIP-I. Pure, so the
/// mutation tests below can feed it a broken state.
fn judge(facts: &Facts) -> Placement {
    let mut problems = Vec::new();
    let mut held: HashMap<u32, u32> = HashMap::new();
    for &(n, size) in &facts.at_ramq {
        if held.insert(n, size).is_some() {
            problems.push(format!("TIP-I holds batch {n} twice"));
        }
    }
    let mut batches_of_claim: HashMap<i64, Vec<(u32, OutboxState)>> = HashMap::new();
    for (n, entry) in &facts.outbox {
        let n = *n;
        let Some(entry) = entry else {
            if held.contains_key(&n) {
                problems.push(format!("TIP-I holds batch {n}, unknown locally"));
            }
            continue;
        };
        let acknowledged = matches!(
            entry.state,
            OutboxState::Sent | OutboxState::ReturnsReceived
        );
        match held.get(&n) {
            Some(&size) => {
                if size as usize != entry.claims.len() {
                    problems.push(format!(
                        "batch {n}: {} claims locally, {size} at TIP-I",
                        entry.claims.len()
                    ));
                }
                if !acknowledged {
                    problems.push(format!(
                        "batch {n} is at TIP-I but {:?} locally",
                        entry.state
                    ));
                }
            }
            None if acknowledged => {
                problems.push(format!(
                    "batch {n} is {:?} locally but not at TIP-I",
                    entry.state
                ));
            }
            None => {}
        }
        for claim in &entry.claims {
            batches_of_claim
                .entry(*claim)
                .or_default()
                .push((n, entry.state));
        }
    }
    let mut at_ramq = HashMap::new();
    let mut waiting = HashMap::new();
    for (id, local_id, state) in &facts.claims {
        let batches = batches_of_claim.remove(local_id).unwrap_or_default();
        let at = batches.iter().filter(|(n, _)| held.contains_key(n)).count();
        let in_pending_batch = batches.iter().any(|(n, state)| {
            !held.contains_key(n) && matches!(state, OutboxState::Queued | OutboxState::Sending)
        });
        let ready = *state == ClaimState::Ready;
        at_ramq.insert(id.clone(), at);
        waiting.insert(id.clone(), ready || in_pending_batch);
    }
    Placement {
        at_ramq,
        waiting,
        problems,
    }
}

/// The campaign's invariant: each claim exactly once at TIP-I, or none and waiting locally.
async fn check_invariant(rig: &Rig, external_ids: &[String]) -> Vec<String> {
    violations(&gather(rig, external_ids).await)
}

fn violations(facts: &Facts) -> Vec<String> {
    let placement = judge(facts);
    let mut problems = placement.problems;
    for (id, _, _) in &facts.claims {
        let at = placement.at_ramq[id];
        let waiting = placement.waiting[id];
        match (at, waiting) {
            (1, false) | (0, true) => {}
            (0, false) => problems.push(format!("claim {id} lost: not at TIP-I, not waiting")),
            (1, true) => problems.push(format!("claim {id} at TIP-I and waiting to go again")),
            (n, _) => problems.push(format!("claim {id} at TIP-I {n} times")),
        }
    }
    problems
}

/// Claims at TIP-I and claims waiting locally, for the figures.
async fn placement(rig: &Rig, external_ids: &[String]) -> (usize, usize) {
    let placement = judge(&gather(rig, external_ids).await);
    let at = placement.at_ramq.values().filter(|&&n| n > 0).count();
    let waiting = placement.waiting.values().filter(|&&w| w).count();
    (at, waiting)
}

/// Mutation proofs: the checker fails on the states a broken transmitter would leave.
mod checker_can_fail {
    use super::*;

    fn batch(state: OutboxState, claims: &[i64]) -> Option<LocalBatch> {
        Some(LocalBatch {
            state,
            claims: claims.to_vec(),
        })
    }

    fn claim(id: &str, local: i64, state: ClaimState) -> (String, i64, ClaimState) {
        (id.to_owned(), local, state)
    }

    /// Batch 1 (claims 1, 2) sent and recorded; claim 3 ready for the next batch.
    fn healthy() -> Facts {
        Facts {
            at_ramq: vec![(1, 2)],
            outbox: vec![(1, batch(OutboxState::Sent, &[1, 2]))],
            claims: vec![
                claim("A", 1, ClaimState::Sent),
                claim("B", 2, ClaimState::Sent),
                claim("C", 3, ClaimState::Ready),
            ],
        }
    }

    #[test]
    fn a_healthy_state_passes() {
        assert_eq!(violations(&healthy()), Vec::<String>::new());
    }

    #[test]
    fn a_claim_sent_twice_is_caught() {
        // A resend without asking TIP-I first: claim A's batch went out again under number 2.
        let mut facts = healthy();
        facts.at_ramq.push((2, 1));
        facts.outbox.push((2, batch(OutboxState::Sent, &[1])));
        let found = violations(&facts);
        assert!(
            found.iter().any(|v| v == "claim A at TIP-I 2 times"),
            "{found:?}"
        );
    }

    #[test]
    fn the_same_batch_twice_at_ramq_is_caught() {
        let mut facts = healthy();
        facts.at_ramq.push((1, 2));
        let found = violations(&facts);
        assert!(
            found.iter().any(|v| v.contains("holds batch 1 twice")),
            "{found:?}"
        );
    }

    #[test]
    fn a_lost_claim_is_caught() {
        // Marked Sent locally, never reached TIP-I, no longer Ready: lost.
        let mut facts = healthy();
        facts.at_ramq.clear();
        let found = violations(&facts);
        assert!(
            found
                .iter()
                .any(|v| v == "claim A lost: not at TIP-I, not waiting"),
            "{found:?}"
        );
        assert!(
            found.iter().any(|v| v.contains("locally but not at TIP-I")),
            "{found:?}"
        );
    }

    #[test]
    fn a_claim_at_ramq_and_queued_again_is_caught() {
        let mut facts = healthy();
        facts.claims[0].2 = ClaimState::Ready;
        let found = violations(&facts);
        assert!(
            found
                .iter()
                .any(|v| v == "claim A at TIP-I and waiting to go again"),
            "{found:?}"
        );
    }

    #[test]
    fn an_unrecorded_acknowledgement_is_caught() {
        // TIP-I has batch 1 but the outbox still says Sending: a crash between the two, which
        // only the next send (asking TIP-I first) may settle.
        let mut facts = healthy();
        facts.outbox[0].1 = batch(OutboxState::Sending, &[1, 2]);
        let found = violations(&facts);
        assert!(
            found
                .iter()
                .any(|v| v.contains("at TIP-I but Sending locally")),
            "{found:?}"
        );
    }
}
