//! The commands the window calls. Each is a few lines: parse, call the engine off the window's
//! thread, map the error.

pub mod incidents;
pub mod sources;

use tauri::State;
use vigil_core::api::AppInfo;

use crate::error::CommandResult;
use crate::state::AppState;

/// The version and where the app keeps its files.
#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database_path: state.db_path.display().to_string(),
        log_dir: state
            .log_dir
            .as_ref()
            .map(|d| d.display().to_string())
            .unwrap_or_default(),
    })
}
