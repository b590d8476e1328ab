//! The sandbox's controllable clock: real time plus an offset, or frozen at an instant.
//! Tests travel in time through the admin API or [`crate::SandboxHandle::set_clock`].

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use tipi_protocol::admin::{ClockCommand, ClockState};

/// Where the clock stands: persisted so a restarted sandbox keeps its time travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ClockSetting {
    /// Added to the real time when running.
    pub(crate) offset: Duration,
    /// When set, the clock is stopped at this instant.
    pub(crate) frozen: Option<DateTime<Utc>>,
}

impl ClockSetting {
    /// Text form for the settings table: `frozen:<rfc3339>` or `offset:<seconds>`.
    pub(crate) fn encode(&self) -> String {
        match self.frozen {
            Some(at) => format!("frozen:{}", at.to_rfc3339()),
            None => format!("offset:{}", self.offset.num_milliseconds()),
        }
    }

    /// Reads [`ClockSetting::encode`]'s form; anything else is the real time.
    pub(crate) fn decode(text: &str) -> Self {
        if let Some(at) = text.strip_prefix("frozen:") {
            if let Ok(at) = DateTime::parse_from_rfc3339(at) {
                return Self {
                    offset: Duration::zero(),
                    frozen: Some(at.with_timezone(&Utc)),
                };
            }
        }
        if let Some(millis) = text.strip_prefix("offset:") {
            if let Ok(millis) = millis.parse::<i64>() {
                return Self {
                    offset: Duration::milliseconds(millis),
                    frozen: None,
                };
            }
        }
        Self::default()
    }
}

/// The clock every sandbox rule reads "now" from.
#[derive(Debug, Default)]
pub(crate) struct SandboxClock {
    setting: Mutex<ClockSetting>,
}

impl SandboxClock {
    pub(crate) fn new(setting: ClockSetting) -> Self {
        Self {
            setting: Mutex::new(setting),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockSetting> {
        // A poisoned clock still holds a valid setting.
        self.setting.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The sandbox's now.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        let setting = *self.lock();
        setting
            .frozen
            .unwrap_or_else(|| Utc::now() + setting.offset)
    }

    pub(crate) fn state(&self) -> ClockState {
        ClockState {
            now: self.now(),
            frozen: self.lock().frozen.is_some(),
        }
    }

    /// Applies a command and returns the new setting (to persist).
    pub(crate) fn apply(&self, command: &ClockCommand) -> ClockSetting {
        let mut setting = self.lock();
        match command {
            ClockCommand::Freeze { at } => {
                setting.frozen = Some(*at);
                setting.offset = Duration::zero();
            }
            ClockCommand::Set { at } => {
                setting.frozen = None;
                setting.offset = *at - Utc::now();
            }
            ClockCommand::Advance { seconds } => {
                let step = Duration::seconds(*seconds);
                match setting.frozen.as_mut() {
                    Some(at) => *at += step,
                    None => setting.offset += step,
                }
            }
            ClockCommand::Real => *setting = ClockSetting::default(),
        }
        *setting
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_frozen_clock_stays_put_and_advances_on_command() {
        let clock = SandboxClock::default();
        clock.apply(&ClockCommand::Freeze {
            at: at("2026-03-10T14:00:00Z"),
        });
        assert_eq!(clock.now(), at("2026-03-10T14:00:00Z"));
        clock.apply(&ClockCommand::Advance { seconds: 3600 });
        assert_eq!(clock.now(), at("2026-03-10T15:00:00Z"));
        assert!(clock.state().frozen);
    }

    #[test]
    fn a_set_clock_runs_from_the_instant() {
        let clock = SandboxClock::default();
        clock.apply(&ClockCommand::Set {
            at: at("2030-01-07T14:00:00Z"),
        });
        let now = clock.now();
        assert!(now >= at("2030-01-07T13:59:59Z") && now < at("2030-01-07T14:01:00Z"));
        assert!(!clock.state().frozen);
    }

    #[test]
    fn settings_survive_their_text_form() {
        let frozen = ClockSetting {
            offset: Duration::zero(),
            frozen: Some(at("2026-03-10T14:00:00Z")),
        };
        assert_eq!(ClockSetting::decode(&frozen.encode()), frozen);
        let offset = ClockSetting {
            offset: Duration::seconds(-86_400),
            frozen: None,
        };
        assert_eq!(ClockSetting::decode(&offset.encode()), offset);
        assert_eq!(ClockSetting::decode("garbage"), ClockSetting::default());
    }
}
