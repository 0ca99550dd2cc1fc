//! The Statuspage connector against a Statuspage-shaped server on 127.0.0.1: pages, the impact
//! window, the timeline, the header form, broken answers, a stopped run, and the `vigil` CLI.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use vigil_core::{IncidentStatus, SourceId, SourceKind, Urgency};
use vigil_engine::connectors::statuspage::{model, PAGE_ID_OPTION};
use vigil_engine::store::NewSource;
use vigil_engine::sync::sync_source;
use vigil_engine::Store;

use support::statuspage_server::{
    self as sp, authorization, opened_at, use_statuspage_key, OPEN, PAGE_ID, REGULAR, REOPENED,
};
use support::vendor_server::Breakage;
use support::{incident, incidents, now, open_store, options};

/// 250 records on three pages, 25 of them maintenances.
const RECORDS: usize = 250;
const INCIDENTS: usize = 225;

fn add_statuspage(store: &mut Store, base_url: &str) -> SourceId {
    let source = store
        .add_source(&NewSource {
            kind: SourceKind::Statuspage,
            name: "Statuspage (test)".into(),
            base_url: Some(base_url.into()),
        })
        .unwrap();
    let mut options = serde_json::Map::new();
    options.insert(PAGE_ID_OPTION.into(), PAGE_ID.into());
    store.set_source_options(source.id, &options).unwrap().id
}

fn sync_at(
    store: &mut Store,
    source: SourceId,
    now: DateTime<Utc>,
) -> vigil_engine::Result<vigil_core::api::SyncReport> {
    use_statuspage_key();
    sync_source(store, source, &options(now), &mut |_| {})
}

#[test]
fn every_incident_of_several_pages_is_stored_once_and_maintenances_are_left_out() {
    let now = now();
    let server = sp::start(sp::records(now, RECORDS));
    let (_dir, mut store) = open_store();
    let source = add_statuspage(&mut store, &server.base_url());

    let report = sync_at(&mut store, source, now).unwrap();
    assert_eq!(report.incidents_created, INCIDENTS as u64);
    assert_eq!(incidents(&store, source).len(), INCIDENTS);
    assert!(incidents(&store, source)
        .iter()
        .all(|i| !i.title.starts_with("Database upgrade")));
    let pages: Vec<(String, String)> = server
        .requests()
        .iter()
        .map(|r| {
            let q = |k| r.query.get(k).unwrap_or("").to_owned();
            (q("page"), q("per_page"))
        })
        .collect();
    let expected: Vec<(String, String)> = ["1", "2", "3"]
        .iter()
        .map(|p| ((*p).to_owned(), "100".to_owned()))
        .collect();
    assert_eq!(pages, expected);
    assert_eq!(report.requests, 3);
}

#[test]
fn a_second_sync_changes_nothing() {
    let now = now();
    let server = sp::start(sp::records(now, RECORDS));
    let (_dir, mut store) = open_store();
    let source = add_statuspage(&mut store, &server.base_url());
    sync_at(&mut store, source, now).unwrap();
    let before = incidents(&store, source);

    let report = sync_at(&mut store, source, now + Duration::hours(1)).unwrap();
    assert_eq!((report.incidents_created, report.incidents_updated), (0, 0));
    assert_eq!(incidents(&store, source), before);
}

#[test]
fn the_impact_window_is_stored_apart_from_when_the_record_opened_and_closed() {
    let now = now();
    let server = sp::start(sp::records(now, 20));
    let (_dir, mut store) = open_store();
    let source = add_statuspage(&mut store, &server.base_url());
    sync_at(&mut store, source, now).unwrap();

    let regular = incident(&store, source, REGULAR);
    let opened = opened_at(now, 4);
    assert_eq!(regular.created_at, opened);
    assert_eq!(regular.resolved_at, Some(opened + Duration::minutes(60)));
    let window = store.impact_window(regular.id).unwrap();
    assert_eq!(window.started_at, Some(opened - Duration::minutes(5)));
    assert_eq!(window.ended_at, Some(opened + Duration::minutes(45)));

    let open = incident(&store, source, OPEN);
    let window = store.impact_window(open.id).unwrap();
    assert!(window.started_at.is_some() && window.ended_at.is_none());
}

#[test]
fn updates_become_the_timeline_and_set_the_milestones() {
    let now = now();
    let server = sp::start(sp::records(now, 20));
    let (_dir, mut store) = open_store();
    let source = add_statuspage(&mut store, &server.base_url());
    sync_at(&mut store, source, now).unwrap();

    let regular = incident(&store, source, REGULAR);
    let opened = opened_at(now, 4);
    assert_eq!(regular.status, IncidentStatus::Resolved);
    assert_eq!(
        regular.first_acknowledged_at,
        Some(opened + Duration::minutes(10))
    );
    assert_eq!(regular.urgency, Urgency::Low, "impact none");
    assert_eq!(regular.url.as_deref(), Some("https://stspg.io/inc0004"));
    let detail = store.incident_detail(regular.id).unwrap();
    let kinds: Vec<&str> = detail.timeline.iter().map(|t| t.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["triggered", "acknowledged", "mitigated", "resolved"]
    );

    let reopened = incident(&store, source, REOPENED);
    assert_eq!(reopened.reopen_count, 1);
    assert_eq!(
        reopened.resolved_at,
        Some(opened_at(now, 5) + Duration::minutes(120))
    );
    let open = incident(&store, source, OPEN);
    assert_eq!(open.status, IncidentStatus::Acknowledged);
    assert_eq!(open.urgency, Urgency::High, "impact critical");
}

