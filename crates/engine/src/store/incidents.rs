//! Incidents and their timelines: the upsert that makes a re-sync idempotent, the milestone rule
//! applied after every change, and the queries behind the Incidents page.

use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, OptionalExtension, Row, Transaction};
use vigil_core::api::{
    IncidentCounts, IncidentDetail, IncidentPage, IncidentQuery, IncidentSort, TimelineRow,
};
use vigil_core::{
    EventKind, Incident, IncidentId, IncidentStatus, Milestones, SourceId, TimelineEntry, Urgency,
};

use super::{new_id, time, Store};
use crate::error::{EngineError, Result};

/// An incident as a connector received it, before it meets the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingIncident {
    /// The vendor's id.
    pub external_id: String,
    /// The vendor's human-facing number.
    pub number: Option<i64>,
    /// One-line summary.
    pub title: String,
    /// Service name.
    pub service: Option<String>,
    /// Team name.
    pub team: Option<String>,
    /// Normalised urgency.
    pub urgency: Urgency,
    /// The vendor's own word for it.
    pub urgency_raw: Option<String>,
    /// The vendor's current status.
    pub status: IncidentStatus,
    /// When the vendor opened it.
    pub created_at: DateTime<Utc>,
    /// An acknowledgement time the vendor states outright, if any.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// A mitigation time the vendor states outright, if any (set once, like the acknowledgement).
    pub mitigated_at: Option<DateTime<Utc>>,
    /// The resolution time the vendor states, if resolved.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When the impact on users began, where the vendor records it apart from `created_at`
    /// (set once: only an earlier instant replaces a stored one).
    pub impact_started_at: Option<DateTime<Utc>>,
    /// When the impact ended, where the vendor records it apart from `resolved_at`; like the
    /// resolution it is the latest one, and a reopened incident loses it.
    pub impact_ended_at: Option<DateTime<Utc>>,
    /// The vendor id of the incident this one was merged into.
    pub merged_into: Option<String>,
    /// The vendor's web page.
    pub url: Option<String>,
    /// The vendor's JSON, kept for audit.
    pub raw: Option<String>,
}

/// A timeline entry as a connector received it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingEvent {
    /// The vendor's id for the entry; with it, a re-fetched entry is recognised.
    pub external_id: String,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    pub kind: EventKind,
    /// The vendor's own type name.
    pub vendor_type: Option<String>,
    /// Who did it.
    pub actor: Option<String>,
    /// The vendor's description.
    pub summary: String,
}

/// When the impact on users began and ended, as the vendor stated it apart from when its record
/// was opened and closed; either end is `None` where the vendor says nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImpactWindow {
    /// The impact's start (Statuspage's first update, incident.io's "impact started").
    pub started_at: Option<DateTime<Utc>>,
    /// The impact's end.
    pub ended_at: Option<DateTime<Utc>>,
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    /// A new incident.
    Created,
    /// A known incident changed.
    Updated,
    /// A known incident, exactly as it was.
    Unchanged,
}

/// The columns whose change makes an upsert count as an update.
type Fingerprint = (
    (String, Option<String>, Option<String>, String, String),
    (Option<i64>, Option<i64>, Option<i64>, Option<String>, i64),
    (Option<i64>, Option<i64>),
);

fn fingerprint_tx(tx: &Transaction<'_>, id: &str) -> Result<Fingerprint> {
    let mut stmt = tx.prepare_cached(
        "SELECT title, service, team, urgency, status, first_acknowledged_at,
                first_mitigated_at, resolved_at, merged_into, reopen_count,
                impact_started_at, impact_ended_at
         FROM incidents WHERE id = ?1",
    )?;
    Ok(stmt.query_row([id], |r| {
        Ok((
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
            (r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?),
            (r.get(10)?, r.get(11)?),
        ))
    })?)
}

/// The id of a known incident.
pub fn find_incident_tx(
    tx: &Transaction<'_>,
    source: SourceId,
    external_id: &str,
) -> Result<Option<IncidentId>> {
    let mut stmt =
        tx.prepare_cached("SELECT id FROM incidents WHERE source_id = ?1 AND external_id = ?2")?;
    let id: Option<String> = stmt
        .query_row(params![source.to_string(), external_id], |r| r.get(0))
        .optional()?;
    id.map(|s| parse_id(&s)).transpose()
}

