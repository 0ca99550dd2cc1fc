//! What the KPIs read, loaded from SQLite: one [`IncidentFacts`] per incident created in a window,
//! with the responders its timeline names.
//!
//! The arithmetic is vigil-core's ([`vigil_core::metrics`]); this module only answers "which
//! incidents, with which instants". A Metrics page of twelve weeks over a large cache loads a
//! quarter of a million incidents and twice as many timeline entries, so the two queries are
//! shaped for that (measured with `cargo xtask bench metrics`):
//!
//! - both walk `incidents_by_created` and return rows in `(created_at, rowid)` order, the
//!   index's own order (an index always ends with the rowid), so SQLite sorts nothing: ordering
//!   the entries by the incidents' text ids, as a first version did, spent much of the load in
//!   SQLite's sorter comparing UUID strings;
//! - the entries carry their incident's `(created_at, rowid)` instead of its UUID, so each one
//!   is matched to its incident by walking both lists in step, with no UUID parsing and no hash
//!   map of incidents;
//! - the entries are read on a second, read-only connection in a thread of their own while the
//!   store's connection reads the incidents: the machines Vigil targets have two cores or more,
//!   and the entries are the larger half of the work.
//!
//! What remains is one index search per incident into `timeline_by_incident` (by a 36-character
//! text key) and a read of each entry's row for its kind and actor. A partial covering index on
//! `timeline_events (incident_id, kind, at, actor) WHERE actor IS NOT NULL` would spare the row
//! reads, and an integer incident key would make the searches cheaper; both belong in a schema
//! migration, which other work is adding to at the time of writing.

use std::collections::HashMap;
use std::path::Path;

use chrono_tz::Tz;
use rusqlite::types::Type;
use rusqlite::{params, Connection, OpenFlags, Row};
use vigil_core::metrics::{
    IncidentFacts, Interruption, InterruptionKind, MetricsReport, MetricsRequest, Responder, Window,
};
use vigil_core::{IncidentId, Urgency};

use super::{time, Store};
use crate::error::{EngineError, Result};

/// Where an incident sits in both queries' order: its creation, then its rowid.
type Position = (i64, i64);

impl Store {
    /// The Metrics page for `request`: loads the facts of its window and the one before, and
    /// lets vigil-core compute every number.
    pub fn metrics_report(&self, request: &MetricsRequest) -> Result<MetricsReport> {
        let facts = self.incident_facts(request.loaded_window(), request.zone)?;
        Ok(MetricsReport::build(&facts, request))
    }

    /// The facts of every incident created in `window`, merged ones included (the KPIs set them
    /// aside themselves, and count them), ordered by creation. Responders are the actors of the
    /// timeline's notify and acknowledge entries.
    ///
    /// A responder's own zone is not known to any vendor Vigil reads yet, so each is placed in
    /// `responder_zone` (the zone the user reads the page in); a per-person zone in Settings
    /// would make "out of hours" exact for a team spread over several zones.
    pub fn incident_facts(&self, window: Window, responder_zone: Tz) -> Result<Vec<IncidentFacts>> {
        let (since, until) = (time::to_db(window.since), time::to_db(window.until));
        let path = self.path();
        let (facts, entries) = std::thread::scope(|scope| {
            let worker = scope.spawn(|| responder_entries(path, since, until));
            let facts = self.facts_without_responders(since, until);
            let entries = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (facts, entries)
        });
        let (mut facts, positions) = facts?;
        let (entries, actors) = entries?;

        let mut cursor = 0;
        for entry in entries {
            while positions.get(cursor).is_some_and(|p| *p < entry.position) {
                cursor += 1;
            }
            // An entry of an incident created after the first query read (the two connections
            // may see a sync's commit at different moments) has no fact to join: skipped.
            if positions.get(cursor) != Some(&entry.position) {
                continue;
            }
            let Some(fact) = facts.get_mut(cursor) else {
                continue;
            };
            let actor = &actors[entry.actor];
            let interruption = Interruption {
                at: time::from_db(entry.at),
                kind: entry.kind,
            };
            match fact.responders.iter_mut().find(|r| r.name == *actor) {
                Some(responder) => responder.interruptions.push(interruption),
                None => fact.responders.push(Responder {
                    name: actor.clone(),
                    zone: responder_zone,
                    interruptions: vec![interruption],
                }),
            }
        }
        Ok(facts)
    }

