//! Self-enrolment of former BLAST agencies, the five steps of the seed document:
//! warning → policy → authentication (BLAST values) → password (TIP-I id shown) → enrolled.
//! *Quitter* and *Je refuse* end it at once; once enrolled, BLAST refuses the agency.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use tipi_domain::ids::{BlastId, TipiId, TransmissionNumber};
use tipi_domain::password;
use tipi_protocol::service::{
    BlastAuthentication, Enrolment, EnrolmentStep, PasswordChoice, PolicyAnswer, PolicyChoice,
    WarningAnswer, WarningChoice,
};
use tipi_protocol::ErrorCode;

use super::parse_json;
use crate::error::{ApiError, ApiResult};
use crate::hashing;
use crate::state::AppState;
use crate::store::{agencies, enrolments};

const WARNING_TEXT: &str = "ATTENTION : avant de vous inscrire à TIP-I, allez chercher vos \
    derniers retours d'erreurs dans le système BLAST. Continuer si vous les avez récupérés ; \
    Quitter met fin à l'inscription.";
const POLICY_TEXT: &str = "Politique de la RAMQ à l'égard du processus d'inscription : règles de \
    sécurité, droits et obligations des services en ligne. J'accepte ou Je refuse (le refus met \
    fin à l'inscription).";
const PASSWORD_TEXT: &str = "Notez votre identifiant TIP-I. Choisissez un mot de passe de 8 \
    caractères alphanumériques sans espace (majuscules et minuscules comptent), deux fois.";
const ENROLLED_TEXT: &str = "Votre agence est inscrite à TIP-I. À partir de maintenant, vous ne \
    pouvez plus transmettre vos informations de paiement à l'aide du système BLAST.";
const ENDED_TEXT: &str = "Le processus d'inscription a pris fin.";

fn step_name(step: EnrolmentStep) -> &'static str {
    match step {
        EnrolmentStep::Warning => "warning",
        EnrolmentStep::Policy => "policy",
        EnrolmentStep::Authentication => "authentication",
        EnrolmentStep::Password => "password",
        EnrolmentStep::Enrolled => "enrolled",
        EnrolmentStep::Ended => "ended",
    }
}

fn parse_step(name: &str) -> EnrolmentStep {
    [
        EnrolmentStep::Warning,
        EnrolmentStep::Policy,
        EnrolmentStep::Authentication,
        EnrolmentStep::Password,
        EnrolmentStep::Enrolled,
    ]
    .into_iter()
    .find(|step| step_name(*step) == name)
    .unwrap_or(EnrolmentStep::Ended)
}

fn view(id: &str, step: EnrolmentStep, transmission: Option<&str>) -> Enrolment {
    let tipi_id = match step {
        EnrolmentStep::Password | EnrolmentStep::Enrolled => transmission
            .and_then(|t| TransmissionNumber::parse(t).ok())
            .map(|t| TipiId::from_transmission(&t).to_string()),
        _ => None,
    };
    let text = match step {
        EnrolmentStep::Warning => Some(WARNING_TEXT),
        EnrolmentStep::Policy => Some(POLICY_TEXT),
        EnrolmentStep::Password => Some(PASSWORD_TEXT),
        EnrolmentStep::Enrolled => Some(ENROLLED_TEXT),
        EnrolmentStep::Ended => Some(ENDED_TEXT),
        EnrolmentStep::Authentication => None,
    };
    Enrolment {
        id: id.to_owned(),
        step,
        tipi_id,
        text: text.map(str::to_owned),
    }
}

