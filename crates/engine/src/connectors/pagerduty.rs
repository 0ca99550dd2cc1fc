//! The PagerDuty REST API v2 connector.
//!
//! Incidents come from `GET /incidents` and their timelines, in bulk, from the account-wide
//! `GET /log_entries` over the same time windows (one request per page of entries, never one per
//! incident). Both are read in windows of at most 30 days with explicit UTC bounds, and with
//! classic offset pagination, which PagerDuty caps at 10,000 records: a window holding more is
//! halved. See [`plan`] for the order of windows and the cursor that makes a run resumable.
//!
//! A later sync fetches the incidents created since the last one (less a small overlap) and,
//! through the log entries written since then, every change to the incidents already stored:
//! acknowledged, resolved, reopened.

pub mod model;
pub mod plan;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION};
use tracing::{debug, info, warn};
use url::Url;
use vigil_core::time::to_rfc3339_utc;
use vigil_core::SourceKind;

use self::model::{IncidentEnvelope, IncidentList, LogEntryList, RESOLVE_LOG_ENTRY};
use self::plan::{Cursor, Phase, RunPlan};
use crate::connectors::Connector;
use crate::error::{EngineError, Result};
use crate::http::{self, RemoteError};
use crate::secrets::Token;
use crate::store::IncomingIncident;
use crate::sync::{IncidentEvent, SyncRun};

/// PagerDuty's API, where a source has no base URL of its own.
pub const DEFAULT_BASE_URL: &str = "https://api.pagerduty.com";

/// Records per page: PagerDuty's largest.
pub const PAGE_LIMIT: u32 = 100;

/// PagerDuty's classic pagination cap: `offset + limit` may not pass it.
pub const OFFSET_CAP: u32 = 10_000;

/// The source option that limits a sync to the incidents of one `incident_key` (the
/// deduplication key an integration sends), for a team that tracks one alert stream.
pub const INCIDENT_KEY_OPTION: &str = "incident_key";

/// The media type that selects version 2 of the API.
const ACCEPT_V2: &str = "application/vnd.pagerduty+json;version=2";

/// One PagerDuty account.
#[derive(Debug)]
pub struct PagerDuty {
    base: Url,
    /// Accept and Authorization; the token's value is marked sensitive, so it never prints.
    headers: HeaderMap,
}

impl PagerDuty {
    /// A connector for the API at `base_url` (PagerDuty's own when `None`) with `token`.
    pub fn new(base_url: Option<&str>, token: Token) -> Result<Self> {
        let mut base = http::parse_base_url(base_url.unwrap_or(DEFAULT_BASE_URL))?;
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let mut auth =
            HeaderValue::from_str(&format!("Token token={}", token.expose())).map_err(|_| {
                EngineError::BadInput(
                    "the PagerDuty token holds characters that cannot be sent: paste it again"
                        .into(),
                )
            })?;
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_V2));
        headers.insert(AUTHORIZATION, auth);
        Ok(PagerDuty { base, headers })
    }

    fn endpoint(&self, path: &str) -> Result<Url> {
        self.base.join(path).map_err(|e| {
            EngineError::BadInput(format!(
                "the base URL {} cannot be extended: {e}",
                self.base
            ))
        })
    }

    /// The request for the current page of the plan's window.
    fn page_url(&self, plan: &RunPlan, incident_key: Option<&str>) -> Result<Url> {
        let mut url = self.endpoint(match plan.phase {
            Phase::Incidents => "incidents",
            Phase::LogEntries => "log_entries",
        })?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("limit", &PAGE_LIMIT.to_string())
                .append_pair("offset", &plan.offset.to_string())
                .append_pair("since", &to_rfc3339_utc(plan.window_since))
                .append_pair("until", &to_rfc3339_utc(plan.window_until))
                .append_pair("time_zone", "UTC");
            if plan.offset == 0 {
                // The count tells at once whether the window must be split.
                q.append_pair("total", "true");
            }
            match plan.phase {
                Phase::Incidents => {
                    q.append_pair("sort_by", "created_at:asc")
                        .append_pair("include[]", "services")
                        .append_pair("include[]", "teams");
                    if let Some(key) = incident_key {
                        q.append_pair("incident_key", key);
                    }
                }
                Phase::LogEntries => {
                    q.append_pair("is_overview", "false");
                }
            }
        }
        Ok(url)
    }
}