    /// The incidents of `[since, until)` without responders, and each one's position.
    fn facts_without_responders(
        &self,
        since: i64,
        until: i64,
    ) -> Result<(Vec<IncidentFacts>, Vec<Position>)> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.id, s.name, i.service, i.team, i.urgency, i.created_at, \
                    i.first_acknowledged_at, i.impact_started_at, i.first_mitigated_at, \
                    i.resolved_at, i.merged_into IS NOT NULL, i.reopen_count, i.rowid \
             FROM incidents i JOIN sources s ON s.id = i.source_id \
             WHERE i.created_at >= ?1 AND i.created_at < ?2 \
             ORDER BY i.created_at, i.rowid",
        )?;
        let mut rows = stmt.query(params![since, until])?;
        let (mut facts, mut positions) = (Vec::new(), Vec::new());
        while let Some(r) = rows.next()? {
            let urgency = text(r, 4)?;
            let created: i64 = r.get(5)?;
            facts.push(IncidentFacts {
                id: parse_id(text(r, 0)?)?,
                source: r.get(1)?,
                service: r.get(2)?,
                team: r.get(3)?,
                urgency: Urgency::parse(urgency).ok_or_else(|| {
                    EngineError::Corrupt(format!("an incident has the unknown urgency {urgency}"))
                })?,
                created_at: time::from_db(created),
                first_acknowledged_at: time::opt_from_db(r.get(6)?),
                impact_started_at: time::opt_from_db(r.get(7)?),
                first_mitigated_at: time::opt_from_db(r.get(8)?),
                resolved_at: time::opt_from_db(r.get(9)?),
                merged: r.get(10)?,
                reopen_count: r.get(11)?,
                responders: Vec::new(),
            });
            positions.push((created, r.get(12)?));
        }
        Ok((facts, positions))
    }
}

/// A text column borrowed from the row, sparing an allocation per row where the text is only
/// compared or parsed.
fn text<'r>(row: &'r Row<'_>, column: usize) -> Result<&'r str> {
    let value = row.get_ref(column)?;
    value.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, Type::Text, Box::new(e)).into()
    })
}

/// One notify or acknowledge entry with an actor, as the worker read it.
struct Entry {
    /// Its incident's position.
    position: Position,
    /// Index into the actors read alongside.
    actor: usize,
    kind: InterruptionKind,
    at: i64,
}

/// How much of the file the worker's connection maps into memory: the whole of any database up
/// to SQLite's own ceiling (2 GiB in the bundled build). A fresh connection's page cache is
/// empty, so without the map every page of the window's entries would be copied in from the
/// OS by a read call; mapped, SQLite reads them where the OS already holds them.
const MMAP_BYTES: i64 = 1 << 31;

/// The notify and acknowledge entries of the incidents created in `[since, until)`, ordered as
/// the incidents are, read on a read-only connection of their own so that the other core can
/// read the incidents meanwhile. Actors are returned once each, entries point at them.
fn responder_entries(path: &Path, since: i64, until: i64) -> Result<(Vec<Entry>, Vec<String>)> {
    let open_err = |source| EngineError::Database {
        path: path.to_owned(),
        source,
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;

    let mut stmt = conn.prepare(
        "SELECT i.created_at, i.rowid, e.actor, e.kind, e.at \
         FROM incidents i JOIN timeline_events e ON e.incident_id = i.id \
         WHERE i.created_at >= ?1 AND i.created_at < ?2 \
           AND e.actor IS NOT NULL AND e.kind IN ('notified', 'acknowledged') \
         ORDER BY i.created_at, i.rowid, e.at",
    )?;
    let mut rows = stmt.query(params![since, until])?;
    let (mut entries, mut actors) = (Vec::new(), Vec::<String>::new());
    let mut actor_index: HashMap<String, usize> = HashMap::new();
    while let Some(row) = rows.next()? {
        let name = text(row, 2)?;
        let actor = match actor_index.get(name) {
            Some(&known) => known,
            None => {
                actors.push(name.to_owned());
                actor_index.insert(name.to_owned(), actors.len() - 1);
                actors.len() - 1
            }
        };
        let kind = match text(row, 3)? {
            "acknowledged" => InterruptionKind::Acknowledged,
            _ => InterruptionKind::Notified,
        };
        entries.push(Entry {
            position: (row.get(0)?, row.get(1)?),
            actor,
            kind,
            at: row.get(4)?,
        });
    }
    Ok((entries, actors))
}

fn parse_id(text: &str) -> Result<IncidentId> {
    text.parse()
        .map_err(|_| EngineError::Corrupt(format!("an incident has the malformed id {text}")))
}
