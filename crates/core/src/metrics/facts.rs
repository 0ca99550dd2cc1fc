//! What the KPIs read about one incident.
//!
//! This is narrower than [`Incident`] and wider at once: it drops titles and urls, which no
//! number depends on, and adds what the timeline and the responder tables know (impact start,
//! first mitigation, who was interrupted when). Keeping it a plain value means the engine can
//! fill it from SQLite and the UI from what it already holds, and both get the same KPIs.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::ids::IncidentId;
use crate::incident::{Incident, Urgency};

/// One incident's facts, one value per incident identity: a reopened incident is still one
/// value, carrying its last resolution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentFacts {
    /// Vigil's id, so a KPI can be traced back to the incidents behind it.
    pub id: IncidentId,
    /// The configured source's name, as counts by source show it.
    pub source: String,
    /// The affected service, where the vendor names one.
    pub service: Option<String>,
    /// The owning team, where the vendor names one.
    pub team: Option<String>,
    /// Normalised urgency.
    pub urgency: Urgency,
    /// When the vendor opened it; the instant that places it in a period.
    pub created_at: DateTime<Utc>,
    /// The earliest acknowledgement ever, kept through later unacknowledgements.
    pub first_acknowledged_at: Option<DateTime<Utc>>,
    /// When the impact began, where someone recorded it (often before the alert).
    pub impact_started_at: Option<DateTime<Utc>>,
    /// The earliest mitigation, where the timeline has one.
    pub first_mitigated_at: Option<DateTime<Utc>>,
    /// The last resolution; `None` while open, including after a reopen.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Whether it was merged into another incident; merged-away incidents count nowhere.
    pub merged: bool,
    /// How often it was reopened; informative only, since it stays one incident.
    pub reopen_count: u32,
    /// Who was interrupted by it, and when.
    pub responders: Vec<Responder>,
}

/// A person paged or acknowledging on one incident.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Responder {
    /// The name (or vendor user id) the load is grouped by.
    pub name: String,
    /// The responder's own zone: business hours are theirs, not the team's.
    pub zone: Tz,
    /// Each notification and acknowledgement on this incident.
    pub interruptions: Vec<Interruption>,
}

/// One moment an incident took a responder's attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interruption {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What it was.
    pub kind: InterruptionKind,
}

/// The two ways an incident interrupts someone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InterruptionKind {
    /// A page, call, push or mail reached them.
    Notified,
    /// They took the incident (again, after an unacknowledgement, also counts).
    Acknowledged,
}

impl IncidentFacts {
    /// The facts an [`Incident`] row holds; impact start, mitigation and responders are left
    /// empty for the caller to fill from the timeline.
    pub fn from_incident(incident: &Incident, source: impl Into<String>) -> Self {
        IncidentFacts {
            id: incident.id,
            source: source.into(),
            service: incident.service.clone(),
            team: incident.team.clone(),
            urgency: incident.urgency,
            created_at: incident.created_at,
            first_acknowledged_at: incident.first_acknowledged_at,
            impact_started_at: None,
            first_mitigated_at: None,
            resolved_at: incident.resolved_at,
            merged: incident.is_merged(),
            reopen_count: incident.reopen_count,
            responders: Vec::new(),
        }
    }

    /// Whether it still has no resolution.
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }

    /// Seconds from creation to the first acknowledgement.
    pub fn seconds_to_acknowledge(&self) -> Option<i64> {
        self.first_acknowledged_at
            .map(|at| elapsed_seconds(self.created_at, at))
    }

    /// Seconds from the start of the impact to creation, where the impact start is known.
    pub fn seconds_to_detect(&self) -> Option<i64> {
        self.impact_started_at
            .map(|at| elapsed_seconds(at, self.created_at))
    }

    /// Seconds from creation to the first mitigation, where there was one.
    pub fn seconds_to_mitigate(&self) -> Option<i64> {
        self.first_mitigated_at
            .map(|at| elapsed_seconds(self.created_at, at))
    }

    /// Seconds from creation to the last resolution; `None` while open, never `now - created`.
    pub fn seconds_to_resolve(&self) -> Option<i64> {
        self.resolved_at
            .map(|at| elapsed_seconds(self.created_at, at))
    }
}

/// Whole seconds from `from` to `to`, and zero when `to` comes first: vendors' clocks disagree by
/// a few seconds, and an impact start typed in by hand may fall after the alert. Letting such a
/// span go negative would pull a mean below what any incident took.
pub(crate) fn elapsed_seconds(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_seconds().max(0)
}

/// The incidents that take part in any KPI: all but the merged-away.
pub(crate) fn counted<'a, I>(facts: I) -> impl Iterator<Item = &'a IncidentFacts>
where
    I: IntoIterator<Item = &'a IncidentFacts>,
{
    facts.into_iter().filter(|f| !f.merged)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use uuid::Uuid;

    use super::*;
    use crate::ids::SourceId;
    use crate::incident::IncidentStatus;

    fn incident() -> Incident {
        let created = Utc.with_ymd_and_hms(2026, 4, 1, 9, 0, 0).unwrap();
        Incident {
            id: IncidentId(Uuid::from_u128(7)),
            source_id: SourceId(Uuid::from_u128(1)),
            external_id: "P123".into(),
            number: Some(42),
            title: "checkout 500s".into(),
            service: Some("checkout".into()),
            team: Some("payments".into()),
            urgency: Urgency::High,
            urgency_raw: Some("P1".into()),
            status: IncidentStatus::Resolved,
            created_at: created,
            first_acknowledged_at: Some(created + Duration::minutes(4)),
            resolved_at: Some(created + Duration::minutes(30)),
            merged_into: Some("P100".into()),
            reopen_count: 1,
            url: None,
            updated_at: created,
        }
    }

    #[test]
    fn facts_from_an_incident_keep_its_instants_and_merge() {
        let facts = IncidentFacts::from_incident(&incident(), "pagerduty");

        assert_eq!(facts.seconds_to_acknowledge(), Some(4 * 60));
        assert_eq!(facts.seconds_to_resolve(), Some(30 * 60));
        assert!(facts.merged);
        assert_eq!(facts.reopen_count, 1);
        assert_eq!(facts.source, "pagerduty");
    }

    #[test]
    fn an_impact_start_after_the_alert_reads_as_zero_time_to_detect() {
        let mut facts = IncidentFacts::from_incident(&incident(), "pagerduty");
        facts.impact_started_at = Some(facts.created_at + Duration::seconds(20));

        assert_eq!(facts.seconds_to_detect(), Some(0));
    }

    #[test]
    fn an_open_incident_has_no_time_to_resolve() {
        let mut facts = IncidentFacts::from_incident(&incident(), "pagerduty");
        facts.resolved_at = None;

        assert!(facts.is_open());
        assert_eq!(facts.seconds_to_resolve(), None);
    }

    #[test]
    fn facts_survive_a_trip_through_json_with_the_zone_by_name() {
        let mut facts = IncidentFacts::from_incident(&incident(), "pagerduty");
        facts.responders.push(Responder {
            name: "ana".into(),
            zone: chrono_tz::America::New_York,
            interruptions: vec![Interruption {
                at: facts.created_at,
                kind: InterruptionKind::Notified,
            }],
        });

        let json = serde_json::to_string(&facts).expect("facts serialise");
        assert!(json.contains("\"America/New_York\""));
        let back: IncidentFacts = serde_json::from_str(&json).expect("facts deserialise");
        assert_eq!(back, facts);
    }
}
