//! The sync engine: runs a source's connector and writes what it fetches into the store, one page
//! per transaction together with the connector's cursor, so a sync that is stopped at any point
//! resumes where it was and never leaves half a page behind.
//!
//! ```no_run
//! use vigil_engine::sync::{sync_source, SyncOptions};
//! # fn demo(store: &mut vigil_engine::Store, id: vigil_core::SourceId) -> vigil_engine::Result<()> {
//! let report = sync_source(store, id, &SyncOptions::new(chrono::Utc::now()), &mut |_| {})?;
//! tracing::info!(created = report.incidents_created, "synced");
//! # Ok(()) }
//! ```

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use tracing::{debug, error, info, warn};
use vigil_core::api::{SyncProgress, SyncReport};
use vigil_core::{IncidentId, SourceId, SourceKind};

use crate::connectors::alertmanager::{self, Alertmanager};
use crate::connectors::grafana::Grafana;
use crate::connectors::incidentio::IncidentIo;
use crate::connectors::opsgenie::{self, Opsgenie};
use crate::connectors::pagerduty::{PagerDuty, OFFSET_CAP};
use crate::connectors::statuspage::Statuspage;
use crate::connectors::Connector;
use crate::error::Result;
use crate::http::{HttpClient, HttpSettings};
use crate::secrets;
use crate::store::{
    add_events_changed_tx, find_incident_tx, remove_incident_tx, set_cursor_tx, upsert_incident_tx,
    IncomingEvent, IncomingIncident, SourceRecord, Store, UpsertOutcome,
};

/// What a sync is asked to do.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Fetch incidents created from this instant on, instead of continuing from the last sync
    /// (or reaching back 180 days on the first one).
    pub since: Option<DateTime<Utc>>,
    /// The sync's "now": the end of the range it fetches. Tests pin it.
    pub now: DateTime<Utc>,
    /// Timeouts and retry delays of the HTTP client.
    pub http: HttpSettings,
    /// The vendor's pagination cap: `offset + limit` may not pass it (PagerDuty: 10,000). Tests
    /// lower it, together with their server's, to exercise the window split quickly.
    pub offset_cap: u32,
    /// Opsgenie's pagination cap (20,000), lowered by tests in the same way.
    pub opsgenie_offset_cap: u32,
}

impl SyncOptions {
    /// The defaults, with `now` as the end of the range.
    pub fn new(now: DateTime<Utc>) -> Self {
        SyncOptions {
            since: None,
            now,
            http: HttpSettings::default(),
            offset_cap: OFFSET_CAP,
            opsgenie_offset_cap: opsgenie::OFFSET_CAP,
        }
    }
}

/// Syncs one source: fetches what changed since its last sync and writes it into the store.
///
/// The outcome is recorded on the source (`last_success_at`, or `last_error` with the error's
/// message); a failure keeps everything stored before it. The demo and file sources have nothing
/// to fetch and return an empty report.
pub fn sync_source(
    store: &mut Store,
    source_id: SourceId,
    options: &SyncOptions,
    progress: &mut dyn FnMut(&SyncProgress),
) -> Result<SyncReport> {
    sync_source_with_changes(store, source_id, options, progress, &mut Vec::new())
}

/// [`sync_source`], also appending to `changes` every incident a committed page created, changed
/// or added timeline entries to (an escalation changes no field; an incident may appear more
/// than once), failed syncs included: what alerting evaluates after the sync.
pub fn sync_source_with_changes(
    store: &mut Store,
    source_id: SourceId,
    options: &SyncOptions,
    progress: &mut dyn FnMut(&SyncProgress),
    changes: &mut Vec<(IncidentId, UpsertOutcome)>,
) -> Result<SyncReport> {
    let source = store.source(source_id)?;
    if matches!(source.kind, SourceKind::Demo | SourceKind::File) {
        debug!(source = %source.name, "the demo and file sources have nothing to sync");
        return Ok(SyncReport::default());
    }
    info!(source = %source.name, kind = %source.kind, "sync started");

    let mut fetched = 0;
    match run_connector(store, &source, options, progress, &mut fetched, changes) {
        Ok(report) => {
            store.record_sync_success(source_id, report.incidents_fetched)?;
            info!(source = %source.name, fetched = report.incidents_fetched,
                  created = report.incidents_created, updated = report.incidents_updated,
                  events = report.events_fetched, requests = report.requests, "sync finished");
            Ok(report)
        }
        Err(e) => {
            error!(source = %source.name, error = %e, "sync failed");
            if let Err(record) = store.record_sync_failure(source_id, &e.to_string(), fetched) {
                warn!(error = %record, "the sync's failure could not be recorded on the source");
            }
            Err(e)
        }
    }
}

