//! An incident.io-shaped account for the loopback [`VendorServer`]: `GET /v2/incidents` newest
//! first with `page_size` (at most 250, else a 422 as the API answers), `after`,
//! `created_at[gte]` and `updated_at[gte]` (a date or an instant) and `pagination_meta`; and
//! `GET /v2/incident_updates?incident_id=...`. It ignores `mode[one_of]` on purpose and returns
//! test and tutorial incidents too, so what a test sees is the connector's own filter.

use std::sync::Once;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use serde_json::{json, Value};

use super::vendor_server::{json_response, not_found, Account, Query, VendorServer};

/// The API key the server accepts.
pub const TOKEN: &str = "inc-test-key-7Hq";

/// The Authorization header exactly as incident.io wants it.
pub const AUTHORIZATION: &str = "Bearer inc-test-key-7Hq";

/// The incidents of [`IncidentIoAccount::standard`].
pub const STANDARD_COUNT: usize = 620;

/// A running incident.io-shaped server.
pub type IncidentIoServer = VendorServer<IncidentIoAccount>;

/// Puts [`TOKEN`] in `VIGIL_INCIDENTIO_TOKEN` once, before any sync of the test binary reads it.
pub fn use_token() {
    static SET: Once = Once::new();
    SET.call_once(|| std::env::set_var("VIGIL_INCIDENTIO_TOKEN", TOKEN));
}

/// Starts a server for `account`.
pub fn start(account: IncidentIoAccount) -> IncidentIoServer {
    VendorServer::start(account, AUTHORIZATION)
}

/// The id of the standard fixture's incident `i` (0 is the newest).
pub fn id(i: usize) -> String {
    format!("01HINC{i:05}")
}

/// One incident as the account holds it.
#[derive(Debug, Clone)]
pub struct FixtureIncident {
    pub id: String,
    pub number: usize,
    pub mode: &'static str,
    pub category: &'static str,
    pub severity: Option<&'static str>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The account's named timestamps, in its own words.
    pub timestamps: Vec<(&'static str, DateTime<Utc>)>,
    /// For a merged incident, the one it joined (told by its updates, not the incident).
    pub merged_into: Option<String>,
}

impl FixtureIncident {
    /// Moves it to `category` at `at`, recording the timestamp `named` then.
    pub fn change(&mut self, category: &'static str, named: &'static str, at: DateTime<Utc>) {
        self.category = category;
        self.timestamps.push((named, at));
        self.updated_at = at;
    }

    /// The API's JSON for it.
    pub fn to_json(&self) -> Value {
        let stamp = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Micros, true);
        let values: Vec<Value> = self
            .timestamps
            .iter()
            .enumerate()
            .map(|(rank, (name, at))| {
                let timestamp = json!({"id": format!("ts-{name}"), "name": name, "rank": rank});
                json!({"incident_timestamp": timestamp, "value": {"value": stamp(at)}})
            })
            .chain([
                json!({"incident_timestamp": {"id": "ts-follow", "name": "Follow-ups done",
                                                  "rank": 99}}),
            ])
            .collect();
        json!({
            "id": self.id,
            "name": format!("Incident number {}", self.number),
            "reference": format!("INC-{}", self.number),
            "mode": self.mode,
            "visibility": "public",
            "incident_status": {"id": format!("st-{}", self.category), "name": self.category,
                                "category": self.category, "rank": 1},
            "severity": self
                .severity
                .map(|s| json!({"id": format!("sev-{s}"), "name": s, "rank": 2})),
            "created_at": stamp(&self.created_at),
            "updated_at": stamp(&self.updated_at),
            "permalink": format!("https://app.incident.io/acme/incidents/{}", self.number),
            "incident_timestamp_values": values,
            "custom_field_entries": [],
            "incident_role_assignments": [],
            "slack_channel_id": "C02AW36C1M5",
            "slack_team_id": "T02A1FSLE8J",
            "creator": {"user": {"id": "U1", "name": "Ana", "role": "responder"}}
        })
    }
}

/// An account: its incidents, in any order.
#[derive(Debug, Clone)]
pub struct IncidentIoAccount {
    pub incidents: Vec<FixtureIncident>,
}

