//! Alertmanager's two JSON shapes, as its OpenAPI document (API v2, `GET /api/v2/alerts`) and its
//! webhook documentation (payload `version: "4"`) describe them, read into one [`Observed`]
//! alert so the poll and the webhook map alerts the same way.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

/// An alert as Alertmanager reported it, by the poll or by the webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Observed {
    /// Alertmanager's hash of the label set: the alert's identity, across firings.
    pub fingerprint: String,
    /// The labels (`alertname`, `severity`, `service`, ...).
    pub labels: BTreeMap<String, String>,
    /// The annotations (`summary`, `description`, ...).
    pub annotations: BTreeMap<String, String>,
    /// When this firing began.
    pub starts_at: DateTime<Utc>,
    /// When it stopped firing; `None` while it fires.
    pub ends_at: Option<DateTime<Utc>>,
    /// The link back to the rule's expression in Prometheus.
    pub generator_url: Option<String>,
    /// The alert's JSON, kept for audit.
    pub raw: String,
}

/// One webhook delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    /// The group the alerts were sent for (for the log).
    pub group_key: String,
    /// The alerts, firing and resolved.
    pub alerts: Vec<Observed>,
}

/// `GET /api/v2/alerts`: one gettable alert.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiAlert {
    fingerprint: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    starts_at: DateTime<Utc>,
    #[serde(default)]
    ends_at: Option<DateTime<Utc>>,
    status: ApiStatus,
    #[serde(default, rename = "generatorURL")]
    generator_url: Option<String>,
}

/// Its `status`.
#[derive(Debug, Deserialize)]
struct ApiStatus {
    state: String,
}

/// The webhook's payload.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Payload {
    version: String,
    #[serde(default)]
    group_key: Option<String>,
    alerts: Vec<Value>,
}

/// One alert of the payload.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebhookAlert {
    status: String,
    fingerprint: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
    starts_at: DateTime<Utc>,
    #[serde(default)]
    ends_at: Option<DateTime<Utc>>,
    #[serde(default, rename = "generatorURL")]
    generator_url: Option<String>,
}

/// Alertmanager writes Go's zero time (`0001-01-01T00:00:00Z`) for "not yet": no real alert
/// starts or ends before 1970.
fn real(at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    at.filter(|t| *t > DateTime::UNIX_EPOCH)
}

fn check_fingerprint(fingerprint: &str) -> Result<(), String> {
    if fingerprint.trim().is_empty() {
        return Err("an alert has an empty fingerprint".into());
    }
    Ok(())
}

/// Maps one alert of the API's list, polled at `now`. The list holds the alerts that still
/// fire (Prometheus keeps moving their `endsAt` a few minutes ahead); one whose `endsAt` has
/// passed stopped firing then.
pub fn api_alert_from_json(value: &Value, now: DateTime<Utc>) -> Result<Observed, String> {
    let alert: ApiAlert = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    check_fingerprint(&alert.fingerprint)?;
    if !matches!(
        alert.status.state.as_str(),
        "active" | "suppressed" | "unprocessed"
    ) {
        return Err(format!(
            "alert {} has an unknown state `{}`",
            alert.fingerprint, alert.status.state
        ));
    }
    Ok(Observed {
        ends_at: real(alert.ends_at).filter(|end| *end <= now),
        fingerprint: alert.fingerprint,
        labels: alert.labels,
        annotations: alert.annotations,
        starts_at: alert.starts_at,
        generator_url: alert.generator_url.filter(|u| !u.is_empty()),
        raw: value.to_string(),
    })
}

/// Reads a webhook body. Never panics, whatever the bytes; the error says what is wrong.
pub fn webhook_from_json(bytes: &[u8]) -> Result<Notification, String> {
    let payload: Payload =
        serde_json::from_slice(bytes).map_err(|e| format!("not an Alertmanager webhook: {e}"))?;
    if payload.version != "4" {
        return Err(format!(
            "webhook payload version `{}` is not the version 4 Vigil reads",
            payload.version
        ));
    }
    let alerts = payload
        .alerts
        .iter()
        .enumerate()
        .map(|(i, value)| webhook_alert(value).map_err(|e| format!("alert {i}: {e}")))
        .collect::<Result<_, _>>()?;
    Ok(Notification {
        group_key: payload.group_key.unwrap_or_default(),
        alerts,
    })
}

fn webhook_alert(value: &Value) -> Result<Observed, String> {
    let alert: WebhookAlert = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    check_fingerprint(&alert.fingerprint)?;
    let ends_at =
        match alert.status.as_str() {
            "firing" => None,
            "resolved" => Some(real(alert.ends_at).ok_or_else(|| {
                format!("alert {} is resolved but has no endsAt", alert.fingerprint)
            })?),
            other => {
                return Err(format!(
                    "alert {} has an unknown status `{other}`",
                    alert.fingerprint
                ))
            }
        };
    Ok(Observed {
        fingerprint: alert.fingerprint,
        labels: alert.labels,
        annotations: alert.annotations,
        starts_at: alert.starts_at,
        ends_at,
        generator_url: alert.generator_url.filter(|u| !u.is_empty()),
        raw: value.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-03-01T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_polled_alert_whose_ends_at_is_ahead_still_fires() {
        let value = json!({
            "fingerprint": "f1", "labels": {"alertname": "HighLatency"},
            "annotations": {"summary": "p99 above 2s"}, "startsAt": "2026-03-01T11:00:00Z",
            "endsAt": "2026-03-01T12:04:00Z", "updatedAt": "2026-03-01T11:59:00Z",
            "status": {"state": "active", "silencedBy": [], "inhibitedBy": []},
            "generatorURL": "http://prometheus/graph"
        });
        let alert = api_alert_from_json(&value, now()).unwrap();
        assert_eq!(alert.ends_at, None);
        assert_eq!(alert.labels["alertname"], "HighLatency");
    }

    #[test]
    fn a_webhook_reads_firing_and_resolved_alerts_and_go_zero_time() {
        let body = json!({
            "version": "4", "groupKey": "{}:{alertname=\"X\"}", "status": "resolved",
            "receiver": "vigil", "alerts": [
                {"status": "firing", "fingerprint": "a", "startsAt": "2026-03-01T11:00:00Z",
                 "endsAt": "0001-01-01T00:00:00Z", "labels": {}, "annotations": {}},
                {"status": "resolved", "fingerprint": "b", "startsAt": "2026-03-01T11:00:00Z",
                 "endsAt": "2026-03-01T11:20:00Z", "labels": {}, "annotations": {}}
            ]
        });
        let n = webhook_from_json(body.to_string().as_bytes()).unwrap();
        assert_eq!(n.alerts[0].ends_at, None);
        assert_eq!(
            n.alerts[1].ends_at,
            Some("2026-03-01T11:20:00Z".parse().unwrap())
        );
    }

    #[test]
    fn another_payload_version_is_refused() {
        let body = json!({"version": "3", "alerts": []}).to_string();
        assert!(webhook_from_json(body.as_bytes())
            .unwrap_err()
            .contains("version"));
    }

    #[test]
    fn a_resolved_alert_without_an_end_is_refused() {
        let body = json!({"version": "4", "alerts": [
            {"status": "resolved", "fingerprint": "b", "startsAt": "2026-03-01T11:00:00Z",
             "endsAt": "0001-01-01T00:00:00Z"}
        ]})
        .to_string();
        assert!(webhook_from_json(body.as_bytes())
            .unwrap_err()
            .contains("no endsAt"));
    }
}
