//! An FMEA's history: frozen revisions (baselines a review signed off, and the version a bundle
//! came from), the diff between any two versions, and the audit entries of its parts for the
//! History panel.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use vigil_core::fmea::{diff, Change, EntityKind, Fmea, FmeaId, RevisionId};

use super::fmea::{load_fmea_tx, parse_uuid};
use super::fmea_changes::audit;
use super::{new_id, time, Store};
use crate::fmea::{FmeaError, FmeaResult};

/// Why a revision was frozen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionKind {
    /// The user froze it (a review's baseline).
    Baseline,
    /// The version a bundle was imported from: the base its later bundles merge against.
    BundleBase,
}

impl RevisionKind {
    fn as_str(self) -> &'static str {
        match self {
            RevisionKind::Baseline => "baseline",
            RevisionKind::BundleBase => "bundle_base",
        }
    }
}

/// A revision in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionInfo {
    /// Its id.
    pub id: RevisionId,
    /// Why it exists.
    pub kind: RevisionKind,
    /// The user's label ("after the Q3 review").
    pub label: String,
    /// When it was frozen.
    pub created_at: DateTime<Utc>,
    /// Who froze it.
    pub who: String,
}

/// One side of a diff: the FMEA as it is now, or a frozen revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "version", content = "id", rename_all = "snake_case")]
pub enum FmeaVersion {
    /// The current state.
    Current(FmeaId),
    /// A frozen revision.
    Revision(RevisionId),
}

impl Store {
    /// Freezes the FMEA as it is now under `label`.
    pub fn freeze_fmea_revision(
        &mut self,
        fmea: FmeaId,
        label: &str,
        who: &str,
    ) -> FmeaResult<RevisionId> {
        let tx = self.fmea_tx()?;
        let doc = load_fmea_tx(&tx, fmea)?;
        let id = save_revision_tx(&tx, &doc, RevisionKind::Baseline, label, who)?;
        audit(
            &tx,
            EntityKind::Fmea,
            fmea.0,
            "(revision frozen)",
            None,
            Some(label),
            who,
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The FMEA's revisions, oldest first.
    pub fn fmea_revisions(&self, fmea: FmeaId) -> FmeaResult<Vec<RevisionInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, label, created_at, who FROM fmea_revisions
             WHERE fmea_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map([fmea.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        rows.map(|row| {
            let (id, kind, label, at, who) = row?;
            Ok(RevisionInfo {
                id: RevisionId(parse_uuid(&id)?),
                kind: if kind == "bundle_base" {
                    RevisionKind::BundleBase
                } else {
                    RevisionKind::Baseline
                },
                label,
                created_at: time::from_db(at),
                who,
            })
        })
        .collect()
    }

    /// One version of an FMEA, whole.
    pub fn load_fmea_version(&self, version: FmeaVersion) -> FmeaResult<Fmea> {
        match version {
            FmeaVersion::Current(id) => self.load_fmea(id),
            FmeaVersion::Revision(id) => {
                let text: Option<String> = self
                    .conn
                    .query_row(
                        "SELECT snapshot FROM fmea_revisions WHERE id = ?1",
                        [id.to_string()],
                        |r| r.get(0),
                    )
                    .optional()?;
                let text = text.ok_or_else(|| FmeaError::NotFound(format!("revision {id}")))?;
                serde_json::from_str(&text).map_err(|e| FmeaError::Corrupt(e.to_string()))
            }
        }
    }

    /// What changed from version `from` to version `to`, part by part and field by field.
    pub fn diff_fmea_versions(
        &self,
        from: FmeaVersion,
        to: FmeaVersion,
    ) -> FmeaResult<Vec<Change>> {
        Ok(diff(
            &self.load_fmea_version(from)?,
            &self.load_fmea_version(to)?,
        ))
    }

    /// The latest version a bundle of this FMEA was imported from, if it came from one.
    pub(crate) fn bundle_base(&self, fmea: FmeaId) -> FmeaResult<Option<Fmea>> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT id FROM fmea_revisions WHERE fmea_id = ?1 AND kind = 'bundle_base'
                 ORDER BY created_at DESC, id DESC LIMIT 1",
                [fmea.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.load_fmea_version(FmeaVersion::Revision(RevisionId(parse_uuid(&id)?))))
            .transpose()
    }
}

/// One audit log entry of an FMEA's part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The kind of part.
    pub kind: EntityKind,
    /// The part's id.
    pub id: Uuid,
    /// The field, or [`super::CREATED`] / [`super::REMOVED`] for a whole part.
    pub field: String,
    /// The value before, as the History panel shows it.
    pub old_value: Option<String>,
    /// The value after.
    pub new_value: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub who: String,
}

impl Store {
    /// The audit entries of the FMEA's header and of its current parts, newest first.
    ///
    /// Entries of parts removed since are not listed: the audit log does not record which FMEA
    /// a part belonged to, only the part's id. An `fmea_id` column on `audit_log` (a migration
    /// that fills it from the parts' own entries) would let this list them too.
    pub fn fmea_audit_entries(&self, fmea: FmeaId) -> FmeaResult<Vec<AuditRecord>> {
        let doc = self.load_fmea(fmea)?;
        let ids: Vec<String> = doc
            .entities()
            .iter()
            .map(|e| e.entity_ref().id.to_string())
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT entity, entity_id, field, old_value, new_value, at, who FROM audit_log
             WHERE entity LIKE 'fmea%' AND entity_id IN (SELECT value FROM json_each(?1))
             ORDER BY at DESC, rowid DESC",
        )?;
        let ids = serde_json::to_string(&ids).map_err(|e| FmeaError::Corrupt(e.to_string()))?;
        let rows = stmt.query_map([ids], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (kind, id, field, old_value, new_value, at, who) = row?;
            Ok(AuditRecord {
                kind: EntityKind::parse(&kind)
                    .ok_or_else(|| FmeaError::Corrupt(format!("audit entity `{kind}`")))?,
                id: parse_uuid(&id)?,
                field,
                old_value,
                new_value,
                at: time::from_db(at),
                who,
            })
        })
        .collect()
    }
}

/// Stores a snapshot of `fmea` in the caller's transaction.
pub(crate) fn save_revision_tx(
    tx: &Transaction<'_>,
    fmea: &Fmea,
    kind: RevisionKind,
    label: &str,
    who: &str,
) -> FmeaResult<RevisionId> {
    let id = RevisionId(new_id());
    let snapshot = serde_json::to_string(fmea).map_err(|e| FmeaError::Corrupt(e.to_string()))?;
    tx.execute(
        "INSERT INTO fmea_revisions (id, fmea_id, kind, label, snapshot, created_at, who)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            id.to_string(),
            fmea.id.to_string(),
            kind.as_str(),
            label,
            snapshot,
            time::to_db(Utc::now()),
            who
        ],
    )?;
    Ok(id)
}
