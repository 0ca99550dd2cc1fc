//! A Grafana OnCall-shaped account for the loopback [`VendorServer`]: `GET /api/v1/alert_groups/`
//! newest first, filtered by `started_at=START/END` (both ends included, `%Y-%m-%dT%H:%M:%S`, a
//! malformed range a 400 as OnCall answers), 50 a page by `page` (a page past the end a 404, as
//! Django's paginator answers), with `count` and `next`/`previous` links written with another
//! host, as Django behind a proxy writes them; and `GET /api/v1/alert_groups/{id}/`.

use std::sync::Once;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde_json::{json, Value};

use super::vendor_server::{json_response, not_found, Account, Query, VendorServer};

/// The API token the server accepts; OnCall takes it bare as the Authorization header.
pub const TOKEN: &str = "oncall-test-token-Xk2";

/// The groups of [`GrafanaAccount::standard`].
pub const STANDARD_COUNT: usize = 130;

/// OnCall's page size.
pub const PAGE_SIZE: usize = 50;

/// The host the server's `next` links name: not the server, so a connector that followed a link
/// as given would fail (and send its token elsewhere).
pub const LINK_HOST: &str = "http://oncall-internal.invalid:8080";

/// A running Grafana OnCall-shaped server.
pub type GrafanaServer = VendorServer<GrafanaAccount>;

/// Puts [`TOKEN`] in `VIGIL_GRAFANA_TOKEN` once, before any sync of the test binary reads it.
pub fn use_token() {
    static SET: Once = Once::new();
    SET.call_once(|| std::env::set_var("VIGIL_GRAFANA_TOKEN", TOKEN));
}

/// Starts a server for `account`.
pub fn start(account: GrafanaAccount) -> GrafanaServer {
    VendorServer::start(account, TOKEN)
}

/// The id of the standard fixture's group `i` (0 is the newest).
pub fn id(i: usize) -> String {
    format!("IGRP{i:05}")
}

/// One alert group as the account holds it.
#[derive(Debug, Clone)]
pub struct FixtureGroup {
    pub id: String,
    pub number: usize,
    pub state: &'static str,
    pub created_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub silenced_at: Option<DateTime<Utc>>,
    pub root_alert_group_id: Option<String>,
    pub labels: Vec<(&'static str, &'static str)>,
    pub integration_id: String,
    pub team_id: Option<String>,
}

impl FixtureGroup {
    /// The API's JSON for it.
    pub fn to_json(&self) -> Value {
        let stamp =
            |t: Option<DateTime<Utc>>| t.map(|t| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
        let labels: Vec<Value> = self
            .labels
            .iter()
            .map(|(k, v)| {
                json!({"key": {"id": format!("k-{k}"), "name": k},
                                 "value": {"id": format!("v-{v}"), "name": v}})
            })
            .collect();
        let web = format!(
            "https://stack.grafana.net/a/grafana-oncall-app/alert-groups/{}",
            self.id
        );
        json!({
            "id": self.id,
            "integration_id": self.integration_id,
            "route_id": "RIYGUJXCPFHXY",
            "team_id": self.team_id,
            "alerts_count": 2,
            "state": self.state,
            "alert_group_number": self.number,
            "created_at": stamp(Some(self.created_at)),
            "acknowledged_at": stamp(self.acknowledged_at),
            "acknowledged_by": self.acknowledged_at.map(|_| "UCGEIXI1MR1NZ"),
            "resolved_at": stamp(self.resolved_at),
            "resolved_by": self.resolved_at.map(|_| "UCGEIXI1MR1NZ"),
            "silenced_at": stamp(self.silenced_at),
            "root_alert_group_id": self.root_alert_group_id,
            "title": format!("Alert group {}", self.number),
            "labels": labels,
            "permalinks": {"slack": null, "telegram": null, "web": web},
            "last_alert": {"id": "AA74DN7T4JQB6", "alert_group_id": self.id,
                           "created_at": stamp(Some(self.created_at)),
                           "payload": {"state": "alerting"}}
        })
    }
}

/// An account: its alert groups, in any order.
#[derive(Debug, Clone)]
pub struct GrafanaAccount {
    pub groups: Vec<FixtureGroup>,
}

impl GrafanaAccount {
    /// [`STANDARD_COUNT`] groups over the 179 days before `now`, the newest a minute old, in
    /// every state, some attached to the group before them, with and without severity labels.
    pub fn standard(now: DateTime<Utc>) -> Self {
        let step = Duration::days(179).num_seconds() / STANDARD_COUNT as i64;
        let groups = (0..STANDARD_COUNT)
            .map(|i| {
                let created = now - Duration::minutes(1) - Duration::seconds(step * i as i64);
                let state = match i % 10 {
                    0 => "new",
                    1 => "acknowledged",
                    2 => "silenced",
                    _ => "resolved",
                };
                let acked = matches!(state, "acknowledged" | "resolved") && i % 10 != 9;
                FixtureGroup {
                    id: id(i),
                    number: STANDARD_COUNT - i,
                    state,
                    created_at: created,
                    acknowledged_at: acked.then(|| created + Duration::minutes(2)),
                    resolved_at: (state == "resolved").then(|| created + Duration::minutes(45)),
                    silenced_at: (state == "silenced").then(|| created + Duration::minutes(3)),
                    root_alert_group_id: (i % 15 == 3).then(|| id(i - 1)),
                    labels: match i % 4 {
                        0 => vec![("severity", "critical")],
                        1 => vec![("severity", "warning"), ("service", "checkout")],
                        2 => vec![],
                        _ => vec![("priority", "P1")],
                    },
                    integration_id: format!("CINT{}", i % 3),
                    team_id: (i % 2 == 0).then(|| "TEAM1".to_owned()),
                }
            })
            .collect();
        GrafanaAccount { groups }
    }

