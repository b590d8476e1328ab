//! The core's one error type. The app sends `{ code, message }` to the UI from it: `code` is
//! stable (the UI branches on it), `message` is in the user's language. Neither ever holds a
//! NAM, a patient's name or a password; internal detail goes to the log once, never to the UI.

use chrono::{DateTime, Utc};
use tipi_client::{ClientError, Reached};
use tipi_domain::batch::{BatchError, ClaimProblems};
use tipi_domain::claim::Problem;
use tipi_domain::ids::IdError;
use tipi_domain::lang::Lang;
use tipi_domain::password::PasswordError;
use tipi_domain::time::local_datetime;
use tipi_store::{ClaimState, StoreError};

use crate::secrets::SecretError;

/// Everything a use case can refuse or fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The claim has blocking problems (all of them are listed).
    #[error("the claim has {} problem(s)", .0.len())]
    Validation(Vec<Problem>),
    /// Some claims of a batch have blocking problems (only those claims are listed).
    #[error("{} claim(s) of the batch have problems", .0.len())]
    InvalidBatch(Vec<ClaimProblems>),
    /// More claims than one batch holds were put in it.
    #[error("{0} claims are more than a batch holds")]
    BatchTooLarge(usize),
    /// There is nothing to put in a batch (no claim is Ready).
    #[error("no claim is ready to send")]
    NothingToSend,
    /// An identifier typed by the user is not valid (TIP-I id, transmission number...).
    #[error("invalid identifier: {0}")]
    InvalidInput(IdError),
    /// The new password breaks the TIP-I password policy.
    #[error("password policy: {0}")]
    PasswordPolicy(PasswordError),
    /// No agency is set up in this environment yet (enrol or log in first).
    #[error("no TIP-I agency is set up; enrol or log in first")]
    NotEnrolled,
    /// The keychain holds no password for the agency (log in again).
    #[error("no TIP-I password is stored; log in again")]
    NotSignedIn,
    /// Unknown identifier or wrong password. The stored password (if it was used) is
    /// forgotten, so no automatic task can add failures toward a suspension.
    #[error("TIP-I identifier or password is invalid")]
    InvalidCredentials,
    /// The password is past its 90 days: only a password change is possible.
    #[error("the TIP-I password has expired")]
    PasswordExpired,
    /// The password is temporary: it must be changed before anything else.
    #[error("the temporary TIP-I password must be changed")]
    PasswordChangeRequired,
    /// Three failed logins: only RAMQ support can reactivate the account.
    #[error("the TIP-I account is suspended")]
    AccountSuspended,
    /// TIP-I is closed now.
    #[error("TIP-I is closed until {reopens_at}")]
    OutsideServiceWindow {
        /// When it reopens.
        reopens_at: DateTime<Utc>,
    },
    /// Self-enrolment is closed now.
    #[error("TIP-I enrolment is closed until {reopens_at}")]
    EnrolmentClosed {
        /// When it reopens.
        reopens_at: DateTime<Utc>,
    },
    /// The enrolment was ended (Quitter, Je refuse) or is complete.
    #[error("this enrolment is over")]
    EnrolmentEnded,
    /// The agency is already enrolled to TIP-I.
    #[error("the agency is already enrolled to TIP-I")]
    AlreadyEnrolled,
    /// No such claim (or other local record).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The claim cannot be changed (or sent) in its current state.
    #[error("the claim cannot do this while {}", .0.as_str())]
    WrongState(ClaimState),
    /// Only RFP claims may be sent *en direct*.
    #[error("only RFP claims can be sent en direct")]
    DirectNotAllowed,
    /// TIP-I could not be reached; nothing was sent.
    #[error("TIP-I could not be reached")]
    Unreachable,
    /// TIP-I answered something else (see the code of the client error).
    #[error("TIP-I: {0}")]
    Remote(ClientError),
    /// The system keychain failed.
    #[error("keychain: {0}")]
    Keychain(#[from] SecretError),
    /// The local database failed.
    #[error("database: {0}")]
    Storage(StoreError),
    /// The local database exists but its key is no longer in the keychain (or does not open
    /// it). The file is left untouched; restoring a backup is the way back.
    #[error("the key of the local database is missing from the keychain")]
    DatabaseKeyLost,
    /// The passphrase does not open the backup (or the file is not a Tipi backup).
    #[error("the passphrase does not open this backup")]
    WrongPassphrase,
    /// A backup passphrase must have at least `backup::MIN_PASSPHRASE_CHARS` characters.
    #[error("the backup passphrase is too short")]
    WeakPassphrase,
    /// The file opens but is not a Tipi backup.
    #[error("this file is not a Tipi backup")]
    InvalidBackup,
}

