//! A postmortem's action items: added with owner, due date, priority and ticket, optionally
//! linked to an FMEA action by id, and moved through their statuses, each change audited under
//! a field naming the item (`action.<id>.status`).
//!
//! Known limit: items are not removed (a wrong one can be set to "won't do"); a removal beside
//! [`Store::update_postmortem_action`] would close that.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use vigil_core::postmortem::{
    ActionItem, ActionItemId, ActionPriority, ActionStatus, PostmortemId,
};

use super::postmortem::{audit_tx, corrupt, not_found};
use super::{new_id, Store};
use crate::postmortem::{PostmortemError, PostmortemResult};

/// A new action item, before it has an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActionItem {
    /// What is to be done.
    pub description: String,
    /// Who answers for it.
    pub owner: Option<String>,
    /// By when.
    pub due: Option<NaiveDate>,
    /// How urgent.
    pub priority: ActionPriority,
    /// The tracker ticket.
    pub ticket_url: Option<String>,
    /// The FMEA action recording the same work; checked to exist.
    pub fmea_action_id: Option<String>,
}

impl Store {
    /// Adds an action item; returns its id.
    pub fn add_postmortem_action(
        &mut self,
        id: PostmortemId,
        action: &NewActionItem,
        who: &str,
    ) -> PostmortemResult<ActionItemId> {
        if action.description.trim().is_empty() {
            return Err(PostmortemError::BadInput(
                "an action item needs a description of the work".into(),
            ));
        }
        if let Some(fmea) = &action.fmea_action_id {
            self.check_fmea_action(fmea)?;
        }
        let action_id = ActionItemId(new_id());
        self.edit_postmortem(id, |tx| {
            tx.execute(
                "INSERT INTO postmortem_actions (id, postmortem_id, description, owner, due,
                                                 priority, status, ticket_url, fmea_action_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    action_id.to_string(),
                    id.to_string(),
                    action.description.trim(),
                    action.owner,
                    action.due.map(|d| d.to_string()),
                    action.priority.as_str(),
                    ActionStatus::Open.as_str(),
                    action.ticket_url,
                    action.fmea_action_id,
                ],
            )?;
            let field = format!("action.{action_id}");
            audit_tx(tx, id, &field, None, Some(action.description.trim()), who)?;
            Ok(action_id)
        })
    }

    /// Moves an action item to `status`.
    pub fn set_postmortem_action_status(
        &mut self,
        id: PostmortemId,
        action: ActionItemId,
        status: ActionStatus,
        who: &str,
    ) -> PostmortemResult<()> {
        self.edit_postmortem(id, |tx| {
            let old: String = tx
                .query_row(
                    "SELECT status FROM postmortem_actions WHERE id = ?1 AND postmortem_id = ?2",
                    params![action.to_string(), id.to_string()],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| not_found("action item", action))?;
            if old == status.as_str() {
                return Ok(());
            }
            tx.execute(
                "UPDATE postmortem_actions SET status = ?2 WHERE id = ?1",
                params![action.to_string(), status.as_str()],
            )?;
            let field = format!("action.{action}.status");
            audit_tx(tx, id, &field, Some(&old), Some(status.as_str()), who)
        })
    }

    /// Rewrites an action item's fields from `action`, auditing each field that changed.
    pub fn update_postmortem_action(
        &mut self,
        id: PostmortemId,
        item: ActionItemId,
        action: &NewActionItem,
        who: &str,
    ) -> PostmortemResult<()> {
        if action.description.trim().is_empty() {
            return Err(PostmortemError::BadInput(
                "an action item needs a description of the work".into(),
            ));
        }
        if let Some(fmea) = &action.fmea_action_id {
            self.check_fmea_action(fmea)?;
        }
        let new = [
            ("description", Some(action.description.trim().to_owned())),
            ("owner", action.owner.clone()),
            ("due", action.due.map(|d| d.to_string())),
            ("priority", Some(action.priority.as_str().to_owned())),
            ("ticket_url", action.ticket_url.clone()),
            ("fmea_action_id", action.fmea_action_id.clone()),
        ];
        self.edit_postmortem(id, |tx| {
            for (column, value) in &new {
                let old: Option<String> = tx
                    .query_row(
                        &format!(
                            "SELECT {column} FROM postmortem_actions
                             WHERE id = ?1 AND postmortem_id = ?2"
                        ),
                        params![item.to_string(), id.to_string()],
                        |r| r.get(0),
                    )
                    .optional()?
                    .ok_or_else(|| not_found("action item", item))?;
                if old == *value {
                    continue;
                }
                tx.execute(
                    &format!("UPDATE postmortem_actions SET {column} = ?2 WHERE id = ?1"),
                    params![item.to_string(), value],
                )?;
                let field = format!("action.{item}.{column}");
                audit_tx(tx, id, &field, old.as_deref(), value.as_deref(), who)?;
            }
            Ok(())
        })
    }

    fn check_fmea_action(&self, fmea_action: &str) -> PostmortemResult<()> {
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM fmea_parts WHERE id = ?1 AND kind = 'fmea_action'",
                [fmea_action],
                |r| r.get(0),
            )
            .optional()?;
        found
            .map(|_| ())
            .ok_or_else(|| PostmortemError::UnknownFmeaAction(fmea_action.to_owned()))
    }
}

/// A postmortem's action items in the order added (ids are time-ordered).
pub(super) fn load_actions(
    conn: &Connection,
    id: PostmortemId,
) -> PostmortemResult<Vec<ActionItem>> {
    let mut stmt = conn.prepare(
        "SELECT id, description, owner, due, priority, status, ticket_url, fmea_action_id
         FROM postmortem_actions WHERE postmortem_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(
            |(a, description, owner, due, priority, status, ticket_url, fmea)| {
                Ok(ActionItem {
                    id: a.parse().map_err(|_| corrupt(format!("action id {a}")))?,
                    description,
                    owner,
                    due: due.and_then(|d| d.parse().ok()),
                    priority: ActionPriority::parse(&priority)
                        .ok_or_else(|| corrupt(format!("action priority {priority:?}")))?,
                    status: ActionStatus::parse(&status)
                        .ok_or_else(|| corrupt(format!("action status {status:?}")))?,
                    ticket_url,
                    fmea_action_id: fmea,
                })
            },
        )
        .collect()
}
