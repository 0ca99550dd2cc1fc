//! A storm through the whole engine: a thousand incidents synced within a minute from a
//! PagerDuty-shaped server on loopback become a handful of popups and a thousand inbox entries.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use vigil_core::alerting::AlertFilter;
use vigil_engine::alerting::{Alerting, RecordingNotifier};
use vigil_engine::store::InboxQuery;
use vigil_engine::sync::sync_source_with_changes;

use support::{add_pagerduty, now, open_store, options, use_test_token};
use support::{Fixture, PagerDutyServer};

#[test]
fn a_thousand_new_incidents_in_a_minute_give_at_most_five_popups_and_a_thousand_inbox_entries() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::dense(now, 1000, Duration::seconds(50)));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    // Every new incident, low urgency too, so each of the thousand is an alert.
    let mut rule = store.alert_rules().unwrap().remove(0);
    rule.filter = AlertFilter::default();
    store.update_alert_rule(&rule).unwrap();
    let recorder = Arc::new(RecordingNotifier::default());
    let alerting = Alerting::new(recorder.clone());

    // One sync brings the thousand.
    use_test_token();
    let mut changes = Vec::new();
    sync_source_with_changes(&mut store, source, &options(now), &mut |_| {}, &mut changes).unwrap();
    let started = Instant::now();
    let run = alerting.after_sync(&mut store, &changes, now).unwrap();
    let took = started.elapsed();
    eprintln!("evaluating 1,000 new incidents took {took:?}");
    assert_eq!(run.decisions.len(), 1000);
    assert_eq!(run.unread, 1000);

    // Ten more arrive in a later sync within the minute: they fold into the same summary.
    {
        let mut state = server.state();
        for n in 0..10 {
            let id = format!("PLATE{n}");
            let created = now + Duration::seconds(5);
            state.fixture.add(&id, created, "triggered", None, None);
            state.fixture.log(&id, "trigger_log_entry", created);
        }
    }
    let later = now + Duration::seconds(10);
    let mut changes = Vec::new();
    sync_source_with_changes(
        &mut store,
        source,
        &options(later),
        &mut |_| {},
        &mut changes,
    )
    .unwrap();
    let run = alerting.after_sync(&mut store, &changes, later).unwrap();
    assert_eq!(run.decisions.len(), 10);

    let popups = recorder.popups();
    let distinct: HashSet<u32> = popups.iter().map(|p| p.id).collect();
    assert!(
        distinct.len() <= 5,
        "{} popups: {popups:#?}",
        distinct.len()
    );
    assert_eq!(distinct.len(), 4, "three incidents and one summary");
    let summary = popups.last().unwrap();
    assert_eq!(summary.replaces, Some(popups[3].id), "updated in place");
    assert!(
        summary.summary.starts_with("1007 new incidents in "),
        "{}",
        summary.summary
    );
    let inbox = store.alert_inbox(&InboxQuery::default()).unwrap();
    assert_eq!(inbox.len(), 1010);
    assert_eq!(inbox.iter().filter(|e| e.delivery == "fold").count(), 1007);
}
