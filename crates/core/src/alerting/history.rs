//! What has been shown already: the memory that makes one incident one popup, spaces repeats,
//! fires the time-based rules once, and holds a burst's summary.
//!
//! The engine rebuilds it from the database before each evaluation (the inbox and the popup
//! table are its record), and the evaluation updates it as it decides, so a thousand alerts in
//! one batch see each other.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::alert::AlertSubject;
use super::rule::AlertRuleId;

/// A popup as the notification server knows it: one per subject, plus one per burst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PopupKey {
    /// The popup of one incident or source.
    Subject {
        /// Whose popup.
        subject: AlertSubject,
    },
    /// The summary of the burst that started at `started_at`.
    Summary {
        /// When the burst's first alert was folded.
        started_at: DateTime<Utc>,
    },
}

impl PopupKey {
    /// Parses the `Display` form (`incident:<uuid>`, `source:<uuid>`, `summary:<unix seconds>`).
    pub fn parse(text: &str) -> Option<Self> {
        if let Some(secs) = text.strip_prefix("summary:") {
            let started_at = DateTime::from_timestamp(secs.parse().ok()?, 0)?;
            return Some(PopupKey::Summary { started_at });
        }
        AlertSubject::parse(text).map(|subject| PopupKey::Subject { subject })
    }
}

impl fmt::Display for PopupKey {
    /// The stable key used in the database.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PopupKey::Subject { subject } => subject.fmt(f),
            PopupKey::Summary { started_at } => write!(f, "summary:{}", started_at.timestamp()),
        }
    }
}

/// The running summary of a burst: what it has folded so far, for its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Burst {
    /// When it started; also its popup's key.
    pub started_at: DateTime<Utc>,
    /// The last alert folded into it; the burst ends a storm window after this.
    pub last_at: DateTime<Utc>,
    /// Alerts folded.
    pub folded: u32,
    /// How many of them were new incidents (the summary says "new incidents" when all were).
    pub new_incidents: u32,
    /// Folded alerts per service, for "in payments" or "in payments, checkout and 2 more".
    pub services: BTreeMap<String, u32>,
    /// Whether any was critical; the summary is then critical too.
    pub critical: bool,
    /// The latest folded alert's text.
    pub latest: String,
}

impl Burst {
    /// The summary's popup.
    pub fn key(&self) -> PopupKey {
        PopupKey::Summary {
            started_at: self.started_at,
        }
    }

    /// The summary's first line: "12 new incidents in payments".
    pub fn headline(&self) -> String {
        let noun = match (self.folded == self.new_incidents, self.folded) {
            (true, 1) => "new incident",
            (true, _) => "new incidents",
            (false, 1) => "alert",
            (false, _) => "alerts",
        };
        let mut by_count: Vec<(&String, &u32)> = self.services.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let names: Vec<&str> = by_count.iter().map(|(s, _)| s.as_str()).collect();
        let place = match names.as_slice() {
            [] => String::new(),
            [one] => format!(" in {one}"),
            [a, b] => format!(" in {a} and {b}"),
            [a, b, rest @ ..] => format!(" in {a}, {b} and {} more", rest.len()),
        };
        format!("{} {noun}{place}", self.folded)
    }

    /// The summary's text.
    pub fn body(&self) -> String {
        format!(
            "Latest: {}. The inbox lists every one.",
            self.latest.trim_end_matches('.')
        )
    }
}

/// When a subject's popup was first and last shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PopupRecord {
    /// Created.
    pub first_shown_at: DateTime<Utc>,
    /// Last created or updated.
    pub last_shown_at: DateTime<Utc>,
}

/// The memory the decisions read and update.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NotificationHistory {
    pub(crate) popups: HashMap<AlertSubject, PopupRecord>,
    pub(crate) recent_popups: Vec<DateTime<Utc>>,
    pub(crate) last_shown: HashMap<(AlertRuleId, AlertSubject), DateTime<Utc>>,
    pub(crate) fired: HashSet<(AlertRuleId, AlertSubject, i64)>,
    pub(crate) burst: Option<Burst>,
}

impl NotificationHistory {
    /// An empty memory: nothing shown yet.
    pub fn new() -> Self {
        NotificationHistory::default()
    }

    /// A subject has a popup; later alerts about it update that popup in place.
    pub fn remember_popup(&mut self, subject: AlertSubject, record: PopupRecord) {
        self.popups.insert(subject, record);
    }

    /// A popup (a subject's or a summary) was created at `at`; the storm limit counts these.
    pub fn remember_popup_created(&mut self, at: DateTime<Utc>) {
        self.recent_popups.push(at);
    }

    /// A rule's alert about a subject was last shown at `at` (popped up, updated or folded);
    /// the re-notify interval counts from the latest.
    pub fn remember_shown(&mut self, rule: AlertRuleId, subject: AlertSubject, at: DateTime<Utc>) {
        let entry = self.last_shown.entry((rule, subject)).or_insert(at);
        *entry = (*entry).max(at);
    }

    /// A time-based rule already fired for this occurrence of its condition.
    pub fn remember_fired(&mut self, rule: AlertRuleId, subject: AlertSubject, episode: i64) {
        self.fired.insert((rule, subject, episode));
    }

    /// The burst under way, if one is.
    pub fn remember_burst(&mut self, burst: Burst) {
        self.burst = Some(burst);
    }

    /// Whether a time-based rule fired already for this occurrence.
    pub fn has_fired(&self, rule: AlertRuleId, subject: AlertSubject, episode: i64) -> bool {
        self.fired.contains(&(rule, subject, episode))
    }

    /// The burst under way, if one is.
    pub fn burst(&self) -> Option<&Burst> {
        self.burst.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IncidentId;

    fn burst(services: &[(&str, u32)], folded: u32, new: u32) -> Burst {
        Burst {
            started_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            last_at: DateTime::from_timestamp(1_800_000_030, 0).unwrap(),
            folded,
            new_incidents: new,
            services: services
                .iter()
                .map(|(s, n)| ((*s).to_owned(), *n))
                .collect(),
            critical: false,
            latest: "Disk full".into(),
        }
    }

    #[test]
    fn a_burst_headline_names_its_services_busiest_first() {
        assert_eq!(
            burst(&[("payments", 12)], 12, 12).headline(),
            "12 new incidents in payments"
        );
        assert_eq!(burst(&[], 1, 1).headline(), "1 new incident");
        assert_eq!(
            burst(&[("api", 2), ("payments", 5)], 7, 6).headline(),
            "7 alerts in payments and api"
        );
        assert_eq!(
            burst(&[("a", 1), ("b", 3), ("c", 2), ("d", 1)], 7, 7).headline(),
            "7 new incidents in b, c and 2 more"
        );
    }

    #[test]
    fn a_popup_key_reads_back_from_its_text() {
        let keys = [
            PopupKey::Subject {
                subject: AlertSubject::Incident(IncidentId(uuid::Uuid::from_u128(3))),
            },
            burst(&[], 1, 1).key(),
        ];
        for key in keys {
            assert_eq!(PopupKey::parse(&key.to_string()), Some(key));
        }
        assert_eq!(PopupKey::parse("summary:soon"), None);
    }
}
