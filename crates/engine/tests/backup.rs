//! Backups on real SQLite files: what is restored equals what was backed up, only the newest
//! seven are kept, and a file that is not a sound Vigil backup never replaces the database.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rusqlite::Connection;
use vigil_core::api::{IncidentQuery, IncidentSort};
use vigil_core::Incident;
use vigil_engine::backup::{self, BackupError};
use vigil_engine::store::SourceRecord;
use vigil_engine::Store;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 7, 30, 0).unwrap()
}

/// A database holding the demo workspace (about 500 incidents with timelines).
fn seeded(dir: &Path) -> (Store, PathBuf) {
    let db = dir.join("vigil.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
    assert!(vigil_engine::demo::seed_if_empty(&mut store, today).unwrap());
    (store, db)
}

fn incidents(store: &Store) -> Vec<Incident> {
    let query = IncidentQuery {
        include_merged: true,
        sort: IncidentSort::CreatedAt,
        limit: None,
        ..IncidentQuery::default()
    };
    store.list_incidents(&query).unwrap().incidents
}

fn sources(store: &Store) -> Vec<SourceRecord> {
    store.sources().unwrap()
}

/// Every row of every table, in a stable order, as text: two equal dumps are equal databases.
fn dump(db: &Path) -> String {
    let conn = Connection::open(db).unwrap();
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut out = String::new();
    for table in tables {
        out.push_str(&format!("== {table}\n"));
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1"))
            .unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..columns {
                let value: rusqlite::types::Value = row.get(i).unwrap();
                out.push_str(&format!("{value:?}|"));
            }
            out.push('\n');
        }
    }
    out
}

#[test]
fn a_restored_backup_holds_exactly_the_data_that_was_backed_up() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, db) = seeded(dir.path());
    let (before_incidents, before_sources) = (incidents(&store), sources(&store));
    assert!(before_incidents.len() > 400);
    let before_dump = dump(&db);

    let made = backup::back_up(&store, now()).unwrap();
    assert_eq!(made.path.parent().unwrap(), dir.path().join("backups"));
    assert_eq!(backup::list(&db).unwrap(), vec![made.clone()]);

    // Change the database after the backup: a source goes, with its incidents.
    let demo = before_sources[0].id;
    store.remove_source(demo).unwrap();
    assert!(incidents(&store).is_empty());
    drop(store);

    let restored = backup::restore(&db, &made.path, now()).unwrap();
    let aside = restored.kept_aside.unwrap();
    assert!(aside
        .to_string_lossy()
        .contains("vigil.sqlite3.before-restore-"));
    assert!(Store::open(&aside).unwrap().is_empty().unwrap());

    let store = Store::open(&db).unwrap();
    assert_eq!(incidents(&store), before_incidents);
    assert_eq!(sources(&store), before_sources);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    drop(store);
    assert_eq!(dump(&db), before_dump);
}

#[test]
fn an_eighth_backup_removes_the_oldest_so_seven_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (store, db) = seeded(dir.path());

    let made: Vec<_> = (0..8)
        .map(|day| backup::back_up(&store, now() + Duration::days(day)).unwrap())
        .collect();

    let kept = backup::list(&db).unwrap();
    assert_eq!(kept.len(), backup::KEEP);
    assert_eq!(kept.first().unwrap().path, made[7].path);
    assert_eq!(kept.last().unwrap().path, made[1].path);
    assert!(!made[0].path.exists());
}

#[test]
fn two_backups_in_the_same_millisecond_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (store, db) = seeded(dir.path());

    let first = backup::back_up(&store, now()).unwrap();
    let second = backup::back_up(&store, now()).unwrap();

    assert_ne!(first.path, second.path);
    assert_eq!(backup::list(&db).unwrap().len(), 2);
}

/// Restores `file` over the seeded database and checks the refusal and that nothing changed.
fn assert_refused(file: &Path, what: fn(&BackupError) -> bool) {
    let dir = tempfile::tempdir().unwrap();
    let (store, db) = seeded(dir.path());
    drop(store);
    let before = dump(&db);

    let err = backup::restore(&db, file, now()).unwrap_err();

    assert!(what(&err), "unexpected error: {err}");
    assert!(err.to_string().contains(&file.display().to_string()));
    assert_eq!(dump(&db), before);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.contains("before-restore")),
        "{names:?}"
    );
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_the_database_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.sqlite3");
    std::fs::write(&file, "these are notes, not a database\n".repeat(200)).unwrap();

    assert_refused(&file, |e| matches!(e, BackupError::NotABackup { .. }));
}

#[test]
fn a_sqlite_file_of_another_program_is_refused_and_the_database_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("other.sqlite3");
    let conn = Connection::open(&file).unwrap();
    conn.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');")
        .unwrap();
    drop(conn);

    assert_refused(&file, |e| {
        matches!(e, BackupError::NotABackup { .. }) && e.to_string().contains("Vigil's tables")
    });
}

#[test]
fn a_damaged_backup_is_refused_and_the_database_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _db) = seeded(dir.path());
    let made = backup::back_up(&store, now()).unwrap();
    drop(store);

    // Scribble over the middle of the file, where the incidents' pages are.
    let mut bytes = std::fs::read(&made.path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 8192].fill(0x5a);
    std::fs::write(&made.path, bytes).unwrap();

    assert_refused(&made.path, |e| matches!(e, BackupError::Damaged { .. }));
}

#[test]
fn a_backup_from_a_newer_vigil_is_refused_and_the_database_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _db) = seeded(dir.path());
    let made = backup::back_up(&store, now()).unwrap();
    drop(store);
    let newer = vigil_engine::store::SCHEMA_VERSION as i64 + 1;
    Connection::open(&made.path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();

    assert_refused(&made.path, |e| matches!(e, BackupError::NewerSchema { .. }));
}
