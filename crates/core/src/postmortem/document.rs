//! The parts of a postmortem document and the rules of its review cycle.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ActionItemId, TimelineItemId};
use crate::ids::IncidentId;

/// Where a postmortem stands. Only a draft (or one in review) can be edited: a published
/// postmortem is what the organisation read, so changing it needs an explicit reopen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostmortemStatus {
    /// Being written.
    Draft,
    /// Sent to its reviewers; still editable so review comments can be worked in.
    InReview,
    /// Final; refuses edits until reopened.
    Published,
}

/// A status change the review cycle does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    /// Review needs at least one reviewer, or nobody would be asked.
    #[error("name at least one reviewer to send the postmortem to review")]
    NoReviewers,
    /// The change makes no sense from the current status.
    #[error("a postmortem that is {from} cannot be {to}; {hint}")]
    NotAllowed {
        /// The current status.
        from: &'static str,
        /// What was asked.
        to: &'static str,
        /// What to do instead.
        hint: &'static str,
    },
}

impl PostmortemStatus {
    /// The stable name used in the database and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            PostmortemStatus::Draft => "draft",
            PostmortemStatus::InReview => "in_review",
            PostmortemStatus::Published => "published",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(PostmortemStatus::Draft),
            "in_review" => Some(PostmortemStatus::InReview),
            "published" => Some(PostmortemStatus::Published),
            _ => None,
        }
    }

    /// Whether sections, the timeline and action items may change.
    pub fn is_editable(self) -> bool {
        self != PostmortemStatus::Published
    }

    /// The status after sending to review with `reviewers`.
    pub fn to_review(self, reviewers: &[String]) -> Result<Self, StatusError> {
        if reviewers.iter().all(|r| r.trim().is_empty()) {
            return Err(StatusError::NoReviewers);
        }
        match self {
            PostmortemStatus::Published => Err(self.refuse("sent to review")),
            _ => Ok(PostmortemStatus::InReview),
        }
    }

    /// The status after publishing.
    pub fn to_published(self) -> Result<Self, StatusError> {
        match self {
            PostmortemStatus::Published => Err(self.refuse("published again")),
            _ => Ok(PostmortemStatus::Published),
        }
    }

    /// The status after reopening: a draft again.
    pub fn to_reopened(self) -> Result<Self, StatusError> {
        match self {
            PostmortemStatus::Published => Ok(PostmortemStatus::Draft),
            _ => Err(self.refuse("reopened")),
        }
    }

    fn refuse(self, to: &'static str) -> StatusError {
        let hint = match self {
            PostmortemStatus::Published => "reopen it first",
            _ => "it is already open for editing",
        };
        StatusError::NotAllowed {
            from: self.as_str(),
            to,
            hint,
        }
    }
}

/// One titled part of the document, written in Markdown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Stable key (the slug of the template's heading), so saves address a section by name.
    pub key: String,
    /// The heading shown.
    pub title: String,
    /// What the template asks the writer to cover; shown as a hint, never exported.
    pub prompt: String,
    /// The text, Markdown.
    pub body: String,
}

/// A moment the review keeps coming back to; the KPIs of the postmortem are read between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyMoment {
    /// Users started to be affected.
    ImpactStart,
    /// Someone (or something) noticed.
    Detection,
    /// The impact stopped.
    Mitigation,
    /// Fully fixed.
    Resolution,
}

impl KeyMoment {
    /// The stable name used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyMoment::ImpactStart => "impact_start",
            KeyMoment::Detection => "detection",
            KeyMoment::Mitigation => "mitigation",
            KeyMoment::Resolution => "resolution",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "impact_start" => Some(KeyMoment::ImpactStart),
            "detection" => Some(KeyMoment::Detection),
            "mitigation" => Some(KeyMoment::Mitigation),
            "resolution" => Some(KeyMoment::Resolution),
            _ => None,
        }
    }

    /// The words a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            KeyMoment::ImpactStart => "Impact start",
            KeyMoment::Detection => "Detection",
            KeyMoment::Mitigation => "Mitigation",
            KeyMoment::Resolution => "Resolution",
        }
    }
}

/// One entry of the postmortem's timeline: a copy of a synced event (so later syncs do not
/// rewrite what the review discussed) or one a person added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineItem {
    /// Its id.
    pub id: TimelineItemId,
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// The incident it came from; `None` for an entry a person added.
    pub incident_id: Option<IncidentId>,
    /// The event kind's stable name (`triggered`, `acknowledged`, ...; `note` for added ones).
    pub kind: String,
    /// Who did it, where known.
    pub actor: Option<String>,
    /// What happened.
    pub summary: String,
    /// The review's own remark on this moment.
    pub annotation: Option<String>,
    /// The key moment this entry marks, if any.
    pub key_moment: Option<KeyMoment>,
}

/// How urgent an action item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionPriority {
    /// Do it before anything else.
    High,
    /// Plan it in.
    Medium,
    /// When there is room.
    Low,
}

impl ActionPriority {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionPriority::High => "high",
            ActionPriority::Medium => "medium",
            ActionPriority::Low => "low",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "high" => Some(ActionPriority::High),
            "medium" => Some(ActionPriority::Medium),
            "low" => Some(ActionPriority::Low),
            _ => None,
        }
    }
}

/// Where an action item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// Not started.
    Open,
    /// Someone works on it.
    InProgress,
    /// Finished.
    Done,
    /// Decided against, with the reason in the description.
    WontDo,
}

impl ActionStatus {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::WontDo => "wont_do",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(ActionStatus::Open),
            "in_progress" => Some(ActionStatus::InProgress),
            "done" => Some(ActionStatus::Done),
            "wont_do" => Some(ActionStatus::WontDo),
            _ => None,
        }
    }
}

/// Follow-up work the review agreed on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    /// Its id.
    pub id: ActionItemId,
    /// What is to be done.
    pub description: String,
    /// Who answers for it.
    pub owner: Option<String>,
    /// By when.
    pub due: Option<NaiveDate>,
    /// How urgent.
    pub priority: ActionPriority,
    /// Where it is.
    pub status: ActionStatus,
    /// The tracker ticket, where one exists.
    pub ticket_url: Option<String>,
    /// The FMEA action the same work is recorded as, so risk and review stay in step.
    pub fmea_action_id: Option<String>,
}
