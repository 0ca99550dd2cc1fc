//! The kinds of platform Vigil syncs incidents from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a configured source talks to. Each kind has one connector in the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The generated demo workspace: seeded into an empty database, removable like any source.
    Demo,
    /// PagerDuty's REST API v2.
    PagerDuty,
}

impl SourceKind {
    /// The stable lower-case name used in the database, the CLI and environment variables.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Demo => "demo",
            SourceKind::PagerDuty => "pagerduty",
        }
    }

    /// The name a person reads.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Demo => "Demo workspace",
            SourceKind::PagerDuty => "PagerDuty",
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A source kind name that Vigil does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown source kind `{0}`: expected one of demo, pagerduty")]
pub struct UnknownSourceKind(pub String);

impl FromStr for SourceKind {
    type Err = UnknownSourceKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "demo" => Ok(SourceKind::Demo),
            "pagerduty" => Ok(SourceKind::PagerDuty),
            _ => Err(UnknownSourceKind(s.to_owned())),
        }
    }
}
