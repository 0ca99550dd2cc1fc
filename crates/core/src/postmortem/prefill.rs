//! What a new postmortem knows before anyone writes a word: read from its incidents.
//!
//! Several incidents (one outage paged three teams) are reviewed as one event: it starts with the
//! earliest and ends with the last, and the durations are those of that combined event, computed
//! by the same [`IncidentFacts`] arithmetic the KPI dashboard uses, so a postmortem and the
//! dashboard never disagree about the same incident.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::document::{KeyMoment, TimelineItem};
use super::ids::TimelineItemId;
use crate::incident::Incident;
use crate::metrics::IncidentFacts;
use crate::timeline::{EventKind, TimelineEntry};

/// One incident as the prefill reads it: the cached record, what the timeline adds, and the
/// synced timeline itself.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentInput {
    /// The cached incident.
    pub incident: Incident,
    /// The impact start the vendor stated, if any.
    pub impact_started_at: Option<DateTime<Utc>>,
    /// The impact end the vendor stated, if any.
    pub impact_ended_at: Option<DateTime<Utc>>,
    /// The earliest mitigation, if any.
    pub first_mitigated_at: Option<DateTime<Utc>>,
    /// The synced timeline.
    pub timeline: Vec<TimelineEntry>,
}

/// Seconds of each phase of the combined event; `None` where an instant is missing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefillDurations {
    /// Impact start to the first incident's creation (only where an impact start is recorded).
    pub detect_seconds: Option<i64>,
    /// First creation to the first acknowledgement.
    pub acknowledge_seconds: Option<i64>,
    /// First creation to the first mitigation.
    pub mitigate_seconds: Option<i64>,
    /// First creation to the last resolution, once every incident is resolved.
    pub resolve_seconds: Option<i64>,
}

/// The definitions behind [`PrefillDurations`], in the words the exports print beside them.
pub const DURATION_DEFINITIONS: [(&str, &str); 4] = [
    (
        "Time to detect",
        "from the recorded impact start to the first incident's creation (the MTTD rule)",
    ),
    (
        "Time to acknowledge",
        "from the first incident's creation to the earliest acknowledgement (the MTTA rule)",
    ),
    (
        "Time to mitigate",
        "from the first incident's creation to the earliest mitigation (the MTTM rule)",
    ),
    (
        "Time to resolve",
        "from the first incident's creation to the last resolution, once all are resolved \
         (the MTTR rule)",
    ),
];

/// What the cache says about the reviewed event; kept with the postmortem as it was when the
/// postmortem was created, so a later sync does not change a document under review.
///
/// Known limit: marking other key moments on the timeline does not recompute these durations;
/// they stay those of the incidents as synced. Reading them from the marked moments instead
/// (impact start to detection, and so on) would let a review correct a late-recorded mitigation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostmortemFacts {
    /// The first incident's creation.
    pub started_at: DateTime<Utc>,
    /// The last resolution, once every incident is resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Affected services, sorted.
    pub services: Vec<String>,
    /// Everyone named on a timeline, sorted.
    pub responders: Vec<String>,
    /// Impact start: the vendors' stated starts where known, else the creation.
    pub impact_started_at: DateTime<Utc>,
    /// Impact end: the stated ends where known, else the resolutions; `None` while any is open.
    pub impact_ended_at: Option<DateTime<Utc>>,
    /// The phase durations.
    pub durations: PrefillDurations,
}

/// The facts a new postmortem starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prefill {
    /// A working title.
    pub title: String,
    /// Dates, services, responders, impact window and durations.
    pub facts: PostmortemFacts,
    /// The timeline, oldest first, with the key moments marked.
    pub timeline: Vec<TimelineItem>,
}

