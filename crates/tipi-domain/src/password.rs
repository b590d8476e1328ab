//! The TIP-I password policy.
//!
//! Exactly 8 ASCII letters or digits, no spaces, case-sensitive; typed twice; a new password
//! must differ from the current one (case-sensitively); it expires [`VALIDITY_DAYS`] days after
//! it was set. Dates are local RAMQ dates ([`crate::time::local_date`]) given by the caller.

use chrono::{Days, NaiveDate};

use crate::lang::Lang;

/// Required length, in characters.
pub const LENGTH: usize = 8;

/// Days a password stays valid after the day it was set.
pub const VALIDITY_DAYS: u64 = 90;

/// Why a password is refused. Never contains the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PasswordError {
    /// Contains a space (or other whitespace).
    #[error("the password contains a space")]
    Space,
    /// Contains something other than ASCII letters and digits.
    #[error("the password contains a character other than a letter or a digit")]
    NotAlphanumeric,
    /// Not exactly 8 characters.
    #[error("the password does not have exactly 8 characters")]
    Length,
    /// The confirmation differs from the new password.
    #[error("the confirmation does not match the new password")]
    ConfirmationMismatch,
    /// The new password equals the current one.
    #[error("the new password is the same as the current one")]
    SameAsCurrent,
}

impl PasswordError {
    /// Stable machine code.
    pub fn code(self) -> &'static str {
        match self {
            PasswordError::Space => "password_space",
            PasswordError::NotAlphanumeric => "password_not_alphanumeric",
            PasswordError::Length => "password_length",
            PasswordError::ConfirmationMismatch => "password_confirmation_mismatch",
            PasswordError::SameAsCurrent => "password_same_as_current",
        }
    }

    /// User-facing explanation in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            PasswordError::Space => lang.pick(
                "Le mot de passe ne doit pas contenir d'espace.",
                "The password must not contain spaces.",
            ),
            PasswordError::NotAlphanumeric => lang.pick(
                "Le mot de passe ne contient que des lettres non accentuées et des chiffres.",
                "The password contains only unaccented letters and digits.",
            ),
            PasswordError::Length => lang.pick(
                "Le mot de passe compte exactement 8 caractères.",
                "The password has exactly 8 characters.",
            ),
            PasswordError::ConfirmationMismatch => lang.pick(
                "La confirmation ne correspond pas au nouveau mot de passe (majuscules et minuscules comptent).",
                "The confirmation does not match the new password (upper and lower case matter).",
            ),
            PasswordError::SameAsCurrent => lang.pick(
                "Le nouveau mot de passe doit être différent du mot de passe actuel.",
                "The new password must differ from the current one.",
            ),
        }
    }
}

/// Checks the format: no whitespace, ASCII letters and digits only, exactly 8 characters
/// (reported in that order, so a user sees the most specific reason first).
pub fn check_format(password: &str) -> Result<(), PasswordError> {
    if password.chars().any(char::is_whitespace) {
        return Err(PasswordError::Space);
    }
    if !password.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(PasswordError::NotAlphanumeric);
    }
    if password.len() != LENGTH {
        return Err(PasswordError::Length);
    }
    Ok(())
}

/// One line of the checklist a form shows while the user types a new password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleCheck {
    /// The rule, named by the error that breaking it gives.
    pub rule: PasswordError,
    /// Whether the typed values satisfy it.
    pub ok: bool,
}

/// The new-password rules, each with whether `new` and `confirmation` already satisfy it, in
/// the order a form lists them. Built from the same checks as [`check_new`].
pub fn checklist(new: &str, confirmation: &str) -> Vec<RuleCheck> {
    let format = check_format(new).err();
    let no_space = !new.chars().any(char::is_whitespace);
    let alphanumeric = new
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c.is_whitespace());
    vec![
        RuleCheck {
            rule: PasswordError::Length,
            ok: new.chars().count() == LENGTH,
        },
        RuleCheck {
            rule: PasswordError::NotAlphanumeric,
            ok: !new.is_empty() && alphanumeric,
        },
        RuleCheck {
            rule: PasswordError::Space,
            ok: !new.is_empty() && no_space,
        },
        RuleCheck {
            rule: PasswordError::ConfirmationMismatch,
            ok: format.is_none() && new == confirmation,
        },
    ]
}

/// Checks a password change: the new password's format, then that the confirmation is
/// identical, then that it differs from `current` (when known). Case matters everywhere.
pub fn check_new(
    new: &str,
    confirmation: &str,
    current: Option<&str>,
) -> Result<(), PasswordError> {
    check_format(new)?;
    if new != confirmation {
        return Err(PasswordError::ConfirmationMismatch);
    }
    if current == Some(new) {
        return Err(PasswordError::SameAsCurrent);
    }
    Ok(())
}

