//! The everyday saves of a postmortem's text: a section body (the editor's autosave) and the
//! title, and the guard every edit goes through. Each save is one immediate transaction with
//! its audit entry, stamped save time and refreshed search row; a published postmortem refuses
//! them all before anything is written.

use rusqlite::{params, OptionalExtension, Transaction};
use tracing::debug;
use vigil_core::postmortem::{normalise_body, PostmortemId};

use super::postmortem::{audit_tx, status_tx, touch_tx};
use super::Store;
use crate::postmortem::{PostmortemError, PostmortemResult};

impl Store {
    /// Saves one section's Markdown (an autosave); returns whether anything changed. An
    /// unchanged body writes nothing, so an editor may save on every pause.
    pub fn save_postmortem_section(
        &mut self,
        id: PostmortemId,
        key: &str,
        body: &str,
        who: &str,
    ) -> PostmortemResult<bool> {
        let body = normalise_body(body);
        self.edit_postmortem(id, |tx| {
            let old: String = tx
                .query_row(
                    "SELECT body FROM postmortem_sections WHERE postmortem_id = ?1 AND key = ?2",
                    params![id.to_string(), key],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| PostmortemError::NotFound {
                    what: "section",
                    id: key.to_owned(),
                })?;
            if old == body {
                return Ok(false);
            }
            tx.execute(
                "UPDATE postmortem_sections SET body = ?3 WHERE postmortem_id = ?1 AND key = ?2",
                params![id.to_string(), key, body],
            )?;
            audit_tx(
                tx,
                id,
                &format!("section.{key}"),
                Some(&old),
                Some(&body),
                who,
            )?;
            Ok(true)
        })
    }

    /// Renames the postmortem; returns whether anything changed.
    pub fn set_postmortem_title(
        &mut self,
        id: PostmortemId,
        title: &str,
        who: &str,
    ) -> PostmortemResult<bool> {
        let title = title.trim();
        if title.is_empty() {
            return Err(PostmortemError::BadInput(
                "a postmortem needs a title; type a few words".into(),
            ));
        }
        self.edit_postmortem(id, |tx| {
            let old: String = tx.query_row(
                "SELECT title FROM postmortems WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )?;
            if old == title {
                return Ok(false);
            }
            tx.execute(
                "UPDATE postmortems SET title = ?2 WHERE id = ?1",
                params![id.to_string(), title],
            )?;
            audit_tx(tx, id, "title", Some(&old), Some(title), who)?;
            Ok(true)
        })
    }

    /// Runs `f` in one transaction after checking the postmortem exists and is editable, then
    /// stamps its save time and refreshes its search row; a refusal writes nothing.
    pub(crate) fn edit_postmortem<T>(
        &mut self,
        id: PostmortemId,
        f: impl FnOnce(&Transaction<'_>) -> PostmortemResult<T>,
    ) -> PostmortemResult<T> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let status = status_tx(&tx, id)?;
        if !status.is_editable() {
            return Err(PostmortemError::Published { id: id.to_string() });
        }
        let value = f(&tx)?;
        touch_tx(&tx, id)?;
        tx.commit()?;
        debug!(%id, "postmortem saved");
        Ok(value)
    }
}
