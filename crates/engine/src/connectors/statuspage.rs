//! The Atlassian Statuspage connector: the incidents of one page, from
//! `GET /v1/pages/{page_id}/incidents` with `Authorization: OAuth <key>`, paged with `page` and
//! `per_page` (at most 100).
//!
//! Each incident arrives with all its updates, so one list holds everything: the updates become
//! the timeline, and the impact window (what the page shows) is stored apart from when the
//! record was opened and closed (see [`model`]). Scheduled maintenances share the list and are
//! left out, and removed from the cache if an earlier version stored one.
//!
//! The list has no "updated since" filter and its order is not documented, so every sync reads
//! every page and keeps the incidents created in its range (the first sync's 180 days, or
//! `--since`). A page of a few hundred incidents costs a few requests; one of many thousands
//! costs a request per hundred on every sync, which a filter on `updated_at` would fix if the
//! API grew one. Incidents deleted on Statuspage stay in the cache: the list cannot say which
//! ones went away. A stopped run resumes at the page after the last one stored; an incident
//! deleted meanwhile shifts the pages by one, and the next full run picks up what that skipped.

pub mod model;
mod timeline;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use reqwest::header::HeaderMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tracing::{debug, info};
use url::Url;
use vigil_core::SourceKind;

use self::model::Record;
use crate::connectors::api::{self, ApiRoot};
use crate::connectors::Connector;
use crate::error::{EngineError, Result};
use crate::http::{self, RemoteError};
use crate::secrets::Token;
use crate::sync::SyncRun;

/// Statuspage's API, where a source has no base URL of its own.
pub const DEFAULT_BASE_URL: &str = "https://api.statuspage.io";

/// The source option that holds the page's id (the one in `/v1/pages/{page_id}`): one source
/// syncs one page, so two pages of one organisation are two sources with one key each.
pub const PAGE_ID_OPTION: &str = "page_id";

/// Incidents per request: Statuspage's largest page.
pub const PER_PAGE: u32 = 100;

/// How far back the first sync of a source reaches.
pub fn initial_lookback() -> Duration {
    Duration::days(180)
}

/// One Statuspage page.
#[derive(Debug)]
pub struct Statuspage {
    root: ApiRoot,
    /// `v1/pages/{page_id}/incidents`, or without `v1/` when the base URL already ends in it.
    list_path: String,
    /// Accept and Authorization; the key is marked sensitive, so it never prints.
    headers: HeaderMap,
}

/// What the source remembers between syncs, as JSON in `sources.sync_cursor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The start of the creation range: chosen by the first sync, or the last `--since`.
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// The end of the last run that went through to its last page.
    #[serde(default)]
    pub synced_until: Option<DateTime<Utc>>,
    /// The next page of a run that was stopped before its last page.
    #[serde(default)]
    pub next_page: Option<u32>,
}

impl Statuspage {
    /// A connector for `page_id` at `base_url` (Statuspage's own API when `None`) with `key`.
    pub fn new(base_url: Option<&str>, page_id: Option<&str>, key: Token) -> Result<Self> {
        let page_id = page_id
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| {
                EngineError::BadInput(
                "this Statuspage source has no page id: set it to the id in the page's API URL \
                 (https://api.statuspage.io/v1/pages/ID)"
                    .into(),
            )
            })?;
        if !page_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(EngineError::BadInput(format!(
                "`{page_id}` is not a Statuspage page id: it holds only letters and digits, \
                 such as qfn30z5r6s5h"
            )));
        }
        let root = ApiRoot::new(base_url, DEFAULT_BASE_URL)?;
        let ends_in_v1 = base_url
            .unwrap_or(DEFAULT_BASE_URL)
            .trim_end_matches('/')
            .ends_with("/v1");
        let version = if ends_in_v1 { "" } else { "v1/" };
        let headers = api::json_headers("Statuspage", &format!("OAuth {}", key.expose()))?;
        Ok(Statuspage {
            root,
            list_path: format!("{version}pages/{page_id}/incidents"),
            headers,
        })
    }

    /// The request for page `page` (1-based) of the list.
    fn list_url(&self, page: u32) -> Result<Url> {
        let mut url = self.root.endpoint(&self.list_path)?;
        url.query_pairs_mut()
            .append_pair("page", &page.to_string())
            .append_pair("per_page", &PER_PAGE.to_string());
        Ok(url)
    }
}

