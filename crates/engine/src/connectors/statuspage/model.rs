//! Statuspage's incident JSON, as its REST API v1 returns it from
//! `GET /v1/pages/{page_id}/incidents`, and its mapping onto Vigil's incidents and timelines.
//!
//! Three clocks are kept apart. The record's own life is `created_at` to `resolved_at` (when the
//! resolving update was posted); it is what the timeline entries follow, so the milestones read
//! from the timeline agree with it. The impact on users is what the page shows: from the
//! earlier of `started_at` and the first update's `display_at`, to the `display_at` of the
//! update that resolved it. A team that posts "resolved" an hour late, back-dated to when the
//! service recovered, gets a record closed an hour after its impact ended, as it happened.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use vigil_core::{IncidentStatus, Urgency};

use super::timeline::{self, Update};
use crate::connectors::api::is_urgent_word;
use crate::store::IncomingIncident;
use crate::sync::IncidentEvent;

/// The statuses of a scheduled maintenance; a record with one of them is not an incident.
const MAINTENANCE_STATUSES: [&str; 4] = ["scheduled", "in_progress", "verifying", "completed"];

/// The fields of an incident Vigil reads.
#[derive(Debug, Deserialize)]
struct Incident {
    id: String,
    #[serde(default)]
    name: Option<String>,
    status: String,
    #[serde(default)]
    impact: Option<String>,
    created_at: DateTime<Utc>,
    #[serde(default)]
    started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    resolved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    scheduled_for: Option<DateTime<Utc>>,
    #[serde(default)]
    shortlink: Option<String>,
    #[serde(default)]
    incident_updates: Option<Vec<Update>>,
    #[serde(default)]
    components: Option<Vec<Component>>,
}

/// An affected component.
#[derive(Debug, Deserialize)]
struct Component {
    #[serde(default)]
    name: Option<String>,
}

/// What one record of the list becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An incident with its updates as timeline entries.
    Incident(Box<IncomingIncident>, Vec<IncidentEvent>),
    /// A scheduled maintenance, by id: not an incident, and removed if the cache holds it.
    Maintenance(String),
}

/// A page of the list, mapped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// The records, in the order the page gave them.
    pub records: Vec<Record>,
}

/// Reads a page's body and maps every record; the error names the first record that does not
/// map. Never panics, whatever the bytes.
pub fn page_from_json(bytes: &[u8]) -> Result<Page, String> {
    let values: Vec<Value> = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let records = values
        .iter()
        .enumerate()
        .map(|(i, v)| record_from_json(v).map_err(|e| format!("record {i}: {e}")))
        .collect::<Result<_, _>>()?;
    Ok(Page { records })
}

/// The id of a record, where it has a text one (to detect a page served twice).
pub fn record_id(value: &Value) -> Option<&str> {
    value.get("id").and_then(Value::as_str)
}

