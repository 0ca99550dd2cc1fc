//! Incidents, rules and a runner for the alerting tests, on a controlled clock.

use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::ids::{IncidentId, SourceId};
use crate::incident::{IncidentStatus, Urgency};

pub(super) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 15, 10, 0, 0).unwrap()
}

pub(super) fn minutes(m: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(m)
}

pub(super) fn source() -> SourceId {
    SourceId(Uuid::from_u128(0x5))
}

pub(super) fn incident(n: u128, service: &str) -> IncidentSnapshot {
    IncidentSnapshot {
        id: IncidentId(Uuid::from_u128(0x1000 + n)),
        source_id: source(),
        number: Some(n as i64),
        title: format!("Checkout errors {n}"),
        service: Some(service.into()),
        team: Some("Payments".into()),
        urgency: Urgency::High,
        severity: Some("SEV2".into()),
        status: IncidentStatus::Triggered,
        created_at: t0(),
        open_since: t0(),
        escalation_level: 0,
        reopen_count: 0,
        merged: false,
    }
}

pub(super) fn rule(n: u128, kind: RuleKind) -> AlertRule {
    AlertRule {
        id: AlertRuleId(Uuid::from_u128(n)),
        name: format!("{} rule", kind.as_str()),
        kind,
        filter: AlertFilter::default(),
        breaks_through_quiet: false,
        enabled: true,
    }
}

pub(super) fn new(after: &IncidentSnapshot) -> IncidentChange {
    IncidentChange {
        before: None,
        after: after.clone(),
    }
}

pub(super) fn changed(before: &IncidentSnapshot, after: &IncidentSnapshot) -> IncidentChange {
    IncidentChange {
        before: Some(before.clone()),
        after: after.clone(),
    }
}

/// Runs one evaluation with only the given inputs.
pub(super) struct Run<'a> {
    pub rules: &'a [AlertRule],
    pub settings: AlertSettings,
}

impl Run<'_> {
    pub fn changes(
        &self,
        h: &mut NotificationHistory,
        at: DateTime<Utc>,
        c: &[IncidentChange],
    ) -> Evaluation {
        self.all(h, at, c, &[], &[])
    }

    pub fn all(
        &self,
        h: &mut NotificationHistory,
        at: DateTime<Utc>,
        changes: &[IncidentChange],
        waiting: &[IncidentSnapshot],
        sources: &[SourceHealth],
    ) -> Evaluation {
        let inputs = AlertInputs {
            rules: self.rules,
            settings: &self.settings,
            changes,
            waiting,
            sources,
            now: at,
        };
        evaluate(&inputs, h)
    }
}

pub(super) fn deliveries(e: &Evaluation) -> Vec<Delivery> {
    e.decisions.iter().map(|d| d.delivery).collect()
}

pub(super) fn run(rules: &[AlertRule]) -> Run<'_> {
    Run {
        rules,
        settings: AlertSettings::default(),
    }
}
