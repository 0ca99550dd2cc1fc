//! incident.io's JSON, as its public API reference describes `GET /v2/incidents` and
//! `GET /v2/incident_updates`, and its mapping onto Vigil's incidents.
//!
//! An incident's lifecycle lives in its status *category* (each account names its own statuses,
//! but every status belongs to one of incident.io's categories), and its milestones in
//! `incident_timestamp_values`, a list of the account's timestamps by name ("Impact started",
//! "Accepted", "Resolved", ...). Names are the account's own, so they are matched loosely
//! ([`TimestampRole::of`]); a name Vigil does not know is left in the raw JSON.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use vigil_core::{IncidentStatus, Urgency};

use super::timestamps::TimestampRole;
use crate::connectors::api::is_urgent_word;
use crate::store::IncomingIncident;

/// The `merged_into` of a merged incident whose updates do not say which incident it joined:
/// the merge is still recorded, so the incident is left out of counts as it should be.
pub const UNKNOWN_MERGE_TARGET: &str = "unknown";

/// A page of `GET /v2/incidents`.
#[derive(Debug, Deserialize)]
pub struct ListPage {
    /// The records, kept as JSON until each is mapped (so its raw form can be stored).
    pub incidents: Vec<Value>,
    /// Where the next page starts and how many records match.
    #[serde(default)]
    pub pagination_meta: Option<PaginationMeta>,
}

/// incident.io's cursor pagination: the next page is asked for with `after`.
#[derive(Debug, Default, Deserialize)]
pub struct PaginationMeta {
    /// The id to pass as `after` for the next page.
    #[serde(default)]
    pub after: Option<String>,
    /// The page size the server used (it may be smaller than the one asked for).
    #[serde(default)]
    pub page_size: Option<u32>,
    /// How many records match the filters, over all pages.
    #[serde(default)]
    pub total_record_count: Option<u64>,
}

/// A page of `GET /v2/incident_updates?incident_id=...`.
#[derive(Debug, Deserialize)]
pub struct UpdatesPage {
    /// The incident's updates.
    pub incident_updates: Vec<IncidentUpdate>,
}

/// One status update; a merge names the incident it merged into.
#[derive(Debug, Deserialize)]
pub struct IncidentUpdate {
    /// Set on the update that merged the incident.
    #[serde(default)]
    pub merged_into_incident_id: Option<String>,
    /// When the update was made.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

/// The incident a merged incident joined, from its latest update that names one.
pub fn merge_target(page: &UpdatesPage) -> Option<String> {
    page.incident_updates
        .iter()
        .filter(|u| {
            u.merged_into_incident_id
                .as_deref()
                .is_some_and(|t| !t.is_empty())
        })
        .max_by_key(|u| u.created_at)
        .and_then(|u| u.merged_into_incident_id.clone())
}

/// What one record of a page becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapped {
    /// An incident to store (a merged one carries [`UNKNOWN_MERGE_TARGET`] until its target is
    /// looked up).
    Incident(Box<IncomingIncident>),
    /// A record that is no incident for Vigil: a declined triage, a canceled incident, a test or
    /// a tutorial. It is left out, and removed where an earlier sync stored it.
    Excluded {
        /// The vendor's id.
        id: String,
        /// Why, for the log.
        why: &'static str,
    },
}

