//! `vigil backup now|list|restore`: the same backups the app takes, for scripts and for a machine
//! whose app no longer starts.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::Subcommand;

use crate::backup;
use crate::store::Store;

/// `vigil backup ...`
#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Backs the database up now into `backups/` beside it (the newest 7 are kept).
    Now,
    /// Lists the backups, newest first.
    List {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Replaces the database with a backup, keeping the current file aside first.
    Restore {
        /// The backup file (one listed by `vigil backup list`).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// Runs `vigil backup ...`; `open` opens the database, which `restore` must not do first.
pub fn run(
    db: &Path,
    command: &BackupCommand,
    open: impl FnOnce() -> anyhow::Result<Store>,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match command {
        BackupCommand::Now => {
            let store = open()?;
            let made = backup::back_up(&store, Utc::now())?;
            writeln!(out, "{}", made.path.display())?;
        }
        BackupCommand::List { json } => {
            let all = backup::list(db)?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &all)?;
                writeln!(out)?;
            } else if all.is_empty() {
                writeln!(out, "no backups yet in {}", backup::folder(db).display())?;
            } else {
                writeln!(out, "{:<20} {:>10} FILE", "TAKEN (UTC)", "BYTES")?;
                for b in &all {
                    let taken = b.taken_at.format("%Y-%m-%d %H:%M:%S");
                    writeln!(out, "{taken:<20} {:>10} {}", b.bytes, b.path.display())?;
                }
            }
        }
        BackupCommand::Restore { file } => {
            let done = backup::restore(db, file, Utc::now())?;
            writeln!(out, "restored {} into {}", file.display(), db.display())?;
            if let Some(aside) = done.kept_aside {
                writeln!(out, "the previous database is kept as {}", aside.display())?;
            }
        }
    }
    Ok(())
}