fn parse_id(s: &str) -> Result<IncidentId> {
    s.parse()
        .map_err(|_| EngineError::BadInput(format!("`{s}` is not an incident id")))
}

/// Inserts or updates one incident, then re-reads its milestones from its timeline.
pub fn upsert_incident_tx(
    tx: &Transaction<'_>,
    source: SourceId,
    incoming: &IncomingIncident,
) -> Result<(IncidentId, UpsertOutcome)> {
    let now = time::to_db(Utc::now());
    let (resolved, impact_ended) = match incoming.status {
        IncidentStatus::Resolved => (
            incoming.resolved_at.map(time::to_db),
            incoming.impact_ended_at.map(time::to_db),
        ),
        _ => (None, None),
    };
    let mitigated = incoming.mitigated_at.map(time::to_db);
    let impact_started = incoming.impact_started_at.map(time::to_db);
    let existing = find_incident_tx(tx, source, &incoming.external_id)?;
    let (id, before) = match existing {
        Some(id) => (id, Some(fingerprint_tx(tx, &id.to_string())?)),
        None => (IncidentId(new_id()), None),
    };
    let id_text = id.to_string();

    if before.is_none() {
        tx.prepare_cached(
            "INSERT INTO incidents (id, source_id, external_id, number, title, service, team,
                 urgency, urgency_raw, status, created_at, first_acknowledged_at, resolved_at,
                 merged_into, url, raw, updated_at, first_mitigated_at, impact_started_at,
                 impact_ended_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20)",
        )?
        .execute(params![
            id_text,
            source.to_string(),
            incoming.external_id,
            incoming.number,
            incoming.title,
            incoming.service,
            incoming.team,
            incoming.urgency.as_str(),
            incoming.urgency_raw,
            incoming.status.as_str(),
            time::to_db(incoming.created_at),
            incoming.acknowledged_at.map(time::to_db),
            resolved,
            incoming.merged_into,
            incoming.url,
            incoming.raw,
            now,
            mitigated,
            impact_started,
            impact_ended,
        ])?;
    } else {
        // The first acknowledgement, the first mitigation and the impact start are set once:
        // an update can only move them earlier. A merge is permanent, so a later payload
        // without the merge reason does not undo it. The impact end follows the resolution: the
        // latest stated one while resolved, none once reopened.
        let earliest = |column: &str, param: &str| {
            format!(
                "{column} = CASE WHEN {column} IS NULL THEN {param} WHEN {param} IS NULL \
                 THEN {column} ELSE min({column}, {param}) END"
            )
        };
        tx.prepare_cached(&format!(
            "UPDATE incidents SET number = ?2, title = ?3, service = ?4, team = ?5, urgency = ?6,
                 urgency_raw = ?7, status = ?8, created_at = ?9, {}, resolved_at = ?11,
                 merged_into = coalesce(?12, merged_into), url = ?13, raw = ?14, {}, {},
                 impact_ended_at = CASE WHEN ?8 = 'resolved'
                     THEN coalesce(?17, impact_ended_at) ELSE NULL END
             WHERE id = ?1",
            earliest("first_acknowledged_at", "?10"),
            earliest("first_mitigated_at", "?15"),
            earliest("impact_started_at", "?16"),
        ))?
        .execute(params![
            id_text,
            incoming.number,
            incoming.title,
            incoming.service,
            incoming.team,
            incoming.urgency.as_str(),
            incoming.urgency_raw,
            incoming.status.as_str(),
            time::to_db(incoming.created_at),
            incoming.acknowledged_at.map(time::to_db),
            resolved,
            incoming.merged_into,
            incoming.url,
            incoming.raw,
            mitigated,
            impact_started,
            impact_ended,
        ])?;
    }
    refresh_milestones_tx(tx, id)?;

    let after = fingerprint_tx(tx, &id_text)?;
    let outcome = match before {
        None => UpsertOutcome::Created,
        Some(b) if b == after => UpsertOutcome::Unchanged,
        Some(_) => UpsertOutcome::Updated,
    };
    if outcome != UpsertOutcome::Unchanged {
        tx.prepare_cached("UPDATE incidents SET updated_at = ?2 WHERE id = ?1")?
            .execute(params![id_text, now])?;
    }
    Ok((id, outcome))
}

