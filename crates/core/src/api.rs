//! The shapes that cross the boundary between the UI and the app's commands. They live here so
//! the UI (wasm) and the app (native) cannot disagree on a field.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::SourceId;
use crate::incident::{Incident, IncidentStatus, Urgency};
use crate::source::SourceKind;

/// Which column the incident table is sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentSort {
    /// Newest first by default.
    #[default]
    CreatedAt,
    /// By title, A to Z.
    Title,
    /// By service name.
    Service,
    /// High before low.
    Urgency,
    /// Triggered, acknowledged, resolved.
    Status,
    /// By time to resolve (open ones last).
    TimeToResolve,
}

/// A filtered, sorted, paged request for incidents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IncidentQuery {
    /// Only these statuses; empty means all.
    #[serde(default)]
    pub statuses: Vec<IncidentStatus>,
    /// Only this urgency.
    #[serde(default)]
    pub urgency: Option<Urgency>,
    /// Only this service (exact name).
    #[serde(default)]
    pub service: Option<String>,
    /// Words that must appear in the title, service, team or vendor number.
    #[serde(default)]
    pub text: Option<String>,
    /// Include incidents merged into others (left out by default, as they are from the counts).
    #[serde(default)]
    pub include_merged: bool,
    /// Sort column.
    #[serde(default)]
    pub sort: IncidentSort,
    /// Ascending instead of the column's natural order.
    #[serde(default)]
    pub ascending: bool,
    /// Page size; the store caps it.
    #[serde(default)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[serde(default)]
    pub offset: u32,
}

/// Counts over the rows a query matches (before paging), shown above the table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentCounts {
    /// All rows that match.
    pub total: u64,
    /// Of those, triggered.
    pub triggered: u64,
    /// Of those, acknowledged.
    pub acknowledged: u64,
    /// Of those, resolved.
    pub resolved: u64,
    /// Merged-away incidents among the matches (only when they are included).
    pub merged: u64,
}

/// One page of incidents with the counts and the values the filters offer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct IncidentPage {
    /// The rows of this page.
    pub incidents: Vec<Incident>,
    /// Counts over every match.
    pub counts: IncidentCounts,
    /// Every service name in the cache, for the service filter.
    pub services: Vec<String>,
}

/// One timeline entry as shown in the detail view.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// The stable kind name (see [`crate::EventKind`]).
    pub kind: String,
    /// Who did it, where known.
    pub actor: Option<String>,
    /// What happened, in the vendor's words.
    pub summary: String,
}

/// An incident with its timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentDetail {
    /// The incident.
    pub incident: Incident,
    /// The source's name.
    pub source_name: String,
    /// Oldest first.
    pub timeline: Vec<TimelineRow>,
}

/// A configured source as the Sources page shows it. Never carries a token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceView {
    /// Vigil's id for it; also the keychain entry's user name.
    pub id: SourceId,
    /// What it talks to.
    pub kind: SourceKind,
    /// The name the user gave it.
    pub name: String,
    /// The API's base URL (none for the demo).
    pub base_url: Option<String>,
    /// When the last sync finished without error.
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last sync's error, in words a user can act on; cleared by a success.
    pub last_error: Option<String>,
    /// When that error happened.
    pub last_error_at: Option<DateTime<Utc>>,
    /// Incidents fetched by the last sync.
    pub last_fetched: u64,
    /// Incidents from this source in the cache.
    pub incident_count: u64,
    /// Whether a token is stored for it (the token itself never leaves the engine).
    pub has_token: bool,
    /// Whether a sync is running now.
    pub syncing: bool,
    /// How often it syncs on its own, in minutes.
    pub interval_minutes: u32,
    /// When it next syncs on its own; `None` when it is due now (never synced) or never (demo).
    pub next_sync_at: Option<DateTime<Utc>>,
}

/// What a finished sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncReport {
    /// Incidents received from the vendor (a re-sent one counts each time).
    pub incidents_fetched: u64,
    /// Incidents new to the cache.
    pub incidents_created: u64,
    /// Known incidents whose fields or milestones changed.
    pub incidents_updated: u64,
    /// Timeline entries received.
    pub events_fetched: u64,
    /// HTTP requests made, retries included.
    pub requests: u64,
}

/// Progress of a running sync, sent to the window as it goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncProgress {
    /// Which source.
    pub source_id: SourceId,
    /// What it is doing, for a person ("incidents 2026-05-01 to 2026-05-31").
    pub stage: String,
    /// Fraction of the time range done, 0 to 1.
    pub fraction: f64,
    /// Incidents received so far.
    pub incidents_fetched: u64,
}

/// Where the app keeps things, for the About box and diagnostics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The SQLite file in use.
    pub database_path: String,
    /// The folder of the rolling log files.
    pub log_dir: String,
}

/// A command's failure as the UI receives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    /// A stable machine-readable kind (`network`, `auth`, `bad_input`, ...).
    pub kind: String,
    /// What went wrong and what to do, in words for a person.
    pub message: String,
}
