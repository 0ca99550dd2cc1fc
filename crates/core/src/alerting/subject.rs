//! What alerts are about: an incident as the rules read it, a change between two readings, and
//! a source's sync health.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{IncidentId, SourceId};
use crate::incident::{Incident, IncidentStatus, Urgency};

/// The fields of an incident the rules look at, with two the cached [`Incident`] does not carry:
/// when its current open stretch began and how far it has escalated in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentSnapshot {
    /// Vigil's id.
    pub id: IncidentId,
    /// Its source.
    pub source_id: SourceId,
    /// The vendor's human-facing number, shown in the popup.
    pub number: Option<i64>,
    /// One-line summary.
    pub title: String,
    /// The affected service.
    pub service: Option<String>,
    /// The owning team.
    pub team: Option<String>,
    /// Normalised urgency.
    pub urgency: Urgency,
    /// The vendor's own urgency or severity word ("SEV1", "P2"), for severity filters.
    pub severity: Option<String>,
    /// Where it stands.
    pub status: IncidentStatus,
    /// When the vendor opened it; the popup's age counts from here.
    pub created_at: DateTime<Utc>,
    /// When its current open stretch began: the creation, or the trigger that last reopened it.
    /// "Unacknowledged for N minutes" counts from here.
    pub open_since: DateTime<Utc>,
    /// Escalations in the current open stretch (0 while the first level has it).
    pub escalation_level: u32,
    /// How often it was reopened.
    pub reopen_count: u32,
    /// Merged into another incident: never alerted on, the other one is.
    pub merged: bool,
}

impl IncidentSnapshot {
    /// A snapshot of a cached incident, with what the engine read from its timeline.
    pub fn from_incident(
        incident: &Incident,
        open_since: DateTime<Utc>,
        escalation_level: u32,
    ) -> Self {
        IncidentSnapshot {
            id: incident.id,
            source_id: incident.source_id,
            number: incident.number,
            title: incident.title.clone(),
            service: incident.service.clone(),
            team: incident.team.clone(),
            urgency: incident.urgency,
            severity: incident.urgency_raw.clone(),
            status: incident.status,
            created_at: incident.created_at,
            open_since: open_since.max(incident.created_at),
            escalation_level,
            reopen_count: incident.reopen_count,
            merged: incident.is_merged(),
        }
    }

    /// Open and not merged away: the only incidents worth an alert.
    pub fn is_live(&self) -> bool {
        self.status.is_open() && !self.merged
    }

    /// How the incident is named in a popup: its number where the vendor has one.
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("#{n} {}", self.title),
            None => self.title.clone(),
        }
    }
}

/// What a sync did to one incident, as alerting sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentChange {
    /// How alerting last saw it; `None` for an incident new to Vigil.
    pub before: Option<IncidentSnapshot>,
    /// How it is now.
    pub after: IncidentSnapshot,
}

/// How a source's syncs are going, for the "sync failing" rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceHealth {
    /// The source.
    pub source_id: SourceId,
    /// Its name, for the popup.
    pub name: String,
    /// Since when Vigil has had no good sync from it while its syncs fail: `None` when the last
    /// sync went through.
    pub failing_since: Option<DateTime<Utc>>,
    /// The last failure, in words.
    pub last_error: Option<String>,
}