/// The core's result type.
pub type CoreResult<T> = Result<T, CoreError>;

/// What a UI receives for an error: the stable code and the message in its language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UiError {
    /// [`CoreError::code`].
    pub code: &'static str,
    /// [`CoreError::message`].
    pub message: String,
}

impl CoreError {
    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) | Self::InvalidBatch(_) | Self::BatchTooLarge(_) => "Validation",
            Self::NothingToSend => "NothingToSend",
            Self::InvalidInput(_) => "InvalidInput",
            Self::PasswordPolicy(_) => "PasswordPolicy",
            Self::NotEnrolled => "NotEnrolled",
            Self::NotSignedIn => "NotSignedIn",
            Self::InvalidCredentials => "InvalidCredentials",
            Self::PasswordExpired => "PasswordExpired",
            Self::PasswordChangeRequired => "PasswordChangeRequired",
            Self::AccountSuspended => "AccountSuspended",
            Self::OutsideServiceWindow { .. } => "OutsideServiceWindow",
            Self::EnrolmentClosed { .. } => "EnrolmentClosed",
            Self::EnrolmentEnded => "EnrolmentEnded",
            Self::AlreadyEnrolled => "AlreadyEnrolled",
            Self::NotFound(_) => "NotFound",
            Self::WrongState(_) => "WrongState",
            Self::DirectNotAllowed => "DirectNotAllowed",
            Self::Unreachable => "Unreachable",
            Self::Remote(error) => error.code(),
            Self::Keychain(_) => "Keychain",
            Self::Storage(_) => "Storage",
            Self::DatabaseKeyLost => "DatabaseKeyLost",
            Self::WrongPassphrase => "WrongPassphrase",
            Self::WeakPassphrase => "WeakPassphrase",
            Self::InvalidBackup => "InvalidBackup",
        }
    }

    /// The `{ code, message }` pair the app sends to the UI.
    pub fn to_ui(&self, lang: Lang) -> UiError {
        UiError {
            code: self.code(),
            message: self.message(lang),
        }
    }

    /// The message for the user, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let fixed = |fr: &str, en: &str| lang.pick(fr, en).to_owned();
        match self {
            Self::Validation(problems) => {
                let list: Vec<String> = problems
                    .iter()
                    .filter(|p| p.is_error())
                    .map(|p| p.message(lang))
                    .collect();
                format!(
                    "{} {}",
                    lang.pick("La demande est à corriger :", "The claim needs corrections:"),
                    list.join(" ")
                )
            }
            Self::InvalidBatch(claims) => BatchError::InvalidClaims(claims.clone()).message(lang),
            Self::BatchTooLarge(count) => BatchError::TooManyClaims(*count).message(lang),
            Self::NothingToSend => fixed(
                "Aucune demande n'est prête à transmettre.",
                "No claim is ready to send.",
            ),
            Self::InvalidInput(error) => error.message(lang).to_owned(),
            Self::PasswordPolicy(error) => error.message(lang).to_owned(),
            Self::NotEnrolled => fixed(
                "Aucune agence n'est configurée : inscrivez-vous à TIP-I ou connectez-vous.",
                "No agency is set up: enrol to TIP-I or log in.",
            ),
            Self::NotSignedIn => fixed(
                "Aucun mot de passe TIP-I n'est enregistré : connectez-vous de nouveau.",
                "No TIP-I password is stored: log in again.",
            ),
            Self::InvalidCredentials => fixed(
                "Identifiant ou mot de passe TIP-I invalide. Attention : après 3 essais \
                 infructueux, le compte est suspendu.",
                "Invalid TIP-I identifier or password. Careful: after 3 failed attempts the \
                 account is suspended.",
            ),
            Self::PasswordExpired => fixed(
                "Votre mot de passe TIP-I est expiré : changez-le pour continuer.",
                "Your TIP-I password has expired: change it to continue.",
            ),
            Self::PasswordChangeRequired => fixed(
                "Votre mot de passe TIP-I est temporaire : choisissez-en un nouveau.",
                "Your TIP-I password is temporary: choose a new one.",
            ),
            Self::AccountSuspended => fixed(
                "Votre compte TIP-I est suspendu. Seul le soutien de la RAMQ peut le \
                 réactiver : Québec 418 643-8210 #2, Montréal 514 873-3480 #2, ailleurs \
                 1 800 463-4776 #2.",
                "Your TIP-I account is suspended. Only RAMQ support can reactivate it: Québec \
                 418 643-8210 #2, Montréal 514 873-3480 #2, elsewhere 1 800 463-4776 #2.",
            ),
            Self::OutsideServiceWindow { reopens_at } => match lang {
                Lang::Fr => format!(
                    "TIP-I est fermé (ouvert de 7 h à 22 h, les jours ouvrables). Réouverture : {}.",
                    local_text(*reopens_at)
                ),
                Lang::En => format!(
                    "TIP-I is closed (open 7:00 to 22:00 on business days). It reopens {}.",
                    local_text(*reopens_at)
                ),
            },
            Self::EnrolmentClosed { reopens_at } => match lang {
                Lang::Fr => format!(
                    "L'inscription à TIP-I est fermée. Réouverture : {}.",
                    local_text(*reopens_at)
                ),
                Lang::En => format!(
                    "TIP-I enrolment is closed. It reopens {}.",
                    local_text(*reopens_at)
                ),
            },
            Self::EnrolmentEnded => fixed(
                "Cette inscription est terminée ; recommencez au besoin.",
                "This enrolment is over; start again if needed.",
            ),
            Self::AlreadyEnrolled => fixed(
                "Cette agence est déjà inscrite à TIP-I : connectez-vous avec votre \
                 identifiant TIP-I.",
                "This agency is already enrolled to TIP-I: log in with your TIP-I identifier.",
            ),
            Self::NotFound(_) => fixed("Élément introuvable.", "Not found."),
            Self::WrongState(_) => fixed(
                "Cette demande ne peut pas être modifiée ou transmise dans son état actuel.",
                "This claim cannot be changed or sent in its current state.",
            ),
            Self::DirectNotAllowed => fixed(
                "Seules les demandes RFP (à l'acte) peuvent être transmises en direct.",
                "Only RFP (fee-for-service) claims can be sent en direct.",
            ),
            Self::Unreachable => fixed(
                "TIP-I est injoignable ; rien n'a été transmis. Réessayez plus tard.",
                "TIP-I cannot be reached; nothing was sent. Try again later.",
            ),
            Self::Remote(error) => remote_message(error, lang),
            Self::Keychain(_) => fixed(
                "Le trousseau du système est inaccessible.",
                "The system keychain is not available.",
            ),
            Self::Storage(_) => fixed(
                "Erreur de la base de données locale.",
                "Local database error.",
            ),
            Self::DatabaseKeyLost => fixed(
                "La clé de chiffrement de la base de données locale est introuvable dans le \
                 trousseau du système. Le fichier n'a pas été modifié ni remplacé. Retrouvez \
                 l'entrée du trousseau, ou restaurez une sauvegarde (tipi backup restore).",
                "The encryption key of the local database is missing from the system keychain. \
                 The file was neither changed nor replaced. Recover the keychain entry, or \
                 restore a backup (tipi backup restore).",
            ),
            Self::WrongPassphrase => fixed(
                "Cette phrase de passe n'ouvre pas la sauvegarde (ou le fichier n'est pas une \
                 sauvegarde Tipi). Rien n'a été modifié.",
                "This passphrase does not open the backup (or the file is not a Tipi backup). \
                 Nothing was changed.",
            ),
            Self::WeakPassphrase => match lang {
                Lang::Fr => format!(
                    "La phrase de passe de la sauvegarde doit compter au moins {} caractères.",
                    crate::backup::MIN_PASSPHRASE_CHARS
                ),
                Lang::En => format!(
                    "The backup passphrase must have at least {} characters.",
                    crate::backup::MIN_PASSPHRASE_CHARS
                ),
            },
            Self::InvalidBackup => fixed(
                "Ce fichier n'est pas une sauvegarde Tipi. Rien n'a été modifié.",
                "This file is not a Tipi backup. Nothing was changed.",
            ),
        }
    }
}

