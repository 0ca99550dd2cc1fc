//! The postmortem tests' fixture: one resolved incident with a known timeline in a real SQLite
//! file, so every prefilled instant and duration can be checked to the second.
#![allow(dead_code, reason = "each test binary uses part of the fixture")]

use chrono::{DateTime, TimeZone, Utc};
use vigil_core::{EventKind, IncidentId, IncidentStatus, SourceKind, Urgency};
use vigil_engine::store::{
    add_events_tx, upsert_incident_tx, IncomingEvent, IncomingIncident, NewSource,
};
use vigil_engine::Store;

/// 2026-03-10 at the given time, UTC.
pub fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, h, m, s)
        .single()
        .expect("valid instant")
}

/// A fresh database in a temp dir.
pub fn open_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("vigil.sqlite3")).expect("open store");
    (dir, store)
}

fn event(
    id: &str,
    when: DateTime<Utc>,
    kind: EventKind,
    actor: &str,
    summary: &str,
) -> IncomingEvent {
    IncomingEvent {
        external_id: id.into(),
        at: when,
        kind,
        vendor_type: None,
        actor: (!actor.is_empty()).then(|| actor.to_owned()),
        summary: summary.into(),
    }
}

/// "Checkout latency above SLO": impact from 09:52:30, paged 10:00:00, acknowledged 10:03:17
/// by Ana, mitigated 10:20:05 by Ben, resolved 10:41:59 by Ana.
pub fn checkout_incident(store: &mut Store) -> IncidentId {
    let source = store
        .add_source(&NewSource {
            kind: SourceKind::PagerDuty,
            name: "PD".into(),
            base_url: None,
        })
        .expect("source");
    let incoming = IncomingIncident {
        external_id: "PCHK1".into(),
        number: Some(4711),
        title: "Checkout latency above SLO".into(),
        service: Some("checkout".into()),
        team: Some("Payments".into()),
        urgency: Urgency::High,
        urgency_raw: Some("high".into()),
        status: IncidentStatus::Resolved,
        created_at: at(10, 0, 0),
        acknowledged_at: Some(at(10, 3, 17)),
        mitigated_at: Some(at(10, 20, 5)),
        resolved_at: Some(at(10, 41, 59)),
        impact_started_at: Some(at(9, 52, 30)),
        impact_ended_at: None,
        merged_into: None,
        url: None,
        raw: None,
    };
    let events = [
        event(
            "e1",
            at(10, 0, 0),
            EventKind::Triggered,
            "",
            "Latency p99 above 2 s",
        ),
        event(
            "e2",
            at(10, 3, 17),
            EventKind::Acknowledged,
            "Ana",
            "Acknowledged",
        ),
        event(
            "e3",
            at(10, 10, 0),
            EventKind::Annotated,
            "Ben",
            "Rolling back release 812",
        ),
        event(
            "e4",
            at(10, 20, 5),
            EventKind::Mitigated,
            "Ben",
            "Rollback done, latency normal",
        ),
        event("e5", at(10, 41, 59), EventKind::Resolved, "Ana", "Resolved"),
    ];
    store
        .write(|tx| {
            let (id, _) = upsert_incident_tx(tx, source.id, &incoming)?;
            add_events_tx(tx, id, &events)?;
            Ok(id)
        })
        .expect("fixture incident")
}

/// How many audit entries a postmortem has.
pub fn audit_count(store: &Store, id: &str) -> i64 {
    store
        .conn()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE entity = 'postmortem' AND entity_id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("audit count")
}
