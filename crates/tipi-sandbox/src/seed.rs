//! Seeding agencies: the demo ones on first start, more through the admin API.

use tipi_domain::ids::{BlastId, TransmissionNumber};
use tipi_domain::password;
use tipi_protocol::admin::SeedAgency;
use tipi_protocol::Secret;

use crate::hashing;
use crate::state::AppState;
use crate::store::agencies::{self, NewAgency};

/// The demo BLAST agency: transmission number, BLAST id, BLAST password.
pub const DEMO_BLAST: (&str, &str, &str) = ("12345", "U123d", "blast123");
/// The demo new agency: transmission number (TIP-I id AGP54321) and temporary password.
pub const DEMO_NEW: (&str, &str) = ("54321", "Temp5432");

#[derive(Debug)]
pub(crate) enum SeedError {
    Database(sqlx::Error),
    Rejected(Vec<String>),
}

impl From<sqlx::Error> for SeedError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error)
    }
}

fn values<'a>(
    number: &'a TransmissionNumber,
    request: &'a SeedAgency,
    state: &AppState,
) -> Result<NewAgency<'a>, SeedError> {
    let today = state.today();
    let checked = |secret: &Secret| {
        password::check_format(secret.expose())
            .map(|()| hashing::hash(secret.expose()))
            .map_err(|e| SeedError::Rejected(vec![e.code().to_owned()]))
    };
    Ok(match request {
        SeedAgency::Blast {
            blast_id,
            blast_password,
            ..
        } => {
            BlastId::parse(blast_id).map_err(|e| SeedError::Rejected(vec![e.code().to_owned()]))?;
            if blast_password.expose().is_empty() {
                return Err(SeedError::Rejected(vec!["blast_password_missing".into()]));
            }
            NewAgency {
                transmission_number: number.as_str(),
                origin: "blast",
                blast_id: Some(blast_id.trim()),
                blast_password_hash: Some(hashing::hash(blast_password.expose())),
                password_hash: None,
                password_set_on: None,
                password_temporary: false,
            }
        }
        SeedAgency::New {
            temporary_password, ..
        } => NewAgency {
            transmission_number: number.as_str(),
            origin: "new",
            blast_id: None,
            blast_password_hash: None,
            password_hash: Some(checked(temporary_password)?),
            password_set_on: Some(today),
            password_temporary: true,
        },
        SeedAgency::Enrolled { password, .. } => NewAgency {
            transmission_number: number.as_str(),
            origin: "new",
            blast_id: None,
            blast_password_hash: None,
            password_hash: Some(checked(password)?),
            password_set_on: Some(today),
            password_temporary: false,
        },
    })
}

/// Creates or replaces an agency.
pub(crate) async fn upsert(
    state: &AppState,
    number: &TransmissionNumber,
    request: &SeedAgency,
) -> Result<(), SeedError> {
    let agency = values(number, request, state)?;
    agencies::upsert(&state.pool, agency, state.now()).await?;
    Ok(())
}

/// The demo agencies, created only if absent (a restart keeps their state).
pub(crate) async fn demo(state: &AppState) -> Result<(), SeedError> {
    let (number, blast_id, blast_password) = DEMO_BLAST;
    let blast = SeedAgency::Blast {
        transmission_number: number.into(),
        blast_id: blast_id.into(),
        blast_password: Secret::new(blast_password),
    };
    let (new_number, temporary) = DEMO_NEW;
    let new = SeedAgency::New {
        transmission_number: new_number.into(),
        temporary_password: Secret::new(temporary),
    };
    for request in [&blast, &new] {
        let number = match request {
            SeedAgency::Blast {
                transmission_number,
                ..
            }
            | SeedAgency::New {
                transmission_number,
                ..
            }
            | SeedAgency::Enrolled {
                transmission_number,
                ..
            } => TransmissionNumber::parse(transmission_number)
                .map_err(|e| SeedError::Rejected(vec![e.code().to_owned()]))?,
        };
        let agency = values(&number, request, state)?;
        agencies::insert_if_absent(&state.pool, agency, state.now()).await?;
    }
    Ok(())
}