/// Builds the source's connector and runs it; `fetched` keeps the count and `changes` the
/// changed incidents when it fails.
fn run_connector(
    store: &mut Store,
    source: &SourceRecord,
    options: &SyncOptions,
    progress: &mut dyn FnMut(&SyncProgress),
    fetched: &mut u64,
    changes: &mut Vec<(IncidentId, UpsertOutcome)>,
) -> Result<SyncReport> {
    let base_url = source.base_url.as_deref();
    let mut connector: Box<dyn Connector> = match source.kind {
        SourceKind::PagerDuty => {
            Box::new(PagerDuty::new(base_url, secrets::require_token(source)?)?)
        }
        SourceKind::Opsgenie => Box::new(Opsgenie::new(base_url, secrets::require_token(source)?)?),
        SourceKind::IncidentIo => {
            Box::new(IncidentIo::new(base_url, secrets::require_token(source)?)?)
        }
        SourceKind::Grafana => Box::new(Grafana::new(base_url, secrets::require_token(source)?)?),
        SourceKind::Statuspage => Box::new(Statuspage::new(
            base_url,
            source.option_str(crate::connectors::statuspage::PAGE_ID_OPTION),
            secrets::require_token(source)?,
        )?),
        SourceKind::Alertmanager => Box::new(Alertmanager::new(
            base_url,
            alertmanager::optional_token(source),
            &store.incidents_of_source(source.id)?,
        )?),
        SourceKind::Demo | SourceKind::File => return Ok(SyncReport::default()),
    };
    let mut run = SyncRun::new(store, source.clone(), options, progress)?;
    let outcome = connector.sync(&mut run);
    *fetched = run.report.incidents_fetched;
    changes.append(&mut run.changes);
    outcome.map(|()| run.finish())
}

/// A timeline entry together with the vendor id of the incident it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentEvent {
    /// The vendor's id of the incident.
    pub incident: String,
    /// The entry.
    pub event: IncomingEvent,
}

/// One running sync, as a connector sees it: the source, the options, the shared HTTP client,
/// and the one way to write into the store (a page and its cursor, together).
pub struct SyncRun<'a> {
    store: &'a mut Store,
    source: SourceRecord,
    options: &'a SyncOptions,
    http: HttpClient,
    progress: &'a mut dyn FnMut(&SyncProgress),
    report: SyncReport,
    created: HashSet<String>,
    updated: HashSet<String>,
    changes: Vec<(IncidentId, UpsertOutcome)>,
}

impl std::fmt::Debug for SyncRun<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncRun")
            .field("source", &self.source.id)
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

impl<'a> SyncRun<'a> {
    /// A run over `store` for `source`.
    pub fn new(
        store: &'a mut Store,
        source: SourceRecord,
        options: &'a SyncOptions,
        progress: &'a mut dyn FnMut(&SyncProgress),
    ) -> Result<Self> {
        let http = HttpClient::new(options.http.clone())?;
        Ok(SyncRun {
            store,
            source,
            options,
            http,
            progress,
            report: SyncReport::default(),
            created: HashSet::new(),
            updated: HashSet::new(),
            changes: Vec::new(),
        })
    }

    /// The source being synced, as it was when the run started (its cursor included).
    pub fn source(&self) -> &SourceRecord {
        &self.source
    }

    /// What the run was asked to do.
    pub fn options(&self) -> &SyncOptions {
        self.options
    }

