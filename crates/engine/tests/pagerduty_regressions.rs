//! PagerDuty cases that went wrong in syncs people wrote before Vigil: the newest incident past
//! the first page, records on the edges of the 30-day windows, a 429 on every other request,
//! an incident reopened between syncs, and instants from a zone with daylight saving time.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

// The UI's own formatting helper, compiled here too: it is plain chrono, and linking the
// WebAssembly UI crate into the engine's tests would bring Leptos with it.
#[path = "../../../ui/src/format.rs"]
#[allow(dead_code)]
mod format;

use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::America::New_York;
use vigil_core::IncidentStatus;
use vigil_engine::connectors::pagerduty::model::incident_from_json;
use vigil_engine::sync::SyncOptions;

use support::pagerduty_fixture::{pd_time, FixtureIncident};
use support::{add_pagerduty, incident, incidents, now, open_store, options, sync};
use support::{Fixture, PagerDutyServer};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

#[test]
fn the_newest_incident_arrives_when_its_window_holds_more_than_one_page() {
    let now = now();
    let mut fixture = Fixture::dense(now - Duration::minutes(5), 250, Duration::days(2));
    let newest = now - Duration::seconds(1);
    fixture.add("PNEWEST", newest, "triggered", None, None);
    fixture.log("PNEWEST", "trigger_log_entry", newest);
    let server = PagerDutyServer::start(fixture);
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());

    sync(&mut store, source, &options(now)).expect("sync");
    assert_eq!(incidents(&store, source).len(), 251);
    assert_eq!(incident(&store, source, "PNEWEST").created_at, newest);
    let last_window_pages = server
        .requests_to("/incidents")
        .iter()
        .filter(|r| r.time("until") == Some(now))
        .count();
    assert_eq!(
        last_window_pages, 3,
        "251 incidents in the last window: 3 pages"
    );
}

#[test]
fn each_window_of_a_90_day_sync_states_both_bounds_in_utc_and_no_edge_record_is_lost() {
    let now = now();
    let since = now - Duration::days(90);
    // One incident on each window edge, one at the very start and one a second before the end.
    let edges = [
        since,
        since + Duration::days(30),
        since + Duration::days(60),
        now - Duration::seconds(1),
    ];
    let mut fixture = Fixture::default();
    for (n, at) in edges.iter().enumerate() {
        let id = format!("PEDGE{n}");
        fixture.add(&id, *at, "triggered", None, None);
        fixture.log(&id, "trigger_log_entry", *at);
    }
    let server = PagerDutyServer::start(fixture);
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    let options = SyncOptions {
        since: Some(since),
        ..options(now)
    };
    let report = sync(&mut store, source, &options).expect("sync");

    for path in ["/incidents", "/log_entries"] {
        let requests = server.requests_to(path);
        for r in &requests {
            for bound in ["since", "until"] {
                let text = r
                    .param(bound)
                    .unwrap_or_else(|| panic!("{path}: no {bound}"));
                assert!(
                    text.ends_with('Z') || text.ends_with("+00:00"),
                    "{path}: {bound}={text} has no UTC offset"
                );
            }
        }
        // The windows tile the range: each starts where the one before ended.
        assert_eq!(requests[0].time("since"), Some(since), "{path}");
        assert_eq!(requests.last().unwrap().time("until"), Some(now), "{path}");
        for pair in requests.windows(2) {
            assert_eq!(pair[0].time("until"), pair[1].time("since"), "{path}");
        }
    }
    let stored = incidents(&store, source);
    assert_eq!(
        stored.len(),
        edges.len(),
        "each edge record once: {stored:?}"
    );
    assert_eq!(report.events_fetched, edges.len() as u64);
    for (n, at) in edges.iter().enumerate() {
        assert_eq!(
            incident(&store, source, &format!("PEDGE{n}")).created_at,
            *at
        );
    }
}

#[test]
fn a_429_on_every_other_request_is_waited_out_as_ratelimit_reset_says_and_pages_stay_in_order() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::dense(now, 250, Duration::days(3)));
    server.state().rate_limit_every_other = Some(("ratelimit-reset".into(), "0.2".into()));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    let options = SyncOptions {
        since: Some(now - Duration::days(4)),
        ..options(now)
    };

    let started = Instant::now();
    sync(&mut store, source, &options).expect("sync");
    let elapsed = started.elapsed();
    assert_eq!(incidents(&store, source).len(), 250);

    let requests = server.requests();
    let limited = requests.iter().filter(|r| r.status == 429).count();
    assert_eq!(
        limited * 2,
        requests.len(),
        "every other request was refused"
    );
    for pair in requests.chunks(2) {
        assert_eq!(pair[0].status, 429);
        assert_eq!(pair[1].status, 200);
        assert_eq!(
            pair[0].query, pair[1].query,
            "the refused page is asked again"
        );
    }
    let offsets: Vec<&str> = requests
        .iter()
        .filter(|r| r.path == "/incidents" && r.status == 200)
        .map(|r| r.param("offset").unwrap())
        .collect();
    assert_eq!(offsets, ["0", "100", "200"]);
    let waited = std::time::Duration::from_millis(200) * limited as u32;
    assert!(
        elapsed >= waited,
        "{elapsed:?} for {limited} waits of 0.2 s"
    );
}

