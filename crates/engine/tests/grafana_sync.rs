//! Syncing from a Grafana OnCall-shaped server into a real SQLite file: every page by its `next`
//! link's query only, every alert group once, later syncs that re-read the open groups, states,
//! labels and attached groups, broken answers, resuming, the page parser under arbitrary input,
//! and `vigil sync grafana`.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use vigil_core::{IncidentStatus, SourceId, SourceKind, Urgency};
use vigil_engine::connectors::grafana::model::parse_page;
use vigil_engine::connectors::grafana::Grafana;
use vigil_engine::secrets::Token;
use vigil_engine::Store;

use support::connector_checks::{
    add_source, reasons, run, stored_count, sync_fails_and_keeps_the_cache, sync_with, text, vigil,
};
use support::grafana_server::{
    self as server, id, FixtureGroup, GrafanaAccount, GrafanaServer, STANDARD_COUNT, TOKEN,
};
use support::vendor_server::Breakage;
use support::{incident, incidents, now, open_store, options};

/// The list's path; a single group's path extends it.
const LIST: &str = "/api/v1/alert_groups/";

/// A server with the standard account and an empty cache with its source.
fn setup(now: DateTime<Utc>) -> (GrafanaServer, tempfile::TempDir, Store, SourceId) {
    server::use_token();
    let server = server::start(GrafanaAccount::standard(now));
    let (dir, mut store) = open_store();
    let source = add_source(&mut store, SourceKind::Grafana, &server.base_url());
    (server, dir, store, source)
}

fn sync_at(store: &mut Store, source: SourceId, at: DateTime<Utc>) -> vigil_core::api::SyncReport {
    sync_with(store, source, &options(at)).expect("a sync that works")
}

fn list_requests(server: &GrafanaServer) -> Vec<support::vendor_server::Seen> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.path == LIST)
        .collect()
}

fn range(since: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let f = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
    format!("{}/{}", f(since), f(until))
}

#[test]
fn a_first_sync_follows_every_next_link_and_keeps_each_group_once_and_a_second_changes_nothing() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);

    let first = sync_at(&mut store, source, now);
    let stored = incidents(&store, source);
    let ids: HashSet<String> = stored.iter().map(|i| i.external_id.clone()).collect();
    let expected: HashSet<String> = (0..STANDARD_COUNT).map(id).collect();
    assert_eq!(
        (stored.len(), ids),
        (STANDARD_COUNT, expected),
        "each group once"
    );
    assert_eq!(first.incidents_created, STANDARD_COUNT as u64);
    assert_eq!(
        incident(&store, source, &id(0)).status,
        IncidentStatus::Triggered,
        "the newest"
    );

    // Three pages of at most 50: the links name another host, and only their query was taken.
    let pages = list_requests(&server);
    let asked = range(now - Duration::days(180), now);
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages
        .iter()
        .all(|p| p.query.get("started_at") == Some(asked.as_str())));
    let numbers: Vec<Option<&str>> = pages.iter().map(|p| p.query.get("page")).collect();
    assert_eq!(numbers, [None, Some("2"), Some("3")]);

    // A second sync reads the range since the first and the open groups before it, one by one,
    // and changes nothing.
    let later = now + Duration::minutes(1);
    let open_before = incidents(&store, source)
        .iter()
        .filter(|i| {
            i.status != IncidentStatus::Resolved && i.created_at < now - Duration::minutes(5)
        })
        .count();
    server.state().requests.clear();
    let second = sync_at(&mut store, source, later);
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
    let walk = list_requests(&server);
    assert_eq!(
        walk[0].query.get("started_at"),
        Some(range(now - Duration::minutes(5), later).as_str())
    );
    let reread = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/alert_groups/I"))
        .count();
    assert_eq!(reread, open_before);
    assert!(open_before > 30, "{open_before}");
}

#[test]
fn every_request_carries_the_bare_token_and_nothing_else_is_accepted() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);
    let requests = server.requests();
    assert!(requests
        .iter()
        .all(|r| r.authorization.as_deref() == Some(TOKEN)));

    // A server that wants a scheme refuses the bare token: the form is what was checked.
    server.state().authorization = format!("Bearer {TOKEN}");
    let message =
        sync_fails_and_keeps_the_cache(&mut store, source, now, &["refused the API token"]);
    assert!(!message.contains(TOKEN), "the token never shows: {message}");
}

#[test]
fn groups_acknowledged_resolved_or_opened_between_two_syncs_show_the_change() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);
    let (fresh, acked) = (id(20), id(31));
    assert_eq!(
        incident(&store, source, &fresh).status,
        IncidentStatus::Triggered
    );
    assert_eq!(
        incident(&store, source, &acked).status,
        IncidentStatus::Acknowledged
    );

    let (ack_at, resolve_at) = (now + Duration::minutes(10), now + Duration::minutes(20));
    {
        let mut state = server.state();
        let group = state.account.group_mut(&fresh);
        group.state = "acknowledged";
        group.acknowledged_at = Some(ack_at);
        let group = state.account.group_mut(&acked);
        group.state = "resolved";
        group.resolved_at = Some(resolve_at);
        let mut new = state.account.groups[0].clone();
        new.id = "INEW00001".into();
        new.created_at = now + Duration::minutes(5);
        state.account.groups.push(new);
    }
    let report = sync_at(&mut store, source, now + Duration::minutes(30));
    assert_eq!(
        (report.incidents_created, report.incidents_updated),
        (1, 2),
        "{report:?}"
    );
    let now_acked = incident(&store, source, &fresh);
    assert_eq!(
        (now_acked.status, now_acked.first_acknowledged_at),
        (IncidentStatus::Acknowledged, Some(ack_at))
    );
    let resolved = incident(&store, source, &acked);
    assert_eq!(
        (resolved.status, resolved.resolved_at),
        (IncidentStatus::Resolved, Some(resolve_at))
    );
    assert_eq!(
        incident(&store, source, "INEW00001").status,
        IncidentStatus::Triggered
    );
}

