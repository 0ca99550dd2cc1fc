//! Opsgenie's JSON, as its OpenAPI document (opsgenie/opsgenie-oas) and its Alert and Incident
//! API pages describe it, and its mapping onto Vigil's incidents.
//!
//! An alert is Opsgenie's paging unit, as an incident is PagerDuty's: it is stored under its own
//! id. An Opsgenie *incident* (the Standard and Enterprise plans' major-incident record) is
//! stored too, under `incident:<id>`, so the two never collide. A team that declares incidents
//! from alerts therefore has both in the cache; the prefix tells them apart.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::Value;
use vigil_core::{IncidentStatus, Urgency};

use crate::connectors::api::is_urgent_word;
use crate::store::IncomingIncident;

/// The prefix of an Opsgenie incident's vendor id in the cache.
pub const INCIDENT_PREFIX: &str = "incident:";

/// A page of `GET /v2/alerts` or `GET /v1/incidents/`.
#[derive(Debug, Deserialize)]
pub struct ListPage {
    /// The records, kept as JSON until each is mapped (so its raw form can be stored).
    pub data: Vec<Value>,
    /// The number of matches; the incident list states it, the alert list does not.
    #[serde(default, rename = "totalCount")]
    pub total_count: Option<u64>,
}

/// `GET /v1/incidents/{id}`.
#[derive(Debug, Deserialize)]
pub struct OneRecord {
    /// The record.
    pub data: Value,
}

/// How long an alert took to be acknowledged and closed, in milliseconds from its creation.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    #[serde(default)]
    ack_time: Option<i64>,
    #[serde(default)]
    close_time: Option<i64>,
}

/// The fields of an alert Vigil reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Alert {
    id: String,
    #[serde(default)]
    tiny_id: Option<String>,
    #[serde(default)]
    message: Option<String>,
    status: String,
    #[serde(default)]
    acknowledged: bool,
    created_at: DateTime<Utc>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    report: Option<Report>,
}

/// The links of an incident.
#[derive(Debug, Default, Deserialize)]
struct Links {
    #[serde(default)]
    web: Option<String>,
}

/// The fields of an incident Vigil reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Incident {
    id: String,
    #[serde(default)]
    tiny_id: Option<String>,
    #[serde(default)]
    message: Option<String>,
    status: String,
    created_at: DateTime<Utc>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    impact_start_date: Option<DateTime<Utc>>,
    #[serde(default)]
    impact_end_date: Option<DateTime<Utc>>,
    #[serde(default)]
    links: Option<Links>,
}

/// When an alert was last changed, for the "changed since the last sync" walk; `None` when the
/// record does not say or is not an alert.
pub fn updated_at(value: &Value) -> Option<DateTime<Utc>> {
    value
        .get("updatedAt")
        .and_then(Value::as_str)
        .and_then(|t| t.parse().ok())
}

fn urgency(priority: Option<&str>) -> Urgency {
    match priority {
        Some(p) if is_urgent_word(p) => Urgency::High,
        _ => Urgency::Low,
    }
}

fn after(created: DateTime<Utc>, millis: Option<i64>) -> Option<DateTime<Utc>> {
    millis
        .filter(|ms| *ms >= 0)
        .map(|ms| created + Duration::milliseconds(ms))
}

/// Maps one alert; the error says which field is wrong.
pub fn alert_from_json(value: &Value) -> Result<IncomingIncident, String> {
    let alert: Alert = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let report = alert.report.unwrap_or_default();
    let status = match (alert.status.as_str(), alert.acknowledged) {
        ("closed", _) => IncidentStatus::Resolved,
        ("open", true) => IncidentStatus::Acknowledged,
        ("open", false) => IncidentStatus::Triggered,
        (other, _) => {
            return Err(format!(
                "alert {} has an unknown status `{other}`",
                alert.id
            ))
        }
    };
    // `report.closeTime` is the close as Opsgenie measured it; an alert closed without one
    // (older records) falls back to its last change, which for a closed alert is the close.
    let resolved_at = match status {
        IncidentStatus::Resolved => after(alert.created_at, report.close_time).or(alert.updated_at),
        _ => None,
    };
    Ok(IncomingIncident {
        number: alert.tiny_id.as_deref().and_then(|t| t.parse().ok()),
        title: alert
            .message
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| alert.id.clone()),
        service: None,
        team: None,
        urgency: urgency(alert.priority.as_deref()),
        urgency_raw: alert.priority,
        status,
        created_at: alert.created_at,
        acknowledged_at: after(alert.created_at, report.ack_time),
        mitigated_at: None,
        resolved_at,
        impact_started_at: None,
        impact_ended_at: None,
        merged_into: None,
        url: None,
        raw: Some(value.to_string()),
        external_id: alert.id,
    })
}

