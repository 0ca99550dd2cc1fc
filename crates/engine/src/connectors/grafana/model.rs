//! Grafana OnCall's JSON (Grafana Cloud IRM serves the same), as its Alert groups HTTP API page
//! describes `GET /api/v1/alert_groups/`, and its mapping onto Vigil's incidents.
//!
//! An alert group is OnCall's paging unit, as an incident is PagerDuty's: it is stored under its
//! own id. One attached to another group (`root_alert_group_id` set) is kept and flagged merged
//! into that group, so it is left out of counts as PagerDuty's merged incidents are.
//!
//! OnCall has no severity field: an alert group exists to start an escalation chain, so one
//! without a `severity` (or `priority`, `urgency`) label is taken as urgent; the label, where
//! there is one, decides, and its word is kept as the vendor's.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use vigil_core::{IncidentStatus, Urgency};

use crate::connectors::api::is_urgent_word;
use crate::store::IncomingIncident;

/// Label keys whose value is a severity, in the order they are looked for.
const SEVERITY_LABELS: [&str; 3] = ["severity", "priority", "urgency"];

/// Label keys whose value names the affected service.
const SERVICE_LABELS: [&str; 2] = ["service", "service_name"];

/// A page of `GET /api/v1/alert_groups/` (Django REST framework's page-number pagination).
#[derive(Debug, Deserialize)]
pub struct ListPage {
    /// How many alert groups match, over all pages.
    #[serde(default)]
    pub count: Option<u64>,
    /// The link to the next page; `None` on the last one.
    #[serde(default)]
    pub next: Option<String>,
    /// The records, kept as JSON until each is mapped (so its raw form can be stored).
    pub results: Vec<Value>,
}

#[derive(Debug, Default, Deserialize)]
struct Permalinks {
    #[serde(default)]
    web: Option<String>,
}

/// The fields of an alert group Vigil reads.
#[derive(Debug, Deserialize)]
struct AlertGroup {
    id: String,
    #[serde(default)]
    alert_group_number: Option<i64>,
    #[serde(default)]
    title: Option<String>,
    state: String,
    created_at: DateTime<Utc>,
    #[serde(default)]
    acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default)]
    resolved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    silenced_at: Option<DateTime<Utc>>,
    #[serde(default)]
    root_alert_group_id: Option<String>,
    #[serde(default)]
    integration_id: Option<String>,
    #[serde(default)]
    team_id: Option<String>,
    #[serde(default)]
    labels: Option<Vec<Value>>,
    #[serde(default)]
    permalinks: Option<Permalinks>,
}

/// Parses a page's body and maps every record: what the connector does with each response, as
/// one function that tests can feed anything. An error names what did not parse.
pub fn parse_page(bytes: &[u8]) -> Result<Vec<IncomingIncident>, String> {
    let page: ListPage = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    page.results.iter().map(map_alert_group).collect()
}

/// Maps one alert group; the error says which record and field are wrong.
///
/// A silenced group counts as acknowledged (someone chose to stop its notifications, as an
/// acknowledgement does), at its acknowledgement time or else when it was silenced.
pub fn map_alert_group(value: &Value) -> Result<IncomingIncident, String> {
    let group: AlertGroup = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let status = match group.state.as_str() {
        "new" => IncidentStatus::Triggered,
        "acknowledged" | "silenced" => IncidentStatus::Acknowledged,
        "resolved" => IncidentStatus::Resolved,
        other => {
            return Err(format!(
                "alert group {} has an unknown state `{other}`",
                group.id
            ))
        }
    };
    let labels = group.labels.unwrap_or_default();
    let severity = SEVERITY_LABELS
        .iter()
        .find_map(|key| label(&labels, key))
        .filter(|s| !s.trim().is_empty());
    let service = SERVICE_LABELS
        .iter()
        .find_map(|key| label(&labels, key))
        .or(group.integration_id);
    Ok(IncomingIncident {
        number: group.alert_group_number,
        title: group
            .title
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| group.id.clone()),
        service,
        team: group.team_id,
        urgency: match severity.as_deref() {
            Some(word) if !is_urgent_word(word) => Urgency::Low,
            _ => Urgency::High,
        },
        urgency_raw: severity,
        status,
        created_at: group.created_at,
        acknowledged_at: group.acknowledged_at.or(group.silenced_at),
        mitigated_at: None,
        resolved_at: match status {
            IncidentStatus::Resolved => group.resolved_at,
            _ => None,
        },
        impact_started_at: None,
        impact_ended_at: None,
        merged_into: group.root_alert_group_id.filter(|r| !r.is_empty()),
        url: group.permalinks.and_then(|p| p.web),
        raw: Some(value.to_string()),
        external_id: group.id,
    })
}

