//! The command line's arguments.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use tipi_core::Lang;

const AFTER_HELP: &str = "\
Where TIP-I is:
  --sandbox-dir DIR           start an embedded sandbox (a model of RAMQ's test environment)
                              on loopback, its state kept in DIR
  TIPI_SANDBOX_URL + TIPI_CA_CERT
                              a running sandbox (tipi-sandbox prints both)
  TIPI_ENV=production + TIPI_URL
                              RAMQ's TIP-I (system certificates only)
Without any, commands that do not need TIP-I still work (status, claims, batch build,
calendar from the cache, journal, nam check).

Passwords are never arguments: they are asked at a prompt (not echoed), or read one per line
from stdin with --password-stdin. They are kept in the system keychain, never in files.
The local database is encrypted (SQLCipher) under a key kept in the same keychain. Backup
passphrases are asked the same way (`backup create` asks twice).

Claims are JSON, as tipi_domain::claim::Claim, e.g.
  {\"external_id\":\"F-1\",\"professional\":\"123456\",\"place\":\"99999\",
   \"patient\":{\"kind\":\"with_nam\",\"nam\":\"TREJ85531510\",\"surname\":\"Tremblay\",
   \"first_name\":\"Julie\"},\"remuneration\":\"RFP\",\"clientele\":\"physicians\",
   \"late_allowed\":false,\"lines\":[{\"billing_code\":\"00001\",\"service_date\":\"2026-03-09\",
   \"role\":\"1\",\"units\":1,\"amount\":\"45.00\"}]}
`claims import` reads a JSON array or one claim per line.

Exit codes:
  0 done                      5 TIP-I is closed (the message says when it reopens)
  1 unexpected (database...)  6 TIP-I unreachable or connection lost (run again: Tipi checks
  2 usage or configuration      before sending anything twice)
  3 invalid data              7 refused by TIP-I
  4 authentication            8 nothing to do
Errors print `tipi: <Code>: <message>` on stderr; <Code> is stable (Validation,
PasswordExpired, AccountSuspended, OutsideServiceWindow, InvalidCredentials, NotEnrolled...).

Examples:
  tipi --sandbox-dir ~/.tipi-sandbox enrol --transmission 12345 --blast-id U123d
  tipi claims import claims.jsonl && tipi batch build --dry-run && tipi batch build
  tipi batch send && tipi sync
  printf 'old\\nNew12345\\nNew12345\\n' | tipi password --ask-current --password-stdin
  tipi backup create ~/tipi.backup && tipi backup restore ~/tipi.backup";

/// Tipi on the command line: RAMQ billing through TIP-I.
#[derive(Debug, Parser)]
#[command(name = "tipi", version, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    /// `sandbox` (default) or `production`.
    #[arg(
        long = "env",
        global = true,
        env = "TIPI_ENV",
        default_value = "sandbox"
    )]
    pub(crate) environment: String,
    /// The data directory (default: the platform's, e.g. ~/.local/share/tipi).
    #[arg(long, global = true, env = "TIPI_DATA_DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// RAMQ's TIP-I address (production).
    #[arg(long, global = true, env = "TIPI_URL")]
    pub(crate) url: Option<String>,
    /// A running sandbox's address.
    #[arg(long, global = true, env = "TIPI_SANDBOX_URL")]
    pub(crate) sandbox_url: Option<String>,
    /// The sandbox's CA certificate (PEM file).
    #[arg(long, global = true, env = "TIPI_CA_CERT")]
    pub(crate) ca_cert: Option<PathBuf>,
    /// Start an embedded sandbox keeping its state in this directory.
    #[arg(long, global = true, env = "TIPI_SANDBOX_DIR")]
    pub(crate) sandbox_dir: Option<PathBuf>,
    /// Language of messages: `fr` (default) or `en`.
    #[arg(long, global = true, env = "TIPI_LANG", default_value = "fr")]
    pub(crate) lang: LangArg,
    /// Read passwords from stdin, one per line, instead of a prompt.
    #[arg(long, global = true)]
    pub(crate) password_stdin: bool,
    /// Pretend it is this instant (sandbox only; support and tests).
    #[arg(long, global = true, env = "TIPI_NOW", hide = true)]
    pub(crate) now: Option<DateTime<Utc>>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

