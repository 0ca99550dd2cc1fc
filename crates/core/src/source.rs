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
    /// Opsgenie's alert and incident APIs (US or EU host). Atlassian ends Opsgenie's support on
    /// 2027-04-05; a source of this kind keeps what it synced after that date.
    Opsgenie,
    /// incident.io's API v2.
    IncidentIo,
    /// Grafana OnCall (Grafana Cloud IRM) alert groups.
    Grafana,
    /// One page of Atlassian Statuspage.
    Statuspage,
    /// Prometheus Alertmanager: its alert list, polled, and its webhook, received.
    Alertmanager,
    /// Incidents imported from a CSV or JSON file.
    File,
}

impl SourceKind {
    /// Every kind, in the order the CLI and the window list them.
    pub const ALL: [SourceKind; 8] = [
        SourceKind::Demo,
        SourceKind::PagerDuty,
        SourceKind::Opsgenie,
        SourceKind::IncidentIo,
        SourceKind::Grafana,
        SourceKind::Statuspage,
        SourceKind::Alertmanager,
        SourceKind::File,
    ];
}

impl SourceKind {
    /// The stable lower-case name used in the database, the CLI and environment variables.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Demo => "demo",
            SourceKind::PagerDuty => "pagerduty",
            SourceKind::Opsgenie => "opsgenie",
            SourceKind::IncidentIo => "incidentio",
            SourceKind::Grafana => "grafana",
            SourceKind::Statuspage => "statuspage",
            SourceKind::Alertmanager => "alertmanager",
            SourceKind::File => "file",
        }
    }

    /// The name a person reads.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Demo => "Demo workspace",
            SourceKind::PagerDuty => "PagerDuty",
            SourceKind::Opsgenie => "Opsgenie",
            SourceKind::IncidentIo => "incident.io",
            SourceKind::Grafana => "Grafana OnCall",
            SourceKind::Statuspage => "Statuspage",
            SourceKind::Alertmanager => "Prometheus Alertmanager",
            SourceKind::File => "File import",
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
#[error(
    "unknown source kind `{0}`: expected one of demo, pagerduty, opsgenie, incidentio, grafana, \
     statuspage, alertmanager, file"
)]
pub struct UnknownSourceKind(pub String);

impl FromStr for SourceKind {
    type Err = UnknownSourceKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        SourceKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == lower)
            .ok_or_else(|| UnknownSourceKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_stable_name_in_any_case() {
        for kind in SourceKind::ALL {
            assert_eq!(kind.as_str().parse::<SourceKind>().unwrap(), kind);
            assert_eq!(
                kind.as_str().to_uppercase().parse::<SourceKind>().unwrap(),
                kind
            );
        }
        assert!("jira".parse::<SourceKind>().is_err());
    }

    #[test]
    fn the_serde_name_is_the_stable_name() {
        for kind in SourceKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }
}
