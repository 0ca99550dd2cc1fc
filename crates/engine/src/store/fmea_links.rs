//! Incidents linked to failure modes, the occurrence they suggest, and the name the audit log
//! records as "who".

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension};
use vigil_core::fmea::{suggest_occurrence, EntityKind, FailureModeId, OccurrenceSuggestion};
use vigil_core::IncidentId;

use super::fmea::parse_uuid;
use super::fmea_changes::audit;
use super::{time, Store};
use crate::fmea::{FmeaError, FmeaResult};

/// The settings key of the name written to the audit log instead of the OS user name.
pub const DISPLAY_NAME_KEY: &str = "display_name";

impl Store {
    /// Links an incident to a failure mode; `false` when it was linked already.
    pub fn link_incident(
        &mut self,
        mode: FailureModeId,
        incident: IncidentId,
        who: &str,
    ) -> FmeaResult<bool> {
        let tx = self.fmea_tx()?;
        check_mode_tx(&tx, mode)?;
        let known: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM incidents WHERE id = ?1",
                [incident.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_none() {
            return Err(FmeaError::NotFound(format!("incident {incident}")));
        }
        let added = tx.execute(
            "INSERT OR IGNORE INTO fmea_incident_links (failure_mode_id, incident_id, linked_at, who)
             VALUES (?1, ?2, ?3, ?4)",
            params![mode.to_string(), incident.to_string(), time::to_db(Utc::now()), who],
        )? == 1;
        if added {
            let id = incident.to_string();
            audit(
                &tx,
                EntityKind::FailureMode,
                mode.0,
                "linked_incident",
                None,
                Some(&id),
                who,
            )?;
        }
        tx.commit()?;
        Ok(added)
    }

    /// Unlinks an incident; `false` when it was not linked.
    pub fn unlink_incident(
        &mut self,
        mode: FailureModeId,
        incident: IncidentId,
        who: &str,
    ) -> FmeaResult<bool> {
        let tx = self.fmea_tx()?;
        let removed = tx.execute(
            "DELETE FROM fmea_incident_links WHERE failure_mode_id = ?1 AND incident_id = ?2",
            params![mode.to_string(), incident.to_string()],
        )? == 1;
        if removed {
            let id = incident.to_string();
            audit(
                &tx,
                EntityKind::FailureMode,
                mode.0,
                "linked_incident",
                Some(&id),
                None,
                who,
            )?;
        }
        tx.commit()?;
        Ok(removed)
    }

    /// The incidents linked to a failure mode, newest first.
    pub fn linked_incidents(&self, mode: FailureModeId) -> FmeaResult<Vec<IncidentId>> {
        let mut stmt = self.conn.prepare(
            "SELECT l.incident_id FROM fmea_incident_links l JOIN incidents i ON i.id = l.incident_id
             WHERE l.failure_mode_id = ?1 ORDER BY i.created_at DESC",
        )?;
        let ids: Vec<String> = stmt
            .query_map([mode.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter()
            .map(|id| Ok(IncidentId(parse_uuid(id)?)))
            .collect()
    }

    /// The occurrence the linked incidents of the last twelve months before `now` suggest.
    /// Merged-away incidents are not counted: they are duplicates of one that is.
    pub fn suggest_occurrence(
        &self,
        mode: FailureModeId,
        now: DateTime<Utc>,
    ) -> FmeaResult<OccurrenceSuggestion> {
        check_mode_tx(&self.conn, mode)?;
        let since = time::to_db(now - Duration::days(365));
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM fmea_incident_links l JOIN incidents i ON i.id = l.incident_id
             WHERE l.failure_mode_id = ?1 AND i.merged_into IS NULL
               AND i.created_at >= ?2 AND i.created_at <= ?3",
            params![mode.to_string(), since, time::to_db(now)],
            |r| r.get(0),
        )?;
        Ok(suggest_occurrence(u32::try_from(n).unwrap_or(u32::MAX)))
    }

    /// The name the audit log records: the display name from Settings, else the OS user name.
    pub fn audit_name(&self) -> String {
        let set: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [DISPLAY_NAME_KEY],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten()
            .filter(|n: &String| !n.trim().is_empty());
        set.or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "unknown user".to_owned())
    }
}

fn check_mode_tx(conn: &rusqlite::Connection, mode: FailureModeId) -> FmeaResult<()> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM fmea_parts WHERE id = ?1 AND kind = ?2",
            params![mode.to_string(), EntityKind::FailureMode.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| FmeaError::NotFound(format!("failure mode {mode}")))
}
