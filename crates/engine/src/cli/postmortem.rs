//! `vigil postmortem ...`: create a postmortem from incidents, list them, export one, import an
//! edited Markdown file back, move one through review, and list blaming phrases.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use vigil_core::postmortem::{blame_hints, PostmortemId};
use vigil_core::IncidentId;

use crate::postmortem::{export_html, export_markdown, import_markdown, DEFAULT_TEMPLATE};
use crate::store::Store;

/// `vigil postmortem ...`
#[derive(Debug, Subcommand)]
pub enum PostmortemCommand {
    /// Creates a draft from one or more incidents and prints its id.
    Create {
        /// An incident to review (Vigil's id, as `vigil incidents list --json` shows); repeat
        /// for an event that raised several incidents.
        #[arg(long = "incident", value_name = "ID", required = true)]
        incidents: Vec<IncidentId>,
        /// The template: default, short, phases, or a team template.
        #[arg(long, default_value = DEFAULT_TEMPLATE)]
        template: String,
    },
    /// Lists every postmortem, the most recently saved first.
    List {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Writes a postmortem to a file.
    Export {
        /// The postmortem's id.
        id: PostmortemId,
        /// The file format.
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Saves the sections of an edited Markdown export back into the postmortem.
    Import {
        /// The postmortem's id.
        id: PostmortemId,
        /// The Markdown file.
        file: PathBuf,
    },
    /// Sends a postmortem to review.
    Review {
        /// The postmortem's id.
        id: PostmortemId,
        /// A reviewer's name; repeat for several.
        #[arg(long = "reviewer", value_name = "NAME", required = true)]
        reviewers: Vec<String>,
    },
    /// Publishes a postmortem; it then refuses edits until reopened.
    Publish {
        /// The postmortem's id.
        id: PostmortemId,
    },
    /// Makes a published postmortem a draft again.
    Reopen {
        /// The postmortem's id.
        id: PostmortemId,
    },
    /// Points at phrases that blame a person, with a way to describe the system instead.
    Hints {
        /// The postmortem's id.
        id: PostmortemId,
    },
}

/// The export formats on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// Markdown that imports back into the same sections.
    Md,
    /// One self-contained HTML page.
    Html,
    /// Not available yet; refused with the reason.
    Pdf,
}

/// Runs `vigil postmortem ...`.
pub fn run(store: &mut Store, command: &PostmortemCommand) -> anyhow::Result<()> {
    let who = store.audit_name();
    let mut out = std::io::stdout().lock();
    match command {
        PostmortemCommand::Create {
            incidents,
            template,
        } => {
            let id = store.create_postmortem(incidents, template, &who)?;
            writeln!(out, "{id}")?;
        }
        PostmortemCommand::List { json } => {
            let list = store.list_postmortems()?;
            if *json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{:<36}  {:<9}  {:<16}  {:>9} {:>12}  title",
                    "id", "status", "started (UTC)", "incidents", "open actions"
                )?;
                for p in list {
                    writeln!(
                        out,
                        "{:<36}  {:<9}  {:<16}  {:>9} {:>12}  {}",
                        p.id,
                        p.status.as_str(),
                        p.started_at.format("%Y-%m-%d %H:%M"),
                        p.incident_count,
                        p.open_actions,
                        p.title
                    )?;
                }
            }
        }
        PostmortemCommand::Export {
            id,
            format,
            out: file,
        } => {
            let pm = store.postmortem(*id)?;
            let text = match format {
                ExportFormatArg::Md => export_markdown(&pm),
                ExportFormatArg::Html => export_html(&pm),
                ExportFormatArg::Pdf => anyhow::bail!(
                    "PDF export is not available yet; export --format html and print the page \
                     to PDF from a browser"
                ),
            };
            std::fs::write(file, text)
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
        PostmortemCommand::Import { id, file } => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let changed = import_markdown(store, *id, &text, &who)?;
            writeln!(out, "{changed} sections changed")?;
        }
        PostmortemCommand::Review { id, reviewers } => {
            store.send_postmortem_to_review(*id, reviewers, &who)?;
        }
        PostmortemCommand::Publish { id } => store.publish_postmortem(*id, &who)?,
        PostmortemCommand::Reopen { id } => store.reopen_postmortem(*id, &who)?,
        PostmortemCommand::Hints { id } => {
            let pm = store.postmortem(*id)?;
            let mut found = 0;
            for section in &pm.sections {
                for hint in blame_hints(&section.body) {
                    found += 1;
                    writeln!(
                        out,
                        "{} (bytes {}-{}): \"{}\": {}",
                        section.title, hint.start, hint.end, hint.phrase, hint.suggestion
                    )?;
                }
            }
            writeln!(out, "{found} hints")?;
        }
    }
    Ok(())
}
