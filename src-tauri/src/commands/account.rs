//! Enrolment (the five steps of RAMQ's instructions), sign-in and the password. Secrets cross
//! the IPC boundary once, inbound, and go straight into `Sensitive` and the keychain.

use serde::Serialize;
use tauri::State;
use tipi_core::account::BlastLogin;
use tipi_core::{CoreError, Sensitive};
use tipi_domain::password;

use super::run;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

fn current_enrolment(state: &AppState) -> CommandResult<String> {
    state
        .enrolment
        .lock()
        .expect("enrolment lock")
        .clone()
        .ok_or_else(|| CommandError::core(CoreError::EnrolmentEnded, state.lang()))
}

/// Step 0: opens an enrolment at TIP-I (refused outside 07:00-22:00, Monday to Friday).
#[tauri::command]
pub(crate) async fn enrolment_start(state: State<'_, AppState>) -> CommandResult<()> {
    let enrolment = run(&state, state.tipi().enrolment_start()).await?;
    *state.enrolment.lock().expect("enrolment lock") = Some(enrolment.id);
    Ok(())
}

/// Step 1: the BLAST-returns warning, Continuer or Quitter (which ends the enrolment).
#[tauri::command]
pub(crate) async fn enrolment_warning(
    state: State<'_, AppState>,
    proceed: bool,
) -> CommandResult<()> {
    let id = current_enrolment(&state)?;
    run(&state, state.tipi().enrolment_warning(&id, proceed)).await?;
    Ok(())
}

/// Step 2: RAMQ's policy, J'accepte or Je refuse (which ends the enrolment).
#[tauri::command]
pub(crate) async fn enrolment_policy(
    state: State<'_, AppState>,
    accept: bool,
) -> CommandResult<()> {
    let id = current_enrolment(&state)?;
    run(&state, state.tipi().enrolment_policy(&id, accept)).await?;
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Authenticated {
    tipi_id: Option<String>,
}

/// Step 3: the three BLAST values. Answers the new TIP-I identifier to note (step 4).
#[tauri::command]
pub(crate) async fn enrolment_authenticate(
    state: State<'_, AppState>,
    transmission: String,
    blast_id: String,
    blast_password: String,
) -> CommandResult<Authenticated> {
    let id = current_enrolment(&state)?;
    let login = BlastLogin {
        transmission_number: transmission.trim().to_owned(),
        blast_id: blast_id.trim().to_owned(),
        blast_password: Sensitive::new(blast_password),
    };
    let enrolment = run(&state, state.tipi().enrolment_authenticate(&id, &login)).await?;
    Ok(Authenticated {
        tipi_id: enrolment.tipi_id,
    })
}

/// Steps 4-5: the chosen password, typed twice. The agency is then enrolled.
#[tauri::command]
pub(crate) async fn enrolment_password(
    state: State<'_, AppState>,
    password: String,
    confirmation: String,
) -> CommandResult<()> {
    let id = current_enrolment(&state)?;
    let (password, confirmation) = (Sensitive::new(password), Sensitive::new(confirmation));
    run(
        &state,
        state
            .tipi()
            .enrolment_choose_password(&id, &password, &confirmation),
    )
    .await?;
    *state.enrolment.lock().expect("enrolment lock") = None;
    refresh_calendar_quietly(&state).await;
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SignedIn {
    must_change_password: bool,
}

/// Signs in with the identifier RAMQ handed over; a temporary or expired password must be
/// changed before anything else.
#[tauri::command]
pub(crate) async fn sign_in(
    state: State<'_, AppState>,
    tipi_id: String,
    password: String,
) -> CommandResult<SignedIn> {
    let password = Sensitive::new(password);
    match state.tipi().login(tipi_id.trim(), &password).await {
        Ok(_) => {
            refresh_calendar_quietly(&state).await;
            Ok(SignedIn {
                must_change_password: false,
            })
        }
        Err(CoreError::PasswordChangeRequired | CoreError::PasswordExpired) => Ok(SignedIn {
            must_change_password: true,
        }),
        Err(error) => Err(CommandError::core(error, state.lang())),
    }
}

#[derive(Serialize)]
pub(crate) struct RuleView {
    rule: &'static str,
    ok: bool,
    text: &'static str,
}

/// The password rules with whether the typed values meet each, for the live checklist.
#[tauri::command]
pub(crate) fn password_rules(
    state: State<'_, AppState>,
    password: String,
    confirmation: String,
) -> Vec<RuleView> {
    let lang = state.lang();
    password::checklist(&password, &confirmation)
        .into_iter()
        .map(|check| RuleView {
            rule: check.rule.code(),
            ok: check.ok,
            text: check.rule.message(lang),
        })
        .collect()
}

/// Changes the TIP-I password (the current one comes from the keychain).
#[tauri::command]
pub(crate) async fn change_password(
    state: State<'_, AppState>,
    password: String,
    confirmation: String,
) -> CommandResult<()> {
    let (password, confirmation) = (Sensitive::new(password), Sensitive::new(confirmation));
    run(
        &state,
        state.tipi().change_password(None, &password, &confirmation),
    )
    .await?;
    refresh_calendar_quietly(&state).await;
    Ok(())
}

/// Loads the billing calendar into the cache once the agency is known; a failure only means
/// the home screen waits for the next refresh.
pub(crate) async fn refresh_calendar_quietly(state: &AppState) {
    if let Err(error) = state.tipi().refresh_calendar().await {
        tracing::info!(code = error.code(), "calendar not refreshed");
    }
}