impl IncidentIoAccount {
    /// [`STANDARD_COUNT`] incidents over the 179 days before `now`, the newest a minute old,
    /// with every status category, mode and severity (or none) in a fixed pattern.
    pub fn standard(now: DateTime<Utc>) -> Self {
        let step = Duration::days(179).num_seconds() / STANDARD_COUNT as i64;
        let incidents = (0..STANDARD_COUNT)
            .map(|i| {
                let created = now - Duration::minutes(1) - Duration::seconds(step * i as i64);
                let category = match i % 20 {
                    0 => "live",
                    1 => "triage",
                    2 => "learning",
                    3 => "paused",
                    4 => "merged",
                    5 => "declined",
                    6 => "canceled",
                    _ => "closed",
                };
                let mode = match (i % 50, i % 25) {
                    (7, _) => "test",
                    (8, _) => "tutorial",
                    (_, 9) => "retrospective",
                    _ => "standard",
                };
                let mut timestamps = Vec::new();
                if i % 3 == 0 {
                    timestamps.push(("Impact started", created - Duration::minutes(7)));
                }
                if category != "triage" {
                    timestamps.push(("Accepted at", created + Duration::seconds(30)));
                }
                if matches!(category, "closed" | "learning") {
                    timestamps.push(("Fixed at", created + Duration::minutes(30)));
                    timestamps.push(("Resolved at", created + Duration::hours(1)));
                }
                if category == "merged" {
                    timestamps.push(("Merged at", created + Duration::minutes(10)));
                }
                let updated = timestamps.iter().map(|t| t.1).max().unwrap_or(created);
                FixtureIncident {
                    id: id(i),
                    number: STANDARD_COUNT - i,
                    mode,
                    category,
                    severity: [Some("Critical"), Some("Major"), Some("Minor"), None][i % 4],
                    created_at: created,
                    updated_at: updated.max(created),
                    timestamps,
                    merged_into: (category == "merged").then(|| id(i - 1)),
                }
            })
            .collect();
        IncidentIoAccount { incidents }
    }

    /// The ids a sync should keep: real modes, and neither declined nor canceled.
    pub fn kept_ids(&self) -> Vec<String> {
        self.incidents
            .iter()
            .filter(|i| matches!(i.mode, "standard" | "retrospective"))
            .filter(|i| !matches!(i.category, "declined" | "canceled"))
            .map(|i| i.id.clone())
            .collect()
    }

    /// An incident by id, to change.
    pub fn incident_mut(&mut self, id: &str) -> &mut FixtureIncident {
        self.incidents
            .iter_mut()
            .find(|i| i.id == id)
            .unwrap_or_else(|| panic!("{id} is not in the account"))
    }

    fn list(&self, query: &Query) -> Response {
        let page_size = query.number("page_size", 25);
        if page_size == 0 || page_size > 250 {
            return validation_error("page_size must be between 1 and 250");
        }
        let since = |param| query.get(param).map(parse_since);
        let (created, updated) = (since("created_at[gte]"), since("updated_at[gte]"));
        if created.iter().chain(updated.iter()).any(Option::is_none) {
            return validation_error("dates must be YYYY-MM-DD or RFC 3339");
        }
        let mut matching: Vec<&FixtureIncident> = self
            .incidents
            .iter()
            .filter(|i| created.flatten().is_none_or(|t| i.created_at >= t))
            .filter(|i| updated.flatten().is_none_or(|t| i.updated_at >= t))
            .collect();
        matching.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        let start = match query.get("after") {
            None => 0,
            Some(after) => match matching.iter().position(|i| i.id == after) {
                Some(p) => p + 1,
                None => return validation_error("after names no incident of this list"),
            },
        };
        let end = (start + page_size).min(matching.len());
        let page = &matching[start.min(end)..end];
        let mut meta = json!({"page_size": page_size, "total_record_count": matching.len()});
        if end < matching.len() {
            meta["after"] = json!(page.last().map(|i| i.id.clone()));
        }
        let incidents: Vec<Value> = page.iter().map(|i| i.to_json()).collect();
        json_response(
            StatusCode::OK,
            json!({"incidents": incidents, "pagination_meta": meta}),
        )
    }

    fn updates(&self, query: &Query) -> Response {
        let Some(incident) = query
            .get("incident_id")
            .and_then(|id| self.incidents.iter().find(|i| i.id == id))
        else {
            return not_found();
        };
        let mut updates = vec![json!({"id": "up-1", "incident_id": incident.id,
                                      "created_at": incident.created_at.to_rfc3339(),
                                      "message": "Looking into it"})];
        if let Some(target) = &incident.merged_into {
            updates.push(json!({"id": "up-2", "incident_id": incident.id,
                                "created_at": incident.updated_at.to_rfc3339(),
                                "merged_into_incident_id": target,
                                "new_incident_status": {"category": "merged", "name": "Merged"}}));
        }
        json_response(
            StatusCode::OK,
            json!({"incident_updates": updates,
                                              "pagination_meta": {"page_size": 250}}),
        )
    }
}

impl Account for IncidentIoAccount {
    fn respond(&mut self, path: &str, query: &Query) -> Response {
        match path {
            "/v2/incidents" => self.list(query),
            "/v2/incident_updates" => self.updates(query),
            _ => not_found(),
        }
    }
}

/// A date (`2026-03-01`, the day's start) or an RFC 3339 instant; `None` for anything else.
fn parse_since(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(day.and_hms_opt(0, 0, 0)?.and_utc());
    }
    text.parse().ok()
}

fn validation_error(detail: &str) -> Response {
    json_response(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({"type": "validation_error", "status": 422,
               "errors": [{"code": "invalid_value", "message": detail}]}),
    )
}
