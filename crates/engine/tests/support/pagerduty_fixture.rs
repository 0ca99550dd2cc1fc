//! The data a test PagerDuty account holds: incidents and their log entries, anchored on the
//! test's "now", with the cases the sync must get right named as constants.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

/// Resolved, triggered again, resolved again.
pub const REOPENED: &str = "PREOPEN";
/// Merged into [`MERGE_TARGET`].
pub const MERGED: &str = "PMERGED";
/// The incident [`MERGED`] was merged into.
pub const MERGE_TARGET: &str = "PINC0200";
/// Resolved without anyone acknowledging it.
pub const UNACKED: &str = "PUNACK";
/// Open and acknowledged when the fixture is made; tests resolve it between two syncs.
pub const PENDING: &str = "PPENDING";
/// Created a minute before "now", still open.
pub const LAST: &str = "PLAST";
/// A regular incident: acknowledged 3 minutes after it was created, resolved after 30.
pub const REGULAR: &str = "PINC0042";

/// An incident as the server keeps it.
#[derive(Debug, Clone)]
pub struct FixtureIncident {
    pub id: String,
    pub number: i64,
    pub title: String,
    pub service: String,
    pub team: String,
    pub urgency: &'static str,
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub merged_into: Option<String>,
}

/// A log entry as the server keeps it.
#[derive(Debug, Clone)]
pub struct FixtureLogEntry {
    pub id: String,
    pub kind: &'static str,
    pub incident: String,
    pub at: DateTime<Utc>,
}

/// A whole account.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    pub incidents: Vec<FixtureIncident>,
    pub log_entries: Vec<FixtureLogEntry>,
}