impl Cli {
    pub(crate) fn lang(&self) -> Lang {
        match self.lang {
            LangArg::Fr => Lang::Fr,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum LangArg {
    Fr,
    En,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Self-enrol a former BLAST agency to TIP-I (the five steps) and choose the password.
    Enrol {
        /// The 5-digit transmission number (No agence).
        #[arg(long)]
        transmission: Option<String>,
        /// The 5-character BLAST identifier.
        #[arg(long)]
        blast_id: Option<String>,
        /// Answer "Continuer" and "J'accepte" without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Sign in with a TIP-I identifier (e.g. AGP12345) and password handed over by RAMQ.
    Login {
        /// The TIP-I identifier.
        tipi_id: String,
    },
    /// Forget the stored password.
    Logout,
    /// Change the TIP-I password (also when expired or temporary).
    Password {
        /// Ask the current password instead of using the stored one.
        #[arg(long)]
        ask_current: bool,
    },
    /// Claims (demandes de paiement).
    #[command(subcommand)]
    Claims(ClaimsCommand),
    /// Batches (lots).
    #[command(subcommand)]
    Batch(BatchCommand),
    /// Send one Ready RFP claim en direct (by external invoice number or id).
    Direct {
        /// The claim.
        claim: String,
    },
    /// Read the journal, status, receivability returns and statements from TIP-I.
    Sync,
    /// The local copy of the exchange journal, newest first.
    Journal {
        /// How many exchanges.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// The billing calendar (from the cache; --refresh fetches it first).
    Calendar {
        /// Fetch it from TIP-I first.
        #[arg(long)]
        refresh: bool,
        /// The day to ask about (default today).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// The agency, password, status, claims and outbox at a glance (offline).
    Status,
    /// Reminders due now and not delivered yet (offline; --mark records them delivered).
    Reminders {
        /// Record them as delivered.
        #[arg(long)]
        mark: bool,
    },
    /// NAM tools.
    #[command(subcommand)]
    Nam(NamCommand),
    /// Encrypted backups of the local state (claims, journal, settings; never the TIP-I
    /// password nor the database key).
    #[command(subcommand)]
    Backup(BackupCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum BackupCommand {
    /// Write an encrypted copy of the local state to FILE (passphrase asked twice).
    Create {
        /// The backup file (replaced if present).
        file: PathBuf,
    },
    /// Replace the local state with the backup in FILE, under a new database key (also the
    /// way back after the keychain lost the key). Close the app first.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ClaimsCommand {
    /// Add one claim (JSON from FILE or stdin) and mark it Ready when valid.
    Add {
        /// The JSON file (stdin when absent).
        file: Option<PathBuf>,
        /// Keep it as a draft.
        #[arg(long)]
        draft: bool,
    },
    /// Add many claims (a JSON array or one claim per line) and mark the valid ones Ready.
    Import {
        /// The file (stdin when absent).
        file: Option<PathBuf>,
    },
    /// List claims (external id, state, first service date, total, RAMQ number; no patient).
    List {
        /// Only this state: draft, ready, queued, sent, receivable, refused, paid.
        #[arg(long)]
        state: Option<String>,
    },
    /// One claim's problems, history and RAMQ's answers.
    Show {
        /// External invoice number or id.
        claim: String,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum BatchCommand {
    /// Build a batch of every Ready claim (next attestation number) into the outbox.
    Build {
        /// Validate, number and serialise only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Send the queued batches (when TIP-I is open).
    Send,
    /// Put the claims sent during the test period in a new batch (after going live).
    ResendTestPeriod,
}

#[derive(Debug, Subcommand)]
pub(crate) enum NamCommand {
    /// Check a NAM (format, birth date, check digit) offline.
    Check {
        /// The NAM (spaces allowed).
        nam: String,
    },
}
