//! Storms: a thousand incidents in a minute must not become a thousand popups.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

use super::fixtures::{incident, new, rule, t0, Run};
use super::*;

/// The popups created (not replaced) by a run of evaluations, with their instants.
fn created(evaluations: &[(DateTime<Utc>, Evaluation)]) -> Vec<DateTime<Utc>> {
    evaluations
        .iter()
        .flat_map(|(at, e)| {
            e.popups
                .iter()
                .filter(|p| !p.replaces_existing)
                .map(move |_| *at)
        })
        .collect()
}

fn inbox_entries(evaluations: &[(DateTime<Utc>, Evaluation)]) -> usize {
    evaluations
        .iter()
        .flat_map(|(_, e)| &e.decisions)
        .filter(|d| d.is_inbox_entry())
        .count()
}

#[test]
fn a_thousand_new_incidents_in_a_minute_give_at_most_five_popups_and_a_thousand_inbox_entries() {
    let rules = [rule(1, RuleKind::NewIncident)];
    let run = Run {
        rules: &rules,
        settings: AlertSettings::default(),
    };
    let mut history = NotificationHistory::new();
    let mut evaluations = Vec::new();
    // One sync page of 50 incidents every three seconds: 1,000 incidents in 60 seconds.
    for page in 0..20u128 {
        let at = t0() + Duration::seconds(page as i64 * 3);
        let changes: Vec<IncidentChange> = (0..50)
            .map(|n| new(&incident(page * 50 + n, "payments")))
            .collect();
        evaluations.push((at, run.changes(&mut history, at, &changes)));
    }

    let created = created(&evaluations);
    assert!(created.len() <= 5, "{} popups", created.len());
    assert_eq!(created.len(), 4, "three incidents and one summary");
    assert_eq!(inbox_entries(&evaluations), 1000);

    let last = &evaluations.last().unwrap().1;
    let summary = last.popups.iter().find(|p| p.burst.is_some()).unwrap();
    assert!(summary.replaces_existing, "the summary is updated in place");
    assert_eq!(summary.summary, "997 new incidents in payments");
    assert_eq!(summary.urgency, PopupUrgency::Critical);
    assert!(
        summary.body.contains("Checkout errors 999"),
        "{}",
        summary.body
    );
    assert!(
        evaluations.iter().all(|(_, e)| e.popups.len() <= 4),
        "each evaluation shows each popup once"
    );
}

#[test]
fn after_a_quiet_window_the_next_alert_pops_up_on_its_own() {
    let rules = [rule(1, RuleKind::NewIncident)];
    let run = Run {
        rules: &rules,
        settings: AlertSettings::default(),
    };
    let mut history = NotificationHistory::new();
    let burst: Vec<IncidentChange> = (0..10).map(|n| new(&incident(n, "payments"))).collect();
    run.changes(&mut history, t0(), &burst);
    let during = run.changes(
        &mut history,
        t0() + Duration::seconds(59),
        &[new(&incident(10, "search"))],
    );
    assert!(matches!(
        during.decisions[0].delivery,
        Delivery::Fold { .. }
    ));
    assert_eq!(
        during.popups[0].summary,
        "8 new incidents in payments and search"
    );

    let after = run.changes(
        &mut history,
        t0() + Duration::seconds(119),
        &[new(&incident(11, "search"))],
    );
    assert_eq!(after.decisions[0].delivery, Delivery::Notify);
}

proptest! {
    /// Whatever the arrivals, no minute holds more than the storm limit's popups plus one
    /// summary, and every alert reaches the inbox.
    #[test]
    fn no_minute_holds_more_popups_than_the_limit_and_a_summary(
        gaps in prop::collection::vec(0i64..90, 1..150),
    ) {
        let rules = [rule(1, RuleKind::NewIncident)];
        let run = Run { rules: &rules, settings: AlertSettings::default() };
        let mut history = NotificationHistory::new();
        let mut at = t0();
        let mut evaluations = Vec::new();
        for (n, gap) in gaps.iter().enumerate() {
            at += Duration::seconds(*gap);
            let mut i = incident(n as u128, "payments");
            i.created_at = at;
            evaluations.push((at, run.changes(&mut history, at, &[new(&i)])));
        }

        let created = created(&evaluations);
        for start in &created {
            let in_window = created
                .iter()
                .filter(|c| **c >= *start && **c - *start < Duration::seconds(60))
                .count();
            prop_assert!(in_window <= 4, "{} popups in the minute from {}", in_window, start);
        }
        prop_assert_eq!(inbox_entries(&evaluations), gaps.len());
    }
}
