//! An incident's updates as Vigil's timeline entries.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use vigil_core::EventKind;

use crate::store::IncomingEvent;
use crate::sync::IncidentEvent;

/// One update posted on the page.
#[derive(Debug, Deserialize)]
pub struct Update {
    /// Statuspage's id for it: the timeline entry's id, so a re-read adds nothing.
    pub id: String,
    /// investigating, identified, monitoring, resolved or postmortem.
    pub status: String,
    /// What the page said.
    #[serde(default)]
    pub body: Option<String>,
    /// When it was posted: the record's clock.
    pub created_at: DateTime<Utc>,
    /// When the page says it happened (back-dated by hand at times): the impact's clock.
    #[serde(default)]
    pub display_at: Option<DateTime<Utc>>,
}

impl Update {
    /// When the page says it happened, or when it was posted where the page says nothing.
    pub fn shown_at(&self) -> DateTime<Utc> {
        self.display_at.unwrap_or(self.created_at)
    }
}

/// The updates as timeline entries, oldest first, at the time each was posted.
///
/// Statuspage has no acknowledgement: "identified" is the first moment the page says the team
/// has the problem in hand, so it stands for one (time to acknowledge reads as time to
/// identify). "monitoring" means a fix is in place and stands for a mitigation. An update that
/// moves a resolved incident back to any open status reopens it, which the milestone rule only
/// sees in a trigger, so that update is recorded as one.
pub fn entries(incident: &str, updates: &[Update]) -> Vec<IncidentEvent> {
    let mut seen = HashSet::new();
    let mut closed = false;
    let mut events = Vec::with_capacity(updates.len());
    for update in updates {
        if !seen.insert(update.id.as_str()) {
            continue;
        }
        let open_status = matches!(
            update.status.as_str(),
            "investigating" | "identified" | "monitoring"
        );
        let kind = match update.status.as_str() {
            "resolved" => EventKind::Resolved,
            "postmortem" => EventKind::Annotated,
            _ if closed && open_status => EventKind::Triggered,
            "investigating" => EventKind::Triggered,
            "identified" => EventKind::Acknowledged,
            "monitoring" => EventKind::Mitigated,
            _ => EventKind::Other,
        };
        match kind {
            EventKind::Resolved => closed = true,
            EventKind::Triggered => closed = false,
            _ => {}
        }
        events.push(IncidentEvent {
            incident: incident.to_owned(),
            event: IncomingEvent {
                external_id: update.id.clone(),
                at: update.created_at,
                kind,
                vendor_type: Some(update.status.clone()),
                actor: None,
                summary: summary(update),
            },
        });
    }
    events
}

/// An update's text, saying when the page shows it happened where that differs from when it
/// was posted by a minute or more.
fn summary(update: &Update) -> String {
    let body = update
        .body
        .as_deref()
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .unwrap_or(update.status.as_str());
    match update.display_at {
        Some(shown) if (shown - update.created_at).num_seconds().abs() >= 60 => format!(
            "{body} (shown on the page at {})",
            shown.format("%Y-%m-%d %H:%M UTC")
        ),
        _ => body.to_owned(),
    }
}
