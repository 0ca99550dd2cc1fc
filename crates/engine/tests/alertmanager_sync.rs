//! The Alertmanager connector: the poll against an Alertmanager-shaped server on 127.0.0.1,
//! resolution by disappearance and reopening by fingerprint, the webhook listener with its
//! secret, and `vigil alertmanager listen` / `vigil sync alertmanager`.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use vigil_core::{IncidentStatus, SourceId, SourceKind, Urgency};
use vigil_engine::connectors::alertmanager::model;
use vigil_engine::connectors::alertmanager::webhook::{ListenerConfig, WebhookListener};
use vigil_engine::secrets::Token;
use vigil_engine::store::NewSource;
use vigil_engine::sync::sync_source;
use vigil_engine::Store;

use support::alertmanager_server::{self as am, listed, payload, use_alertmanager_secret, SECRET};
use support::{incident, incidents, now, open_store, options};

fn add_alertmanager(store: &mut Store, base_url: Option<&str>) -> SourceId {
    store
        .add_source(&NewSource {
            kind: SourceKind::Alertmanager,
            name: "Alertmanager (test)".into(),
            base_url: base_url.map(str::to_owned),
        })
        .unwrap()
        .id
}

fn poll(store: &mut Store, source: SourceId, at: DateTime<Utc>) -> vigil_core::api::SyncReport {
    use_alertmanager_secret();
    sync_source(store, source, &options(at), &mut |_| {}).unwrap()
}

#[test]
fn a_poll_stores_firing_alerts_and_resolves_one_that_disappears_at_the_poll_time() {
    let now = now();
    let started = now - Duration::minutes(30);
    let server = am::start(vec![
        listed("fp-disk", "DiskFull", started, now),
        listed("fp-cpu", "HighCpu", started, now),
    ]);
    let (_dir, mut store) = open_store();
    let source = add_alertmanager(&mut store, Some(&server.base_url()));

    let report = poll(&mut store, source, now);
    assert_eq!(report.incidents_created, 2);
    let disk = incident(&store, source, "fp-disk");
    assert_eq!(disk.status, IncidentStatus::Triggered);
    assert_eq!(disk.created_at, started);
    assert_eq!(disk.title, "DiskFull: DiskFull on api");
    assert_eq!(
        (disk.urgency, disk.service.as_deref(), disk.team.as_deref()),
        (Urgency::High, Some("api"), Some("sre"))
    );
    let bearer = format!("Bearer {SECRET}");
    assert_eq!(
        server.requests()[0].authorization.as_deref(),
        Some(bearer.as_str())
    );

    // The disk alert leaves the list (the CPU one stays, its endsAt moved ahead as Prometheus
    // does): resolved at the second poll's time.
    let later = now + Duration::minutes(5);
    server.state().account.alerts = vec![listed("fp-cpu", "HighCpu", started, later)];
    poll(&mut store, source, later);
    let disk = incident(&store, source, "fp-disk");
    assert_eq!(disk.status, IncidentStatus::Resolved);
    assert_eq!(disk.resolved_at, Some(later));
    assert_eq!(
        incident(&store, source, "fp-cpu").status,
        IncidentStatus::Triggered
    );

    // A third poll changes nothing.
    let last = later + Duration::minutes(1);
    server.state().account.alerts = vec![listed("fp-cpu", "HighCpu", started, last)];
    let report = poll(&mut store, source, last);
    assert_eq!((report.incidents_created, report.incidents_updated), (0, 0));
}

#[test]
fn an_alert_that_fires_again_after_it_resolved_reopens_the_same_incident() {
    let now = now();
    let first = now - Duration::minutes(30);
    let server = am::start(vec![listed("fp-disk", "DiskFull", first, now)]);
    let (_dir, mut store) = open_store();
    let source = add_alertmanager(&mut store, Some(&server.base_url()));
    poll(&mut store, source, now);
    let id = incident(&store, source, "fp-disk").id;

    server.state().account.alerts.clear();
    poll(&mut store, source, now + Duration::minutes(5));
    let again = now + Duration::minutes(20);
    server.state().account.alerts = vec![listed("fp-disk", "DiskFull", again, again)];
    poll(&mut store, source, again + Duration::minutes(1));

    let disk = incident(&store, source, "fp-disk");
    assert_eq!(disk.id, id, "same identity");
    assert_eq!(disk.status, IncidentStatus::Triggered);
    assert_eq!((disk.resolved_at, disk.reopen_count), (None, 1));
    assert_eq!(disk.created_at, first, "created at its first firing");
    assert_eq!(incidents(&store, source).len(), 1);
}

