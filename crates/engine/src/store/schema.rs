//! The schema, as forward-only migrations. Each migration says why it exists; a released one is
//! never edited, only followed by another.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::Result;

/// The schema version after every migration has run.
pub const SCHEMA_VERSION: usize = 5;

const V1: &str = r#"
-- A source is a configured instance of a vendor (one PagerDuty account, the demo workspace).
-- Its token is in the OS keychain under the source's id, never here. The sync cursor is the
-- connector's own JSON, written in the same transaction as the page it follows.
CREATE TABLE sources (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    name            TEXT NOT NULL,
    base_url        TEXT,
    options         TEXT NOT NULL DEFAULT '{}',
    created_at      INTEGER NOT NULL,
    sync_cursor     TEXT,
    last_success_at INTEGER,
    last_error      TEXT,
    last_error_at   INTEGER,
    last_fetched    INTEGER NOT NULL DEFAULT 0
);

-- Incidents from every source in one normalised shape. Instants are UTC seconds. The vendor's id
-- is unique within its source, which makes a re-sync an update instead of a duplicate. The raw
-- vendor JSON is kept for audit.
CREATE TABLE incidents (
    id                    TEXT PRIMARY KEY,
    source_id             TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    external_id           TEXT NOT NULL,
    number                INTEGER,
    title                 TEXT NOT NULL,
    service               TEXT,
    team                  TEXT,
    urgency               TEXT NOT NULL,
    urgency_raw           TEXT,
    status                TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    first_acknowledged_at INTEGER,
    first_mitigated_at    INTEGER,
    resolved_at           INTEGER,
    merged_into           TEXT,
    reopen_count          INTEGER NOT NULL DEFAULT 0,
    url                   TEXT,
    raw                   TEXT,
    updated_at            INTEGER NOT NULL,
    UNIQUE (source_id, external_id)
);
CREATE INDEX incidents_by_created ON incidents (created_at);
CREATE INDEX incidents_by_service ON incidents (service, created_at);

-- Timeline entries. A vendor entry id is unique per incident so a re-fetched page adds nothing.
CREATE TABLE timeline_events (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    external_id TEXT,
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    vendor_type TEXT,
    actor       TEXT,
    summary     TEXT NOT NULL,
    UNIQUE (incident_id, external_id)
);
CREATE INDEX timeline_by_incident ON timeline_events (incident_id, at);

-- Every change a person makes to an FMEA, a DMAIC project or a postmortem, written in the same
-- transaction as the change, so the History panel can say who changed what and when.
CREATE TABLE audit_log (
    id        TEXT PRIMARY KEY,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field     TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    at        INTEGER NOT NULL,
    who       TEXT NOT NULL
);
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id, at);

-- Small app-wide settings (the display name used in the audit log, for one).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#;

const V2: &str = r#"
-- Some vendors state when the impact on users began and ended apart from when their record was
-- opened and closed: Statuspage's updates carry the times shown to customers, incident.io and
-- Opsgenie incidents have an "impact started" timestamp. Time to detect is measured from the
-- impact start, so it needs a column of its own; the end is kept beside it so the impact window
-- can be shown whole. Both are UTC seconds, NULL where the vendor says nothing.
ALTER TABLE incidents ADD COLUMN impact_started_at INTEGER;
ALTER TABLE incidents ADD COLUMN impact_ended_at INTEGER;
"#;

const V3: &str = r#"
-- Alerting (issue 5). Rules are the user's, in the user's order; a rule's kind is its stable
-- name with the threshold of the time-based kinds in `minutes`, and its filter is JSON (sources,
-- services, teams, urgencies, severities). The settings (quiet hours, do-not-disturb, re-notify
-- interval) are one JSON value in `settings` under the key 'alerting', read with defaults, so a
-- later setting needs no migration.
CREATE TABLE alert_rules (
    id                   TEXT PRIMARY KEY,
    position             INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    minutes              INTEGER,
    filter               TEXT NOT NULL DEFAULT '{}',
    breaks_through_quiet INTEGER NOT NULL DEFAULT 0,
    enabled              INTEGER NOT NULL DEFAULT 1,
    created_at           INTEGER NOT NULL
);

