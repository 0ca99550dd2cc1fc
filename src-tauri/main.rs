//! Vigil's desktop app: the Tauri shell around the engine. It opens the database (seeding the
//! demo workspace into an empty one), registers the thin commands the window calls, and keeps
//! long work off the main thread so the window never freezes.

// Release builds on Windows open no console window beside the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod alerts;
mod commands;
mod error;
mod scheduler;
mod state;

use tauri::Manager;
use tracing::{error, info};

fn main() {
    let started = std::time::Instant::now();
    let logs = vigil_engine::logging::init(&vigil_engine::paths::log_dir(), "info");
    let db_path = vigil_engine::paths::default_db_path();
    info!(version = env!("CARGO_PKG_VERSION"), db = %db_path.display(), "Vigil starting");

    let state = match state::AppState::open(db_path, logs.dir.clone(), started) {
        Ok(state) => state,
        Err(e) => {
            error!(error = %e, "cannot start");
            eprintln!("Vigil cannot start: {e}");
            std::process::exit(1);
        }
    };

    let result = tauri::Builder::default()
        .setup(|app| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.set_title("Vigil");
            }
            alerts::start(app.handle());
            scheduler::start(app.handle().clone());
            Ok(())
        })
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::report_first_paint,
            commands::incidents::list_incidents,
            commands::incidents::get_incident,
            commands::sources::list_sources,
            commands::sources::add_source,
            commands::sources::set_sync_interval,
            commands::sources::remove_source,
            commands::sources::sync_source,
            commands::metrics::metrics_report,
            commands::metrics::export_chart,
            commands::metrics::export_csv,
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        error!(error = %e, "the app stopped with an error");
        std::process::exit(1);
    }
    drop(logs);
}
