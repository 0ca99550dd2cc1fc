//! PagerDuty's JSON, as its REST API v2 documents it (the public OpenAPI document in the
//! PagerDuty/api-schema repository), and its mapping onto Vigil's incidents and timeline.
//!
//! Only the fields Vigil reads are declared; anything else is ignored, and the incident's whole
//! JSON is kept as `raw`. A field with the wrong type makes the page malformed.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use vigil_core::{EventKind, IncidentStatus, Urgency};

use crate::store::{IncomingEvent, IncomingIncident};
use crate::sync::IncidentEvent;

/// A page of `GET /incidents`.
#[derive(Debug, Deserialize)]
pub struct IncidentList {
    /// The incidents, kept as JSON until each is mapped (so its raw form can be stored).
    pub incidents: Vec<Value>,
    /// Whether another page follows.
    pub more: bool,
    /// The number of matches, when asked for with `total=true`.
    #[serde(default)]
    pub total: Option<u64>,
}

/// A page of `GET /log_entries`.
#[derive(Debug, Deserialize)]
pub struct LogEntryList {
    /// The entries, newest first as PagerDuty sends them (the order does not matter here).
    pub log_entries: Vec<LogEntry>,
    /// Whether another page follows.
    pub more: bool,
    /// The number of matches, when asked for with `total=true`.
    #[serde(default)]
    pub total: Option<u64>,
}

/// `GET /incidents/{id}`.
#[derive(Debug, Deserialize)]
pub struct IncidentEnvelope {
    /// The incident.
    pub incident: Value,
}

/// A reference to another object (service, team, user, incident). With `include[]=services`
/// or `include[]=teams`, services and teams come in full, with a `name`.
#[derive(Debug, Default, Deserialize)]
pub struct Reference {
    /// The object's id.
    #[serde(default)]
    pub id: Option<String>,
    /// Its one-line label.
    #[serde(default)]
    pub summary: Option<String>,
    /// Its name, for full objects.
    #[serde(default)]
    pub name: Option<String>,
}

impl Reference {
    fn label(&self) -> Option<String> {
        self.name
            .clone()
            .or_else(|| self.summary.clone())
            .filter(|s| !s.is_empty())
    }
}

/// Why an incident was resolved; PagerDuty's only reason is a merge into another incident.
#[derive(Debug, Deserialize)]
struct ResolveReason {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    incident: Option<Reference>,
}

/// The fields of an incident Vigil reads.
#[derive(Debug, Deserialize)]
struct Incident {
    id: String,
    #[serde(default)]
    incident_number: Option<i64>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    status: String,
    created_at: DateTime<Utc>,
    /// Newer versions of the API state it; older ones only `last_status_change_at`.
    #[serde(default)]
    resolved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    last_status_change_at: Option<DateTime<Utc>>,
    #[serde(default)]
    urgency: Option<String>,
    /// The account's priority (P1 to P5 by default), where priorities are turned on: a finer
    /// word than the urgency, so it is the one kept as the raw severity.
    #[serde(default)]
    priority: Option<Reference>,
    #[serde(default)]
    service: Option<Reference>,
    #[serde(default)]
    teams: Option<Vec<Reference>>,
    #[serde(default)]
    resolve_reason: Option<ResolveReason>,
    #[serde(default)]
    html_url: Option<String>,
}

/// One log entry of `GET /log_entries`.
#[derive(Debug, Deserialize)]
pub struct LogEntry {
    /// The entry's id.
    pub id: String,
    /// `trigger_log_entry`, `acknowledge_log_entry`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// When it happened.
    pub created_at: DateTime<Utc>,
    /// PagerDuty's description.
    #[serde(default)]
    pub summary: Option<String>,
    /// Who or what did it.
    #[serde(default)]
    pub agent: Option<Reference>,
    /// The incident it belongs to.
    #[serde(default)]
    pub incident: Option<Reference>,
}

/// The vendor type of a resolution, which may bring a merge (see `refresh_resolved`).
pub const RESOLVE_LOG_ENTRY: &str = "resolve_log_entry";

