//! What the KPIs read, loaded from SQLite: one [`IncidentFacts`] per incident created in a window,
//! with the responders its timeline names.
//!
//! The arithmetic is vigil-core's ([`vigil_core::metrics`]); this module only answers "which
//! incidents, with which instants", in two indexed queries (incidents by `created_at`, then their
//! notify and acknowledge entries through `timeline_by_incident`), so a Metrics page over twelve
//! weeks reads only those weeks however large the cache is.

use std::collections::HashMap;

use chrono_tz::Tz;
use rusqlite::params;
use vigil_core::metrics::{
    IncidentFacts, Interruption, InterruptionKind, MetricsReport, MetricsRequest, Responder, Window,
};
use vigil_core::{IncidentId, Urgency};

use super::{time, Store};
use crate::error::{EngineError, Result};

impl Store {
    /// The Metrics page for `request`: loads the facts of its window and the one before, and
    /// lets vigil-core compute every number.
    pub fn metrics_report(&self, request: &MetricsRequest) -> Result<MetricsReport> {
        let facts = self.incident_facts(request.loaded_window(), request.zone)?;
        Ok(MetricsReport::build(&facts, request))
    }

    /// The facts of every incident created in `window`, merged ones included (the KPIs set them
    /// aside themselves, and count them). Responders are the actors of the timeline's notify
    /// and acknowledge entries.
    ///
    /// A responder's own zone is not known to any vendor Vigil reads yet, so each is placed in
    /// `responder_zone` (the zone the user reads the page in); a per-person zone in Settings
    /// would make "out of hours" exact for a team spread over several zones.
    pub fn incident_facts(&self, window: Window, responder_zone: Tz) -> Result<Vec<IncidentFacts>> {
        let (since, until) = (time::to_db(window.since), time::to_db(window.until));
        let mut facts = self.facts_without_responders(since, until)?;
        let mut by_id: HashMap<IncidentId, usize> = HashMap::with_capacity(facts.len());
        for (index, fact) in facts.iter().enumerate() {
            by_id.insert(fact.id, index);
        }

        let mut stmt = self.conn().prepare_cached(
            "SELECT e.incident_id, e.actor, e.kind, e.at FROM timeline_events e \
             JOIN incidents i ON i.id = e.incident_id \
             WHERE i.created_at >= ?1 AND i.created_at < ?2 \
               AND e.actor IS NOT NULL AND e.kind IN ('notified', 'acknowledged') \
             ORDER BY e.incident_id, e.at",
        )?;
        let mut rows = stmt.query(params![since, until])?;
        while let Some(row) = rows.next()? {
            let id = parse_id(&row.get::<_, String>(0)?)?;
            let Some(&index) = by_id.get(&id) else {
                continue;
            };
            let actor: String = row.get(1)?;
            let kind = match row.get::<_, String>(2)?.as_str() {
                "acknowledged" => InterruptionKind::Acknowledged,
                _ => InterruptionKind::Notified,
            };
            let at = time::from_db(row.get(3)?);
            let responders = &mut facts[index].responders;
            let responder = match responders.iter().position(|r| r.name == actor) {
                Some(found) => &mut responders[found],
                None => {
                    responders.push(Responder {
                        name: actor,
                        zone: responder_zone,
                        interruptions: Vec::new(),
                    });
                    let last = responders.len() - 1;
                    &mut responders[last]
                }
            };
            responder.interruptions.push(Interruption { at, kind });
        }
        Ok(facts)
    }

    fn facts_without_responders(&self, since: i64, until: i64) -> Result<Vec<IncidentFacts>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT i.id, s.name, i.service, i.team, i.urgency, i.created_at, \
                    i.first_acknowledged_at, i.impact_started_at, i.first_mitigated_at, \
                    i.resolved_at, i.merged_into IS NOT NULL, i.reopen_count \
             FROM incidents i JOIN sources s ON s.id = i.source_id \
             WHERE i.created_at >= ?1 AND i.created_at < ?2 \
             ORDER BY i.created_at, i.id",
        )?;
        let mut rows = stmt.query(params![since, until])?;
        let mut facts = Vec::new();
        while let Some(r) = rows.next()? {
            let urgency: String = r.get(4)?;
            facts.push(IncidentFacts {
                id: parse_id(&r.get::<_, String>(0)?)?,
                source: r.get(1)?,
                service: r.get(2)?,
                team: r.get(3)?,
                urgency: Urgency::parse(&urgency).ok_or_else(|| {
                    EngineError::Corrupt(format!("an incident has the unknown urgency {urgency}"))
                })?,
                created_at: time::from_db(r.get(5)?),
                first_acknowledged_at: time::opt_from_db(r.get(6)?),
                impact_started_at: time::opt_from_db(r.get(7)?),
                first_mitigated_at: time::opt_from_db(r.get(8)?),
                resolved_at: time::opt_from_db(r.get(9)?),
                merged: r.get(10)?,
                reopen_count: r.get(11)?,
                responders: Vec::new(),
            });
        }
        Ok(facts)
    }
}

fn parse_id(text: &str) -> Result<IncidentId> {
    text.parse()
        .map_err(|_| EngineError::Corrupt(format!("an incident has the malformed id {text}")))
}
