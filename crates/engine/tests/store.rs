//! The store's rules, on a real SQLite file: idempotent upserts, milestones set once, reopened
//! incidents, filters and counts.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use vigil_core::api::{IncidentQuery, IncidentSort};
use vigil_core::{EventKind, IncidentStatus, SourceKind, Urgency};
use vigil_engine::store::{
    add_events_tx, upsert_incident_tx, IncomingEvent, IncomingIncident, NewSource, UpsertOutcome,
};
use vigil_engine::Store;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 15, 13, 36, 0).unwrap()
}

fn incident(external_id: &str, minutes: i64) -> IncomingIncident {
    IncomingIncident {
        external_id: external_id.into(),
        number: Some(1),
        title: format!("Checkout errors {external_id}"),
        service: Some("checkout".into()),
        team: Some("Payments".into()),
        urgency: Urgency::High,
        urgency_raw: Some("high".into()),
        status: IncidentStatus::Triggered,
        created_at: t0() + Duration::minutes(minutes),
        acknowledged_at: None,
        mitigated_at: None,
        resolved_at: None,
        impact_started_at: None,
        impact_ended_at: None,
        merged_into: None,
        url: None,
        raw: None,
    }
}

fn event(id: &str, minutes: i64, kind: EventKind) -> IncomingEvent {
    IncomingEvent {
        external_id: id.into(),
        at: t0() + Duration::minutes(minutes),
        kind,
        vendor_type: None,
        actor: Some("Ana".into()),
        summary: kind.as_str().into(),
    }
}

fn open_store() -> (tempfile::TempDir, Store, vigil_core::SourceId) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    let source = store
        .add_source(&NewSource {
            kind: SourceKind::PagerDuty,
            name: "PD".into(),
            base_url: None,
        })
        .unwrap();
    (dir, store, source.id)
}

#[test]
fn upserting_the_same_incident_twice_changes_nothing_the_second_time() {
    let (_dir, mut store, source) = open_store();
    let first = store
        .write(|tx| upsert_incident_tx(tx, source, &incident("P1", 0)))
        .unwrap();
    let second = store
        .write(|tx| upsert_incident_tx(tx, source, &incident("P1", 0)))
        .unwrap();

    assert_eq!(first.1, UpsertOutcome::Created);
    assert_eq!(second, (first.0, UpsertOutcome::Unchanged));
    assert_eq!(store.incident_count(source).unwrap(), 1);
}

#[test]
fn the_first_acknowledgement_is_kept_when_a_later_one_arrives() {
    let (_dir, mut store, source) = open_store();
    let (id, _) = store
        .write(|tx| upsert_incident_tx(tx, source, &incident("P1", 0)))
        .unwrap();
    store
        .write(|tx| {
            add_events_tx(tx, id, &[event("e1", 0, EventKind::Triggered)])?;
            add_events_tx(tx, id, &[event("e2", 4, EventKind::Acknowledged)])?;
            add_events_tx(tx, id, &[event("e3", 9, EventKind::Unacknowledged)])?;
            add_events_tx(tx, id, &[event("e4", 12, EventKind::Acknowledged)])
        })
        .unwrap();

    // A vendor payload that states a later acknowledgement does not move it either.
    let mut later = incident("P1", 0);
    later.acknowledged_at = Some(t0() + Duration::minutes(30));
    store
        .write(|tx| upsert_incident_tx(tx, source, &later))
        .unwrap();

    let detail = store.incident_detail(id).unwrap();
    assert_eq!(
        detail.incident.first_acknowledged_at,
        Some(t0() + Duration::minutes(4))
    );
    assert_eq!(detail.incident.status, IncidentStatus::Acknowledged);
    assert_eq!(detail.timeline.len(), 4);
}

#[test]
fn a_reopened_incident_keeps_its_identity_and_moves_its_resolution() {
    let (_dir, mut store, source) = open_store();
    let (id, _) = store
        .write(|tx| upsert_incident_tx(tx, source, &incident("P1", 0)))
        .unwrap();
    store
        .write(|tx| {
            add_events_tx(
                tx,
                id,
                &[
                    event("a", 0, EventKind::Triggered),
                    event("b", 20, EventKind::Resolved),
                ],
            )
        })
        .unwrap();
    assert_eq!(
        store.incident_detail(id).unwrap().incident.status,
        IncidentStatus::Resolved
    );

    store
        .write(|tx| add_events_tx(tx, id, &[event("c", 50, EventKind::Triggered)]))
        .unwrap();
    let reopened = store.incident_detail(id).unwrap().incident;
    assert_eq!(
        (reopened.status, reopened.resolved_at),
        (IncidentStatus::Triggered, None)
    );

    store
        .write(|tx| add_events_tx(tx, id, &[event("d", 80, EventKind::Resolved)]))
        .unwrap();
    let closed = store.incident_detail(id).unwrap().incident;
    assert_eq!(closed.resolved_at, Some(t0() + Duration::minutes(80)));
    assert_eq!(closed.reopen_count, 1);
    assert_eq!(closed.seconds_to_resolve(), Some(80 * 60));
    assert_eq!(store.incident_count(source).unwrap(), 1);
}

