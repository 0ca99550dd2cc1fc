//! The commands the window calls. Each is a few lines: parse, call the engine off the window's
//! thread, map the error.

pub mod incidents;
pub mod metrics;
pub mod sources;

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::State;
use tracing::info;
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

/// Whether the window has reported its first painted page yet.
static FIRST_PAINT_REPORTED: AtomicBool = AtomicBool::new(false);

/// The window calls this once, on the frame after its first page showed data. The log line is
/// how `cargo xtask bench launch` measures launch to first paint; later calls are ignored, so a
/// page that mounts again does not log again.
#[tauri::command]
pub fn report_first_paint(state: State<'_, AppState>, page: String) {
    if !FIRST_PAINT_REPORTED.swap(true, Ordering::Relaxed) {
        let since_start_ms = state.started.elapsed().as_millis();
        info!(page = %page, since_start_ms, "first page painted");
    }
}
