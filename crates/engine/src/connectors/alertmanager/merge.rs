//! How an observed alert meets what the cache already holds of it.
//!
//! An alert is keyed by its fingerprint, so the same label set is one incident however often it
//! fires. Alertmanager forgets an alert once it is resolved and starts it afresh when it fires
//! again, with a new `startsAt`: that new firing is a reopen of the incident (a trigger entry
//! after its resolution), and the incident keeps the creation time of its first firing.
//! Firing and resolution are written as timeline entries keyed by their instant, so seeing the
//! same alert again (every poll, every repeated webhook) adds nothing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use vigil_core::{EventKind, Incident, IncidentStatus, Urgency};

use super::model::Observed;
use crate::connectors::api::is_urgent_word;
use crate::store::{IncomingEvent, IncomingIncident};
use crate::sync::IncidentEvent;

/// What the cache holds of an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// Its first firing.
    pub created_at: DateTime<Utc>,
    /// Its last resolution, while resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Whether it is open in the cache.
    pub open: bool,
}

/// The cache's alerts of a source, by fingerprint.
pub fn known_alerts(incidents: &[Incident]) -> HashMap<String, Known> {
    incidents
        .iter()
        .map(|i| {
            let known = Known {
                created_at: i.created_at,
                resolved_at: i.resolved_at,
                open: i.status.is_open(),
            };
            (i.external_id.clone(), known)
        })
        .collect()
}

/// The incident and timeline entries one observation of an alert, at `seen_at`, amounts to.
pub fn observe(
    alert: &Observed,
    known: Option<&Known>,
    seen_at: DateTime<Utc>,
) -> (IncomingIncident, Vec<IncidentEvent>) {
    let closed_at = known.filter(|k| !k.open).and_then(|k| k.resolved_at);
    // Alertmanager restarted, or a poll missed the alert for a moment: the cache closed the
    // firing that Alertmanager still reports with its old start.
    let same_firing_as_closed = closed_at.is_some_and(|closed| alert.starts_at <= closed);
    let mut events = Vec::new();
    let entry = |external_id: String, at, kind, summary: String| IncidentEvent {
        incident: alert.fingerprint.clone(),
        event: IncomingEvent {
            external_id,
            at,
            kind,
            vendor_type: Some(kind.as_str().to_owned()),
            actor: None,
            summary,
        },
    };
    match (same_firing_as_closed, alert.ends_at) {
        (true, None) => {
            let at = closed_at.map_or(seen_at, |c| seen_at.max(c + Duration::seconds(1)));
            events.push(entry(
                format!("firing-again:{}", stamp(at)),
                at,
                EventKind::Triggered,
                format!(
                    "firing again (Alertmanager kept its start time, {})",
                    stamp(alert.starts_at)
                ),
            ));
        }
        // The firing the cache already closed, reported resolved: nothing new.
        (true, Some(_)) => {}
        (false, ends_at) => {
            events.push(entry(
                format!("firing:{}", stamp(alert.starts_at)),
                alert.starts_at,
                EventKind::Triggered,
                "firing".into(),
            ));
            if let Some(end) = ends_at {
                let end = end.max(alert.starts_at);
                events.push(entry(
                    format!("resolved:{}", stamp(end)),
                    end,
                    EventKind::Resolved,
                    "resolved".into(),
                ));
            }
        }
    }

    let firing = alert.ends_at.is_none();
    let status = if firing {
        IncidentStatus::Triggered
    } else {
        IncidentStatus::Resolved
    };
    let resolved_at = match (firing, same_firing_as_closed) {
        (true, _) => None,
        (false, true) => closed_at,
        (false, false) => alert.ends_at,
    };
    let severity = alert
        .labels
        .get("severity")
        .or_else(|| alert.labels.get("priority"))
        .cloned();
    let urgency = match severity.as_deref() {
        Some(word) if is_urgent_word(word) => Urgency::High,
        _ => Urgency::Low,
    };
    let incident = IncomingIncident {
        external_id: alert.fingerprint.clone(),
        number: None,
        title: title(alert),
        service: label(alert, &["service", "job"]),
        team: label(alert, &["team"]),
        urgency,
        urgency_raw: severity,
        status,
        created_at: known.map_or(alert.starts_at, |k| k.created_at.min(alert.starts_at)),
        acknowledged_at: None,
        mitigated_at: None,
        resolved_at,
        impact_started_at: None,
        impact_ended_at: None,
        merged_into: None,
        url: alert.generator_url.clone(),
        raw: Some(alert.raw.clone()),
    };
    (incident, events)
}

