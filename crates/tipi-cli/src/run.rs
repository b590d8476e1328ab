//! One function per command: parse, call one use case, print. Output is plain text, one fact
//! per line (`name: value`) or one row per line (tab-separated), never a NAM, name or password.

use std::path::Path;

use tipi_core::batches::{BatchPlan, BuildMode};
use tipi_core::claims::{ClaimFilter, ClaimView};
use tipi_core::{Lang, Tipi};
use tipi_domain::claim::Claim;
use tipi_domain::nam::Nam;
use tipi_domain::time::local_datetime;
use tipi_store::claims::{ClaimId, ClaimState};

use crate::args::{BackupCommand, BatchCommand, ClaimsCommand, Cli, Command, NamCommand};
use crate::exit::Failure;
use crate::input::Input;
use crate::open::open;

pub(crate) async fn run(cli: Cli) -> Result<(), Failure> {
    let lang = cli.lang();
    if let Command::Nam(NamCommand::Check { nam }) = &cli.command {
        return nam_check(nam, lang);
    }
    let input = Input {
        password_stdin: cli.password_stdin,
    };
    if let Command::Backup(BackupCommand::Restore { file }) = &cli.command {
        // Never opens the database: it may be the one whose key is lost.
        return restore(&cli, file, input).await;
    }
    let opened = open(&cli).await?;
    let tipi = &opened.tipi;
    let result = dispatch(&cli.command, tipi, input, lang).await;
    tipi.store().clone().close().await;
    if let Some(sandbox) = opened.sandbox {
        sandbox.shutdown().await;
    }
    result
}

const PASSPHRASE_PROMPT: &str = "Phrase de passe de la sauvegarde / backup passphrase";

async fn restore(cli: &Cli, file: &Path, input: Input) -> Result<(), Failure> {
    let environment = tipi_core::Environment::from_setting(Some(&cli.environment));
    let data_dir = cli
        .data_dir
        .clone()
        .unwrap_or_else(tipi_core::local::default_data_dir);
    let passphrase = input.password(PASSPHRASE_PROMPT)?;
    tipi_core::local::restore(&data_dir, environment, file, &passphrase).await?;
    println!("restored: {}", file.display());
    Ok(())
}