impl Prefill {
    /// Reads the prefill from `incidents` (at least one); `new_id` makes timeline item ids.
    pub fn from_incidents(
        incidents: &[IncidentInput],
        mut new_id: impl FnMut() -> Uuid,
    ) -> Option<Self> {
        let first = incidents.iter().min_by_key(|i| i.incident.created_at)?;
        let started_at = first.incident.created_at;
        let resolved_at = incidents
            .iter()
            .map(|i| i.incident.resolved_at)
            .collect::<Option<Vec<_>>>()
            .and_then(|ends| ends.into_iter().max());
        let stated_start = incidents.iter().filter_map(|i| i.impact_started_at).min();
        let impact_ended_at = incidents
            .iter()
            .map(|i| i.impact_ended_at.or(i.incident.resolved_at))
            .collect::<Option<Vec<_>>>()
            .and_then(|ends| ends.into_iter().max());

        let mut combined = IncidentFacts::from_incident(&first.incident, "");
        combined.impact_started_at = stated_start;
        combined.first_acknowledged_at = incidents
            .iter()
            .filter_map(|i| i.incident.first_acknowledged_at)
            .min();
        combined.first_mitigated_at = incidents.iter().filter_map(|i| i.first_mitigated_at).min();
        combined.resolved_at = resolved_at;
        let durations = PrefillDurations {
            detect_seconds: combined.seconds_to_detect(),
            acknowledge_seconds: combined.seconds_to_acknowledge(),
            mitigate_seconds: combined.seconds_to_mitigate(),
            resolve_seconds: combined.seconds_to_resolve(),
        };

        let services: BTreeSet<String> = incidents
            .iter()
            .filter_map(|i| i.incident.service.clone())
            .collect();
        let responders: BTreeSet<String> = incidents
            .iter()
            .flat_map(|i| i.timeline.iter().filter_map(|e| e.actor.clone()))
            .filter(|a| !a.trim().is_empty())
            .collect();
        let title = match incidents.len() {
            1 => format!("Postmortem: {}", first.incident.title),
            n => format!("Postmortem: {} and {} more", first.incident.title, n - 1),
        };

        let mut timeline = copy_timeline(incidents, &mut new_id);
        mark_key_moments(
            &mut timeline,
            stated_start,
            resolved_at.is_some(),
            &mut new_id,
        );
        Some(Prefill {
            title,
            facts: PostmortemFacts {
                started_at,
                resolved_at,
                services: services.into_iter().collect(),
                responders: responders.into_iter().collect(),
                impact_started_at: stated_start.map_or(started_at, |s| s.min(started_at)),
                impact_ended_at,
                durations,
            },
            timeline,
        })
    }
}

fn copy_timeline(
    incidents: &[IncidentInput],
    new_id: &mut impl FnMut() -> Uuid,
) -> Vec<TimelineItem> {
    let mut items: Vec<TimelineItem> = incidents
        .iter()
        .flat_map(|i| i.timeline.iter().map(move |e| (i.incident.id, e)))
        .map(|(incident, e)| TimelineItem {
            id: TimelineItemId(new_id()),
            at: e.at,
            incident_id: Some(incident),
            kind: e.kind.as_str().to_owned(),
            actor: e.actor.clone(),
            summary: e.summary.clone(),
            annotation: None,
            key_moment: None,
        })
        .collect();
    items.sort_by_key(|i| i.at);
    items
}