impl Connector for Statuspage {
    fn kind(&self) -> SourceKind {
        SourceKind::Statuspage
    }

    fn sync(&mut self, run: &mut SyncRun<'_>) -> Result<()> {
        let now = run.options().now;
        let asked = run.options().since;
        let stored: Cursor = api::parse_cursor("Statuspage", run.source().sync_cursor.as_deref());
        let since = asked.or(stored.since).unwrap_or(now - initial_lookback());
        let mut page = match (asked, stored.next_page) {
            (None, Some(next)) => {
                info!(page = next, "resuming an interrupted Statuspage sync");
                next.max(1)
            }
            _ => 1,
        };

        // Ids seen in this run: a full page of nothing new means the server ignores `page`,
        // and reading on would never end.
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            let url = self.list_url(page)?;
            let values: Vec<Value> = run.http().get_json(&url, &self.headers)?;
            let more = values.len() >= PER_PAGE as usize;
            if more
                && values
                    .iter()
                    .all(|v| model::record_id(v).is_some_and(|id| seen.contains(id)))
            {
                return Err(RemoteError::Malformed {
                    url: http::loggable(&url),
                    reason: format!(
                        "page {page} repeats an earlier page, as if the server ignored the \
                         `page` parameter"
                    ),
                    snippet: String::new(),
                }
                .into());
            }
            seen.extend(
                values
                    .iter()
                    .filter_map(model::record_id)
                    .map(str::to_owned),
            );

            let mut incidents = Vec::new();
            let mut events = Vec::new();
            let mut maintenances = Vec::new();
            let mut older = 0;
            for (i, value) in values.iter().enumerate() {
                let record = model::record_from_json(value)
                    .map_err(|reason| api::malformed(&url, i, value, &reason))?;
                match record {
                    Record::Maintenance(id) => maintenances.push(id),
                    Record::Incident(incident, _) if incident.created_at < since => older += 1,
                    Record::Incident(incident, entries) => {
                        incidents.push(*incident);
                        events.extend(entries);
                    }
                }
            }
            debug!(
                page,
                incidents = incidents.len(),
                maintenances = maintenances.len(),
                older,
                "a Statuspage page"
            );

            let cursor = Cursor {
                since: Some(since),
                synced_until: if more { stored.synced_until } else { Some(now) },
                next_page: more.then_some(page + 1),
            };
            run.write_page_removing(
                &incidents,
                &events,
                &maintenances,
                &api::cursor_json(&cursor),
            )?;
            let fraction = if more {
                f64::from(page) / f64::from(page + 1)
            } else {
                1.0
            };
            run.report_progress(format!("incidents, page {page}"), fraction);
            if !more {
                return Ok(());
            }
            page += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_path_carries_the_page_id_under_v1_once() {
        let plain = Statuspage::new(Some("https://x.test"), Some("abc123"), Token::new("k"));
        assert_eq!(
            plain.unwrap().list_url(2).unwrap().as_str(),
            "https://x.test/v1/pages/abc123/incidents?page=2&per_page=100"
        );
        let with_v1 = Statuspage::new(Some("https://x.test/v1/"), Some("abc123"), Token::new("k"));
        assert!(with_v1
            .unwrap()
            .list_url(1)
            .unwrap()
            .as_str()
            .starts_with("https://x.test/v1/pages/abc123/incidents?"));
    }

    #[test]
    fn a_page_id_that_would_change_the_path_is_refused() {
        for bad in [None, Some(" "), Some("../admin"), Some("a?b")] {
            assert!(
                Statuspage::new(None, bad, Token::new("k")).is_err(),
                "{bad:?}"
            );
        }
    }
}
