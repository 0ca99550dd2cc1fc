//! One evaluation: gather the inputs from the store, let `vigil_core::alerting` decide, store the
//! inbox entries and the memory, in that order, so the decisions are kept even when no popup
//! can be shown.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use tracing::debug;
use vigil_core::alerting::{
    self, AlertDecision, AlertInputs, AlertSubject, Delivery, Evaluation, IncidentChange,
};
use vigil_core::IncidentId;

use crate::error::Result;
use crate::store::{
    add_inbox_entries_tx, record_popups_tx, remember_seen_tx, source_health_tx, Store,
    UpsertOutcome,
};

/// Decides the alerts of `changed` (from a sync; empty on a timer tick) and of the time-based
/// rules at `now`, and stores them.
pub(super) fn evaluate(
    store: &mut Store,
    changed: &[(IncidentId, UpsertOutcome)],
    now: DateTime<Utc>,
) -> Result<Evaluation> {
    let rules = store.alert_rules()?;
    let settings = store.alert_settings()?;

    let mut ids = Vec::new();
    let mut created = HashSet::new();
    for (id, outcome) in changed {
        if !ids.contains(id) {
            ids.push(*id);
        }
        if *outcome == UpsertOutcome::Created {
            created.insert(*id);
        }
    }
    let snapshots = store.incident_snapshots(&ids)?;
    let seen = store.seen_incidents(&ids)?;
    let mut changes = Vec::with_capacity(snapshots.len());
    for after in &snapshots {
        let before = match (seen.get(&after.id), created.contains(&after.id)) {
            (Some(seen), _) => Some(seen.apply_to(after)),
            (None, true) => None,
            (None, false) => {
                debug!(incident = %after.id, "first sight of a known incident sets its baseline");
                continue;
            }
        };
        changes.push(IncidentChange {
            before,
            after: after.clone(),
        });
    }

    let waiting = store.waiting_incidents()?;
    let sources = store.write(|tx| source_health_tx(tx, now))?;
    let subjects: Vec<AlertSubject> = snapshots
        .iter()
        .chain(&waiting)
        .map(|i| AlertSubject::Incident(i.id))
        .chain(sources.iter().map(|s| AlertSubject::Source(s.source_id)))
        .collect();
    let mut history = store.alert_history(now, &settings, &subjects)?;

    let inputs = AlertInputs {
        rules: &rules,
        settings: &settings,
        changes: &changes,
        waiting: &waiting,
        sources: &sources,
        now,
    };
    let evaluation = alerting::evaluate(&inputs, &mut history);
    evaluation.decisions.iter().for_each(log_decision);

    store.write(|tx| {
        add_inbox_entries_tx(tx, &evaluation.decisions)?;
        record_popups_tx(tx, &evaluation.popups, now)?;
        remember_seen_tx(tx, &snapshots)
    })?;
    Ok(evaluation)
}

/// Every decision at debug level, with the rule that matched and why it was held back.
fn log_decision(decision: &AlertDecision) {
    let alert = &decision.alert;
    let reason = match decision.delivery {
        Delivery::Suppress(reason) => reason.as_str(),
        _ => "",
    };
    debug!(
        rule = %alert.rule_name,
        rule_id = %alert.rule_id,
        kind = alert.kind.as_str(),
        subject = %alert.subject,
        episode = alert.episode,
        delivery = decision.delivery.as_str(),
        reason,
        summary = %alert.summary,
        "alert decided"
    );
}
