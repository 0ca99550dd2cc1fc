//! Creating a postmortem from a synced incident, and the rules of its saves: every edit audited,
//! a published postmortem refusing edits, key moments, action items, templates and search.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod postmortem_support;

use postmortem_support::{at, audit_count, checkout_incident, open_store};
use vigil_core::postmortem::{ActionPriority, ActionStatus, KeyMoment, PostmortemStatus};
use vigil_engine::postmortem::PostmortemError;
use vigil_engine::store::{NewActionItem, SearchHitKind};

#[test]
fn a_postmortem_from_an_incident_is_prefilled_to_the_second() {
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);

    let id = store
        .create_postmortem(&[incident], "default", "tester")
        .unwrap();
    let pm = store.postmortem(id).unwrap();

    assert_eq!(pm.title, "Postmortem: Checkout latency above SLO");
    assert_eq!(pm.status, PostmortemStatus::Draft);
    assert_eq!(pm.incidents, vec![incident]);
    let f = &pm.facts;
    assert_eq!(f.started_at, at(10, 0, 0));
    assert_eq!(f.resolved_at, Some(at(10, 41, 59)));
    assert_eq!(f.impact_started_at, at(9, 52, 30));
    assert_eq!(f.impact_ended_at, Some(at(10, 41, 59)));
    assert_eq!(f.services, ["checkout"]);
    assert_eq!(f.responders, ["Ana", "Ben"]);
    // 09:52:30 -> 10:00:00, 10:00:00 -> 10:03:17, -> 10:20:05, -> 10:41:59.
    assert_eq!(f.durations.detect_seconds, Some(450));
    assert_eq!(f.durations.acknowledge_seconds, Some(197));
    assert_eq!(f.durations.mitigate_seconds, Some(1205));
    assert_eq!(f.durations.resolve_seconds, Some(2519));

    let timeline: Vec<_> = pm
        .timeline
        .iter()
        .map(|t| (t.at, t.kind.as_str(), t.key_moment))
        .collect();
    assert_eq!(
        timeline,
        [
            (
                at(9, 52, 30),
                "impact_started",
                Some(KeyMoment::ImpactStart)
            ),
            (at(10, 0, 0), "triggered", Some(KeyMoment::Detection)),
            (at(10, 3, 17), "acknowledged", None),
            (at(10, 10, 0), "annotated", None),
            (at(10, 20, 5), "mitigated", Some(KeyMoment::Mitigation)),
            (at(10, 41, 59), "resolved", Some(KeyMoment::Resolution)),
        ]
    );
    let impact = pm.sections.iter().find(|s| s.key == "impact").unwrap();
    assert!(
        impact.body.contains("2026-03-10 09:52:30 UTC"),
        "{}",
        impact.body
    );
    assert_eq!(pm.sections.len(), 13);
}

#[test]
fn every_edit_writes_its_audit_entry_and_an_unchanged_save_writes_none() {
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    let id = store
        .create_postmortem(&[incident], "short", "tester")
        .unwrap();
    let key = id.to_string();
    assert_eq!(audit_count(&store, &key), 1, "creation");

    assert!(store
        .save_postmortem_section(id, "what-happened", "The cache filled up.", "tester")
        .unwrap());
    assert_eq!(audit_count(&store, &key), 2);
    assert!(!store
        .save_postmortem_section(id, "what-happened", "The cache filled up.\n\n", "tester")
        .unwrap());
    assert_eq!(
        audit_count(&store, &key),
        2,
        "an unchanged autosave is not an edit"
    );

    store
        .set_postmortem_title(id, "Cache full", "tester")
        .unwrap();
    let item = store.postmortem(id).unwrap().timeline[3].id;
    store
        .annotate_postmortem_timeline_item(id, item, Some("the rollback decision"), "tester")
        .unwrap();
    store
        .mark_postmortem_key_moment(id, item, Some(KeyMoment::Mitigation), "tester")
        .unwrap();
    let added = store
        .add_postmortem_timeline_item(id, at(10, 15, 0), "Status page updated", "tester")
        .unwrap();
    store
        .remove_postmortem_timeline_item(id, added, "tester")
        .unwrap();
    let action = store
        .add_postmortem_action(
            id,
            &NewActionItem {
                description: "Alert on cache fill ratio".into(),
                owner: Some("Ben".into()),
                due: "2026-04-01".parse().ok(),
                priority: ActionPriority::High,
                ticket_url: Some("https://tickets.example/OPS-1".into()),
                fmea_action_id: None,
            },
            "tester",
        )
        .unwrap();
    store
        .set_postmortem_action_status(id, action, ActionStatus::Done, "tester")
        .unwrap();

    // title, annotation, the mitigation mark moved off 10:20:05 and onto 10:10:00 (two),
    // added entry, removed entry, action added, action status.
    assert_eq!(audit_count(&store, &key), 2 + 8);
    let pm = store.postmortem(id).unwrap();
    let marked: Vec<_> = pm
        .timeline
        .iter()
        .filter(|t| t.key_moment == Some(KeyMoment::Mitigation))
        .map(|t| t.at)
        .collect();
    assert_eq!(marked, [at(10, 10, 0)]);
    assert_eq!(pm.actions[0].status, ActionStatus::Done);
    assert_eq!(pm.timeline.len(), 6);
}

