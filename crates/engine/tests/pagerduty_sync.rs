//! Syncing from a PagerDuty-shaped server into a real SQLite file: every incident once, the
//! incident semantics (merged, reopened, unacknowledged, first acknowledgement), later syncs,
//! windows, the offset cap, and resuming an interrupted sync.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::collections::HashSet;

use chrono::Duration;
use vigil_core::IncidentStatus;
use vigil_engine::sync::sync_source;

use support::pagerduty_fixture::{
    pd_time, LAST, MERGED, MERGE_TARGET, PENDING, REGULAR, REOPENED, UNACKED,
};
use support::{add_pagerduty, incident, incidents, now, open_store, options, sync};
use support::{Fixture, PagerDutyServer};

#[test]
fn a_sync_imports_every_incident_exactly_once_and_running_it_again_changes_nothing() {
    let now = now();
    let fixture = Fixture::standard(now);
    let expected: HashSet<String> = fixture.incidents.iter().map(|i| i.id.clone()).collect();
    let server = PagerDutyServer::start(fixture);
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());

    // The first sync reaches back 180 days and reports its progress up to the end.
    support::use_test_token();
    let mut fractions = Vec::new();
    let first = sync_source(&mut store, source, &options(now), &mut |p| {
        fractions.push(p.fraction)
    })
    .expect("first sync");
    let stored = incidents(&store, source);
    let ids: HashSet<String> = stored.iter().map(|i| i.external_id.clone()).collect();
    assert_eq!(stored.len(), expected.len(), "no duplicates");
    assert_eq!(ids, expected);
    assert_eq!(first.incidents_created, expected.len() as u64);
    assert!(
        first.requests >= 3 + 7,
        "several pages and windows: {first:?}"
    );
    assert!(
        fractions.windows(2).all(|w| w[0] <= w[1]),
        "progress only grows"
    );
    assert_eq!(fractions.last().copied(), Some(1.0));
    assert!(
        server.requests_to("/incidents").len() >= 7,
        "six windows, one of two pages"
    );

    // A second sync a minute later fetches the overlap again and changes nothing.
    let second = sync(&mut store, source, &options(now + Duration::minutes(1))).expect("again");
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
    let status = store.source(source).unwrap().status;
    assert!(status.last_error.is_none() && status.last_success_at.is_some());
}

#[test]
fn merged_reopened_and_unacknowledged_incidents_and_first_acks_are_read_right() {
    let now = now();
    let fixture = Fixture::standard(now);
    let regular_created = fixture
        .incidents
        .iter()
        .find(|i| i.id == REGULAR)
        .unwrap()
        .created_at;
    let reopened_created = fixture
        .incidents
        .iter()
        .find(|i| i.id == REOPENED)
        .unwrap()
        .created_at;
    let server = PagerDutyServer::start(fixture);
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    sync(&mut store, source, &options(now)).expect("sync");

    let merged = incident(&store, source, MERGED);
    assert_eq!(merged.merged_into.as_deref(), Some(MERGE_TARGET));

    // One identity, open again after the first resolution, closed at the last one.
    let reopened = incident(&store, source, REOPENED);
    assert_eq!(reopened.reopen_count, 1);
    assert_eq!(reopened.status, IncidentStatus::Resolved);
    assert_eq!(
        reopened.resolved_at,
        Some(reopened_created + Duration::minutes(90))
    );
    assert_eq!(
        reopened.first_acknowledged_at,
        Some(reopened_created + Duration::minutes(2))
    );

    let unacked = incident(&store, source, UNACKED);
    assert_eq!(unacked.first_acknowledged_at, None);
    assert_eq!(unacked.status, IncidentStatus::Resolved);

    // Resolved, so its acknowledgements[] is empty: the first ack comes from the log entries.
    let regular = incident(&store, source, REGULAR);
    assert_eq!(
        regular.first_acknowledged_at,
        Some(regular_created + Duration::minutes(3))
    );
    assert_eq!(regular.number, Some(43));
    assert_eq!(regular.service.as_deref(), Some("search"));
    assert_eq!(regular.team.as_deref(), Some("Core"));
    assert_eq!(
        regular.url.as_deref(),
        Some("https://acme.pagerduty.com/incidents/PINC0042")
    );

    let detail = store.incident_detail(regular.id).unwrap();
    let kinds: Vec<&str> = detail.timeline.iter().map(|t| t.kind.as_str()).collect();
    assert_eq!(kinds, ["triggered", "notified", "acknowledged", "resolved"]);
}

