//! Checks every vendor's connector tests make the same way: a source of a kind, a sync that must
//! fail with its error recorded and nothing stored lost, and the `vigil` binary run against a
//! loopback server.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use vigil_core::{SourceId, SourceKind};
use vigil_engine::store::NewSource;
use vigil_engine::sync::{sync_source, SyncOptions};
use vigil_engine::Store;

use super::incidents;

/// A source of `kind` for `base_url`.
pub fn add_source(store: &mut Store, kind: SourceKind, base_url: &str) -> SourceId {
    store
        .add_source(&NewSource {
            kind,
            name: format!("{} (test)", kind.label()),
            base_url: Some(base_url.into()),
        })
        .expect("a source")
        .id
}

/// Syncs with `options`, ignoring progress; the token must already be in the environment.
pub fn sync_with(
    store: &mut Store,
    source: SourceId,
    options: &SyncOptions,
) -> vigil_engine::Result<vigil_core::api::SyncReport> {
    sync_source(store, source, options, &mut |_| {})
}

/// Syncs at `at`, expects a failure whose message holds every word of `expected`, and checks
/// that the source records it and that nothing stored was lost. Returns the message.
pub fn sync_fails_and_keeps_the_cache(
    store: &mut Store,
    source: SourceId,
    at: DateTime<Utc>,
    expected: &[&str],
) -> String {
    let before = incidents(store, source);
    assert!(!before.is_empty(), "a cache to keep");
    let err = sync_with(store, source, &super::options(at)).expect_err("a failure");
    let message = err.to_string();
    for word in expected {
        assert!(message.contains(word), "`{word}` missing from: {message}");
    }
    let status = store.source(source).expect("the source").status;
    assert_eq!(status.last_error.as_deref(), Some(message.as_str()));
    assert!(status.last_error_at.is_some() && status.last_success_at.is_some());
    assert_eq!(incidents(store, source), before, "nothing stored is lost");
    message
}

/// The `vigil` binary with a database in `dir`, `token` in `env_var`, and its log folders
/// inside `dir` too.
pub fn vigil(dir: &Path, env_var: &str, token: &str) -> Command {
    // `option_env!`: the app's end-to-end test includes this support module too, and the
    // `vigil` binary is not one of the app package's (there, one on PATH would be used).
    let binary = option_env!("CARGO_BIN_EXE_vigil").unwrap_or("vigil");
    let mut command = Command::new(binary);
    command
        .arg("--db")
        .arg(dir.join("vigil.sqlite3"))
        .env(env_var, token)
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB");
    command
}

/// Runs a command to its end.
pub fn run(command: &mut Command) -> Output {
    command.output().expect("the vigil binary runs")
}

/// Bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The reason lines the CLI itself prints on stderr (tracing's lines carry a level instead).
pub fn reasons(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("vigil:") || l.starts_with("error:"))
        .collect()
}

/// How many incidents the database in `dir` holds for its first source.
pub fn stored_count(dir: &Path) -> u64 {
    let store = Store::open(&dir.join("vigil.sqlite3")).expect("the database");
    let sources = store.sources().expect("sources");
    sources
        .first()
        .map_or(0, |s| store.incident_count(s.id).expect("a count"))
}
