//! The decision for each alert: a new popup, the subject's popup updated in place, folded into a
//! burst's summary, or kept to the inbox with the reason why.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::alert::{Alert, AlertSubject, PopupUrgency};
use super::history::{Burst, NotificationHistory, PopupKey, PopupRecord};
use super::plan::{plan_popup, PopupShow};
use super::rule::{AlertRule, RuleKind};
use super::settings::AlertSettings;
use super::subject::{IncidentChange, IncidentSnapshot, SourceHealth};
use super::trigger::{self, Raised};

/// Why an alert did not pop up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum SuppressReason {
    /// Inside the quiet hours, and the rule does not break through them.
    QuietHours,
    /// Do-not-disturb is on, and the rule does not break through it.
    DoNotDisturb,
    /// The same rule popped up about the same subject too recently.
    RenotifyInterval {
        /// When it last did.
        last_shown_at: DateTime<Utc>,
    },
    /// Every rule of the kind filtered the subject out (not an inbox entry).
    Filtered,
}

impl SuppressReason {
    /// The stable name used in the database and the logs.
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressReason::QuietHours => "quiet_hours",
            SuppressReason::DoNotDisturb => "do_not_disturb",
            SuppressReason::RenotifyInterval { .. } => "renotify_interval",
            SuppressReason::Filtered => "filtered",
        }
    }
}

/// What happens to one alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "delivery", rename_all = "snake_case")]
pub enum Delivery {
    /// A new popup for the subject.
    Notify,
    /// The subject's popup, replaced in place: one incident is one popup.
    Update,
    /// Folded into the summary popup of a burst.
    Fold {
        /// The summary.
        summary: PopupKey,
    },
    /// No popup; the inbox keeps it (unless filtered).
    Suppress(SuppressReason),
}

impl Delivery {
    /// The stable name used in the database and the logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Notify => "notify",
            Delivery::Update => "update",
            Delivery::Fold { .. } => "fold",
            Delivery::Suppress(_) => "suppress",
        }
    }
}

/// One alert and what was decided for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertDecision {
    /// The alert.
    pub alert: Alert,
    /// Its fate.
    pub delivery: Delivery,
}

impl AlertDecision {
    /// Every alert, shown or suppressed, goes to the inbox; only a filtered one does not,
    /// since no rule wanted it.
    pub fn is_inbox_entry(&self) -> bool {
        self.delivery != Delivery::Suppress(SuppressReason::Filtered)
    }

    /// The popup it shows in, if any.
    pub fn popup(&self) -> Option<PopupKey> {
        match self.delivery {
            Delivery::Notify | Delivery::Update => Some(PopupKey::Subject {
                subject: self.alert.subject,
            }),
            Delivery::Fold { summary } => Some(summary),
            Delivery::Suppress(_) => None,
        }
    }
}

/// Everything one evaluation looks at.
#[derive(Clone, Copy, Debug)]
pub struct AlertInputs<'a> {
    /// The rules, in the user's order (the first matching one names an alert).
    pub rules: &'a [AlertRule],
    /// Quiet hours, do-not-disturb, intervals.
    pub settings: &'a AlertSettings,
    /// What a sync changed; empty on a timer tick.
    pub changes: &'a [IncidentChange],
    /// Open, unacknowledged incidents, for the "unacknowledged" rules.
    pub waiting: &'a [IncidentSnapshot],
    /// Every source's sync health, for the "sync failing" rules.
    pub sources: &'a [SourceHealth],
    /// The clock.
    pub now: DateTime<Utc>,
}

/// What an evaluation decided, and the popups to show for it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Every alert raised, in order, with its fate.
    pub decisions: Vec<AlertDecision>,
    /// The popups to create or replace, in the order they were first touched.
    pub popups: Vec<PopupShow>,
}

