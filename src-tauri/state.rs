//! The app's shared state: the database path, one store connection for the window's reads and
//! writes, and the set of sources being synced now. A sync opens a connection of its own, so a
//! long first sync never holds up the window (SQLite's WAL lets both proceed).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use chrono::Utc;
use tracing::info;
use vigil_core::SourceId;
use vigil_engine::{EngineError, Store};

use crate::error::{CommandError, CommandResult};

/// Shared by every command.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database file in use.
    pub db_path: PathBuf,
    /// Where the logs go, when the folder was usable.
    pub log_dir: Option<PathBuf>,
    /// When the process started, for the first-paint figure.
    pub started: Instant,
    store: Arc<Mutex<Store>>,
    syncing: Arc<Mutex<HashSet<SourceId>>>,
}

impl AppState {
    /// Opens the database and seeds the demo workspace into an empty one.
    pub fn open(
        db_path: PathBuf,
        log_dir: Option<PathBuf>,
        started: Instant,
    ) -> Result<Self, EngineError> {
        let mut store = Store::open(&db_path)?;
        vigil_engine::store::log_opened(&store);
        if vigil_engine::demo::seed_if_empty(&mut store, Utc::now().date_naive())? {
            info!("an empty database: seeded the demo workspace");
        }
        Ok(AppState {
            db_path,
            log_dir,
            started,
            store: Arc::new(Mutex::new(store)),
            syncing: Arc::new(Mutex::new(HashSet::new())),
        })
    }

    /// Runs `f` with the store on a blocking worker thread, off the window's thread.
    pub async fn with_store<T, F>(&self, f: F) -> CommandResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, EngineError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = lock(&store);
            f(&mut guard).map_err(CommandError::from)
        })
        .await
        .map_err(CommandError::internal)?
    }

    /// Marks a source as syncing; `false` when it already was.
    pub fn begin_sync(&self, id: SourceId) -> bool {
        lock(&self.syncing).insert(id)
    }

    /// Clears the syncing mark.
    pub fn end_sync(&self, id: SourceId) {
        lock(&self.syncing).remove(&id);
    }

    /// Whether a source is syncing now.
    pub fn is_syncing(&self, id: SourceId) -> bool {
        lock(&self.syncing).contains(&id)
    }
}

/// A poisoned lock only means another command panicked mid-way; SQLite's transactions keep the
/// data consistent, so carry on with the inner value.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
