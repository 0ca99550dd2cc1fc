//! Helpers shared by the engine's integration tests: a database in a temp folder, a PagerDuty
//! source, sync options with short delays, and the PagerDuty-shaped server.
// Each test file uses a different part of this module; the rest is not dead, only unused there.
#![allow(dead_code, unused_imports)]

pub mod alertmanager_server;
pub mod connector_checks;
pub mod grafana_server;
pub mod incidentio_server;
pub mod pagerduty_bulk_server;
pub mod pagerduty_fixture;
pub mod pagerduty_server;
pub mod statuspage_server;
pub mod vendor_server;

use std::sync::Once;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use vigil_core::api::SyncReport;
use vigil_core::{Incident, SourceId, SourceKind};
use vigil_engine::http::HttpSettings;
use vigil_engine::store::NewSource;
use vigil_engine::sync::{sync_source, SyncOptions};
use vigil_engine::Store;

pub use pagerduty_fixture::Fixture;
pub use pagerduty_server::{Fault, PagerDutyServer, TOKEN};

/// Puts the server's token in `VIGIL_PAGERDUTY_TOKEN` (it wins over the keychain). Every test
/// that syncs calls this first; `Once` makes the one write happen before any test goes on, so
/// no thread reads the environment while it changes.
pub fn use_test_token() {
    static SET: Once = Once::new();
    SET.call_once(|| std::env::set_var("VIGIL_PAGERDUTY_TOKEN", TOKEN));
}

/// "Now" for a test: whole seconds, like the API's instants.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

/// A database file in a fresh temp folder (kept while the folder lives).
pub fn open_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(&dir.path().join("vigil.sqlite3")).expect("a database");
    (dir, store)
}

/// A PagerDuty source for `base_url`.
pub fn add_pagerduty(store: &mut Store, base_url: &str) -> SourceId {
    store
        .add_source(&NewSource {
            kind: SourceKind::PagerDuty,
            name: "PagerDuty (test)".into(),
            base_url: Some(base_url.into()),
        })
        .expect("a source")
        .id
}

/// Options for a sync at `now`, with retry delays short enough for tests.
pub fn options(now: DateTime<Utc>) -> SyncOptions {
    SyncOptions {
        http: HttpSettings {
            timeout: Duration::from_secs(10),
            max_attempts: 5,
            backoff_base: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
            max_rate_limit_wait: Duration::from_secs(5),
        },
        ..SyncOptions::new(now)
    }
}

/// Syncs with `options`, ignoring progress.
pub fn sync(
    store: &mut Store,
    source: SourceId,
    options: &SyncOptions,
) -> vigil_engine::Result<SyncReport> {
    use_test_token();
    sync_source(store, source, options, &mut |_| {})
}

/// The source's incidents.
pub fn incidents(store: &Store, source: SourceId) -> Vec<Incident> {
    store.incidents_of_source(source).expect("incidents")
}

/// One incident by vendor id.
pub fn incident(store: &Store, source: SourceId, external_id: &str) -> Incident {
    incidents(store, source)
        .into_iter()
        .find(|i| i.external_id == external_id)
        .unwrap_or_else(|| panic!("{external_id} is not in the cache"))
}
