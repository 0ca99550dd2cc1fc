//! `vigil sync pagerduty --base-url URL [--since DATE]`: syncs a PagerDuty account into the
//! database and prints one line saying what it did. The source is found by its base URL, or
//! created on first use; its token comes from `VIGIL_PAGERDUTY_TOKEN` or the OS keychain.

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use tracing::debug;
use vigil_core::SourceKind;

use crate::http;
use crate::store::{NewSource, Store};
use crate::sync::{sync_source, SyncOptions};

/// `vigil sync ...`
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// What to sync from.
    #[arg(value_enum)]
    pub kind: SyncKind,
    /// The API's base URL, such as https://api.pagerduty.com (http:// only to this machine).
    #[arg(long, value_name = "URL")]
    pub base_url: String,
    /// Fetch incidents created from this date or date-time on (ISO 8601, UTC unless a zone is
    /// given), instead of continuing from the last sync (the first one reaches back 180 days).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
}

/// The kinds of source the CLI syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyncKind {
    /// PagerDuty's REST API v2.
    Pagerduty,
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    vigil_core::time::parse_instant(text).map_err(|e| e.to_string())
}

/// Runs `vigil sync ...`.
pub fn run(store: &mut Store, args: &SyncArgs) -> anyhow::Result<()> {
    let kind = match args.kind {
        SyncKind::Pagerduty => SourceKind::PagerDuty,
    };
    // Checked before a source is created, so a refused URL leaves nothing behind.
    let url = http::parse_base_url(&args.base_url)?;
    let base_url = url.as_str().trim_end_matches('/').to_owned();
    let source = match store.source_by_kind_and_url(kind, Some(&base_url))? {
        Some(source) => source,
        None => {
            let host = match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => base_url.clone(),
            };
            let new = NewSource {
                kind,
                name: format!("{} ({host})", kind.label()),
                base_url: Some(base_url.clone()),
            };
            store.add_source(&new).context("cannot add the source")?
        }
    };

    let options = SyncOptions {
        since: args.since,
        ..SyncOptions::new(Utc::now())
    };
    let report = sync_source(store, source.id, &options, &mut |p| {
        debug!(stage = %p.stage, fraction = p.fraction, fetched = p.incidents_fetched, "sync");
    })
    .with_context(|| format!("the sync of {} failed", source.name))?;

    println!(
        "{}: {} incidents fetched, {} created, {} updated, {} timeline entries, {} requests",
        source.name,
        report.incidents_fetched,
        report.incidents_created,
        report.incidents_updated,
        report.events_fetched,
        report.requests
    );
    Ok(())
}
