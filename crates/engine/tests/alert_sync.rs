//! Alerting after real syncs from a PagerDuty-shaped server on loopback, into a real SQLite
//! file: a new incident pops up, its escalation updates the same popup, waiting and failing
//! syncs fire on the timer once, and do-not-disturb keeps everything in the inbox.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use vigil_core::alerting::{AlertSettings, Delivery, PopupUrgency, SuppressReason};
use vigil_core::SourceId;
use vigil_engine::alerting::{AlertRun, Alerting, RecordingNotifier};
use vigil_engine::store::InboxQuery;
use vigil_engine::sync::sync_source_with_changes;
use vigil_engine::Store;

use support::{add_pagerduty, now, open_store, options, use_test_token};
use support::{Fault, Fixture, PagerDutyServer};

/// A sync at `at` followed by the evaluation of what it changed; the sync may fail.
fn sync_and_alert(
    store: &mut Store,
    alerting: &Alerting,
    source: SourceId,
    at: DateTime<Utc>,
) -> AlertRun {
    use_test_token();
    let mut changes = Vec::new();
    let _ = sync_source_with_changes(store, source, &options(at), &mut |_| {}, &mut changes);
    alerting.after_sync(store, &changes, at).unwrap()
}

fn one_new_incident(now: DateTime<Utc>) -> Fixture {
    let mut f = Fixture::default();
    let created = now - Duration::minutes(2);
    f.add("PNEW1", created, "triggered", None, None);
    f.log("PNEW1", "trigger_log_entry", created);
    f
}

#[test]
fn a_new_incident_pops_up_and_its_escalation_updates_the_same_popup() {
    let now = now();
    let server = PagerDutyServer::start(one_new_incident(now));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    let recorder = Arc::new(RecordingNotifier::default());
    let alerting = Alerting::new(recorder.clone());

    // The first sync brings the incident: one popup, one inbox entry.
    let run = sync_and_alert(&mut store, &alerting, source, now);
    assert_eq!(run.decisions.len(), 1);
    assert_eq!(run.decisions[0].delivery, Delivery::Notify);
    assert_eq!(run.unread, 1);
    let popups = recorder.popups();
    assert_eq!(popups.len(), 1);
    assert_eq!(popups[0].summary, "New high-urgency incident");
    assert_eq!(
        popups[0].body,
        "search · opened 2 min ago · #1 Checkout latency 1"
    );
    assert_eq!(popups[0].urgency, PopupUrgency::Critical);
    assert!(popups[0].incident.is_some());

    // A second sync with nothing new raises nothing.
    let run = sync_and_alert(&mut store, &alerting, source, now + Duration::minutes(1));
    assert!(run.decisions.is_empty(), "{:?}", run.decisions);

    // The vendor escalates it: the same popup is replaced in place.
    server
        .state()
        .fixture
        .log("PNEW1", "escalate_log_entry", now + Duration::minutes(2));
    let run = sync_and_alert(&mut store, &alerting, source, now + Duration::minutes(3));
    assert_eq!(run.decisions.len(), 1, "{:?}", run.decisions);
    assert_eq!(run.decisions[0].delivery, Delivery::Update);
    let popups = recorder.popups();
    assert_eq!(popups.len(), 2);
    assert_eq!(popups[1].replaces, Some(popups[0].id));
    assert_eq!(popups[1].id, popups[0].id);
    assert_eq!(popups[1].summary, "Escalated to level 2");
    assert_eq!(store.unread_alert_count().unwrap(), 2);
}

#[test]
fn an_unacknowledged_incident_fires_once_on_the_timer() {
    let now = now();
    let server = PagerDutyServer::start(one_new_incident(now));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    let recorder = Arc::new(RecordingNotifier::default());
    let alerting = Alerting::new(recorder.clone());
    sync_and_alert(&mut store, &alerting, source, now);

    let tick = |store: &mut Store, minutes| {
        alerting
            .tick(store, now + Duration::minutes(minutes))
            .unwrap()
    };
    assert!(
        tick(&mut store, 12).decisions.is_empty(),
        "14 minutes waiting"
    );
    let run = tick(&mut store, 13);
    assert_eq!(run.decisions.len(), 1);
    assert_eq!(run.decisions[0].alert.summary, "Unacknowledged for 15 min");
    assert_eq!(run.decisions[0].delivery, Delivery::Update, "its popup");
    assert!(tick(&mut store, 14).decisions.is_empty(), "once");
    assert!(tick(&mut store, 90).decisions.is_empty(), "still once");
    assert_eq!(recorder.popups().len(), 2);
}

#[test]
fn a_sync_failing_for_half_an_hour_fires_once_and_again_after_a_recovery() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::default());
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    let recorder = Arc::new(RecordingNotifier::default());
    let alerting = Alerting::new(recorder.clone());

    server.state().fault = Some(Fault::ServerError);
    let run = sync_and_alert(&mut store, &alerting, source, now);
    assert!(run.decisions.is_empty(), "failing, not for long yet");
    let failed_at = store.source(source).unwrap().status.last_error_at.unwrap();

    let run = alerting
        .tick(&mut store, failed_at + Duration::minutes(30))
        .unwrap();
    assert_eq!(run.decisions.len(), 1);
    assert_eq!(run.decisions[0].delivery, Delivery::Notify);
    let popup = &recorder.popups()[0];
    assert_eq!(popup.summary, "Sync of PagerDuty (test) failing");
    assert!(
        popup.body.starts_with("No good sync for 30 min · "),
        "{}",
        popup.body
    );
    assert_eq!(popup.urgency, PopupUrgency::Normal);
    let again = alerting
        .tick(&mut store, failed_at + Duration::minutes(45))
        .unwrap();
    assert!(again.decisions.is_empty(), "once per run of failures");

    // A good sync ends the run; the next run of failures is news again. The store stamps
    // failures with the wall clock, so these evaluations use it too (and the wait keeps the two
    // runs' starts, whole seconds, apart).
    server.state().fault = None;
    sync_and_alert(&mut store, &alerting, source, support::now());
    std::thread::sleep(std::time::Duration::from_millis(1100));
    server.state().fault = Some(Fault::ServerError);
    let run = sync_and_alert(&mut store, &alerting, source, support::now());
    assert!(run.decisions.is_empty(), "failing again, not for long yet");
    let failed_again = store.source(source).unwrap().status.last_error_at.unwrap();
    assert!(failed_again > failed_at);
    let run = alerting
        .tick(&mut store, failed_again + Duration::minutes(31))
        .unwrap();
    // Raised again (in the inbox; whether it pops up now is the re-notify interval's call).
    assert_eq!(run.decisions.len(), 1, "{:?}", run.decisions);
    assert!(run.decisions[0].is_inbox_entry());
}

#[test]
fn do_not_disturb_keeps_a_new_incident_in_the_inbox_without_a_popup() {
    let now = now();
    let server = PagerDutyServer::start(one_new_incident(now));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    store
        .set_alert_settings(&AlertSettings {
            do_not_disturb: true,
            ..AlertSettings::default()
        })
        .unwrap();
    let recorder = Arc::new(RecordingNotifier::default());
    let alerting = Alerting::new(recorder.clone());

    let run = sync_and_alert(&mut store, &alerting, source, now);
    assert_eq!(
        run.decisions[0].delivery,
        Delivery::Suppress(SuppressReason::DoNotDisturb)
    );
    assert!(recorder.popups().is_empty());
    let inbox = store.alert_inbox(&InboxQuery::default()).unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(
        (inbox[0].delivery.as_str(), inbox[0].reason.as_deref()),
        ("suppress", Some("do_not_disturb"))
    );
}
