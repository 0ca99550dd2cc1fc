//! An incident's timeline and the milestones read from it.
//!
//! The milestones follow one rule set, whatever the vendor: the first acknowledgement is the
//! earliest one ever seen (an "unacknowledge" does not erase it); the resolution is the last one,
//! and only counts while no trigger came after it, so a reopened incident is open again and gets
//! a new resolved time when it is closed again.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::incident::IncidentStatus;

/// What happened at one moment of an incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Opened; a trigger after a resolution reopens the incident.
    Triggered,
    /// Someone took it.
    Acknowledged,
    /// An acknowledgement was withdrawn (or timed out).
    Unacknowledged,
    /// Passed to the next escalation level.
    Escalated,
    /// Assigned or reassigned to a responder.
    Assigned,
    /// Someone was notified.
    Notified,
    /// The impact was stopped, before the full fix.
    Mitigated,
    /// Closed.
    Resolved,
    /// A note or status update.
    Annotated,
    /// Anything else the vendor records; its own type name is kept in the summary.
    Other,
}

impl EventKind {
    /// The stable name used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Triggered => "triggered",
            EventKind::Acknowledged => "acknowledged",
            EventKind::Unacknowledged => "unacknowledged",
            EventKind::Escalated => "escalated",
            EventKind::Assigned => "assigned",
            EventKind::Notified => "notified",
            EventKind::Mitigated => "mitigated",
            EventKind::Resolved => "resolved",
            EventKind::Annotated => "annotated",
            EventKind::Other => "other",
        }
    }

    /// Parses the stable name; unknown names read as [`EventKind::Other`].
    pub fn parse(s: &str) -> Self {
        match s {
            "triggered" => EventKind::Triggered,
            "acknowledged" => EventKind::Acknowledged,
            "unacknowledged" => EventKind::Unacknowledged,
            "escalated" => EventKind::Escalated,
            "assigned" => EventKind::Assigned,
            "notified" => EventKind::Notified,
            "mitigated" => EventKind::Mitigated,
            "resolved" => EventKind::Resolved,
            "annotated" => EventKind::Annotated,
            _ => EventKind::Other,
        }
    }
}

/// One timeline entry, as far as the milestones care.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: EventKind,
    /// Who did it, where known.
    pub actor: Option<String>,
    /// The vendor's one-line description.
    pub summary: String,
}

impl TimelineEntry {
    /// An entry with no actor and an empty summary.
    pub fn new(at: DateTime<Utc>, kind: EventKind) -> Self {
        TimelineEntry {
            at,
            kind,
            actor: None,
            summary: String::new(),
        }
    }
}

/// What the timeline says about an incident's life.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestones {
    /// The earliest acknowledgement.
    pub first_acknowledged_at: Option<DateTime<Utc>>,
    /// The earliest mitigation.
    pub first_mitigated_at: Option<DateTime<Utc>>,
    /// The last resolution, if no trigger came after it.
    pub resolved_at: Option<DateTime<Utc>>,
    /// How often a trigger followed a resolution.
    pub reopen_count: u32,
    /// The state after the last entry; `None` for a timeline without state changes.
    pub status: Option<IncidentStatus>,
}