-- Every alert, shown or suppressed, with the words its popup had and what was done with it.
-- It is also the record the next evaluation reads back: when a rule last popped up about a
-- subject (the re-notify interval) and which time-based alerts fired already (once each). An
-- entry outlives its rule (the name is copied) but not its incident or source.
CREATE TABLE alert_inbox (
    id          TEXT PRIMARY KEY,
    at          INTEGER NOT NULL,
    rule_id     TEXT REFERENCES alert_rules(id) ON DELETE SET NULL,
    rule_name   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    minutes     INTEGER,
    subject     TEXT NOT NULL,
    incident_id TEXT REFERENCES incidents(id) ON DELETE CASCADE,
    source_id   TEXT REFERENCES sources(id) ON DELETE CASCADE,
    episode     INTEGER NOT NULL,
    urgency     TEXT NOT NULL,
    summary     TEXT NOT NULL,
    body        TEXT NOT NULL,
    delivery    TEXT NOT NULL,
    reason      TEXT,
    popup       TEXT,
    read_at     INTEGER
);
CREATE INDEX alert_inbox_by_at ON alert_inbox (at);
CREATE INDEX alert_inbox_by_rule ON alert_inbox (rule_id, subject, episode);
CREATE INDEX alert_inbox_by_incident ON alert_inbox (incident_id);
CREATE INDEX alert_inbox_by_source ON alert_inbox (source_id);

-- The popups on the notification server: one per incident or source, one per burst summary,
-- with the server's id so an update replaces the popup in place.
CREATE TABLE alert_popups (
    key             TEXT PRIMARY KEY,
    notification_id INTEGER,
    first_shown_at  INTEGER NOT NULL,
    last_shown_at   INTEGER NOT NULL,
    burst           TEXT
);
CREATE INDEX alert_popups_by_first_shown ON alert_popups (first_shown_at);

-- How alerting last saw each incident: the "before" of the next change. Seeded from the cache,
-- so a change brought by the first sync after this upgrade has a "before" to compare with.
CREATE TABLE alert_seen (
    incident_id      TEXT PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    status           TEXT NOT NULL,
    urgency          TEXT NOT NULL,
    escalation_level INTEGER NOT NULL,
    reopen_count     INTEGER NOT NULL
);
INSERT INTO alert_seen (incident_id, status, urgency, escalation_level, reopen_count)
SELECT i.id, i.status, i.urgency,
       (SELECT count(*) FROM timeline_events e
        WHERE e.incident_id = i.id AND e.kind = 'escalated'
          AND e.at >= coalesce((SELECT max(t.at) FROM timeline_events t
                                WHERE t.incident_id = i.id AND t.kind = 'triggered'),
                               i.created_at)),
       i.reopen_count
FROM incidents i;

-- When alerting first saw each source's current run of failed syncs; the source's own columns
-- keep only the latest failure.
CREATE TABLE alert_source_failures (
    source_id     TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    failing_since INTEGER NOT NULL
);

-- Rules a new user starts with; each can be changed, switched off or deleted.
INSERT INTO alert_rules (id, position, name, kind, minutes, filter, breaks_through_quiet,
                         created_at) VALUES
    ('01980000-0000-7000-8000-000000000001', 1, 'New high-urgency incident', 'new_incident',
     NULL, '{"urgencies":["high"]}', 0, 0),
    ('01980000-0000-7000-8000-000000000002', 2, 'Escalated', 'escalation', NULL, '{}', 0, 0),
    ('01980000-0000-7000-8000-000000000003', 3, 'Reopened', 'reopened', NULL, '{}', 0, 0),
    ('01980000-0000-7000-8000-000000000004', 4, 'High urgency, unacknowledged for 15 minutes',
     'unacknowledged', 15, '{"urgencies":["high"]}', 0, 0),
    ('01980000-0000-7000-8000-000000000005', 5, 'Sync failing for 30 minutes', 'sync_failing',
     30, '{}', 0, 0);
"#;

