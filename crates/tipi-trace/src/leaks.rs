//! The leak scan: searches files for the test secrets (`test-secrets.txt`, the one list the
//! tests and `cargo xtask test` share) and reports every hit. Zero hits is the requirement.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The list, one `password <value>` or `nam <value>` a line.
const TEST_SECRETS: &str = include_str!("../test-secrets.txt");

/// What a secret is, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A password or passphrase.
    Password,
    /// A health insurance number.
    Nam,
    /// Text that only ever stands next to a secret (`PRAGMA key`, followed by the database
    /// key, which changes every run).
    Marker,
}

/// One secret and the byte strings that betray it.
#[derive(Debug, Clone)]
pub struct Secret {
    /// Its kind.
    pub kind: Kind,
    /// The value, as the tests use it.
    pub value: String,
    /// Lower-cased forms searched for: the value, and for a password its base64 forms.
    patterns: Vec<Vec<u8>>,
}

impl Secret {
    /// A secret searched for as itself (any case) and, for a password, as the base64 it
    /// becomes inside a longer encoded string (a Basic header), whatever its alignment.
    pub fn new(kind: Kind, value: &str) -> Self {
        let mut patterns = vec![value.as_bytes().to_ascii_lowercase()];
        if kind == Kind::Password {
            patterns.extend(
                base64_forms(value.as_bytes())
                    .into_iter()
                    .map(|form| form.to_ascii_lowercase()),
            );
        }
        patterns.retain(|p| p.len() >= MIN_PATTERN);
        Self {
            kind,
            value: value.to_owned(),
            patterns,
        }
    }
}

/// Patterns shorter than this would match by chance in binary files.
const MIN_PATTERN: usize = 6;

/// The secrets of `test-secrets.txt`.
pub fn test_secrets() -> Vec<Secret> {
    parse_list(TEST_SECRETS)
}

fn parse_list(text: &str) -> Vec<Secret> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once(' ') {
            Some(("password", value)) => Secret::new(Kind::Password, value),
            Some(("nam", value)) => Secret::new(Kind::Nam, value),
            Some(("marker", value)) => Secret::new(Kind::Marker, value),
            _ => panic!("test-secrets.txt: `{line}` is not `password|nam|marker <value>`"),
        })
        .collect()
}

/// One secret found in one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The file (or label) it was found in.
    pub place: String,
    /// The byte offset.
    pub offset: usize,
    /// The secret's kind.
    pub kind: Kind,
    /// The secret (a test value: safe to print).
    pub value: String,
}

impl fmt::Display for Hit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {:?} {:?}",
            self.place, self.offset, self.kind, self.value
        )
    }
}

/// What a scan looked at and found.
#[derive(Debug, Default)]
pub struct Report {
    /// Files read.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Every hit.
    pub hits: Vec<Hit>,
}

/// Searches for many secrets in one pass: a table of every pattern's first four bytes.
pub struct Scanner {
    secrets: Vec<Secret>,
    /// First four bytes → (secret, pattern) indices.
    by_prefix: HashMap<[u8; 4], Vec<(usize, usize)>>,
    /// Whether any pattern starts with these two bytes (a cheap first filter).
    first_two: Vec<bool>,
}

impl Scanner {
    /// A scanner for `secrets`.
    pub fn new(secrets: Vec<Secret>) -> Self {
        let mut by_prefix: HashMap<[u8; 4], Vec<(usize, usize)>> = HashMap::new();
        let mut first_two = vec![false; 1 << 16];
        for (s, secret) in secrets.iter().enumerate() {
            for (p, pattern) in secret.patterns.iter().enumerate() {
                let prefix = [pattern[0], pattern[1], pattern[2], pattern[3]];
                by_prefix.entry(prefix).or_default().push((s, p));
                first_two[two(pattern[0], pattern[1])] = true;
            }
        }
        Self {
            secrets,
            by_prefix,
            first_two,
        }
    }

    /// Every hit in `bytes`, reported as found in `place`.
    pub fn scan_bytes(&self, place: &str, bytes: &[u8]) -> Vec<Hit> {
        let lower = bytes.to_ascii_lowercase();
        let mut hits = Vec::new();
        for at in 0..lower.len().saturating_sub(MIN_PATTERN - 1) {
            if !self.first_two[two(lower[at], lower[at + 1])] {
                continue;
            }
            let prefix = [lower[at], lower[at + 1], lower[at + 2], lower[at + 3]];
            let Some(candidates) = self.by_prefix.get(&prefix) else {
                continue;
            };
            for &(s, p) in candidates {
                let pattern = &self.secrets[s].patterns[p];
                if lower[at..].starts_with(pattern) {
                    hits.push(Hit {
                        place: place.to_owned(),
                        offset: at,
                        kind: self.secrets[s].kind,
                        value: self.secrets[s].value.clone(),
                    });
                }
            }
        }
        hits
    }