/// Detection is the first trigger, mitigation the first mitigation, resolution the last
/// resolution (only when all incidents are resolved). The impact start gets an entry of its own
/// when a vendor stated one before the first trigger; otherwise the writer marks it by hand.
fn mark_key_moments(
    items: &mut Vec<TimelineItem>,
    stated_start: Option<DateTime<Utc>>,
    all_resolved: bool,
    new_id: &mut impl FnMut() -> Uuid,
) {
    let is = |kind: EventKind| move |i: &TimelineItem| i.kind == kind.as_str();
    if let Some(i) = items.iter().position(is(EventKind::Triggered)) {
        items[i].key_moment = Some(KeyMoment::Detection);
    }
    if let Some(i) = items.iter().position(is(EventKind::Mitigated)) {
        items[i].key_moment.get_or_insert(KeyMoment::Mitigation);
    }
    if all_resolved {
        if let Some(i) = items.iter().rposition(is(EventKind::Resolved)) {
            items[i].key_moment.get_or_insert(KeyMoment::Resolution);
        }
    }
    let first_at = items.first().map(|i| i.at);
    if let Some(start) = stated_start.filter(|s| first_at.is_none_or(|f| *s < f)) {
        items.insert(
            0,
            TimelineItem {
                id: TimelineItemId(new_id()),
                at: start,
                incident_id: None,
                kind: "impact_started".to_owned(),
                actor: None,
                summary: "Impact began (as recorded by the source)".to_owned(),
                annotation: None,
                key_moment: Some(KeyMoment::ImpactStart),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::ids::{IncidentId, SourceId};
    use crate::incident::{IncidentStatus, Urgency};

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 2, h, m, 0)
            .single()
            .expect("valid")
    }

    fn input(
        n: u128,
        service: &str,
        created: DateTime<Utc>,
        resolved: Option<DateTime<Utc>>,
    ) -> IncidentInput {
        let mut timeline = vec![TimelineEntry::new(created, EventKind::Triggered)];
        timeline.extend(resolved.map(|r| TimelineEntry::new(r, EventKind::Resolved)));
        IncidentInput {
            incident: Incident {
                id: IncidentId(Uuid::from_u128(n)),
                source_id: SourceId(Uuid::from_u128(99)),
                external_id: format!("E{n}"),
                number: None,
                title: format!("Incident {n}"),
                service: Some(service.to_owned()),
                team: None,
                urgency: Urgency::High,
                urgency_raw: None,
                status: if resolved.is_some() {
                    IncidentStatus::Resolved
                } else {
                    IncidentStatus::Triggered
                },
                created_at: created,
                first_acknowledged_at: None,
                resolved_at: resolved,
                merged_into: None,
                reopen_count: 0,
                url: None,
                updated_at: created,
            },
            impact_started_at: None,
            impact_ended_at: None,
            first_mitigated_at: None,
            timeline,
        }
    }

    #[test]
    fn two_incidents_are_reviewed_as_one_event_from_the_first_to_the_last() {
        let incidents = [
            input(2, "search", at(10, 5), Some(at(11, 30))),
            input(1, "api", at(10, 0), Some(at(10, 50))),
        ];
        let p = Prefill::from_incidents(&incidents, Uuid::nil).expect("prefill");

        assert_eq!(p.title, "Postmortem: Incident 1 and 1 more");
        assert_eq!(p.facts.started_at, at(10, 0));
        assert_eq!(p.facts.resolved_at, Some(at(11, 30)));
        assert_eq!(p.facts.services, ["api", "search"]);
        assert_eq!(p.facts.durations.resolve_seconds, Some(90 * 60));
        assert_eq!(
            p.facts.durations.detect_seconds, None,
            "no impact start recorded"
        );
        let marks: Vec<_> = p.timeline.iter().map(|t| (t.at, t.key_moment)).collect();
        assert_eq!(
            marks,
            [
                (at(10, 0), Some(KeyMoment::Detection)),
                (at(10, 5), None),
                (at(10, 50), None),
                (at(11, 30), Some(KeyMoment::Resolution)),
            ]
        );
    }

    #[test]
    fn while_one_incident_is_open_the_event_has_no_resolution_or_impact_end() {
        let incidents = [
            input(1, "api", at(10, 0), Some(at(10, 50))),
            input(2, "api", at(10, 5), None),
        ];
        let p = Prefill::from_incidents(&incidents, Uuid::nil).expect("prefill");

        assert_eq!(p.facts.resolved_at, None);
        assert_eq!(p.facts.impact_ended_at, None);
        assert_eq!(p.facts.durations.resolve_seconds, None);
        assert!(p
            .timeline
            .iter()
            .all(|t| t.key_moment != Some(KeyMoment::Resolution)));
        assert!(Prefill::from_incidents(&[], Uuid::nil).is_none());
    }
}
