//! Commands of the Sources page: add, remove and sync configured sources.

use chrono::Utc;
use tauri::{AppHandle, Emitter, State};
use tracing::{info, warn};
use vigil_core::api::{SourceView, SyncProgress, SyncReport};
use vigil_core::{SourceId, SourceKind};
use vigil_engine::secrets::{self, Token};
use vigil_engine::store::{NewSource, SourceRecord};
use vigil_engine::sync::{sync_source as run_sync, SyncOptions};
use vigil_engine::{EngineError, Store};

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Sent when the cached incidents changed; the window refetches.
pub const INCIDENTS_CHANGED: &str = "incidents-changed";
/// Sent when a source's status changed.
pub const SOURCES_CHANGED: &str = "sources-changed";
/// Sent while a sync runs, with a [`SyncProgress`].
pub const SYNC_PROGRESS: &str = "sync-progress";

fn view(store: &Store, record: &SourceRecord, syncing: bool) -> Result<SourceView, EngineError> {
    Ok(SourceView {
        id: record.id,
        kind: record.kind,
        name: record.name.clone(),
        base_url: record.base_url.clone(),
        last_success_at: record.status.last_success_at,
        last_error: record.status.last_error.clone(),
        last_error_at: record.status.last_error_at,
        last_fetched: record.status.last_fetched,
        incident_count: store.incident_count(record.id)?,
        has_token: record.kind != SourceKind::Demo && secrets::has_stored_token(record),
        syncing,
    })
}

/// Every configured source with its sync status.
#[tauri::command]
pub async fn list_sources(state: State<'_, AppState>) -> CommandResult<Vec<SourceView>> {
    let app_state = state.inner().clone();
    state
        .with_store(move |store| {
            store
                .sources()?
                .iter()
                .map(|r| view(store, r, app_state.is_syncing(r.id)))
                .collect()
        })
        .await
}

/// Adds a PagerDuty source and keeps its token in the OS keychain.
#[tauri::command]
pub async fn add_pagerduty_source(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    base_url: String,
    token: String,
) -> CommandResult<SourceView> {
    let token = Token::new(&token);
    let added = state
        .with_store(move |store| {
            // Normalised as the CLI does, so both find the same source for the same account.
            let url = vigil_engine::http::parse_base_url(&base_url)?;
            let base_url = url.as_str().trim_end_matches('/').to_owned();
            let record = store.add_source(&NewSource {
                kind: SourceKind::PagerDuty,
                name,
                base_url: Some(base_url),
            })?;
            // A token the keychain refuses would leave a source that can never sync: undo it.
            if let Err(e) = secrets::save_token(&record, &token) {
                store.remove_source(record.id)?;
                return Err(e);
            }
            view(store, &record, false)
        })
        .await?;
    info!(source = %added.id, "added a PagerDuty source");
    let _ = app.emit(SOURCES_CHANGED, ());
    Ok(added)
}

/// Removes a source, its cached incidents and its token.
#[tauri::command]
pub async fn remove_source(
    app: AppHandle,
    state: State<'_, AppState>,
    id: SourceId,
) -> CommandResult<()> {
    state
        .with_store(move |store| {
            let record = store.source(id)?;
            store.remove_source(id)?;
            if let Err(e) = secrets::delete_token(&record) {
                warn!(source = %id, error = %e, "the token could not be removed from the keychain");
            }
            Ok(())
        })
        .await?;
    let _ = app.emit(SOURCES_CHANGED, ());
    let _ = app.emit(INCIDENTS_CHANGED, ());
    Ok(())
}

/// Syncs a source now, reporting progress to the window as it goes.
#[tauri::command]
pub async fn sync_source(
    app: AppHandle,
    state: State<'_, AppState>,
    id: SourceId,
) -> CommandResult<SyncReport> {
    if !state.begin_sync(id) {
        return Err(CommandError {
            kind: "busy",
            message: "this source is already syncing; wait for it to finish".into(),
        });
    }
    let _ = app.emit(SOURCES_CHANGED, ());
    let db_path = state.db_path.clone();
    let emitter = app.clone();
    let result = tauri::async_runtime::spawn_blocking(move || {
        // A connection of its own, so the window keeps reading while the sync writes.
        let mut store = Store::open(&db_path)?;
        let options = SyncOptions::new(Utc::now());
        let mut progress = |p: &SyncProgress| {
            let _ = emitter.emit(SYNC_PROGRESS, p);
        };
        run_sync(&mut store, id, &options, &mut progress)
    })
    .await;
    state.end_sync(id);
    let _ = app.emit(SOURCES_CHANGED, ());
    let _ = app.emit(INCIDENTS_CHANGED, ());
    match result {
        Ok(Ok(report)) => Ok(report),
        Ok(Err(e)) => Err(e.into()),
        Err(e) => Err(CommandError::internal(e)),
    }
}
