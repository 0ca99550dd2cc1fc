//! Alert rules: what kind of change a rule listens for, and which incidents it cares about.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::subject::IncidentSnapshot;
use crate::ids::SourceId;
use crate::incident::Urgency;

/// A rule's id. Rules are records the user creates (UUIDv7, made by the engine), so the inbox
/// can keep naming the rule that raised an alert after the rule is renamed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AlertRuleId(pub Uuid);

impl fmt::Display for AlertRuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for AlertRuleId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(AlertRuleId)
    }
}

/// What a rule listens for. The first three react to a change a sync brought; the last two are
/// about time passing, so they are also checked on a timer between syncs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleKind {
    /// An open incident Vigil has not seen before.
    NewIncident,
    /// An open incident's urgency rose (low to high) or it moved up an escalation level.
    Escalation,
    /// A resolved incident was triggered again.
    Reopened,
    /// An incident stayed triggered, with nobody on it, for more than `minutes`.
    Unacknowledged {
        /// How long it may wait.
        minutes: u32,
    },
    /// A source's syncs have failed, with no success in between, for more than `minutes`:
    /// Vigil is blind to that source, which is itself worth an alert.
    SyncFailing {
        /// How long the failures may last.
        minutes: u32,
    },
}

impl RuleKind {
    /// The stable name used in the database, the CLI and the inbox.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::NewIncident => "new_incident",
            RuleKind::Escalation => "escalation",
            RuleKind::Reopened => "reopened",
            RuleKind::Unacknowledged { .. } => "unacknowledged",
            RuleKind::SyncFailing { .. } => "sync_failing",
        }
    }

    /// The threshold of the time-based kinds.
    pub fn minutes(self) -> Option<u32> {
        match self {
            RuleKind::Unacknowledged { minutes } | RuleKind::SyncFailing { minutes } => {
                Some(minutes)
            }
            _ => None,
        }
    }

    /// Rebuilds a kind from its stable name and threshold, as stored; `None` when the name is
    /// unknown or a time-based kind has no threshold.
    pub fn from_parts(name: &str, minutes: Option<u32>) -> Option<Self> {
        match (name, minutes) {
            ("new_incident", _) => Some(RuleKind::NewIncident),
            ("escalation", _) => Some(RuleKind::Escalation),
            ("reopened", _) => Some(RuleKind::Reopened),
            ("unacknowledged", Some(minutes)) => Some(RuleKind::Unacknowledged { minutes }),
            ("sync_failing", Some(minutes)) => Some(RuleKind::SyncFailing { minutes }),
            _ => None,
        }
    }

    /// Whether the kind is about a source rather than an incident.
    pub fn is_about_sources(self) -> bool {
        matches!(self, RuleKind::SyncFailing { .. })
    }
}

/// Which incidents a rule cares about. Each list narrows the rule; an empty list does not
/// filter on that field. Names compare without regard to case or surrounding spaces, because
/// vendors are not consistent about either.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertFilter {
    /// Only incidents (or, for sync alerts, sources) of these sources.
    pub sources: Vec<SourceId>,
    /// Only incidents of these services.
    pub services: Vec<String>,
    /// Only incidents owned by these teams.
    pub teams: Vec<String>,
    /// Only incidents of these normalised urgencies.
    pub urgencies: Vec<Urgency>,
    /// Only incidents whose vendor urgency or severity word is one of these ("SEV1", "P1").
    pub severities: Vec<String>,
}

impl AlertFilter {
    /// Whether the filter lets an incident through.
    pub fn admits_incident(&self, incident: &IncidentSnapshot) -> bool {
        self.admits_source(incident.source_id)
            && names_admit(&self.services, incident.service.as_deref())
            && names_admit(&self.teams, incident.team.as_deref())
            && (self.urgencies.is_empty() || self.urgencies.contains(&incident.urgency))
            && names_admit(&self.severities, incident.severity.as_deref())
    }

    /// Whether the filter lets a source through. Sync alerts have no service, team or urgency,
    /// so only the source list applies to them.
    pub fn admits_source(&self, source: SourceId) -> bool {
        self.sources.is_empty() || self.sources.contains(&source)
    }
}

fn names_admit(wanted: &[String], value: Option<&str>) -> bool {
    if wanted.is_empty() {
        return true;
    }
    let Some(value) = value.map(str::trim) else {
        return false;
    };
    wanted.iter().any(|w| w.trim().eq_ignore_ascii_case(value))
}

/// One alert rule as the user configured it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertRule {
    /// Its id.
    pub id: AlertRuleId,
    /// The user's name for it, shown in the inbox beside every alert it raised.
    pub name: String,
    /// What it listens for.
    pub kind: RuleKind,
    /// Which incidents or sources it cares about.
    pub filter: AlertFilter,
    /// Whether its alerts pop up through quiet hours and do-not-disturb: for the few things
    /// that must wake someone (a high-urgency page in a team's own service).
    pub breaks_through_quiet: bool,
    /// A disabled rule raises nothing; it is kept so it can be switched back on.
    pub enabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_stored_parts() {
        let kinds = [
            RuleKind::NewIncident,
            RuleKind::Escalation,
            RuleKind::Reopened,
            RuleKind::Unacknowledged { minutes: 15 },
            RuleKind::SyncFailing { minutes: 30 },
        ];
        for kind in kinds {
            assert_eq!(
                RuleKind::from_parts(kind.as_str(), kind.minutes()),
                Some(kind)
            );
        }
        assert_eq!(RuleKind::from_parts("unacknowledged", None), None);
        assert_eq!(RuleKind::from_parts("resolved", None), None);
    }

    #[test]
    fn a_filter_of_names_ignores_case_and_spaces_and_refuses_a_missing_name() {
        let wanted = vec![" Payments ".to_owned()];
        assert!(names_admit(&wanted, Some("payments")));
        assert!(!names_admit(&wanted, Some("checkout")));
        assert!(!names_admit(&wanted, None));
        assert!(names_admit(&[], None));
    }
}
