//! What alerting reads from the cache and remembers between evaluations: incidents as the rules
//! see them, how each was last seen, sources' runs of failed syncs, and the popups on screen.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use vigil_core::alerting::{IncidentSnapshot, SourceHealth};
use vigil_core::{IncidentId, IncidentStatus, Urgency};

use super::{time, Store};
use crate::error::{EngineError, Result};

/// An incident's columns plus the two the rules need from its timeline: the start of its current
/// open stretch (the last trigger, at the earliest its creation) and the escalations since then.
const SNAPSHOT_SQL: &str = "
    SELECT s.id, s.source_id, s.number, s.title, s.service, s.team, s.urgency, s.urgency_raw,
           s.status, s.created_at, s.merged_into IS NOT NULL, s.reopen_count, s.open_since,
           (SELECT count(*) FROM timeline_events e
            WHERE e.incident_id = s.id AND e.kind = 'escalated' AND e.at >= s.open_since)
    FROM (SELECT i.*, max(i.created_at, coalesce(
              (SELECT max(t.at) FROM timeline_events t
               WHERE t.incident_id = i.id AND t.kind = 'triggered'), i.created_at)) AS open_since
          FROM incidents i WHERE {filter}) s";

fn snapshot_from_row(r: &Row<'_>) -> rusqlite::Result<IncidentSnapshot> {
    let bad = |i, msg: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, msg.into())
    };
    let id: String = r.get(0)?;
    let source: String = r.get(1)?;
    let urgency: String = r.get(6)?;
    let status: String = r.get(8)?;
    Ok(IncidentSnapshot {
        id: id
            .parse()
            .map_err(|_| bad(0, format!("bad incident id {id}")))?,
        source_id: source
            .parse()
            .map_err(|_| bad(1, format!("bad source id {source}")))?,
        number: r.get(2)?,
        title: r.get(3)?,
        service: r.get(4)?,
        team: r.get(5)?,
        urgency: Urgency::parse(&urgency).ok_or_else(|| bad(6, urgency.clone()))?,
        severity: r.get(7)?,
        status: IncidentStatus::parse(&status).ok_or_else(|| bad(8, status.clone()))?,
        created_at: time::from_db(r.get(9)?),
        merged: r.get(10)?,
        reopen_count: r.get::<_, i64>(11)?.max(0) as u32,
        open_since: time::from_db(r.get(12)?),
        escalation_level: r.get::<_, i64>(13)?.max(0) as u32,
    })
}

/// How alerting last saw an incident: the fields a rule compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenIncident {
    /// Its status then.
    pub status: IncidentStatus,
    /// Its urgency then.
    pub urgency: Urgency,
    /// Its escalation level then.
    pub escalation_level: u32,
    /// Its reopen count then.
    pub reopen_count: u32,
}

impl SeenIncident {
    /// The "before" of a change: the incident as it is now, with the fields the rules compare
    /// as they were when last seen.
    pub fn apply_to(self, now: &IncidentSnapshot) -> IncidentSnapshot {
        IncidentSnapshot {
            status: self.status,
            urgency: self.urgency,
            escalation_level: self.escalation_level,
            reopen_count: self.reopen_count,
            ..now.clone()
        }
    }
}

impl Store {
    /// Incidents as the rules see them; ids not in the cache (removed since) are left out.
    pub fn incident_snapshots(&self, ids: &[IncidentId]) -> Result<Vec<IncidentSnapshot>> {
        let mut stmt = self
            .conn
            .prepare_cached(&SNAPSHOT_SQL.replace("{filter}", "i.id = ?1"))?;
        let mut snapshots = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(s) = stmt
                .query_row([id.to_string()], snapshot_from_row)
                .optional()?
            {
                snapshots.push(s);
            }
        }
        Ok(snapshots)
    }

    /// Open incidents nobody has acknowledged, merged ones left out: what the "unacknowledged"
    /// rules look at on every tick.
    pub fn waiting_incidents(&self) -> Result<Vec<IncidentSnapshot>> {
        let mut stmt = self.conn.prepare_cached(&SNAPSHOT_SQL.replace(
            "{filter}",
            "i.status = 'triggered' AND i.merged_into IS NULL",
        ))?;
        let rows = stmt
            .query_map([], snapshot_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// How alerting last saw these incidents; ones it never saw are absent.
    pub fn seen_incidents(&self, ids: &[IncidentId]) -> Result<HashMap<IncidentId, SeenIncident>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, urgency, escalation_level, reopen_count FROM alert_seen
             WHERE incident_id = ?1",
        )?;
        let mut seen = HashMap::new();
        for id in ids {
            let row: Option<(String, String, i64, i64)> = stmt
                .query_row([id.to_string()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            let Some((status, urgency, level, reopens)) = row else {
                continue;
            };
            let corrupt = || EngineError::Corrupt(format!("alert memory of incident {id}"));
            seen.insert(
                *id,
                SeenIncident {
                    status: IncidentStatus::parse(&status).ok_or_else(corrupt)?,
                    urgency: Urgency::parse(&urgency).ok_or_else(corrupt)?,
                    escalation_level: level.max(0) as u32,
                    reopen_count: reopens.max(0) as u32,
                },
            );
        }
        Ok(seen)
    }
}

/// Remembers incidents as alerting saw them now, the "before" of their next change.
pub fn remember_seen_tx(tx: &Transaction<'_>, snapshots: &[IncidentSnapshot]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO alert_seen (incident_id, status, urgency, escalation_level, reopen_count)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (incident_id) DO UPDATE SET status = excluded.status,
             urgency = excluded.urgency, escalation_level = excluded.escalation_level,
             reopen_count = excluded.reopen_count",
    )?;
    for s in snapshots {
        stmt.execute(params![
            s.id.to_string(),
            s.status.as_str(),
            s.urgency.as_str(),
            s.escalation_level,
            s.reopen_count,
        ])?;
    }
    Ok(())
}

/// Every synced source's health (the demo has no syncs), keeping the start of each run of
/// failures: a source's own columns hold only its latest failure, so the first one alerting
/// sees is remembered here and forgotten after a good sync. A run that began while no
/// evaluation was watching (syncs from the CLI) counts from the failure alerting first saw.
pub fn source_health_tx(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<Vec<SourceHealth>> {
    let mut stmt = tx.prepare_cached(
        "SELECT s.id, s.name, s.last_error, s.last_error_at, f.failing_since
         FROM sources s LEFT JOIN alert_source_failures f ON f.source_id = s.id
         WHERE s.kind != 'demo' ORDER BY s.created_at, s.id",
    )?;
    type HealthRow = (String, String, Option<String>, Option<i64>, Option<i64>);
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<Vec<HealthRow>>>()?;
    let mut health = Vec::with_capacity(rows.len());
    for (id, name, last_error, last_error_at, remembered) in rows {
        let failing_since = match (&last_error, remembered) {
            (None, Some(_)) => {
                tx.execute(
                    "DELETE FROM alert_source_failures WHERE source_id = ?1",
                    [&id],
                )?;
                None
            }
            (None, None) => None,
            (Some(_), Some(since)) => Some(time::from_db(since)),
            (Some(_), None) => {
                let since = last_error_at.unwrap_or(time::to_db(now));
                tx.execute(
                    "INSERT INTO alert_source_failures (source_id, failing_since) VALUES (?1, ?2)",
                    params![id, since],
                )?;
                Some(time::from_db(since))
            }
        };
        health.push(SourceHealth {
            source_id: id
                .parse()
                .map_err(|_| EngineError::Corrupt(format!("source id {id}")))?,
            name,
            failing_since,
            last_error,
        });
    }
    Ok(health)
}
