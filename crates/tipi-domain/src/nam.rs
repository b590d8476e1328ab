//! The NAM (*numéro d'assurance maladie*), Québec's health insurance number.
//!
//! Layout (12 characters, as printed on the card `TREM 0412 1925`):
//!
//! | chars | meaning                                                          |
//! |-------|------------------------------------------------------------------|
//! | 1–3   | first three letters of the normalised surname, `X`-padded        |
//! | 4     | first letter of the first name                                   |
//! | 5–6   | birth year `YY` (the century is not stored)                      |
//! | 7–8   | birth month, plus 50 for women                                   |
//! | 9–10  | birth day                                                        |
//! | 11    | administrative character: `1`–`9` or a letter other than I and O |
//! | 12    | check digit                                                      |
//!
//! Check digit (INSPQ utilitaire-nam): the 14 characters `NOMI` + 4-digit year + `M`/`F` + real
//! month + day + character 11 are replaced by their EBCDIC (code page 037) byte values, weighted
//! `1 3 7 9 1 7 1 3 4 5 7 6 9 1`, summed; the sum modulo 10 is character 12.
//!
//! **Century.** Because the year digits `19` and `20` differ by `1·(−1) + 7·9 = 62` in the weighted
//! sum, the check digit of a `19YY` reading and of a `20YY` reading always differ (by 2 modulo
//! 10). So the check digit itself tells the century, and [`Nam::parse`] needs no "today": it tries
//! `20YY` then `19YY`, skips a reading whose date does not exist (29 February of a non-leap
//! year), and keeps the one whose check digit matches. Births before 1900 are not supported.
//! Whether the birth date is plausible for a given service date is a claim rule
//! ([`crate::claim`]), not a NAM rule.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::text::fold_upper;

/// Number of characters in a NAM.
pub const NAM_LEN: usize = 12;

const WEIGHTS: [u32; 14] = [1, 3, 7, 9, 1, 7, 1, 3, 4, 5, 7, 6, 9, 1];

/// Sex as encoded in the NAM month (women: month + 50).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Homme (`M`).
    Male,
    /// Femme (`F`).
    Female,
}

impl Sex {
    /// RAMQ's one-letter code: `M` or `F`.
    pub fn code(self) -> char {
        match self {
            Sex::Male => 'M',
            Sex::Female => 'F',
        }
    }
}

/// Why a string is not a valid NAM. Never contains the NAM itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NamError {
    /// Not 12 characters once spaces are removed.
    #[error("a NAM has 12 characters")]
    Length,
    /// Characters 1–4 are not letters A–Z.
    #[error("the first 4 characters of a NAM are letters")]
    Letters,
    /// Characters 5–10 are not digits forming a real birth date (month 01–12 or 51–62).
    #[error("characters 5 to 10 of a NAM are not a valid birth date")]
    Date,
    /// Character 11 is not 1–9 or a letter other than I and O.
    #[error("character 11 of a NAM is not a valid administrative character")]
    AdministrativeCharacter,
    /// Character 12 is not the check digit of the rest.
    #[error("the NAM check digit does not match")]
    CheckDigit,
}

impl NamError {
    /// Stable machine code, shared with [`crate::claim::ProblemCode`].
    pub fn code(self) -> &'static str {
        match self {
            NamError::Length => "nam_length",
            NamError::Letters => "nam_letters",
            NamError::Date => "nam_date",
            NamError::AdministrativeCharacter => "nam_administrative_character",
            NamError::CheckDigit => "nam_check_digit",
        }
    }

    /// User-facing explanation in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            NamError::Length => lang.pick(
                "Le NAM doit compter 12 caractères.",
                "The NAM must have 12 characters.",
            ),
            NamError::Letters => lang.pick(
                "Les 4 premiers caractères du NAM doivent être des lettres.",
                "The first 4 characters of the NAM must be letters.",
            ),
            NamError::Date => lang.pick(
                "Les caractères 5 à 10 du NAM ne forment pas une date de naissance valide.",
                "Characters 5 to 10 of the NAM are not a valid birth date.",
            ),
            NamError::AdministrativeCharacter => lang.pick(
                "Le 11e caractère du NAM doit être un chiffre de 1 à 9 ou une lettre autre que I et O.",
                "Character 11 of the NAM must be a digit 1 to 9 or a letter other than I and O.",
            ),
            NamError::CheckDigit => lang.pick(
                "Le chiffre de contrôle du NAM ne correspond pas : vérifiez le NAM sur la carte.",
                "The NAM check digit does not match: check the NAM on the card.",
            ),
        }
    }
}

/// A validated NAM: 12 upper-case ASCII characters with a matching check digit.
///
/// `Debug` is redacted; there is deliberately no `Display`. Use [`Nam::as_str`] where the NAM
/// must be written (wire format, storage) and nowhere else.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Nam {
    text: String,
    birth_date: NaiveDate,
    sex: Sex,
}

