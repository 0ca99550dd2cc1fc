//! Syncing from an incident.io-shaped server into a real SQLite file: every page, every kept
//! incident once, later syncs by change, status categories, merges, modes, timestamps as
//! milestones, broken answers, resuming, the page parser under arbitrary input, and
//! `vigil sync incidentio`.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use vigil_core::{IncidentStatus, SourceId, SourceKind, Urgency};
use vigil_engine::connectors::incidentio::model::parse_page;
use vigil_engine::Store;

use support::connector_checks::{
    add_source, reasons, run, stored_count, sync_fails_and_keeps_the_cache, sync_with, text, vigil,
};
use support::incidentio_server::{
    self as server, id, IncidentIoAccount, IncidentIoServer, AUTHORIZATION, TOKEN,
};
use support::vendor_server::Breakage;
use support::{incident, incidents, now, open_store, options};

/// A server with the standard account and an empty cache with its source.
fn setup(now: DateTime<Utc>) -> (IncidentIoServer, tempfile::TempDir, Store, SourceId) {
    server::use_token();
    let server = server::start(IncidentIoAccount::standard(now));
    let (dir, mut store) = open_store();
    let source = add_source(&mut store, SourceKind::IncidentIo, &server.base_url());
    (server, dir, store, source)
}

fn sync_at(store: &mut Store, source: SourceId, at: DateTime<Utc>) -> vigil_core::api::SyncReport {
    sync_with(store, source, &options(at)).expect("a sync that works")
}

/// The values of a query parameter in a recorded request.
fn values<'a>(seen: &'a support::vendor_server::Seen, name: &str) -> Vec<&'a str> {
    seen.query
        .0
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[test]
fn a_first_sync_reads_every_page_and_keeps_each_incident_once_and_a_second_changes_nothing() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    let expected: HashSet<String> = server.state().account.kept_ids().into_iter().collect();

    let first = sync_at(&mut store, source, now);
    let stored = incidents(&store, source);
    let ids: HashSet<String> = stored.iter().map(|i| i.external_id.clone()).collect();
    assert_eq!(stored.len(), expected.len(), "no duplicates");
    assert_eq!(ids, expected);
    assert_eq!(first.incidents_created, expected.len() as u64);

    // Three pages of 250, walked by `after`, over 180 days of creations.
    let pages = server.requests_to("/v2/incidents");
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages
        .iter()
        .all(|p| p.query.get("page_size") == Some("250")));
    let from = (now - Duration::days(180)).format("%Y-%m-%d").to_string();
    assert_eq!(pages[0].query.get("created_at[gte]"), Some(from.as_str()));
    assert_eq!(pages[0].query.get("after"), None);
    assert_eq!(pages[1].query.get("after"), Some(id(249).as_str()));
    assert_eq!(pages[2].query.get("after"), Some(id(499).as_str()));
    let newest = incident(&store, source, &id(0));
    assert_eq!(
        newest.status,
        IncidentStatus::Acknowledged,
        "the newest, live one arrived"
    );

    // A second sync walks the changes since the first and changes nothing.
    let second = sync_at(&mut store, source, now + Duration::minutes(1));
    assert_eq!(
        (second.incidents_created, second.incidents_updated),
        (0, 0),
        "{second:?}"
    );
    assert_eq!(
        incidents(&store, source),
        stored,
        "same rows, same updated_at"
    );
    let walk = server.requests_to("/v2/incidents").pop().unwrap();
    let day = (now - Duration::minutes(5)).format("%Y-%m-%d").to_string();
    assert_eq!(walk.query.get("updated_at[gte]"), Some(day.as_str()));
}

#[test]
fn every_request_carries_the_key_with_the_bearer_scheme_and_nothing_else_is_accepted() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);
    let requests = server.requests();
    assert!(!requests.is_empty());
    assert!(requests
        .iter()
        .all(|r| r.authorization.as_deref() == Some(AUTHORIZATION)));

    // A server that wants the key bare refuses Vigil's header: the form is what was checked.
    server.state().authorization = TOKEN.into();
    let message =
        sync_fails_and_keeps_the_cache(&mut store, source, now, &["refused the API token"]);
    assert!(!message.contains(TOKEN), "the key never shows: {message}");
}

