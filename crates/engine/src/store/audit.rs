//! The audit log: one row per changed field, written inside the transaction of the change.

use chrono::Utc;
use rusqlite::{params, Transaction};

use super::{new_id, time};
use crate::error::Result;

/// One changed field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry<'a> {
    /// The kind of record ("fmea", "postmortem", ...).
    pub entity: &'a str,
    /// The record's id.
    pub entity_id: &'a str,
    /// The field that changed.
    pub field: &'a str,
    /// Its value before (`None` for a new record).
    pub old_value: Option<&'a str>,
    /// Its value after (`None` for a removal).
    pub new_value: Option<&'a str>,
    /// Who changed it: the display name from Settings, else the OS user name.
    pub who: &'a str,
}

/// Writes `entry` in the caller's transaction, so the change and its record commit together.
pub fn record_change_tx(tx: &Transaction<'_>, entry: &AuditEntry<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_log (id, entity, entity_id, field, old_value, new_value, at, who)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            new_id().to_string(),
            entry.entity,
            entry.entity_id,
            entry.field,
            entry.old_value,
            entry.new_value,
            time::to_db(Utc::now()),
            entry.who,
        ],
    )?;
    Ok(())
}