const V4: &str = r#"
-- FMEA (issue 6). One row per FMEA; its header (name, kind, planning and administrative fields)
-- is one JSON object, edited and audited field by field by the engine.
CREATE TABLE fmeas (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    header     TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Every part of an FMEA (structure element, function, failure mode, failure chain, action) is a
-- row whose fields are one JSON object, the same shape as in a bundle. The worksheet edits one
-- field at a time and bundles merge field by field, so the parts are handled by one generic
-- path, and a field added later needs no migration. The owner (an element's parent, a
-- function's element, a mode's function, a chain's mode, an action's chain) is a column with a
-- foreign key so a part never outlives what it hangs from. Ids are UUIDv7, so id order is
-- creation order, which is the worksheet's order.
CREATE TABLE fmea_parts (
    id       TEXT PRIMARY KEY,
    fmea_id  TEXT NOT NULL REFERENCES fmeas(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    owner_id TEXT REFERENCES fmea_parts(id) ON DELETE CASCADE,
    body     TEXT NOT NULL
);
CREATE INDEX fmea_parts_by_fmea ON fmea_parts (fmea_id, id);
CREATE INDEX fmea_parts_by_owner ON fmea_parts (owner_id);

-- Frozen revisions: a whole FMEA as JSON, never changed afterwards. A 'baseline' is one the
-- user froze; a 'bundle_base' is the version a bundle was imported from, kept so that the
-- bundle this copy exports later merges back three-way against the right base.
CREATE TABLE fmea_revisions (
    id         TEXT PRIMARY KEY,
    fmea_id    TEXT NOT NULL REFERENCES fmeas(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    label      TEXT NOT NULL,
    snapshot   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    who        TEXT NOT NULL
);
CREATE INDEX fmea_revisions_by_fmea ON fmea_revisions (fmea_id, created_at);

-- Incidents linked to a failure mode: the evidence for its occurrence rating. A link goes with
-- either end.
CREATE TABLE fmea_incident_links (
    failure_mode_id TEXT NOT NULL REFERENCES fmea_parts(id) ON DELETE CASCADE,
    incident_id     TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    linked_at       INTEGER NOT NULL,
    who             TEXT NOT NULL,
    PRIMARY KEY (failure_mode_id, incident_id)
);
CREATE INDEX fmea_incident_links_by_incident ON fmea_incident_links (incident_id);
"#;

const V5: &str = r#"
-- Postmortems (issue 8). The facts read from the incidents at creation (dates, services,
-- responders, impact window, durations) are one JSON object, kept as they were so a later sync
-- does not change a document under review. Sections, timeline entries and action items are rows
-- so every save touches one of them in its own audited transaction.
CREATE TABLE postmortems (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    status     TEXT NOT NULL,
    template   TEXT NOT NULL,
    reviewers  TEXT NOT NULL DEFAULT '[]',
    facts      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The incidents a postmortem reviews. No foreign key to incidents: removing a source must not
-- take the written review of its incidents with it.
CREATE TABLE postmortem_incidents (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    incident_id   TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, incident_id)
);
CREATE INDEX postmortem_incidents_by_incident ON postmortem_incidents (incident_id);

CREATE TABLE postmortem_sections (
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    prompt        TEXT NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, key)
);

-- The review's own copy of the timeline: synced events at creation plus what people add.
CREATE TABLE postmortem_timeline (
    id            TEXT PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    incident_id   TEXT,
    kind          TEXT NOT NULL,
    actor         TEXT,
    summary       TEXT NOT NULL,
    annotation    TEXT,
    key_moment    TEXT
);
CREATE INDEX postmortem_timeline_by_postmortem ON postmortem_timeline (postmortem_id, at);

-- Action items. The FMEA action is linked by id only (checked when linked); if the FMEA action
-- is removed later the link is kept as written, for the record.
CREATE TABLE postmortem_actions (
    id             TEXT PRIMARY KEY,
    postmortem_id  TEXT NOT NULL REFERENCES postmortems(id) ON DELETE CASCADE,
    description    TEXT NOT NULL,
    owner          TEXT,
    due            TEXT,
    priority       TEXT NOT NULL,
    status         TEXT NOT NULL,
    ticket_url     TEXT,
    fmea_action_id TEXT
);
CREATE INDEX postmortem_actions_by_postmortem ON postmortem_actions (postmortem_id, id);

-- Templates a team wrote itself, as Markdown; the built-in ones ship in assets/.
CREATE TABLE postmortem_templates (
    name       TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    who        TEXT NOT NULL
);

-- Full-text search over postmortems (one row each: title, sections, timeline notes, actions,
-- rewritten by the engine in every save's transaction) and incidents (kept in step by triggers,
-- so the connectors, which know nothing of search, need no change).
CREATE VIRTUAL TABLE postmortem_search USING fts5(
    postmortem_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE incident_search USING fts5(
    incident_id UNINDEXED, title, service, team, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO incident_search (rowid, incident_id, title, service, team)
    SELECT rowid, id, title, coalesce(service, ''), coalesce(team, '') FROM incidents;
CREATE TRIGGER incident_search_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO incident_search (rowid, incident_id, title, service, team)
    VALUES (new.rowid, new.id, new.title, coalesce(new.service, ''), coalesce(new.team, ''));
END;
CREATE TRIGGER incident_search_update AFTER UPDATE OF title, service, team ON incidents BEGIN
    DELETE FROM incident_search WHERE rowid = old.rowid;
    INSERT INTO incident_search (rowid, incident_id, title, service, team)
    VALUES (new.rowid, new.id, new.title, coalesce(new.service, ''), coalesce(new.team, ''));
END;
CREATE TRIGGER incident_search_delete AFTER DELETE ON incidents BEGIN
    DELETE FROM incident_search WHERE rowid = old.rowid;
END;
"#;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        // Alert rules, the inbox and what alerting remembers between evaluations (issue 5).
        M::up(V3),
        // FMEA documents, their parts, frozen revisions and incident links (issue 6).
        M::up(V4),
        // Postmortems, their templates, and full-text search over them and incidents (issue 8).
        M::up(V5),
    ])
}

/// Brings the schema up to the current version.
///
/// The app and `vigil` may open a new file at the same moment, and both then start migrating
/// from version 0: the one that loses the race for SQLite's write lock fails ("table already
/// exists", or "busy" from a stale snapshot). It then reads the version again: the winner has
/// usually finished, and otherwise it tries again a little later. A migration that fails on its
/// own fails every attempt and is reported.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    const ATTEMPTS: u64 = 8;
    let mut attempt = 1;
    loop {
        let outcome = migrations().to_latest(conn);
        let Err(e) = outcome else { return Ok(()) };
        if current_version(conn) == Some(SCHEMA_VERSION) {
            return Ok(());
        }
        if attempt == ATTEMPTS {
            return Err(e.into());
        }
        std::thread::sleep(std::time::Duration::from_millis(25 * attempt));
        attempt += 1;
    }
}