#[test]
fn incidents_acknowledged_resolved_or_declined_between_two_syncs_show_the_change() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);
    let (triage, live, gone) = (id(21), id(40), id(60));
    assert_eq!(
        incident(&store, source, &triage).status,
        IncidentStatus::Triggered
    );
    assert_eq!(incident(&store, source, &live).resolved_at, None);

    let (accepted, resolved) = (now + Duration::minutes(10), now + Duration::minutes(20));
    {
        let mut state = server.state();
        state
            .account
            .incident_mut(&triage)
            .change("live", "Accepted at", accepted);
        state
            .account
            .incident_mut(&live)
            .change("closed", "Resolved at", resolved);
        state
            .account
            .incident_mut(&gone)
            .change("declined", "Declined at", resolved);
    }
    let report = sync_at(&mut store, source, now + Duration::minutes(30));
    assert_eq!(
        (report.incidents_created, report.incidents_updated),
        (0, 2),
        "{report:?}"
    );
    let acked = incident(&store, source, &triage);
    assert_eq!(acked.status, IncidentStatus::Acknowledged);
    assert_eq!(acked.first_acknowledged_at, Some(accepted));
    let closed = incident(&store, source, &live);
    assert_eq!(
        (closed.status, closed.resolved_at),
        (IncidentStatus::Resolved, Some(resolved))
    );
    assert!(
        incidents(&store, source)
            .iter()
            .all(|i| i.external_id != gone),
        "a declined incident is no incident"
    );
}

#[test]
fn merged_incidents_are_kept_flagged_and_name_the_incident_they_joined() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);

    let merged = incident(&store, source, &id(4));
    assert_eq!(merged.merged_into, Some(id(3)));
    assert_eq!(merged.status, IncidentStatus::Resolved);
    let flagged = incidents(&store, source)
        .iter()
        .filter(|i| i.is_merged())
        .count();
    let lookups = server.requests_to("/v2/incident_updates");
    assert_eq!(flagged, lookups.len(), "one look-up per merged incident");
    assert_eq!(flagged, STANDARD_MERGED_KEPT);
    assert_eq!(lookups[0].query.get("incident_id"), Some(id(4).as_str()));
}

/// Merged incidents of the standard account in a kept mode: i % 20 == 4, and not a test or
/// tutorial (i % 50 of 7 or 8 never meets i % 20 of 4).
const STANDARD_MERGED_KEPT: usize = 31;

#[test]
fn test_tutorial_declined_and_canceled_incidents_are_left_out() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);

    let stored: HashSet<String> = incidents(&store, source)
        .into_iter()
        .map(|i| i.external_id)
        .collect();
    let account = server.state().account.clone();
    for left_out in account.incidents.iter().filter(|i| !stored.contains(&i.id)) {
        assert!(
            matches!(left_out.mode, "test" | "tutorial")
                || matches!(left_out.category, "declined" | "canceled"),
            "{left_out:?}"
        );
    }
    assert_eq!(stored.len(), STANDARD_KEPT);
    let first = &server.requests_to("/v2/incidents")[0];
    assert_eq!(values(first, "mode[one_of]"), ["standard", "retrospective"]);
}

/// What the standard account keeps: 620 less 62 declined or canceled (i % 20 of 5 or 6) and 26
/// tests or tutorials (i % 50 of 7 or 8, none of which is also declined or canceled).
const STANDARD_KEPT: usize = 620 - 62 - 26;

#[test]
fn impact_start_milestones_severity_and_the_raw_json_are_stored() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);

    // Incident 12 is closed, Critical, with an impact start 7 minutes before it was declared.
    let created = server.state().account.incident_mut(&id(12)).created_at;
    let closed = incident(&store, source, &id(12));
    assert_eq!(closed.created_at, created);
    assert_eq!(
        closed.first_acknowledged_at,
        Some(created + Duration::seconds(30))
    );
    assert_eq!(closed.resolved_at, Some(created + Duration::hours(1)));
    assert_eq!(
        (closed.urgency, closed.urgency_raw.as_deref()),
        (Urgency::High, Some("Critical"))
    );
    assert_eq!(closed.number, Some(608));
    assert_eq!(
        closed.url.as_deref(),
        Some("https://app.incident.io/acme/incidents/608")
    );
    let window = store.impact_window(closed.id).unwrap();
    assert_eq!(window.started_at, Some(created - Duration::minutes(7)));

    let minor = incident(&store, source, &id(10));
    assert_eq!(
        (minor.urgency, minor.urgency_raw.as_deref()),
        (Urgency::Low, Some("Minor"))
    );
    let raw: String = store
        .conn()
        .query_row(
            "SELECT raw FROM incidents WHERE external_id = ?1",
            [id(12)],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        raw.contains("Follow-ups done"),
        "unmapped fields are kept: {raw}"
    );
}