/// Maps one incident; the error says which field is wrong.
pub fn incident_from_json(value: &Value) -> Result<IncomingIncident, String> {
    let incident: Incident = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let status = match incident.status.as_str() {
        "open" => IncidentStatus::Triggered,
        "resolved" | "closed" => IncidentStatus::Resolved,
        other => {
            return Err(format!(
                "incident {} has an unknown status `{other}`",
                incident.id
            ))
        }
    };
    // Opsgenie records when the impact ended apart from the incident's last change; without it
    // the last change of a resolved incident is the best estimate of its resolution.
    let resolved_at = match status {
        IncidentStatus::Resolved => incident.impact_end_date.or(incident.updated_at),
        _ => None,
    };
    Ok(IncomingIncident {
        number: incident.tiny_id.as_deref().and_then(|t| t.parse().ok()),
        title: incident
            .message
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| incident.id.clone()),
        service: None,
        team: None,
        urgency: urgency(incident.priority.as_deref()),
        urgency_raw: incident.priority,
        status,
        created_at: incident.created_at,
        acknowledged_at: None,
        mitigated_at: None,
        resolved_at,
        impact_started_at: incident.impact_start_date,
        impact_ended_at: incident.impact_end_date,
        merged_into: None,
        url: incident.links.and_then(|l| l.web),
        raw: Some(value.to_string()),
        external_id: format!("{INCIDENT_PREFIX}{}", incident.id),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_alert_reads_its_acknowledgement_and_close_from_the_report() {
        let value = json!({
            "id": "a1", "tinyId": "17", "message": "Disk full", "status": "closed",
            "acknowledged": true, "createdAt": "2026-03-01T10:00:00.000Z",
            "updatedAt": "2026-03-01T11:00:00Z", "priority": "P2",
            "report": {"ackTime": 90_000, "closeTime": 600_000, "closedBy": "ana"}
        });
        let alert = alert_from_json(&value).unwrap();
        assert_eq!(alert.status, IncidentStatus::Resolved);
        assert_eq!(alert.number, Some(17));
        assert_eq!(alert.urgency, Urgency::High);
        assert_eq!(alert.urgency_raw.as_deref(), Some("P2"));
        let created = alert.created_at;
        assert_eq!(alert.acknowledged_at, Some(created + Duration::seconds(90)));
        assert_eq!(alert.resolved_at, Some(created + Duration::minutes(10)));
        assert!(alert.raw.unwrap().contains("closedBy"));
    }

    #[test]
    fn an_open_unacknowledged_alert_has_no_milestones() {
        let value = json!({"id": "a2", "status": "open", "acknowledged": false,
                           "createdAt": "2026-03-01T10:00:00Z", "priority": "P4"});
        let alert = alert_from_json(&value).unwrap();
        assert_eq!(alert.status, IncidentStatus::Triggered);
        assert_eq!(alert.urgency, Urgency::Low);
        assert_eq!((alert.acknowledged_at, alert.resolved_at), (None, None));
        assert_eq!(alert.title, "a2");
    }

    #[test]
    fn an_incident_keeps_its_impact_window_and_a_prefixed_id() {
        let value = json!({
            "id": "i1", "tinyId": "3", "message": "Checkout down", "status": "resolved",
            "createdAt": "2026-03-01T10:05:00Z", "updatedAt": "2026-03-02T09:00:00Z",
            "priority": "P1", "impactStartDate": "2026-03-01T09:58:00Z",
            "impactEndDate": "2026-03-01T10:40:00Z", "links": {"web": "https://x.app.opsgenie.com/i1"}
        });
        let incident = incident_from_json(&value).unwrap();
        assert_eq!(incident.external_id, "incident:i1");
        assert_eq!(
            incident.resolved_at.unwrap().to_rfc3339(),
            "2026-03-01T10:40:00+00:00"
        );
        assert_eq!(
            incident.impact_started_at.unwrap().to_rfc3339(),
            "2026-03-01T09:58:00+00:00"
        );
        assert_eq!(
            incident.url.as_deref(),
            Some("https://x.app.opsgenie.com/i1")
        );
    }

    #[test]
    fn an_unknown_status_is_refused_with_the_record_named() {
        let value = json!({"id": "a3", "status": "snoozing", "createdAt": "2026-03-01T10:00:00Z"});
        assert!(alert_from_json(&value).unwrap_err().contains("a3"));
    }
}