/// Removes an incident the vendor says is no incident after all (a declined triage, a test, a
/// scheduled maintenance), with its timeline; `false` when it was not stored.
pub fn remove_incident_tx(
    tx: &Transaction<'_>,
    source: SourceId,
    external_id: &str,
) -> Result<bool> {
    let removed = tx
        .prepare_cached("DELETE FROM incidents WHERE source_id = ?1 AND external_id = ?2")?
        .execute(params![source.to_string(), external_id])?;
    Ok(removed > 0)
}

/// Adds timeline entries (ones already stored are skipped) and re-reads the milestones.
/// Returns how many entries were new.
pub fn add_events_tx(
    tx: &Transaction<'_>,
    incident: IncidentId,
    events: &[IncomingEvent],
) -> Result<usize> {
    Ok(add_events_changed_tx(tx, incident, events)?.0)
}

/// [`add_events_tx`], also saying whether the incident's fields or milestones changed (a sync
/// counts that incident as updated).
pub fn add_events_changed_tx(
    tx: &Transaction<'_>,
    incident: IncidentId,
    events: &[IncomingEvent],
) -> Result<(usize, bool)> {
    let id_text = incident.to_string();
    let mut added = 0;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO timeline_events
                 (id, incident_id, external_id, at, kind, vendor_type, actor, summary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for e in events {
            added += stmt.execute(params![
                new_id().to_string(),
                id_text,
                e.external_id,
                time::to_db(e.at),
                e.kind.as_str(),
                e.vendor_type,
                e.actor,
                e.summary,
            ])?;
        }
    }
    let mut changed = false;
    if added > 0 {
        let before = fingerprint_tx(tx, &id_text)?;
        refresh_milestones_tx(tx, incident)?;
        if fingerprint_tx(tx, &id_text)? != before {
            changed = true;
            tx.prepare_cached("UPDATE incidents SET updated_at = ?2 WHERE id = ?1")?
                .execute(params![id_text, time::to_db(Utc::now())])?;
        }
    }
    Ok((added, changed))
}

/// Applies the milestone rule (see `vigil_core::timeline`) from the stored timeline. A timeline
/// with state changes decides status, resolution and reopen count; the first acknowledgement and
/// mitigation only ever move earlier.
pub fn refresh_milestones_tx(tx: &Transaction<'_>, incident: IncidentId) -> Result<()> {
    let id_text = incident.to_string();
    let entries = timeline_entries_tx(tx, &id_text)?;
    let m = Milestones::from_timeline(&entries);
    let first_ack = m.first_acknowledged_at.map(time::to_db);
    let first_mit = m.first_mitigated_at.map(time::to_db);
    let earliest = "CASE WHEN {c} IS NULL THEN ?X WHEN ?X IS NULL THEN {c} ELSE min({c}, ?X) END";
    let ack_sql = earliest
        .replace("{c}", "first_acknowledged_at")
        .replace("?X", "?2");
    let mit_sql = earliest
        .replace("{c}", "first_mitigated_at")
        .replace("?X", "?3");
    match m.status {
        Some(status) => {
            tx.prepare_cached(&format!(
                "UPDATE incidents SET first_acknowledged_at = {ack_sql},
                     first_mitigated_at = {mit_sql}, status = ?4, resolved_at = ?5,
                     reopen_count = ?6 WHERE id = ?1"
            ))?
            .execute(params![
                id_text,
                first_ack,
                first_mit,
                status.as_str(),
                m.resolved_at.map(time::to_db),
                m.reopen_count
            ])?;
        }
        None => {
            tx.prepare_cached(&format!(
                "UPDATE incidents SET first_acknowledged_at = {ack_sql},
                     first_mitigated_at = {mit_sql} WHERE id = ?1"
            ))?
            .execute(params![id_text, first_ack, first_mit])?;
        }
    }
    Ok(())
}