/// A listener for a fresh database with an Alertmanager source.
fn listener() -> (tempfile::TempDir, SourceId, WebhookListener) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let source = add_alertmanager(&mut store, None);
    let listener = WebhookListener::start(ListenerConfig {
        db,
        source,
        secret: Token::new(SECRET),
        port: 0,
    })
    .unwrap();
    (dir, source, listener)
}

fn post(url: &str, authorization: Option<&str>, body: &str) -> (u16, String) {
    let client = reqwest::blocking::Client::new();
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = request.send().unwrap();
    (response.status().as_u16(), response.text().unwrap())
}

fn stored(dir: &Path, source: SourceId) -> Vec<vigil_core::Incident> {
    incidents(&Store::open(&dir.join("vigil.sqlite3")).unwrap(), source)
}

#[test]
fn the_webhook_with_the_right_secret_stores_a_firing_alert_then_its_resolution() {
    let (dir, source, listener) = listener();
    let bearer = format!("Bearer {SECRET}");
    let starts = now() - Duration::minutes(10);
    let ends = starts + Duration::minutes(7);

    let firing = payload("fp-web", "Http5xx", starts, None).to_string();
    let (status, body) = post(&listener.url(), Some(&bearer), &firing);
    assert_eq!(status, 200, "{body}");
    let alert = &stored(dir.path(), source)[0];
    assert_eq!(alert.external_id, "fp-web");
    assert_eq!(
        (alert.status, alert.created_at),
        (IncidentStatus::Triggered, starts)
    );
    assert_eq!(alert.urgency, Urgency::Low, "severity warning");

    let resolved = payload("fp-web", "Http5xx", starts, Some(ends)).to_string();
    assert_eq!(post(&listener.url(), Some(&bearer), &resolved).0, 200);
    // Alertmanager repeats deliveries; a repeat changes nothing.
    assert_eq!(post(&listener.url(), Some(&bearer), &resolved).0, 200);
    let alerts = stored(dir.path(), source);
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].status, IncidentStatus::Resolved);
    assert_eq!(alerts[0].resolved_at, Some(ends));
    listener.stop();
}

#[test]
fn a_wrong_or_missing_secret_is_refused_with_401_and_stores_nothing() {
    let (dir, source, listener) = listener();
    let firing = payload("fp-web", "Http5xx", now(), None).to_string();
    let wrong = format!("Bearer {SECRET}x");
    let basic = format!("Basic {SECRET}");
    for authorization in [
        None,
        Some(wrong.as_str()),
        Some(basic.as_str()),
        Some("Bearer "),
    ] {
        let (status, body) = post(&listener.url(), authorization, &firing);
        assert_eq!(status, 401, "{authorization:?}: {body}");
    }
    assert!(stored(dir.path(), source).is_empty());
}

#[test]
fn a_payload_vigil_cannot_read_is_refused_with_400_and_stores_nothing() {
    let (dir, source, listener) = listener();
    let bearer = format!("Bearer {SECRET}");
    let mut wrong_version = payload("fp", "X", now(), None);
    wrong_version["version"] = "3".into();
    for body in [
        "{\"version\": \"4\", \"ale".to_owned(),
        wrong_version.to_string(),
    ] {
        let (status, text) = post(&listener.url(), Some(&bearer), &body);
        assert_eq!(status, 400, "{text}");
    }
    assert!(stored(dir.path(), source).is_empty());
}

/// An address of this machine other than loopback, if it has one (`hostname -I` lists them on
/// Linux; elsewhere, or on a machine with no network, there is none to try).
fn other_local_address() -> Option<IpAddr> {
    let out = Command::new("hostname").arg("-I").output().ok()?;
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|word| word.parse::<IpAddr>().ok())
        .find(|ip| !ip.is_loopback())
}

