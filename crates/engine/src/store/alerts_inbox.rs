//! The alert inbox: written once per alert by the evaluation, read and marked read by the user.
//!
//! Entries stay until their incident or source is removed; nothing prunes old read ones yet. A
//! retention rule (read entries older than, say, 90 days, kept only as the time-based rules'
//! "fired already" marks) would keep the table small over years of use.

use chrono::{DateTime, Utc};
use rusqlite::{params, Row, Transaction};
use vigil_core::alerting::{
    AlertDecision, AlertSubject, Delivery, InboxEntry, InboxEntryId, PopupUrgency, RuleKind,
};

use super::{new_id, time, Store};
use crate::error::{EngineError, Result};

/// Which inbox entries to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InboxQuery {
    /// Only the ones not read yet.
    pub unread_only: bool,
    /// At most this many, newest first; all when `None`.
    pub limit: Option<u32>,
}

/// Writes the inbox entries of an evaluation's decisions (filtered ones are none); returns how
/// many were written.
pub fn add_inbox_entries_tx(tx: &Transaction<'_>, decisions: &[AlertDecision]) -> Result<usize> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO alert_inbox (id, at, rule_id, rule_name, kind, minutes, subject,
             incident_id, source_id, episode, urgency, summary, body, delivery, reason, popup)
         VALUES (?1, ?2, (SELECT id FROM alert_rules WHERE id = ?3), ?4, ?5, ?6, ?7, ?8, ?9,
             ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    let mut written = 0;
    for decision in decisions.iter().filter(|d| d.is_inbox_entry()) {
        let alert = &decision.alert;
        let (incident, source) = match alert.subject {
            AlertSubject::Incident(id) => (Some(id.to_string()), None),
            AlertSubject::Source(id) => (None, Some(id.to_string())),
        };
        let reason = match decision.delivery {
            Delivery::Suppress(reason) => Some(reason.as_str()),
            _ => None,
        };
        written += stmt.execute(params![
            InboxEntryId(new_id()).to_string(),
            time::to_db(alert.at),
            alert.rule_id.to_string(),
            alert.rule_name,
            alert.kind.as_str(),
            alert.kind.minutes(),
            alert.subject.to_string(),
            incident,
            source,
            alert.episode,
            alert.urgency.as_str(),
            alert.summary,
            alert.body,
            decision.delivery.as_str(),
            reason,
            decision.popup().map(|p| p.to_string()),
        ])?;
    }
    Ok(written)
}

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<InboxEntry> {
    let bad = |i, msg: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, msg.into())
    };
    let id: String = r.get(0)?;
    let rule_id: Option<String> = r.get(2)?;
    let kind: String = r.get(4)?;
    let minutes: Option<i64> = r.get(5)?;
    let subject: String = r.get(6)?;
    let urgency: String = r.get(7)?;
    Ok(InboxEntry {
        id: id
            .parse()
            .map_err(|_| bad(0, format!("bad inbox id {id}")))?,
        at: time::from_db(r.get(1)?),
        rule_id: rule_id.and_then(|s| s.parse().ok()),
        rule_name: r.get(3)?,
        kind: RuleKind::from_parts(&kind, minutes.and_then(|m| u32::try_from(m).ok()))
            .ok_or_else(|| bad(4, format!("unknown rule kind {kind}")))?,
        subject: AlertSubject::parse(&subject)
            .ok_or_else(|| bad(6, format!("bad alert subject {subject}")))?,
        urgency: PopupUrgency::parse(&urgency)
            .ok_or_else(|| bad(7, format!("bad popup urgency {urgency}")))?,
        summary: r.get(8)?,
        body: r.get(9)?,
        delivery: r.get(10)?,
        reason: r.get(11)?,
        read_at: time::opt_from_db(r.get(12)?),
    })
}

impl Store {
    /// Inbox entries, newest first.
    pub fn alert_inbox(&self, query: &InboxQuery) -> Result<Vec<InboxEntry>> {
        let unread = if query.unread_only {
            "WHERE read_at IS NULL"
        } else {
            ""
        };
        let limit = query.limit.map_or(-1, i64::from);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, at, rule_id, rule_name, kind, minutes, subject, urgency, summary, body,
                    delivery, reason, read_at
             FROM alert_inbox {unread} ORDER BY at DESC, id DESC LIMIT {limit}"
        ))?;
        let entries = stmt
            .query_map([], entry_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(entries)
    }

    /// How many entries are unread: the tray's count.
    pub fn unread_alert_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM alert_inbox WHERE read_at IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    /// Marks one entry read (reading it twice keeps the first time).
    pub fn mark_alert_read(&mut self, id: InboxEntryId, at: DateTime<Utc>) -> Result<()> {
        let found = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE alert_inbox SET read_at = coalesce(read_at, ?2) WHERE id = ?1",
                params![id.to_string(), time::to_db(at)],
            )?)
        })?;
        if found == 0 {
            return Err(EngineError::NotFound {
                what: "inbox entry",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// Marks every unread entry read; returns how many were.
    pub fn mark_all_alerts_read(&mut self, at: DateTime<Utc>) -> Result<u64> {
        let n = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE alert_inbox SET read_at = ?1 WHERE read_at IS NULL",
                [time::to_db(at)],
            )?)
        })?;
        Ok(n as u64)
    }
}
