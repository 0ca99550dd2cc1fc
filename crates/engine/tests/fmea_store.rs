//! FMEAs in the store: one call loads a whole FMEA, every field edit lands in the audit log in
//! the same transaction, removals cascade, revisions freeze and diff, incidents link to failure
//! modes and suggest an occurrence.
#![allow(clippy::unwrap_used, reason = "a test fails on purpose")]

mod fmea_fixture;

use chrono::{Duration, TimeZone, Utc};
use fmea_fixture::{rich_fmea, store};
use serde_json::json;
use vigil_core::fmea::{ChainId, Change, Entity, EntityKind, EntityRef, FailureChain};
use vigil_core::{IncidentStatus, SourceKind, Urgency};
use vigil_engine::fmea::FmeaError;
use vigil_engine::store::{upsert_incident_tx, FmeaVersion, IncomingIncident, NewSource};

/// entity, field, old value, new value, who
type AuditRow = (String, String, Option<String>, Option<String>, String);

fn audit_rows(store: &vigil_engine::Store, entity_id: &str) -> Vec<AuditRow> {
    let mut stmt = store
        .conn()
        .prepare("SELECT entity, field, old_value, new_value, who FROM audit_log WHERE entity_id = ?1 ORDER BY at, rowid")
        .unwrap();
    stmt.query_map([entity_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn a_stored_fmea_loads_whole_in_one_call() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();

    store.create_fmea(&fmea, "ana").unwrap();

    assert_eq!(store.load_fmea(fmea.id).unwrap(), fmea);
    let list = store.list_fmeas().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].high, list[0].pending_actions),
        (fmea.summary().high, 1)
    );
}

#[test]
fn a_field_edit_writes_its_audit_entry_with_old_and_new_value() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();
    store.create_fmea(&fmea, "ana").unwrap();
    let chain = EntityRef {
        kind: EntityKind::Chain,
        id: fmea.chains[0].id.0,
    };

    let change = store
        .edit_fmea_field(fmea.id, chain, "severity", json!(10), "bo")
        .unwrap();

    assert_eq!((change.old, change.new), (json!(8), json!(10)));
    let rows = audit_rows(&store, &chain.id.to_string());
    assert_eq!(
        rows.last().unwrap(),
        &(
            "fmea_chain".into(),
            "severity".into(),
            Some("8".into()),
            Some("10".into()),
            "bo".into()
        )
    );
    assert_eq!(
        store.load_fmea(fmea.id).unwrap().chains[0]
            .severity
            .unwrap()
            .get(),
        10
    );
}

#[test]
fn a_rating_of_eleven_is_refused_and_leaves_no_trace() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();
    store.create_fmea(&fmea, "ana").unwrap();
    let chain = EntityRef {
        kind: EntityKind::Chain,
        id: fmea.chains[0].id.0,
    };
    let before = audit_rows(&store, &chain.id.to_string()).len();

    let err = store
        .edit_fmea_field(fmea.id, chain, "occurrence", json!(11), "bo")
        .unwrap_err();

    assert!(matches!(err, FmeaError::Field(_)), "{err}");
    assert_eq!(audit_rows(&store, &chain.id.to_string()).len(), before);
    assert_eq!(store.load_fmea(fmea.id).unwrap(), fmea);
}

#[test]
fn removing_a_failure_mode_removes_its_chains_and_actions_with_an_entry_each() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();
    store.create_fmea(&fmea, "ana").unwrap();
    let mode = fmea.chains[0].failure_mode;

    let removed = store
        .remove_fmea_part(
            fmea.id,
            EntityRef {
                kind: EntityKind::FailureMode,
                id: mode.0,
            },
            "bo",
        )
        .unwrap();

    let now = store.load_fmea(fmea.id).unwrap();
    assert!(now.chains.iter().all(|c| c.failure_mode != mode));
    assert!(now.actions.is_empty());
    assert_eq!(
        removed.len(),
        1 + 2 + 2,
        "the mode, its two chains, the chain's two actions"
    );
    for part in &removed {
        let rows = audit_rows(&store, &part.entity_ref().id.to_string());
        assert_eq!(rows.last().unwrap().1, "(removed)");
    }
}

#[test]
fn a_new_row_pointing_at_a_missing_mode_is_refused() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();
    store.create_fmea(&fmea, "ana").unwrap();
    let orphan = FailureChain::new(
        ChainId(uuid::Uuid::now_v7()),
        vigil_core::fmea::FailureModeId(uuid::Uuid::now_v7()),
    );

    let err = store
        .add_fmea_part(fmea.id, Entity::Chain(orphan), "bo")
        .unwrap_err();

    assert!(err.to_string().contains("failure mode is missing"), "{err}");
    assert_eq!(store.load_fmea(fmea.id).unwrap(), fmea);
}

