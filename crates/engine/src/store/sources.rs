//! Configured sources and their sync status.

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use vigil_core::{SourceId, SourceKind};

use super::{new_id, time, Store};
use crate::error::{EngineError, Result};

/// A source to create.
#[derive(Debug, Clone)]
pub struct NewSource {
    /// What it talks to.
    pub kind: SourceKind,
    /// The name the user gives it.
    pub name: String,
    /// The API's base URL.
    pub base_url: Option<String>,
}

/// A source as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRecord {
    /// Vigil's id; also the keychain entry's user name.
    pub id: SourceId,
    /// What it talks to.
    pub kind: SourceKind,
    /// The user's name for it.
    pub name: String,
    /// The API's base URL.
    pub base_url: Option<String>,
    /// Settings of its kind beyond the base URL, as a JSON object (Statuspage's `page_id`).
    pub options: serde_json::Map<String, serde_json::Value>,
    /// The connector's cursor, as it wrote it.
    pub sync_cursor: Option<String>,
    /// The last sync's outcome.
    pub status: SyncStatus,
}

/// How the last syncs went.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncStatus {
    /// When the last sync finished without error.
    pub last_success_at: Option<DateTime<Utc>>,
    /// The last error, in words; cleared by a success.
    pub last_error: Option<String>,
    /// When it happened.
    pub last_error_at: Option<DateTime<Utc>>,
    /// Incidents fetched by the last sync.
    pub last_fetched: u64,
}

const COLUMNS: &str = "id, kind, name, base_url, sync_cursor, last_success_at, last_error, \
                       last_error_at, last_fetched, options";

fn from_row(row: &Row<'_>) -> rusqlite::Result<SourceRecord> {
    let id: String = row.get(0)?;
    let kind: String = row.get(1)?;
    let bad = |i, e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e)
    };
    Ok(SourceRecord {
        id: id.parse().map_err(|e| bad(0, Box::new(e)))?,
        kind: kind.parse().map_err(|e| bad(1, Box::new(e)))?,
        name: row.get(2)?,
        base_url: row.get(3)?,
        // Only Vigil writes this column, always as an object; anything else reads as no options.
        options: serde_json::from_str(&row.get::<_, String>(9)?).unwrap_or_default(),
        sync_cursor: row.get(4)?,
        status: SyncStatus {
            last_success_at: time::opt_from_db(row.get(5)?),
            last_error: row.get(6)?,
            last_error_at: time::opt_from_db(row.get(7)?),
            last_fetched: row.get::<_, i64>(8)?.max(0) as u64,
        },
    })
}

impl Store {
    /// Creates a source and returns it.
    pub fn add_source(&mut self, new: &NewSource) -> Result<SourceRecord> {
        if new.name.trim().is_empty() {
            return Err(EngineError::BadInput("give the source a name".into()));
        }
        let id = SourceId(new_id());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO sources (id, kind, name, base_url, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    id.to_string(),
                    new.kind.as_str(),
                    new.name.trim(),
                    new.base_url,
                    time::to_db(Utc::now())
                ],
            )?;
            Ok(())
        })?;
        self.source(id)
    }

    /// Replaces a source's options (a JSON object of its kind's settings).
    pub fn set_source_options(
        &mut self,
        id: SourceId,
        options: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<SourceRecord> {
        let text = serde_json::Value::Object(options.clone()).to_string();
        let changed = self.write(|tx| {
            Ok(tx.execute(
                "UPDATE sources SET options = ?2 WHERE id = ?1",
                params![id.to_string(), text],
            )?)
        })?;
        if changed == 0 {
            return Err(EngineError::NotFound {
                what: "source",
                id: id.to_string(),
            });
        }
        self.source(id)
    }

    /// Every source, oldest first.
    pub fn sources(&self) -> Result<Vec<SourceRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM sources ORDER BY created_at, id"
        ))?;
        let rows = stmt
            .query_map([], from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One source.
    pub fn source(&self, id: SourceId) -> Result<SourceRecord> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM sources WHERE id = ?1"),
                [id.to_string()],
                from_row,
            )
            .optional()?
            .ok_or_else(|| EngineError::NotFound {
                what: "source",
                id: id.to_string(),
            })
    }

    /// The first source of a kind, if any (the CLI syncs "the" PagerDuty source by kind).
    pub fn source_by_kind_and_url(
        &self,
        kind: SourceKind,
        base_url: Option<&str>,
    ) -> Result<Option<SourceRecord>> {
        Ok(self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM sources WHERE kind = ?1 AND base_url IS ?2
                     ORDER BY created_at LIMIT 1"
                ),
                params![kind.as_str(), base_url],
                from_row,
            )
            .optional()?)
    }

    /// Removes a source and, through the foreign keys, its incidents and timelines.
    pub fn remove_source(&mut self, id: SourceId) -> Result<()> {
        let removed = self
            .write(|tx| Ok(tx.execute("DELETE FROM sources WHERE id = ?1", [id.to_string()])?))?;
        if removed == 0 {
            return Err(EngineError::NotFound {
                what: "source",
                id: id.to_string(),
            });
        }
        Ok(())
    }

    /// How many incidents a source has in the cache.
    pub fn incident_count(&self, id: SourceId) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM incidents WHERE source_id = ?1",
            [id.to_string()],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    /// Records a successful sync: clears the error.
    pub fn record_sync_success(&mut self, id: SourceId, fetched: u64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sources SET last_success_at = ?2, last_error = NULL, last_error_at = NULL,
                 last_fetched = ?3 WHERE id = ?1",
                params![id.to_string(), time::to_db(Utc::now()), fetched as i64],
            )?;
            Ok(())
        })
    }

    /// Records a failed sync; what was stored before stays.
    pub fn record_sync_failure(&mut self, id: SourceId, error: &str, fetched: u64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sources SET last_error = ?2, last_error_at = ?3, last_fetched = ?4
                 WHERE id = ?1",
                params![
                    id.to_string(),
                    error,
                    time::to_db(Utc::now()),
                    fetched as i64
                ],
            )?;
            Ok(())
        })
    }
}

impl SourceRecord {
    /// A text option, such as Statuspage's `page_id`; `None` when unset or empty.
    pub fn option_str(&self, key: &str) -> Option<&str> {
        self.options
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
}

/// Writes a source's cursor in the caller's transaction (with the page it follows).
pub fn set_cursor_tx(tx: &Transaction<'_>, id: SourceId, cursor: &str) -> Result<()> {
    tx.execute(
        "UPDATE sources SET sync_cursor = ?2 WHERE id = ?1",
        params![id.to_string(), cursor],
    )?;
    Ok(())
}