impl Nam {
    /// Parses a NAM as a user types it: surrounding and inner spaces are ignored (cards print
    /// `TREM 0412 1925`) and letters are upper-cased. Checks, in this order: length, letters,
    /// date digits, administrative character, then date + check digit per century (see the
    /// module documentation).
    pub fn parse(input: &str) -> Result<Nam, NamError> {
        // Non-ASCII characters count in the length and then fail every class check.
        const NOT_ASCII: u8 = 0xFF;
        let mut chars = [NOT_ASCII; NAM_LEN];
        let mut count = 0;
        for c in input.chars().filter(|c| !c.is_whitespace()) {
            if let Some(slot) = chars.get_mut(count) {
                *slot = if c.is_ascii() {
                    c.to_ascii_uppercase() as u8
                } else {
                    NOT_ASCII
                };
            }
            count += 1;
        }
        if count != NAM_LEN {
            return Err(NamError::Length);
        }
        if !chars[..4].iter().all(u8::is_ascii_uppercase) {
            return Err(NamError::Letters);
        }
        if !chars[4..10].iter().all(u8::is_ascii_digit) {
            return Err(NamError::Date);
        }
        let yy = two_digits(chars[4], chars[5]);
        let coded_month = two_digits(chars[6], chars[7]);
        let day = two_digits(chars[8], chars[9]);
        let (month, sex) = match coded_month {
            1..=12 => (coded_month, Sex::Male),
            51..=62 => (coded_month - 50, Sex::Female),
            _ => return Err(NamError::Date),
        };
        let admin = chars[10];
        if !is_administrative_character(admin) {
            return Err(NamError::AdministrativeCharacter);
        }
        if !chars[11].is_ascii_digit() {
            return Err(NamError::CheckDigit);
        }
        let given = u32::from(chars[11] - b'0');
        let prefix = [chars[0], chars[1], chars[2], chars[3]];
        let mut any_real_date = false;
        for century in [2000, 1900] {
            let year = century + yy as i32;
            let Some(birth_date) = NaiveDate::from_ymd_opt(year, month, day) else {
                continue;
            };
            any_real_date = true;
            if check_digit(prefix, birth_date, sex, admin) == given {
                // Every byte passed an ASCII class check above.
                let text = chars.iter().map(|&b| char::from(b)).collect();
                return Ok(Nam {
                    text,
                    birth_date,
                    sex,
                });
            }
        }
        Err(if any_real_date {
            NamError::CheckDigit
        } else {
            NamError::Date
        })
    }

    /// Builds the NAM for a name prefix (4 letters, e.g. from [`name_prefix`]), birth date
    /// (1900–2099), sex and administrative character, computing the check digit. For test data
    /// and the sandbox; real NAMs are issued by RAMQ.
    pub fn build(
        prefix: &str,
        birth_date: NaiveDate,
        sex: Sex,
        admin: char,
    ) -> Result<Nam, NamError> {
        let Ok(prefix) = <[u8; 4]>::try_from(prefix.as_bytes()) else {
            return Err(NamError::Letters);
        };
        if !prefix.iter().all(u8::is_ascii_uppercase) {
            return Err(NamError::Letters);
        }
        if !(1900..=2099).contains(&birth_date.year()) {
            return Err(NamError::Date);
        }
        let Some(admin) = u8::try_from(admin)
            .ok()
            .filter(|&b| is_administrative_character(b))
        else {
            return Err(NamError::AdministrativeCharacter);
        };
        let digit = check_digit(prefix, birth_date, sex, admin);
        let coded_month = birth_date.month() + if sex == Sex::Female { 50 } else { 0 };
        let text = format!(
            "{}{:02}{:02}{:02}{}{}",
            std::str::from_utf8(&prefix).unwrap_or_default(),
            birth_date.year() % 100,
            coded_month,
            birth_date.day(),
            char::from(admin),
            digit
        );
        Ok(Nam {
            text,
            birth_date,
            sex,
        })
    }

    /// The 12 characters, upper-case, no spaces (the wire and storage form).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The NAM grouped as on the card: `TREM 0412 1925`.
    pub fn formatted(&self) -> String {
        format!(
            "{} {} {}",
            &self.text[..4],
            &self.text[4..8],
            &self.text[8..]
        )
    }

    /// Birth date decoded from characters 5–10, century chosen by the check digit.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Sex decoded from the month (women: month + 50).
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// The 4-letter name part (characters 1–4).
    pub fn prefix(&self) -> &str {
        &self.text[..4]
    }

    /// Whether characters 1–4 equal [`name_prefix`] of these names. A mismatch is only a
    /// warning: names change (marriage, legal change) and cards are issued with the old one.
    pub fn matches_name(&self, surname: &str, first_name: &str) -> bool {
        self.prefix().as_bytes() == prefix_bytes(surname, first_name)
    }
}