fn timeline_entries_tx(tx: &Transaction<'_>, id: &str) -> Result<Vec<TimelineEntry>> {
    let mut stmt = tx.prepare_cached(
        "SELECT at, kind, actor, summary FROM timeline_events WHERE incident_id = ?1
         ORDER BY at, rowid",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(TimelineEntry {
            at: time::from_db(r.get(0)?),
            kind: EventKind::parse(&r.get::<_, String>(1)?),
            actor: r.get(2)?,
            summary: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

const INCIDENT_COLUMNS: &str = "i.id, i.source_id, i.external_id, i.number, i.title, i.service, \
     i.team, i.urgency, i.urgency_raw, i.status, i.created_at, i.first_acknowledged_at, \
     i.resolved_at, i.merged_into, i.reopen_count, i.url, i.updated_at";

fn incident_from_row(r: &Row<'_>) -> rusqlite::Result<Incident> {
    let conv = |i, msg: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, msg.into())
    };
    let id: String = r.get(0)?;
    let source: String = r.get(1)?;
    let urgency: String = r.get(7)?;
    let status: String = r.get(9)?;
    Ok(Incident {
        id: id
            .parse()
            .map_err(|_| conv(0, format!("bad incident id {id}")))?,
        source_id: source
            .parse()
            .map_err(|_| conv(1, format!("bad source id {source}")))?,
        external_id: r.get(2)?,
        number: r.get(3)?,
        title: r.get(4)?,
        service: r.get(5)?,
        team: r.get(6)?,
        urgency: Urgency::parse(&urgency).ok_or_else(|| conv(7, urgency.clone()))?,
        urgency_raw: r.get(8)?,
        status: IncidentStatus::parse(&status).ok_or_else(|| conv(9, status.clone()))?,
        created_at: time::from_db(r.get(10)?),
        first_acknowledged_at: time::opt_from_db(r.get(11)?),
        resolved_at: time::opt_from_db(r.get(12)?),
        merged_into: r.get(13)?,
        reopen_count: r.get::<_, i64>(14)?.max(0) as u32,
        url: r.get(15)?,
        updated_at: time::from_db(r.get(16)?),
    })
}

/// The largest page the window may ask for.
const MAX_PAGE: u32 = 1000;

/// A query's WHERE clause and its parameters.
fn where_clause(q: &IncidentQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut clauses = vec!["1 = 1".to_owned()];
    let mut values: Vec<Value> = Vec::new();
    if !q.include_merged {
        clauses.push("i.merged_into IS NULL".into());
    }
    if !q.statuses.is_empty() {
        let marks = vec!["?"; q.statuses.len()].join(", ");
        clauses.push(format!("i.status IN ({marks})"));
        values.extend(q.statuses.iter().map(|s| Value::Text(s.as_str().into())));
    }
    if let Some(u) = q.urgency {
        clauses.push("i.urgency = ?".into());
        values.push(Value::Text(u.as_str().into()));
    }
    if let Some(service) = q.service.as_deref().filter(|s| !s.is_empty()) {
        clauses.push("i.service = ?".into());
        values.push(Value::Text(service.into()));
    }
    for word in q.text.as_deref().unwrap_or("").split_whitespace() {
        let escaped = word
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        clauses.push(
            "(i.title LIKE ? ESCAPE '\\' OR coalesce(i.service, '') LIKE ? ESCAPE '\\'
              OR coalesce(i.team, '') LIKE ? ESCAPE '\\' OR CAST(i.number AS TEXT) = ?)"
                .into(),
        );
        let pattern = format!("%{escaped}%");
        values.extend([
            Value::Text(pattern.clone()),
            Value::Text(pattern.clone()),
            Value::Text(pattern),
            Value::Text(word.trim_start_matches('#').into()),
        ]);
    }
    (clauses.join(" AND "), values)
}

fn order_by(q: &IncidentQuery) -> String {
    let dir = if q.ascending { "ASC" } else { "DESC" };
    let column = match q.sort {
        IncidentSort::CreatedAt => "i.created_at",
        IncidentSort::Title => "i.title COLLATE NOCASE",
        IncidentSort::Service => "coalesce(i.service, '') COLLATE NOCASE",
        // 'high' < 'low' as text, so descending urgency puts low first: invert it.
        IncidentSort::Urgency => "CASE i.urgency WHEN 'high' THEN 1 ELSE 0 END",
        IncidentSort::Status => {
            "CASE i.status WHEN 'triggered' THEN 2 WHEN 'acknowledged' THEN 1 ELSE 0 END"
        }
        IncidentSort::TimeToResolve => "(i.resolved_at - i.created_at)",
    };
    format!("{column} {dir}, i.created_at DESC, i.id")
}

