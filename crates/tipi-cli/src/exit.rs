//! Exit codes and the one failure type of the command line.

use tipi_core::{CoreError, Lang};

/// The exit codes a script can rely on (listed in `tipi --help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// Done.
    Ok = 0,
    /// Unexpected: database, keychain, internal.
    Internal = 1,
    /// Bad usage or configuration (clap uses 2 as well).
    Usage = 2,
    /// Invalid data: claim, batch, NAM, identifier, password policy.
    Invalid = 3,
    /// Authentication: not enrolled or signed in, wrong, expired or temporary password,
    /// suspended account.
    Authentication = 4,
    /// TIP-I is closed now (the message says when it reopens).
    Closed = 5,
    /// TIP-I could not be reached, or the connection was lost (run the command again: it
    /// checks before sending anything twice).
    Unreachable = 6,
    /// TIP-I refused the request.
    Refused = 7,
    /// Nothing to do (no claim ready).
    Nothing = 8,
}

impl From<Code> for std::process::ExitCode {
    fn from(code: Code) -> Self {
        std::process::ExitCode::from(code as u8)
    }
}

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A use case refused or failed.
    Core(CoreError),
    /// The command line itself: bad input file, missing configuration.
    Usage(String),
    /// Invalid data found by the command itself (a NAM, a claim file).
    Invalid(String),
}

impl From<CoreError> for Failure {
    fn from(error: CoreError) -> Self {
        Self::Core(error)
    }
}

impl Failure {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Self::Core(error) => error.code(),
            Self::Usage(_) => "Usage",
            Self::Invalid(_) => "Validation",
        }
    }

    pub(crate) fn message(&self, lang: Lang) -> String {
        match self {
            Self::Core(error) => error.message(lang),
            Self::Usage(text) | Self::Invalid(text) => text.clone(),
        }
    }

    pub(crate) fn exit_code(&self) -> Code {
        match self {
            Self::Usage(_) => Code::Usage,
            Self::Invalid(_) => Code::Invalid,
            Self::Core(error) => match error.code() {
                "Validation" | "InvalidInput" | "PasswordPolicy" | "WrongState"
                | "DirectNotAllowed" | "NotFound" | "WeakPassphrase" | "InvalidBackup" => {
                    Code::Invalid
                }
                "WrongPassphrase"
                | "NotEnrolled"
                | "NotSignedIn"
                | "InvalidCredentials"
                | "PasswordExpired"
                | "PasswordChangeRequired"
                | "AccountSuspended" => Code::Authentication,
                "OutsideServiceWindow" | "EnrolmentClosed" => Code::Closed,
                "Unreachable"
                | "ConnectionLost"
                | "ServerError"
                | "UntrustedCertificate"
                | "Configuration" => Code::Unreachable,
                "NothingToSend" => Code::Nothing,
                "Keychain" | "Storage" | "DatabaseKeyLost" => Code::Internal,
                _ => Code::Refused,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_its_exit_code() {
        let closed = Failure::Core(CoreError::OutsideServiceWindow {
            reopens_at: chrono::Utc::now(),
        });
        assert_eq!(closed.exit_code(), Code::Closed);
        assert_eq!(
            Failure::Core(CoreError::AccountSuspended).exit_code(),
            Code::Authentication
        );
        assert_eq!(
            Failure::Core(CoreError::NothingToSend).exit_code(),
            Code::Nothing
        );
        assert_eq!(
            Failure::Core(CoreError::Unreachable).exit_code(),
            Code::Unreachable
        );
        assert_eq!(Failure::Usage("x".into()).exit_code(), Code::Usage);
        assert_eq!(
            Failure::Core(CoreError::WrongPassphrase).exit_code(),
            Code::Authentication
        );
        assert_eq!(
            Failure::Core(CoreError::DatabaseKeyLost).exit_code(),
            Code::Internal
        );
        assert_eq!(Code::Nothing as u8, 8);
    }
}