/// Maps one record of the list; the error says which field is wrong.
pub fn record_from_json(value: &Value) -> Result<Record, String> {
    let mut incident: Incident =
        serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    if incident.scheduled_for.is_some() || MAINTENANCE_STATUSES.contains(&incident.status.as_str())
    {
        return Ok(Record::Maintenance(incident.id));
    }
    let status = match incident.status.as_str() {
        "investigating" => IncidentStatus::Triggered,
        "identified" | "monitoring" => IncidentStatus::Acknowledged,
        "resolved" | "postmortem" => IncidentStatus::Resolved,
        other => {
            return Err(format!(
                "incident {} has an unknown status `{other}`",
                incident.id
            ))
        }
    };

    let mut updates = incident.incident_updates.take().unwrap_or_default();
    updates.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
    let events = timeline::entries(&incident.id, &updates);

    let first_shown = updates.first().map(Update::shown_at);
    let impact_started_at = match (incident.started_at, first_shown) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let resolving = updates.iter().rev().find(|u| u.status == "resolved");
    let resolved_at = match status {
        IncidentStatus::Resolved => resolving.map(|u| u.created_at).or(incident.resolved_at),
        _ => None,
    };
    let impact_ended_at = match status {
        IncidentStatus::Resolved => resolving.map(Update::shown_at).or(resolved_at),
        _ => None,
    };

    // Vigil's incident has one service: the first affected component is it, and the others stay
    // in the raw JSON. Counting an incident under each of its components would need a
    // many-services column in the store.
    let service = incident
        .components
        .unwrap_or_default()
        .into_iter()
        .find_map(|c| c.name.filter(|n| !n.trim().is_empty()));
    let urgency = match incident.impact.as_deref() {
        Some(impact) if is_urgent_word(impact) => Urgency::High,
        _ => Urgency::Low,
    };
    let incoming = IncomingIncident {
        number: None,
        title: incident
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| incident.id.clone()),
        service,
        team: None,
        urgency,
        urgency_raw: incident.impact,
        status,
        created_at: incident.created_at,
        acknowledged_at: None,
        mitigated_at: None,
        resolved_at,
        impact_started_at,
        impact_ended_at,
        merged_into: None,
        url: incident.shortlink,
        raw: Some(value.to_string()),
        external_id: incident.id,
    };
    Ok(Record::Incident(Box::new(incoming), events))
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use vigil_core::EventKind;

    use super::*;

    fn incident(value: Value) -> (IncomingIncident, Vec<IncidentEvent>) {
        match record_from_json(&value).unwrap() {
            Record::Incident(incident, events) => (*incident, events),
            Record::Maintenance(id) => panic!("{id} read as a maintenance"),
        }
    }

    #[test]
    fn the_impact_window_follows_the_page_and_the_record_follows_the_posts() {
        let (incident, events) = incident(json!({
            "id": "p1", "name": "Checkout errors", "status": "resolved", "impact": "major",
            "created_at": "2026-03-01T10:05:00Z", "started_at": "2026-03-01T09:50:00Z",
            "resolved_at": "2026-03-01T11:30:00Z", "shortlink": "https://stspg.io/p1",
            "components": [{"name": "Checkout"}, {"name": "API"}],
            "incident_updates": [
                {"id": "u3", "status": "resolved", "body": "Fixed.",
                 "created_at": "2026-03-01T11:30:00Z", "display_at": "2026-03-01T11:00:00Z"},
                {"id": "u1", "status": "investigating", "body": "Looking.",
                 "created_at": "2026-03-01T10:05:00Z", "display_at": "2026-03-01T10:05:00Z"},
                {"id": "u2", "status": "identified", "body": "Found it.",
                 "created_at": "2026-03-01T10:20:00Z", "display_at": "2026-03-01T10:20:00Z"}
            ]
        }));
        let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(incident.created_at, at("2026-03-01T10:05:00Z").unwrap());
        assert_eq!(incident.resolved_at, at("2026-03-01T11:30:00Z"));
        assert_eq!(incident.impact_started_at, at("2026-03-01T09:50:00Z"));
        assert_eq!(incident.impact_ended_at, at("2026-03-01T11:00:00Z"));
        assert_eq!(incident.urgency, Urgency::High);
        assert_eq!(incident.service.as_deref(), Some("Checkout"));
        let kinds: Vec<EventKind> = events.iter().map(|e| e.event.kind).collect();
        assert_eq!(
            kinds,
            [
                EventKind::Triggered,
                EventKind::Acknowledged,
                EventKind::Resolved
            ]
        );
        assert!(events[2]
            .event
            .summary
            .contains("shown on the page at 2026-03-01 11:00"));
    }

    #[test]
    fn an_update_back_to_monitoring_after_a_resolution_reopens_the_incident() {
        let (incident, events) = incident(json!({
            "id": "p2", "name": "Slow search", "status": "monitoring", "impact": "minor",
            "created_at": "2026-03-01T10:00:00Z",
            "incident_updates": [
                {"id": "a", "status": "investigating", "created_at": "2026-03-01T10:00:00Z"},
                {"id": "b", "status": "resolved", "created_at": "2026-03-01T10:30:00Z"},
                {"id": "c", "status": "monitoring", "created_at": "2026-03-01T11:00:00Z"}
            ]
        }));
        assert_eq!(incident.status, IncidentStatus::Acknowledged);
        assert_eq!(incident.urgency, Urgency::Low);
        assert_eq!(
            (incident.resolved_at, incident.impact_ended_at),
            (None, None)
        );
        assert_eq!(events[2].event.kind, EventKind::Triggered);
    }

    #[test]
    fn a_scheduled_maintenance_is_not_an_incident() {
        for value in [
            json!({"id": "m1", "status": "scheduled", "created_at": "2026-03-01T10:00:00Z"}),
            json!({"id": "m2", "status": "completed", "created_at": "2026-03-01T10:00:00Z",
                   "scheduled_for": "2026-03-02T01:00:00Z"}),
        ] {
            assert!(matches!(
                record_from_json(&value).unwrap(),
                Record::Maintenance(_)
            ));
        }
    }

    #[test]
    fn an_unknown_status_is_refused_with_the_incident_named() {
        let value = json!({"id": "p9", "status": "exploded", "created_at": "2026-03-01T10:00:00Z"});
        assert!(record_from_json(&value).unwrap_err().contains("p9"));
    }

    #[test]
    fn a_page_that_is_not_a_list_names_the_problem() {
        assert!(page_from_json(b"{\"error\": \"nope\"}").is_err());
        let err = page_from_json(b"[{\"id\": 3}]").unwrap_err();
        assert!(err.starts_with("record 0"), "{err}");
    }
}
