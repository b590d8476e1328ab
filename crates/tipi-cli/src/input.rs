//! Reading what the user types: passwords (never echoed, never arguments) and yes/no answers.

use std::io::{BufRead, Write};

use tipi_core::Sensitive;

use crate::exit::Failure;

/// Where passwords come from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input {
    /// One per line on stdin instead of a prompt.
    pub(crate) password_stdin: bool,
}

fn read_line() -> Result<String, Failure> {
    let mut line = String::new();
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::Usage(format!("cannot read stdin: {e}")))?;
    if read == 0 {
        return Err(Failure::Usage(
            "stdin ended before every answer was given".into(),
        ));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

impl Input {
    /// A password, from the prompt (not echoed) or the next stdin line.
    pub(crate) fn password(&self, prompt: &str) -> Result<Sensitive<String>, Failure> {
        let value = if self.password_stdin {
            read_line()?
        } else {
            rpassword::prompt_password(format!("{prompt}: "))
                .map_err(|e| Failure::Usage(format!("cannot read the password: {e}")))?
        };
        Ok(Sensitive::new(value))
    }

    /// A visible value (identifier), from the prompt or the next stdin line.
    pub(crate) fn text(&self, prompt: &str) -> Result<String, Failure> {
        if !self.password_stdin {
            eprint!("{prompt}: ");
            let _ = std::io::stderr().flush();
        }
        read_line()
    }

    /// A yes/no question; yes is `o`, `oui`, `y` or `yes`.
    pub(crate) fn confirm(&self, question: &str) -> Result<bool, Failure> {
        eprint!("{question} [o/N] ");
        let _ = std::io::stderr().flush();
        let answer = read_line()?.trim().to_lowercase();
        Ok(matches!(answer.as_str(), "o" | "oui" | "y" | "yes"))
    }
}