impl Milestones {
    /// Reads the milestones from entries in any order (ties keep their given order).
    pub fn from_timeline(entries: &[TimelineEntry]) -> Self {
        let mut ordered: Vec<&TimelineEntry> = entries.iter().collect();
        ordered.sort_by_key(|e| e.at);

        let mut m = Milestones::default();
        for entry in ordered {
            match entry.kind {
                EventKind::Triggered => {
                    if m.status == Some(IncidentStatus::Resolved) {
                        m.reopen_count += 1;
                    }
                    if m.status != Some(IncidentStatus::Acknowledged) {
                        m.status = Some(IncidentStatus::Triggered);
                    }
                    m.resolved_at = None;
                }
                EventKind::Acknowledged => {
                    m.first_acknowledged_at.get_or_insert(entry.at);
                    if m.status != Some(IncidentStatus::Resolved) {
                        m.status = Some(IncidentStatus::Acknowledged);
                    }
                }
                EventKind::Unacknowledged => {
                    if m.status == Some(IncidentStatus::Acknowledged) {
                        m.status = Some(IncidentStatus::Triggered);
                    }
                }
                EventKind::Mitigated => {
                    m.first_mitigated_at.get_or_insert(entry.at);
                }
                EventKind::Resolved => {
                    m.resolved_at = Some(entry.at);
                    m.status = Some(IncidentStatus::Resolved);
                }
                EventKind::Escalated
                | EventKind::Assigned
                | EventKind::Notified
                | EventKind::Annotated
                | EventKind::Other => {}
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap() + Duration::minutes(minute)
    }

    fn timeline(steps: &[(i64, EventKind)]) -> Vec<TimelineEntry> {
        steps
            .iter()
            .map(|&(m, k)| TimelineEntry::new(at(m), k))
            .collect()
    }

    #[test]
    fn a_reopened_incident_is_resolved_at_its_last_resolution() {
        use EventKind::*;
        let m = Milestones::from_timeline(&timeline(&[
            (0, Triggered),
            (5, Acknowledged),
            (20, Resolved),
            (40, Triggered),
            (55, Resolved),
        ]));
        assert_eq!(m.resolved_at, Some(at(55)));
        assert_eq!(m.first_acknowledged_at, Some(at(5)));
        assert_eq!(m.reopen_count, 1);
        assert_eq!(m.status, Some(IncidentStatus::Resolved));
    }

    #[test]
    fn a_reopened_incident_still_open_has_no_resolved_time() {
        use EventKind::*;
        let m = Milestones::from_timeline(&timeline(&[
            (0, Triggered),
            (20, Resolved),
            (40, Triggered),
        ]));
        assert_eq!(m.resolved_at, None);
        assert_eq!(m.status, Some(IncidentStatus::Triggered));
    }

    #[test]
    fn an_unacknowledgement_keeps_the_first_acknowledgement() {
        use EventKind::*;
        let m = Milestones::from_timeline(&timeline(&[
            (0, Triggered),
            (3, Acknowledged),
            (10, Unacknowledged),
            (12, Acknowledged),
        ]));
        assert_eq!(m.first_acknowledged_at, Some(at(3)));
        assert_eq!(m.status, Some(IncidentStatus::Acknowledged));
    }

    #[test]
    fn a_resolved_incident_never_acknowledged_has_no_acknowledgement() {
        use EventKind::*;
        let m = Milestones::from_timeline(&timeline(&[(0, Triggered), (9, Resolved)]));
        assert_eq!(m.first_acknowledged_at, None);
        assert_eq!(m.resolved_at, Some(at(9)));
    }

    #[test]
    fn entries_out_of_order_give_the_same_milestones() {
        use EventKind::*;
        let m = Milestones::from_timeline(&timeline(&[
            (30, Resolved),
            (2, Acknowledged),
            (0, Triggered),
        ]));
        assert_eq!(m.resolved_at, Some(at(30)));
        assert_eq!(m.first_acknowledged_at, Some(at(2)));
    }

    fn kind() -> impl Strategy<Value = EventKind> {
        prop_oneof![
            Just(EventKind::Triggered),
            Just(EventKind::Acknowledged),
            Just(EventKind::Unacknowledged),
            Just(EventKind::Resolved),
            Just(EventKind::Annotated),
        ]
    }

    proptest! {
        #[test]
        fn milestones_agree_with_a_naive_reading(steps in prop::collection::vec((0i64..500, kind()), 0..30)) {
            let entries = timeline(&steps);
            let m = Milestones::from_timeline(&entries);

            let mut sorted = steps.clone();
            sorted.sort_by_key(|s| s.0);
            let first_ack = sorted.iter().find(|s| s.1 == EventKind::Acknowledged).map(|s| at(s.0));
            let last_state = sorted
                .iter()
                .rev()
                .find(|s| matches!(s.1, EventKind::Triggered | EventKind::Resolved));
            let resolved = match last_state {
                Some((t, EventKind::Resolved)) => Some(at(*t)),
                _ => None,
            };
            prop_assert_eq!(m.first_acknowledged_at, first_ack);
            prop_assert_eq!(m.resolved_at, resolved);
            prop_assert!(m.first_acknowledged_at.is_none_or(|a| entries.iter().all(|e| e.kind != EventKind::Acknowledged || e.at >= a)));
        }
    }
}
