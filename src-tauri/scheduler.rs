//! The background sync: every source syncs on its own at its interval (see
//! `vigil_engine::schedule`), while the app runs, with no window action needed. Due sources run
//! one after the other, through the same path as "Sync now", so the window sees the same
//! progress, status and refreshed lists whichever started it.

use std::time::Duration;

use chrono::Utc;
use tauri::{AppHandle, Manager};
use tracing::{debug, info, warn};
use vigil_engine::schedule;

use crate::commands::sources::run_sync;
use crate::state::AppState;

/// How often the scheduler looks for due sources. Short beside the shortest interval (a
/// minute), so a sync starts at most this late.
const TICK: Duration = Duration::from_secs(15);

/// Starts the scheduler on the app's async runtime; it lives as long as the app.
pub fn start(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        info!(tick_s = TICK.as_secs(), "background sync started");
        loop {
            tokio::time::sleep(TICK).await;
            run_due(&app).await;
        }
    });
}

/// Syncs every source that is due now, one at a time.
async fn run_due(app: &AppHandle) {
    let state = app.state::<AppState>().inner().clone();
    let due = state
        .with_store(|store| schedule::due_sources(store, Utc::now()))
        .await;
    let due = match due {
        Ok(due) => due,
        Err(e) => {
            warn!(error = %e.message, "the scheduler could not read the sources");
            return;
        }
    };
    for source in due {
        if state.is_syncing(source.id) {
            continue;
        }
        debug!(source = %source.name, "scheduled sync");
        // The outcome is recorded on the source and shown on its card; a failure here is
        // already logged by the engine, and the next interval tries again.
        if let Err(e) = run_sync(app, &state, source.id).await {
            debug!(source = %source.name, kind = e.kind, "scheduled sync did not finish");
        }
    }
}
