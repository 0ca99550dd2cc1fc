//! The incident.io connector: incidents from `GET /v2/incidents` with
//! `Authorization: Bearer <key>`, on <https://api.incident.io> unless the source names another
//! base URL.
//!
//! The list pages with an `after` cursor (`pagination_meta.after`, up to 250 records a page) and
//! filters on `created_at` and `updated_at`; see [`plan`] for which walk a sync takes and what
//! the source remembers. Only `standard` and `retrospective` incidents are asked for (the API's
//! own default, stated so a change of default cannot bring tests in), and the mapping leaves
//! out any other mode again, with declined and canceled incidents: those are no incidents for
//! Vigil, and one stored before it was declined is removed in the same transaction as its page.
//! A merged incident is kept and flagged; the incident it joined is read from its updates
//! (`GET /v2/incident_updates`), one request per merged incident on the page.
//!
//! Not read yet: the incident's role assignments and custom fields (so `service` and `team`
//! stay empty; mapping an account's "Affected service" field would fill them), and its updates
//! as a timeline (the timestamps already give every milestone Vigil computes with).

pub mod model;
pub mod plan;
pub mod timestamps;

use reqwest::header::HeaderMap;
use tracing::{debug, info, warn};
use url::Url;
use vigil_core::SourceKind;

use self::model::{ListPage, Mapped, UpdatesPage};
use self::plan::{Cursor, DateField, RunPlan};
use crate::connectors::api::{self, ApiRoot};
use crate::connectors::Connector;
use crate::error::Result;
use crate::http::RemoteError;
use crate::secrets::Token;
use crate::store::IncomingIncident;
use crate::sync::SyncRun;

/// incident.io's API, where a source has no base URL of its own.
pub const DEFAULT_BASE_URL: &str = "https://api.incident.io";

/// Records per page: incident.io's largest.
pub const PAGE_SIZE: u32 = 250;

/// The incident list, under the base URL.
const LIST_PATH: &str = "v2/incidents";

/// The status updates of an incident, under the base URL.
const UPDATES_PATH: &str = "v2/incident_updates";

/// One incident.io account.
#[derive(Debug)]
pub struct IncidentIo {
    root: ApiRoot,
    /// Accept and Authorization; the key is marked sensitive, so it never prints.
    headers: HeaderMap,
}

impl IncidentIo {
    /// A connector for the API at `base_url` (incident.io's own when `None`) with `key`.
    pub fn new(base_url: Option<&str>, key: Token) -> Result<Self> {
        let root = ApiRoot::new(base_url, DEFAULT_BASE_URL)?;
        let headers = api::json_headers("incident.io", &format!("Bearer {}", key.expose()))?;
        Ok(IncidentIo { root, headers })
    }

    /// The list request of the plan's next page.
    fn list_url(&self, plan: &RunPlan) -> Result<Url> {
        let mut url = self.root.endpoint(LIST_PATH)?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("page_size", &PAGE_SIZE.to_string())
                .append_pair(
                    plan.field.param(),
                    &plan.from.format("%Y-%m-%d").to_string(),
                )
                .append_pair("mode[one_of]", "standard")
                .append_pair("mode[one_of]", "retrospective");
            if let Some(after) = &plan.after {
                query.append_pair("after", after);
            }
        }
        Ok(url)
    }

    /// The incident a merged incident joined, from its updates; `None` when they do not say
    /// (or the incident is gone).
    fn merge_target(&self, run: &SyncRun<'_>, id: &str) -> Result<Option<String>> {
        let mut url = self.root.endpoint(UPDATES_PATH)?;
        url.query_pairs_mut()
            .append_pair("incident_id", id)
            .append_pair("page_size", &PAGE_SIZE.to_string());
        match run.http().get_json::<UpdatesPage>(&url, &self.headers) {
            Ok(page) => Ok(model::merge_target(&page)),
            Err(RemoteError::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

impl Connector for IncidentIo {
    fn kind(&self) -> SourceKind {
        SourceKind::IncidentIo
    }

    fn sync(&mut self, run: &mut SyncRun<'_>) -> Result<()> {
        let (since, now) = (run.options().since, run.options().now);
        let cursor: Cursor = api::parse_cursor("incident.io", run.source().sync_cursor.as_deref());
        let mut plan = match (since, cursor.run) {
            (None, Some(plan)) => {
                info!(field = ?plan.field, from = %plan.from,
                      "resuming an interrupted incident.io sync");
                plan
            }
            _ => RunPlan::start(since, cursor.synced_until, now),
        };

        loop {
            let url = self.list_url(&plan)?;
            let page: ListPage = run.http().get_json(&url, &self.headers)?;
            let (mut incidents, excluded) = map_page(&url, &page.incidents)?;
            for incident in incidents.iter_mut().filter(|i| i.merged_into.is_some()) {
                match self.merge_target(run, &incident.external_id)? {
                    Some(target) => incident.merged_into = Some(target),
                    None => warn!(incident = %incident.external_id,
                                  "a merged incident.io incident does not say which incident it \
                                   joined; it is kept as merged into an unknown one"),
                }
            }

            // The walk goes on while the server names a next page it has not named before (a
            // server repeating itself would otherwise loop for ever).
            let meta = page.pagination_meta.unwrap_or_default();
            let next = meta
                .after
                .filter(|a| !a.is_empty() && plan.after.as_deref() != Some(a.as_str()));
            let more = next.is_some() && !page.incidents.is_empty();
            plan.fetched += page.incidents.len() as u64;
            plan.after = next.filter(|_| more);
            let stored = api::cursor_json(&Cursor::after(&plan, !more, cursor.synced_until));
            run.write_page_removing(&incidents, &[], &excluded, &stored)?;
            let fraction = if more {
                plan.fraction(meta.total_record_count)
            } else {
                1.0
            };
            run.report_progress(stage(&plan), fraction);
            debug!(
                kept = incidents.len(),
                left_out = excluded.len(),
                more,
                "an incident.io page"
            );
            if !more {
                return Ok(());
            }
        }
    }
}

/// Maps every record of a page into incidents to store and ids to leave out, or names the
/// first record that does not map.
fn map_page(
    url: &Url,
    values: &[serde_json::Value],
) -> Result<(Vec<IncomingIncident>, Vec<String>)> {
    let mut incidents = Vec::new();
    let mut excluded = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match model::map_incident(value).map_err(|reason| api::malformed(url, i, value, &reason))? {
            Mapped::Incident(incident) => incidents.push(*incident),
            Mapped::Excluded { id, why } => {
                debug!(incident = %id, why, "an incident.io record left out");
                excluded.push(id);
            }
        }
    }
    Ok((incidents, excluded))
}

/// A progress line such as "incidents changed since 2026-05-01".
fn stage(plan: &RunPlan) -> String {
    let what = match plan.field {
        DateField::CreatedAt => "created",
        DateField::UpdatedAt => "changed",
    };
    format!("incidents {what} since {}", plan.from.format("%Y-%m-%d"))
}
