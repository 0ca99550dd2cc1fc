//! A whole postmortem as the engine loads it and the editor shows it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::document::{ActionItem, PostmortemStatus, Section, TimelineItem};
use super::ids::PostmortemId;
use super::prefill::PostmortemFacts;
use crate::ids::IncidentId;

/// One postmortem with everything in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Postmortem {
    /// Its id.
    pub id: PostmortemId,
    /// The title.
    pub title: String,
    /// Where it stands in review.
    pub status: PostmortemStatus,
    /// The template it was made from (its sections may have changed since).
    pub template: String,
    /// Who is asked to review it.
    pub reviewers: Vec<String>,
    /// The incidents it reviews.
    pub incidents: Vec<IncidentId>,
    /// The facts read from them at creation.
    pub facts: PostmortemFacts,
    /// The document, in order.
    pub sections: Vec<Section>,
    /// The review's timeline, oldest first.
    pub timeline: Vec<TimelineItem>,
    /// The follow-up work, in the order added.
    pub actions: Vec<ActionItem>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

/// One line of the postmortem list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PostmortemSummary {
    /// Its id.
    pub id: PostmortemId,
    /// The title.
    pub title: String,
    /// Where it stands.
    pub status: PostmortemStatus,
    /// When the reviewed event began.
    pub started_at: DateTime<Utc>,
    /// How many incidents it reviews.
    pub incident_count: u32,
    /// Action items not yet done or dropped.
    pub open_actions: u32,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}