/// The schema version written in the file, if it can be read.
fn current_version(conn: &Connection) -> Option<usize> {
    conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
        .ok()
        .and_then(|v| usize::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        migrate(&mut conn).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version as usize, SCHEMA_VERSION);
    }

    #[test]
    fn a_database_of_the_first_version_migrates_and_keeps_its_incidents() {
        let mut conn = Connection::open_in_memory().unwrap();
        Migrations::new(vec![M::up(V1)])
            .to_latest(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO sources (id, kind, name, created_at) VALUES ('s', 'pagerduty', 'PD', 0);
             INSERT INTO incidents (id, source_id, external_id, title, urgency, status,
                 created_at, updated_at)
             VALUES ('i', 's', 'P1', 'Disk full', 'high', 'triggered', 10, 10);",
        )
        .unwrap();

        migrate(&mut conn).unwrap();

        let (title, impact): (String, Option<i64>) = conn
            .query_row(
                "SELECT title, impact_started_at FROM incidents WHERE id = 'i'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((title.as_str(), impact), ("Disk full", None));
    }

    #[test]
    fn a_database_of_the_second_version_migrates_and_alerting_remembers_its_incidents() {
        let mut conn = Connection::open_in_memory().unwrap();
        Migrations::new(vec![M::up(V1), M::up(V2)])
            .to_latest(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO sources (id, kind, name, created_at) VALUES ('s', 'pagerduty', 'PD', 0);
             INSERT INTO incidents (id, source_id, external_id, title, urgency, status,
                 created_at, updated_at, reopen_count)
             VALUES ('i', 's', 'P1', 'Disk full', 'high', 'triggered', 10, 10, 1);
             INSERT INTO timeline_events (id, incident_id, at, kind, summary) VALUES
                 ('e1', 'i', 10, 'triggered', ''), ('e2', 'i', 20, 'escalated', ''),
                 ('e3', 'i', 30, 'resolved', ''), ('e4', 'i', 40, 'triggered', ''),
                 ('e5', 'i', 50, 'escalated', ''), ('e6', 'i', 60, 'escalated', '');",
        )
        .unwrap();

        migrate(&mut conn).unwrap();

        // Two escalations since the reopen at 40; the one before it belongs to the first stretch.
        let seen: (String, i64, i64) = conn
            .query_row(
                "SELECT status, escalation_level, reopen_count FROM alert_seen
                 WHERE incident_id = 'i'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(seen, ("triggered".to_owned(), 2, 1));
        let rules: i64 = conn
            .query_row("SELECT count(*) FROM alert_rules", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rules, 5);
    }

    #[test]
    fn a_database_of_the_third_version_migrates_and_links_its_incidents_to_failure_modes() {
        let mut conn = Connection::open_in_memory().unwrap();
        Migrations::new(vec![M::up(V1), M::up(V2), M::up(V3)])
            .to_latest(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO sources (id, kind, name, created_at) VALUES ('s', 'pagerduty', 'PD', 0);
             INSERT INTO incidents (id, source_id, external_id, title, urgency, status,
                 created_at, updated_at)
             VALUES ('i', 's', 'P1', 'Disk full', 'high', 'triggered', 10, 10);",
        )
        .unwrap();

        migrate(&mut conn).unwrap();

        conn.execute_batch(
            "INSERT INTO fmeas (id, name, kind, header, created_at, updated_at)
             VALUES ('f', 'Checkout', 'process', '{}', 0, 0);
             INSERT INTO fmea_parts (id, fmea_id, kind, owner_id, body)
             VALUES ('m', 'f', 'fmea_failure_mode', NULL, '{}');
             INSERT INTO fmea_incident_links (failure_mode_id, incident_id, linked_at, who)
             VALUES ('m', 'i', 0, 'ana');
             DELETE FROM incidents WHERE id = 'i';",
        )
        .unwrap();
        let links: i64 = conn
            .query_row("SELECT count(*) FROM fmea_incident_links", [], |r| r.get(0))
            .unwrap();
        assert_eq!(links, 0, "a link goes with its incident");
    }
}
