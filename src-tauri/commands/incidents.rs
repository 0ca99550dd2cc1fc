//! Commands of the Incidents page.

use tauri::State;
use vigil_core::api::{IncidentDetail, IncidentPage, IncidentQuery};
use vigil_core::IncidentId;

use crate::error::CommandResult;
use crate::state::AppState;

/// A filtered, sorted page of incidents with its counts.
#[tauri::command]
pub async fn list_incidents(
    state: State<'_, AppState>,
    query: IncidentQuery,
) -> CommandResult<IncidentPage> {
    state
        .with_store(move |store| store.list_incidents(&query))
        .await
}

/// One incident with its timeline.
#[tauri::command]
pub async fn get_incident(
    state: State<'_, AppState>,
    id: IncidentId,
) -> CommandResult<IncidentDetail> {
    state
        .with_store(move |store| store.incident_detail(id))
        .await
}
