//! Why a data file could not be charted, said so the user can find the cell and fix it.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1 and the first data row is
//! row 2, which is also the line number of a CSV or TSV file without quoted line breaks.

use std::path::PathBuf;

/// A problem with the input file or one of its cells.
#[derive(Debug, thiserror::Error)]
pub enum SpcInputError {
    /// The file could not be opened or parsed as a table at all.
    #[error("cannot read {path}: {reason}; check the path, and that it is CSV, TSV or XLSX")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What the reader said.
        reason: String,
    },

    /// The file has a header but no data rows, or no header either.
    #[error("{path} has no data rows under its header: nothing to chart")]
    Empty {
        /// The file.
        path: PathBuf,
    },

    /// An option names a column the header does not have.
    #[error("column '{column}' is not in the header (columns: {available}): check its spelling")]
    MissingColumn {
        /// The name asked for.
        column: String,
        /// The header's names, comma-separated.
        available: String,
    },

    /// `--value` was left out and no column is left over to be the value.
    #[error(
        "every column is already named by --subgroup, --size or --phase1: name the measured \
         column with --value"
    )]
    NoValueColumn,

    /// A cell that must hold a number holds something else (or nothing).
    #[error("row {row}, column '{column}': '{cell}' is not a number; correct or remove the row")]
    NotANumber {
        /// The spreadsheet row.
        row: usize,
        /// The column's header.
        column: String,
        /// The cell as read.
        cell: String,
    },

    /// A count (nonconforming items, defects) or a sample size that is not a whole number.
    #[error(
        "row {row}, column '{column}': '{cell}' is not a whole number of items or defects; \
         counts and sample sizes are integers"
    )]
    NotACount {
        /// The spreadsheet row.
        row: usize,
        /// The column's header.
        column: String,
        /// The cell as read.
        cell: String,
    },

    /// A count below zero, a size of zero, or more nonconforming items than were inspected.
    #[error("row {row}, column '{column}': {problem}")]
    ImpossibleCount {
        /// The spreadsheet row.
        row: usize,
        /// The column's header.
        column: String,
        /// What is wrong, in words.
        problem: String,
    },

    /// A `--phase1` cell that is not a recognised boolean.
    #[error(
        "row {row}, column '{column}': '{cell}' is not a phase I flag; write TRUE/FALSE, \
         true/false or 1/0"
    )]
    NotABoolean {
        /// The spreadsheet row.
        row: usize,
        /// The column's header.
        column: String,
        /// The cell as read.
        cell: String,
    },

    /// One subgroup with rows in both phases, so it cannot be either.
    #[error(
        "row {row}, column '{column}': subgroup '{subgroup}' is marked {flag} here but not in \
         its earlier rows; mark every row of a subgroup alike"
    )]
    MixedPhase {
        /// The spreadsheet row where the flag changes.
        row: usize,
        /// The `--phase1` column's header.
        column: String,
        /// The subgroup's key.
        subgroup: String,
        /// The flag on this row.
        flag: bool,
    },

    /// Xbar charts need every subgroup the same size; the odd one out is named.
    #[error(
        "row {row}, column '{column}': subgroup '{subgroup}' has {size} values where most, such \
         as '{first}', have {expected}; Xbar-R and Xbar-S charts need equal subgroups, so \
         complete or drop the odd ones"
    )]
    UnequalSubgroups {
        /// The spreadsheet row of the subgroup's first value.
        row: usize,
        /// The `--subgroup` column's header.
        column: String,
        /// The odd subgroup's key.
        subgroup: String,
        /// Its size.
        size: usize,
        /// A subgroup of the usual size.
        first: String,
        /// The size most subgroups have.
        expected: usize,
    },

    /// No row is marked as phase I, so there is nothing to compute limits from.
    #[error("no row has a true '{column}': mark the baseline rows that should set the limits")]
    NoBaseline {
        /// The `--phase1` column's header.
        column: String,
    },
}
