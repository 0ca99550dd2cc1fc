//! Putting a backup back. Nothing is replaced until the chosen file has proved to be a sound
//! Vigil database this build can read, and the current file is copied aside first, so a restore
//! can itself be undone by hand.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use tracing::info;

use super::{copy_database, copy_pages, BackupError};
use crate::store::{Store, SCHEMA_VERSION};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Restored {
    /// The database that now holds the backup's data.
    pub database: PathBuf,
    /// Where the file as it was before is kept (none when there was no database yet).
    pub kept_aside: Option<PathBuf>,
    /// The backup's schema version before the restored file was brought up to date.
    pub schema_version: i64,
}

/// Replaces the database at `db` with the backup at `backup`, after checking the backup and
/// copying the current file to `<db>.before-restore-<UTC time>`.
///
/// The pages are written through SQLite's backup API into the live file rather than by renaming
/// files, so a running app's connection sees the restored data instead of a deleted file, and the
/// WAL file cannot pair stale frames with the new database.
pub fn restore(db: &Path, backup: &Path, now: DateTime<Utc>) -> Result<Restored, BackupError> {
    let schema_version = check(backup)?;

    let kept_aside = if db.exists() {
        let mut name = db.as_os_str().to_owned();
        name.push(format!(".before-restore-{}", now.format("%Y%m%dT%H%M%SZ")));
        let aside = PathBuf::from(name);
        let current = Connection::open(db).map_err(|source| BackupError::Copy {
            path: aside.clone(),
            source,
        })?;
        copy_database(&current, &aside)?;
        Some(aside)
    } else {
        None
    };

    let write_err = |source| BackupError::Copy {
        path: db.to_owned(),
        source,
    };
    let source = open_read_only(backup).map_err(write_err)?;
    let mut dest = Connection::open(db).map_err(write_err)?;
    dest.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(write_err)?;
    copy_pages(&source, &mut dest).map_err(write_err)?;
    drop(dest);

    // Opening runs the migrations, so an older backup comes back at this build's schema.
    let store = Store::open(db)?;
    let report = store.integrity_check()?;
    if report != "ok" {
        return Err(BackupError::Damaged {
            path: db.to_owned(),
            report,
        });
    }
    info!(from = %backup.display(), to = %db.display(), "backup restored");
    Ok(Restored {
        database: db.to_owned(),
        kept_aside,
        schema_version,
    })
}

/// Checks that `path` is a sound Vigil database this build can read, and returns its schema
/// version.
pub fn check(path: &Path) -> Result<i64, BackupError> {
    if !path.is_file() {
        return Err(BackupError::NotABackup {
            path: path.to_owned(),
            reason: "no such file".into(),
        });
    }
    let not_a_backup = |reason: String| BackupError::NotABackup {
        path: path.to_owned(),
        reason,
    };
    let conn = open_read_only(path).map_err(|e| not_a_backup(e.to_string()))?;
    let report: String = match conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)) {
        Ok(report) => report,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
            return Err(not_a_backup("it is not a SQLite database".into()))
        }
        Err(e) => e.to_string(),
    };
    if report != "ok" {
        return Err(BackupError::Damaged {
            path: path.to_owned(),
            report,
        });
    }

    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| not_a_backup(e.to_string()))?;
    let vigil_tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' \
             AND name IN ('sources', 'incidents', 'timeline_events')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| not_a_backup(e.to_string()))?;
    if version < 1 || vigil_tables < 3 {
        return Err(not_a_backup(
            "it is a SQLite database without Vigil's tables".into(),
        ));
    }
    if version > SCHEMA_VERSION as i64 {
        return Err(BackupError::NewerSchema {
            path: path.to_owned(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}