async fn dispatch(command: &Command, tipi: &Tipi, input: Input, lang: Lang) -> Result<(), Failure> {
    match command {
        Command::Enrol {
            transmission,
            blast_id,
            yes,
        } => enrol(tipi, input, transmission.clone(), blast_id.clone(), *yes).await,
        Command::Login { tipi_id } => {
            let password = input.password("Mot de passe TIP-I / TIP-I password")?;
            let status = tipi.login(tipi_id, &password).await?;
            print_account(&status);
            Ok(())
        }
        Command::Logout => Ok(tipi.logout().await?),
        Command::Password { ask_current } => {
            let current = if *ask_current {
                Some(input.password("Mot de passe actuel / current password")?)
            } else {
                None
            };
            let new = input.password("Nouveau mot de passe / new password")?;
            let again = input.password("Confirmation")?;
            let status = tipi.change_password(current.as_ref(), &new, &again).await?;
            print_account(&status);
            Ok(())
        }
        Command::Claims(command) => claims(tipi, command, lang).await,
        Command::Backup(BackupCommand::Create { file }) => {
            let passphrase = input.password(PASSPHRASE_PROMPT)?;
            let again = input.password("Confirmation")?;
            if passphrase != again {
                return Err(Failure::Usage(
                    "the two passphrases differ / les deux phrases de passe diffèrent".into(),
                ));
            }
            tipi.backup(file, &passphrase).await?;
            println!("backup: {}", file.display());
            Ok(())
        }
        // Handled in `run`, before the database is opened.
        Command::Backup(BackupCommand::Restore { .. }) => Err(Failure::Usage(
            "backup restore runs without an open database".into(),
        )),
        Command::Batch(BatchCommand::Build { dry_run }) => {
            let mode = if *dry_run {
                BuildMode::DryRun
            } else {
                BuildMode::Real
            };
            print_plan(&tipi.build_batch(None, mode).await?, lang);
            Ok(())
        }
        Command::Batch(BatchCommand::Send) => {
            let report = tipi.transmit().await?;
            for sent in &report.sent {
                println!(
                    "sent\t{}\treceived {}\treturns from {}\t{}{}",
                    sent.attestation,
                    local(sent.received_at),
                    local(sent.returns_available_at),
                    if sent.counted_for_payment {
                        "counted"
                    } else {
                        "test-period"
                    },
                    if sent.recovered {
                        "\talready received"
                    } else {
                        ""
                    }
                );
            }
            for refused in &report.refused {
                println!("refused\t{}\t{}", refused.attestation, refused.code);
            }
            if report.sent.is_empty() && report.refused.is_empty() {
                println!("nothing queued");
            }
            Ok(())
        }
        Command::Batch(BatchCommand::ResendTestPeriod) => {
            print_plan(&tipi.resend_test_period_claims().await?, lang);
            Ok(())
        }
        Command::Direct { claim } => {
            let id = find_claim(tipi, claim).await?;
            let result = tipi.submit_direct(id).await?;
            println!("no_dem_ext: {}", result.no_dem_ext);
            println!("state: {}", result.state.as_str());
            if let Some(number) = &result.no_fact_ramq {
                println!("no_fact_ramq: {number}");
            }
            for (code, text) in &result.messages {
                println!("message: {code} {text}");
            }
            Ok(())
        }
        Command::Sync => {
            let report = tipi.sync().await?;
            println!(
                "status: {}",
                status_text(report.status, report.production_since)
            );
            for n in &report.returns_applied {
                println!("returns: batch {n}");
            }
            println!("receivable: {}", report.receivable);
            println!("refused: {}", report.refused);
            for cycle in &report.statements {
                println!("statement: cycle {cycle}");
            }
            if !report.test_period_resend.is_empty() {
                println!(
                    "test-period claims to send again: {} (tipi batch resend-test-period)",
                    report.test_period_resend.len()
                );
            }
            Ok(())
        }
        Command::Journal { limit } => {
            for exchange in tipi
                .store()
                .recent_exchanges(*limit)
                .await
                .map_err(tipi_core::CoreError::from)?
            {
                let e = &exchange.exchange;
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    local(e.occurred_at),
                    e.kind.as_str(),
                    e.attestation_number
                        .map(|n| n.to_string())
                        .or_else(|| e.no_dem_ext.map(|n| n.to_string()))
                        .unwrap_or_default(),
                    e.status.as_deref().unwrap_or(""),
                    e.detail.as_deref().unwrap_or("")
                );
            }
            Ok(())
        }
        Command::Calendar { refresh, date } => {
            if *refresh {
                println!("cycles: {}", tipi.refresh_calendar().await?);
            }
            let Some(overview) = tipi.calendar_overview(*date).await? else {
                return Err(Failure::Usage(
                    "no calendar in the cache yet: run `tipi calendar --refresh`".into(),
                ));
            };
            println!("today: {}", overview.today);
            println!("refreshed: {}", local(overview.refreshed_at));
            if let Some(cycle) = &overview.paying_today {
                println!(
                    "paid in cycle: {} (cut-off {}, payment {}, deposit {})",
                    cycle.number,
                    cycle.cutoff,
                    cycle.payment_date,
                    cycle.deposit_date()
                );
            }
            println!(
                "cycle changes tomorrow: {}",
                overview.cycle_changes_tomorrow
            );
            for cycle in &overview.cycles {
                println!(
                    "{}\t{}..{}\tcut-off {}\tpayment {}",
                    cycle.number, cycle.start, cycle.end, cycle.cutoff, cycle.payment_date
                );
            }
            Ok(())
        }
        Command::Status => status(tipi).await,
        Command::Reminders { mark } => {
            for reminder in tipi.due_reminders().await? {
                println!(
                    "{}\t{}\t{}",
                    reminder.key,
                    reminder.title(lang),
                    reminder.body(lang)
                );
                if *mark {
                    tipi.store()
                        .mark_reminder_delivered(&reminder.key, tipi.now())
                        .await
                        .map_err(tipi_core::CoreError::from)?;
                }
            }
            Ok(())
        }
        Command::Nam(_) => Ok(()),
    }
}

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    local_datetime(at).format("%Y-%m-%d %H:%M").to_string()
}

fn status_text(
    status: tipi_protocol::service::AgencyStatus,
    since: Option<chrono::NaiveDate>,
) -> String {
    match (status, since) {
        (tipi_protocol::service::AgencyStatus::Production, Some(since)) => {
            format!("production since {since}")
        }
        (tipi_protocol::service::AgencyStatus::Production, None) => "production".into(),
        (tipi_protocol::service::AgencyStatus::Test, _) => "test".into(),
    }
}

fn print_account(status: &tipi_core::account::AccountStatus) {
    println!("tipi_id: {}", status.profile.tipi_id);
    println!(
        "status: {}",
        status_text(status.session.status, status.session.production_since)
    );
    println!(
        "password: set {}, expires {} ({} days left)",
        status.session.password.set_on,
        status.session.password.expires_on,
        status.session.password.days_left
    );
    println!("next attestation: {}", status.session.next_attestation);
}

