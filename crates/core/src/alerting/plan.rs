//! The popups an evaluation shows: one per popup however many alerts touch it, so a batch that
//! updates an incident three times sends the notification server one message.

use serde::{Deserialize, Serialize};

use super::alert::{Alert, PopupUrgency};
use super::decide::Delivery;
use super::history::{Burst, NotificationHistory, PopupKey};
use crate::ids::IncidentId;

/// A popup to show or replace, once per popup per evaluation however many alerts it carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PopupShow {
    /// Which popup.
    pub key: PopupKey,
    /// Whether the popup existed before this evaluation (replace it in place) or is new.
    pub replaces_existing: bool,
    /// First line.
    pub summary: String,
    /// Text.
    pub body: String,
    /// Insistence.
    pub urgency: PopupUrgency,
    /// The incident the "Open" action opens, for an incident's popup.
    pub incident: Option<IncidentId>,
    /// For a summary, the burst it sums up (the engine stores it with the popup).
    pub burst: Option<Burst>,
}

/// Adds or refreshes the popup a delivery touches: the last alert's words win, and a popup new
/// in this evaluation stays new however often it is touched again.
pub(crate) fn plan_popup(
    popups: &mut Vec<PopupShow>,
    alert: &Alert,
    delivery: Delivery,
    history: &NotificationHistory,
    burst_before: Option<PopupKey>,
) {
    let show = match delivery {
        Delivery::Notify | Delivery::Update => PopupShow {
            key: PopupKey::Subject {
                subject: alert.subject,
            },
            replaces_existing: delivery == Delivery::Update,
            summary: alert.summary.clone(),
            body: alert.body.clone(),
            urgency: alert.urgency,
            incident: alert.subject.incident(),
            burst: None,
        },
        Delivery::Fold { summary } => {
            let Some(burst) = history.burst.as_ref() else {
                return;
            };
            PopupShow {
                key: summary,
                replaces_existing: burst_before == Some(summary),
                summary: burst.headline(),
                body: burst.body(),
                urgency: if burst.critical {
                    PopupUrgency::Critical
                } else {
                    PopupUrgency::Normal
                },
                incident: None,
                burst: Some(burst.clone()),
            }
        }
        Delivery::Suppress(_) => return,
    };
    match popups.iter_mut().find(|p| p.key == show.key) {
        Some(planned) => {
            let replaces_existing = planned.replaces_existing;
            *planned = PopupShow {
                replaces_existing,
                ..show
            };
        }
        None => popups.push(show),
    }
}
