//! The normalised incident: what every connector produces and every metric reads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{IncidentId, SourceId};

/// Where an incident stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncidentStatus {
    /// Open and nobody has acknowledged it (or an acknowledgement was withdrawn).
    Triggered,
    /// Open and someone is on it.
    Acknowledged,
    /// Closed. A reopened incident goes back to `Triggered` and loses its resolved time.
    Resolved,
}

impl IncidentStatus {
    /// The stable name used in the database, the CLI and the UI's filters.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Triggered => "triggered",
            IncidentStatus::Acknowledged => "acknowledged",
            IncidentStatus::Resolved => "resolved",
        }
    }

    /// Parses the stable name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "triggered" => Some(IncidentStatus::Triggered),
            "acknowledged" => Some(IncidentStatus::Acknowledged),
            "resolved" => Some(IncidentStatus::Resolved),
            _ => None,
        }
    }

    /// Whether the incident still needs work.
    pub fn is_open(self) -> bool {
        self != IncidentStatus::Resolved
    }
}

/// How urgently an incident must be handled, normalised across vendors. The vendor's own word is
/// kept beside it in [`Incident::urgency_raw`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    /// Pages someone now.
    High,
    /// Waits for working hours.
    Low,
}

impl Urgency {
    /// The stable name used in the database, the CLI and the UI's filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::High => "high",
            Urgency::Low => "low",
        }
    }

    /// Parses the stable name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "high" => Some(Urgency::High),
            "low" => Some(Urgency::Low),
            _ => None,
        }
    }
}

/// One incident as Vigil keeps it. Instants are UTC; the UI shows them in the user's zone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Vigil's own id, stable across re-syncs.
    pub id: IncidentId,
    /// The configured source it came from.
    pub source_id: SourceId,
    /// The vendor's id; unique within a source.
    pub external_id: String,
    /// The vendor's human-facing number (PagerDuty's `incident_number`), where it has one.
    pub number: Option<i64>,
    /// One-line summary.
    pub title: String,
    /// The affected service's name.
    pub service: Option<String>,
    /// The owning team's name.
    pub team: Option<String>,
    /// Normalised urgency.
    pub urgency: Urgency,
    /// The vendor's urgency or severity word, as given.
    pub urgency_raw: Option<String>,
    /// Where it stands now.
    pub status: IncidentStatus,
    /// When the vendor opened it.
    pub created_at: DateTime<Utc>,
    /// The first acknowledgement ever; set once and kept through later updates.
    pub first_acknowledged_at: Option<DateTime<Utc>>,
    /// The last resolution; `None` while open (a reopened incident loses it until re-closed).
    pub resolved_at: Option<DateTime<Utc>>,
    /// When set, the vendor id of the incident this one was merged into. Merged-away incidents
    /// are kept but left out of counts and durations.
    pub merged_into: Option<String>,
    /// How many times it was reopened after a resolution.
    pub reopen_count: u32,
    /// The vendor's web page for it.
    pub url: Option<String>,
    /// When Vigil last changed this record.
    pub updated_at: DateTime<Utc>,
}

impl Incident {
    /// Whether it was merged into another incident.
    pub fn is_merged(&self) -> bool {
        self.merged_into.is_some()
    }

    /// Seconds from creation to first acknowledgement, for acknowledged incidents.
    pub fn seconds_to_acknowledge(&self) -> Option<i64> {
        self.first_acknowledged_at
            .map(|a| (a - self.created_at).num_seconds())
    }

    /// Seconds from creation to resolution, for resolved incidents only: a duration is never
    /// `now - start`, so an open incident has none.
    pub fn seconds_to_resolve(&self) -> Option<i64> {
        self.resolved_at
            .map(|r| (r - self.created_at).num_seconds())
    }
}