impl Store {
    /// A page of incidents with counts over every match and the services on offer.
    pub fn list_incidents(&self, q: &IncidentQuery) -> Result<IncidentPage> {
        let (filter, values) = where_clause(q);
        let limit = q.limit.map_or(-1, |l| i64::from(l.clamp(1, MAX_PAGE)));
        let sql = format!(
            "SELECT {INCIDENT_COLUMNS} FROM incidents i WHERE {filter} ORDER BY {} \
             LIMIT {limit} OFFSET {}",
            order_by(q),
            q.offset
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let incidents = stmt
            .query_map(params_from_iter(values.iter()), incident_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let counts = self.conn.query_row(
            &format!(
                "SELECT count(*), coalesce(sum(i.status = 'triggered'), 0),
                        coalesce(sum(i.status = 'acknowledged'), 0),
                        coalesce(sum(i.status = 'resolved'), 0),
                        coalesce(sum(i.merged_into IS NOT NULL), 0)
                 FROM incidents i WHERE {filter}"
            ),
            params_from_iter(values.iter()),
            |r| {
                let n = |i| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
                Ok(IncidentCounts {
                    total: n(0)?,
                    triggered: n(1)?,
                    acknowledged: n(2)?,
                    resolved: n(3)?,
                    merged: n(4)?,
                })
            },
        )?;

        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT service FROM incidents WHERE service IS NOT NULL ORDER BY service",
        )?;
        let services = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(IncidentPage {
            incidents,
            counts,
            services,
        })
    }

    /// One incident with its timeline, oldest entry first.
    pub fn incident_detail(&self, id: IncidentId) -> Result<IncidentDetail> {
        let not_found = || EngineError::NotFound {
            what: "incident",
            id: id.to_string(),
        };
        let (incident, source_name) = self
            .conn
            .query_row(
                &format!(
                    "SELECT {INCIDENT_COLUMNS}, s.name FROM incidents i
                     JOIN sources s ON s.id = i.source_id WHERE i.id = ?1"
                ),
                [id.to_string()],
                |r| Ok((incident_from_row(r)?, r.get::<_, String>(17)?)),
            )
            .optional()?
            .ok_or_else(not_found)?;
        let mut stmt = self.conn.prepare(
            "SELECT at, kind, actor, summary FROM timeline_events WHERE incident_id = ?1
             ORDER BY at, rowid",
        )?;
        let timeline = stmt
            .query_map([id.to_string()], |r| {
                Ok(TimelineRow {
                    at: time::from_db(r.get(0)?),
                    kind: r.get(1)?,
                    actor: r.get(2)?,
                    summary: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(IncidentDetail {
            incident,
            source_name,
            timeline,
        })
    }

    /// The vendor ids of a source's open incidents created before `before`, oldest first: the
    /// ones a connector without an "updated since" filter re-reads one by one, because its
    /// window of recent incidents no longer reaches them.
    pub fn open_incidents_created_before(
        &self,
        source: SourceId,
        before: DateTime<Utc>,
    ) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT external_id FROM incidents
             WHERE source_id = ?1 AND status != 'resolved' AND created_at < ?2
             ORDER BY created_at, external_id",
        )?;
        let ids = stmt
            .query_map(params![source.to_string(), time::to_db(before)], |r| {
                r.get(0)
            })?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// One incident's impact window as stored; the KPIs read its start (time to detect).
    pub fn impact_window(&self, id: IncidentId) -> Result<ImpactWindow> {
        let (start, end) = self.conn.query_row(
            "SELECT impact_started_at, impact_ended_at FROM incidents WHERE id = ?1",
            [id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(ImpactWindow {
            started_at: time::opt_from_db(start),
            ended_at: time::opt_from_db(end),
        })
    }

    /// Every incident of a source keyed by vendor id (tests and the CLI compare with this).
    pub fn incidents_of_source(&self, source: SourceId) -> Result<Vec<Incident>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {INCIDENT_COLUMNS} FROM incidents i WHERE i.source_id = ?1
             ORDER BY i.created_at, i.external_id"
        ))?;
        let rows = stmt
            .query_map([source.to_string()], incident_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