/// The timeline entry that resolves an alert the poll no longer lists (see
/// [`super::Alertmanager`] for why the poll's time is the one used).
pub fn resolved_by_absence(fingerprint: &str, polled_at: DateTime<Utc>) -> IncidentEvent {
    IncidentEvent {
        incident: fingerprint.to_owned(),
        event: IncomingEvent {
            external_id: format!("absent:{}", stamp(polled_at)),
            at: polled_at,
            kind: EventKind::Resolved,
            vendor_type: Some("absent".into()),
            actor: None,
            summary: "no longer listed by Alertmanager; resolved at the time of this poll".into(),
        },
    }
}

/// `alertname: summary`, or whichever of the two the alert has, or its fingerprint.
fn title(alert: &Observed) -> String {
    let name = label(alert, &["alertname"]);
    let summary = alert
        .annotations
        .get("summary")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty());
    match (name, summary) {
        (Some(name), Some(summary)) => format!("{name}: {summary}"),
        (Some(name), None) => name,
        (None, Some(summary)) => summary.to_owned(),
        (None, None) => alert.fingerprint.clone(),
    }
}

/// The first of these labels the alert has, non-empty.
fn label(alert: &Observed, names: &[&str]) -> Option<String> {
    names
        .iter()
        .filter_map(|n| alert.labels.get(*n))
        .map(|v| v.trim())
        .find(|v| !v.is_empty())
        .map(str::to_owned)
}

fn stamp(at: DateTime<Utc>) -> String {
    vigil_core::time::to_rfc3339_utc(at)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        "2026-03-01T10:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minute)
    }

    fn alert(starts: i64, ends: Option<i64>) -> Observed {
        let labels = BTreeMap::from([
            ("alertname".to_owned(), "DiskFull".to_owned()),
            ("severity".to_owned(), "critical".to_owned()),
            ("job".to_owned(), "node".to_owned()),
        ]);
        Observed {
            fingerprint: "fp".into(),
            labels,
            annotations: BTreeMap::new(),
            starts_at: at(starts),
            ends_at: ends.map(at),
            generator_url: None,
            raw: "{}".into(),
        }
    }

    fn kinds(events: &[IncidentEvent]) -> Vec<(EventKind, DateTime<Utc>)> {
        events.iter().map(|e| (e.event.kind, e.event.at)).collect()
    }

    #[test]
    fn a_new_firing_alert_is_triggered_at_its_start() {
        let (incident, events) = observe(&alert(0, None), None, at(5));
        assert_eq!(incident.status, IncidentStatus::Triggered);
        assert_eq!(incident.urgency, Urgency::High);
        assert_eq!(incident.service.as_deref(), Some("node"));
        assert_eq!(incident.title, "DiskFull");
        assert_eq!(kinds(&events), [(EventKind::Triggered, at(0))]);
    }

    #[test]
    fn a_new_firing_after_a_resolution_reopens_and_keeps_the_first_creation() {
        let known = Known {
            created_at: at(0),
            resolved_at: Some(at(20)),
            open: false,
        };
        let (incident, events) = observe(&alert(40, None), Some(&known), at(45));
        assert_eq!(incident.created_at, at(0));
        assert_eq!(kinds(&events), [(EventKind::Triggered, at(40))]);
    }

    #[test]
    fn the_old_firing_seen_again_after_the_cache_closed_it_is_a_trigger_now() {
        let known = Known {
            created_at: at(0),
            resolved_at: Some(at(20)),
            open: false,
        };
        let (_, events) = observe(&alert(0, None), Some(&known), at(30));
        assert_eq!(kinds(&events), [(EventKind::Triggered, at(30))]);
        let (_, events) = observe(&alert(0, Some(10)), Some(&known), at(30));
        assert!(events.is_empty());
    }
}
