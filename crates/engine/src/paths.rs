//! Where Vigil keeps its files. The app and the CLI share one database; `VIGIL_DB` (and the CLI's
//! `--db`) point elsewhere, which is how tests and scripts use a file of their own.

use std::path::PathBuf;

use directories::ProjectDirs;

/// The environment variable that overrides the database path.
pub const DB_ENV: &str = "VIGIL_DB";

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("dev", "vigil", "Vigil")
}

/// The database file: `VIGIL_DB` when set, else `vigil.sqlite3` in the OS app-data folder
/// (`~/.local/share/vigil` on Linux, `~/Library/Application Support/dev.vigil.Vigil` on macOS,
/// `%APPDATA%\vigil\Vigil\data` on Windows).
pub fn default_db_path() -> PathBuf {
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    match project_dirs() {
        Some(dirs) => dirs.data_dir().join("vigil.sqlite3"),
        None => PathBuf::from("vigil.sqlite3"),
    }
}

/// The folder of the rolling log files: the OS's per-app state or cache folder.
pub fn log_dir() -> PathBuf {
    match project_dirs() {
        Some(dirs) => dirs
            .state_dir()
            .unwrap_or_else(|| dirs.cache_dir())
            .join("logs"),
        None => PathBuf::from("logs"),
    }
}
