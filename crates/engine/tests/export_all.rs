//! What leaves the machine: the export of everything opens as a zip holding every incident, and
//! neither it nor the diagnostics text ever carries a token, even one a user typed into a base
//! URL or an option, or one a vendor echoed in an error.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

use std::io::Read;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use vigil_core::SourceKind;
use vigil_engine::store::NewSource;
use vigil_engine::Store;

const TOKEN: &str = "u+Xq7ZTOKEN42secret";

/// The demo workspace plus a PagerDuty source whose URL, options, cursor and last error all hold
/// the token.
fn seeded_with_a_leaky_source(dir: &Path) -> Store {
    let mut store = Store::open(&dir.join("vigil.sqlite3")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    vigil_engine::demo::seed_if_empty(&mut store, today).unwrap();
    let source = store
        .add_source(&NewSource {
            kind: SourceKind::PagerDuty,
            name: "Payments PagerDuty".into(),
            base_url: Some(format!("https://ops:{TOKEN}@api.pagerduty.example/")),
        })
        .unwrap();
    let options = serde_json::json!({"team": "payments", "api_token": TOKEN});
    store
        .set_source_options(source.id, options.as_object().unwrap())
        .unwrap();
    store
        .write(|tx| {
            vigil_engine::store::set_cursor_tx(tx, source.id, &format!("{{\"t\":\"{TOKEN}\"}}"))
        })
        .unwrap();
    let error = format!(
        "401 from https://api.pagerduty.example/incidents?token={TOKEN} after Bearer {TOKEN}"
    );
    store.record_sync_failure(source.id, &error, 0).unwrap();
    store
}

fn read_entry(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
    bytes
}

#[test]
fn the_export_opens_lists_its_files_and_holds_every_incident_without_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_with_a_leaky_source(dir.path());
    let out = dir.path().join("everything.zip");
    let now = Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap();

    let summary = vigil_engine::export_all::export_all(&store, &out, now).unwrap();

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    for expected in [
        "manifest.json",
        "sources.json",
        "incidents.json",
        "incidents.xlsx",
        "alert_rules.json",
        "fmeas.json",
        "settings.json",
        "audit_log.json",
    ] {
        assert!(
            names.contains(&expected.to_owned()),
            "{expected} missing from {names:?}"
        );
    }
    assert!(
        !names.contains(&"timeline_events.json".to_owned()),
        "{names:?}"
    );
    let mut listed: Vec<String> = summary.files.iter().map(|(n, _)| n.clone()).collect();
    listed.sort();
    assert_eq!(listed, names);

    // Every incident is there once, with its timeline.
    let incidents: Vec<serde_json::Value> =
        serde_json::from_slice(&read_entry(&mut zip, "incidents.json")).unwrap();
    let stored: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
        .unwrap();
    assert!(stored > 400);
    assert_eq!(incidents.len() as i64, stored);
    let mut ids: Vec<&str> = incidents
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len() as i64, stored);
    let events: usize = incidents
        .iter()
        .map(|i| i["timeline"].as_array().unwrap().len())
        .sum();
    let stored_events: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM timeline_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events as i64, stored_events);
    assert!(incidents[0]["created_at"]
        .as_str()
        .unwrap()
        .ends_with("+00:00"));

    // The spreadsheet is a real xlsx (a zip of its own) with a row per incident.
    let sheet = read_entry(&mut zip, "incidents.xlsx");
    assert!(sheet.starts_with(b"PK"));

    // No file holds the token, in any form.
    for name in &names {
        let bytes = read_entry(&mut zip, name);
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(TOKEN), "{name} holds the token");
        assert!(!text.contains("TOKEN42"), "{name} holds part of the token");
    }
    let sources = String::from_utf8(read_entry(&mut zip, "sources.json")).unwrap();
    assert!(sources.contains("api.pagerduty.example"), "{sources}");
    assert!(sources.contains("payments"), "{sources}");
}

#[test]
fn the_diagnostics_name_the_sources_and_their_errors_but_never_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_with_a_leaky_source(dir.path());

    let text = vigil_engine::diagnostics::diagnostics(&store, &dir.path().join("logs")).unwrap();

    assert!(!text.contains("TOKEN42"), "{text}");
    assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
    assert!(text.contains(&store.path().display().to_string()), "{text}");
    assert!(text.contains(&format!(
        "Schema version: {}",
        vigil_engine::store::SCHEMA_VERSION
    )));
    assert!(text.contains("pagerduty \"Payments PagerDuty\""), "{text}");
    assert!(
        text.contains("base URL: https://api.pagerduty.example/"),
        "{text}"
    );
    assert!(text.contains("last error: "), "{text}");
    assert!(
        text.contains("401 from https://api.pagerduty.example/incidents"),
        "{text}"
    );
    assert!(text.contains("demo \"Demo workspace\""), "{text}");
}