fn remote_message(error: &ClientError, lang: Lang) -> String {
    match error {
        ClientError::Transport {
            reached: Reached::Unknown,
        } => lang
            .pick(
                "La connexion à TIP-I a été perdue ; Tipi vérifiera le journal avant de renvoyer.",
                "The connection to TIP-I was lost; Tipi will check the journal before sending again.",
            )
            .to_owned(),
        ClientError::AttestationOutOfSequence { expected } => match lang {
            Lang::Fr => format!("TIP-I attend le numéro d'attestation {expected}."),
            Lang::En => format!("TIP-I expects attestation number {expected}."),
        },
        ClientError::UntrustedCertificate => lang
            .pick(
                "Le certificat du serveur TIP-I n'est pas reconnu.",
                "The TIP-I server's certificate is not trusted.",
            )
            .to_owned(),
        other => match lang {
            Lang::Fr => format!("TIP-I a refusé ou échoué ({}).", other.code()),
            Lang::En => format!("TIP-I refused or failed ({}).", other.code()),
        },
    }
}

/// An instant as Québec local time, e.g. `2026-03-09 07:00`.
pub(crate) fn local_text(at: DateTime<Utc>) -> String {
    local_datetime(at).format("%Y-%m-%d %H:%M").to_string()
}

impl From<StoreError> for CoreError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { what } => Self::NotFound(what),
            StoreError::WrongKey => Self::DatabaseKeyLost,
            StoreError::NotTipiData => Self::InvalidBackup,
            other => Self::Storage(other),
        }
    }
}