/// Decides every alert the inputs raise, updating `history` as it goes.
pub fn evaluate(inputs: &AlertInputs<'_>, history: &mut NotificationHistory) -> Evaluation {
    let now = inputs.now;
    let mut raised: Vec<Raised> = inputs
        .changes
        .iter()
        .flat_map(|c| trigger::for_change(inputs.rules, c, now))
        .collect();
    let timed = trigger::for_waiting(inputs.rules, inputs.waiting, now)
        .into_iter()
        .chain(trigger::for_sources(inputs.rules, inputs.sources, now));
    for alert in timed {
        if !history.has_fired(alert.rule_id, alert.subject, alert.episode) {
            history.remember_fired(alert.rule_id, alert.subject, alert.episode);
            raised.push(Raised::Alert(alert));
        }
    }

    let mut evaluation = Evaluation::default();
    let burst_before = history.burst.as_ref().map(Burst::key);
    for item in raised {
        let (alert, delivery) = match item {
            Raised::Filtered(alert) => (alert, Delivery::Suppress(SuppressReason::Filtered)),
            Raised::Alert(alert) => {
                let delivery = deliver(inputs.settings, &alert, history, now);
                (alert, delivery)
            }
        };
        plan_popup(
            &mut evaluation.popups,
            &alert,
            delivery,
            history,
            burst_before,
        );
        evaluation.decisions.push(AlertDecision { alert, delivery });
    }
    evaluation
}

/// The delivery of one matched alert, in order of precedence: do-not-disturb, quiet hours, the
/// re-notify interval, the subject's own popup, then the storm limit.
fn deliver(
    settings: &AlertSettings,
    alert: &Alert,
    history: &mut NotificationHistory,
    now: DateTime<Utc>,
) -> Delivery {
    let loud = alert.breaks_through_quiet;
    if settings.do_not_disturb && !loud {
        return Delivery::Suppress(SuppressReason::DoNotDisturb);
    }
    if settings.is_quiet_at(now) && !loud {
        return Delivery::Suppress(SuppressReason::QuietHours);
    }
    let key = (alert.rule_id, alert.subject);
    if let Some(&last_shown_at) = history.last_shown.get(&key) {
        if now - last_shown_at < settings.renotify_interval() {
            return Delivery::Suppress(SuppressReason::RenotifyInterval { last_shown_at });
        }
    }
    history.remember_shown(alert.rule_id, alert.subject, now);

    if let Some(record) = history.popups.get_mut(&alert.subject) {
        record.last_shown_at = now;
        return Delivery::Update;
    }
    let window = settings.storm.window();
    if let Some(burst) = history.burst.as_mut().filter(|b| now - b.last_at < window) {
        fold(burst, alert, now);
        return Delivery::Fold {
            summary: burst.key(),
        };
    }
    history.recent_popups.retain(|at| now - *at < window);
    if history.recent_popups.len() >= settings.storm.max_popups as usize {
        let mut burst = Burst {
            started_at: now,
            last_at: now,
            folded: 0,
            new_incidents: 0,
            services: Default::default(),
            critical: false,
            latest: String::new(),
        };
        fold(&mut burst, alert, now);
        let summary = burst.key();
        history.recent_popups.push(now);
        history.burst = Some(burst);
        return Delivery::Fold { summary };
    }
    history.recent_popups.push(now);
    let record = PopupRecord {
        first_shown_at: now,
        last_shown_at: now,
    };
    history.popups.insert(alert.subject, record);
    Delivery::Notify
}

fn fold(burst: &mut Burst, alert: &Alert, now: DateTime<Utc>) {
    burst.last_at = now;
    burst.folded += 1;
    burst.new_incidents += u32::from(alert.kind == RuleKind::NewIncident);
    if let Some(service) = &alert.service {
        *burst.services.entry(service.clone()).or_default() += 1;
    }
    burst.critical |= alert.urgency == PopupUrgency::Critical;
    burst.latest = match alert.body.rsplit_once(" · ") {
        Some((_, title)) if matches!(alert.subject, AlertSubject::Incident(_)) => title.into(),
        _ => alert.summary.clone(),
    };
}
