//! Each rule kind on a controlled clock: it fires once when it should, and again only when the
//! condition comes back (a new reopen, a new failure).

use super::fixtures::*;
use super::*;
use crate::incident::{IncidentStatus, Urgency};

#[test]
fn a_new_incident_pops_up_once_and_seeing_it_again_unchanged_raises_nothing() {
    let rules = [rule(1, RuleKind::NewIncident)];
    let mut h = NotificationHistory::new();
    let i = incident(1, "payments");

    let first = run(&rules).changes(&mut h, minutes(0), &[new(&i)]);
    assert_eq!(deliveries(&first), [Delivery::Notify]);
    assert_eq!(first.popups.len(), 1);
    assert_eq!(first.popups[0].incident, Some(i.id));
    assert_eq!(first.popups[0].urgency, PopupUrgency::Critical);

    let again = run(&rules).changes(&mut h, minutes(1), &[changed(&i, &i)]);
    assert!(again.decisions.is_empty());
}

#[test]
fn a_new_incident_that_is_resolved_merged_or_old_news_raises_nothing() {
    let rules = [rule(1, RuleKind::NewIncident)];
    let mut resolved = incident(1, "payments");
    resolved.status = IncidentStatus::Resolved;
    let mut merged = incident(2, "payments");
    merged.merged = true;
    let mut old = incident(3, "payments");
    old.created_at = minutes(-NEWS_HORIZON_HOURS * 60 - 1);

    let e = run(&rules).changes(
        &mut NotificationHistory::new(),
        minutes(0),
        &[new(&resolved), new(&merged), new(&old)],
    );
    assert!(e.decisions.is_empty(), "{e:?}");
}

#[test]
fn an_escalation_updates_the_incidents_popup_in_place() {
    let rules = [
        rule(1, RuleKind::NewIncident),
        rule(2, RuleKind::Escalation),
    ];
    let mut h = NotificationHistory::new();
    let mut low = incident(1, "payments");
    low.urgency = Urgency::Low;
    run(&rules).changes(&mut h, minutes(0), &[new(&low)]);

    let mut high = low.clone();
    high.urgency = Urgency::High;
    let e = run(&rules).changes(&mut h, minutes(2), &[changed(&low, &high)]);
    assert_eq!(deliveries(&e), [Delivery::Update]);
    assert!(e.popups[0].replaces_existing);
    assert_eq!(e.popups[0].summary, "Urgency raised to high");

    let mut level = high.clone();
    level.escalation_level = 1;
    let e = run(&rules).changes(&mut h, minutes(40), &[changed(&high, &level)]);
    assert_eq!(deliveries(&e), [Delivery::Update]);
    assert_eq!(e.popups[0].summary, "Escalated to level 2");
}

#[test]
fn urgency_falling_or_an_unchanged_level_is_no_escalation() {
    let rules = [rule(2, RuleKind::Escalation)];
    let high = incident(1, "payments");
    let mut low = high.clone();
    low.urgency = Urgency::Low;
    let mut retitled = high.clone();
    retitled.title = "Checkout errors (EU only)".into();

    let e = run(&rules).changes(
        &mut NotificationHistory::new(),
        minutes(5),
        &[changed(&high, &low), changed(&high, &retitled)],
    );
    assert!(e.decisions.is_empty());
}

#[test]
fn a_reopen_fires_once_per_reopen() {
    let rules = [rule(3, RuleKind::Reopened)];
    let mut h = NotificationHistory::new();
    let mut resolved = incident(1, "payments");
    resolved.status = IncidentStatus::Resolved;
    let mut reopened = incident(1, "payments");
    reopened.reopen_count = 1;

    let e = run(&rules).changes(&mut h, minutes(10), &[changed(&resolved, &reopened)]);
    assert_eq!(deliveries(&e), [Delivery::Notify]);
    assert_eq!(e.popups[0].summary, "Reopened");
    let e = run(&rules).changes(&mut h, minutes(11), &[changed(&reopened, &reopened)]);
    assert!(e.decisions.is_empty());

    // Resolved and reopened again between two syncs: the count says so.
    let mut twice = reopened.clone();
    twice.reopen_count = 2;
    let e = run(&rules).changes(&mut h, minutes(60), &[changed(&reopened, &twice)]);
    assert_eq!(deliveries(&e), [Delivery::Update]);
    assert_eq!(e.popups[0].summary, "Reopened, 2 times now");
}