#[test]
fn the_listener_is_bound_to_127_0_0_1_only() {
    let (_dir, _source, listener) = listener();
    assert_eq!(listener.addr().ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
    assert!(listener.url().starts_with("http://127.0.0.1:"));
    if let Some(ip) = other_local_address() {
        let elsewhere = SocketAddr::new(ip, listener.addr().port());
        let connected = TcpStream::connect_timeout(&elsewhere, StdDuration::from_secs(2));
        assert!(connected.is_err(), "reachable on {elsewhere}");
    }
}

/// The `vigil` binary with its state folders in `dir`.
fn vigil(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command
        .arg("--db")
        .arg(dir.join("vigil.sqlite3"))
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB")
        .env_remove("VIGIL_ALERTMANAGER_TOKEN");
    command
}

#[test]
fn vigil_alertmanager_listen_prints_its_url_and_stores_what_it_receives() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = vigil(dir.path())
        .args(["alertmanager", "listen", "--port", "0"])
        .env("VIGIL_ALERTMANAGER_TOKEN", SECRET)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .to_owned();

    let body = payload("fp-cli", "Http5xx", now(), None).to_string();
    let outcome = post(&url, Some(&format!("Bearer {SECRET}")), &body);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(outcome.0, 200, "{}", outcome.1);
    let store = Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    let source = &store.sources().unwrap()[0];
    assert_eq!(source.kind, SourceKind::Alertmanager);
    assert_eq!(incidents(&store, source.id)[0].external_id, "fp-cli");
}

#[test]
fn vigil_alertmanager_listen_without_a_secret_exits_1_and_says_which_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = vigil(dir.path())
        .args(["alertmanager", "listen", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("VIGIL_ALERTMANAGER_TOKEN"), "{stderr}");
}

#[test]
fn vigil_sync_alertmanager_polls_once_and_prints_one_line() {
    let now = now();
    let server = am::start(vec![listed("fp-1", "DiskFull", now, now)]);
    let dir = tempfile::tempdir().unwrap();
    let out = vigil(dir.path())
        .args(["sync", "alertmanager", "--base-url", &server.base_url()])
        .env("VIGIL_ALERTMANAGER_TOKEN", SECRET)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("1 incidents fetched, 1 created"),
        "{stdout}"
    );
}

fn json_fragment() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(","),
        Just(":"),
        Just("null"),
        Just("\"version\""),
        Just("\"4\""),
        Just("\"alerts\""),
        Just("\"status\""),
        Just("\"firing\""),
        Just("\"resolved\""),
        Just("\"fingerprint\""),
        Just("\"startsAt\""),
        Just("\"endsAt\""),
        Just("\"0001-01-01T00:00:00Z\""),
        Just("\"2026-03-01T10:00:00Z\""),
        Just("\"labels\""),
        Just("7"),
    ]
}

proptest! {
    #[test]
    fn the_webhook_parser_never_panics_on_arbitrary_bytes(
        bytes in proptest::collection::vec(any::<u8>(), 0..512)
    ) {
        let _ = model::webhook_from_json(&bytes);
    }

    #[test]
    fn the_webhook_parser_never_panics_on_json_shaped_text(
        parts in proptest::collection::vec(json_fragment(), 0..48)
    ) {
        let text = parts.concat();
        let _ = model::webhook_from_json(text.as_bytes());
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            let _ = model::api_alert_from_json(&value, Utc::now());
        }
    }
}

#[test]
fn a_well_formed_alert_list_entry_reads_back() {
    let now = now();
    let value: Value = listed("fp", "X", now, now);
    let alert = model::api_alert_from_json(&value, now).unwrap();
    assert_eq!((alert.fingerprint.as_str(), alert.ends_at), ("fp", None));
    let stamp = |at: DateTime<Utc>| at.to_rfc3339();
    let stale = json!({"fingerprint": "f", "startsAt": stamp(now - Duration::minutes(20)),
                       "endsAt": stamp(now - Duration::minutes(5)), "status": {"state": "active"}});
    let read = model::api_alert_from_json(&stale, now).unwrap();
    assert!(read.ends_at.is_some(), "an endsAt in the past ends it");
}
