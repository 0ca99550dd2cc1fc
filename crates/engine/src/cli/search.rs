//! `vigil search TEXT`: full-text search over postmortems and incidents.

use std::io::Write;

use clap::Args;

use crate::store::{SearchHitKind, Store};

/// `vigil search ...`
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The words to find; every word must match (a word's beginning is enough).
    #[arg(required = true)]
    pub text: Vec<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `vigil search ...`.
pub fn run(store: &Store, args: &SearchArgs) -> anyhow::Result<()> {
    let hits = store.search(&args.text.join(" "), args.limit)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &hits)?;
        writeln!(out)?;
        return Ok(());
    }
    for h in &hits {
        let kind = match h.kind {
            SearchHitKind::Postmortem => "postmortem",
            SearchHitKind::Incident => "incident",
        };
        writeln!(out, "{kind:<10}  {}  {}", h.id, h.title)?;
        writeln!(out, "            {}", h.snippet.replace('\n', " "))?;
    }
    writeln!(out, "{} results", hits.len())?;
    Ok(())
}