#[test]
fn an_incident_reopened_between_two_syncs_keeps_one_identity_and_is_counted_once() {
    let now = now();
    let mut fixture = Fixture::default();
    for n in 0..5 {
        fixture.regular(&format!("PR{n}"), now - Duration::days(n + 1));
    }
    let server = PagerDutyServer::start(fixture);
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    sync(&mut store, source, &options(now)).expect("first sync");
    let before = incident(&store, source, "PR0");
    assert_eq!(before.status, IncidentStatus::Resolved);

    // Triggered again five minutes after the first sync.
    let reopened_at = now + Duration::minutes(5);
    {
        let mut state = server.state();
        let pr0: &mut FixtureIncident = state
            .fixture
            .incidents
            .iter_mut()
            .find(|i| i.id == "PR0")
            .unwrap();
        pr0.status = "triggered";
        pr0.resolved_at = None;
        state.fixture.log("PR0", "trigger_log_entry", reopened_at);
    }
    let report = sync(&mut store, source, &options(now + Duration::minutes(10))).expect("second");
    assert_eq!(report.incidents_created, 0, "{report:?}");
    let open = incident(&store, source, "PR0");
    assert_eq!(open.id, before.id, "one identity");
    assert_eq!(open.status, IncidentStatus::Triggered);
    assert_eq!(open.resolved_at, None);
    assert_eq!(open.reopen_count, 1);
    assert_eq!(store.incident_count(source).unwrap(), 5);

    // Resolved again: closed at the last resolution, still one incident.
    let resolved_at = now + Duration::minutes(20);
    server.state().fixture.resolve("PR0", resolved_at);
    sync(&mut store, source, &options(now + Duration::minutes(30))).expect("third");
    let closed = incident(&store, source, "PR0");
    assert_eq!(closed.id, before.id);
    assert_eq!(closed.status, IncidentStatus::Resolved);
    assert_eq!(closed.resolved_at, Some(resolved_at));
    assert_eq!(closed.reopen_count, 1);
    assert_eq!(closed.created_at, before.created_at);
    assert_eq!(store.incident_count(source).unwrap(), 5);
}

#[test]
fn an_incident_created_at_0936_in_new_york_is_stored_in_utc_and_shown_at_0936_there() {
    // 2026-07-15 is in daylight saving time (EDT, -04:00), 2026-12-01 is not (EST, -05:00).
    let cases = [
        (
            "2026-07-15T09:36:00-04:00",
            utc(2026, 7, 15, 13, 36),
            "2026-07-15 09:36",
        ),
        (
            "2026-12-01T09:36:00-05:00",
            utc(2026, 12, 1, 14, 36),
            "2026-12-01 09:36",
        ),
    ];

    // As PagerDuty writes the instant for an account set to New York (no time_zone=UTC).
    for (text, stored, _) in cases {
        let json = serde_json::json!({
            "id": "PTZ", "status": "triggered", "created_at": text, "title": "Disk full"
        });
        assert_eq!(
            incident_from_json(&json).unwrap().created_at,
            stored,
            "{text}"
        );
    }

    // Through a whole sync, and back to a person in New York through the UI's formatter.
    let now = utc(2026, 12, 4, 12, 0);
    let mut fixture = Fixture::default();
    for (n, (_, stored, _)) in cases.iter().enumerate() {
        let id = format!("PTZ{n}");
        fixture.add(&id, *stored, "triggered", None, None);
        fixture.log(&id, "trigger_log_entry", *stored);
    }
    let server = PagerDutyServer::start(fixture);
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    sync(&mut store, source, &options(now)).expect("sync");
    for (n, (_, stored, shown)) in cases.iter().enumerate() {
        let got = incident(&store, source, &format!("PTZ{n}")).created_at;
        assert_eq!(got, *stored);
        assert_eq!(pd_time(got), pd_time(*stored));
        assert_eq!(format::short_in(got, &New_York), *shown);
        // What a New York user types for that moment finds the same instant.
        let typed = shown.replace(' ', "T");
        assert_eq!(
            vigil_core::time::parse_instant_in(&typed, New_York).unwrap(),
            got
        );
    }
}
