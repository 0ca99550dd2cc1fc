//! The inbox: every alert, shown or suppressed, kept for the person who was asleep, in a
//! meeting, or looking at another screen when it came.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::alert::{AlertSubject, PopupUrgency};
use super::rule::{AlertRuleId, RuleKind};

/// An inbox entry's id (UUIDv7, made by the engine), so entries sort by time on their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InboxEntryId(pub Uuid);

impl fmt::Display for InboxEntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for InboxEntryId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(InboxEntryId)
    }
}

/// One alert as the inbox keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InboxEntry {
    /// Its id.
    pub id: InboxEntryId,
    /// When the alert was raised.
    pub at: DateTime<Utc>,
    /// The rule that raised it; `None` once that rule was deleted.
    pub rule_id: Option<AlertRuleId>,
    /// The rule's name when it raised it.
    pub rule_name: String,
    /// What the rule listened for.
    pub kind: RuleKind,
    /// What it is about.
    pub subject: AlertSubject,
    /// The popup's insistence.
    pub urgency: PopupUrgency,
    /// The popup's first line.
    pub summary: String,
    /// The popup's text.
    pub body: String,
    /// What was done with it: `notify`, `update`, `fold` or `suppress`.
    pub delivery: String,
    /// Why it was suppressed (`quiet_hours`, `do_not_disturb`, `renotify_interval`).
    pub reason: Option<String>,
    /// When the user read it; `None` while unread.
    pub read_at: Option<DateTime<Utc>>,
}

impl InboxEntry {
    /// Whether the user has not read it yet (the tray's count).
    pub fn is_unread(&self) -> bool {
        self.read_at.is_none()
    }
}
