//! The Opsgenie connector: alerts from `GET /v2/alerts` and incidents from `GET /v1/incidents/`,
//! with `Authorization: GenieKey <key>`, on the US host (<https://api.opsgenie.com>, the default)
//! or the EU one (<https://api.eu.opsgenie.com>, given as the base URL).
//!
//! **Opsgenie's support ends on 2027-04-05** ([`END_OF_SUPPORT`]): Atlassian moves its customers
//! to Jira Service Management and Compass. After that date the API may stop answering; what a
//! source synced stays in the cache, and every sync from then on logs a warning saying so.
//!
//! Both lists page with `offset` and `limit` (at most 100), and `offset + limit` may not pass
//! 20,000, so they are read in `createdAt` windows; see [`plan`] for the order and the cursor.
//! An alert's acknowledgement and close come from its `report` (`ackTime`, `closeTime`: the
//! milliseconds from its creation). The incident API exists only on the Standard and Enterprise
//! plans; an account without it (HTTP 402 or 403 there) syncs its alerts alone.

pub mod model;
pub mod plan;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use tracing::{debug, info, warn};
use url::Url;
use vigil_core::SourceKind;

use self::model::{ListPage, OneRecord, INCIDENT_PREFIX};
use self::plan::{Cursor, Phase, RunPlan};
use crate::connectors::api::{self, ApiRoot};
use crate::connectors::Connector;
use crate::error::Result;
use crate::http::RemoteError;
use crate::secrets::Token;
use crate::store::IncomingIncident;
use crate::sync::SyncRun;

/// Opsgenie's US API, where a source has no base URL of its own.
pub const DEFAULT_BASE_URL: &str = "https://api.opsgenie.com";

/// Opsgenie's EU API, for accounts hosted in the EU.
pub const EU_BASE_URL: &str = "https://api.eu.opsgenie.com";

/// The day Atlassian ends Opsgenie's support.
pub const END_OF_SUPPORT: &str = "2027-04-05";

/// Records per page: Opsgenie's largest.
pub const PAGE_LIMIT: u32 = 100;

/// Opsgenie's pagination cap: `offset + limit` may not pass it.
pub const OFFSET_CAP: u32 = 20_000;

/// One Opsgenie account.
#[derive(Debug)]
pub struct Opsgenie {
    root: ApiRoot,
    /// Accept and Authorization; the key is marked sensitive, so it never prints.
    headers: HeaderMap,
}

/// What a run carries from page to page.
struct RunState {
    plan: RunPlan,
    synced_until_before: Option<DateTime<Utc>>,
    offset_cap: u32,
}

impl RunState {
    fn cursor(&self) -> String {
        api::cursor_json(&Cursor::after(&self.plan, self.synced_until_before))
    }

    /// Moves past a stored page of a window: the next page, or the next window when this one
    /// is exhausted or paging could not go further.
    fn advance(&mut self, more: bool) {
        if more && self.plan.offset + 2 * PAGE_LIMIT <= self.offset_cap {
            self.plan.next_page(PAGE_LIMIT);
            return;
        }
        if more {
            warn!(phase = ?self.plan.phase, since = %self.plan.window_since,
                  until = %self.plan.window_until, cap = self.offset_cap,
                  "Opsgenie holds more records than paging can reach; the rest is skipped");
        }
        self.plan.window_done();
    }
}

impl Opsgenie {
    /// A connector for the API at `base_url` (Opsgenie's US host when `None`) with `key`.
    pub fn new(base_url: Option<&str>, key: Token) -> Result<Self> {
        let root = ApiRoot::new(base_url, DEFAULT_BASE_URL)?;
        let headers = api::json_headers("Opsgenie", &format!("GenieKey {}", key.expose()))?;
        Ok(Opsgenie { root, headers })
    }