#[test]
fn attached_groups_are_kept_and_flagged_merged_into_their_root() {
    let now = now();
    let (_server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);
    assert_eq!(incident(&store, source, &id(3)).merged_into, Some(id(2)));
    let flagged = incidents(&store, source)
        .iter()
        .filter(|i| i.is_merged())
        .count();
    assert_eq!(flagged, (0..STANDARD_COUNT).filter(|i| i % 15 == 3).count());
}

#[test]
fn states_labels_and_timestamps_map_onto_vigils_incidents() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    sync_at(&mut store, source, now);
    let group = |i: usize| -> FixtureGroup { server.state().account.group_mut(&id(i)).clone() };

    // 2 is silenced without labels: acknowledged when silenced, urgent, its integration as service.
    let silenced = incident(&store, source, &id(2));
    assert_eq!(silenced.status, IncidentStatus::Acknowledged);
    assert_eq!(silenced.first_acknowledged_at, group(2).silenced_at);
    assert_eq!(
        (silenced.urgency, silenced.urgency_raw.as_deref()),
        (Urgency::High, None)
    );
    assert_eq!(
        (silenced.service.as_deref(), silenced.team.as_deref()),
        (Some("CINT2"), Some("TEAM1"))
    );

    // 1 is acknowledged, a warning of the checkout service.
    let warning = incident(&store, source, &id(1));
    assert_eq!(
        (warning.urgency, warning.urgency_raw.as_deref()),
        (Urgency::Low, Some("warning"))
    );
    assert_eq!(warning.service.as_deref(), Some("checkout"));
    assert_eq!(warning.first_acknowledged_at, group(1).acknowledged_at);

    // 9 was resolved without an acknowledgement; 7 has a P1 priority label.
    let unacked = incident(&store, source, &id(9));
    assert_eq!(
        (unacked.first_acknowledged_at, unacked.resolved_at),
        (None, group(9).resolved_at)
    );
    let p1 = incident(&store, source, &id(7));
    assert_eq!(
        (p1.urgency, p1.urgency_raw.as_deref()),
        (Urgency::High, Some("P1"))
    );
    assert_eq!(p1.number, Some(STANDARD_COUNT as i64 - 7));
    assert!(p1.url.unwrap().ends_with(&id(7)));
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
fn an_interrupted_sync_resumes_at_the_page_it_stopped_on_and_ends_with_each_group_once() {
    let now = now();
    let (server, _dir, mut store, source) = setup(now);
    server.state().fail_after = Some(1);
    sync_with(&mut store, source, &options(now)).expect_err("the second page fails");
    assert_eq!(incidents(&store, source).len(), 50);

    server.state().fail_after = None;
    server.state().requests.clear();
    sync_at(&mut store, source, now + Duration::minutes(1));
    let resumed = &server.requests()[0];
    assert_eq!(resumed.query.get("page"), Some("2"));
    assert_eq!(
        resumed.query.get("started_at"),
        Some(range(now - Duration::days(180), now).as_str())
    );
    assert_eq!(incidents(&store, source).len(), STANDARD_COUNT);
}

#[test]
fn a_source_without_a_base_url_is_refused_with_what_to_set() {
    let err = Grafana::new(None, Token::new("t")).unwrap_err().to_string();
    assert!(err.contains("OnCall API URL"), "{err}");
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
        let account = GrafanaAccount::standard(now);
        let results: Vec<_> = account.groups[..3].iter().map(|g| g.to_json()).collect();
        let body = serde_json::json!({"count": 3, "next": null, "results": results});
        let mut page = body.to_string().into_bytes();
        let at = at % page.len();
        page[at] = byte;
        page.truncate(cut.min(page.len()));
        let _ = parse_page(&page);
    }
}

#[test]
fn vigil_sync_grafana_imports_the_stack_and_prints_one_summary_line() {
    let server = server::start(GrafanaAccount::standard(now()));
    let dir = tempfile::tempdir().unwrap();
    let args = ["sync", "grafana", "--base-url", &server.base_url()];

    let out = run(vigil(dir.path(), "VIGIL_GRAFANA_TOKEN", TOKEN).args(args));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("Grafana OnCall (127.0.0.1:"), "{stdout}");
    assert!(
        stdout.contains("130 incidents fetched, 130 created, 0 updated"),
        "{stdout}"
    );
    assert_eq!(stored_count(dir.path()), STANDARD_COUNT as u64);

    let out = run(vigil(dir.path(), "VIGIL_GRAFANA_TOKEN", "a-wrong-token").args(args));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(reasons(&stderr).len(), 1, "{stderr}");
    assert!(
        reasons(&stderr)[0].contains("refused the API token"),
        "{stderr}"
    );
}
