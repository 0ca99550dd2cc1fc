//! Writing an FMEA's changes: each added, removed or edited part becomes its row change and its
//! audit entry in the same transaction. Every FMEA write (a cell edit, a merge, an import) ends
//! here, so none can skip the audit log.

use chrono::Utc;
use rusqlite::{params, Transaction};
use serde_json::Value;
use uuid::Uuid;
use vigil_core::fmea::{Change, Entity, EntityKind, Fmea};

use super::audit::{record_change_tx, AuditEntry};
use super::fmea::{CREATED, REMOVED};
use super::time;
use crate::fmea::{FmeaError, FmeaResult};

/// Writes `changes` (from [`diff`], ending at `after`) each with its audit entry; the new
/// values are taken from `after`.
pub(crate) fn apply_changes_tx(
    tx: &Transaction<'_>,
    after: &Fmea,
    changes: &[Change],
    who: &str,
) -> FmeaResult<()> {
    let fmea = after.id;
    let now = time::to_db(Utc::now());
    let mut touched_header = false;
    let mut touched_parts = Vec::new();
    for change in changes {
        match change {
            Change::Added { entity } => {
                let r = entity.entity_ref();
                let body = fields_json(entity)?;
                tx.execute(
                    "INSERT INTO fmea_parts (id, fmea_id, kind, owner_id, body)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        r.id.to_string(),
                        fmea.to_string(),
                        r.kind.as_str(),
                        owner(entity),
                        body
                    ],
                )?;
                audit(tx, r.kind, r.id, CREATED, None, Some(&body), who)?;
            }
            Change::Removed { entity } => {
                let r = entity.entity_ref();
                tx.execute("DELETE FROM fmea_parts WHERE id = ?1", [r.id.to_string()])?;
                audit(
                    tx,
                    r.kind,
                    r.id,
                    REMOVED,
                    Some(&fields_json(entity)?),
                    None,
                    who,
                )?;
            }
            Change::Field(f) => {
                let (old, new) = (audit_text(&f.old), audit_text(&f.new));
                audit(
                    tx,
                    f.target.kind,
                    f.target.id,
                    &f.field,
                    old.as_deref(),
                    new.as_deref(),
                    who,
                )?;
                if f.target.kind == EntityKind::Fmea {
                    touched_header = true;
                } else if !touched_parts.contains(&f.target) {
                    touched_parts.push(f.target);
                }
            }
        }
    }
    for target in touched_parts {
        if let Some(entity) = after.entity(target) {
            tx.execute(
                "UPDATE fmea_parts SET body = ?2, owner_id = ?3 WHERE id = ?1",
                params![target.id.to_string(), fields_json(&entity)?, owner(&entity)],
            )?;
        }
    }
    let header = &after.header;
    if touched_header {
        tx.execute(
            "UPDATE fmeas SET name = ?2, kind = ?3, header = ?4 WHERE id = ?1",
            params![
                fmea.to_string(),
                header.name,
                header.kind.as_str(),
                to_json(header)?
            ],
        )?;
    }
    tx.execute(
        "UPDATE fmeas SET updated_at = ?2 WHERE id = ?1",
        params![fmea.to_string(), now],
    )?;
    Ok(())
}

/// The part a part hangs from: removing that one removes this one too.
fn owner(entity: &Entity) -> Option<String> {
    let id = match entity {
        Entity::Header(..) => None,
        Entity::Element(e) => e.parent.map(|p| p.0),
        Entity::Function(f) => Some(f.element.0),
        Entity::FailureMode(m) => Some(m.function.0),
        Entity::Chain(c) => Some(c.failure_mode.0),
        Entity::Action(a) => Some(a.chain.0),
    };
    id.map(|u| u.to_string())
}

/// Writes one audit row for a part of an FMEA.
pub(crate) fn audit(
    tx: &Transaction<'_>,
    kind: EntityKind,
    id: Uuid,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
    who: &str,
) -> FmeaResult<()> {
    record_change_tx(
        tx,
        &AuditEntry {
            entity: kind.as_str(),
            entity_id: &id.to_string(),
            field,
            old_value: old,
            new_value: new,
            who,
        },
    )?;
    Ok(())
}

/// A value as the History panel shows it: text as itself, `null` as nothing, the rest as JSON.
fn audit_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn fields_json(entity: &Entity) -> FmeaResult<String> {
    to_json(&Value::Object(entity.fields()))
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> FmeaResult<String> {
    serde_json::to_string(value).map_err(|e| FmeaError::Corrupt(e.to_string()))
}
