//! The export of everything: one zip a user can keep, hand to a colleague or load into another
//! tool, holding every table they care about as JSON and the incidents as a spreadsheet.
//!
//! Tables are read from the schema as it is when the export runs, not from a fixed list, so a
//! table added by a later migration is exported without touching this file. Tokens are never in
//! the database (they live in the OS keychain); what could still carry a secret (credentials in a
//! base URL, a secret-looking key in a JSON option) goes through [`redact`] first.

pub mod redact;
mod xlsx;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde_json::{Map, Value};
use tracing::info;
use zip::write::SimpleFileOptions;

use crate::store::{Store, SCHEMA_VERSION};

/// What can go wrong writing the export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The database could not be read.
    #[error(
        "reading the database for the export failed: {0}. Run `vigil backup now` and report this"
    )]
    Read(#[from] rusqlite::Error),
    /// The zip file could not be written.
    #[error("cannot write {path}: {reason}. Check that the folder exists and is writable and the disk has room")]
    Write {
        /// The zip file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
}

/// What went into the zip.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExportSummary {
    /// The zip file written.
    pub path: PathBuf,
    /// The files in it, in order, with the number of records of each JSON file.
    pub files: Vec<(String, usize)>,
}

/// Tables that are Vigil's bookkeeping rather than the user's data, or that are folded into
/// another file (timeline events go inside their incident).
const NOT_EXPORTED_ALONE: &[&str] = &["sources", "incidents", "timeline_events"];

/// Writes the export of `store` to `out`: a new file, written under a temporary name first so a
/// failure leaves no half zip behind.
pub fn export_all(
    store: &Store,
    out: &Path,
    now: DateTime<Utc>,
) -> Result<ExportSummary, ExportError> {
    let conn = store.conn();
    let mut files: Vec<(String, Vec<u8>, usize)> = Vec::new();

    let sources = redact::sources(table_rows(conn, "sources")?);
    files.push(json_file("sources.json", &sources));
    let incidents = incidents_with_timelines(conn)?;
    files.push(json_file("incidents.json", &incidents));
    for table in user_tables(conn)? {
        let rows: Vec<Value> = table_rows(conn, &table)?
            .into_iter()
            .map(redact::row)
            .collect();
        files.push(json_file(&format!("{table}.json"), &rows));
    }
    let sheet = xlsx::incidents(conn).map_err(|e| write_err(out, e))?;
    files.push(("incidents.xlsx".into(), sheet, incidents.len()));
    let manifest = serde_json::json!({
        "exported_at": now.to_rfc3339(),
        "vigil_version": env!("CARGO_PKG_VERSION"),
        "schema_version": SCHEMA_VERSION,
        "files": files.iter().map(|(name, _, n)| serde_json::json!({"name": name, "records": n}))
            .collect::<Vec<_>>(),
    });
    let manifest = json_file("manifest.json", &manifest);

    let partial = out.with_extension("partial");
    let written = write_zip(&partial, std::iter::once(&manifest).chain(&files));
    if let Err(e) = written.and_then(|()| std::fs::rename(&partial, out)) {
        let _ = std::fs::remove_file(&partial);
        return Err(write_err(out, e));
    }
    info!(path = %out.display(), files = files.len() + 1, "everything exported");
    Ok(ExportSummary {
        path: out.to_owned(),
        files: std::iter::once(&manifest)
            .chain(&files)
            .map(|(name, _, n)| (name.clone(), *n))
            .collect(),
    })
}

fn write_zip<'a>(
    path: &Path,
    files: impl Iterator<Item = &'a (String, Vec<u8>, usize)>,
) -> std::io::Result<()> {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes, _) in files {
        zip.start_file(name.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    zip.finish()?.sync_all()
}

fn write_err(path: &Path, e: impl std::fmt::Display) -> ExportError {
    ExportError::Write {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

fn json_file(name: &str, value: &impl serde::Serialize) -> (String, Vec<u8>, usize) {
    let json = serde_json::to_value(value).unwrap_or(Value::Null);
    let records = json.as_array().map_or(1, Vec::len);
    // Serialising a `Value` cannot fail: its keys are strings and its numbers finite.
    let bytes = serde_json::to_vec_pretty(&json).unwrap_or_default();
    (name.to_owned(), bytes, records)
}

/// The tables to export one file each: every table of the schema but SQLite's own, those folded
/// elsewhere, and full-text search indexes (virtual tables and their shadow tables), which are
/// derived from the incidents and rebuilt from them.
fn user_tables(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name, coalesce(sql, '') LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master \
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let all: Vec<(String, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let virtual_tables: Vec<&str> = all
        .iter()
        .filter(|(_, is_virtual)| *is_virtual)
        .map(|(name, _)| name.as_str())
        .collect();
    let derived = |name: &str| {
        virtual_tables
            .iter()
            .any(|v| name == *v || name.starts_with(&format!("{v}_")))
    };
    Ok(all
        .iter()
        .map(|(name, _)| name)
        .filter(|name| !NOT_EXPORTED_ALONE.contains(&name.as_str()) && !derived(name))
        .cloned()
        .collect())
}

/// Every incident as an object of its columns with a `timeline` array of its events, oldest
/// first.
fn incidents_with_timelines(conn: &Connection) -> rusqlite::Result<Vec<Value>> {
    let mut events: std::collections::HashMap<String, Vec<Value>> = Default::default();
    for event in query_rows(
        conn,
        "SELECT * FROM timeline_events ORDER BY incident_id, at, id",
    )? {
        let owner = event["incident_id"].as_str().unwrap_or_default().to_owned();
        events.entry(owner).or_default().push(event);
    }
    let mut incidents = query_rows(conn, "SELECT * FROM incidents ORDER BY created_at, id")?;
    for incident in &mut incidents {
        let id = incident["id"].as_str().unwrap_or_default().to_owned();
        let timeline = events.remove(&id).unwrap_or_default();
        if let Value::Object(fields) = incident {
            fields.insert("timeline".into(), Value::Array(timeline));
        }
    }
    Ok(incidents)
}

/// Every row of `table`. No ORDER BY: a WITHOUT ROWID table has no rowid to sort on, and a plain
/// scan returns rows in storage order, which is the same for an unchanged file.
fn table_rows(conn: &Connection, table: &str) -> rusqlite::Result<Vec<Value>> {
    query_rows(
        conn,
        &format!("SELECT * FROM \"{}\"", table.replace('"', "")),
    )
}

/// Runs `sql` and turns each row into a JSON object keyed by column name. Columns named `at` or
/// ending in `_at` hold UTC seconds and come out as RFC 3339 text, which any tool reads.
fn query_rows(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare(sql)?;
    let names: Vec<String> = stmt.column_names().into_iter().map(String::from).collect();
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut object = Map::new();
        for (i, name) in names.iter().enumerate() {
            let instant = name == "at" || name.ends_with("_at");
            let value = match row.get_ref(i)? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) if instant => DateTime::from_timestamp(n, 0)
                    .map_or(Value::from(n), |t| Value::from(t.to_rfc3339())),
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(x) => Value::from(x),
                ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => {
                    Value::from(b.iter().map(|x| format!("{x:02x}")).collect::<String>())
                }
            };
            object.insert(name.clone(), value);
        }
        out.push(Value::Object(object));
    }
    Ok(out)
}
