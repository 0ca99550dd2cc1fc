//! The review cycle (draft, in review, published, reopened) and the team's own templates.
//! Status changes are audited like any edit; they are the only writes a published postmortem
//! accepts, and only the reopen.

use chrono::Utc;
use rusqlite::{params, OptionalExtension};
use tracing::info;
use vigil_core::postmortem::{parse_template, PostmortemId, PostmortemStatus, Template};

use super::postmortem::{audit_tx, status_tx, touch_tx};
use super::{time, Store};
use crate::postmortem::{builtin_template, builtin_templates, PostmortemError, PostmortemResult};

impl Store {
    /// Sends the postmortem to `reviewers`.
    pub fn send_postmortem_to_review(
        &mut self,
        id: PostmortemId,
        reviewers: &[String],
        who: &str,
    ) -> PostmortemResult<()> {
        let reviewers: Vec<String> = reviewers
            .iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        self.change_status(id, who, |s| s.to_review(&reviewers), Some(&reviewers))
    }

    /// Publishes the postmortem; from now on it refuses edits until reopened.
    pub fn publish_postmortem(&mut self, id: PostmortemId, who: &str) -> PostmortemResult<()> {
        self.change_status(id, who, PostmortemStatus::to_published, None)
    }

    /// Makes a published postmortem a draft again, so it can be corrected.
    pub fn reopen_postmortem(&mut self, id: PostmortemId, who: &str) -> PostmortemResult<()> {
        self.change_status(id, who, PostmortemStatus::to_reopened, None)
    }

    fn change_status(
        &mut self,
        id: PostmortemId,
        who: &str,
        next: impl FnOnce(
            PostmortemStatus,
        ) -> Result<PostmortemStatus, vigil_core::postmortem::StatusError>,
        reviewers: Option<&[String]>,
    ) -> PostmortemResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let old = status_tx(&tx, id)?;
        let new = next(old)?;
        tx.execute(
            "UPDATE postmortems SET status = ?2 WHERE id = ?1",
            params![id.to_string(), new.as_str()],
        )?;
        audit_tx(
            &tx,
            id,
            "status",
            Some(old.as_str()),
            Some(new.as_str()),
            who,
        )?;
        if let Some(reviewers) = reviewers {
            let old: String = tx.query_row(
                "SELECT reviewers FROM postmortems WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )?;
            let new = serde_json::to_string(reviewers)?;
            if old != new {
                tx.execute(
                    "UPDATE postmortems SET reviewers = ?2 WHERE id = ?1",
                    params![id.to_string(), new],
                )?;
                audit_tx(&tx, id, "reviewers", Some(&old), Some(&new), who)?;
            }
        }
        touch_tx(&tx, id)?;
        tx.commit()?;
        info!(%id, from = old.as_str(), to = new.as_str(), "postmortem status changed");
        Ok(())
    }

    /// The template called `name`: built-in first, then the team's own.
    pub fn postmortem_template(&self, name: &str) -> PostmortemResult<Template> {
        self.postmortem_templates()?
            .into_iter()
            .find(|t| t.name == name)
            .ok_or_else(|| PostmortemError::UnknownTemplate {
                name: name.to_owned(),
                known: self
                    .postmortem_templates()
                    .map(|ts| {
                        ts.into_iter()
                            .map(|t| t.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
            })
    }

    /// Every template: the built-in ones, then the team's, by name.
    pub fn postmortem_templates(&self) -> PostmortemResult<Vec<Template>> {
        let mut all = builtin_templates();
        let mut stmt = self
            .conn
            .prepare("SELECT name, body FROM postmortem_templates ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (name, body) in rows {
            all.push(parse_template(&name, &body)?);
        }
        Ok(all)
    }

    /// Stores (or replaces) a team template written in Markdown; it is checked first.
    pub fn add_postmortem_template(
        &mut self,
        name: &str,
        markdown: &str,
        who: &str,
    ) -> PostmortemResult<Template> {
        if builtin_template(name).is_some() {
            return Err(PostmortemError::TemplateNameTaken(name.to_owned()));
        }
        let template = parse_template(name, markdown)?;
        self.write(|tx| {
            let old: Option<String> = tx
                .query_row(
                    "SELECT body FROM postmortem_templates WHERE name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute(
                "INSERT INTO postmortem_templates (name, body, created_at, who)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (name) DO UPDATE SET body = excluded.body",
                params![name, markdown, time::to_db(Utc::now()), who],
            )?;
            super::record_change_tx(
                tx,
                &super::AuditEntry {
                    entity: "postmortem_template",
                    entity_id: name,
                    field: "body",
                    old_value: old.as_deref(),
                    new_value: Some(markdown),
                    who,
                },
            )
        })?;
        Ok(template)
    }
}
