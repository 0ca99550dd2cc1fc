//! A postmortem's own timeline: entries added and removed, annotated, and marked as key moments,
//! each change audited under a field naming the entry (`timeline.<id>.annotation`).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use vigil_core::postmortem::{KeyMoment, PostmortemId, TimelineItem, TimelineItemId};

use super::postmortem::{audit_tx, corrupt, not_found};
use super::{new_id, time, Store};
use crate::postmortem::PostmortemResult;

impl Store {
    /// Adds an entry a person writes (a chat decision, a manual check); returns its id.
    pub fn add_postmortem_timeline_item(
        &mut self,
        id: PostmortemId,
        at: DateTime<Utc>,
        summary: &str,
        who: &str,
    ) -> PostmortemResult<TimelineItemId> {
        let item = TimelineItem {
            id: TimelineItemId(new_id()),
            at,
            incident_id: None,
            kind: "note".to_owned(),
            actor: Some(who.to_owned()),
            summary: summary.trim().to_owned(),
            annotation: None,
            key_moment: None,
        };
        self.edit_postmortem(id, |tx| {
            insert_timeline_tx(tx, id, &item)?;
            let field = format!("timeline.{}", item.id);
            audit_tx(tx, id, &field, None, Some(&item.summary), who)?;
            Ok(item.id)
        })
    }

    /// Removes a timeline entry (synced copies too: the review decides what matters).
    pub fn remove_postmortem_timeline_item(
        &mut self,
        id: PostmortemId,
        item: TimelineItemId,
        who: &str,
    ) -> PostmortemResult<()> {
        self.edit_postmortem(id, |tx| {
            let summary = timeline_field_tx(tx, id, item, "summary")?;
            tx.execute(
                "DELETE FROM postmortem_timeline WHERE id = ?1",
                [item.to_string()],
            )?;
            audit_tx(
                tx,
                id,
                &format!("timeline.{item}"),
                summary.as_deref(),
                None,
                who,
            )
        })
    }

    /// Sets or clears the review's remark on a timeline entry.
    pub fn annotate_postmortem_timeline_item(
        &mut self,
        id: PostmortemId,
        item: TimelineItemId,
        annotation: Option<&str>,
        who: &str,
    ) -> PostmortemResult<()> {
        let annotation = annotation.map(str::trim).filter(|a| !a.is_empty());
        self.set_timeline_field(id, item, "annotation", annotation, who)
    }

    /// Marks a timeline entry as a key moment (or clears the mark). A key moment marks one
    /// entry at a time: marking another entry moves it there.
    pub fn mark_postmortem_key_moment(
        &mut self,
        id: PostmortemId,
        item: TimelineItemId,
        moment: Option<KeyMoment>,
        who: &str,
    ) -> PostmortemResult<()> {
        if let Some(m) = moment {
            let holder: Option<String> = self
                .conn
                .query_row(
                    "SELECT id FROM postmortem_timeline
                     WHERE postmortem_id = ?1 AND key_moment = ?2 AND id != ?3",
                    params![id.to_string(), m.as_str(), item.to_string()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(other) = holder.and_then(|h| h.parse::<TimelineItemId>().ok()) {
                self.set_timeline_field(id, other, "key_moment", None, who)?;
            }
        }
        self.set_timeline_field(id, item, "key_moment", moment.map(KeyMoment::as_str), who)
    }

    fn set_timeline_field(
        &mut self,
        id: PostmortemId,
        item: TimelineItemId,
        column: &'static str,
        value: Option<&str>,
        who: &str,
    ) -> PostmortemResult<()> {
        self.edit_postmortem(id, |tx| {
            let old = timeline_field_tx(tx, id, item, column)?;
            if old.as_deref() == value {
                return Ok(());
            }
            tx.execute(
                &format!("UPDATE postmortem_timeline SET {column} = ?2 WHERE id = ?1"),
                params![item.to_string(), value],
            )?;
            let field = format!("timeline.{item}.{column}");
            audit_tx(tx, id, &field, old.as_deref(), value, who)
        })
    }
}

/// Reads one column of a timeline entry, failing when the entry is not this postmortem's.
fn timeline_field_tx(
    tx: &Transaction<'_>,
    id: PostmortemId,
    item: TimelineItemId,
    column: &'static str,
) -> PostmortemResult<Option<String>> {
    tx.query_row(
        &format!("SELECT {column} FROM postmortem_timeline WHERE id = ?1 AND postmortem_id = ?2"),
        params![item.to_string(), id.to_string()],
        |r| r.get::<_, Option<String>>(0),
    )
    .optional()?
    .ok_or_else(|| not_found("timeline entry", item))
}

/// Writes one timeline entry.
pub(super) fn insert_timeline_tx(
    tx: &Transaction<'_>,
    id: PostmortemId,
    item: &TimelineItem,
) -> PostmortemResult<()> {
    tx.execute(
        "INSERT INTO postmortem_timeline (id, postmortem_id, at, incident_id, kind, actor,
                                          summary, annotation, key_moment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            item.id.to_string(),
            id.to_string(),
            time::to_db(item.at),
            item.incident_id.map(|i| i.to_string()),
            item.kind,
            item.actor,
            item.summary,
            item.annotation,
            item.key_moment.map(KeyMoment::as_str),
        ],
    )?;
    Ok(())
}

/// A postmortem's timeline, oldest first (ties in the order written).
pub(super) fn load_timeline(
    conn: &Connection,
    id: PostmortemId,
) -> PostmortemResult<Vec<TimelineItem>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, incident_id, kind, actor, summary, annotation, key_moment
         FROM postmortem_timeline WHERE postmortem_id = ?1 ORDER BY at, rowid",
    )?;
    let rows = stmt
        .query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(item, at, incident, kind, actor, summary, annotation, moment)| {
                Ok(TimelineItem {
                    id: item
                        .parse()
                        .map_err(|_| corrupt(format!("timeline id {item}")))?,
                    at: time::from_db(at),
                    incident_id: incident.and_then(|i| i.parse().ok()),
                    kind,
                    actor,
                    summary,
                    annotation,
                    key_moment: moment.as_deref().and_then(KeyMoment::parse),
                })
            },
        )
        .collect()
}
