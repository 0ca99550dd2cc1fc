//! What can go wrong with an FMEA in the engine. Import problems are collected, never thrown one
//! at a time: a file is checked whole and every problem is listed with its row and column, so
//! the user fixes the file in one pass.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use vigil_core::fmea::{FieldError, FmeaId, Problem};

use crate::error::EngineError;

/// One problem found in a file being imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProblem {
    /// The row (1-based, as a spreadsheet numbers it) or, for a bundle, the line.
    pub row: Option<usize>,
    /// The column's title (or letter), or, for a bundle, the place in the document.
    pub column: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ImportProblem {
    /// A problem at a cell.
    pub fn at(row: usize, column: &str, message: impl Into<String>) -> Self {
        ImportProblem {
            row: Some(row),
            column: Some(column.to_owned()),
            message: message.into(),
        }
    }

    /// A problem with the file as a whole.
    pub fn file(message: impl Into<String>) -> Self {
        ImportProblem {
            row: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.row, &self.column) {
            (Some(r), Some(c)) => write!(f, "row {r}, column \"{c}\": {}", self.message),
            (Some(r), None) => write!(f, "row {r}: {}", self.message),
            (None, Some(c)) => write!(f, "{c}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// Every problem of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The file's name, for the message.
    pub file: String,
    /// The problems, in file order.
    pub problems: Vec<ImportProblem>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} problem(s) in {}; nothing was imported. Fix them and import the file again:",
            self.problems.len(),
            self.file
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

/// The engine's FMEA errors.
#[derive(Debug, thiserror::Error)]
pub enum FmeaError {
    /// The store failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// No FMEA with that id.
    #[error("FMEA {0} was not found; `vigil fmea list` shows the FMEAs there are")]
    NotFound(String),
    /// The change would leave the FMEA broken.
    #[error("the FMEA would not be whole: {}", list(.0))]
    Invalid(Vec<Problem>),
    /// A field edit that does not fit.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// Importing an FMEA that is already here.
    #[error("FMEA {0} is already in the database; to bring changes from a copy back, merge its bundle (`vigil fmea merge FILE`) instead of importing it")]
    AlreadyExists(FmeaId),
    /// A file with problems; nothing was imported.
    #[error("{0}")]
    Import(ImportReport),
    /// A file could not be read or written.
    #[error("cannot use the file {path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A merge still has conflicts nobody picked a side for.
    #[error("the merge has {0} conflict(s) without a pick; choose ours or theirs for each (or --prefer ours|theirs)")]
    UnresolvedConflicts(usize),
    /// A bundle of another FMEA.
    #[error("the bundle holds FMEA {found}, not {expected}; merge it into its own FMEA")]
    OtherFmea {
        /// The FMEA merged into.
        expected: FmeaId,
        /// The bundle's FMEA.
        found: FmeaId,
    },
    /// Something Vigil itself wrote cannot be read back.
    #[error("the stored FMEA data cannot be read ({0}); restore a backup or report this")]
    Corrupt(String),
}

fn list(problems: &[Problem]) -> String {
    let shown: Vec<String> = problems.iter().map(Problem::to_string).collect();
    shown.join("; ")
}

impl From<rusqlite::Error> for FmeaError {
    fn from(e: rusqlite::Error) -> Self {
        FmeaError::Engine(EngineError::Sql(e))
    }
}

impl FmeaError {
    /// A stable machine-readable kind, for the window's `{kind, message}` and scripts.
    pub fn kind(&self) -> &'static str {
        match self {
            FmeaError::Engine(e) => e.kind(),
            FmeaError::NotFound(_) => "not_found",
            FmeaError::Invalid(_) | FmeaError::Field(_) | FmeaError::OtherFmea { .. } => {
                "bad_input"
            }
            FmeaError::AlreadyExists(_) | FmeaError::UnresolvedConflicts(_) => "conflict",
            FmeaError::Import(_) => "import",
            FmeaError::File { .. } => "file",
            FmeaError::Corrupt(_) => "database",
        }
    }
}

/// The result of FMEA operations.
pub type FmeaResult<T> = std::result::Result<T, FmeaError>;
