//! When a rule that matches stays silent: quiet hours, do-not-disturb, filters, a disabled
//! rule, and the re-notify interval.

use chrono::NaiveTime;
use uuid::Uuid;

use super::fixtures::*;
use super::*;
use crate::ids::SourceId;
use crate::incident::{IncidentStatus, Urgency};

#[test]
fn quiet_hours_keep_alerts_in_the_inbox_unless_the_rule_breaks_through() {
    let mut urgent = rule(2, RuleKind::NewIncident);
    urgent.breaks_through_quiet = true;
    urgent.filter.services = vec!["payments".into()];
    let rules = [rule(1, RuleKind::NewIncident), urgent];
    let settings = AlertSettings {
        quiet_hours: Some(QuietHours {
            zone: chrono_tz::Europe::Berlin,
            start: NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
        }),
        ..AlertSettings::default()
    };
    let run = Run {
        rules: &rules,
        settings,
    };
    // 10:30 UTC is 12:30 in Berlin: quiet.
    let at = minutes(30);
    let e = run.changes(
        &mut NotificationHistory::new(),
        at,
        &[new(&incident(1, "search")), new(&incident(2, "payments"))],
    );
    assert_eq!(
        deliveries(&e),
        [
            Delivery::Suppress(SuppressReason::QuietHours),
            Delivery::Notify
        ]
    );
    assert_eq!(e.decisions[1].alert.rule_id, rules[1].id, "the urgent rule");
    assert!(e.decisions.iter().all(AlertDecision::is_inbox_entry));
    // 11:00 UTC is 13:00 in Berlin: over.
    let e = run.changes(
        &mut NotificationHistory::new(),
        minutes(60),
        &[new(&incident(3, "x"))],
    );
    assert_eq!(deliveries(&e), [Delivery::Notify]);
}

#[test]
fn do_not_disturb_keeps_alerts_in_the_inbox_unless_the_rule_breaks_through() {
    let mut urgent = rule(2, RuleKind::Reopened);
    urgent.breaks_through_quiet = true;
    let rules = [rule(1, RuleKind::NewIncident), urgent];
    let settings = AlertSettings {
        do_not_disturb: true,
        ..AlertSettings::default()
    };
    let run = Run {
        rules: &rules,
        settings,
    };
    let mut resolved = incident(2, "payments");
    resolved.status = IncidentStatus::Resolved;
    let mut reopened = resolved.clone();
    reopened.status = IncidentStatus::Triggered;
    reopened.reopen_count = 1;

    let e = run.changes(
        &mut NotificationHistory::new(),
        minutes(0),
        &[new(&incident(1, "payments")), changed(&resolved, &reopened)],
    );
    assert_eq!(
        deliveries(&e),
        [
            Delivery::Suppress(SuppressReason::DoNotDisturb),
            Delivery::Notify
        ]
    );
}

#[test]
fn filters_on_source_service_team_urgency_and_severity_keep_an_incident_out() {
    let base = incident(1, "payments");
    let filters = [
        AlertFilter {
            sources: vec![SourceId(Uuid::from_u128(0x99))],
            ..Default::default()
        },
        AlertFilter {
            services: vec!["search".into()],
            ..Default::default()
        },
        AlertFilter {
            teams: vec!["Platform".into()],
            ..Default::default()
        },
        AlertFilter {
            urgencies: vec![Urgency::Low],
            ..Default::default()
        },
        AlertFilter {
            severities: vec!["sev1".into()],
            ..Default::default()
        },
    ];
    for filter in filters {
        let mut r = rule(1, RuleKind::NewIncident);
        r.filter = filter.clone();
        let e = run(&[r]).changes(&mut NotificationHistory::new(), minutes(0), &[new(&base)]);
        assert_eq!(
            deliveries(&e),
            [Delivery::Suppress(SuppressReason::Filtered)],
            "{filter:?}"
        );
        assert!(!e.decisions[0].is_inbox_entry());
        assert!(e.popups.is_empty());
    }

    let mut matching = rule(1, RuleKind::NewIncident);
    matching.filter = AlertFilter {
        sources: vec![source()],
        services: vec!["PAYMENTS".into()],
        teams: vec!["payments".into()],
        urgencies: vec![Urgency::High],
        severities: vec!["sev2".into()],
    };
    let e = run(&[matching]).changes(&mut NotificationHistory::new(), minutes(0), &[new(&base)]);
    assert_eq!(deliveries(&e), [Delivery::Notify]);
}

#[test]
fn a_disabled_rule_raises_nothing_at_all() {
    let mut off = rule(1, RuleKind::NewIncident);
    off.enabled = false;
    let e = run(&[off]).changes(
        &mut NotificationHistory::new(),
        minutes(0),
        &[new(&incident(1, "payments"))],
    );
    assert!(e.decisions.is_empty());
}

#[test]
fn the_renotify_interval_spaces_a_rules_repeats_about_one_incident() {
    let rules = [rule(3, RuleKind::Reopened)];
    let mut h = NotificationHistory::new();
    let mut resolved = incident(1, "payments");
    resolved.status = IncidentStatus::Resolved;
    let reopen = |count| {
        let mut r = incident(1, "payments");
        r.reopen_count = count;
        r
    };
    let mut resolved_again = reopen(1);
    resolved_again.status = IncidentStatus::Resolved;

    let e = run(&rules).changes(&mut h, minutes(0), &[changed(&resolved, &reopen(1))]);
    assert_eq!(deliveries(&e), [Delivery::Notify]);
    let e = run(&rules).changes(&mut h, minutes(10), &[changed(&resolved_again, &reopen(2))]);
    assert_eq!(
        deliveries(&e),
        [Delivery::Suppress(SuppressReason::RenotifyInterval {
            last_shown_at: minutes(0)
        })]
    );
    assert!(e.decisions[0].is_inbox_entry());
    let e = run(&rules).changes(&mut h, minutes(30), &[changed(&resolved_again, &reopen(3))]);
    assert_eq!(deliveries(&e), [Delivery::Update]);
}
