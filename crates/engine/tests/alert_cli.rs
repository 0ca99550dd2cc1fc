//! `vigil alerts list` and `vigil alerts rules`: the built binary on a database holding one
//! alert.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use vigil_core::{IncidentStatus, Urgency};
use vigil_engine::alerting::{Alerting, SilentNotifier};
use vigil_engine::store::{upsert_incident_tx, IncomingIncident, UpsertOutcome};

use support::{add_pagerduty, now, open_store};

/// Runs `vigil --db <dir>/vigil.sqlite3 ARGS` and returns its stdout; fails on a non-zero exit.
fn vigil(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("--db")
        .arg(dir.join("vigil.sqlite3"))
        .args(args)
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB")
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// A database with one alert: a new high-urgency incident.
fn database_with_one_alert() -> tempfile::TempDir {
    let (dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, "http://127.0.0.1:9");
    let now = now();
    let incoming = IncomingIncident {
        external_id: "P1".into(),
        number: Some(1),
        title: "Search is down".into(),
        service: Some("search".into()),
        team: None,
        urgency: Urgency::High,
        urgency_raw: None,
        status: IncidentStatus::Triggered,
        created_at: now,
        acknowledged_at: None,
        mitigated_at: None,
        resolved_at: None,
        impact_started_at: None,
        impact_ended_at: None,
        merged_into: None,
        url: None,
        raw: None,
    };
    let id = store
        .write(|tx| Ok(upsert_incident_tx(tx, source, &incoming)?.0))
        .unwrap();
    Alerting::new(Arc::new(SilentNotifier))
        .after_sync(&mut store, &[(id, UpsertOutcome::Created)], now)
        .unwrap();
    dir
}

#[test]
fn alerts_list_shows_the_inbox_as_a_table_and_as_json() {
    let dir = database_with_one_alert();

    let table = vigil(dir.path(), &["alerts", "list"]);
    assert!(
        table.contains(
            "New high-urgency incident: search · opened under a minute ago · #1 Search is down"
        ),
        "{table}"
    );
    assert!(table.trim_end().ends_with("1 alerts, 1 unread"), "{table}");

    let json: serde_json::Value = serde_json::from_str(&vigil(
        dir.path(),
        &["alerts", "list", "--unread", "--json"],
    ))
    .unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["delivery"], "notify");
    assert_eq!(entries[0]["kind"]["kind"], "new_incident");
    assert_eq!(entries[0]["read_at"], serde_json::Value::Null);
}

#[test]
fn alerts_rules_lists_the_rules_in_order() {
    let dir = database_with_one_alert();

    let table = vigil(dir.path(), &["alerts", "rules"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 7, "{table}");
    assert!(lines[1].contains("new_incident") && lines[1].contains("urgency high"));
    assert!(lines[5].contains("sync_failing") && lines[5].contains(" 30 "));

    let json: serde_json::Value =
        serde_json::from_str(&vigil(dir.path(), &["alerts", "rules", "--json"])).unwrap();
    let kinds: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"]["kind"].as_str().unwrap())
        .collect();
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
}
