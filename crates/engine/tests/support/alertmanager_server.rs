//! An Alertmanager-shaped account for the [`VendorServer`]: the alerts that fire now, served from
//! `/api/v2/alerts` (no pagination), behind a proxy that wants a bearer token; and webhook
//! payloads as Alertmanager posts them.

use std::sync::Once;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::vendor_server::{json_response, not_found, Account, Query, VendorServer};

/// The secret shared with Alertmanager (and its proxy).
pub const SECRET: &str = "am-secret-Zk81";

/// Puts [`SECRET`] in `VIGIL_ALERTMANAGER_TOKEN`, once, before any test reads it.
pub fn use_alertmanager_secret() {
    static SET: Once = Once::new();
    SET.call_once(|| std::env::set_var("VIGIL_ALERTMANAGER_TOKEN", SECRET));
}

/// The alerts that fire now, as Alertmanager lists them.
#[derive(Debug, Clone, Default)]
pub struct AlertmanagerAccount {
    pub alerts: Vec<Value>,
}

impl Account for AlertmanagerAccount {
    fn respond(&mut self, path: &str, _query: &Query) -> Response {
        if path != "/api/v2/alerts" {
            return not_found();
        }
        json_response(StatusCode::OK, Value::Array(self.alerts.clone()))
    }
}

/// A server listing `alerts`, accepting `Bearer` [`SECRET`].
pub fn start(alerts: Vec<Value>) -> VendorServer<AlertmanagerAccount> {
    VendorServer::start(AlertmanagerAccount { alerts }, &format!("Bearer {SECRET}"))
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn labels(name: &str, severity: &str) -> Value {
    json!({"alertname": name, "severity": severity, "job": "api", "team": "sre",
           "instance": "10.0.0.7:9100"})
}

/// An alert of the API's list that started at `starts`, polled at `now` (its `endsAt` is
/// a few minutes ahead, as Prometheus keeps it while the alert fires).
pub fn listed(fingerprint: &str, name: &str, starts: DateTime<Utc>, now: DateTime<Utc>) -> Value {
    json!({
        "fingerprint": fingerprint, "labels": labels(name, "critical"),
        "annotations": {"summary": format!("{name} on api")},
        "startsAt": stamp(starts), "endsAt": stamp(now + Duration::minutes(4)),
        "updatedAt": stamp(now), "receivers": [{"name": "vigil"}],
        "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
        "generatorURL": "http://prometheus:9090/graph?g0.expr=up"
    })
}

/// A webhook payload (version 4) with one alert, firing (`ends` is `None`) or resolved.
pub fn payload(
    fingerprint: &str,
    name: &str,
    starts: DateTime<Utc>,
    ends: Option<DateTime<Utc>>,
) -> Value {
    let status = if ends.is_some() { "resolved" } else { "firing" };
    let ends = ends.map_or_else(|| "0001-01-01T00:00:00Z".to_owned(), stamp);
    json!({
        "version": "4", "groupKey": format!("{{}}:{{alertname=\"{name}\"}}"),
        "truncatedAlerts": 0, "status": status, "receiver": "vigil",
        "groupLabels": {"alertname": name}, "commonLabels": labels(name, "warning"),
        "commonAnnotations": {}, "externalURL": "http://alertmanager:9093",
        "alerts": [{
            "status": status, "labels": labels(name, "warning"),
            "annotations": {"summary": format!("{name} on api")},
            "startsAt": stamp(starts), "endsAt": ends,
            "generatorURL": "http://prometheus:9090/graph", "fingerprint": fingerprint
        }]
    })
}
