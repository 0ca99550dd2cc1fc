//! PagerDuty's optional parts: a source limited to one `incident_key`, and priorities kept as
//! the raw severity beside the urgency.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use chrono::Duration;
use serde_json::json;
use vigil_core::Urgency;
use vigil_engine::connectors::pagerduty::model::incident_from_json;
use vigil_engine::connectors::pagerduty::INCIDENT_KEY_OPTION;

use support::pagerduty_fixture::{PENDING, REGULAR};
use support::{add_pagerduty, incidents, now, open_store, options, sync};
use support::{Fixture, PagerDutyServer};

#[test]
fn a_source_with_an_incident_key_syncs_only_the_incidents_of_that_key() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    let mut source_options = serde_json::Map::new();
    source_options.insert(INCIDENT_KEY_OPTION.into(), format!("key-{REGULAR}").into());
    store.set_source_options(source, &source_options).unwrap();

    sync(&mut store, source, &options(now)).expect("first sync");
    let stored = incidents(&store, source);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(stored[0].external_id, REGULAR);
    let detail = store.incident_detail(stored[0].id).unwrap();
    assert_eq!(
        detail.timeline.len(),
        4,
        "its own log entries, no one else's"
    );
    let key = format!("key-{REGULAR}");
    for r in server.requests_to("/incidents") {
        assert_eq!(r.param("incident_key"), Some(key.as_str()));
    }
    for r in server.requests_to("/log_entries") {
        assert_eq!(r.param("incident_key"), None, "log entries take no key");
    }

    // A later sync re-reads incidents resolved since; one of another key stays out.
    server
        .state()
        .fixture
        .resolve(PENDING, now + Duration::minutes(5));
    sync(&mut store, source, &options(now + Duration::minutes(10))).expect("second sync");
    let ids: Vec<String> = incidents(&store, source)
        .into_iter()
        .map(|i| i.external_id)
        .collect();
    assert_eq!(ids, [REGULAR]);
    assert!(
        server.requests_to(&format!("/incidents/{PENDING}")).len() == 1,
        "the resolved incident was read, then left out"
    );
}

#[test]
fn a_priority_is_kept_as_the_raw_severity_while_the_urgency_decides_the_level() {
    let with_priority = json!({
        "id": "PPRIO", "status": "triggered", "created_at": "2026-11-02T10:00:00Z",
        "urgency": "low",
        "priority": {"id": "PQ1", "type": "priority_reference", "summary": "P1"}
    });
    let incident = incident_from_json(&with_priority).unwrap();
    assert_eq!(incident.urgency_raw.as_deref(), Some("P1"));
    assert_eq!(incident.urgency, Urgency::Low);

    // Priorities turned off: `priority` is null and the urgency word stays.
    let without = json!({
        "id": "PNOPRIO", "status": "triggered", "created_at": "2026-11-02T10:00:00Z",
        "urgency": "high", "priority": null
    });
    let incident = incident_from_json(&without).unwrap();
    assert_eq!(incident.urgency_raw.as_deref(), Some("high"));
    assert_eq!(incident.urgency, Urgency::High);
}
