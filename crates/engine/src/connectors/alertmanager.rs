//! The Prometheus Alertmanager connector: alerts polled from `GET /api/v2/alerts`, and alerts
//! pushed to Vigil's webhook listener ([`webhook`]); both write into the same source, keyed by
//! the alert's fingerprint (see [`merge`] for firings, resolutions and reopens).
//!
//! Alertmanager has no authentication of its own. The source's token is the secret shared with
//! it both ways: the poll sends it as `Authorization: Bearer <token>` when there is one (for an
//! Alertmanager behind an authenticating proxy; Alertmanager itself ignores it), and the webhook
//! listener refuses any delivery without it.
//!
//! The list has no pagination and holds only the alerts that still fire (active, silenced or
//! inhibited, or not yet processed). A silence is not read as an acknowledgement: the list does
//! not say when the silence was made; reading `GET /api/v2/silences` would give that time.

pub mod merge;
pub mod model;
pub mod webhook;
mod writer;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tracing::{debug, warn};
use vigil_core::{Incident, SourceKind};

use self::merge::Known;
use crate::connectors::api::{self, ApiRoot};
use crate::connectors::Connector;
use crate::error::Result;
use crate::secrets::{self, Token};
use crate::store::SourceRecord;
use crate::sync::SyncRun;

/// Alertmanager's own default address, where a source has no base URL of its own.
pub const DEFAULT_BASE_URL: &str = "http://localhost:9093";

/// One Alertmanager (or one cluster, through any of its members).
#[derive(Debug)]
pub struct Alertmanager {
    root: ApiRoot,
    /// Accept, and Authorization when a token is set (marked sensitive, so it never prints).
    headers: HeaderMap,
    /// The cache's alerts of this source, by fingerprint, as they were when the sync began.
    known: HashMap<String, Known>,
}

/// What the source remembers: only when it was last polled (the list is read whole each time).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// The last poll's time.
    #[serde(default)]
    pub polled_at: Option<DateTime<Utc>>,
}

impl Alertmanager {
    /// A connector for the Alertmanager at `base_url` (`http://localhost:9093` when `None`),
    /// sending `token` as a bearer token if given, that knows the source's `cached` incidents
    /// (the alerts to resolve when they leave the list, and when each first fired).
    pub fn new(base_url: Option<&str>, token: Option<Token>, cached: &[Incident]) -> Result<Self> {
        let root = ApiRoot::new(base_url, DEFAULT_BASE_URL)?;
        let headers = match token {
            Some(token) => {
                api::json_headers("Alertmanager", &format!("Bearer {}", token.expose()))?
            }
            None => {
                let mut headers = HeaderMap::new();
                headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
                headers
            }
        };
        Ok(Alertmanager {
            root,
            headers,
            known: merge::known_alerts(cached),
        })
    }
}

/// The source's token if it has one. Alertmanager needs none, so a keychain that cannot be
/// asked (no Secret Service on a server) means none, with a warning, rather than a failed sync.
pub fn optional_token(source: &SourceRecord) -> Option<Token> {
    secrets::find_token(source).unwrap_or_else(|e| {
        warn!(error = %e, "no token read for the Alertmanager source; polling without one");
        None
    })
}

impl Connector for Alertmanager {
    fn kind(&self) -> SourceKind {
        SourceKind::Alertmanager
    }

    fn sync(&mut self, run: &mut SyncRun<'_>) -> Result<()> {
        let now = run.options().now;
        let url = self.root.endpoint("api/v2/alerts")?;
        let values: Vec<Value> = run.http().get_json(&url, &self.headers)?;

        let mut incidents = Vec::with_capacity(values.len());
        let mut events = Vec::new();
        let mut listed = HashSet::new();
        for (i, value) in values.iter().enumerate() {
            let alert = model::api_alert_from_json(value, now)
                .map_err(|reason| api::malformed(&url, i, value, &reason))?;
            let (incident, entries) =
                merge::observe(&alert, self.known.get(&alert.fingerprint), now);
            listed.insert(alert.fingerprint);
            incidents.push(incident);
            events.extend(entries);
        }

        // An alert that disappears from the list while it was active is resolved at the time of
        // this poll. Alertmanager drops an alert from the list once it stops firing and does not
        // say when that was; the poll's time is the latest it can have been, so the resolution
        // is late by at most the time between two polls. A webhook that brings the real `endsAt`
        // afterwards does not move it back (the cache already closed that firing).
        let mut gone: Vec<&String> = self
            .known
            .iter()
            .filter(|(fingerprint, known)| known.open && !listed.contains(*fingerprint))
            .map(|(fingerprint, _)| fingerprint)
            .collect();
        gone.sort();
        events.extend(gone.iter().map(|f| merge::resolved_by_absence(f, now)));
        debug!(
            listed = incidents.len(),
            resolved_by_absence = gone.len(),
            "Alertmanager polled"
        );

        let cursor = Cursor {
            polled_at: Some(now),
        };
        run.write_page(&incidents, &events, &api::cursor_json(&cursor))?;
        run.report_progress("alerts".into(), 1.0);
        Ok(())
    }
}
