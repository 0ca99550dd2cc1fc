//! `vigil import incidents FILE [--mapping FILE] [--source NAME]`: imports a CSV or JSON file of
//! incidents and prints one line saying what it did. A file with problems imports nothing; each
//! problem is printed on its own line on stderr, before the one-line reason.

use std::path::PathBuf;

use anyhow::bail;
use clap::{Args, Subcommand};

use crate::import::{self, ImportError, DEFAULT_SOURCE_NAME};
use crate::store::Store;

/// `vigil import ...`
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Imports incidents from a CSV (with a header row) or a JSON array of objects; importing
    /// the same ids again updates them in place.
    Incidents(IncidentsArgs),
}

/// `vigil import incidents ...`
#[derive(Debug, Args)]
pub struct IncidentsArgs {
    /// The file: `.json` is read as JSON, `.csv` as CSV, anything else by its first character.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A JSON object naming the column of each field: id, title, created, acknowledged,
    /// resolved, status, urgency (or severity), service, team. Fields it leaves out are found
    /// by their usual header names.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// The `file` source the incidents go into, created on first use.
    #[arg(long, value_name = "NAME", default_value = DEFAULT_SOURCE_NAME)]
    pub source: String,
}

/// Runs `vigil import ...`.
pub fn run(store: &mut Store, command: &ImportCommand) -> anyhow::Result<()> {
    let ImportCommand::Incidents(args) = command;
    let outcome =
        import::import_incidents(store, &args.file, args.mapping.as_deref(), &args.source);
    match outcome {
        Ok(report) => {
            println!(
                "{}: {} rows into {}, {} created, {} updated, {} unchanged",
                args.file.display(),
                report.rows,
                report.source_name,
                report.created,
                report.updated,
                report.unchanged
            );
            Ok(())
        }
        Err(ImportError::Invalid(problems)) => {
            for problem in &problems {
                eprintln!("  {problem}");
            }
            bail!(
                "{} has {} problem(s) (listed above), so nothing was imported; fix them and \
                 import again",
                args.file.display(),
                problems.len()
            )
        }
        Err(e) => Err(e.into()),
    }
}
