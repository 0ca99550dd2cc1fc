//! Declares Vigil's commands to Tauri so each one is a permission that a capability can grant.

/// Every command the UI may call; `capabilities/main.json` grants exactly these.
const COMMANDS: &[&str] = &[
    "app_info",
    "report_first_paint",
    "list_incidents",
    "get_incident",
    "list_sources",
    "add_source",
    "set_sync_interval",
    "remove_source",
    "sync_source",
    "metrics_report",
    "export_chart",
    "export_csv",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            // The package sits at the repository root, so tauri-build's default pattern
            // (`./capabilities/**/*`, relative to the package) would miss the folder; without
            // this the window is denied every command.
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed: check tauri.conf.json and src-tauri/capabilities/");
}