impl fmt::Debug for Nam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nam(<redacted>)")
    }
}

impl TryFrom<String> for Nam {
    type Error = NamError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Nam::parse(&value)
    }
}

impl From<Nam> for String {
    fn from(nam: Nam) -> String {
        nam.text
    }
}

impl Serialize for Nam {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Nam {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Nam::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// The 4-letter NAM prefix for a person: the first three letters of the surname and the first
/// letter of the first name, upper-case, accents stripped, non-letters dropped, `X`-padded
/// (`Roy`, `Marc` → `ROYM`; `Li`, `` → `LIXX`). A leading `Saint`/`Sainte` (or `St`/`Ste`) word
/// followed by more of the surname becomes `ST` (`Saint-Pierre` → `STP`, `Ste-Marie` → `STM`).
pub fn name_prefix(surname: &str, first_name: &str) -> String {
    prefix_bytes(surname, first_name)
        .iter()
        .map(|&b| char::from(b))
        .collect()
}

/// [`name_prefix`] without allocating: it is checked once per claim in a batch.
fn prefix_bytes(surname: &str, first_name: &str) -> [u8; 4] {
    let mut prefix = [b'X'; 4];
    for (slot, letter) in prefix[..3].iter_mut().zip(surname_letters(surname)) {
        *slot = letter;
    }
    if let Some(initial) = fold_upper(first_name).find(char::is_ascii_uppercase) {
        prefix[3] = initial as u8;
    }
    prefix
}

/// The surname's letters as the prefix reads them: the runs of A–Z once folded, with a leading
/// saint word shortened to `ST` when more of the surname follows. Only the first three are
/// read, so the first word is kept only as far as the longest saint word and one more letter.
fn surname_letters(surname: &str) -> impl Iterator<Item = u8> + '_ {
    const SAINT_WORDS: [&[u8]; 4] = [b"SAINT", b"SAINTE", b"ST", b"STE"];
    let mut folded = fold_upper(surname).peekable();
    while folded.next_if(|c| !c.is_ascii_uppercase()).is_some() {}
    let mut first = [0u8; 7];
    let mut first_len = 0;
    while let Some(c) = folded.next_if(char::is_ascii_uppercase) {
        if let Some(slot) = first.get_mut(first_len) {
            *slot = c as u8;
        }
        first_len += 1;
    }
    let mut rest = folded
        .filter(char::is_ascii_uppercase)
        .map(|c| c as u8)
        .peekable();
    let kept = first_len.min(first.len());
    let is_saint = first_len < first.len() && SAINT_WORDS.contains(&&first[..kept]);
    let (head, head_len) = if is_saint && rest.peek().is_some() {
        (*b"ST\0\0\0\0\0", 2)
    } else {
        (first, kept)
    };
    head.into_iter().take(head_len).chain(rest)
}

/// The value of two ASCII digits the caller checked.
fn two_digits(tens: u8, units: u8) -> u32 {
    u32::from(tens - b'0') * 10 + u32::from(units - b'0')
}

fn is_administrative_character(c: u8) -> bool {
    matches!(c, b'1'..=b'9') || (c.is_ascii_uppercase() && c != b'I' && c != b'O')
}

/// EBCDIC code page 037 byte of an upper-case ASCII letter or digit.
fn ebcdic(c: u8) -> u32 {
    u32::from(match c {
        b'0'..=b'9' => 0xF0 + (c - b'0'),
        b'A'..=b'I' => 0xC1 + (c - b'A'),
        b'J'..=b'R' => 0xD1 + (c - b'J'),
        b'S'..=b'Z' => 0xE2 + (c - b'S'),
        // Callers only pass validated characters.
        _ => 0,
    })
}

/// The check digit of the 14 characters `NOMI` + year + `M`/`F` + real month + day + character
/// 11 (see the module documentation).
fn check_digit(prefix: [u8; 4], birth_date: NaiveDate, sex: Sex, admin: u8) -> u32 {
    let digit = |value: u32, place: u32| b'0' + (value / place % 10) as u8;
    let year = birth_date.year().unsigned_abs();
    let (month, day) = (birth_date.month(), birth_date.day());
    let characters: [u8; 14] = [
        prefix[0],
        prefix[1],
        prefix[2],
        prefix[3],
        digit(year, 1000),
        digit(year, 100),
        digit(year, 10),
        digit(year, 1),
        sex.code() as u8,
        digit(month, 10),
        digit(month, 1),
        digit(day, 10),
        digit(day, 1),
        admin,
    ];
    let sum: u32 = characters
        .iter()
        .zip(WEIGHTS)
        .map(|(&c, w)| ebcdic(c) * w)
        .sum();
    sum % 10
}

#[cfg(test)]
mod tests;