/// PagerDuty's instant format with `time_zone=UTC`.
pub fn pd_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Fixture {
    /// 260 regular incidents (110 spread over the 5 months before the last 30 days, 150 in the
    /// last 25 days, so one window needs several pages) plus the named cases.
    pub fn standard(now: DateTime<Utc>) -> Fixture {
        let mut f = Fixture::default();
        for i in 0..260i64 {
            let created = if i < 110 {
                now - Duration::days(175) + Duration::seconds(i * 145 * 86_400 / 110)
            } else {
                now - Duration::days(25) + Duration::seconds((i - 110) * 24 * 86_400 / 150)
            };
            f.regular(&format!("PINC{i:04}"), created);
        }

        let t = now - Duration::days(10);
        f.add(
            REOPENED,
            t,
            "resolved",
            Some(t + Duration::minutes(90)),
            None,
        );
        f.log(REOPENED, "trigger_log_entry", t);
        f.log(REOPENED, "acknowledge_log_entry", t + Duration::minutes(2));
        f.log(REOPENED, "resolve_log_entry", t + Duration::minutes(10));
        f.log(REOPENED, "trigger_log_entry", t + Duration::minutes(60));
        f.log(REOPENED, "resolve_log_entry", t + Duration::minutes(90));

        let t = now - Duration::days(9);
        f.add(MERGED, t, "resolved", Some(t + Duration::minutes(5)), None);
        f.incidents.last_mut().expect("just added").merged_into = Some(MERGE_TARGET.into());
        f.log(MERGED, "trigger_log_entry", t);
        f.log(MERGED, "resolve_log_entry", t + Duration::minutes(5));

        let t = now - Duration::days(8);
        f.add(
            UNACKED,
            t,
            "resolved",
            Some(t + Duration::minutes(20)),
            None,
        );
        f.log(UNACKED, "trigger_log_entry", t);
        f.log(UNACKED, "notify_log_entry", t + Duration::minutes(1));
        f.log(UNACKED, "resolve_log_entry", t + Duration::minutes(20));

        let t = now - Duration::hours(2);
        f.add(
            PENDING,
            t,
            "acknowledged",
            None,
            Some(t + Duration::minutes(5)),
        );
        f.log(PENDING, "trigger_log_entry", t);
        f.log(PENDING, "acknowledge_log_entry", t + Duration::minutes(5));

        let t = now - Duration::minutes(1);
        f.add(LAST, t, "triggered", None, None);
        f.log(LAST, "trigger_log_entry", t);
        f
    }

    /// `count` incidents in the `span` before `now`, each with only a trigger entry.
    pub fn dense(now: DateTime<Utc>, count: i64, span: Duration) -> Fixture {
        let mut f = Fixture::default();
        for i in 0..count {
            let created = now - span + Duration::seconds(i * span.num_seconds() / count);
            let id = format!("PD{i:05}");
            f.add(&id, created, "triggered", None, None);
            f.log(&id, "trigger_log_entry", created);
        }
        f
    }

    /// A regular incident: triggered, notified, acknowledged after 3 minutes, resolved after 30.
    pub fn regular(&mut self, id: &str, created: DateTime<Utc>) {
        self.add(
            id,
            created,
            "resolved",
            Some(created + Duration::minutes(30)),
            None,
        );
        self.log(id, "trigger_log_entry", created);
        self.log(id, "notify_log_entry", created + Duration::minutes(1));
        self.log(id, "acknowledge_log_entry", created + Duration::minutes(3));
        self.log(id, "resolve_log_entry", created + Duration::minutes(30));
    }

    pub fn add(
        &mut self,
        id: &str,
        created_at: DateTime<Utc>,
        status: &'static str,
        resolved_at: Option<DateTime<Utc>>,
        acknowledged_at: Option<DateTime<Utc>>,
    ) {
        let number = self.incidents.len() as i64 + 1;
        self.incidents.push(FixtureIncident {
            id: id.into(),
            number,
            title: format!("Checkout latency {number}"),
            service: ["checkout", "search", "payments"][number as usize % 3].into(),
            team: "Core".into(),
            urgency: if number % 4 == 0 { "low" } else { "high" },
            status,
            created_at,
            resolved_at,
            acknowledged_at,
            merged_into: None,
        });
    }

    pub fn log(&mut self, incident: &str, kind: &'static str, at: DateTime<Utc>) {
        let id = format!("R{:06}", self.log_entries.len() + 1);
        self.log_entries.push(FixtureLogEntry {
            id,
            kind,
            incident: incident.into(),
            at,
        });
    }

    /// Resolves an open incident at `at`, as PagerDuty would record it.
    pub fn resolve(&mut self, id: &str, at: DateTime<Utc>) {
        let incident = self
            .incidents
            .iter_mut()
            .find(|i| i.id == id)
            .expect("known incident");
        incident.status = "resolved";
        incident.resolved_at = Some(at);
        self.log(id, "resolve_log_entry", at);
    }

    /// The incident's JSON as `GET /incidents` with `include[]=services,teams` shows it.
    pub fn incident_json(i: &FixtureIncident) -> Value {
        let acknowledgements: Vec<Value> = match (i.status, i.acknowledged_at) {
            ("acknowledged", Some(at)) => vec![json!({
                "at": pd_time(at),
                "acknowledger": {"id": "PUSER1", "type": "user_reference", "summary": "Ana"}
            })],
            _ => vec![],
        };
        let resolve_reason = match &i.merged_into {
            Some(target) => json!({
                "type": "merge_resolve_reason",
                "incident": {"id": target, "type": "incident_reference", "summary": "target"}
            }),
            None => Value::Null,
        };
        let last_change = i.resolved_at.or(i.acknowledged_at).unwrap_or(i.created_at);
        json!({
            "id": i.id,
            "type": "incident",
            "summary": format!("[#{}] {}", i.number, i.title),
            "self": format!("https://api.pagerduty.com/incidents/{}", i.id),
            "html_url": format!("https://acme.pagerduty.com/incidents/{}", i.id),
            "incident_number": i.number,
            "title": i.title,
            "created_at": pd_time(i.created_at),
            "status": i.status,
            "urgency": i.urgency,
            "incident_key": format!("key-{}", i.id),
            "service": {"id": "PSVC1", "type": "service", "summary": i.service, "name": i.service},
            "teams": [{"id": "PTEAM1", "type": "team", "summary": i.team, "name": i.team}],
            "assignments": [],
            "acknowledgements": acknowledgements,
            "last_status_change_at": pd_time(last_change),
            "resolved_at": i.resolved_at.map(pd_time),
            "resolve_reason": resolve_reason,
            "alert_counts": {"all": 1, "triggered": 0, "resolved": 1}
        })
    }

    /// The entry's JSON as `GET /log_entries` shows it.
    pub fn log_entry_json(e: &FixtureLogEntry) -> Value {
        json!({
            "id": e.id,
            "type": e.kind,
            "summary": e.kind.trim_end_matches("_log_entry").replace('_', " "),
            "self": format!("https://api.pagerduty.com/log_entries/{}", e.id),
            "created_at": pd_time(e.at),
            "agent": {"id": "PUSER1", "type": "user_reference", "summary": "Ana"},
            "channel": {"type": "api"},
            "incident": {"id": e.incident, "type": "incident_reference"}
        })
    }
}
