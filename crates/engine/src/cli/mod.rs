//! The `vigil` command line: argument parsing and the subcommands. Output on stdout is for
//! people or, with `--json`, for scripts; diagnostics go to stderr.
#![allow(clippy::print_stdout)] // printing results is this module's job

mod alertmanager;
mod alerts;
mod backup;
mod export_all;
mod fmea;
mod import;
mod incidents;
pub mod metrics;
mod postmortem;
mod search;
pub mod spc;
pub mod sync;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::paths;
use crate::store::Store;

/// Vigil's command-line tool: the same database and numbers as the desktop app.
#[derive(Debug, Parser)]
#[command(name = "vigil", version, about)]
pub struct Cli {
    /// The SQLite file to use (default: VIGIL_DB, else the app's file in the OS data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prometheus Alertmanager's webhook, received on 127.0.0.1.
    Alertmanager {
        /// What to do.
        #[command(subcommand)]
        command: alertmanager::AlertmanagerCommand,
    },
    /// The alert inbox and the alert rules.
    Alerts {
        /// What to show.
        #[command(subcommand)]
        command: alerts::AlertsCommand,
    },
    /// Backups of the database: take one now, list them, restore one.
    Backup {
        /// What to do.
        #[command(subcommand)]
        command: backup::BackupCommand,
    },
    /// About the database file.
    Db {
        /// What to show.
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Prints the text of "Copy diagnostics" for a bug report: versions, paths, source status.
    Diagnostics,
    /// Writes every table a user cares about into one zip (JSON files and an incidents xlsx).
    ExportAll(export_all::ExportAllArgs),
    /// FMEAs: action priority, new from a template, list, import, export, merge a bundle.
    Fmea {
        /// What to do.
        #[command(subcommand)]
        command: fmea::FmeaCommand,
    },
    /// Imports incidents from a file into the database.
    Import {
        /// What to import.
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Incidents in the local cache.
    Incidents {
        /// What to do with them.
        #[command(subcommand)]
        command: incidents::IncidentsCommand,
    },
    /// Incident KPIs over a window: counts, MTTA, MTTD, MTTM, MTTR, MTBF.
    Metrics(metrics::MetricsArgs),
    /// Postmortems: create from incidents, list, export, import, review, publish, reopen.
    Postmortem {
        /// What to do.
        #[command(subcommand)]
        command: postmortem::PostmortemCommand,
    },
    /// Full-text search over postmortems and incidents.
    Search(search::SearchArgs),
    /// Control charts, run rules and capability for a CSV, TSV or XLSX file.
    Spc(spc::SpcArgs),
    /// Fetches incidents and timelines from a vendor into the database.
    Sync(sync::SyncArgs),
}

/// `vigil db ...`
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Prints the path of the database file in use.
    Path,
}

impl Cli {
    /// A usage mistake the parser cannot see by itself (an option one kind needs and another
    /// refuses), in words; `vigil` exits 2 with it, as with any other usage error.
    pub fn usage_problem(&self) -> Option<String> {
        match &self.command {
            Command::Sync(args) => args.usage_problem(),
            Command::Fmea { command } => command.usage_problem(),
            Command::Spc(args) => args.usage_problem(),
            _ => None,
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let db = cli.db.clone().unwrap_or_else(paths::default_db_path);
    match cli.command {
        Command::Alertmanager { command } => {
            let mut store = open(&db)?;
            alertmanager::run(&mut store, &db, &command)
        }
        Command::Alerts { command } => {
            let store = open(&db)?;
            alerts::run(&store, &command)
        }
        Command::Backup { command } => backup::run(&db, &command, || open(&db)),
        Command::Db {
            command: DbCommand::Path,
        } => {
            println!("{}", db.display());
            Ok(())
        }
        Command::Diagnostics => export_all::run_diagnostics(&open(&db)?),
        Command::ExportAll(args) => export_all::run_export(&open(&db)?, &args),
        Command::Fmea { command } => fmea::run(&command, || open(&db)),
        Command::Import { command } => {
            let mut store = open(&db)?;
            import::run(&mut store, &command)
        }
        Command::Incidents { command } => {
            let store = open(&db)?;
            incidents::run(&store, &command)
        }
        Command::Metrics(args) => {
            let store = open(&db)?;
            metrics::run(&store, &args)
        }
        Command::Postmortem { command } => {
            let mut store = open(&db)?;
            postmortem::run(&mut store, &command)
        }
        Command::Search(args) => {
            let store = open(&db)?;
            search::run(&store, &args)
        }
        Command::Spc(args) => spc::run(&args),
        Command::Sync(args) => {
            let mut store = open(&db)?;
            sync::run(&mut store, &args)
        }
    }
}

fn open(db: &std::path::Path) -> anyhow::Result<Store> {
    Store::open(db).with_context(|| format!("cannot open the database {}", db.display()))
}
