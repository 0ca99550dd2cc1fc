//! A PagerDuty server that misbehaves: rate limits are waited out, broken answers end in a clear
//! error recorded on the source with nothing stored lost, and the token never leaves its host.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use vigil_core::SourceId;
use vigil_engine::Store;

use support::{add_pagerduty, incidents, now, open_store, options, sync};
use support::{Fault, Fixture, PagerDutyServer};

/// A synced cache and the server it came from.
fn synced_once() -> (
    PagerDutyServer,
    tempfile::TempDir,
    Store,
    SourceId,
    DateTime<Utc>,
) {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    let (dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());
    sync(&mut store, source, &options(now)).expect("a first sync that works");
    (server, dir, store, source, now)
}

/// Syncs an hour later, expects it to fail, and checks what the source records.
fn sync_fails_and_keeps_the_cache(
    store: &mut Store,
    source: SourceId,
    now: DateTime<Utc>,
    expected: &[&str],
) -> String {
    let before = incidents(store, source);
    let err = sync(store, source, &options(now + Duration::hours(1))).expect_err("a failure");
    let message = err.to_string();
    for word in expected {
        assert!(message.contains(word), "`{word}` missing from: {message}");
    }
    let status = store.source(source).unwrap().status;
    assert_eq!(status.last_error.as_deref(), Some(message.as_str()));
    assert!(status.last_error_at.is_some() && status.last_success_at.is_some());
    assert_eq!(incidents(store, source), before, "nothing stored is lost");
    message
}

#[test]
fn a_429_with_ratelimit_reset_is_waited_out_then_everything_arrives() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    server.state().rate_limit_next = Some(("ratelimit-reset".into(), "1".into()));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());

    let started = Instant::now();
    let report = sync(&mut store, source, &options(now)).expect("sync");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(incidents(&store, source).len(), 265);
    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses[..2], [429, 200]);
    assert_eq!(
        report.requests,
        statuses.len() as u64,
        "retries are counted"
    );
}

#[test]
fn a_429_on_every_other_request_still_gets_every_incident() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    server.state().rate_limit_every_other = Some(("retry-after".into(), "0".into()));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());

    sync(&mut store, source, &options(now)).expect("sync");
    assert_eq!(incidents(&store, source).len(), 265);
    let limited = server.requests().iter().filter(|r| r.status == 429).count();
    assert!(limited >= 10, "{limited} rate-limited requests");
}

#[test]
fn a_truncated_json_body_ends_in_a_clear_error_and_keeps_the_cache() {
    let (server, _dir, mut store, source, now) = synced_once();
    server.state().fault = Some(Fault::TruncatedJson);
    sync_fails_and_keeps_the_cache(&mut store, source, now, &["cannot read", "ends too early"]);
}

#[test]
fn an_html_error_page_ends_in_a_clear_error_and_keeps_the_cache() {
    let (server, _dir, mut store, source, now) = synced_once();
    server.state().fault = Some(Fault::HtmlPage);
    let message = sync_fails_and_keeps_the_cache(&mut store, source, now, &["HTML page"]);
    assert!(
        message.contains("<title>Sign in"),
        "quotes the page: {message}"
    );
}

#[test]
fn json_of_the_wrong_shape_ends_in_a_clear_error_and_keeps_the_cache() {
    let (server, _dir, mut store, source, now) = synced_once();
    server.state().fault = Some(Fault::WrongTypes);
    sync_fails_and_keeps_the_cache(&mut store, source, now, &["invalid type"]);
}

#[test]
fn a_500_that_persists_ends_in_a_clear_error_after_bounded_retries() {
    let (server, _dir, mut store, source, now) = synced_once();
    server.state().fault = Some(Fault::ServerError);
    server.state().requests.clear();
    sync_fails_and_keeps_the_cache(&mut store, source, now, &["HTTP 500 5 times"]);
    assert_eq!(server.requests().len(), 5);
}

#[test]
fn a_closed_port_ends_in_a_clear_error_and_keeps_the_cache() {
    let (server, _dir, mut store, source, now) = synced_once();
    drop(server);
    sync_fails_and_keeps_the_cache(&mut store, source, now, &["could not reach", "connection"]);
}

#[test]
fn a_refused_token_is_reported_as_such() {
    let (server, _dir, mut store, source, now) = synced_once();
    server.state().token = "another-token".into();
    sync_fails_and_keeps_the_cache(&mut store, source, now, &["refused the API token", "401"]);
}

#[test]
fn a_redirect_to_another_host_is_not_followed_and_the_token_stays() {
    let now = now();
    let elsewhere = PagerDutyServer::start(Fixture::standard(now));
    let server = PagerDutyServer::start(Fixture::standard(now));
    // Same machine, another host name and port: another origin.
    server.state().redirect_to = Some(format!("http://localhost:{}", elsewhere.addr.port()));
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, &server.base_url());

    let err = sync(&mut store, source, &options(now)).expect_err("refused");
    assert!(err.to_string().contains("redirect"), "{err}");
    assert_eq!(server.requests().len(), 1, "not retried");
    assert!(
        elsewhere.requests().is_empty(),
        "the other host saw nothing"
    );
    assert!(store
        .source(source)
        .unwrap()
        .status
        .last_error
        .unwrap()
        .contains("redirect"));
}

#[test]
fn plain_http_to_a_host_other_than_this_machine_is_refused_before_any_request() {
    let (_dir, mut store) = open_store();
    let source = add_pagerduty(&mut store, "http://api.pagerduty.com");
    let err = sync(&mut store, source, &options(now())).expect_err("refused");
    assert!(err.to_string().contains("https://"), "{err}");
    assert_eq!(err.kind(), "bad_input");
    let recorded = store
        .source(source)
        .unwrap()
        .status
        .last_error
        .expect("recorded");
    assert!(recorded.contains("unencrypted"), "{recorded}");
}

#[test]
fn a_token_never_appears_in_an_error_or_the_source_record() {
    let (server, _dir, mut store, source, now) = synced_once();
    server.state().fault = Some(Fault::ServerError);
    let message = sync_fails_and_keeps_the_cache(&mut store, source, now, &["HTTP 500"]);
    assert!(!message.contains(support::TOKEN));
    let record = format!("{:?}", store.source(source).unwrap());
    assert!(!record.contains(support::TOKEN));
}