/// The value of a label, in OnCall's `{"key": {"name": ..}, "value": {"name": ..}}` form (or a
/// plain `{"key": .., "value": ..}`), matched without regard to case.
fn label(labels: &[Value], key: &str) -> Option<String> {
    let text = |v: &Value| {
        v.get("name")
            .and_then(Value::as_str)
            .or_else(|| v.as_str())
            .map(str::to_owned)
    };
    labels.iter().find_map(|l| {
        let k = text(l.get("key")?)?;
        k.eq_ignore_ascii_case(key).then(|| text(l.get("value")?))?
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn group(state: &str) -> Value {
        json!({
            "id": "I68T24C13IFW1", "integration_id": "CFRPV98RPR1U8", "route_id": "RIYGUJXCPFHXY",
            "team_id": "TQ2W5A7D1", "alerts_count": 3, "state": state, "alert_group_number": 42,
            "created_at": "2026-03-01T10:00:00.430444Z", "acknowledged_at": null,
            "resolved_at": "2026-03-01T11:00:00.429805Z", "silenced_at": null,
            "title": "Memory above 90% threshold",
            "labels": [
                {"key": {"id": "k1", "name": "Severity"}, "value": {"id": "v1", "name": "warning"}},
                {"key": {"id": "k2", "name": "service"}, "value": {"id": "v2", "name": "checkout"}}
            ],
            "permalinks": {"web": "https://oncall.test/alert-groups/I68T24C13IFW1"}
        })
    }

    #[test]
    fn a_resolved_group_keeps_its_resolution_labels_and_link() {
        let g = map_alert_group(&group("resolved")).unwrap();
        assert_eq!(g.status, IncidentStatus::Resolved);
        assert_eq!(
            g.resolved_at.unwrap().to_rfc3339(),
            "2026-03-01T11:00:00.429805+00:00"
        );
        assert_eq!(
            (g.urgency, g.urgency_raw.as_deref()),
            (Urgency::Low, Some("warning"))
        );
        assert_eq!(
            (g.service.as_deref(), g.team.as_deref()),
            (Some("checkout"), Some("TQ2W5A7D1"))
        );
        assert_eq!(g.number, Some(42));
        assert!(g.url.unwrap().ends_with("I68T24C13IFW1"));
    }

    #[test]
    fn an_open_group_has_no_resolution_and_a_silence_counts_as_an_acknowledgement() {
        let mut value = group("silenced");
        value["silenced_at"] = json!("2026-03-01T10:05:00Z");
        value["labels"] = json!([]);
        let g = map_alert_group(&value).unwrap();
        assert_eq!(g.status, IncidentStatus::Acknowledged);
        assert_eq!(g.resolved_at, None);
        assert_eq!(
            g.acknowledged_at.unwrap().to_rfc3339(),
            "2026-03-01T10:05:00+00:00"
        );
        assert_eq!((g.urgency, g.urgency_raw), (Urgency::High, None));
        assert_eq!(
            g.service.as_deref(),
            Some("CFRPV98RPR1U8"),
            "the integration stands in"
        );
    }

    #[test]
    fn an_attached_group_is_flagged_merged_into_its_root() {
        let mut value = group("resolved");
        value["root_alert_group_id"] = json!("IROOT");
        assert_eq!(
            map_alert_group(&value).unwrap().merged_into.as_deref(),
            Some("IROOT")
        );
    }

    #[test]
    fn an_unknown_state_is_refused_with_the_group_named() {
        let err = map_alert_group(&group("snoozed")).unwrap_err();
        assert!(
            err.contains("I68T24C13IFW1") && err.contains("snoozed"),
            "{err}"
        );
    }
}
