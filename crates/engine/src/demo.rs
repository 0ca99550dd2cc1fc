//! The demo workspace: about 500 realistic incidents over the 180 days before today, so a new
//! user sees a working tool before connecting a vendor. It is an ordinary, removable source of
//! kind `demo`, seeded only into an empty database. The catalogue of services and titles is in
//! `assets/demo/catalog.json`; a fixed seed makes the same day give the same workspace.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use tracing::info;
use vigil_core::{EventKind, IncidentStatus, SourceKind, Urgency};

use crate::error::{EngineError, Result};
use crate::store::{
    add_events_tx, upsert_incident_tx, IncomingEvent, IncomingIncident, NewSource, Store,
};

const CATALOG: &str = include_str!("../../../assets/demo/catalog.json");

/// How many days back the demo reaches.
pub const DEMO_DAYS: i64 = 180;
/// The seed of the demo's generator.
const SEED: u64 = 0x5EED_0FD3;

#[derive(Debug, Deserialize)]
struct Catalog {
    services: Vec<ServiceEntry>,
    responders: Vec<String>,
    notes: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ServiceEntry {
    name: String,
    team: String,
    weight: u32,
    titles: Vec<String>,
}

/// One generated incident with its timeline.
#[derive(Debug, Clone)]
pub struct DemoIncident {
    /// The incident.
    pub incident: IncomingIncident,
    /// Its timeline, oldest first.
    pub events: Vec<IncomingEvent>,
}

/// Generates the demo incidents for the 180 days before `today` (UTC). Pure: the same `today`
/// always gives the same incidents.
pub fn generate(today: NaiveDate) -> Result<Vec<DemoIncident>> {
    let catalog: Catalog = serde_json::from_str(CATALOG)
        .map_err(|e| EngineError::BadInput(format!("the demo catalogue is invalid: {e}")))?;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let end = Utc.from_utc_datetime(&today.and_hms_opt(0, 0, 0).unwrap_or_default());
    let start = end - Duration::days(DEMO_DAYS);
    let total_weight: u32 = catalog.services.iter().map(|s| s.weight).sum();

    let mut out = Vec::new();
    let mut day = start;
    let mut number = 1000;
    while day < end {
        // About 2.8 incidents a day, fewer at weekends.
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let count = if weekend {
            rng.random_range(0..=3)
        } else {
            rng.random_range(1..=5)
        };
        let mut times: Vec<DateTime<Utc>> = (0..count)
            .map(|_| day + Duration::seconds(rng.random_range(0..86_400)))
            .collect();
        times.sort();
        for created in times {
            number += 1;
            let service = pick_service(&catalog, total_weight, &mut rng);
            out.push(one_incident(
                &catalog, service, number, created, end, &mut rng,
            ));
        }
        day += Duration::days(1);
    }
    merge_some(&mut out, &mut rng);
    Ok(out)
}

fn pick_service<'a>(catalog: &'a Catalog, total: u32, rng: &mut ChaCha8Rng) -> &'a ServiceEntry {
    let mut ticket = rng.random_range(0..total.max(1));
    for s in &catalog.services {
        if ticket < s.weight {
            return s;
        }
        ticket -= s.weight;
    }
    &catalog.services[0]
}

fn one_incident(
    catalog: &Catalog,
    service: &ServiceEntry,
    number: i64,
    created: DateTime<Utc>,
    end: DateTime<Utc>,
    rng: &mut ChaCha8Rng,
) -> DemoIncident {
    let external_id = format!("DEMO{number}");
    let title = service.titles.choose(rng).cloned().unwrap_or_default();
    let responder = catalog.responders.choose(rng).cloned();
    let urgency = if rng.random_bool(0.35) {
        Urgency::High
    } else {
        Urgency::Low
    };
    let mut events = Vec::new();
    let mut push = |at: DateTime<Utc>, kind: EventKind, actor: Option<String>, summary: String| {
        let n = events.len();
        events.push(IncomingEvent {
            external_id: format!("{external_id}-{n}"),
            at,
            kind,
            vendor_type: None,
            actor,
            summary,
        });
    };
    push(
        created,
        EventKind::Triggered,
        None,
        format!("Triggered by monitoring: {title}"),
    );
    push(
        created + Duration::seconds(rng.random_range(5..60)),
        EventKind::Notified,
        responder.clone(),
        format!(
            "Notified {} by push and phone",
            responder.as_deref().unwrap_or("on-call")
        ),
    );

    // Recent incidents may still be open; everything older is resolved.
    let age_hours = (end - created).num_hours();
    let still_open = age_hours < 72 && rng.random_bool(0.35);
    let acknowledged = rng.random_bool(0.92);
    // Minutes to acknowledge: mostly fast, with a long tail at night and for low urgency.
    let ack_minutes = match urgency {
        Urgency::High => rng.random_range(1.0f64..4.0).powf(2.0),
        Urgency::Low => rng.random_range(1.0f64..7.0).powf(2.0),
    };
    let ack_at = created + Duration::seconds((ack_minutes * 60.0) as i64);
    if acknowledged {
        push(
            ack_at,
            EventKind::Acknowledged,
            responder.clone(),
            "Acknowledged".into(),
        );
    }
    let work_start = if acknowledged { ack_at } else { created };
    let fix_minutes = rng.random_range(2.0f64..20.0).powf(2.2);
    let resolved_at = work_start + Duration::seconds((fix_minutes * 60.0) as i64);
    if rng.random_bool(0.6) {
        let note = catalog.notes.choose(rng).cloned().unwrap_or_default();
        let at = work_start + (resolved_at - work_start) / 2;
        push(at, EventKind::Annotated, responder.clone(), note);
    }
    let mut status = IncidentStatus::Triggered;
    let mut last_resolved = None;
    if !(still_open || resolved_at >= end) {
        push(
            resolved_at,
            EventKind::Resolved,
            responder.clone(),
            "Resolved".into(),
        );
        status = IncidentStatus::Resolved;
        last_resolved = Some(resolved_at);
        // About one in forty comes back and is closed again.
        let reopen_at = resolved_at + Duration::minutes(rng.random_range(20..240));
        let reclose_at = reopen_at + Duration::minutes(rng.random_range(10..90));
        if rng.random_bool(0.025) && reclose_at < end {
            push(
                reopen_at,
                EventKind::Triggered,
                None,
                "Re-triggered: alert fired again".into(),
            );
            push(
                reclose_at,
                EventKind::Resolved,
                responder.clone(),
                "Resolved again".into(),
            );
            last_resolved = Some(reclose_at);
        }
    } else if acknowledged {
        status = IncidentStatus::Acknowledged;
    }

    DemoIncident {
        incident: IncomingIncident {
            external_id,
            number: Some(number),
            title,
            service: Some(service.name.clone()),
            team: Some(service.team.clone()),
            urgency,
            urgency_raw: Some(urgency.as_str().to_owned()),
            status,
            created_at: created,
            acknowledged_at: None,
            mitigated_at: None,
            resolved_at: last_resolved,
            impact_started_at: None,
            impact_ended_at: None,
            merged_into: None,
            url: None,
            raw: None,
        },
        events,
    }
}