fn print_plan(plan: &BatchPlan, lang: Lang) {
    let mode = match plan.mode {
        BuildMode::DryRun => "dry run",
        BuildMode::Real => "queued",
    };
    println!("batch: {} ({mode})", plan.attestation);
    println!("claims: {}", plan.claims.len());
    println!("total: {}", plan.total);
    for warned in &plan.warnings {
        for problem in &warned.problems {
            println!("warning: {}\t{}", warned.external_id, problem.message(lang));
        }
    }
    if plan.pushes_payment {
        println!(
            "{}",
            lang.pick(
                "attention : envoyé aujourd'hui, ce premier lot valide ferait passer l'agence en \
                 production un jour de changement de cycle (paiement reporté d'un cycle)",
                "careful: sent today, this first valid batch would take the agency live on a \
                 cycle change (paid one cycle later)"
            )
        );
    }
}

async fn enrol(
    tipi: &Tipi,
    input: Input,
    transmission: Option<String>,
    blast_id: Option<String>,
    yes: bool,
) -> Result<(), Failure> {
    let enrolment = tipi.enrolment_start().await?;
    let id = enrolment.id.clone();
    if let Some(text) = &enrolment.text {
        eprintln!("{text}");
    }
    let carry_on = yes || input.confirm("Continuer ?")?;
    let step = tipi.enrolment_warning(&id, carry_on).await?;
    if !carry_on {
        return Err(Failure::Usage("enrolment ended (Quitter)".into()));
    }
    if let Some(text) = &step.text {
        eprintln!("{text}");
    }
    let accept = yes || input.confirm("J'accepte ?")?;
    tipi.enrolment_policy(&id, accept).await?;
    if !accept {
        return Err(Failure::Usage("enrolment ended (Je refuse)".into()));
    }
    let transmission_number = match transmission {
        Some(value) => value,
        None => input.text("No transmission (5 chiffres)")?,
    };
    let blast_id = match blast_id {
        Some(value) => value,
        None => input.text("Identifiant BLAST")?,
    };
    let blast_password = input.password("Mot de passe BLAST")?;
    let shown = tipi
        .enrolment_authenticate(
            &id,
            &tipi_core::account::BlastLogin {
                transmission_number,
                blast_id,
                blast_password,
            },
        )
        .await?;
    if let Some(tipi_id) = &shown.tipi_id {
        eprintln!("Identifiant TIP-I : {tipi_id}");
    }
    let new = input.password("Nouveau mot de passe TIP-I (8 lettres ou chiffres)")?;
    let again = input.password("Confirmation")?;
    let profile = tipi.enrolment_choose_password(&id, &new, &again).await?;
    println!("enrolled: {}", profile.tipi_id);
    Ok(())
}

fn read_source(file: Option<&Path>) -> Result<String, Failure> {
    match file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display()))),
        None => std::io::read_to_string(std::io::stdin())
            .map_err(|e| Failure::Usage(format!("cannot read stdin: {e}"))),
    }
}

fn parse_claims(text: &str) -> Result<Vec<Claim>, Failure> {
    let trimmed = text.trim_start();
    let parsed = if trimmed.starts_with('[') {
        serde_json::from_str::<Vec<Claim>>(trimmed).map_err(|e| (1, e))
    } else {
        trimmed
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| serde_json::from_str::<Claim>(line).map_err(|e| (i + 1, e)))
            .collect()
    };
    // serde's message names the field and position, never a value.
    parsed.map_err(|(line, e)| {
        Failure::Invalid(format!(
            "claim {line}: not a claim (line {}, column {}: {})",
            e.line(),
            e.column(),
            match e.classify() {
                serde_json::error::Category::Data => "a field is missing or has the wrong type",
                _ => "malformed JSON",
            }
        ))
    })
}

fn print_claim(view: &ClaimView, lang: Lang) {
    let claim = &view.stored.claim;
    let first = claim.lines.iter().map(|l| l.service_date).min();
    println!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        view.stored.id.0,
        claim.external_id,
        view.stored.state.as_str(),
        first.map(|d| d.to_string()).unwrap_or_default(),
        claim.total(),
        view.stored.no_fact_ramq.as_deref().unwrap_or("")
    );
    for problem in &view.problems {
        println!("\t{}\t{}", problem.code.as_str(), problem.message(lang));
    }
}

