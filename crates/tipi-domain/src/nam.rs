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
        let text: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if text.chars().count() != NAM_LEN {
            return Err(NamError::Length);
        }
        // From here the text has 12 chars; non-ASCII ones fail the class checks below.
        let chars: Vec<char> = text.chars().collect();
        if !chars[..4].iter().all(|c| c.is_ascii_uppercase()) {
            return Err(NamError::Letters);
        }
        if !chars[4..10].iter().all(|c| c.is_ascii_digit()) {
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
        let Some(given) = chars[11].to_digit(10) else {
            return Err(NamError::CheckDigit);
        };
        let prefix = [chars[0], chars[1], chars[2], chars[3]];
        let mut any_real_date = false;
        for century in [2000, 1900] {
            let year = century + yy as i32;
            let Some(birth_date) = NaiveDate::from_ymd_opt(year, month, day) else {
                continue;
            };
            any_real_date = true;
            if check_digit(prefix, birth_date, sex, admin) == given {
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
        let p: Vec<char> = prefix.chars().collect();
        if p.len() != 4 || !p.iter().all(|c| c.is_ascii_uppercase()) {
            return Err(NamError::Letters);
        }
        if !(1900..=2099).contains(&birth_date.year()) {
            return Err(NamError::Date);
        }
        if !is_administrative_character(admin) {
            return Err(NamError::AdministrativeCharacter);
        }
        let prefix = [p[0], p[1], p[2], p[3]];
        let digit = check_digit(prefix, birth_date, sex, admin);
        let coded_month = birth_date.month() + if sex == Sex::Female { 50 } else { 0 };
        let text = format!(
            "{}{:02}{:02}{:02}{}{}",
            prefix.iter().collect::<String>(),
            birth_date.year() % 100,
            coded_month,
            birth_date.day(),
            admin,
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
        self.prefix() == name_prefix(surname, first_name)
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
    let surname_letters = surname_letters(surname);
    let mut prefix: String = surname_letters.chars().take(3).collect();
    while prefix.len() < 3 {
        prefix.push('X');
    }
    let initial = fold_upper(first_name)
        .chars()
        .find(|c| c.is_ascii_uppercase())
        .unwrap_or('X');
    prefix.push(initial);
    prefix
}

fn surname_letters(surname: &str) -> String {
    let folded = fold_upper(surname);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_uppercase())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut out = String::new();
    for (i, word) in words.iter().enumerate() {
        let is_saint = matches!(word.as_str(), "SAINT" | "SAINTE" | "ST" | "STE");
        if i == 0 && is_saint && words.len() > 1 {
            out.push_str("ST");
        } else {
            out.push_str(word);
        }
    }
    out
}

fn two_digits(tens: char, units: char) -> u32 {
    tens.to_digit(10).unwrap_or(0) * 10 + units.to_digit(10).unwrap_or(0)
}

fn is_administrative_character(c: char) -> bool {
    matches!(c, '1'..='9') || (c.is_ascii_uppercase() && c != 'I' && c != 'O')
}

/// EBCDIC code page 037 byte of an upper-case ASCII letter or digit.
fn ebcdic(c: char) -> u32 {
    match c {
        '0'..='9' => 0xF0 + (c as u32 - '0' as u32),
        'A'..='I' => 0xC1 + (c as u32 - 'A' as u32),
        'J'..='R' => 0xD1 + (c as u32 - 'J' as u32),
        'S'..='Z' => 0xE2 + (c as u32 - 'S' as u32),
        // Callers only pass validated characters.
        _ => 0,
    }
}

fn check_digit(prefix: [char; 4], birth_date: NaiveDate, sex: Sex, admin: char) -> u32 {
    let mid = format!(
        "{:04}{}{:02}{:02}",
        birth_date.year(),
        sex.code(),
        birth_date.month(),
        birth_date.day()
    );
    let sum: u32 = prefix
        .iter()
        .copied()
        .chain(mid.chars())
        .chain(std::iter::once(admin))
        .zip(WEIGHTS)
        .map(|(c, w)| ebcdic(c) * w)
        .sum();
    sum % 10
}

#[cfg(test)]
mod tests;
