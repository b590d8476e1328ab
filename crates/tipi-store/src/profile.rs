//! The agency's profile: identifiers, software identity, environment, and the date the TIP-I
//! password was set (never the password itself: that lives in the keychain).

use chrono::{DateTime, NaiveDate, Utc};
use tipi_domain::batch::SoftwareIdentity;
use tipi_domain::ids::{DeveloperNumber, ProfessionalNumber, TipiId, TransmissionNumber};

use crate::environment::Environment;
use crate::error::{Result, StoreError};
use crate::store::Store;

/// The agency (agence de facturation privée) as Tipi knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The environment these identifiers belong to.
    pub environment: Environment,
    /// The TIP-I identifier (e.g. `AGP12345`).
    pub tipi_id: TipiId,
    /// The 5-digit transmission number (No transmission = No agence).
    pub transmission_number: TransmissionNumber,
    /// The professional's RAMQ number, once known.
    pub professional_number: Option<ProfessionalNumber>,
    /// The software identity sent with every request: developer number, name, version.
    pub software: SoftwareIdentity,
    /// When the current TIP-I password was set (the 90-day expiry counts from it).
    pub password_set_on: Option<NaiveDate>,
    /// "En production depuis": None while the agency is in its test period.
    pub production_since: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    environment: String,
    tipi_id: String,
    transmission_number: String,
    professional_number: Option<String>,
    developer_number: String,
    software_name: String,
    software_version: String,
    password_set_on: Option<NaiveDate>,
    production_since: Option<NaiveDate>,
}

impl TryFrom<ProfileRow> for Profile {
    type Error = StoreError;

    fn try_from(row: ProfileRow) -> Result<Profile> {
        Ok(Profile {
            environment: Environment::parse(&row.environment).ok_or(StoreError::Corrupt {
                column: "profile.environment",
            })?,
            tipi_id: TipiId::parse(&row.tipi_id).map_err(|_| corrupt("profile.tipi_id"))?,
            transmission_number: TransmissionNumber::parse(&row.transmission_number)
                .map_err(|_| corrupt("profile.transmission_number"))?,
            professional_number: row
                .professional_number
                .map(|n| ProfessionalNumber::parse(&n))
                .transpose()
                .map_err(|_| corrupt("profile.professional_number"))?,
            software: SoftwareIdentity {
                developer: DeveloperNumber::parse(&row.developer_number)
                    .map_err(|_| corrupt("profile.developer_number"))?,
                name: row.software_name,
                version: row.software_version,
            },
            password_set_on: row.password_set_on,
            production_since: row.production_since,
        })
    }
}

fn corrupt(column: &'static str) -> StoreError {
    StoreError::Corrupt { column }
}

impl Store {
    /// The profile, if the agency was set up.
    pub async fn profile(&self) -> Result<Option<Profile>> {
        let row: Option<ProfileRow> = sqlx::query_as(
            "SELECT environment, tipi_id, transmission_number, professional_number, \
             developer_number, software_name, software_version, password_set_on, \
             production_since FROM profile WHERE id = 1",
        )
        .fetch_optional(self.pool())
        .await?;
        row.map(Profile::try_from).transpose()
    }