/// What a run carries from page to page.
struct RunState {
    plan: RunPlan,
    synced_until_before: Option<DateTime<Utc>>,
    offset_cap: u32,
    /// Incidents whose record was fetched in this process: no need to re-read them.
    fetched: HashSet<String>,
    /// Only incidents with this `incident_key`, when the source's option sets one.
    incident_key: Option<String>,
}

impl RunState {
    fn cursor(&self) -> String {
        Cursor::after(&self.plan, self.synced_until_before).to_json()
    }

    /// Whether the window holds more than paging may reach: the count says so on the first
    /// page, or the next page would pass the cap.
    fn beyond_cap(&self, total: Option<u64>, more: bool) -> bool {
        let cap = u64::from(self.offset_cap);
        let too_many = self.plan.offset == 0 && total.is_some_and(|t| t > cap);
        let next_passes = more && u64::from(self.plan.offset + 2 * PAGE_LIMIT) > cap;
        too_many || next_passes
    }

    /// Moves past a page that was stored.
    fn advance(&mut self, more: bool) {
        if more && self.plan.offset + 2 * PAGE_LIMIT <= self.offset_cap {
            self.plan.next_page(PAGE_LIMIT);
            return;
        }
        if more {
            warn!(since = %self.plan.window_since, until = %self.plan.window_until,
                  cap = self.offset_cap,
                  "PagerDuty holds more records in under two seconds than paging can reach; \
                   the rest of this window is skipped");
        }
        self.plan.window_done();
    }
}

impl Connector for PagerDuty {
    fn kind(&self) -> SourceKind {
        SourceKind::PagerDuty
    }

    fn sync(&mut self, run: &mut SyncRun<'_>) -> Result<()> {
        let options = run.options();
        let until = ceil_to_second(options.now);
        let since_asked = options.since;
        let offset_cap = options.offset_cap.max(2 * PAGE_LIMIT);
        let cursor = Cursor::parse(run.source().sync_cursor.as_deref());

        let plan = match (since_asked, cursor.run) {
            (None, Some(plan)) => {
                info!(window_since = %plan.window_since, phase = ?plan.phase,
                      "resuming an interrupted PagerDuty sync");
                plan
            }
            _ => {
                let since = since_asked
                    .or(cursor.synced_until.map(|t| t - plan::overlap()))
                    .unwrap_or(until - plan::initial_lookback());
                RunPlan::start(since, until, cursor.synced_until.is_some())
            }
        };
        let mut state = RunState {
            plan,
            synced_until_before: cursor.synced_until,
            offset_cap,
            fetched: HashSet::new(),
            incident_key: run
                .source()
                .option_str(INCIDENT_KEY_OPTION)
                .map(str::to_owned),
        };

        if state.plan.is_done() {
            return run.write_cursor(&state.cursor());
        }
        while !state.plan.is_done() {
            match state.plan.phase {
                Phase::Incidents => self.incidents_page(run, &mut state)?,
                Phase::LogEntries => self.log_entries_page(run, &mut state)?,
            }
        }
        Ok(())
    }
}

impl PagerDuty {
    fn incidents_page(&self, run: &mut SyncRun<'_>, state: &mut RunState) -> Result<()> {
        let url = self.page_url(&state.plan, state.incident_key.as_deref())?;
        let page: IncidentList = run.http().get_json(&url, &self.headers)?;
        if state.beyond_cap(page.total, page.more) && self.split(run, state)? {
            return Ok(());
        }

        let incidents = page
            .incidents
            .iter()
            .enumerate()
            .map(|(i, value)| {
                model::incident_from_json(value).map_err(|reason| malformed(&url, i, value, reason))
            })
            .collect::<Result<Vec<IncomingIncident>>>()?;
        state
            .fetched
            .extend(incidents.iter().map(|i| i.external_id.clone()));
        let stage = stage("incidents", &state.plan);
        state.advance(page.more);
        run.write_page(&incidents, &[], &state.cursor())?;
        run.report_progress(stage, state.plan.fraction());
        Ok(())
    }

