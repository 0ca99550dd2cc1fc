//! Backups of the database, so a bad import, a broken disk sector or a mistaken merge costs at
//! most a day of work.
//!
//! A backup is a copy made with SQLite's online backup API, which reads one consistent snapshot
//! while the app and syncs go on writing; copying the file with the OS would catch a half-written
//! page or miss what still sits in the WAL file. Backups live in `backups/` beside the database,
//! named by the UTC instant they were taken, and only the newest [`KEEP`] are kept. Restoring is
//! in [`restore`](mod@restore).

pub mod restore;

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use tracing::{debug, info};

use crate::store::Store;

pub use restore::{restore, Restored};

/// How many backups are kept; a week of daily ones.
pub const KEEP: usize = 7;

/// The name of the folder beside the database that holds the backups.
pub const FOLDER: &str = "backups";

const PREFIX: &str = "vigil-";
const SUFFIX: &str = ".sqlite3";
/// Milliseconds keep two backups taken in the same second apart, and the name still sorts by time.
const STAMP: &str = "%Y%m%dT%H%M%S%.3fZ";

/// What can go wrong making, listing or restoring a backup.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The backups folder or a file in it could not be read or written.
    #[error("cannot use {path}: {source}. Check that the folder exists and is writable")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// SQLite failed while copying.
    #[error(
        "copying the database to {path} failed: {source}. Check the free disk space and try again"
    )]
    Copy {
        /// The file being written.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The chosen file is not a SQLite database, or not one of Vigil's.
    #[error(
        "{path} is not a Vigil backup ({reason}). Choose a file listed by `vigil backup list`"
    )]
    NotABackup {
        /// The chosen file.
        path: PathBuf,
        /// Why, in words.
        reason: String,
    },
    /// The chosen file fails SQLite's integrity check.
    #[error("{path} is damaged (SQLite's integrity check says: {report}). Choose an older backup")]
    Damaged {
        /// The chosen file.
        path: PathBuf,
        /// The check's first line.
        report: String,
    },
    /// The chosen file was written by a newer Vigil, whose schema this build cannot read.
    #[error("{path} was written by a newer Vigil (schema {found}, this build knows up to {known}). Update Vigil, then restore it")]
    NewerSchema {
        /// The chosen file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// This build's schema version.
        known: usize,
    },
    /// The restored database could not be opened afterwards.
    #[error("the restored database does not open: {0}. The previous file was kept beside it as *.before-restore-*; copy it back over the database")]
    Reopen(#[from] crate::EngineError),
}

/// One backup on disk.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BackupFile {
    /// Where it is.
    pub path: PathBuf,
    /// When it was taken, from its name.
    pub taken_at: DateTime<Utc>,
    /// Its size in bytes.
    pub bytes: u64,
}

/// The backups folder of the database at `db`: `backups/` beside it.
pub fn folder(db: &Path) -> PathBuf {
    match db.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => parent.join(FOLDER),
        None => PathBuf::from(FOLDER),
    }
}

/// Whether the daily backup is due at `now`: none was taken yet on `now`'s UTC day. The day is
/// UTC like the names, so the answer does not change when the user travels; for someone far from
/// Greenwich the day turns at a local hour other than midnight.
pub fn is_due(latest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    latest.is_none_or(|taken| taken.date_naive() < now.date_naive())
}

/// Backs up `store`'s database into its backups folder and drops all but the newest [`KEEP`].
pub fn back_up(store: &Store, now: DateTime<Utc>) -> Result<BackupFile, BackupError> {
    let dir = folder(store.path());
    std::fs::create_dir_all(&dir).map_err(|source| BackupError::Io {
        path: dir.clone(),
        source,
    })?;
    let mut taken_at = now;
    let mut path = dir.join(name_for(taken_at));
    while path.exists() {
        taken_at += chrono::Duration::milliseconds(1);
        path = dir.join(name_for(taken_at));
    }

    copy_database(store.conn(), &path)?;
    let bytes = size_of(&path)?;
    info!(path = %path.display(), bytes, "database backed up");
    prune(&dir)?;
    Ok(BackupFile {
        path,
        taken_at: parse_name(&name_for(taken_at)).unwrap_or(taken_at),
        bytes,
    })
}

