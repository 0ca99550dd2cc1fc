//! Postmortems in SQLite: creation from incidents, loading, and the audited saves of the title,
//! the sections and the review status. Every save is one immediate transaction holding the
//! change, its audit entries and the refreshed search row, so a kill at any moment loses nothing
//! that was already saved and never leaves a half-applied edit.

use chrono::Utc;
use rusqlite::{params, OptionalExtension, Transaction};
use tracing::info;
use vigil_core::postmortem::{
    IncidentInput, Postmortem, PostmortemFacts, PostmortemId, PostmortemStatus, PostmortemSummary,
    Prefill, Section,
};
use vigil_core::{EventKind, IncidentId, TimelineEntry};

use super::postmortem_actions::load_actions;
use super::postmortem_search::reindex_tx;
use super::postmortem_timeline::{insert_timeline_tx, load_timeline};
use super::{new_id, record_change_tx, time, AuditEntry, Store};
use crate::postmortem::{prefilled_sections, PostmortemError, PostmortemResult, ENTITY};

impl Store {
    /// Creates a draft postmortem about `incidents` from the template called `template`, with
    /// the facts and timeline read from the cache; returns its id.
    pub fn create_postmortem(
        &mut self,
        incidents: &[IncidentId],
        template: &str,
        who: &str,
    ) -> PostmortemResult<PostmortemId> {
        if incidents.is_empty() {
            return Err(PostmortemError::NoIncidents);
        }
        let template = self.postmortem_template(template)?;
        let inputs = incidents
            .iter()
            .map(|id| self.incident_input(*id))
            .collect::<PostmortemResult<Vec<_>>>()?;
        let prefill =
            Prefill::from_incidents(&inputs, new_id).ok_or(PostmortemError::NoIncidents)?;
        let id = PostmortemId(new_id());
        let sections = prefilled_sections(&template, &prefill.facts);

        let write = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let tx = &write;
            let now = time::to_db(Utc::now());
            tx.execute(
                "INSERT INTO postmortems (id, title, status, template, facts, created_at,
                                          updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    id.to_string(),
                    prefill.title,
                    PostmortemStatus::Draft.as_str(),
                    template.name,
                    serde_json::to_string(&prefill.facts).map_err(corrupt)?,
                    now,
                ],
            )?;
            for incident in incidents {
                tx.execute(
                    "INSERT OR IGNORE INTO postmortem_incidents (postmortem_id, incident_id)
                     VALUES (?1, ?2)",
                    params![id.to_string(), incident.to_string()],
                )?;
            }
            for (position, s) in sections.iter().enumerate() {
                tx.execute(
                    "INSERT INTO postmortem_sections (postmortem_id, key, position, title, prompt,
                                                      body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        id.to_string(),
                        s.key,
                        position as i64,
                        s.title,
                        s.prompt,
                        s.body
                    ],
                )?;
            }
            for item in &prefill.timeline {
                insert_timeline_tx(tx, id, item)?;
            }
            audit_tx(tx, id, "created", None, Some(&template.name), who)?;
            reindex_tx(tx, id)?;
        }
        write.commit()?;
        info!(%id, incidents = incidents.len(), template = %template.name, "postmortem created");
        Ok(id)
    }

    /// One postmortem with its sections, timeline and action items.
    pub fn postmortem(&self, id: PostmortemId) -> PostmortemResult<Postmortem> {
        let row = self
            .conn
            .query_row(
                "SELECT title, status, template, reviewers, facts, created_at, updated_at
                 FROM postmortems WHERE id = ?1",
                [id.to_string()],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, i64>(6)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| not_found("postmortem", id))?;
        let (title, status, template, reviewers, facts, created_at, updated_at) = row;
        Ok(Postmortem {
            id,
            title,
            status: parse_status(&status)?,
            template,
            reviewers: serde_json::from_str(&reviewers)?,
            incidents: self.postmortem_incidents(id)?,
            facts: serde_json::from_str::<PostmortemFacts>(&facts)?,
            sections: self.postmortem_sections(id)?,
            timeline: load_timeline(&self.conn, id)?,
            actions: load_actions(&self.conn, id)?,
            created_at: time::from_db(created_at),
            updated_at: time::from_db(updated_at),
        })
    }

    /// Every postmortem, the most recently saved first.
    pub fn list_postmortems(&self) -> PostmortemResult<Vec<PostmortemSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT p.id, p.title, p.status, p.facts, p.updated_at,
                    (SELECT count(*) FROM postmortem_incidents i WHERE i.postmortem_id = p.id),
                    (SELECT count(*) FROM postmortem_actions a
                     WHERE a.postmortem_id = p.id AND a.status IN ('open', 'in_progress'))
             FROM postmortems p ORDER BY p.updated_at DESC, p.id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, i64>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, title, status, facts, updated, incidents, open)| {
                let facts: PostmortemFacts = serde_json::from_str(&facts)?;
                Ok(PostmortemSummary {
                    id: id
                        .parse()
                        .map_err(|_| corrupt(format!("postmortem id {id}")))?,
                    title,
                    status: parse_status(&status)?,
                    started_at: facts.started_at,
                    incident_count: u32::try_from(incidents).unwrap_or(0),
                    open_actions: u32::try_from(open).unwrap_or(0),
                    updated_at: time::from_db(updated),
                })
            })
            .collect()
    }

    fn postmortem_incidents(&self, id: PostmortemId) -> PostmortemResult<Vec<IncidentId>> {
        let mut stmt = self.conn.prepare(
            "SELECT incident_id FROM postmortem_incidents WHERE postmortem_id = ?1 ORDER BY rowid",
        )?;
        let ids = stmt
            .query_map([id.to_string()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.iter()
            .map(|s| s.parse().map_err(|_| corrupt(format!("incident id {s}"))))
            .collect()
    }

    fn postmortem_sections(&self, id: PostmortemId) -> PostmortemResult<Vec<Section>> {
        let mut stmt = self.conn.prepare(
            "SELECT key, title, prompt, body FROM postmortem_sections
             WHERE postmortem_id = ?1 ORDER BY position",
        )?;
        let sections = stmt
            .query_map([id.to_string()], |r| {
                Ok(Section {
                    key: r.get(0)?,
                    title: r.get(1)?,
                    prompt: r.get(2)?,
                    body: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(sections)
    }

    fn incident_input(&self, id: IncidentId) -> PostmortemResult<IncidentInput> {
        let detail = self.incident_detail(id)?;
        let impact = self.impact_window(id)?;
        let mitigated: Option<i64> = self.conn.query_row(
            "SELECT first_mitigated_at FROM incidents WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?;
        let timeline = detail
            .timeline
            .into_iter()
            .map(|row| TimelineEntry {
                at: row.at,
                kind: EventKind::parse(&row.kind),
                actor: row.actor,
                summary: row.summary,
            })
            .collect();
        Ok(IncidentInput {
            incident: detail.incident,
            impact_started_at: impact.started_at,
            impact_ended_at: impact.ended_at,
            first_mitigated_at: time::opt_from_db(mitigated),
            timeline,
        })
    }
}

pub(super) fn status_tx(
    tx: &Transaction<'_>,
    id: PostmortemId,
) -> PostmortemResult<PostmortemStatus> {
    let status: String = tx
        .query_row(
            "SELECT status FROM postmortems WHERE id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| not_found("postmortem", id))?;
    parse_status(&status)
}

pub(super) fn touch_tx(tx: &Transaction<'_>, id: PostmortemId) -> PostmortemResult<()> {
    tx.execute(
        "UPDATE postmortems SET updated_at = ?2 WHERE id = ?1",
        params![id.to_string(), time::to_db(Utc::now())],
    )?;
    reindex_tx(tx, id)
}

/// Writes one audit entry for a postmortem field.
pub(super) fn audit_tx(
    tx: &Transaction<'_>,
    id: PostmortemId,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
    who: &str,
) -> PostmortemResult<()> {
    let entity_id = id.to_string();
    record_change_tx(
        tx,
        &AuditEntry {
            entity: ENTITY,
            entity_id: &entity_id,
            field,
            old_value: old,
            new_value: new,
            who,
        },
    )?;
    Ok(())
}

fn parse_status(s: &str) -> PostmortemResult<PostmortemStatus> {
    PostmortemStatus::parse(s).ok_or_else(|| corrupt(format!("postmortem status {s:?}")))
}

pub(super) fn not_found(what: &'static str, id: impl ToString) -> PostmortemError {
    PostmortemError::NotFound {
        what,
        id: id.to_string(),
    }
}

pub(super) fn corrupt(what: impl std::fmt::Display) -> PostmortemError {
    PostmortemError::Engine(crate::error::EngineError::Corrupt(what.to_string()))
}