    fn log_entries_page(&self, run: &mut SyncRun<'_>, state: &mut RunState) -> Result<()> {
        // Log entries have no incident_key filter: those of other incidents are skipped when
        // written, as entries of incidents outside the cache are.
        let url = self.page_url(&state.plan, None)?;
        let page: LogEntryList = run.http().get_json(&url, &self.headers)?;
        if state.beyond_cap(page.total, page.more) && self.split(run, state)? {
            return Ok(());
        }

        let events: Vec<IncidentEvent> = page
            .log_entries
            .iter()
            .filter_map(model::event_from_log_entry)
            .collect();
        let refreshed = if state.plan.refresh_resolved {
            self.refresh_resolved(run, state, &events)?
        } else {
            Vec::new()
        };
        let stage = stage("timelines", &state.plan);
        state.advance(page.more);
        run.write_page(&refreshed, &events, &state.cursor())?;
        run.report_progress(stage, state.plan.fraction());
        Ok(())
    }

    /// Re-reads the records of incidents resolved in these entries that this run has not
    /// fetched, so a merge into another incident is seen. An incident gone from PagerDuty
    /// (404) is left as stored.
    fn refresh_resolved(
        &self,
        run: &mut SyncRun<'_>,
        state: &mut RunState,
        events: &[IncidentEvent],
    ) -> Result<Vec<IncomingIncident>> {
        let mut refreshed = Vec::new();
        for e in events {
            if e.event.vendor_type.as_deref() != Some(RESOLVE_LOG_ENTRY)
                || !state.fetched.insert(e.incident.clone())
            {
                continue;
            }
            let url = self.endpoint(&format!("incidents/{}", e.incident))?;
            let envelope: IncidentEnvelope = match run.http().get_json(&url, &self.headers) {
                Ok(envelope) => envelope,
                Err(RemoteError::Status { status: 404, .. }) => {
                    debug!(incident = %e.incident, "a resolved incident is gone from PagerDuty");
                    continue;
                }
                Err(other) => return Err(other.into()),
            };
            if let Some(key) = &state.incident_key {
                if envelope
                    .incident
                    .get("incident_key")
                    .and_then(|k| k.as_str())
                    != Some(key)
                {
                    continue;
                }
            }
            let incident = model::incident_from_json(&envelope.incident)
                .map_err(|reason| malformed(&url, 0, &envelope.incident, reason))?;
            refreshed.push(incident);
        }
        Ok(refreshed)
    }

    /// Halves the window; `false` when it is too short to halve.
    fn split(&self, run: &mut SyncRun<'_>, state: &mut RunState) -> Result<bool> {
        let (since, until) = (state.plan.window_since, state.plan.window_until);
        if !state.plan.split() {
            return Ok(false);
        }
        debug!(phase = ?state.plan.phase, %since, %until, half_until = %state.plan.window_until,
               "a window holds more than paging reaches; halving it");
        run.write_cursor(&state.cursor())?;
        Ok(true)
    }
}

fn malformed(url: &Url, index: usize, value: &serde_json::Value, reason: String) -> EngineError {
    RemoteError::Malformed {
        url: http::loggable(url),
        reason: format!("record {index}: {reason}"),
        snippet: http::snippet(value.to_string().as_bytes()),
    }
    .into()
}

/// A progress line such as "incidents 2026-05-01 to 2026-05-31".
fn stage(what: &str, plan: &RunPlan) -> String {
    format!(
        "{what} {} to {}",
        plan.window_since.format("%Y-%m-%d"),
        plan.window_until.format("%Y-%m-%d")
    )
}

/// Rounds up to a whole second: the API's instants have none, and rounding down could leave an
/// incident created in the last fraction of a second outside the range.
fn ceil_to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    let secs = at.timestamp() + i64::from(at.timestamp_subsec_nanos() > 0);
    DateTime::from_timestamp(secs, 0).unwrap_or(at)
}
