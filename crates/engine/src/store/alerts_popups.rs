//! The popups on the notification server, and the [`NotificationHistory`] each evaluation
//! rebuilds from them and from the inbox.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use vigil_core::alerting::{
    AlertSettings, AlertSubject, Burst, NotificationHistory, PopupKey, PopupRecord, PopupShow,
};

use super::{time, Store};
use crate::error::{EngineError, Result};

/// How long a subject's popup counts as on screen. Past it, the next alert about the subject makes
/// a new popup instead of replacing the old one: the old one is long gone from view, and the
/// notification server may have given its id to another notification since (ids restart with
/// each login session), which a replace would overwrite.
pub const POPUP_LIFETIME_HOURS: i64 = 12;

impl Store {
    /// The memory an evaluation at `now` needs: the live popups of `subjects`, the popups created
    /// within the storm window, the latest burst, when each rule last showed each subject within
    /// the re-notify interval, and which time-based alerts fired already.
    pub fn alert_history(
        &self,
        now: DateTime<Utc>,
        settings: &AlertSettings,
        subjects: &[AlertSubject],
    ) -> Result<NotificationHistory> {
        let mut history = NotificationHistory::new();

        let mut stmt = self.conn.prepare_cached(
            "SELECT first_shown_at, last_shown_at FROM alert_popups
             WHERE key = ?1 AND last_shown_at > ?2",
        )?;
        let live_since = time::to_db(now - Duration::hours(POPUP_LIFETIME_HOURS));
        for subject in subjects {
            let row: Option<(i64, i64)> = stmt
                .query_row(params![subject.to_string(), live_since], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            if let Some((first, last)) = row {
                let record = PopupRecord {
                    first_shown_at: time::from_db(first),
                    last_shown_at: time::from_db(last),
                };
                history.remember_popup(*subject, record);
            }
        }

        let window_start = time::to_db(now - settings.storm.window());
        let mut stmt = self
            .conn
            .prepare_cached("SELECT first_shown_at FROM alert_popups WHERE first_shown_at > ?1")?;
        for at in stmt.query_map([window_start], |r| r.get::<_, i64>(0))? {
            history.remember_popup_created(time::from_db(at?));
        }

        let burst: Option<String> = self
            .conn
            .query_row(
                "SELECT burst FROM alert_popups WHERE burst IS NOT NULL
                 ORDER BY last_shown_at DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(text) = burst {
            let burst: Burst = serde_json::from_str(&text)
                .map_err(|e| EngineError::Corrupt(format!("a burst summary: {e}")))?;
            history.remember_burst(burst);
        }

        let renotify_start = time::to_db(now - settings.renotify_interval());
        let mut stmt = self.conn.prepare_cached(
            "SELECT rule_id, subject, max(at) FROM alert_inbox
             WHERE rule_id IS NOT NULL AND delivery IN ('notify', 'update', 'fold') AND at > ?1
             GROUP BY rule_id, subject",
        )?;
        let shown = stmt.query_map([renotify_start], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in shown {
            let (rule, subject, at) = row?;
            if let (Ok(rule), Some(subject)) = (rule.parse(), AlertSubject::parse(&subject)) {
                history.remember_shown(rule, subject, time::from_db(at));
            }
        }

        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT rule_id, subject, episode FROM alert_inbox
             WHERE rule_id IS NOT NULL AND kind IN ('unacknowledged', 'sync_failing')",
        )?;
        let fired = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in fired {
            let (rule, subject, episode) = row?;
            if let (Ok(rule), Some(subject)) = (rule.parse(), AlertSubject::parse(&subject)) {
                history.remember_fired(rule, subject, episode);
            }
        }
        Ok(history)
    }

    /// The server's id of a popup, once it was shown; `None` before, or when showing failed.
    pub fn popup_notification_id(&self, key: PopupKey) -> Result<Option<u32>> {
        let id: Option<Option<i64>> = self
            .conn
            .query_row(
                "SELECT notification_id FROM alert_popups WHERE key = ?1",
                [key.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(id.flatten().and_then(|id| u32::try_from(id).ok()))
    }

    /// Records the server's id of a popup it just showed, so the next update replaces it.
    pub fn set_popup_notification_id(&mut self, key: PopupKey, id: u32) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE alert_popups SET notification_id = ?2 WHERE key = ?1",
                params![key.to_string(), id],
            )?;
            Ok(())
        })
    }
}

/// Records the popups an evaluation shows: created now, or shown again now, with a summary's
/// burst so the next evaluation can keep folding into it. A new popup for a subject whose old
/// one outlived [`POPUP_LIFETIME_HOURS`] starts afresh, without the old server id.
pub fn record_popups_tx(
    tx: &Transaction<'_>,
    popups: &[PopupShow],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO alert_popups (key, first_shown_at, last_shown_at, burst)
         VALUES (?1, ?2, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET last_shown_at = excluded.last_shown_at,
             burst = excluded.burst,
             first_shown_at = CASE WHEN ?4 THEN first_shown_at ELSE excluded.first_shown_at END,
             notification_id = CASE WHEN ?4 THEN notification_id ELSE NULL END",
    )?;
    for popup in popups {
        let burst = popup
            .burst
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| EngineError::Corrupt(format!("a burst summary: {e}")))?;
        stmt.execute(params![
            popup.key.to_string(),
            time::to_db(now),
            burst,
            popup.replaces_existing
        ])?;
    }
    Ok(())
}