async fn claims(tipi: &Tipi, command: &ClaimsCommand, lang: Lang) -> Result<(), Failure> {
    match command {
        ClaimsCommand::Add { file, draft } => {
            let mut claims = parse_claims(&read_source(file.as_deref())?)?;
            if claims.len() != 1 {
                return Err(Failure::Invalid(
                    "`claims add` takes exactly one claim".into(),
                ));
            }
            let claim = claims.remove(0);
            let view = tipi.create_claim(claim).await?;
            let view = if *draft {
                view
            } else {
                tipi.mark_ready(view.stored.id).await.map_err(|e| {
                    print_claim(&view, lang);
                    Failure::from(e)
                })?
            };
            print_claim(&view, lang);
            Ok(())
        }
        ClaimsCommand::Import { file } => {
            let claims = parse_claims(&read_source(file.as_deref())?)?;
            let (mut ready, mut drafts) = (0, 0);
            for claim in claims {
                let view = tipi.create_claim(claim).await?;
                match tipi.mark_ready(view.stored.id).await {
                    Ok(_) => ready += 1,
                    Err(tipi_core::CoreError::Validation(_)) => {
                        drafts += 1;
                        print_claim(&view, lang);
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            println!("ready: {ready}");
            println!("drafts with problems: {drafts}");
            if drafts > 0 {
                return Err(Failure::Invalid(format!(
                    "{drafts} claim(s) need corrections"
                )));
            }
            Ok(())
        }
        ClaimsCommand::List { state } => {
            let filter = match state {
                Some(name) => ClaimFilter::State(
                    ClaimState::parse(name)
                        .ok_or_else(|| Failure::Usage(format!("unknown state {name}")))?,
                ),
                None => ClaimFilter::All,
            };
            for view in tipi.list_claims(filter).await? {
                print_claim(&view, lang);
            }
            Ok(())
        }
        ClaimsCommand::Show { claim } => {
            let id = find_claim(tipi, claim).await?;
            let detail = tipi.claim(id).await?;
            print_claim(&detail.view, lang);
            for event in &detail.history {
                println!(
                    "event\t{}\t{}\t{}",
                    local(event.at),
                    event.to.map(ClaimState::as_str).unwrap_or("edited"),
                    event.note.as_deref().unwrap_or("")
                );
            }
            for answer in &detail.receivability {
                println!(
                    "answer\t{}\t{}\t{}",
                    local(answer.received_at),
                    if answer.receivable {
                        "receivable"
                    } else {
                        "not receivable"
                    },
                    answer.no_fact_ramq.as_deref().unwrap_or("")
                );
                for message in &answer.messages {
                    println!("\t{}\t{}", message.code, message.text);
                }
            }
            Ok(())
        }
    }
}

async fn find_claim(tipi: &Tipi, text: &str) -> Result<ClaimId, Failure> {
    if let Some(id) = tipi.claim_by_external_id(text).await? {
        return Ok(id);
    }
    match text.trim().parse::<i64>() {
        Ok(n) => Ok(ClaimId(n)),
        Err(_) => Err(tipi_core::CoreError::NotFound("claim").into()),
    }
}

async fn status(tipi: &Tipi) -> Result<(), Failure> {
    println!("environment: {}", tipi.environment());
    let Some(profile) = tipi.profile().await? else {
        println!("agency: none (tipi enrol, or tipi login)");
        return Ok(());
    };
    let store = tipi.store();
    let map = |e: tipi_store::StoreError| Failure::from(tipi_core::CoreError::from(e));
    println!(
        "agency: {} (transmission {})",
        profile.tipi_id, profile.transmission_number
    );
    if let Some(set_on) = profile.password_set_on {
        println!(
            "password: set {set_on}, expires {} ({} days left)",
            tipi_domain::password::expires_on(set_on),
            tipi_domain::password::days_left(set_on, tipi.today())
        );
    }
    let agency = store
        .setting(tipi_core::sync::AGENCY_STATUS)
        .await
        .map_err(map)?
        .unwrap_or_else(|| "unknown (tipi sync)".into());
    match profile.production_since {
        Some(since) => println!("status: {agency} (production since {since})"),
        None => println!("status: {agency}"),
    }
    println!(
        "next attestation: {}",
        store.next_attestation_number().await.map_err(map)?
    );
    let counts: Vec<String> = store
        .claim_counts()
        .await
        .map_err(map)?
        .iter()
        .map(|(state, n)| format!("{} {n}", state.as_str()))
        .collect();
    println!("claims: {}", counts.join(", "));
    println!(
        "outbox: {} to send, {} awaiting returns",
        store.in_flight_count().await.map_err(map)?,
        store.awaiting_returns_count().await.map_err(map)?
    );
    let now = tipi.now();
    let window = tipi.service_window();
    match window.closes_at(now) {
        Some(closes) => println!("TIP-I: open until {}", local(closes)),
        None => println!("TIP-I: closed, reopens {}", local(window.next_opening(now))),
    }
    if let Some(overview) = tipi.calendar_overview(None).await? {
        if let Some(cutoff) = overview.next_cutoff {
            println!("next cut-off: {cutoff}");
        }
    }
    Ok(())
}

fn nam_check(text: &str, lang: Lang) -> Result<(), Failure> {
    match Nam::parse(text) {
        Ok(nam) => {
            println!("valid: {}", nam.formatted());
            println!("birth date: {}", nam.birth_date());
            println!("sex: {}", nam.sex().code());
            Ok(())
        }
        Err(error) => Err(Failure::Invalid(format!(
            "{} ({})",
            error.message(lang),
            error.code()
        ))),
    }
}
