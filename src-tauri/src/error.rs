//! What the page receives when a command fails: a stable code it can branch on and a message
//! in the user's language. Internal detail is logged once, never shown.

use serde::Serialize;
use tipi_core::{CoreError, Lang};

/// `{code, message}` for the page.
#[derive(Debug, Serialize)]
pub(crate) struct CommandError {
    code: &'static str,
    message: String,
}

impl CommandError {
    pub(crate) fn new(code: &'static str, lang: Lang, fr: &str, en: &str) -> Self {
        Self {
            code,
            message: lang.pick(fr, en).to_owned(),
        }
    }

    pub(crate) fn core(error: CoreError, lang: Lang) -> Self {
        // CoreError's Display is English detail without personal data: fine for the log.
        tracing::warn!(code = error.code(), %error, "command failed");
        Self {
            code: error.code(),
            message: error.message(lang),
        }
    }
}

pub(crate) type CommandResult<T> = Result<T, CommandError>;
