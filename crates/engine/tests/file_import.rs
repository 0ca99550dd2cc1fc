//! Importing incidents from CSV and JSON files: a clean import, a re-import that updates in
//! place, files with problems that import nothing, arbitrary bytes, and `vigil import`.
#![allow(
    clippy::unwrap_used,
    reason = "a test's helpers fail the test on purpose"
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use vigil_core::{IncidentStatus, SourceKind, Urgency};
use vigil_engine::import::{
    import_incidents, read_incidents, ColumnMapping, Format, ImportError, DEFAULT_SOURCE_NAME,
};
use vigil_engine::Store;

use support::open_store;

const CLEAN: &str = concat!(
    "ID,Title,Created,Acknowledged,Resolved,Status,Severity,Service,Team\n",
    "INC-1,Checkout errors,2026-05-01T10:00:00Z,2026-05-01T10:04:00Z,2026-05-01T10:40:00Z,",
    "resolved,SEV1,checkout,payments\n",
    "INC-2,Slow search,2026-05-02 09:00,,,open,SEV3,search,\n",
    "INC-3,\"Login fails, EU only\",2026-05-03T08:00:00+02:00,2026-05-03T06:10:00Z,,",
    "acknowledged,,auth,identity\n",
);

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    text.parse().unwrap()
}

#[test]
fn a_clean_csv_imports_every_row_into_a_file_source() {
    let (dir, mut store) = open_store();
    let file = write(dir.path(), "incidents.csv", CLEAN);

    let report = import_incidents(&mut store, &file, None, DEFAULT_SOURCE_NAME).unwrap();
    assert_eq!((report.rows, report.created, report.updated), (3, 3, 0));
    let source = &store.sources().unwrap()[0];
    assert_eq!(
        (source.kind, source.name.as_str()),
        (SourceKind::File, DEFAULT_SOURCE_NAME)
    );
    let incidents = store.incidents_of_source(source.id).unwrap();
    let first = &incidents[0];
    assert_eq!(first.external_id, "INC-1");
    assert_eq!(
        (first.status, first.urgency),
        (IncidentStatus::Resolved, Urgency::High)
    );
    assert_eq!(
        first.first_acknowledged_at,
        Some(at("2026-05-01T10:04:00Z"))
    );
    assert_eq!(first.resolved_at, Some(at("2026-05-01T10:40:00Z")));
    assert_eq!(first.team.as_deref(), Some("payments"));
    let second = &incidents[1];
    assert_eq!(second.created_at, at("2026-05-02T09:00:00Z"));
    assert_eq!(
        (second.status, second.urgency),
        (IncidentStatus::Triggered, Urgency::Low)
    );
    let third = &incidents[2];
    assert_eq!(third.title, "Login fails, EU only");
    assert_eq!(
        third.created_at,
        at("2026-05-03T06:00:00Z"),
        "the offset is honoured"
    );
    assert_eq!(third.status, IncidentStatus::Acknowledged);
}

#[test]
fn importing_again_updates_in_place_and_adds_no_duplicate() {
    let (dir, mut store) = open_store();
    let file = write(dir.path(), "incidents.csv", CLEAN);
    import_incidents(&mut store, &file, None, DEFAULT_SOURCE_NAME).unwrap();
    let before = store
        .incidents_of_source(store.sources().unwrap()[0].id)
        .unwrap();

    let later = CLEAN
        .replace(
            "Slow search,2026-05-02 09:00,,,open",
            "Slow search,2026-05-02 09:00,,2026-05-02 11:00,closed",
        )
        .replace("Checkout errors", "Checkout errors (card payments)");
    let file = write(dir.path(), "incidents.csv", &later);
    let report = import_incidents(&mut store, &file, None, DEFAULT_SOURCE_NAME).unwrap();
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 2, 1)
    );

    assert_eq!(store.sources().unwrap().len(), 1);
    let after = store
        .incidents_of_source(store.sources().unwrap()[0].id)
        .unwrap();
    assert_eq!(after.len(), 3);
    assert_eq!(after[0].id, before[0].id, "same identity");
    assert_eq!(after[0].title, "Checkout errors (card payments)");
    assert_eq!(after[1].status, IncidentStatus::Resolved);
    assert_eq!(after[1].resolved_at, Some(at("2026-05-02T11:00:00Z")));
}

#[test]
fn a_json_array_imports_through_a_mapping() {
    let (dir, mut store) = open_store();
    let file = write(
        dir.path(),
        "export.json",
        r#"[
          {"key": 101, "headline": "Queue backlog", "opened": "2026-04-01T12:00:00Z",
           "sev": "P2", "closed": "2026-04-01T13:00:00Z", "component": "jobs"},
          {"key": 102, "headline": "Cache misses", "opened": "2026-04-02T12:00:00Z",
           "sev": "P4", "closed": null, "component": null}
        ]"#,
    );
    let mapping = write(
        dir.path(),
        "mapping.json",
        r#"{"id": "key", "title": "headline", "created": "opened", "resolved": "closed",
            "severity": "sev"}"#,
    );
    let report = import_incidents(&mut store, &file, Some(&mapping), "Old tracker").unwrap();
    assert_eq!(
        (report.created, report.source_name.as_str()),
        (2, "Old tracker")
    );
    let incidents = store
        .incidents_of_source(store.sources().unwrap()[0].id)
        .unwrap();
    assert_eq!(
        (incidents[0].number, incidents[0].urgency),
        (Some(101), Urgency::High)
    );
    assert_eq!(incidents[0].service.as_deref(), Some("jobs"));
    assert_eq!(incidents[1].status, IncidentStatus::Triggered);
}