#[test]
fn a_published_postmortem_refuses_an_edit_until_reopened() {
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    let id = store
        .create_postmortem(&[incident], "default", "tester")
        .unwrap();
    store
        .send_postmortem_to_review(id, &["Chris".into()], "tester")
        .unwrap();
    store.publish_postmortem(id, "tester").unwrap();

    let err = store
        .save_postmortem_section(id, "summary", "late change", "tester")
        .unwrap_err();
    assert!(matches!(err, PostmortemError::Published { .. }));
    assert!(err.to_string().contains("reopen"), "{err}");
    assert_eq!(store.postmortem(id).unwrap().sections[0].body, "");

    store.reopen_postmortem(id, "tester").unwrap();
    store
        .save_postmortem_section(id, "summary", "late change", "tester")
        .unwrap();
    let pm = store.postmortem(id).unwrap();
    assert_eq!(pm.status, PostmortemStatus::Draft);
    assert_eq!(pm.reviewers, ["Chris"]);
    assert_eq!(pm.sections[0].body, "late change");
}

#[test]
fn search_finds_a_word_from_a_section_body_and_from_an_incident_title() {
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    let id = store
        .create_postmortem(&[incident], "default", "tester")
        .unwrap();
    store
        .save_postmortem_section(
            id,
            "trigger",
            "A misconfigured memcached eviction policy.",
            "t",
        )
        .unwrap();

    let hits = store.search("memcached", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].kind, SearchHitKind::Postmortem);
    assert_eq!(hits[0].id, id.to_string());
    assert!(
        hits[0].snippet.contains("[memcached]"),
        "{}",
        hits[0].snippet
    );

    let hits = store.search("latency", 10).unwrap();
    let kinds: Vec<_> = hits.iter().map(|h| (h.kind, h.id.clone())).collect();
    assert!(
        kinds.contains(&(SearchHitKind::Incident, incident.to_string())),
        "{kinds:?}"
    );
    assert!(store.search("\"unbalanced OR", 10).unwrap().is_empty());
}

#[test]
fn a_team_template_is_stored_and_used_and_an_unknown_name_lists_the_known_ones() {
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    store
        .add_postmortem_template("ops-mini", "# Ops mini\n\n## Story\n\n## Fixes\n", "tester")
        .unwrap();

    let id = store
        .create_postmortem(&[incident], "ops-mini", "tester")
        .unwrap();
    let keys: Vec<_> = store
        .postmortem(id)
        .unwrap()
        .sections
        .into_iter()
        .map(|s| s.key)
        .collect();
    assert_eq!(keys, ["story", "fixes"]);

    let err = store
        .create_postmortem(&[incident], "nope", "tester")
        .unwrap_err();
    assert!(
        err.to_string().contains("default, short, phases, ops-mini"),
        "{err}"
    );
    let err = store
        .add_postmortem_template("default", "# X\n## Y\n", "tester")
        .unwrap_err();
    assert!(matches!(err, PostmortemError::TemplateNameTaken(_)));
}

#[test]
fn an_action_item_links_only_to_an_fmea_action_that_exists() {
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    let id = store
        .create_postmortem(&[incident], "default", "tester")
        .unwrap();
    let err = store
        .add_postmortem_action(
            id,
            &NewActionItem {
                description: "Add a cache-size check".into(),
                owner: None,
                due: None,
                priority: ActionPriority::Medium,
                ticket_url: None,
                fmea_action_id: Some("0190aaaa-0000-7000-8000-000000000000".into()),
            },
            "tester",
        )
        .unwrap_err();
    assert!(matches!(err, PostmortemError::UnknownFmeaAction(_)));
    assert!(store.postmortem(id).unwrap().actions.is_empty());
}

#[test]
fn updating_an_action_item_audits_each_changed_field_only() {
    let (_dir, mut store) = open_store();
    let incident = checkout_incident(&mut store);
    let id = store
        .create_postmortem(&[incident], "default", "tester")
        .unwrap();
    let mut action = NewActionItem {
        description: "Alert on cache fill ratio".into(),
        owner: Some("Ben".into()),
        due: None,
        priority: ActionPriority::Medium,
        ticket_url: None,
        fmea_action_id: None,
    };
    let item = store.add_postmortem_action(id, &action, "tester").unwrap();
    let before = audit_count(&store, &id.to_string());

    action.owner = Some("Ana".into());
    action.due = "2026-05-01".parse().ok();
    store
        .update_postmortem_action(id, item, &action, "tester")
        .unwrap();

    assert_eq!(audit_count(&store, &id.to_string()), before + 2);
    let saved = &store.postmortem(id).unwrap().actions[0];
    assert_eq!(saved.owner.as_deref(), Some("Ana"));
    assert_eq!(
        saved.due.map(|d| d.to_string()).as_deref(),
        Some("2026-05-01")
    );
    assert_eq!(saved.priority, ActionPriority::Medium);
}
