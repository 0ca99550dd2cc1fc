//! An alert: one rule matched one incident or source at one moment. It carries the words of its
//! popup, so the inbox shows exactly what the popup said (or would have said).

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::rule::{AlertRule, AlertRuleId, RuleKind};
use super::subject::{IncidentSnapshot, SourceHealth};
use crate::ids::{IncidentId, SourceId};
use crate::incident::Urgency;

/// What an alert is about. One subject has at most one popup at a time, updated in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum AlertSubject {
    /// An incident.
    Incident(IncidentId),
    /// A source (its syncs).
    Source(SourceId),
}

impl AlertSubject {
    /// The incident, for alerts about one (the popup's "Open" action needs it).
    pub fn incident(self) -> Option<IncidentId> {
        match self {
            AlertSubject::Incident(id) => Some(id),
            AlertSubject::Source(_) => None,
        }
    }

    /// Parses [`AlertSubject`]'s `Display` form (`incident:<uuid>`, `source:<uuid>`).
    pub fn parse(text: &str) -> Option<Self> {
        let (kind, id) = text.split_once(':')?;
        match kind {
            "incident" => id.parse().ok().map(AlertSubject::Incident),
            "source" => id.parse().ok().map(AlertSubject::Source),
            _ => None,
        }
    }
}

impl fmt::Display for AlertSubject {
    /// The stable key used in the database.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlertSubject::Incident(id) => write!(f, "incident:{id}"),
            AlertSubject::Source(id) => write!(f, "source:{id}"),
        }
    }
}

/// How insistent a popup is; notification servers map it to their own levels (a critical one
/// typically stays until dismissed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PopupUrgency {
    /// A low-urgency incident.
    Low,
    /// A failing sync, or a summary of low-urgency alerts.
    Normal,
    /// A high-urgency incident, or a summary holding one.
    Critical,
}

impl PopupUrgency {
    /// The stable name used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PopupUrgency::Low => "low",
            PopupUrgency::Normal => "normal",
            PopupUrgency::Critical => "critical",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "low" => Some(PopupUrgency::Low),
            "normal" => Some(PopupUrgency::Normal),
            "critical" => Some(PopupUrgency::Critical),
            _ => None,
        }
    }

    fn of_incident(urgency: Urgency) -> Self {
        match urgency {
            Urgency::High => PopupUrgency::Critical,
            Urgency::Low => PopupUrgency::Low,
        }
    }
}

/// One alert, before anyone decided whether it pops up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// The rule that matched.
    pub rule_id: AlertRuleId,
    /// The rule's name at the time.
    pub rule_name: String,
    /// What the rule listens for.
    pub kind: RuleKind,
    /// What it is about.
    pub subject: AlertSubject,
    /// Which occurrence of the condition this is (the reopen count, the escalation level, the
    /// failure's start): the time-based rules fire once per occurrence.
    pub episode: i64,
    /// When it was raised.
    pub at: DateTime<Utc>,
    /// The popup's insistence.
    pub urgency: PopupUrgency,
    /// The popup's first line.
    pub summary: String,
    /// The popup's text: service, age and title, or the sync's error.
    pub body: String,
    /// The incident's service, for the burst summary ("12 new incidents in payments").
    pub service: Option<String>,
    /// Whether the rule breaks through quiet hours and do-not-disturb.
    pub breaks_through_quiet: bool,
}

impl Alert {
    /// An alert about an incident; `summary` is the kind's own first line.
    pub(crate) fn incident(
        rule: &AlertRule,
        incident: &IncidentSnapshot,
        episode: i64,
        summary: String,
        now: DateTime<Utc>,
    ) -> Self {
        let place = incident
            .service
            .as_deref()
            .or(incident.team.as_deref())
            .unwrap_or("no service");
        let body = format!(
            "{place} · opened {} ago · {}",
            describe_age(now - incident.created_at),
            incident.label()
        );
        Alert {
            rule_id: rule.id,
            rule_name: rule.name.clone(),
            kind: rule.kind,
            subject: AlertSubject::Incident(incident.id),
            episode,
            at: now,
            urgency: PopupUrgency::of_incident(incident.urgency),
            summary,
            body,
            service: incident.service.clone(),
            breaks_through_quiet: rule.breaks_through_quiet,
        }
    }

    /// An alert about a source whose syncs fail.
    pub(crate) fn source(
        rule: &AlertRule,
        source: &SourceHealth,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Self {
        let error = source.last_error.as_deref().unwrap_or("no error recorded");
        Alert {
            rule_id: rule.id,
            rule_name: rule.name.clone(),
            kind: rule.kind,
            subject: AlertSubject::Source(source.source_id),
            episode: since.timestamp(),
            at: now,
            urgency: PopupUrgency::Normal,
            summary: format!("Sync of {} failing", source.name),
            body: format!("No good sync for {} · {error}", describe_age(now - since)),
            service: None,
            breaks_through_quiet: rule.breaks_through_quiet,
        }
    }
}

/// A span of time as a person says it in a popup: "under a minute", "7 min", "2 h 5 min",
/// "3 d 4 h". Negative spans (a vendor clock ahead of ours) read as "under a minute".
pub fn describe_age(span: Duration) -> String {
    let minutes = span.num_minutes();
    if minutes < 1 {
        return "under a minute".into();
    }
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) if mins == 0 => format!("{hours} h"),
        (0, _) => format!("{hours} h {mins} min"),
        (_, 0) => format!("{days} d"),
        _ => format!("{days} d {hours} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_the_way_a_person_says_them() {
        assert_eq!(describe_age(Duration::seconds(-5)), "under a minute");
        assert_eq!(describe_age(Duration::seconds(59)), "under a minute");
        assert_eq!(describe_age(Duration::minutes(7)), "7 min");
        assert_eq!(describe_age(Duration::minutes(120)), "2 h");
        assert_eq!(describe_age(Duration::minutes(125)), "2 h 5 min");
        assert_eq!(describe_age(Duration::hours(72)), "3 d");
        assert_eq!(
            describe_age(Duration::hours(76) + Duration::minutes(9)),
            "3 d 4 h"
        );
    }

    #[test]
    fn a_subject_reads_back_from_its_key() {
        let subject = AlertSubject::Incident(IncidentId(uuid::Uuid::from_u128(7)));
        assert_eq!(AlertSubject::parse(&subject.to_string()), Some(subject));
        let source = AlertSubject::Source(SourceId(uuid::Uuid::from_u128(9)));
        assert_eq!(AlertSubject::parse(&source.to_string()), Some(source));
        assert_eq!(AlertSubject::parse("team:x"), None);
    }
}
