//! `vigil sync pagerduty`: the built binary against the PagerDuty-shaped server, its exit codes,
//! and a sync killed with SIGKILL that the next run finishes.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use vigil_engine::Store;

use support::{now, Fixture, PagerDutyServer, TOKEN};

/// The `vigil` binary with a database in `dir`, the token in the environment, and its log
/// folders inside `dir` too.
fn vigil(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command
        .arg("--db")
        .arg(dir.join("vigil.sqlite3"))
        .env("VIGIL_PAGERDUTY_TOKEN", TOKEN)
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("the vigil binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The reason lines the CLI itself prints on stderr (tracing's lines carry a level instead).
fn reasons(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("vigil:") || l.starts_with("error:"))
        .collect()
}

fn stored_count(dir: &Path) -> u64 {
    let store = Store::open(&dir.join("vigil.sqlite3")).expect("the database");
    let sources = store.sources().expect("sources");
    sources
        .first()
        .map_or(0, |s| store.incident_count(s.id).expect("a count"))
}

#[test]
fn vigil_sync_pagerduty_imports_the_account_and_prints_one_summary_line() {
    let server = PagerDutyServer::start(Fixture::standard(now()));
    let dir = tempfile::tempdir().unwrap();

    let out = run(vigil(dir.path()).args(["sync", "pagerduty", "--base-url", &server.base_url()]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("265 incidents fetched, 265 created, 0 updated"),
        "{stdout}"
    );
    assert!(stdout.starts_with("PagerDuty (127.0.0.1:"), "{stdout}");
    assert_eq!(stored_count(dir.path()), 265);

    // The same base URL (with a trailing slash) reuses the source.
    let again = format!("{}/", server.base_url());
    let out = run(vigil(dir.path()).args(["sync", "pagerduty", "--base-url", &again]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("0 created, 0 updated"),
        "{}",
        text(&out.stdout)
    );
    let store = Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    assert_eq!(store.sources().unwrap().len(), 1);
}

#[test]
fn vigil_sync_with_since_fetches_only_from_that_date() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    let dir = tempfile::tempdir().unwrap();
    let since = (now - Duration::days(20)).format("%Y-%m-%d").to_string();

    let out = run(vigil(dir.path()).args([
        "sync",
        "pagerduty",
        "--base-url",
        &server.base_url(),
        "--since",
        &since,
    ]));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let first = &server.requests_to("/incidents")[0];
    assert_eq!(
        first.param("since"),
        Some(format!("{since}T00:00:00Z").as_str())
    );
    let count = stored_count(dir.path());
    assert!(count > 100 && count < 265, "{count}");
}

#[test]
fn vigil_sync_against_a_closed_port_exits_1_with_a_one_line_reason() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}");

    let out = run(vigil(dir.path()).args(["sync", "pagerduty", "--base-url", &url]));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(reasons(&stderr).len(), 1, "{stderr}");
    let reason = reasons(&stderr)[0];
    assert!(
        reason.contains("could not reach") && reason.contains(&url),
        "{reason}"
    );
    assert!(text(&out.stdout).is_empty());

    // The failure is recorded on the source.
    let store = Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    let source = &store.sources().unwrap()[0];
    assert!(source
        .status
        .last_error
        .as_deref()
        .unwrap()
        .contains("could not reach"));
}

#[test]
fn vigil_sync_refuses_plain_http_to_another_host_and_creates_no_source() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        run(vigil(dir.path()).args(["sync", "pagerduty", "--base-url", "http://example.com"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(reasons(&text(&out.stderr))[0].contains("https://"));
    assert_eq!(stored_count(dir.path()), 0);
    let store = Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    assert!(store.sources().unwrap().is_empty());
}

#[test]
fn vigil_sync_with_bad_usage_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 4] = [
        &["sync"],
        &["sync", "pagerduty"],
        &["sync", "github", "--base-url", "https://api.github.com"],
        &[
            "sync",
            "pagerduty",
            "--base-url",
            "https://x.test",
            "--since",
            "last tuesday",
        ],
    ];
    for args in cases {
        let out = run(vigil(dir.path()).args(args));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_sync_killed_mid_way_is_finished_by_the_next_run() {
    let now = now();
    let server = PagerDutyServer::start(Fixture::standard(now));
    server.state().delay = StdDuration::from_millis(40);
    let dir = tempfile::tempdir().unwrap();
    let args = ["sync", "pagerduty", "--base-url", &server.base_url()];

    // Kill it with SIGKILL as soon as a first page is stored.
    let mut child = vigil(dir.path())
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while stored_count(dir.path()) == 0 {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the sync ended ({status}) before a first page was seen stored");
        }
        assert!(
            started.elapsed() < StdDuration::from_secs(30),
            "no page was stored"
        );
        std::thread::sleep(StdDuration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = stored_count(dir.path());
    assert!(partial < 265, "killed before the end ({partial} stored)");

    // The next run resumes from the cursor and ends with every incident once.
    let fresh_start = server.requests()[0].clone();
    server.state().delay = StdDuration::ZERO;
    server.state().requests.clear();
    let out = run(vigil(dir.path()).args(args));
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_eq!(stored_count(dir.path()), 265);
    let store = Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let resumed = &server.requests()[0];
    let key = |r: &support::pagerduty_server::Recorded| (r.path.clone(), r.time("since"));
    assert_ne!(key(resumed), key(&fresh_start), "resumed, not started over");
}
