//! Alert rules, settings and the inbox on a real SQLite file.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use chrono::{Duration, NaiveTime};
use vigil_core::alerting::{AlertFilter, AlertSettings, QuietHours, RuleKind};
use vigil_core::{IncidentStatus, Urgency};
use vigil_engine::alerting::{Alerting, SilentNotifier};
use vigil_engine::store::{upsert_incident_tx, InboxQuery, IncomingIncident, NewAlertRule};
use vigil_engine::{EngineError, Store};

use support::{add_pagerduty, now, open_store};

fn incoming(external_id: &str, created: chrono::DateTime<chrono::Utc>) -> IncomingIncident {
    IncomingIncident {
        external_id: external_id.into(),
        number: Some(7),
        title: "Card payments failing".into(),
        service: Some("payments".into()),
        team: Some("Payments".into()),
        urgency: Urgency::High,
        urgency_raw: Some("high".into()),
        status: IncidentStatus::Triggered,
        created_at: created,
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

#[test]
fn a_new_database_starts_with_the_default_rules_and_default_settings() {
    let (_dir, store) = open_store();
    let rules = store.alert_rules().unwrap();
    let kinds: Vec<&str> = rules.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "new_incident",
            "escalation",
            "reopened",
            "unacknowledged",
            "sync_failing"
        ]
    );
    assert_eq!(rules[0].filter.urgencies, [Urgency::High]);
    assert_eq!(rules[3].kind, RuleKind::Unacknowledged { minutes: 15 });
    assert!(rules.iter().all(|r| r.enabled && !r.breaks_through_quiet));
    assert_eq!(store.alert_settings().unwrap(), AlertSettings::default());
}

#[test]
fn rules_are_added_last_changed_in_place_and_removed() {
    let (_dir, mut store) = open_store();
    let added = store
        .add_alert_rule(&NewAlertRule {
            name: "  Payments pages  ".into(),
            kind: RuleKind::Unacknowledged { minutes: 5 },
            filter: AlertFilter {
                services: vec!["payments".into()],
                ..AlertFilter::default()
            },
            breaks_through_quiet: true,
        })
        .unwrap();
    assert_eq!(added.name, "Payments pages");
    assert_eq!(store.alert_rules().unwrap().last(), Some(&added));

    let mut changed = added.clone();
    changed.enabled = false;
    changed.kind = RuleKind::SyncFailing { minutes: 45 };
    store.update_alert_rule(&changed).unwrap();
    assert_eq!(store.alert_rule(added.id).unwrap(), changed);
    assert_eq!(store.alert_rules().unwrap().len(), 6);

    store.remove_alert_rule(added.id).unwrap();
    assert!(matches!(
        store.remove_alert_rule(added.id),
        Err(EngineError::NotFound { .. })
    ));
    assert_eq!(store.alert_rules().unwrap().len(), 5);
}

#[test]
fn a_rule_without_a_name_or_with_zero_minutes_is_refused() {
    let (_dir, mut store) = open_store();
    let rule = |name: &str, kind| NewAlertRule {
        name: name.into(),
        kind,
        filter: AlertFilter::default(),
        breaks_through_quiet: false,
    };
    let no_name = store.add_alert_rule(&rule(" ", RuleKind::Reopened));
    assert!(matches!(no_name, Err(EngineError::BadInput(_))));
    let zero = store.add_alert_rule(&rule("x", RuleKind::Unacknowledged { minutes: 0 }));
    assert!(matches!(zero, Err(EngineError::BadInput(_))));
}

#[test]
fn settings_with_quiet_hours_and_do_not_disturb_survive_a_reopen() {
    let (dir, mut store) = open_store();
    let settings = AlertSettings {
        do_not_disturb: true,
        quiet_hours: Some(QuietHours {
            zone: chrono_tz::America::New_York,
            start: NaiveTime::from_hms_opt(21, 30, 0).unwrap(),
            end: NaiveTime::from_hms_opt(6, 45, 0).unwrap(),
        }),
        renotify_minutes: 10,
        ..AlertSettings::default()
    };
    store.set_alert_settings(&settings).unwrap();
    drop(store);

    let store = Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    assert_eq!(store.alert_settings().unwrap(), settings);
}

#[test]
fn the_inbox_keeps_an_alert_after_its_rule_is_deleted_and_marks_entries_read() {
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, "http://127.0.0.1:9");
    let now = now();
    let id = store
        .write(|tx| Ok(upsert_incident_tx(tx, source, &incoming("P1", now))?.0))
        .unwrap();
    let alerting = Alerting::new(std::sync::Arc::new(SilentNotifier));
    let run = alerting
        .after_sync(
            &mut store,
            &[(id, vigil_engine::store::UpsertOutcome::Created)],
            now,
        )
        .unwrap();
    assert_eq!(run.unread, 1);

    let rule = store.alert_rules().unwrap()[0].id;
    store.remove_alert_rule(rule).unwrap();
    let entries = store.alert_inbox(&InboxQuery::default()).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].rule_id, None);
    assert_eq!(entries[0].rule_name, "New high-urgency incident");
    assert_eq!(entries[0].delivery, "notify");

    store
        .mark_alert_read(entries[0].id, now + Duration::minutes(1))
        .unwrap();
    assert_eq!(store.unread_alert_count().unwrap(), 0);
    let unread = InboxQuery {
        unread_only: true,
        limit: None,
    };
    assert!(store.alert_inbox(&unread).unwrap().is_empty());
    assert_eq!(store.mark_all_alerts_read(now).unwrap(), 0);
}
