//! Which rules an incident change, a waiting incident or a failing source sets off. Whether the
//! resulting alert pops up is decided afterwards, in `decide`.

use chrono::{DateTime, Duration, Utc};

use super::alert::{describe_age, Alert};
use super::rule::{AlertRule, RuleKind};
use super::subject::{IncidentChange, IncidentSnapshot, SourceHealth};
use crate::incident::{IncidentStatus, Urgency};

/// How far back an incident's news reaches. An incident opened (or left waiting) longer ago than
/// this when Vigil first learns of it is history, not news: a first sync that reaches 180 days
/// back, or a laptop opened after a week away, fills the inbox with nothing and pops up nothing
/// for it. Failing syncs have no horizon: a source that has been failing for days is news.
pub const NEWS_HORIZON_HOURS: i64 = 24;

/// What the rule matching produced for one trigger.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Raised {
    /// A rule matched: an alert, to be shown or suppressed.
    Alert(Alert),
    /// Rules of the trigger's kind exist but every one's filter turned it away; kept for the
    /// debug log (the filter is the user saying "not for me", so it is no inbox entry).
    Filtered(Alert),
}

/// The alerts one incident change raises: new, escalated, reopened.
pub(crate) fn for_change(
    rules: &[AlertRule],
    change: &IncidentChange,
    now: DateTime<Utc>,
) -> Vec<Raised> {
    let after = &change.after;
    if !after.is_live() {
        return Vec::new();
    }
    let mut raised = Vec::new();
    let Some(before) = &change.before else {
        if now - after.created_at <= Duration::hours(NEWS_HORIZON_HOURS) {
            let summary = format!("New {}-urgency incident", after.urgency.as_str());
            raised.extend(pick(rules, RuleKind::NewIncident, after, 0, summary, now));
        }
        return raised;
    };

    let urgency_rose = before.urgency == Urgency::Low && after.urgency == Urgency::High;
    let level_rose = after.escalation_level > before.escalation_level;
    if urgency_rose || level_rose {
        let summary = match (urgency_rose, level_rose) {
            (true, true) => format!(
                "Escalated to level {}, urgency high",
                after.escalation_level + 1
            ),
            (true, false) => "Urgency raised to high".to_owned(),
            _ => format!("Escalated to level {}", after.escalation_level + 1),
        };
        // Urgency counts as one more step, so a later level rise is a new occurrence.
        let episode = i64::from(after.escalation_level) * 2 + i64::from(urgency_rose);
        raised.extend(pick(
            rules,
            RuleKind::Escalation,
            after,
            episode,
            summary,
            now,
        ));
    }

    let reopened = after.reopen_count > before.reopen_count
        || (before.status == IncidentStatus::Resolved && after.status.is_open());
    if reopened {
        let summary = match after.reopen_count {
            0 | 1 => "Reopened".to_owned(),
            n => format!("Reopened, {n} times now"),
        };
        let episode = i64::from(after.reopen_count);
        raised.extend(pick(
            rules,
            RuleKind::Reopened,
            after,
            episode,
            summary,
            now,
        ));
    }
    raised
}

/// One alert for an incident trigger: the first enabled rule of the kind whose filter admits it
/// (one breaking through quiet hours preferred), or a filtered note when only filters stood in
/// the way, or nothing when no rule of the kind is enabled.
fn pick(
    rules: &[AlertRule],
    kind: RuleKind,
    incident: &IncidentSnapshot,
    episode: i64,
    summary: String,
    now: DateTime<Utc>,
) -> Option<Raised> {
    let of_kind: Vec<&AlertRule> = rules
        .iter()
        .filter(|r| r.enabled && r.kind == kind)
        .collect();
    let admitting = || {
        of_kind
            .iter()
            .filter(|r| r.filter.admits_incident(incident))
    };
    let chosen = admitting()
        .find(|r| r.breaks_through_quiet)
        .or_else(|| admitting().next());
    match (chosen, of_kind.first()) {
        (Some(rule), _) => Some(Raised::Alert(Alert::incident(
            rule, incident, episode, summary, now,
        ))),
        (None, Some(rule)) => Some(Raised::Filtered(Alert::incident(
            rule, incident, episode, summary, now,
        ))),
        (None, None) => None,
    }
}

/// The alerts of incidents left waiting: one per "unacknowledged" rule whose threshold the
/// incident has passed, within the news horizon. Whether it already fired is for `decide`.
pub(crate) fn for_waiting(
    rules: &[AlertRule],
    waiting: &[IncidentSnapshot],
    now: DateTime<Utc>,
) -> Vec<Alert> {
    let mut alerts = Vec::new();
    for incident in waiting {
        if !incident.is_live() || incident.status != IncidentStatus::Triggered {
            continue;
        }
        for rule in rules.iter().filter(|r| r.enabled) {
            let RuleKind::Unacknowledged { minutes } = rule.kind else {
                continue;
            };
            let due = incident.open_since + Duration::minutes(i64::from(minutes));
            let fresh = now - due <= Duration::hours(NEWS_HORIZON_HOURS);
            if due <= now && fresh && rule.filter.admits_incident(incident) {
                let summary = format!(
                    "Unacknowledged for {}",
                    describe_age(now - incident.open_since)
                );
                let episode = i64::from(incident.reopen_count);
                alerts.push(Alert::incident(rule, incident, episode, summary, now));
            }
        }
    }
    alerts
}

/// The alerts of sources whose syncs have failed for longer than a "sync failing" rule allows.
pub(crate) fn for_sources(
    rules: &[AlertRule],
    sources: &[SourceHealth],
    now: DateTime<Utc>,
) -> Vec<Alert> {
    let mut alerts = Vec::new();
    for source in sources {
        let Some(since) = source.failing_since else {
            continue;
        };
        for rule in rules.iter().filter(|r| r.enabled) {
            let RuleKind::SyncFailing { minutes } = rule.kind else {
                continue;
            };
            let due = since + Duration::minutes(i64::from(minutes));
            if due <= now && rule.filter.admits_source(source.source_id) {
                alerts.push(Alert::source(rule, source, since, now));
            }
        }
    }
    alerts
}
