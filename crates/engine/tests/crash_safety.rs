//! The `vigil` binary killed with SIGKILL at moments a seeded RNG picks, spread over one initial
//! sync of 20,000 PagerDuty incidents: after every kill the database passes SQLite's integrity
//! check and holds each incident once, and a last run converges to exactly the server's account.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;
use vigil_core::IncidentStatus;
use vigil_engine::Store;

use support::pagerduty_bulk_server::BulkServer;
use support::{now, Fixture, TOKEN};

/// The seed of the kill moments: a failure names it, so the same moments can be replayed.
const SEED: u64 = 0x5EED_C0DE;
const INCIDENTS: i64 = 20_000;
const KILLS: usize = 20;

/// The `vigil` binary with a database and log folders in `dir` and the token in the environment.
fn vigil(dir: &Path, base_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command
        .arg("--db")
        .arg(dir.join("vigil.sqlite3"))
        .args(["sync", "pagerduty", "--base-url", base_url])
        .env("VIGIL_PAGERDUTY_TOKEN", TOKEN)
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// 20,000 regular incidents (trigger, notify, acknowledge after 3 minutes, resolve after 30)
/// spread evenly over 170 days that end an hour before `now`, so each is resolved by then:
/// 80,000 log entries.
fn account(now: chrono::DateTime<chrono::Utc>) -> Fixture {
    let mut fixture = Fixture::default();
    let start = now - Duration::days(170);
    let span = Duration::days(170).num_seconds() - 3_600;
    for i in 0..INCIDENTS {
        let created = start + Duration::seconds(i * span / INCIDENTS);
        fixture.regular(&format!("PC{i:05}"), created);
    }
    fixture
}

/// Waits until the server has answered `target` requests in all, or the child ends by itself;
/// `true` when the child is still running.
fn wait_for_requests(server: &BulkServer, child: &mut Child, target: u64) -> bool {
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if server.requests() >= target {
            return true;
        }
        assert!(
            started.elapsed() < StdDuration::from_secs(60),
            "the sync made no progress for a minute"
        );
        std::thread::sleep(StdDuration::from_millis(1));
    }
}

/// The checks that must hold after any kill: an intact file and no incident twice.
fn check_intact(db: &Path, kill: usize) -> i64 {
    let store = Store::open(db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok", "after kill {kill}");
    drop(store);
    let conn = Connection::open(db).unwrap();
    let (rows, distinct): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT source_id || '/' || external_id) FROM incidents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        rows, distinct,
        "an incident is duplicated after kill {kill}"
    );
    let (events, distinct_events): (i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT incident_id || '/' || external_id)
             FROM timeline_events",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        events, distinct_events,
        "a log entry is stored twice after kill {kill}"
    );
    rows
}

#[test]
fn a_sync_killed_with_sigkill_at_twenty_random_moments_converges_to_the_servers_account() {
    let now = now();
    let fixture = account(now);
    let expected: HashSet<String> = fixture.incidents.iter().map(|i| i.id.clone()).collect();
    let server = BulkServer::start(&fixture, TOKEN);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigil.sqlite3");
    let base_url = server.base_url();

    // About 1,050 requests make the whole sync (200 pages of incidents, 800 of log entries and
    // a few window splits); steps of 1 to 80 requests spread the 20 kills over most of it.
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut stored = 0;
    let mut mid_sync_kills = 0;
    for kill in 1..=KILLS {
        let before = server.requests();
        let step = rng.random_range(1..=80u64);
        let mut child = vigil(dir.path(), &base_url).spawn().unwrap();
        if wait_for_requests(&server, &mut child, before + step) {
            // A little more, so some kills land inside a page's write rather than between pages.
            std::thread::sleep(StdDuration::from_micros(rng.random_range(0..3_000)));
            child.kill().unwrap();
            mid_sync_kills += 1;
        }
        child.wait().unwrap();
        let now_stored = check_intact(&db, kill);
        assert!(
            now_stored >= stored,
            "kill {kill} lost incidents (seed {SEED:#x})"
        );
        stored = now_stored;
    }
    assert!(
        mid_sync_kills >= KILLS / 2,
        "only {mid_sync_kills} kills landed while a sync ran"
    );

    // A last run that is not killed finishes the sync.
    let status = vigil(dir.path(), &base_url).status().unwrap();
    assert!(status.success(), "the last run failed: {status}");
    check_intact(&db, KILLS + 1);

    let store = Store::open(&db).unwrap();
    let source = store.sources().unwrap()[0].id;
    let incidents = store.incidents_of_source(source).unwrap();
    assert_eq!(incidents.len(), expected.len(), "no loss, no duplicate");
    let ids: HashSet<String> = incidents.iter().map(|i| i.external_id.clone()).collect();
    assert_eq!(ids, expected);
    let by_id: HashMap<&str, &vigil_core::Incident> = incidents
        .iter()
        .map(|i| (i.external_id.as_str(), i))
        .collect();
    for want in &fixture.incidents {
        let got = by_id[want.id.as_str()];
        assert_eq!(got.created_at, want.created_at, "{}", want.id);
        assert_eq!(got.status, IncidentStatus::Resolved, "{}", want.id);
        assert_eq!(
            got.first_acknowledged_at,
            Some(want.created_at + Duration::minutes(3)),
            "{}",
            want.id
        );
        assert_eq!(got.resolved_at, want.resolved_at, "{}", want.id);
        assert_eq!(got.reopen_count, 0, "{}", want.id);
    }
    let conn = Connection::open(&db).unwrap();
    let events: i64 = conn
        .query_row("SELECT count(*) FROM timeline_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 4 * INCIDENTS, "every log entry once");
}