    /// Creates or replaces the profile. Refuses a profile of the other environment when the
    /// store was opened for one.
    pub async fn save_profile(&self, profile: &Profile, at: DateTime<Utc>) -> Result<()> {
        if let Some(expected) = self.environment() {
            if expected != profile.environment {
                return Err(StoreError::EnvironmentMismatch {
                    expected: expected.as_str(),
                    found: profile.environment.as_str().to_owned(),
                });
            }
        }
        sqlx::query(
            "INSERT INTO profile (id, environment, tipi_id, transmission_number, \
             professional_number, developer_number, software_name, software_version, \
             password_set_on, production_since, updated_at) \
             VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET environment = excluded.environment, \
             tipi_id = excluded.tipi_id, transmission_number = excluded.transmission_number, \
             professional_number = excluded.professional_number, \
             developer_number = excluded.developer_number, \
             software_name = excluded.software_name, software_version = excluded.software_version, \
             password_set_on = excluded.password_set_on, \
             production_since = excluded.production_since, updated_at = excluded.updated_at",
        )
        .bind(profile.environment.as_str())
        .bind(profile.tipi_id.as_str())
        .bind(profile.transmission_number.as_str())
        .bind(profile.professional_number.as_ref().map(|n| n.as_str()))
        .bind(profile.software.developer.as_str())
        .bind(&profile.software.name)
        .bind(&profile.software.version)
        .bind(profile.password_set_on)
        .bind(profile.production_since)
        .bind(at)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Records that the TIP-I password was (re)set on `on` (the password itself is not stored).
    pub async fn set_password_set_on(&self, on: NaiveDate, at: DateTime<Utc>) -> Result<()> {
        self.update_profile_date("password_set_on", on, at).await
    }

    /// Records the "en production depuis" date read from the journal.
    pub async fn set_production_since(&self, since: NaiveDate, at: DateTime<Utc>) -> Result<()> {
        self.update_profile_date("production_since", since, at)
            .await
    }

    async fn update_profile_date(
        &self,
        column: &'static str,
        date: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<()> {
        // `column` is one of two constants above, never user input.
        let sql = format!("UPDATE profile SET {column} = ?, updated_at = ? WHERE id = 1");
        let done = sqlx::query(&sql)
            .bind(date)
            .bind(at)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "profile" });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, TempStore};

    fn sample() -> Profile {
        Profile {
            environment: Environment::Sandbox,
            tipi_id: TipiId::parse("AGP12345").unwrap(),
            transmission_number: TransmissionNumber::parse("12345").unwrap(),
            professional_number: Some(ProfessionalNumber::parse("123456").unwrap()),
            software: SoftwareIdentity {
                developer: DeveloperNumber::parse("AGP16001").unwrap(),
                name: "Tipi".into(),
                version: "0.1.0".into(),
            },
            password_set_on: None,
            production_since: None,
        }
    }

    #[tokio::test]
    async fn profile_round_trips_and_survives_reopen() {
        let mut tmp = TempStore::new().await;
        assert_eq!(tmp.store.profile().await.unwrap(), None);
        let profile = sample();
        tmp.store.save_profile(&profile, at(3, 12)).await.unwrap();
        let set_on = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        tmp.store
            .set_password_set_on(set_on, at(3, 13))
            .await
            .unwrap();

        tmp.reopen().await;
        let read = tmp.store.profile().await.unwrap().unwrap();
        assert_eq!(read.password_set_on, Some(set_on));
        assert_eq!(
            read,
            Profile {
                password_set_on: Some(set_on),
                ..profile
            }
        );
    }

    #[tokio::test]
    async fn updating_a_missing_profile_is_not_found() {
        let tmp = TempStore::new().await;
        let err = tmp
            .store
            .set_production_since(NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(), at(4, 12))
            .await
            .unwrap_err();
        assert!(err.is_not_found(), "{err}");
    }

    #[tokio::test]
    async fn a_store_opened_for_sandbox_refuses_a_production_profile() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in(dir.path(), Environment::Sandbox)
            .await
            .unwrap();
        let profile = Profile {
            environment: Environment::Production,
            ..sample()
        };
        let err = store.save_profile(&profile, at(3, 12)).await.unwrap_err();
        assert!(
            matches!(err, StoreError::EnvironmentMismatch { .. }),
            "{err}"
        );
        assert_eq!(store.profile().await.unwrap(), None);
    }

    #[tokio::test]
    async fn no_column_can_hold_a_password() {
        let tmp = TempStore::new().await;
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info('profile')")
                .fetch_all(tmp.store.pool())
                .await
                .unwrap();
        assert!(columns.contains(&"password_set_on".to_owned()));
        assert!(
            columns
                .iter()
                .all(|c| c == "password_set_on" || !c.contains("password")),
            "{columns:?}"
        );
    }
}