#[test]
fn a_frozen_revision_diffs_against_later_edits() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();
    store.create_fmea(&fmea, "ana").unwrap();
    let baseline = store
        .freeze_fmea_revision(fmea.id, "after the Q3 review", "ana")
        .unwrap();
    let header = EntityRef {
        kind: EntityKind::Fmea,
        id: fmea.id.0,
    };
    store
        .edit_fmea_field(fmea.id, header, "customer", json!("Shop team"), "bo")
        .unwrap();
    let chain = EntityRef {
        kind: EntityKind::Chain,
        id: fmea.chains[2].id.0,
    };
    store
        .edit_fmea_field(fmea.id, chain, "detection", json!(4), "bo")
        .unwrap();

    let changes = store
        .diff_fmea_versions(
            FmeaVersion::Revision(baseline),
            FmeaVersion::Current(fmea.id),
        )
        .unwrap();

    let fields: Vec<(&str, serde_json::Value)> = changes
        .iter()
        .map(|c| match c {
            Change::Field(f) => (f.field.as_str(), f.new.clone()),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        fields,
        [("customer", json!("Shop team")), ("detection", json!(4))]
    );
    assert_eq!(
        store.fmea_revisions(fmea.id).unwrap()[0].label,
        "after the Q3 review"
    );
    assert_eq!(
        store
            .load_fmea_version(FmeaVersion::Revision(baseline))
            .unwrap(),
        fmea
    );
}

#[test]
fn linked_incidents_of_the_last_year_suggest_an_occurrence() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();
    store.create_fmea(&fmea, "ana").unwrap();
    let mode = fmea.chains[0].failure_mode;
    let source = store
        .add_source(&NewSource {
            kind: SourceKind::PagerDuty,
            name: "PD".into(),
            base_url: None,
        })
        .unwrap()
        .id;
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
    // Five incidents in the last year, one older than that.
    for (n, days_ago) in [(1, 10), (2, 40), (3, 100), (4, 200), (5, 300), (6, 400)] {
        let incident = IncomingIncident {
            external_id: format!("P{n}"),
            number: Some(n),
            title: "Payment API timeouts".into(),
            service: Some("checkout".into()),
            team: None,
            urgency: Urgency::High,
            urgency_raw: None,
            status: IncidentStatus::Triggered,
            created_at: now - Duration::days(days_ago),
            acknowledged_at: None,
            mitigated_at: None,
            resolved_at: None,
            impact_started_at: None,
            impact_ended_at: None,
            merged_into: None,
            url: None,
            raw: None,
        };
        let (id, _) = store
            .write(|tx| upsert_incident_tx(tx, source, &incident))
            .unwrap();
        assert!(store.link_incident(mode, id, "ana").unwrap());
        assert!(
            !store.link_incident(mode, id, "ana").unwrap(),
            "a second link is a no-op"
        );
    }

    let suggestion = store.suggest_occurrence(mode, now).unwrap();

    assert_eq!(suggestion.rating.get(), 5, "{}", suggestion.reason);
    assert!(
        suggestion.reason.starts_with("5 linked incidents"),
        "{}",
        suggestion.reason
    );
    assert_eq!(store.linked_incidents(mode).unwrap().len(), 6);
    let rows = audit_rows(&store, &mode.to_string());
    assert_eq!(rows.iter().filter(|r| r.1 == "linked_incident").count(), 6);
}

#[test]
fn the_audit_log_names_the_display_name_when_one_is_set() {
    let (_dir, mut store) = store();
    store
        .write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('display_name', 'Ana P.')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    assert_eq!(store.audit_name(), "Ana P.");
}

#[test]
fn the_history_of_an_fmea_lists_its_edits_newest_first() {
    let (_dir, mut store) = store();
    let fmea = rich_fmea();
    store.create_fmea(&fmea, "ana").unwrap();
    let chain = EntityRef {
        kind: EntityKind::Chain,
        id: fmea.chains[1].id.0,
    };
    store
        .edit_fmea_field(fmea.id, chain, "cause", json!("A new cause"), "bo")
        .unwrap();

    let history = store.fmea_audit_entries(fmea.id).unwrap();

    let newest = &history[0];
    assert_eq!(
        (newest.id, newest.field.as_str(), newest.who.as_str()),
        (chain.id, "cause", "bo")
    );
    assert_eq!(newest.new_value.as_deref(), Some("A new cause"));
    let created = history
        .iter()
        .filter(|e| e.field == vigil_engine::store::CREATED)
        .count();
    assert_eq!(
        created,
        fmea.entities().len(),
        "one creation entry per part and the header"
    );
}