    /// The HTTP client; every request of the run goes through it, so the report counts them.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// Writes a page in one transaction: the incidents first, then the timeline entries (an
    /// entry for an incident the cache does not know is skipped), then the cursor that says
    /// what to fetch next. Either all of it lands or none.
    pub fn write_page(
        &mut self,
        incidents: &[IncomingIncident],
        events: &[IncidentEvent],
        cursor: &str,
    ) -> Result<()> {
        self.write_page_removing(incidents, events, &[], cursor)
    }

    /// [`SyncRun::write_page`], also removing the incidents the vendor now says are none (a
    /// declined triage, a test incident, a maintenance), all in the same transaction.
    pub fn write_page_removing(
        &mut self,
        incidents: &[IncomingIncident],
        events: &[IncidentEvent],
        removed: &[String],
        cursor: &str,
    ) -> Result<()> {
        let source = self.source.id;
        let mut by_incident: BTreeMap<&str, Vec<IncomingEvent>> = BTreeMap::new();
        for e in events {
            by_incident
                .entry(e.incident.as_str())
                .or_default()
                .push(e.event.clone());
        }

        let (created, updated, changes) = self.store.write(|tx| {
            let mut created = Vec::new();
            let mut updated = Vec::new();
            let mut changes = Vec::new();
            for incident in incidents {
                let (id, outcome) = upsert_incident_tx(tx, source, incident)?;
                match outcome {
                    UpsertOutcome::Created => created.push(incident.external_id.clone()),
                    UpsertOutcome::Updated => updated.push(incident.external_id.clone()),
                    UpsertOutcome::Unchanged => continue,
                }
                changes.push((id, outcome));
            }
            for (external_id, entries) in &by_incident {
                let Some(id) = find_incident_tx(tx, source, external_id)? else {
                    debug!(
                        incident = external_id,
                        entries = entries.len(),
                        "timeline entries of an incident outside the cache skipped"
                    );
                    continue;
                };
                let (added, changed) = add_events_changed_tx(tx, id, entries)?;
                if changed {
                    updated.push((*external_id).to_owned());
                }
                if changed || added > 0 {
                    changes.push((id, UpsertOutcome::Updated));
                }
            }
            let mut gone = 0;
            for external_id in removed {
                gone += usize::from(remove_incident_tx(tx, source, external_id)?);
            }
            if gone > 0 {
                debug!(
                    removed = gone,
                    "incidents the vendor no longer counts were removed"
                );
            }
            set_cursor_tx(tx, source, cursor)?;
            Ok((created, updated, changes))
        })?;

        self.report.incidents_fetched += incidents.len() as u64;
        self.report.events_fetched += events.len() as u64;
        self.created.extend(created);
        self.updated.extend(updated);
        self.changes.extend(changes);
        Ok(())
    }

    /// The vendor ids of this source's stored open incidents created before `before`: what a
    /// connector whose API has no "updated since" filter re-reads one by one.
    pub fn open_incidents_created_before(&self, before: DateTime<Utc>) -> Result<Vec<String>> {
        self.store
            .open_incidents_created_before(self.source.id, before)
    }

    /// Saves the cursor alone (a plan changed without new data, such as a split window).
    pub fn write_cursor(&mut self, cursor: &str) -> Result<()> {
        let source = self.source.id;
        self.store.write(|tx| set_cursor_tx(tx, source, cursor))
    }

    /// Tells the window how far the run is; `fraction` is of the time range, 0 to 1.
    pub fn report_progress(&mut self, stage: String, fraction: f64) {
        let progress = SyncProgress {
            source_id: self.source.id,
            stage,
            fraction: fraction.clamp(0.0, 1.0),
            incidents_fetched: self.report.incidents_fetched,
        };
        (self.progress)(&progress);
    }

    /// The report of a run that went through.
    fn finish(mut self) -> SyncReport {
        self.report.incidents_created = self.created.len() as u64;
        self.report.incidents_updated = self
            .updated
            .iter()
            .filter(|id| !self.created.contains(*id))
            .count() as u64;
        self.report.requests = self.http.requests();
        self.report
    }
}
