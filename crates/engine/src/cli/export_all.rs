//! `vigil export-all --out FILE.zip` and `vigil diagnostics`: the user's data in one file, and
//! the text to paste into a bug report.

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use clap::Args;

use crate::store::Store;
use crate::{diagnostics, export_all, paths};

/// `vigil export-all`
#[derive(Debug, Args)]
pub struct ExportAllArgs {
    /// The zip file to write (replaced if it exists).
    #[arg(long, value_name = "FILE.zip")]
    pub out: PathBuf,
}

/// Runs `vigil export-all`: writes the zip and lists what is in it.
pub fn run_export(store: &Store, args: &ExportAllArgs) -> anyhow::Result<()> {
    let summary = export_all::export_all(store, &args.out, Utc::now())?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", summary.path.display())?;
    for (name, records) in &summary.files {
        writeln!(out, "  {name:<28} {records:>7} records")?;
    }
    Ok(())
}

/// Runs `vigil diagnostics`.
pub fn run_diagnostics(store: &Store) -> anyhow::Result<()> {
    let text = diagnostics::diagnostics(store, &paths::log_dir())?;
    write!(std::io::stdout().lock(), "{text}")?;
    Ok(())
}