impl From<IdError> for CoreError {
    fn from(error: IdError) -> Self {
        Self::InvalidInput(error)
    }
}

impl From<PasswordError> for CoreError {
    fn from(error: PasswordError) -> Self {
        Self::PasswordPolicy(error)
    }
}

impl From<ClientError> for CoreError {
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::InvalidCredentials => Self::InvalidCredentials,
            ClientError::PasswordExpired => Self::PasswordExpired,
            ClientError::PasswordChangeRequired => Self::PasswordChangeRequired,
            ClientError::AccountSuspended => Self::AccountSuspended,
            ClientError::OutsideServiceWindow { reopens_at } => {
                Self::OutsideServiceWindow { reopens_at }
            }
            ClientError::EnrolmentClosed { reopens_at } => Self::EnrolmentClosed { reopens_at },
            ClientError::EnrolmentEnded => Self::EnrolmentEnded,
            ClientError::AlreadyEnrolled => Self::AlreadyEnrolled,
            ClientError::Transport {
                reached: Reached::No,
            } => Self::Unreachable,
            other => Self::Remote(other),
        }
    }
}

impl From<BatchError> for CoreError {
    fn from(error: BatchError) -> Self {
        match error {
            BatchError::InvalidClaims(claims) => Self::InvalidBatch(claims),
            BatchError::Empty => Self::NothingToSend,
            BatchError::TooManyClaims(count) => Self::BatchTooLarge(count),
            BatchError::SoftwareIdentity => Self::Storage(StoreError::Corrupt {
                column: "profile.software",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tipi_domain::claim::ProblemCode;

    #[test]
    fn codes_are_stable_and_messages_exist_in_both_languages() {
        let closed = CoreError::OutsideServiceWindow {
            reopens_at: DateTime::parse_from_rfc3339("2026-03-09T11:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
        };
        assert_eq!(closed.code(), "OutsideServiceWindow");
        assert!(closed.message(Lang::Fr).contains("2026-03-09 07:00"));
        assert!(closed.message(Lang::En).contains("reopens"));
        let invalid = CoreError::Validation(vec![Problem::new(
            ProblemCode::NamCheckDigit,
            "patient.nam",
        )]);
        assert_eq!(invalid.code(), "Validation");
        assert_ne!(invalid.message(Lang::Fr), invalid.message(Lang::En));
        assert_eq!(
            CoreError::from(ClientError::AccountSuspended).code(),
            "AccountSuspended"
        );
        assert_eq!(
            CoreError::from(ClientError::Transport {
                reached: Reached::No
            })
            .code(),
            "Unreachable"
        );
        assert_eq!(
            CoreError::from(ClientError::Transport {
                reached: Reached::Unknown
            })
            .code(),
            "ConnectionLost"
        );
    }
}