/// Takes the daily backup when [`is_due`] says so. Meant for the app to call at start and once a
/// day; that call arrives with the Settings page, until then only `vigil backup now` takes one.
pub fn back_up_if_due(
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Option<BackupFile>, BackupError> {
    let latest = list(store.path())?.first().map(|b| b.taken_at);
    if !is_due(latest, now) {
        debug!("today's backup already exists");
        return Ok(None);
    }
    back_up(store, now).map(Some)
}

/// The backups of the database at `db`, newest first. Files in the folder that Vigil did not name
/// are left out.
pub fn list(db: &Path) -> Result<Vec<BackupFile>, BackupError> {
    list_in(folder(db))
}

fn list_in(dir: PathBuf) -> Result<Vec<BackupFile>, BackupError> {
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(BackupError::Io { path: dir, source }),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(taken_at) = name.to_str().and_then(parse_name) else {
            continue;
        };
        let path = entry.path();
        let bytes = size_of(&path)?;
        found.push(BackupFile {
            path,
            taken_at,
            bytes,
        });
    }
    found.sort_by_key(|b| std::cmp::Reverse(b.taken_at));
    Ok(found)
}

/// Copies the database behind `from` into a new file at `to`, as one snapshot, and makes the copy
/// a single self-contained file (rollback journal, not WAL) so it can be moved or mailed alone.
///
/// The copy is written under a temporary name first, so a failure never leaves a half-written
/// file that [`list`] would offer.
pub(crate) fn copy_database(from: &Connection, to: &Path) -> Result<(), BackupError> {
    let partial = to.with_extension("partial");
    let copy_err = |source| BackupError::Copy {
        path: to.to_owned(),
        source,
    };
    let outcome = (|| {
        let mut dest = Connection::open(&partial)?;
        copy_pages(from, &mut dest)?;
        let _mode: String = dest.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        dest.close().map_err(|(_, e)| e)
    })();
    if let Err(e) = outcome {
        let _ = std::fs::remove_file(&partial);
        return Err(copy_err(e));
    }
    std::fs::rename(&partial, to).map_err(|source| BackupError::Io {
        path: to.to_owned(),
        source,
    })
}

/// Copies every page of `from`'s main database over `dest`'s with the online backup API.
pub(crate) fn copy_pages(from: &Connection, dest: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(from, dest)?;
    let mut attempts = 0;
    loop {
        // All pages in one step: the source's read transaction spans the whole copy, so writes by
        // other connections during it can neither restart the copy nor mix into it.
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::Busy | StepResult::Locked if attempts < 50 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("the database stayed locked by another writer for a second".into()),
                ))
            }
        }
    }
}

fn prune(dir: &Path) -> Result<(), BackupError> {
    let all = list_in(dir.to_owned())?;
    for old in all.iter().skip(KEEP) {
        std::fs::remove_file(&old.path).map_err(|source| BackupError::Io {
            path: old.path.clone(),
            source,
        })?;
        debug!(path = %old.path.display(), "old backup removed");
    }
    Ok(())
}

fn size_of(path: &Path) -> Result<u64, BackupError> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|source| BackupError::Io {
            path: path.to_owned(),
            source,
        })
}

fn name_for(at: DateTime<Utc>) -> String {
    format!("{PREFIX}{}{SUFFIX}", at.format(STAMP))
}

fn parse_name(name: &str) -> Option<DateTime<Utc>> {
    let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    NaiveDateTime::parse_from_str(stamp, STAMP)
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0)
            .single()
            .expect("a valid instant")
    }

    #[test]
    fn a_backup_is_due_when_there_is_none() {
        assert!(is_due(None, at(4, 8)));
    }

    #[test]
    fn a_backup_is_not_due_twice_on_one_day() {
        assert!(!is_due(Some(at(4, 0)), at(4, 23)));
    }

    #[test]
    fn a_backup_is_due_again_the_next_day() {
        assert!(is_due(Some(at(3, 23)), at(4, 0)));
    }

    #[test]
    fn a_backup_name_reads_back_as_its_instant() {
        let now = at(4, 7) + chrono::Duration::milliseconds(123);
        assert_eq!(parse_name(&name_for(now)), Some(now));
        assert_eq!(parse_name("notes.txt"), None);
    }
}
