//! Commands of the Sources page: add, remove and sync configured sources.

use chrono::Utc;
use tauri::{AppHandle, Emitter, Manager, State};
use tracing::{info, warn};
use vigil_core::api::{SourceView, SyncProgress, SyncReport};
use vigil_core::{SourceId, SourceKind};
use vigil_engine::connectors::statuspage::PAGE_ID_OPTION;
use vigil_engine::schedule;
use vigil_engine::secrets::{self, Token};
use vigil_engine::store::{NewSource, SourceRecord};
use vigil_engine::sync::{sync_source_with_changes, SyncOptions};
use vigil_engine::{EngineError, Store};

use crate::alerts::AppAlerting;
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
        interval_minutes: schedule::interval_minutes(record),
        next_sync_at: schedule::next_sync_at(record),
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

/// Adds a source of any vendor kind and keeps its token in the OS keychain. Statuspage needs
/// the page to sync (`page_id`); the other kinds refuse one, as the CLI does.
#[tauri::command]
#[allow(clippy::too_many_arguments)] // each is one field of the form
pub async fn add_source(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: SourceKind,
    name: String,
    base_url: String,
    token: String,
    page_id: Option<String>,
    interval_minutes: Option<u32>,
) -> CommandResult<SourceView> {
    let token = Token::new(&token);
    let page_id = page_id
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    match (kind, &page_id) {
        (SourceKind::Demo, _) => {
            return Err(bad_input(
                "the demo workspace is added by Vigil itself, not by hand",
            ))
        }
        (SourceKind::Statuspage, None) => {
            return Err(bad_input(
                "Statuspage needs the id of the page to sync: it is the part after /pages/ in \
                 the page's API URL",
            ))
        }
        (SourceKind::Statuspage, Some(_)) | (_, None) => {}
        (_, Some(_)) => return Err(bad_input("a page id is for Statuspage sources only")),
    }
    let added = state
        .with_store(move |store| {
            // Normalised as the CLI does, so both find the same source for the same account.
            let url = vigil_engine::http::parse_base_url(&base_url)?;
            let base_url = url.as_str().trim_end_matches('/').to_owned();
            let mut record = store.add_source(&NewSource {
                kind,
                name,
                base_url: Some(base_url),
            })?;
            // Any later step that fails takes the half-made source away again.
            let id = record.id;
            let undo = |store: &mut Store, e: EngineError| -> Result<SourceView, EngineError> {
                store.remove_source(id)?;
                Err(e)
            };
            if let Some(page) = page_id {
                let mut options = record.options.clone();
                options.insert(PAGE_ID_OPTION.to_owned(), page.into());
                match store.set_source_options(id, &options) {
                    Ok(updated) => record = updated,
                    Err(e) => return undo(store, e),
                }
            }
            if let Some(minutes) = interval_minutes {
                match schedule::set_interval(store, id, minutes) {
                    Ok(updated) => record = updated,
                    Err(e) => return undo(store, e),
                }
            }
            // A token the keychain refuses would leave a source that can never sync: undo it.
            if let Err(e) = secrets::save_token(&record, &token) {
                return undo(store, e);
            }
            view(store, &record, false)
        })
        .await?;
    info!(source = %added.id, kind = %added.kind, "added a source");
    let _ = app.emit(SOURCES_CHANGED, ());
    Ok(added)
}

/// Changes how often a source syncs on its own.
#[tauri::command]
pub async fn set_sync_interval(
    app: AppHandle,
    state: State<'_, AppState>,
    id: SourceId,
    minutes: u32,
) -> CommandResult<SourceView> {
    let app_state = state.inner().clone();
    let updated = state
        .with_store(move |store| {
            let record = schedule::set_interval(store, id, minutes)?;
            view(store, &record, app_state.is_syncing(id))
        })
        .await?;
    let _ = app.emit(SOURCES_CHANGED, ());
    Ok(updated)
}

fn bad_input(message: &str) -> CommandError {
    EngineError::BadInput(message.to_owned()).into()
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

/// Syncs a source now ("Sync now"), reporting progress to the window as it goes.
#[tauri::command]
pub async fn sync_source(
    app: AppHandle,
    state: State<'_, AppState>,
    id: SourceId,
) -> CommandResult<SyncReport> {
    run_sync(&app, state.inner(), id).await
}

/// Runs one sync of a source on a worker thread with a connection of its own, telling the
/// window when it starts, how far it is, and when the cache changed. "Sync now" and the
/// scheduler both come here, so a source never runs two syncs at once.
pub async fn run_sync(
    app: &AppHandle,
    state: &AppState,
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
        let mut changes = Vec::new();
        let synced =
            sync_source_with_changes(&mut store, id, &options, &mut progress, &mut changes);
        // Pages written before a failure are real changes too, so alerts run either way.
        if let Some(alerting) = emitter.try_state::<AppAlerting>() {
            alerting.after_sync(&emitter, &mut store, &changes);
        }
        synced
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
