//! `vigil sync <pagerduty|opsgenie|incidentio|grafana|statuspage|alertmanager> --base-url URL
//! [--page-id ID] [--since DATE]`: syncs a vendor account into the database and prints one line
//! saying what it did. The source is found by its kind and base URL (and, for Statuspage, its
//! page id), or created on first use; its token comes from `VIGIL_<KIND>_TOKEN`
//! (`VIGIL_OPSGENIE_TOKEN`, ...) or the OS keychain.

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use tracing::debug;
use vigil_core::SourceKind;

use crate::connectors::statuspage::PAGE_ID_OPTION;
use crate::http;
use crate::store::{NewSource, SourceRecord, Store};
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
    /// The Statuspage page to sync (required for statuspage, refused for the other kinds).
    #[arg(long, value_name = "ID", required_if_eq("kind", "statuspage"))]
    pub page_id: Option<String>,
    /// Fetch incidents created from this date or date-time on (ISO 8601, UTC unless a zone is
    /// given), instead of continuing from the last sync (the first one reaches back 180 days).
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    pub since: Option<DateTime<Utc>>,
}

/// The kinds of source the CLI syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SyncKind {
    /// PagerDuty's REST API v2 (https://api.pagerduty.com).
    Pagerduty,
    /// Opsgenie alerts and incidents (https://api.opsgenie.com, or https://api.eu.opsgenie.com
    /// for EU accounts). Opsgenie's support ends on 2027-04-05.
    Opsgenie,
    /// incident.io incidents (https://api.incident.io).
    #[value(name = "incidentio")]
    Incidentio,
    /// Grafana OnCall / Grafana Cloud IRM alert groups (the OnCall API URL of the stack).
    Grafana,
    /// Atlassian Statuspage incidents of one page (https://api.statuspage.io, with --page-id).
    Statuspage,
    /// Prometheus Alertmanager's current alerts (its URL, such as http://localhost:9093); an
    /// alert gone from the list is resolved at the time of the sync.
    Alertmanager,
}

impl SyncKind {
    /// The source kind it syncs.
    pub fn source_kind(self) -> SourceKind {
        match self {
            SyncKind::Pagerduty => SourceKind::PagerDuty,
            SyncKind::Opsgenie => SourceKind::Opsgenie,
            SyncKind::Incidentio => SourceKind::IncidentIo,
            SyncKind::Grafana => SourceKind::Grafana,
            SyncKind::Statuspage => SourceKind::Statuspage,
            SyncKind::Alertmanager => SourceKind::Alertmanager,
        }
    }
}

impl SyncArgs {
    /// A usage mistake clap cannot see by itself, in words; the CLI exits 2 with it.
    pub fn usage_problem(&self) -> Option<String> {
        let page_id = self.page_id.as_deref().map(str::trim);
        match (self.kind, page_id) {
            (SyncKind::Statuspage, None | Some("")) => Some(
                "statuspage needs the page to sync: add --page-id ID (the id in the page's \
                 API URL, https://api.statuspage.io/v1/pages/ID)"
                    .into(),
            ),
            (SyncKind::Statuspage, Some(_)) | (_, None) => None,
            (kind, Some(_)) => Some(format!(
                "--page-id is for statuspage only; {} takes none",
                kind.source_kind()
            )),
        }
    }
}

/// The source of this kind at this base URL (and, for Statuspage, of this page).
fn find_source(
    store: &Store,
    kind: SourceKind,
    base_url: &str,
    page_id: Option<&str>,
) -> anyhow::Result<Option<SourceRecord>> {
    let Some(page_id) = page_id else {
        return Ok(store.source_by_kind_and_url(kind, Some(base_url))?);
    };
    Ok(store.sources()?.into_iter().find(|s| {
        s.kind == kind
            && s.base_url.as_deref() == Some(base_url)
            && s.option_str(PAGE_ID_OPTION) == Some(page_id)
    }))
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    vigil_core::time::parse_instant(text).map_err(|e| e.to_string())
}

/// Runs `vigil sync ...`.
pub fn run(store: &mut Store, args: &SyncArgs) -> anyhow::Result<()> {
    let kind = args.kind.source_kind();
    // Checked before a source is created, so a refused URL leaves nothing behind.
    let url = http::parse_base_url(&args.base_url)?;
    let base_url = url.as_str().trim_end_matches('/').to_owned();
    let page_id = args.page_id.as_deref().map(str::trim);
    let source = match find_source(store, kind, &base_url, page_id)? {
        Some(source) => source,
        None => {
            let host = match (url.host_str(), url.port()) {
                (Some(host), Some(port)) => format!("{host}:{port}"),
                (Some(host), None) => host.to_owned(),
                (None, _) => base_url.clone(),
            };
            let name = match page_id {
                Some(page) => format!("{} ({host}, page {page})", kind.label()),
                None => format!("{} ({host})", kind.label()),
            };
            let new = NewSource {
                kind,
                name,
                base_url: Some(base_url.clone()),
            };
            let source = store.add_source(&new).context("cannot add the source")?;
            match page_id {
                Some(page) => {
                    let mut options = serde_json::Map::new();
                    options.insert(PAGE_ID_OPTION.into(), page.into());
                    store
                        .set_source_options(source.id, &options)
                        .context("cannot save the source's page id")?
                }
                None => source,
            }
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
