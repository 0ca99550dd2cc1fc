//! The SQLite store: one file, one connection owner, forward-only migrations.
//!
//! Writers use immediate transactions and the `*_tx` helpers take the open transaction, so a page
//! of synced incidents and its cursor land together or not at all.

mod alerts;
mod alerts_inbox;
mod alerts_memory;
mod alerts_popups;
mod audit;
mod facts;
mod fmea;
mod fmea_changes;
mod fmea_history;
mod fmea_links;
mod incidents;
mod postmortem;
mod postmortem_actions;
mod postmortem_edit;
mod postmortem_review;
mod postmortem_search;
mod postmortem_timeline;
mod schema;
mod sources;
mod time;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use tracing::{debug, info};
use uuid::Uuid;

pub use alerts::NewAlertRule;
pub use alerts_inbox::{add_inbox_entries_tx, InboxQuery};
pub use alerts_memory::{remember_seen_tx, source_health_tx, SeenIncident};
pub use alerts_popups::record_popups_tx;
pub use audit::{record_change_tx, AuditEntry};
pub(crate) use fmea::create_fmea_tx;
pub use fmea::{CREATED, REMOVED};
pub(crate) use fmea_history::save_revision_tx;
pub use fmea_history::{AuditRecord, FmeaVersion, RevisionInfo, RevisionKind};
pub use fmea_links::DISPLAY_NAME_KEY;
pub use incidents::{
    add_events_changed_tx, add_events_tx, find_incident_tx, refresh_milestones_tx,
    remove_incident_tx, upsert_incident_tx, ImpactWindow, IncomingEvent, IncomingIncident,
    UpsertOutcome,
};
pub use postmortem_actions::NewActionItem;
pub use postmortem_search::{SearchHit, SearchHitKind};
pub use schema::SCHEMA_VERSION;
pub use sources::{set_cursor_tx, NewSource, SourceRecord, SyncStatus};

use crate::error::{EngineError, Result};

/// The open database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                EngineError::BadInput(format!(
                    "cannot create the folder {} for the database: {e}",
                    parent.display()
                ))
            })?;
        }
        let db_err = |source| EngineError::Database {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db_err)?;
        retry_while_busy(|| configure(&conn)).map_err(db_err)?;
        schema::migrate(&mut conn)?;
        debug!(path = %path.display(), "database open");
        Ok(Store {
            conn,
            path: path.to_owned(),
        })
    }

    /// The file this store writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in an immediate (write-locking) transaction, committing when it returns `Ok`.
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Whether the database holds no source at all (a fresh file).
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sources", [], |r| r.get(0))?;
        Ok(n == 0)
    }

    /// Runs SQLite's own consistency check; `Ok` holds its first line ("ok" when sound).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// WAL lets the window read while a sync writes; the busy timeout makes the app and the CLI wait
/// for each other instead of failing at once.
///
/// Switching a new file to WAL needs an exclusive lock, and SQLite answers "busy" at once,
/// without waiting out the timeout, when another process is opening the same new file; so
/// [`Store::open`] retries it. A file already in WAL mode is left as it is.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        conn.pragma_update(None, "journal_mode", "WAL")?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// A new time-ordered id for a record Vigil creates.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Logs the start of a store at info level once per process (the app and the CLI call it).
pub fn log_opened(store: &Store) {
    info!(path = %store.path().display(), schema = SCHEMA_VERSION, "using database");
}

/// Runs `f` again, a little later each time, while SQLite reports the file busy or locked.
fn retry_while_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    const ATTEMPTS: u64 = 20;
    let mut attempt = 1;
    loop {
        match f() {
            Err(e)
                if attempt < ATTEMPTS
                    && matches!(
                        e.sqlite_error_code(),
                        Some(
                            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                        )
                    ) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10 * attempt));
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}
