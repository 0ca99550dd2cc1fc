//! Alert rules and the alerting settings: what the Settings page edits and every evaluation
//! reads.

use chrono::Utc;
use rusqlite::{params, OptionalExtension, Row};
use vigil_core::alerting::{AlertFilter, AlertRule, AlertRuleId, AlertSettings, RuleKind};

use super::{new_id, time, Store};
use crate::error::{EngineError, Result};

/// The `settings` key the alerting settings are stored under, as JSON.
const SETTINGS_KEY: &str = "alerting";

/// A rule to create; the store gives it an id and puts it last.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlertRule {
    /// The user's name for it.
    pub name: String,
    /// What it listens for.
    pub kind: RuleKind,
    /// Which incidents or sources it cares about.
    pub filter: AlertFilter,
    /// Whether it pops up through quiet hours and do-not-disturb.
    pub breaks_through_quiet: bool,
}

const COLUMNS: &str = "id, name, kind, minutes, filter, breaks_through_quiet, enabled";

fn rule_from_row(r: &Row<'_>) -> rusqlite::Result<AlertRule> {
    let bad = |i, msg: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, msg.into())
    };
    let id: String = r.get(0)?;
    let kind: String = r.get(2)?;
    let minutes: Option<i64> = r.get(3)?;
    let filter: String = r.get(4)?;
    Ok(AlertRule {
        id: id
            .parse()
            .map_err(|_| bad(0, format!("bad rule id {id}")))?,
        name: r.get(1)?,
        kind: RuleKind::from_parts(&kind, minutes.and_then(|m| u32::try_from(m).ok()))
            .ok_or_else(|| bad(2, format!("unknown rule kind {kind}")))?,
        filter: serde_json::from_str(&filter).map_err(|e| bad(4, e.to_string()))?,
        breaks_through_quiet: r.get(5)?,
        enabled: r.get(6)?,
    })
}

/// Refuses a rule that could never make sense, in words the Settings page can show.
fn check(name: &str, kind: RuleKind) -> Result<()> {
    if name.trim().is_empty() {
        return Err(EngineError::BadInput("give the alert rule a name".into()));
    }
    if kind.minutes() == Some(0) {
        return Err(EngineError::BadInput(
            "an alert rule about waiting needs at least 1 minute".into(),
        ));
    }
    Ok(())
}

impl Store {
    /// Every alert rule, in the user's order (the first matching rule names an alert).
    pub fn alert_rules(&self) -> Result<Vec<AlertRule>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM alert_rules ORDER BY position, created_at, id"
        ))?;
        let rules = stmt
            .query_map([], rule_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rules)
    }

    /// One rule.
    pub fn alert_rule(&self, id: AlertRuleId) -> Result<AlertRule> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM alert_rules WHERE id = ?1"),
                [id.to_string()],
                rule_from_row,
            )
            .optional()?
            .ok_or_else(|| EngineError::NotFound {
                what: "alert rule",
                id: id.to_string(),
            })
    }

    /// Creates a rule, enabled, after the others.
    pub fn add_alert_rule(&mut self, new: &NewAlertRule) -> Result<AlertRule> {
        check(&new.name, new.kind)?;
        let id = AlertRuleId(new_id());
        let filter = serde_json::to_string(&new.filter)
            .map_err(|e| EngineError::BadInput(format!("the rule's filter is unusable: {e}")))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO alert_rules (id, position, name, kind, minutes, filter,
                     breaks_through_quiet, enabled, created_at)
                 VALUES (?1, (SELECT coalesce(max(position), 0) + 1 FROM alert_rules),
                     ?2, ?3, ?4, ?5, ?6, 1, ?7)",
                params![
                    id.to_string(),
                    new.name.trim(),
                    new.kind.as_str(),
                    new.kind.minutes(),
                    filter,
                    new.breaks_through_quiet,
                    time::to_db(Utc::now()),
                ],
            )?;
            Ok(())
        })?;
        self.alert_rule(id)
    }

    /// Saves a changed rule (name, kind, filter, switches); its place in the order stays.
    pub fn update_alert_rule(&mut self, rule: &AlertRule) -> Result<()> {
        check(&rule.name, rule.kind)?;
        let filter = serde_json::to_string(&rule.filter)
            .map_err(|e| EngineError::BadInput(format!("the rule's filter is unusable: {e}")))?;
        let changed = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE alert_rules SET name = ?2, kind = ?3, minutes = ?4, filter = ?5,
                     breaks_through_quiet = ?6, enabled = ?7
                 WHERE id = ?1",
                params![
                    rule.id.to_string(),
                    rule.name.trim(),
                    rule.kind.as_str(),
                    rule.kind.minutes(),
                    filter,
                    rule.breaks_through_quiet,
                    rule.enabled,
                ],
            )?)
        })?;
        if changed == 0 {
            return Err(EngineError::NotFound {
                what: "alert rule",
                id: rule.id.to_string(),
            });
        }
        Ok(())
    }

    /// Deletes a rule; the inbox keeps its alerts under the rule's last name.
    pub fn remove_alert_rule(&mut self, id: AlertRuleId) -> Result<()> {
        let removed = self.write(|tx| {
            Ok(tx.execute("DELETE FROM alert_rules WHERE id = ?1", [id.to_string()])?)
        })?;
        if removed == 0 {
            return Err(EngineError::NotFound {
                what: "alert rule",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// The alerting settings; the defaults until the user saves some.
    pub fn alert_settings(&self) -> Result<AlertSettings> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [SETTINGS_KEY],
                |r| r.get(0),
            )
            .optional()?;
        match text {
            None => Ok(AlertSettings::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| {
                EngineError::Corrupt(format!("the alerting settings do not parse: {e}"))
            }),
        }
    }

    /// Saves the alerting settings.
    pub fn set_alert_settings(&mut self, settings: &AlertSettings) -> Result<()> {
        let text = serde_json::to_string(settings)
            .map_err(|e| EngineError::BadInput(format!("the settings are unusable: {e}")))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![SETTINGS_KEY, text],
            )?;
            Ok(())
        })
    }
}
