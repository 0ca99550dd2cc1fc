//! Alerting: which incident changes deserve a person's attention, and whether that attention is
//! a popup now, an update of a popup already on screen, one line in a burst's summary, or an
//! inbox entry for later.
//!
//! Everything here is pure and takes the clock as an argument, so every rule can be tested at
//! any instant, quiet hours and storms included. The engine supplies the inputs (rules, settings,
//! what a sync changed, the sources' health, the [`NotificationHistory`] rebuilt from its
//! database), stores the decisions in the inbox and shows the [`PopupShow`]s.
//!
//! The rules against storms: one incident is one popup, updated in place as it changes; a rule
//! repeats itself about a subject only after the re-notify interval; and past
//! [`StormPolicy::max_popups`] new popups within [`StormPolicy::window_seconds`], the rest of the
//! burst folds into one summary popup updated in place ("12 new incidents in payments").
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use vigil_core::alerting::*;
//! # use vigil_core::*;
//! # let id = |n| uuid::Uuid::from_u128(n);
//! let now = Utc.with_ymd_and_hms(2026, 7, 1, 9, 0, 0).unwrap();
//! let rule = AlertRule {
//!     id: AlertRuleId(id(1)),
//!     name: "Every new incident".into(),
//!     kind: RuleKind::NewIncident,
//!     filter: AlertFilter::default(),
//!     breaks_through_quiet: false,
//!     enabled: true,
//! };
//! let after = IncidentSnapshot {
//!     id: IncidentId(id(2)), source_id: SourceId(id(3)), number: Some(42),
//!     title: "Checkout errors".into(), service: Some("payments".into()), team: None,
//!     urgency: Urgency::High, severity: None, status: IncidentStatus::Triggered,
//!     created_at: now, open_since: now, escalation_level: 0, reopen_count: 0, merged: false,
//! };
//! let changes = [IncidentChange { before: None, after }];
//! let inputs = AlertInputs {
//!     rules: &[rule], settings: &AlertSettings::default(), changes: &changes,
//!     waiting: &[], sources: &[], now,
//! };
//! let evaluation = evaluate(&inputs, &mut NotificationHistory::new());
//! assert_eq!(evaluation.decisions[0].delivery, Delivery::Notify);
//! assert_eq!(evaluation.popups[0].summary, "New high-urgency incident");
//! assert_eq!(evaluation.popups[0].body, "payments · opened under a minute ago · #42 Checkout errors");
//! ```

mod alert;
mod decide;
mod history;
mod inbox;
mod plan;
mod rule;
mod settings;
mod subject;
mod trigger;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod scenarios;
#[cfg(test)]
mod silence;
#[cfg(test)]
mod storm;

pub use alert::{describe_age, Alert, AlertSubject, PopupUrgency};
pub use decide::{evaluate, AlertDecision, AlertInputs, Delivery, Evaluation, SuppressReason};
pub use history::{Burst, NotificationHistory, PopupKey, PopupRecord};
pub use inbox::{InboxEntry, InboxEntryId};
pub use plan::PopupShow;
pub use rule::{AlertFilter, AlertRule, AlertRuleId, RuleKind};
pub use settings::{AlertSettings, QuietHours, StormPolicy};
pub use subject::{IncidentChange, IncidentSnapshot, SourceHealth};
pub use trigger::NEWS_HORIZON_HOURS;