#[test]
fn a_file_with_bad_rows_lists_every_problem_with_row_and_column_and_imports_nothing() {
    let (dir, mut store) = open_store();
    let file = write(
        dir.path(),
        "bad.csv",
        "id,title,created,resolved\n\
         A-1,Fine,2026-05-01T10:00:00Z,2026-05-01T11:00:00Z\n\
         A-2,Bad date,31/05/2026,\n\
         A-3,,2026-05-01T10:00:00Z,\n\
         A-4,Ends early,2026-05-01T10:00:00Z,2026-05-01T09:00:00Z\n\
         A-1,Twice,2026-05-01T10:00:00Z,\n",
    );

    let err = import_incidents(&mut store, &file, None, DEFAULT_SOURCE_NAME).unwrap_err();
    let ImportError::Invalid(problems) = &err else {
        panic!("{err}")
    };
    let places: Vec<(Option<usize>, Option<&str>)> = problems
        .iter()
        .map(|p| (p.row, p.column.as_deref()))
        .collect();
    assert_eq!(
        places,
        [
            (Some(3), Some("created")),
            (Some(4), Some("title")),
            (Some(5), Some("resolved")),
            (Some(6), Some("id")),
        ],
        "{err}"
    );
    assert!(
        problems[0].message.contains("31/05/2026"),
        "{}",
        problems[0]
    );
    assert!(problems[3].message.contains("row 2"), "{}", problems[3]);
    assert!(
        store.sources().unwrap().is_empty(),
        "nothing imported, no source"
    );
}

#[test]
fn a_mapping_that_names_an_unknown_column_is_refused_and_imports_nothing() {
    let (dir, mut store) = open_store();
    let file = write(dir.path(), "incidents.csv", CLEAN);
    let mapping = write(
        dir.path(),
        "mapping.json",
        r#"{"team": "Squad", "severity": "Sev"}"#,
    );

    let err = import_incidents(&mut store, &file, Some(&mapping), DEFAULT_SOURCE_NAME).unwrap_err();
    let ImportError::Invalid(problems) = &err else {
        panic!("{err}")
    };
    let columns: Vec<&str> = problems
        .iter()
        .filter_map(|p| p.column.as_deref())
        .collect();
    assert_eq!(columns, ["Sev", "Squad"], "{err}");
    assert!(store.sources().unwrap().is_empty());

    let typo = write(dir.path(), "typo.json", r#"{"titel": "Title"}"#);
    let err = import_incidents(&mut store, &file, Some(&typo), DEFAULT_SOURCE_NAME).unwrap_err();
    assert!(matches!(err, ImportError::Mapping { .. }), "{err}");
    assert!(err.to_string().contains("titel"), "{err}");
}

fn vigil(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vigil"));
    command
        .arg("--db")
        .arg(dir.join("vigil.sqlite3"))
        .env("HOME", dir)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("VIGIL_LOG")
        .env_remove("VIGIL_DB");
    command
}

#[test]
fn vigil_import_incidents_prints_one_line_or_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "incidents.csv", CLEAN);
    let out = vigil(dir.path())
        .args(["import", "incidents"])
        .arg(&good)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains("3 rows into Imported incidents, 3 created"),
        "{stdout}"
    );

    let bad = write(dir.path(), "bad.csv", "id,title,created\nB-1,,yesterday\n");
    let out = vigil(dir.path())
        .args(["import", "incidents"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("row 2, column `title`"), "{stderr}");
    assert!(stderr.contains("row 2, column `created`"), "{stderr}");
    let reasons: Vec<&str> = stderr.lines().filter(|l| l.starts_with("vigil:")).collect();
    assert_eq!(reasons.len(), 1, "{stderr}");
    assert!(reasons[0].contains("nothing was imported"), "{stderr}");
    let store = Store::open(&dir.path().join("vigil.sqlite3")).unwrap();
    let source = &store.sources().unwrap()[0];
    assert_eq!(
        store.incident_count(source.id).unwrap(),
        3,
        "the bad file added nothing"
    );
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_in_either_format(
        bytes in proptest::collection::vec(any::<u8>(), 0..512)
    ) {
        for format in [Format::Csv, Format::Json] {
            let _ = read_incidents(&bytes, format, &ColumnMapping::default());
        }
    }

    #[test]
    fn csv_shaped_text_never_panics(
        cells in proptest::collection::vec(prop_oneof![
            Just("id"), Just("title"), Just("created"), Just("resolved"), Just("status"),
            Just(","), Just("\n"), Just("\""), Just("2026-05-01"), Just("closed"), Just("x"),
            Just("\u{feff}"), Just("9999-99-99"), Just("2026-05-01T10:00:00+99:00"),
        ], 0..64)
    ) {
        let _ = read_incidents(cells.concat().as_bytes(), Format::Csv, &ColumnMapping::default());
    }
}