/// Maps one incident's JSON; the error says which field is wrong.
pub fn incident_from_json(value: &Value) -> Result<IncomingIncident, String> {
    let pd: Incident = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let status = IncidentStatus::parse(&pd.status)
        .ok_or_else(|| format!("incident {} has an unknown status `{}`", pd.id, pd.status))?;
    let resolved_at = match status {
        IncidentStatus::Resolved => pd.resolved_at.or(pd.last_status_change_at),
        _ => None,
    };
    let merged_into = pd
        .resolve_reason
        .filter(|r| r.kind.as_deref() == Some("merge_resolve_reason"))
        .and_then(|r| r.incident)
        .and_then(|i| i.id);
    let urgency = match pd.urgency.as_deref() {
        Some("high") => Urgency::High,
        _ => Urgency::Low,
    };
    let team = pd
        .teams
        .unwrap_or_default()
        .iter()
        .find_map(Reference::label);
    Ok(IncomingIncident {
        number: pd.incident_number,
        title: pd.title.or(pd.summary).unwrap_or_else(|| pd.id.clone()),
        service: pd.service.as_ref().and_then(Reference::label),
        team,
        urgency,
        urgency_raw: pd
            .priority
            .as_ref()
            .and_then(|p| p.summary.clone().or_else(|| p.name.clone()))
            .filter(|s| !s.is_empty())
            .or(pd.urgency),
        status,
        created_at: pd.created_at,
        // The first acknowledgement is read from the log entries: `acknowledgements[]` lists
        // only the current ones and is empty once the incident is resolved.
        acknowledged_at: None,
        mitigated_at: None,
        resolved_at,
        impact_started_at: None,
        impact_ended_at: None,
        merged_into,
        url: pd.html_url,
        raw: Some(value.to_string()),
        external_id: pd.id,
    })
}

/// The timeline kind of a log entry type; unknown types are kept as `Other`.
pub fn event_kind(vendor_type: &str) -> EventKind {
    match vendor_type {
        "trigger_log_entry" => EventKind::Triggered,
        "acknowledge_log_entry" => EventKind::Acknowledged,
        "unacknowledge_log_entry" => EventKind::Unacknowledged,
        RESOLVE_LOG_ENTRY => EventKind::Resolved,
        "escalate_log_entry" => EventKind::Escalated,
        "assign_log_entry" => EventKind::Assigned,
        "notify_log_entry" => EventKind::Notified,
        "annotate_log_entry" => EventKind::Annotated,
        _ => EventKind::Other,
    }
}

/// Maps a log entry; `None` for one that names no incident.
pub fn event_from_log_entry(entry: &LogEntry) -> Option<IncidentEvent> {
    let incident = entry.incident.as_ref()?.id.clone()?;
    let kind = event_kind(&entry.kind);
    Some(IncidentEvent {
        incident,
        event: IncomingEvent {
            external_id: entry.id.clone(),
            at: entry.created_at,
            kind,
            vendor_type: Some(entry.kind.clone()),
            actor: entry.agent.as_ref().and_then(Reference::label),
            summary: entry
                .summary
                .clone()
                .unwrap_or_else(|| entry.kind.replace('_', " ")),
        },
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_merged_incident_names_the_incident_it_was_merged_into() {
        let value = json!({
            "id": "PABC", "incident_number": 7, "title": "Disk full", "status": "resolved",
            "created_at": "2026-03-01T10:00:00+02:00", "last_status_change_at": "2026-03-01T09:30:00Z",
            "urgency": "high", "html_url": "https://x.pagerduty.com/incidents/PABC",
            "service": {"id": "S1", "type": "service", "summary": "db", "name": "Database"},
            "teams": [{"id": "T1", "type": "team_reference", "summary": "Storage"}],
            "acknowledgements": [],
            "resolve_reason": {"type": "merge_resolve_reason",
                               "incident": {"id": "PXYZ", "type": "incident_reference"}}
        });
        let incident = incident_from_json(&value).unwrap();
        assert_eq!(incident.merged_into.as_deref(), Some("PXYZ"));
        assert_eq!(incident.service.as_deref(), Some("Database"));
        assert_eq!(incident.team.as_deref(), Some("Storage"));
        assert_eq!(
            incident.created_at.to_rfc3339(),
            "2026-03-01T08:00:00+00:00"
        );
        assert_eq!(
            incident.resolved_at.unwrap().to_rfc3339(),
            "2026-03-01T09:30:00+00:00"
        );
        assert_eq!(incident.urgency, Urgency::High);
        assert!(incident.raw.unwrap().contains("merge_resolve_reason"));
    }

    #[test]
    fn an_incident_with_a_wrong_type_is_refused_with_the_field_named() {
        let value = json!({"id": "P1", "status": "triggered", "created_at": 12});
        let err = incident_from_json(&value).unwrap_err();
        assert!(err.contains("invalid type"), "{err}");
    }

    #[test]
    fn log_entry_types_map_to_timeline_kinds_and_unknown_ones_are_kept_as_other() {
        assert_eq!(event_kind("trigger_log_entry"), EventKind::Triggered);
        assert_eq!(
            event_kind("unacknowledge_log_entry"),
            EventKind::Unacknowledged
        );
        assert_eq!(event_kind("snooze_log_entry"), EventKind::Other);
    }
}