    /// A group by id, to change.
    pub fn group_mut(&mut self, id: &str) -> &mut FixtureGroup {
        self.groups
            .iter_mut()
            .find(|g| g.id == id)
            .unwrap_or_else(|| panic!("{id} is not in the account"))
    }

    fn list(&self, query: &Query) -> Response {
        let range = match query.get("started_at").map(parse_range) {
            None => None,
            Some(Some(range)) => Some(range),
            Some(None) => {
                return json_response(
                    StatusCode::BAD_REQUEST,
                    json!({"detail": "Invalid range value"}),
                )
            }
        };
        let mut matching: Vec<&FixtureGroup> = self
            .groups
            .iter()
            .filter(|g| range.is_none_or(|(a, b)| g.created_at >= a && g.created_at <= b))
            .collect();
        matching.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));

        let page = query.number("page", 1);
        let start = page.saturating_sub(1) * PAGE_SIZE;
        if page == 0 || (page > 1 && start >= matching.len()) {
            return json_response(StatusCode::NOT_FOUND, json!({"detail": "Invalid page."}));
        }
        let end = (start + PAGE_SIZE).min(matching.len());
        let link = |to: usize| {
            let mut pairs = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in query.0.iter().filter(|(k, _)| k != "page") {
                pairs.append_pair(k, v);
            }
            pairs.append_pair("page", &to.to_string());
            format!("{LINK_HOST}/api/v1/alert_groups/?{}", pairs.finish())
        };
        let results: Vec<Value> = matching[start..end].iter().map(|g| g.to_json()).collect();
        json_response(
            StatusCode::OK,
            json!({
                "count": matching.len(),
                "next": (end < matching.len()).then(|| link(page + 1)),
                "previous": (page > 1).then(|| link(page - 1)),
                "results": results,
                "page_size": PAGE_SIZE,
                "current_page_number": page,
                "total_pages": matching.len().div_ceil(PAGE_SIZE).max(1)
            }),
        )
    }
}

impl Account for GrafanaAccount {
    fn respond(&mut self, path: &str, query: &Query) -> Response {
        if path == "/api/v1/alert_groups/" {
            return self.list(query);
        }
        let one = path
            .strip_prefix("/api/v1/alert_groups/")
            .and_then(|rest| rest.strip_suffix('/'))
            .and_then(|id| self.groups.iter().find(|g| g.id == id));
        match one {
            Some(group) => json_response(StatusCode::OK, group.to_json()),
            None => not_found(),
        }
    }
}

/// `START/END` as OnCall parses it: two UTC instants to the second.
fn parse_range(text: &str) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (a, b) = text.split_once('/')?;
    let parse = |t: &str| {
        NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S")
            .ok()
            .map(|t| t.and_utc())
    };
    let (a, b) = (parse(a)?, parse(b)?);
    (a <= b).then_some((a, b))
}