#[test]
fn broken_json_an_html_page_and_a_lasting_500_each_end_in_a_clear_error_and_keep_the_cache() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);
    let later = now + Duration::hours(1);

    server.state().breakage = Some(Breakage::TruncatedJson);
    sync_fails_and_keeps_the_cache(
        &mut store,
        source,
        later,
        &["cannot read", "ends too early"],
    );
    server.state().breakage = Some(Breakage::HtmlPage);
    let html = sync_fails_and_keeps_the_cache(&mut store, source, later, &["HTML page"]);
    assert!(html.contains("<title>Sign in"), "quotes the page: {html}");

    server.state().breakage = Some(Breakage::ServerError);
    server.state().requests.clear();
    sync_fails_and_keeps_the_cache(&mut store, source, later, &["HTTP 500", "5 times"]);
    assert_eq!(server.requests().len(), 5, "bounded retries");
}

#[test]
fn an_interrupted_sync_resumes_from_its_stored_cursor_and_ends_with_each_incident_once() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    // The first page, then the updates of its 13 merged incidents, then the second page fails.
    server.state().fail_after = Some(1 + 13);
    sync_with(&mut store, source, &options(now)).expect_err("the second page fails");
    let partial = incidents(&store, source).len();
    assert!(partial > 0 && partial < STANDARD_KEPT, "{partial}");

    server.state().fail_after = None;
    server.state().requests.clear();
    sync_at(&mut store, source, now + Duration::minutes(1));
    let resumed = &server.requests_to("/v2/incidents")[0];
    assert_eq!(resumed.query.get("after"), Some(id(249).as_str()));
    assert_eq!(incidents(&store, source).len(), STANDARD_KEPT);
}

proptest! {
    #[test]
    fn the_page_parser_fed_arbitrary_bytes_returns_an_error_and_never_panics(
        bytes in proptest::collection::vec(any::<u8>(), 0..600)
    ) {
        prop_assert!(parse_page(&bytes).is_err());
    }

    #[test]
    fn the_page_parser_fed_a_damaged_page_never_panics(cut in 0usize..4000, at in 0usize..4000,
                                                       byte in any::<u8>()) {
        let now = "2026-03-01T10:00:00Z".parse().unwrap();
        let account = IncidentIoAccount::standard(now);
        let incidents: Vec<_> = account.incidents[..3].iter().map(|i| i.to_json()).collect();
        let mut page = serde_json::json!({"incidents": incidents}).to_string().into_bytes();
        let at = at % page.len();
        page[at] = byte;
        page.truncate(cut.min(page.len()));
        let _ = parse_page(&page);
    }
}

#[test]
fn vigil_sync_incidentio_imports_the_account_and_prints_one_summary_line() {
    let server = server::start(IncidentIoAccount::standard(now()));
    let dir = tempfile::tempdir().unwrap();
    let args = ["sync", "incidentio", "--base-url", &server.base_url()];

    let out = run(vigil(dir.path(), "VIGIL_INCIDENTIO_TOKEN", TOKEN).args(args));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("incident.io (127.0.0.1:"), "{stdout}");
    let created = format!("{STANDARD_KEPT} incidents fetched, {STANDARD_KEPT} created, 0 updated");
    assert!(stdout.contains(&created), "{stdout}");
    assert_eq!(stored_count(dir.path()), STANDARD_KEPT as u64);

    let out = run(vigil(dir.path(), "VIGIL_INCIDENTIO_TOKEN", "a-wrong-key").args(args));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(reasons(&stderr).len(), 1, "{stderr}");
    assert!(
        reasons(&stderr)[0].contains("refused the API token"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("a-wrong-key"),
        "the key never shows: {stderr}"
    );
}
