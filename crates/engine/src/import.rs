//! Incidents imported from a file: a CSV with a header row, or a JSON array of objects, exported
//! from a tracker Vigil has no connector for (or kept by hand).
//!
//! A mapping file (JSON: `{"id": "Key", "title": "Summary", "created": "Opened", ...}`) says
//! which column holds which field; without one, the usual header names are recognised (see
//! [`mapping`]). Every row is checked before anything is written, and a file with any problem
//! imports nothing: the error lists every problem with its row and column, so one round of
//! fixes is enough. The rows go into a `file` source, keyed by the id column, so importing a
//! corrected or later export again updates the incidents in place.
//!
//! A CSV is comma-separated, as RFC 4180 and most exports write it; a spreadsheet saved with
//! semicolons (common where the decimal mark is a comma) reads as one column and is refused for
//! its missing id, title and created columns: guessing the separator from the header line would
//! take it too.
//!
//! A file's columns are its incidents' milestones: no timeline entries are made. A re-import
//! can move a resolution but, as for every source, never moves a first acknowledgement later.
//! An incident removed from a later export stays in the cache; removing the source removes all.

pub mod mapping;
pub mod table;
mod validate;

use std::fmt;
use std::path::Path;

use tracing::info;
use vigil_core::SourceKind;

pub use self::mapping::{ColumnMapping, Field};
pub use self::table::Format;
use crate::error::EngineError;
use crate::store::{upsert_incident_tx, IncomingIncident, NewSource, Store, UpsertOutcome};

/// The source imported rows go into unless another is named.
pub const DEFAULT_SOURCE_NAME: &str = "Imported incidents";

/// One thing wrong with a file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row (see [`table`] for the numbering); `None` for the file or mapping as a whole.
    pub row: Option<usize>,
    /// The column's name, or the field's where the file has no such column.
    pub column: Option<String>,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl Problem {
    /// A problem of a cell.
    pub fn at(row: usize, column: &str, message: String) -> Self {
        Problem {
            row: Some(row),
            column: Some(column.to_owned()),
            message,
        }
    }

    /// A problem of a whole row.
    pub fn row(row: usize, message: String) -> Self {
        Problem {
            row: Some(row),
            column: None,
            message,
        }
    }

    /// A problem of a column.
    pub fn column(column: &str, message: String) -> Self {
        Problem {
            row: None,
            column: Some(column.to_owned()),
            message,
        }
    }

    /// A problem of the whole file.
    pub fn file(message: String) -> Self {
        Problem {
            row: None,
            column: None,
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, &self.column) {
            (Some(row), Some(column)) => {
                write!(f, "row {row}, column `{column}`: {}", self.message)
            }
            (Some(row), None) => write!(f, "row {row}: {}", self.message),
            (None, Some(column)) => write!(f, "column `{column}`: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file or the mapping could not be read from disk.
    #[error("cannot read {path}: {reason}. Check the path and that the file is readable")]
    Unreadable {
        /// The file.
        path: String,
        /// What the OS said.
        reason: String,
    },
    /// The mapping file is not a mapping.
    #[error(
        "the mapping {path} cannot be used ({reason}); write a JSON object such as \
         {{\"id\": \"Key\", \"title\": \"Summary\", \"created\": \"Opened\"}} with the fields \
         id, title, created, acknowledged, resolved, status, urgency (or severity), service, team"
    )]
    Mapping {
        /// The mapping file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Rows or columns are wrong; nothing was imported.
    #[error(
        "{} problem(s), so nothing was imported; fix them and import again: {}",
        .0.len(),
        list(.0)
    )]
    Invalid(Vec<Problem>),
    /// The database refused the import (nothing of it was written).
    #[error(transparent)]
    Store(#[from] EngineError),
}

fn list(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ImportError {
    /// A stable machine-readable kind, like [`EngineError::kind`].
    pub fn kind(&self) -> &'static str {
        match self {
            ImportError::Unreadable { .. } | ImportError::Mapping { .. } => "bad_input",
            ImportError::Invalid(_) => "invalid_rows",
            ImportError::Store(e) => e.kind(),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The source the rows went into.
    pub source_name: String,
    /// Rows read.
    pub rows: usize,
    /// Incidents new to the cache.
    pub created: usize,
    /// Incidents that changed.
    pub updated: usize,
    /// Incidents exactly as they were.
    pub unchanged: usize,
}

/// Reads and checks a file's incidents without touching the database. Never panics, whatever
/// the bytes.
pub fn read_incidents(
    bytes: &[u8],
    format: Format,
    mapping: &ColumnMapping,
) -> Result<Vec<IncomingIncident>, ImportError> {
    let mut problems = Vec::new();
    let table = table::read(bytes, format, &mut problems);
    let Some(table) = table else {
        return Err(ImportError::Invalid(problems));
    };
    let columns = match mapping::resolve(&table.headers, mapping) {
        Ok(columns) => columns,
        Err(mut missing) => {
            missing.append(&mut problems);
            return Err(ImportError::Invalid(missing));
        }
    };
    let incidents = validate::incidents(&table, &columns, &mut problems);
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        return Err(ImportError::Invalid(problems));
    }
    Ok(incidents)
}

/// Imports `file` (with the mapping file `mapping`, if any) into the `file` source named
/// `source_name`, created on first use: every row or none, in one transaction.
pub fn import_incidents(
    store: &mut Store,
    file: &Path,
    mapping: Option<&Path>,
    source_name: &str,
) -> Result<ImportReport, ImportError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|e| ImportError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    };
    let mapping = match mapping {
        Some(path) => {
            ColumnMapping::from_json(&read(path)?).map_err(|reason| ImportError::Mapping {
                path: path.display().to_string(),
                reason,
            })?
        }
        None => ColumnMapping::default(),
    };
    let bytes = read(file)?;
    let incidents = read_incidents(&bytes, Format::detect(file, &bytes), &mapping)?;

    let existing = store
        .sources()?
        .into_iter()
        .find(|s| s.kind == SourceKind::File && s.name == source_name.trim());
    let source = match existing {
        Some(source) => source,
        None => store.add_source(&NewSource {
            kind: SourceKind::File,
            name: source_name.trim().to_owned(),
            base_url: None,
        })?,
    };
    let mut report = ImportReport {
        source_name: source.name.clone(),
        rows: incidents.len(),
        ..ImportReport::default()
    };
    let outcomes = store.write(|tx| {
        incidents
            .iter()
            .map(|incident| Ok(upsert_incident_tx(tx, source.id, incident)?.1))
            .collect::<crate::Result<Vec<_>>>()
    })?;
    for outcome in outcomes {
        match outcome {
            UpsertOutcome::Created => report.created += 1,
            UpsertOutcome::Updated => report.updated += 1,
            UpsertOutcome::Unchanged => report.unchanged += 1,
        }
    }
    info!(file = %file.display(), source = %report.source_name, rows = report.rows,
          created = report.created, updated = report.updated, "incidents imported");
    Ok(report)
}