#[test]
fn the_incident_resolved_between_two_syncs_shows_as_resolved_after_the_second() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    sync(&mut store, source, &options(now)).expect("first sync");
    let before = incident(&store, source, PENDING);
    assert_eq!(before.status, IncidentStatus::Acknowledged);

    let resolved_at = now + Duration::minutes(5);
    server.state().fixture.resolve(PENDING, resolved_at);
    let report = sync(&mut store, source, &options(now + Duration::minutes(10))).expect("second");

    let after = incident(&store, source, PENDING);
    assert_eq!(after.status, IncidentStatus::Resolved);
    assert_eq!(after.resolved_at, Some(resolved_at));
    assert_eq!(after.first_acknowledged_at, before.first_acknowledged_at);
    assert_eq!(after.id, before.id);
    assert_eq!(
        (report.incidents_created, report.incidents_updated),
        (0, 1),
        "{report:?}"
    );
    // The later sync asked only for what is new since the first, less the overlap.
    let since = server
        .requests_to("/log_entries")
        .last()
        .unwrap()
        .time("since")
        .unwrap();
    assert_eq!(since, now - Duration::minutes(5));
}

#[test]
fn a_90_day_sync_asks_for_windows_of_at_most_30_days_each_with_an_explicit_until() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    let since = now - Duration::days(90);
    sync(
        &mut store,
        source,
        &vigil_engine::sync::SyncOptions {
            since: Some(since),
            ..options(now)
        },
    )
    .expect("sync");

    for path in ["/incidents", "/log_entries"] {
        let requests = server.requests_to(path);
        assert!(requests.len() >= 3, "{path}: at least three windows");
        for r in &requests {
            let (from, to) = (
                r.time("since").expect("since"),
                r.time("until").expect("until"),
            );
            assert!(r.param("until").unwrap().ends_with('Z'), "explicit UTC");
            assert!(to - from <= Duration::days(30), "{path}: {from} to {to}");
            assert!(from >= since && to <= now, "{path}: {from} to {to}");
        }
    }
    let first = &server.requests_to("/incidents")[0];
    assert_eq!(first.param("since"), Some(pd_time(since).as_str()));
    assert_eq!(first.param("sort_by"), Some("created_at:asc"));
    assert_eq!(first.param("time_zone"), Some("UTC"));
    assert_eq!(
        server.requests_to("/log_entries")[0].param("is_overview"),
        Some("false")
    );

    // Created a minute before "now", it is inside the last window.
    assert_eq!(
        incident(&store, source, LAST).status,
        IncidentStatus::Triggered
    );
    let older = incidents(&store, source)
        .iter()
        .filter(|i| i.created_at < since)
        .count();
    assert_eq!(older, 0, "nothing before the asked start");
}

#[test]
fn more_incidents_than_the_offset_cap_in_one_window_all_arrive() {
    // PagerDuty's cap is 10,000; the server and the connector both use 300 here so the test
    // needs 1,000 incidents instead of 30,000. The connector's default stays the real one.
    assert_eq!(
        vigil_engine::sync::SyncOptions::new(now()).offset_cap,
        10_000
    );
    let now = now();
    let server = PagerDutyServer::start(Fixture::dense(now, 1_000, Duration::days(10)));
    server.state().offset_cap = 300;
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    let options = vigil_engine::sync::SyncOptions {
        offset_cap: 300,
        ..options(now)
    };
    let report = sync(&mut store, source, &options).expect("sync");

    assert_eq!(incidents(&store, source).len(), 1_000);
    assert_eq!(report.incidents_created, 1_000);
    assert_eq!(report.events_fetched, 1_000);
    let refused: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.status != 200)
        .collect();
    assert!(refused.is_empty(), "no page past the cap: {refused:?}");
    for r in server.requests() {
        let offset: u32 = r.param("offset").unwrap().parse().unwrap();
        assert!(offset + 100 <= 300);
    }
}

#[test]
fn an_interrupted_sync_resumes_from_its_cursor() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());

    // The server fails for good after 9 requests: the sync stops partway.
    server.state().fail_after = Some(9);
    let err = sync(&mut store, source, &options(now)).expect_err("the server broke");
    assert!(err.to_string().contains("HTTP 500"), "{err}");
    let partial = incidents(&store, source).len();
    assert!(
        partial > 0 && partial < 265,
        "{partial} stored before the failure"
    );
    let cursor = store.source(source).unwrap().sync_cursor.expect("a cursor");
    assert!(cursor.contains("\"run\":{"), "{cursor}");

    // Healed, the next sync goes on from the cursor instead of starting over.
    {
        let mut state = server.state();
        state.fail_after = None;
        state.requests.clear();
    }
    sync(&mut store, source, &options(now)).expect("resumed sync");
    assert_eq!(incidents(&store, source).len(), 265);
    let first = &server.requests()[0];
    assert!(
        first.time("since").unwrap() > now - Duration::days(180),
        "{first:?}"
    );
    assert!(!store
        .source(source)
        .unwrap()
        .sync_cursor
        .unwrap()
        .contains("\"run\":{"));
}