    /// The list request of the plan's current page.
    fn list_url(&self, plan: &RunPlan) -> Result<Url> {
        let millis = |t: DateTime<Utc>| t.timestamp_millis();
        let (path, query, sort, order) = match plan.phase {
            Phase::Incidents => (
                "v1/incidents/",
                window_query(millis(plan.window_since), millis(plan.window_until)),
                "createdAt",
                "asc",
            ),
            Phase::ChangedAlerts => (
                "v2/alerts",
                format!("createdAt < {}", millis(plan.since)),
                "updatedAt",
                "desc",
            ),
            _ => (
                "v2/alerts",
                window_query(millis(plan.window_since), millis(plan.window_until)),
                "createdAt",
                "asc",
            ),
        };
        let mut url = self.root.endpoint(path)?;
        url.query_pairs_mut()
            .append_pair("query", &query)
            .append_pair("limit", &PAGE_LIMIT.to_string())
            .append_pair("offset", &plan.offset.to_string())
            .append_pair("sort", sort)
            .append_pair("order", order);
        Ok(url)
    }
}

/// [`END_OF_SUPPORT`] as an instant (midnight UTC).
fn end_of_support() -> DateTime<Utc> {
    vigil_core::time::parse_instant(END_OF_SUPPORT).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The search query of a creation window, `[since, until)` in Unix milliseconds.
fn window_query(since: i64, until: i64) -> String {
    format!("createdAt >= {since} AND createdAt < {until}")
}

/// Whether an error from the incident API means the account's plan has none.
fn incidents_not_on_plan(e: &RemoteError) -> bool {
    matches!(
        e,
        RemoteError::Status { status: 402, .. } | RemoteError::Unauthorized { status: 403, .. }
    )
}

impl Connector for Opsgenie {
    fn kind(&self) -> SourceKind {
        SourceKind::Opsgenie
    }

    fn sync(&mut self, run: &mut SyncRun<'_>) -> Result<()> {
        let options = run.options();
        let until = options.now;
        let since_asked = options.since;
        let offset_cap = options
            .opsgenie_offset_cap
            .clamp(2 * PAGE_LIMIT, OFFSET_CAP);
        let cursor: Cursor = api::parse_cursor("Opsgenie", run.source().sync_cursor.as_deref());
        if until >= end_of_support() {
            warn!(
                "Opsgenie's support ended on {END_OF_SUPPORT}; its API may no longer answer, \
                   and what this source synced before stays in the cache"
            );
        }

        let plan = match (since_asked, cursor.run) {
            (None, Some(plan)) => {
                info!(phase = ?plan.phase, window_since = %plan.window_since,
                      "resuming an interrupted Opsgenie sync");
                plan
            }
            _ => {
                let changed_since = cursor.synced_until.map(|t| t - plan::overlap());
                let since = since_asked
                    .or(changed_since)
                    .unwrap_or(until - plan::initial_lookback());
                RunPlan::start(since, until, changed_since)
            }
        };
        let mut state = RunState {
            plan,
            synced_until_before: cursor.synced_until,
            offset_cap,
        };
        if state.plan.phase == Phase::Done {
            return run.write_cursor(&state.cursor());
        }
        while state.plan.phase != Phase::Done {
            match state.plan.phase {
                Phase::Alerts | Phase::Incidents => self.window_page(run, &mut state)?,
                Phase::ChangedAlerts => self.changed_alerts_page(run, &mut state)?,
                Phase::OpenIncidents => self.open_incidents(run, &mut state)?,
                Phase::Done => {}
            }
        }
        Ok(())
    }
}

impl Opsgenie {
    /// One page of a creation window, alerts or incidents.
    fn window_page(&self, run: &mut SyncRun<'_>, state: &mut RunState) -> Result<()> {
        let phase = state.plan.phase;
        let url = self.list_url(&state.plan)?;
        let page: ListPage = match run.http().get_json(&url, &self.headers) {
            Ok(page) => page,
            Err(e) if phase == Phase::Incidents && incidents_not_on_plan(&e) => {
                info!(error = %e, "this Opsgenie account has no incident API (it comes with the \
                      Standard and Enterprise plans); syncing its alerts alone");
                state.plan.incidents_unavailable = true;
                state.plan.window_until = state.plan.until;
                state.plan.window_done();
                return run.write_cursor(&state.cursor());
            }
            Err(e) => return Err(e.into()),
        };

        let more = page.data.len() as u32 >= PAGE_LIMIT;
        let cap = u64::from(state.offset_cap);
        let too_many = state.plan.offset == 0 && page.total_count.is_some_and(|t| t > cap);
        let next_passes = more && state.plan.offset + 2 * PAGE_LIMIT > state.offset_cap;
        if (too_many || next_passes) && state.plan.split() {
            debug!(?phase, since = %state.plan.window_since, half_until = %state.plan.window_until,
                   "a window holds more than paging reaches; halving it");
            return run.write_cursor(&state.cursor());
        }

        let map = match phase {
            Phase::Incidents => model::incident_from_json,
            _ => model::alert_from_json,
        };
        let incidents = map_all(&url, &page.data, map)?;
        let stage = stage(phase, &state.plan);
        state.advance(more);
        run.write_page(&incidents, &[], &state.cursor())?;
        run.report_progress(stage, state.plan.fraction());
        Ok(())
    }

    /// One page of the older alerts, most recently updated first; the walk ends at the first
    /// alert not changed since the last sync.
    fn changed_alerts_page(&self, run: &mut SyncRun<'_>, state: &mut RunState) -> Result<()> {
        let url = self.list_url(&state.plan)?;
        let page: ListPage = run.http().get_json(&url, &self.headers)?;
        let changed_since = state.plan.changed_since.unwrap_or(state.plan.since);
        let (changed, unchanged): (Vec<_>, Vec<_>) = page
            .data
            .iter()
            .partition(|v| model::updated_at(v).is_none_or(|at| at >= changed_since));
        let changed: Vec<serde_json::Value> = changed.into_iter().cloned().collect();
        let incidents = map_all(&url, &changed, model::alert_from_json)?;

        let more = page.data.len() as u32 >= PAGE_LIMIT && unchanged.is_empty();
        debug!(
            changed = incidents.len(),
            more, "older Opsgenie alerts changed since the last sync"
        );
        state.advance(more);
        run.write_page(&incidents, &[], &state.cursor())?;
        run.report_progress("changed alerts".into(), state.plan.fraction());
        Ok(())
    }

    /// Re-reads the cache's open incidents created before the range, which the creation
    /// windows no longer reach; one gone from Opsgenie (404) is left as stored.
    fn open_incidents(&self, run: &mut SyncRun<'_>, state: &mut RunState) -> Result<()> {
        let open = run.open_incidents_created_before(state.plan.since)?;
        let mut incidents = Vec::new();
        for id in open
            .iter()
            .filter_map(|id| id.strip_prefix(INCIDENT_PREFIX))
        {
            let mut url = self.root.endpoint(&format!("v1/incidents/{id}"))?;
            url.query_pairs_mut().append_pair("identifierType", "id");
            let record: OneRecord = match run.http().get_json(&url, &self.headers) {
                Ok(record) => record,
                Err(RemoteError::Status { status: 404, .. }) => {
                    debug!(incident = id, "an open incident is gone from Opsgenie");
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            incidents.extend(map_all(
                &url,
                std::slice::from_ref(&record.data),
                model::incident_from_json,
            )?);
        }
        state.plan.window_done();
        run.write_page(&incidents, &[], &state.cursor())?;
        run.report_progress("open incidents".into(), state.plan.fraction());
        Ok(())
    }
}

/// Maps every record of a page, or names the first that does not map.
fn map_all(
    url: &Url,
    values: &[serde_json::Value],
    map: fn(&serde_json::Value) -> std::result::Result<IncomingIncident, String>,
) -> Result<Vec<IncomingIncident>> {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| map(value).map_err(|reason| api::malformed(url, i, value, &reason)))
        .collect()
}

/// A progress line such as "alerts 2026-05-01 to 2026-05-31".
fn stage(phase: Phase, plan: &RunPlan) -> String {
    let what = match phase {
        Phase::Incidents => "incidents",
        _ => "alerts",
    };
    format!(
        "{what} {} to {}",
        plan.window_since.format("%Y-%m-%d"),
        plan.window_until.format("%Y-%m-%d")
    )
}
