//! `vigil incidents list`: every incident in the cache, as a table or as JSON.

use std::io::Write;

use clap::Subcommand;
use serde::Serialize;
use vigil_core::api::{IncidentQuery, IncidentSort};
use vigil_core::Incident;

use crate::store::Store;

/// `vigil incidents ...`
#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    /// Lists every incident, newest first, merged and open ones included and flagged.
    List {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// An incident with the flags a script filters on.
#[derive(Debug, Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    incident: &'a Incident,
    merged: bool,
    open: bool,
}

/// Runs `vigil incidents ...`.
pub fn run(store: &Store, command: &IncidentsCommand) -> anyhow::Result<()> {
    match command {
        IncidentsCommand::List { json } => {
            let query = IncidentQuery {
                include_merged: true,
                sort: IncidentSort::CreatedAt,
                limit: None,
                ..IncidentQuery::default()
            };
            let page = store.list_incidents(&query)?;
            let mut out = std::io::stdout().lock();
            if *json {
                let listed: Vec<Listed<'_>> = page
                    .incidents
                    .iter()
                    .map(|i| Listed {
                        incident: i,
                        merged: i.is_merged(),
                        open: i.status.is_open(),
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &listed)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{:<8} {:<13} {:<5} {:<17} {:<16} TITLE",
                    "NUMBER", "STATUS", "URG", "CREATED (UTC)", "SERVICE"
                )?;
                for i in &page.incidents {
                    let number = i
                        .number
                        .map_or_else(|| i.external_id.clone(), |n| n.to_string());
                    let merged = if i.is_merged() { " [merged]" } else { "" };
                    writeln!(
                        out,
                        "{:<8} {:<13} {:<5} {:<17} {:<16} {}{merged}",
                        number,
                        i.status.as_str(),
                        i.urgency.as_str(),
                        i.created_at.format("%Y-%m-%d %H:%M"),
                        i.service.as_deref().unwrap_or("-"),
                        i.title
                    )?;
                }
                writeln!(out, "{} incidents", page.counts.total)?;
            }
            Ok(())
        }
    }
}