#[derive(Debug, Deserialize)]
struct Named {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Status {
    category: String,
}

#[derive(Debug, Deserialize)]
struct TimestampInner {
    #[serde(default)]
    value: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
struct TimestampValue {
    incident_timestamp: Named,
    #[serde(default)]
    value: Option<TimestampInner>,
}

/// The fields of an incident Vigil reads.
#[derive(Debug, Deserialize)]
struct Incident {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    incident_status: Status,
    #[serde(default)]
    severity: Option<Named>,
    created_at: DateTime<Utc>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    permalink: Option<String>,
    #[serde(default)]
    incident_timestamp_values: Option<Vec<TimestampValue>>,
}

/// Parses a page's body and maps every record: what the connector does with each response, as
/// one function that tests can feed anything. An error names what did not parse.
pub fn parse_page(bytes: &[u8]) -> Result<Vec<Mapped>, String> {
    let page: ListPage = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    page.incidents.iter().map(map_incident).collect()
}

/// Maps one incident; the error says which record and field are wrong.
pub fn map_incident(value: &Value) -> Result<Mapped, String> {
    let mut incident: Incident =
        serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let id = incident.id.clone();
    let mode = incident.mode.as_deref().unwrap_or("standard");
    if !matches!(mode, "standard" | "retrospective") {
        return Ok(Mapped::Excluded {
            id,
            why: "a test or tutorial incident",
        });
    }
    let (status, merged) = match incident.incident_status.category.as_str() {
        "triage" => (IncidentStatus::Triggered, false),
        "live" | "paused" => (IncidentStatus::Acknowledged, false),
        "learning" | "closed" => (IncidentStatus::Resolved, false),
        "merged" => (IncidentStatus::Resolved, true),
        "declined" | "canceled" => {
            return Ok(Mapped::Excluded {
                id,
                why: "declined or canceled",
            });
        }
        other => {
            return Err(format!(
                "incident {id} has an unknown status category `{other}`"
            ))
        }
    };

    let stamps = incident
        .incident_timestamp_values
        .take()
        .unwrap_or_default();
    let at = |role: TimestampRole| stated(&stamps, role);
    let resolved_at = match (status, merged) {
        (IncidentStatus::Resolved, true) => at(TimestampRole::Merged),
        (IncidentStatus::Resolved, false) => {
            at(TimestampRole::Resolved).or(at(TimestampRole::Closed))
        }
        _ => None,
    };
    // A resolved incident without a resolution timestamp (an account that removed them) is
    // dated by its last change, which for a closed incident is its closing.
    let resolved_at = match status {
        IncidentStatus::Resolved => resolved_at.or(incident.updated_at),
        _ => None,
    };
    let severity = incident
        .severity
        .and_then(|s| s.name)
        .filter(|s| !s.trim().is_empty());
    Ok(Mapped::Incident(Box::new(IncomingIncident {
        number: incident.reference.as_deref().and_then(reference_number),
        title: incident
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| id.clone()),
        service: None,
        team: None,
        urgency: match severity.as_deref() {
            Some(word) if is_urgent_word(word) => Urgency::High,
            _ => Urgency::Low,
        },
        urgency_raw: severity,
        status,
        created_at: incident.created_at,
        acknowledged_at: at(TimestampRole::Acknowledged),
        mitigated_at: at(TimestampRole::Mitigated),
        resolved_at,
        impact_started_at: at(TimestampRole::ImpactStarted),
        impact_ended_at: at(TimestampRole::ImpactEnded),
        merged_into: merged.then(|| UNKNOWN_MERGE_TARGET.to_owned()),
        url: incident.permalink,
        raw: Some(value.to_string()),
        external_id: id,
    })))
}

/// The value of the first timestamp with this role.
fn stated(stamps: &[TimestampValue], role: TimestampRole) -> Option<DateTime<Utc>> {
    stamps
        .iter()
        .filter(|t| {
            t.incident_timestamp
                .name
                .as_deref()
                .and_then(TimestampRole::of)
                == Some(role)
        })
        .find_map(|t| t.value.as_ref().and_then(|v| v.value))
}

/// The number of a reference such as `INC-123`.
fn reference_number(reference: &str) -> Option<i64> {
    reference.rsplit(['-', ' ']).next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn incident(category: &str, mode: &str) -> Value {
        json!({
            "id": "01HX", "name": "Checkout is down", "reference": "INC-42", "mode": mode,
            "incident_status": {"id": "s1", "name": "Investigating", "category": category},
            "severity": {"id": "v1", "name": "Critical", "rank": 3},
            "created_at": "2026-03-01T10:00:00.123Z", "updated_at": "2026-03-01T12:00:00Z",
            "permalink": "https://app.incident.io/acme/incidents/42",
            "incident_timestamp_values": [
                {"incident_timestamp": {"id": "t1", "name": "Impact started", "rank": 1},
                 "value": {"value": "2026-03-01T09:50:00Z"}},
                {"incident_timestamp": {"id": "t2", "name": "Accepted at", "rank": 2},
                 "value": {"value": "2026-03-01T10:03:00Z"}},
                {"incident_timestamp": {"id": "t3", "name": "Fixed", "rank": 3},
                 "value": {"value": "2026-03-01T10:40:00Z"}},
                {"incident_timestamp": {"id": "t4", "name": "Resolved", "rank": 4},
                 "value": {"value": "2026-03-01T11:00:00Z"}},
                {"incident_timestamp": {"id": "t5", "name": "Postmortem written", "rank": 5}}
            ]
        })
    }

    fn mapped(value: &Value) -> IncomingIncident {
        match map_incident(value).unwrap() {
            Mapped::Incident(i) => *i,
            other => panic!("not kept: {other:?}"),
        }
    }

    #[test]
    fn a_closed_incident_reads_its_milestones_from_named_timestamps() {
        let i = mapped(&incident("closed", "standard"));
        let t = |s: &str| Some(s.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(i.status, IncidentStatus::Resolved);
        assert_eq!(i.impact_started_at, t("2026-03-01T09:50:00Z"));
        assert_eq!(i.acknowledged_at, t("2026-03-01T10:03:00Z"));
        assert_eq!(i.mitigated_at, t("2026-03-01T10:40:00Z"));
        assert_eq!(i.resolved_at, t("2026-03-01T11:00:00Z"));
        assert_eq!((i.number, i.urgency), (Some(42), Urgency::High));
        assert_eq!(i.urgency_raw.as_deref(), Some("Critical"));
        assert!(i.raw.unwrap().contains("Postmortem written"));
    }

    #[test]
    fn each_status_category_has_a_place() {
        let status = |c| mapped(&incident(c, "standard")).status;
        assert_eq!(status("triage"), IncidentStatus::Triggered);
        assert_eq!(status("live"), IncidentStatus::Acknowledged);
        assert_eq!(status("paused"), IncidentStatus::Acknowledged);
        assert_eq!(status("learning"), IncidentStatus::Resolved);
        let merged = mapped(&incident("merged", "retrospective"));
        assert_eq!(merged.merged_into.as_deref(), Some(UNKNOWN_MERGE_TARGET));
        assert_eq!(
            merged.resolved_at,
            Some("2026-03-01T12:00:00Z".parse().unwrap())
        );
        for gone in ["declined", "canceled"] {
            assert!(matches!(
                map_incident(&incident(gone, "standard")),
                Ok(Mapped::Excluded { .. })
            ));
        }
        let unknown = map_incident(&incident("snoozed", "standard")).unwrap_err();
        assert!(
            unknown.contains("01HX") && unknown.contains("snoozed"),
            "{unknown}"
        );
    }

    #[test]
    fn test_and_tutorial_incidents_are_excluded() {
        for mode in ["test", "tutorial"] {
            assert!(matches!(
                map_incident(&incident("live", mode)),
                Ok(Mapped::Excluded { .. })
            ));
        }
    }

    #[test]
    fn an_open_incident_has_no_resolution_even_if_a_timestamp_says_so() {
        let i = mapped(&incident("live", "standard"));
        assert_eq!(i.resolved_at, None);
    }

    #[test]
    fn the_latest_update_naming_a_target_is_the_merge() {
        let page: UpdatesPage = serde_json::from_value(json!({"incident_updates": [
            {"created_at": "2026-03-01T10:00:00Z", "merged_into_incident_id": "A"},
            {"created_at": "2026-03-01T11:00:00Z", "merged_into_incident_id": "B"},
            {"created_at": "2026-03-01T12:00:00Z"}
        ]}))
        .unwrap();
        assert_eq!(merge_target(&page).as_deref(), Some("B"));
    }
}