/// The first local date on which a password set on `set_on` is expired: `set_on` + 90 days.
pub fn expires_on(set_on: NaiveDate) -> NaiveDate {
    set_on
        .checked_add_days(Days::new(VALIDITY_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

/// Whole days left before expiry: 0 or less means expired today or earlier (then only a
/// password change is allowed).
pub fn days_left(set_on: NaiveDate, today: NaiveDate) -> i64 {
    (expires_on(set_on) - today).num_days()
}

/// Whether a password set on `set_on` is expired on `today` (from [`expires_on`] inclusive).
pub fn is_expired(set_on: NaiveDate, today: NaiveDate) -> bool {
    today >= expires_on(set_on)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_checklist_follows_check_new() {
        let oks = |new: &str, confirmation: &str| -> Vec<bool> {
            super::checklist(new, confirmation)
                .iter()
                .map(|c| c.ok)
                .collect()
        };
        assert_eq!(oks("", ""), [false, false, false, false]);
        assert_eq!(oks("abc 1234", ""), [true, true, false, false]);
        assert_eq!(oks("abcé1234", "abcé1234"), [true, false, true, false]);
        assert_eq!(oks("Abcd1234", "abcd1234"), [true, true, true, false]);
        assert_eq!(oks("Abcd1234", "Abcd1234"), [true, true, true, true]);
        for (new, confirmation) in [("Abcd1234", "Abcd1234"), ("abc", "abc"), ("Abcd123 ", "x")] {
            let all_ok = super::checklist(new, confirmation).iter().all(|c| c.ok);
            assert_eq!(all_ok, super::check_new(new, confirmation, None).is_ok());
        }
    }

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn format_rules() {
        for ok in ["abcd1234", "ABCDEFGH", "12345678", "aB3dE6gH"] {
            assert_eq!(check_format(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_format("abcd 123"), Err(PasswordError::Space));
        assert_eq!(check_format("abcd123 "), Err(PasswordError::Space));
        assert_eq!(
            check_format("abcd-123"),
            Err(PasswordError::NotAlphanumeric)
        );
        assert_eq!(
            check_format("abcdé123"),
            Err(PasswordError::NotAlphanumeric)
        );
        assert_eq!(check_format("abcd123"), Err(PasswordError::Length));
        assert_eq!(check_format("abcd12345"), Err(PasswordError::Length));
        assert_eq!(check_format(""), Err(PasswordError::Length));
    }

    #[test]
    fn change_rules() {
        assert_eq!(check_new("abcd1234", "abcd1234", None), Ok(()));
        assert_eq!(check_new("abcd1234", "abcd1234", Some("wxyz9876")), Ok(()));
        assert_eq!(
            check_new("abcd1234", "ABCD1234", None),
            Err(PasswordError::ConfirmationMismatch)
        );
        assert_eq!(
            check_new("abcd1234", "abcd1234", Some("abcd1234")),
            Err(PasswordError::SameAsCurrent)
        );
        // Case-sensitive: a different case is a different password.
        assert_eq!(check_new("ABCD1234", "ABCD1234", Some("abcd1234")), Ok(()));
        assert_eq!(check_new("abc", "abc", None), Err(PasswordError::Length));
    }

    #[test]
    fn errors_do_not_leak_the_password() {
        let secret = "s3cr3tPW";
        let err = check_new(secret, "other123", None).unwrap_err();
        assert!(!format!("{err} {err:?} {}", err.message(Lang::Fr)).contains(secret));
        assert_eq!(err.code(), "password_confirmation_mismatch");
    }

    #[test]
    fn expiry_is_ninety_days_after_setting() {
        assert_eq!(expires_on(date(2026, 1, 1)), date(2026, 4, 1));
        assert_eq!(expires_on(date(2025, 12, 15)), date(2026, 3, 15));
        // Leap year: 2028-02-29 is counted.
        assert_eq!(expires_on(date(2028, 1, 1)), date(2028, 3, 31));
        assert_eq!(days_left(date(2026, 1, 1), date(2026, 1, 1)), 90);
        assert_eq!(days_left(date(2026, 1, 1), date(2026, 3, 31)), 1);
        assert_eq!(days_left(date(2026, 1, 1), date(2026, 4, 1)), 0);
        assert_eq!(days_left(date(2026, 1, 1), date(2026, 4, 11)), -10);
        assert!(!is_expired(date(2026, 1, 1), date(2026, 3, 31)));
        assert!(is_expired(date(2026, 1, 1), date(2026, 4, 1)));
    }
}