#[test]
fn unacknowledged_fires_once_past_its_threshold_and_again_after_a_reopen() {
    let rules = [rule(4, RuleKind::Unacknowledged { minutes: 15 })];
    let mut h = NotificationHistory::new();
    let waiting = incident(1, "payments");
    let tick = |h: &mut NotificationHistory, m: i64, i: &IncidentSnapshot| {
        deliveries(&run(&rules).all(h, minutes(m), &[], std::slice::from_ref(i), &[]))
    };

    assert!(tick(&mut h, 14, &waiting).is_empty(), "not yet");
    assert_eq!(tick(&mut h, 15, &waiting), [Delivery::Notify]);
    assert!(tick(&mut h, 16, &waiting).is_empty(), "once");
    assert!(tick(&mut h, 300, &waiting).is_empty(), "still once");

    let mut acknowledged = waiting.clone();
    acknowledged.status = IncidentStatus::Acknowledged;
    let mut fresh = NotificationHistory::new();
    assert!(
        tick(&mut fresh, 30, &acknowledged).is_empty(),
        "someone is on it"
    );

    let mut reopened = waiting.clone();
    reopened.reopen_count = 1;
    reopened.open_since = minutes(400);
    assert!(tick(&mut h, 414, &reopened).is_empty());
    assert_eq!(tick(&mut h, 415, &reopened), [Delivery::Update]);
}

#[test]
fn a_failing_sync_fires_once_per_failure() {
    let rules = [rule(5, RuleKind::SyncFailing { minutes: 30 })];
    let mut h = NotificationHistory::new();
    let health = |since: Option<i64>| SourceHealth {
        source_id: source(),
        name: "PagerDuty".into(),
        failing_since: since.map(minutes),
        last_error: Some("the token was refused".into()),
    };
    let mut tick = |m: i64, s: SourceHealth| run(&rules).all(&mut h, minutes(m), &[], &[], &[s]);

    assert!(tick(29, health(Some(0))).decisions.is_empty());
    let e = tick(30, health(Some(0)));
    assert_eq!(deliveries(&e), [Delivery::Notify]);
    assert_eq!(e.popups[0].summary, "Sync of PagerDuty failing");
    assert_eq!(
        e.popups[0].body,
        "No good sync for 30 min · the token was refused"
    );
    assert_eq!(e.popups[0].incident, None);
    assert!(tick(90, health(Some(0))).decisions.is_empty(), "once");
    assert!(tick(100, health(None)).decisions.is_empty(), "a good sync");
    assert_eq!(
        deliveries(&tick(150, health(Some(110)))),
        [Delivery::Update]
    );
}

#[test]
fn one_batch_touching_an_incident_twice_shows_one_popup_with_the_last_words() {
    let rules = [
        rule(1, RuleKind::NewIncident),
        rule(2, RuleKind::Escalation),
    ];
    let first = incident(1, "payments");
    let mut escalated = first.clone();
    escalated.escalation_level = 2;
    let e = run(&rules).changes(
        &mut NotificationHistory::new(),
        minutes(0),
        &[new(&first), changed(&first, &escalated)],
    );
    assert_eq!(deliveries(&e), [Delivery::Notify, Delivery::Update]);
    assert_eq!(e.popups.len(), 1);
    assert!(!e.popups[0].replaces_existing, "still a new popup");
    assert_eq!(e.popups[0].summary, "Escalated to level 3");
}