    /// Scans every file under each of `roots` (a root may be a file).
    pub fn scan_paths(&self, roots: &[PathBuf]) -> io::Result<Report> {
        let mut report = Report::default();
        for root in roots {
            for file in files_under(root)? {
                let bytes = std::fs::read(&file)?;
                report.files += 1;
                report.bytes += bytes.len() as u64;
                report
                    .hits
                    .extend(self.scan_bytes(&file.display().to_string(), &bytes));
            }
        }
        Ok(report)
    }
}

fn two(a: u8, b: u8) -> usize {
    (usize::from(a) << 8) | usize::from(b)
}

fn files_under(root: &Path) -> io::Result<Vec<PathBuf>> {
    let meta = std::fs::symlink_metadata(root)?;
    if meta.is_file() {
        return Ok(vec![root.to_owned()]);
    }
    let mut files = Vec::new();
    if meta.is_dir() {
        for entry in std::fs::read_dir(root)? {
            files.extend(files_under(&entry?.path())?);
        }
    }
    files.sort();
    Ok(files)
}

/// The base64 characters that encode `value` alone when it sits at each of the three byte
/// alignments inside longer data (the characters shared with neighbours are left out).
fn base64_forms(value: &[u8]) -> Vec<Vec<u8>> {
    (0..3)
        .map(|lead| {
            let mut data = vec![0u8; lead];
            data.extend_from_slice(value);
            let encoded = base64(&data);
            let start = (lead * 8).div_ceil(6);
            let end = (lead + value.len()) * 8 / 6;
            encoded[start..end.max(start)].to_vec()
        })
        .collect()
}

fn base64(data: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner() -> Scanner {
        Scanner::new(test_secrets())
    }

    #[test]
    fn the_list_has_passwords_and_nams() {
        let secrets = test_secrets();
        assert!(secrets.iter().any(|s| s.kind == Kind::Password));
        assert!(secrets.iter().any(|s| s.kind == Kind::Nam));
        assert!(secrets.iter().any(|s| s.kind == Kind::Marker));
        assert!(secrets.iter().all(|s| !s.patterns.is_empty()));
    }

    #[test]
    fn a_planted_password_and_nam_are_found_in_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("deep")).unwrap();
        std::fs::write(dir.path().join("clean.log"), "INFO sent 3 claims\n").unwrap();
        std::fs::write(
            dir.path().join("deep/leaky.log"),
            "TRACE login password=Cli2026a nam=trej85531510\n",
        )
        .unwrap();
        let report = scanner().scan_paths(&[dir.path().to_owned()]).unwrap();
        assert_eq!(report.files, 2);
        assert!(report.bytes > 40);
        let found: Vec<(Kind, &str)> = report
            .hits
            .iter()
            .map(|h| (h.kind, h.value.as_str()))
            .collect();
        assert_eq!(
            found,
            [(Kind::Password, "Cli2026a"), (Kind::Nam, "TREJ85531510")]
        );
        assert!(report.hits[0].place.ends_with("leaky.log"));
        assert_eq!(report.hits[0].offset, 21);
    }

    #[test]
    fn a_database_key_statement_is_found() {
        let line = br#"DEBUG sqlx::query: summary="PRAGMA key = 'x''4dd2''';""#;
        let hits = scanner().scan_bytes("log", line);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].kind, Kind::Marker);
    }

    #[test]
    fn a_password_in_a_basic_header_is_found_at_every_alignment() {
        for user in ["", "A", "AG", "AGP12345"] {
            let header = format!(
                "Basic {}",
                String::from_utf8(base64(format!("{user}:Tipi2026").as_bytes())).unwrap()
            );
            let hits = scanner().scan_bytes("header", header.as_bytes());
            assert!(
                hits.iter().any(|h| h.value == "Tipi2026"),
                "{header} hides the password"
            );
        }
    }

    #[test]
    fn clean_and_random_bytes_have_no_hits() {
        let mut bytes = Vec::new();
        let mut x: u64 = 0x1234_5678;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            bytes.push(x as u8);
        }
        bytes.extend_from_slice(b"claim F1-0 sent in batch 3; NAM ****1510");
        assert!(scanner().scan_bytes("random", &bytes).is_empty());
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b"AGP12345:Tipi2026"), b"QUdQMTIzNDU6VGlwaTIwMjY");
    }
}