/// Marks a few resolved incidents as merged into an earlier one of the same service, as
/// responders do with duplicates of one outage.
fn merge_some(incidents: &mut [DemoIncident], rng: &mut ChaCha8Rng) {
    for i in 1..incidents.len() {
        let (before, rest) = incidents.split_at_mut(i);
        let current = &mut rest[0];
        let previous = &before[i - 1];
        let close = current.incident.created_at - previous.incident.created_at < Duration::hours(2);
        let same_service = current.incident.service == previous.incident.service;
        if close
            && same_service
            && current.incident.status == IncidentStatus::Resolved
            && rng.random_bool(0.5)
        {
            current.incident.merged_into = Some(previous.incident.external_id.clone());
        }
    }
}

/// Seeds the demo workspace when the database has no source yet. Returns whether it did.
pub fn seed_if_empty(store: &mut Store, today: NaiveDate) -> Result<bool> {
    if !store.is_empty()? {
        return Ok(false);
    }
    let incidents = generate(today)?;
    let source = store.add_source(&NewSource {
        kind: SourceKind::Demo,
        name: "Demo workspace".into(),
        base_url: None,
    })?;
    store.write(|tx| {
        for demo in &incidents {
            let (id, _) = upsert_incident_tx(tx, source.id, &demo.incident)?;
            add_events_tx(tx, id, &demo.events)?;
        }
        Ok(())
    })?;
    store.record_sync_success(source.id, incidents.len() as u64)?;
    info!(incidents = incidents.len(), "seeded the demo workspace");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn the_demo_has_about_five_hundred_incidents_in_the_last_180_days() {
        let demo = generate(today()).unwrap();
        assert!(
            (400..=650).contains(&demo.len()),
            "{} incidents",
            demo.len()
        );
        let end = Utc.from_utc_datetime(&today().and_hms_opt(0, 0, 0).unwrap());
        for d in &demo {
            assert!(d.incident.created_at < end);
            assert!(d.incident.created_at >= end - Duration::days(DEMO_DAYS));
        }
    }

    #[test]
    fn the_same_day_gives_the_same_demo() {
        let a = generate(today()).unwrap();
        let b = generate(today()).unwrap();
        assert_eq!(a.len(), b.len());
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.incident == y.incident && x.events == y.events));
    }

    #[test]
    fn the_demo_covers_the_cases_the_metrics_care_about() {
        let demo = generate(today()).unwrap();
        let services: std::collections::HashSet<_> = demo
            .iter()
            .filter_map(|d| d.incident.service.clone())
            .collect();
        assert!(services.len() >= 6);
        assert!(demo.iter().any(|d| d.incident.merged_into.is_some()));
        assert!(demo.iter().any(|d| d.incident.status.is_open()));
        let reopened = |d: &&DemoIncident| {
            d.events
                .iter()
                .filter(|e| e.kind == EventKind::Triggered)
                .count()
                > 1
        };
        assert!(demo.iter().any(|d| reopened(&d)));
        let unacked =
            |d: &&DemoIncident| d.events.iter().all(|e| e.kind != EventKind::Acknowledged);
        assert!(demo
            .iter()
            .any(|d| unacked(&d) && d.incident.status == IncidentStatus::Resolved));
    }

    #[test]
    fn seeding_fills_an_empty_database_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("v.sqlite3")).unwrap();
        assert!(seed_if_empty(&mut store, today()).unwrap());
        assert!(!seed_if_empty(&mut store, today()).unwrap());
        let source = &store.sources().unwrap()[0];
        let n = store.incident_count(source.id).unwrap();
        assert_eq!(n as usize, generate(today()).unwrap().len());
        let stored = store.incidents_of_source(source.id).unwrap();
        let reopened = stored.iter().filter(|i| i.reopen_count > 0).count();
        assert!(reopened > 0);
        assert!(stored
            .iter()
            .all(|i| i.status.is_open() == i.resolved_at.is_none()));
    }
}