#[test]
fn a_timeline_entry_fetched_twice_is_stored_once() {
    let (_dir, mut store, source) = open_store();
    let (id, _) = store
        .write(|tx| upsert_incident_tx(tx, source, &incident("P1", 0)))
        .unwrap();
    let added = store
        .write(|tx| {
            let a = add_events_tx(tx, id, &[event("e1", 0, EventKind::Triggered)])?;
            let b = add_events_tx(tx, id, &[event("e1", 0, EventKind::Triggered)])?;
            Ok((a, b))
        })
        .unwrap();
    assert_eq!(added, (1, 0));
}

#[test]
fn merged_incidents_are_left_out_unless_asked_for() {
    let (_dir, mut store, source) = open_store();
    let mut merged = incident("P2", 5);
    merged.status = IncidentStatus::Resolved;
    merged.resolved_at = Some(t0() + Duration::minutes(6));
    merged.merged_into = Some("P1".into());
    store
        .write(|tx| {
            upsert_incident_tx(tx, source, &incident("P1", 0))?;
            upsert_incident_tx(tx, source, &merged)
        })
        .unwrap();

    let default = store.list_incidents(&IncidentQuery::default()).unwrap();
    let all = store
        .list_incidents(&IncidentQuery {
            include_merged: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(default.counts.total, 1);
    assert_eq!((all.counts.total, all.counts.merged), (2, 1));
}

#[test]
fn filters_and_counts_agree_with_the_rows() {
    let (_dir, mut store, source) = open_store();
    store
        .write(|tx| {
            for n in 0..30 {
                let mut i = incident(&format!("P{n}"), n);
                i.service = Some(if n % 3 == 0 { "search" } else { "checkout" }.into());
                i.urgency = if n % 2 == 0 {
                    Urgency::High
                } else {
                    Urgency::Low
                };
                if n % 5 == 0 {
                    i.status = IncidentStatus::Resolved;
                    i.resolved_at = Some(i.created_at + Duration::minutes(10));
                }
                upsert_incident_tx(tx, source, &i)?;
            }
            Ok(())
        })
        .unwrap();

    let q = IncidentQuery {
        service: Some("search".into()),
        urgency: Some(Urgency::High),
        sort: IncidentSort::CreatedAt,
        ascending: true,
        limit: Some(3),
        ..Default::default()
    };
    let page = store.list_incidents(&q).unwrap();
    // search = multiples of 3; high = even: 0, 6, 12, 18, 24 -> 5 rows, of which 0 is resolved.
    assert_eq!(page.counts.total, 5);
    assert_eq!(page.counts.resolved, 1);
    assert_eq!(page.incidents.len(), 3);
    assert_eq!(page.incidents[0].external_id, "P0");
    assert_eq!(
        page.services,
        vec!["checkout".to_owned(), "search".to_owned()]
    );

    let text = store
        .list_incidents(&IncidentQuery {
            text: Some("errors p2".into()),
            ..Default::default()
        })
        .unwrap();
    // "P2" matches P2 and P20..P29 in the title.
    assert_eq!(text.counts.total, 11);
}

#[test]
fn removing_a_source_removes_its_incidents() {
    let (_dir, mut store, source) = open_store();
    store
        .write(|tx| upsert_incident_tx(tx, source, &incident("P1", 0)))
        .unwrap();
    store.remove_source(source).unwrap();
    assert_eq!(
        store
            .list_incidents(&IncidentQuery::default())
            .unwrap()
            .counts
            .total,
        0
    );
    assert!(store.is_empty().unwrap());
}

#[test]
fn the_database_survives_a_reopen_and_passes_its_integrity_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigil.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        vigil_engine::demo::seed_if_empty(&mut store, t0().date_naive()).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert!(!store.is_empty().unwrap());
}

#[test]
fn several_processes_opening_a_new_file_at_once_all_get_the_current_schema() {
    // Threads with a connection each behave as separate processes do: one migrates, the others
    // wait for it or find the work done.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigil.sqlite3");
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
    let openers: Vec<_> = (0..6)
        .map(|_| {
            let (path, barrier) = (path.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                Store::open(&path).map(|store| store.is_empty().unwrap())
            })
        })
        .collect();
    for opener in openers {
        let opened = opener.join().unwrap();
        assert!(opened.is_ok(), "{opened:?}");
    }
    assert_eq!(Store::open(&path).unwrap().integrity_check().unwrap(), "ok");
}
