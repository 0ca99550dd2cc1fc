//! The Grafana OnCall connector, for OnCall and for Grafana Cloud IRM: alert groups from
//! `GET /api/v1/alert_groups/` with `Authorization: <token>` (OnCall's API takes the bare token,
//! no scheme), under the OnCall API URL of the stack, which OnCall shows on its settings page.
//! There is no default host: every stack has its own.
//!
//! The list pages by number with a `next` link. Only the link's query is taken
//! ([`ApiRoot::with_query_of`]): Django writes the link with the host it was reached by, which
//! behind a proxy may be an internal one or plain http, and the token must only ever go to the
//! URL the person configured. See [`plan`] for the walk and what a later sync re-reads.
//!
//! Not supported yet: Grafana Cloud IRM's service-account tokens (`glsa_...`), which want
//! `Authorization: Bearer` and an `X-Grafana-URL` header naming the stack; a source option for
//! the stack URL would let this connector send both. Integration and team names are not looked
//! up either: `team` holds OnCall's team id, and `service` a `service` label or else the
//! integration id (reading `/api/v1/integrations/` and `/api/v1/teams/` once a sync would put
//! names there).

pub mod model;
pub mod plan;

use reqwest::header::HeaderMap;
use tracing::{debug, info};
use url::Url;
use vigil_core::SourceKind;

use self::model::ListPage;
use self::plan::{Cursor, Phase, RunPlan};
use crate::connectors::api::{self, ApiRoot};
use crate::connectors::Connector;
use crate::error::{EngineError, Result};
use crate::http::RemoteError;
use crate::secrets::Token;
use crate::store::IncomingIncident;
use crate::sync::SyncRun;

/// The alert group list, under the base URL.
const LIST_PATH: &str = "api/v1/alert_groups/";

/// One Grafana OnCall stack.
#[derive(Debug)]
pub struct Grafana {
    root: ApiRoot,
    /// Accept and Authorization; the token is marked sensitive, so it never prints.
    headers: HeaderMap,
}

impl Grafana {
    /// A connector for the OnCall API at `base_url` with `token`; without a base URL there is
    /// nothing to connect to.
    pub fn new(base_url: Option<&str>, token: Token) -> Result<Self> {
        let Some(base_url) = base_url.filter(|b| !b.trim().is_empty()) else {
            return Err(EngineError::BadInput(
                "a Grafana OnCall source needs the OnCall API URL of its stack, shown on \
                 OnCall's settings page (such as \
                 https://oncall-prod-us-central-0.grafana.net/oncall): set it as the source's \
                 base URL"
                    .into(),
            ));
        };
        let root = ApiRoot::new(Some(base_url), base_url)?;
        let headers = api::json_headers("Grafana OnCall", token.expose())?;
        Ok(Grafana { root, headers })
    }

    /// The request of the range's next page: the first one with the range filter, the others
    /// with the query of the link the last page gave.
    fn page_url(&self, plan: &RunPlan) -> Result<Url> {
        let mut url = self.root.endpoint(LIST_PATH)?;
        match &plan.next_query {
            Some(query) => url.set_query(Some(query)),
            None => {
                url.query_pairs_mut()
                    .append_pair("started_at", &plan.started_at());
            }
        }
        Ok(url)
    }

    /// `GET /api/v1/alert_groups/{id}/`.
    fn group_url(&self, id: &str) -> Result<Url> {
        let mut url = self.root.endpoint(LIST_PATH)?;
        let shown = url.to_string();
        url.path_segments_mut()
            .map_err(|()| EngineError::BadInput(format!("{shown} cannot take a path")))?
            .pop_if_empty()
            .push(id)
            .push("");
        Ok(url)
    }
}

impl Connector for Grafana {
    fn kind(&self) -> SourceKind {
        SourceKind::Grafana
    }

    fn sync(&mut self, run: &mut SyncRun<'_>) -> Result<()> {
        let (since, now) = (run.options().since, run.options().now);
        let cursor: Cursor =
            api::parse_cursor("Grafana OnCall", run.source().sync_cursor.as_deref());
        let mut plan = match (since, cursor.run) {
            (None, Some(plan)) => {
                info!(phase = ?plan.phase, since = %plan.since,
                      "resuming an interrupted Grafana OnCall sync");
                plan
            }
            _ => RunPlan::start(since, cursor.synced_until, now),
        };
        while plan.phase != Phase::Done {
            match plan.phase {
                Phase::Recent => self.range_page(run, &mut plan, cursor.synced_until)?,
                Phase::Open => self.open_groups(run, &mut plan, cursor.synced_until)?,
                Phase::Done => {}
            }
        }
        Ok(())
    }
}

impl Grafana {
    /// One page of the groups created in the range.
    fn range_page(
        &self,
        run: &mut SyncRun<'_>,
        plan: &mut RunPlan,
        synced_until: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<()> {
        let url = self.page_url(plan)?;
        let page: ListPage = run.http().get_json(&url, &self.headers)?;
        let incidents = map_all(&url, &page.results)?;

        // The walk goes on while the server links a page it has not linked before (a server
        // repeating itself would otherwise loop for ever).
        let next = match page.next.as_deref().filter(|_| !page.results.is_empty()) {
            Some(link) => self
                .root
                .with_query_of(LIST_PATH, link)?
                .query()
                .map(str::to_owned),
            None => None,
        };
        let next = next.filter(|q| plan.next_query.as_ref() != Some(q));
        plan.fetched += incidents.len() as u64;
        plan.page_done(next);
        run.write_page(
            &incidents,
            &[],
            &api::cursor_json(&Cursor::after(plan, synced_until)),
        )?;
        run.report_progress(
            format!("alert groups since {}", plan.since.format("%Y-%m-%d %H:%M")),
            plan.fraction(page.count),
        );
        Ok(())
    }

    /// Re-reads the cache's open groups created before the range, which the range no longer
    /// reaches; one gone from OnCall (404) is left as stored.
    fn open_groups(
        &self,
        run: &mut SyncRun<'_>,
        plan: &mut RunPlan,
        synced_until: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<()> {
        let open = run.open_incidents_created_before(plan.since)?;
        let mut incidents = Vec::new();
        for id in &open {
            let url = self.group_url(id)?;
            let value: serde_json::Value = match run.http().get_json(&url, &self.headers) {
                Ok(value) => value,
                Err(RemoteError::Status { status: 404, .. }) => {
                    debug!(group = %id, "an open alert group is gone from Grafana OnCall");
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
            incidents.extend(map_all(&url, std::slice::from_ref(&value))?);
        }
        debug!(
            open = open.len(),
            "open Grafana OnCall alert groups re-read"
        );
        plan.open_done();
        run.write_page(
            &incidents,
            &[],
            &api::cursor_json(&Cursor::after(plan, synced_until)),
        )?;
        run.report_progress("open alert groups".into(), plan.fraction(None));
        Ok(())
    }
}

/// Maps every record of a page, or names the first that does not map.
fn map_all(url: &Url, values: &[serde_json::Value]) -> Result<Vec<IncomingIncident>> {
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            model::map_alert_group(value).map_err(|reason| api::malformed(url, i, value, &reason))
        })
        .collect()
}
