//! Schema v5 on a database that already holds incidents: the incident search index is filled
//! from them, not only from incidents synced afterwards.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod postmortem_support;

use postmortem_support::{checkout_incident, open_store};
use vigil_engine::store::SearchHitKind;
use vigil_engine::Store;

#[test]
fn a_version_4_database_with_incidents_finds_them_by_title_after_the_upgrade() {
    // A v4 file: today's schema with everything v5 added taken away again.
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    store
        .conn()
        .execute_batch(
            "DROP TRIGGER incident_search_insert; DROP TRIGGER incident_search_update;
             DROP TRIGGER incident_search_delete; DROP TABLE incident_search;
             DROP TABLE postmortem_search; DROP TABLE postmortem_templates;
             DROP TABLE postmortem_actions; DROP TABLE postmortem_timeline;
             DROP TABLE postmortem_sections; DROP TABLE postmortem_incidents;
             DROP TABLE postmortems; PRAGMA user_version = 4;",
        )
        .unwrap();
    let path = store.path().to_owned();
    drop(store);

    let store = Store::open(&path).unwrap();
    let hits = store.search("checkout SLO", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, SearchHitKind::Incident);
    assert_eq!(hits[0].id, incident.to_string());
}

#[test]
fn a_renamed_or_removed_incident_is_found_by_its_new_title_only() {
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    store
        .conn()
        .execute(
            "UPDATE incidents SET title = 'Basket timeouts' WHERE id = ?1",
            [incident.to_string()],
        )
        .unwrap();
    assert!(store.search("latency", 10).unwrap().is_empty());
    assert_eq!(store.search("basket", 10).unwrap().len(), 1);

    store.conn().execute("DELETE FROM incidents", []).unwrap();
    assert!(store.search("basket", 10).unwrap().is_empty());
}