/// Loads an enrolment that must be at `expected`.
async fn at_step(
    state: &AppState,
    id: &str,
    expected: EnrolmentStep,
) -> ApiResult<enrolments::EnrolmentRow> {
    let row = enrolments::find(&state.pool, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let step = parse_step(&row.step);
    if step == expected {
        return Ok(row);
    }
    Err(match step {
        EnrolmentStep::Ended | EnrolmentStep::Enrolled => ApiError::new(
            ErrorCode::EnrolmentEnded,
            "Cette inscription est terminée : recommencez une nouvelle inscription au besoin.",
        ),
        _ => ApiError::new(
            ErrorCode::EnrolmentWrongStep,
            format!("Étape attendue : {}.", step_name(step)),
        ),
    })
}

async fn advance(
    state: &AppState,
    id: &str,
    step: EnrolmentStep,
    transmission: Option<&str>,
) -> ApiResult<Json<Enrolment>> {
    enrolments::update(&state.pool, id, step_name(step), transmission).await?;
    let row = enrolments::find(&state.pool, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(view(id, step, row.transmission_number.as_deref())))
}

pub(super) async fn start(
    State(state): State<AppState>,
) -> ApiResult<(StatusCode, Json<Enrolment>)> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    enrolments::create(
        &state.pool,
        &id,
        step_name(EnrolmentStep::Warning),
        state.now(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&id, EnrolmentStep::Warning, None)),
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Enrolment>> {
    let row = enrolments::find(&state.pool, &id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(view(
        &row.id,
        parse_step(&row.step),
        row.transmission_number.as_deref(),
    )))
}

pub(super) async fn warning(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: String,
) -> ApiResult<Json<Enrolment>> {
    let answer: WarningAnswer = parse_json(&body)?;
    at_step(&state, &id, EnrolmentStep::Warning).await?;
    let next = match answer.choice {
        WarningChoice::Continue => EnrolmentStep::Policy,
        WarningChoice::Quit => EnrolmentStep::Ended,
    };
    advance(&state, &id, next, None).await
}

pub(super) async fn policy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: String,
) -> ApiResult<Json<Enrolment>> {
    let answer: PolicyAnswer = parse_json(&body)?;
    at_step(&state, &id, EnrolmentStep::Policy).await?;
    let next = match answer.choice {
        PolicyChoice::Accept => EnrolmentStep::Authentication,
        PolicyChoice::Refuse => EnrolmentStep::Ended,
    };
    advance(&state, &id, next, None).await
}

pub(super) async fn authenticate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: String,
) -> ApiResult<Json<Enrolment>> {
    let values: BlastAuthentication = parse_json(&body)?;
    at_step(&state, &id, EnrolmentStep::Authentication).await?;
    let mut problems = Vec::new();
    let transmission = TransmissionNumber::parse(&values.transmission_number)
        .map_err(|e| problems.push(e.code().to_owned()))
        .ok();
    let blast_id = BlastId::parse(&values.blast_id)
        .map_err(|e| problems.push(e.code().to_owned()))
        .ok();
    let (Some(transmission), Some(blast_id)) = (transmission, blast_id) else {
        return Err(ApiError::rejected(
            "Le numéro de transmission compte 5 chiffres et l'identifiant BLAST 5 caractères.",
            problems,
        ));
    };
    let agency = agencies::find(&state.pool, transmission.as_str()).await?;
    let matches = agency.as_ref().is_some_and(|agency| {
        agency.blast_id.as_deref() == Some(blast_id.as_str())
            && agency
                .blast_password_hash
                .as_deref()
                .is_some_and(|stored| hashing::verify(values.blast_password.expose(), stored))
    });
    if !matches {
        return Err(ApiError::new(
            ErrorCode::InvalidCredentials,
            "Numéro de transmission, identifiant BLAST ou mot de passe BLAST invalide.",
        ));
    }
    if agency.is_some_and(|agency| agency.enrolled()) {
        return Err(ApiError::new(
            ErrorCode::AlreadyEnrolled,
            "Cette agence est déjà inscrite à TIP-I.",
        ));
    }
    advance(
        &state,
        &id,
        EnrolmentStep::Password,
        Some(transmission.as_str()),
    )
    .await
}

pub(super) async fn password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: String,
) -> ApiResult<Json<Enrolment>> {
    let choice: PasswordChoice = parse_json(&body)?;
    let row = at_step(&state, &id, EnrolmentStep::Password).await?;
    password::check_new(choice.password.expose(), choice.confirmation.expose(), None).map_err(
        |e| {
            ApiError::rejected(
                e.message(tipi_domain::lang::Lang::Fr),
                vec![e.code().to_owned()],
            )
        },
    )?;
    let transmission = row.transmission_number.unwrap_or_default();
    let _write = state.write.lock().await;
    let agency = agencies::find(&state.pool, &transmission)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if agency.enrolled() {
        return Err(ApiError::new(
            ErrorCode::AlreadyEnrolled,
            "Cette agence est déjà inscrite à TIP-I.",
        ));
    }
    agencies::set_password(
        &state.pool,
        &transmission,
        &hashing::hash(choice.password.expose()),
        state.today(),
        false,
    )
    .await?;
    tracing::info!(agency = %transmission, "agency enrolled to TIP-I");
    advance(&state, &id, EnrolmentStep::Enrolled, None).await
}
