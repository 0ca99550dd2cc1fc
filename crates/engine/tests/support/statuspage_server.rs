//! A Statuspage-shaped account for the [`VendorServer`]: one page's incidents, newest first,
//! served from `/v1/pages/{page_id}/incidents` with `page` and `per_page`, as Statuspage's API
//! does; and the incidents themselves, anchored on the test's "now".

use std::sync::Once;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::vendor_server::{json_response, not_found, Account, Query, VendorServer};

/// The API key the server accepts.
pub const KEY: &str = "sp-key-7Hq2";

/// The page the account holds.
pub const PAGE_ID: &str = "pg7k2xq";

/// The incident whose impact window and timeline the tests check: opened at `REGULAR_AT`,
/// its impact back-dated to 5 minutes before, resolved an hour after it opened and shown on
/// the page as resolved 15 minutes earlier.
pub const REGULAR: &str = "inc0004";

/// Resolved, then moved back to investigating, then resolved again.
pub const REOPENED: &str = "inc0005";

/// Open (identified, not resolved).
pub const OPEN: &str = "inc0007";

/// The Authorization value Statuspage expects.
pub fn authorization() -> String {
    format!("OAuth {KEY}")
}

/// Puts [`KEY`] in `VIGIL_STATUSPAGE_TOKEN`, once, before any test reads it.
pub fn use_statuspage_key() {
    static SET: Once = Once::new();
    SET.call_once(|| std::env::set_var("VIGIL_STATUSPAGE_TOKEN", KEY));
}

/// A page's incidents, in the order the API lists them.
#[derive(Debug, Clone, Default)]
pub struct StatuspageAccount {
    pub records: Vec<Value>,
}

impl Account for StatuspageAccount {
    fn respond(&mut self, path: &str, query: &Query) -> Response {
        if path != format!("/v1/pages/{PAGE_ID}/incidents") {
            return not_found();
        }
        let page = query.number("page", 1).max(1);
        let per_page = query.number("per_page", 100).clamp(1, 100);
        let slice: Vec<Value> = self
            .records
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .cloned()
            .collect();
        json_response(StatusCode::OK, Value::Array(slice))
    }
}

/// A server for `records` that accepts the OAuth header form.
pub fn start(records: Vec<Value>) -> VendorServer<StatuspageAccount> {
    VendorServer::start(StatuspageAccount { records }, &authorization())
}

/// When incident `i` (0 = newest) was opened: 13 hours apart, the newest 2 hours ago.
pub fn opened_at(now: DateTime<Utc>, i: usize) -> DateTime<Utc> {
    now - Duration::hours(2 + 13 * i as i64)
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn update(id: String, status: &str, posted: DateTime<Utc>, shown: DateTime<Utc>) -> Value {
    json!({
        "id": id, "status": status, "body": format!("The incident is {status}."),
        "created_at": stamp(posted), "updated_at": stamp(posted), "display_at": stamp(shown),
        "affected_components": null, "deliver_notifications": true
    })
}

/// `count` records, newest first: every tenth is a completed scheduled maintenance, [`OPEN`]
/// is still open, [`REOPENED`] was reopened once, and the rest were resolved after an hour.
pub fn records(now: DateTime<Utc>, count: usize) -> Vec<Value> {
    (0..count).map(|i| record(now, i)).collect()
}

/// Record `i` of [`records`].
pub fn record(now: DateTime<Utc>, i: usize) -> Value {
    let id = format!("inc{i:04}");
    let opened = opened_at(now, i);
    let minutes = |m: i64| opened + Duration::minutes(m);
    if i % 10 == 9 {
        return json!({
            "id": id, "name": format!("Database upgrade {i}"), "status": "completed",
            "impact": "maintenance", "created_at": stamp(minutes(-600)),
            "scheduled_for": stamp(opened), "scheduled_until": stamp(minutes(60)),
            "started_at": stamp(opened), "resolved_at": stamp(minutes(60)),
            "incident_updates": [
                update(format!("{id}-u1"), "scheduled", minutes(-600), minutes(-600))
            ],
            "components": []
        });
    }
    let mut updates = vec![
        update(format!("{id}-u1"), "investigating", opened, opened),
        update(format!("{id}-u2"), "identified", minutes(10), minutes(10)),
    ];
    let status = if id == OPEN {
        "identified"
    } else {
        updates.push(update(
            format!("{id}-u3"),
            "monitoring",
            minutes(30),
            minutes(30),
        ));
        updates.push(update(
            format!("{id}-u4"),
            "resolved",
            minutes(60),
            minutes(45),
        ));
        if id == REOPENED {
            updates.push(update(
                format!("{id}-u5"),
                "investigating",
                minutes(90),
                minutes(90),
            ));
            updates.push(update(
                format!("{id}-u6"),
                "resolved",
                minutes(120),
                minutes(120),
            ));
        }
        "resolved"
    };
    let resolved = match (status, id.as_str()) {
        ("resolved", REOPENED) => Some(minutes(120)),
        ("resolved", _) => Some(minutes(60)),
        _ => None,
    };
    let impact = ["none", "minor", "major", "critical"][i % 4];
    updates.reverse(); // Statuspage lists an incident's updates newest first.
    json!({
        "id": id, "name": format!("Elevated errors {i}"), "status": status, "impact": impact,
        "impact_override": null, "page_id": PAGE_ID,
        "created_at": stamp(opened), "updated_at": stamp(resolved.unwrap_or(minutes(10))),
        "started_at": stamp(minutes(-5)), "monitoring_at": null,
        "resolved_at": resolved.map(stamp), "scheduled_for": null, "scheduled_until": null,
        "shortlink": format!("https://stspg.io/{id}"),
        "components": [{"id": "c1", "name": if i.is_multiple_of(2) { "API" } else { "Checkout" },
                        "status": "operational"}],
        "incident_updates": updates
    })
}