#[test]
fn the_key_is_sent_in_the_oauth_header_form_and_another_form_is_refused() {
    let now = now();
    let server = sp::start(sp::records(now, 5));
    let (_dir, mut store) = open_store();
    let source = add_statuspage(&mut store, &server.base_url());
    sync_at(&mut store, source, now).unwrap();
    assert!(server
        .requests()
        .iter()
        .all(|r| r.authorization.as_deref() == Some(authorization().as_str())));

    server.state().authorization = format!("Bearer {}", sp::KEY);
    let err = sync_at(&mut store, source, now).unwrap_err();
    assert!(err.to_string().contains("refused the API token"), "{err}");
}

/// Syncs a cache already synced once against a server broken by `breakage`; the sync fails with
/// `expected` in its message, recorded on the source, and nothing stored is lost.
fn breaks_and_keeps_the_cache(breakage: Breakage, expected: &str) {
    let now = now();
    let server = sp::start(sp::records(now, RECORDS));
    let (_dir, mut store) = open_store();
    let source = add_statuspage(&mut store, &server.base_url());
    sync_at(&mut store, source, now).unwrap();
    let before = incidents(&store, source);

    server.state().breakage = Some(breakage);
    let err = sync_at(&mut store, source, now + Duration::hours(1)).unwrap_err();
    assert!(err.to_string().contains(expected), "{err}");
    let status = store.source(source).unwrap().status;
    assert_eq!(status.last_error, Some(err.to_string()));
    assert_eq!(incidents(&store, source), before, "nothing stored is lost");
}

#[test]
fn malformed_json_ends_in_a_clear_error_and_keeps_the_cache() {
    breaks_and_keeps_the_cache(Breakage::TruncatedJson, "returned a body Vigil cannot read");
}

#[test]
fn an_html_page_ends_in_a_clear_error_and_keeps_the_cache() {
    breaks_and_keeps_the_cache(Breakage::HtmlPage, "HTML page");
}

#[test]
fn a_500_that_persists_ends_in_a_clear_error_and_keeps_the_cache() {
    breaks_and_keeps_the_cache(Breakage::ServerError, "HTTP 500 5 times");
}

#[test]
fn a_run_stopped_after_a_page_resumes_at_the_next_one() {
    let now = now();
    let server = sp::start(sp::records(now, RECORDS));
    let (_dir, mut store) = open_store();
    let source = add_statuspage(&mut store, &server.base_url());
    server.state().fail_after = Some(1);
    sync_at(&mut store, source, now).unwrap_err();
    assert_eq!(
        incidents(&store, source).len(),
        90,
        "the first page is kept"
    );

    server.state().fail_after = None;
    server.state().requests.clear();
    sync_at(&mut store, source, now).unwrap();
    assert_eq!(server.requests()[0].query.get("page"), Some("2"));
    assert_eq!(incidents(&store, source).len(), INCIDENTS);
}

#[test]
fn an_incident_that_turns_out_to_be_a_maintenance_is_removed() {
    let now = now();
    let server = sp::start(sp::records(now, 5));
    let (_dir, mut store) = open_store();
    let source = add_statuspage(&mut store, &server.base_url());
    sync_at(&mut store, source, now).unwrap();
    assert_eq!(incidents(&store, source).len(), 5);

    {
        let mut state = server.state();
        let first = &mut state.account.records[0];
        first["status"] = "scheduled".into();
        first["scheduled_for"] = "2030-01-01T00:00:00Z".into();
    }
    sync_at(&mut store, source, now).unwrap();
    assert_eq!(incidents(&store, source).len(), 4);
}

#[test]
fn vigil_sync_statuspage_syncs_the_page_and_prints_one_line() {
    let now = now();
    let server = sp::start(sp::records(now, 30));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.sqlite3");

    let out = vigil(dir.path())
        .args(["--db", db.to_str().unwrap(), "sync", "statuspage"])
        .args(["--base-url", &server.base_url(), "--page-id", PAGE_ID])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("27 incidents fetched, 27 created"),
        "{stdout}"
    );
    let store = Store::open(&db).unwrap();
    let source = &store.sources().unwrap()[0];
    assert_eq!(source.option_str(PAGE_ID_OPTION), Some(PAGE_ID));
    assert_eq!(store.incident_count(source.id).unwrap(), 27);
}

/// The `vigil` binary with its state folders in `dir` and the key in the environment.
fn vigil(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command
        .env("VIGIL_STATUSPAGE_TOKEN", sp::KEY)
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB");
    command
}

proptest! {
    #[test]
    fn the_page_parser_never_panics_on_arbitrary_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..512)
    ) {
        let _ = model::page_from_json(&bytes);
    }

    #[test]
    fn the_page_parser_never_panics_on_json_shaped_text(
        parts in proptest::collection::vec(prop_oneof![
            Just("["), Just("]"), Just("{"), Just("}"), Just(","), Just(":"), Just("null"),
            Just("\"id\""), Just("\"status\""), Just("\"resolved\""), Just("\"created_at\""),
            Just("\"2026-03-01T10:00:00Z\""), Just("\"incident_updates\""),
            Just("\"display_at\""), Just("\"scheduled_for\""), Just("1e999"), Just("-1"),
        ], 0..40)
    ) {
        let _ = model::page_from_json(parts.concat().as_bytes());
    }
}
