//! The plan of a Grafana OnCall sync and the cursor that carries it across runs.
//!
//! OnCall's alert group list is ordered newest first, filters on the creation instant
//! (`started_at=START/END`, both ends included, to the second, in UTC) and pages by number
//! (`page=N`, 50 a page, with a `next` link). It has no filter on changes. So a sync walks the
//! groups created in a fixed range, from the end of the last sync (the first: 180 days back) to
//! its own start, so that groups created while it pages do not shift the pages under it; then,
//! on a later sync, it re-reads one by one the groups the cache holds open that were created
//! before that range: that is where the acknowledgement or resolution of a known group shows.
//!
//! What this does not see: a change to a group the cache holds as resolved (OnCall's
//! "unresolve", or attaching a resolved group to another). Seeing it would take re-reading the
//! resolved groups too, or a change filter that OnCall's public API does not have.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How far back the first sync of a source reaches.
pub fn initial_lookback() -> Duration {
    Duration::days(180)
}

/// How far a later sync reaches back before the end of the last one, so a group written at the
/// edge (or late) is not missed. Fetching it twice changes nothing.
pub fn overlap() -> Duration {
    Duration::minutes(5)
}

/// What the source remembers between syncs, as JSON in `sources.sync_cursor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// Every group created up to this instant is stored: the `until` of the last run that
    /// finished.
    #[serde(default)]
    pub synced_until: Option<DateTime<Utc>>,
    /// The run in progress, when one was stopped before it finished.
    #[serde(default)]
    pub run: Option<RunPlan>,
}

impl Cursor {
    /// The cursor to store after a page: the plan's state, or, once it is done, the instant
    /// everything is synced up to. A range that was asked for (`--since`) on a source synced
    /// before leaves that instant alone, since the groups between the two may not have been
    /// read.
    pub fn after(plan: &RunPlan, synced_until_before: Option<DateTime<Utc>>) -> Cursor {
        if plan.phase != Phase::Done {
            return Cursor {
                synced_until: synced_until_before,
                run: Some(plan.clone()),
            };
        }
        Cursor {
            synced_until: if plan.advances {
                Some(plan.until)
            } else {
                synced_until_before
            },
            run: None,
        }
    }
}

/// What the run reads now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The list of groups created in the range, page after page.
    Recent,
    /// `GET /api/v1/alert_groups/{id}/` for the cache's open groups created before the range.
    Open,
    /// Nothing left.
    Done,
}

/// One run's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPlan {
    /// The start of the creation range.
    pub since: DateTime<Utc>,
    /// Its end: "now" when the run started, fixed so a resumed run ends the same.
    pub until: DateTime<Utc>,
    /// What is read now.
    pub phase: Phase,
    /// The query of the next page's link; `None` for the first page.
    pub next_query: Option<String>,
    /// Whether the open groups created before the range are re-read (every sync but the first).
    pub revisit_open: bool,
    /// Whether finishing moves the instant the source is synced up to.
    pub advances: bool,
    /// Groups read in the range so far, for progress.
    pub fetched: u64,
}

impl RunPlan {
    /// The plan of a sync at `now`: groups created from `since_asked`, else from the end of the
    /// last sync, else over the last 180 days.
    pub fn start(
        since_asked: Option<DateTime<Utc>>,
        synced_until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> RunPlan {
        let since = since_asked
            .or(synced_until.map(|t| t - overlap()))
            .unwrap_or(now - initial_lookback());
        RunPlan {
            since: since.min(now),
            until: now,
            phase: Phase::Recent,
            next_query: None,
            revisit_open: synced_until.is_some(),
            advances: since_asked.is_none() || synced_until.is_none(),
            fetched: 0,
        }
    }

    /// The `started_at` filter of the range.
    pub fn started_at(&self) -> String {
        let format = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S").to_string();
        format!("{}/{}", format(self.since), format(self.until))
    }

    /// Moves past a stored page of the range: to the page `next_query` names, or on.
    pub fn page_done(&mut self, next_query: Option<String>) {
        if next_query.is_some() {
            self.next_query = next_query;
            return;
        }
        self.next_query = None;
        self.phase = if self.revisit_open {
            Phase::Open
        } else {
            Phase::Done
        };
    }

    /// Marks the open groups re-read.
    pub fn open_done(&mut self) {
        self.phase = Phase::Done;
    }

    /// How far the run is, 0 to 1: the range weighs 0.9 (by the groups the server counts), the
    /// re-read of open groups the rest.
    pub fn fraction(&self, count: Option<u64>) -> f64 {
        match (self.phase, count) {
            (Phase::Recent, Some(n)) if n > 0 => 0.9 * (self.fetched as f64 / n as f64).min(1.0),
            (Phase::Recent, _) => 0.0,
            (Phase::Open, _) => 0.9,
            (Phase::Done, _) => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, 8, 30, 15).unwrap()
    }

    #[test]
    fn a_first_sync_reads_its_range_only_and_a_later_one_also_the_open_groups() {
        let mut first = RunPlan::start(None, None, at(30));
        assert_eq!(first.since, at(30) - initial_lookback());
        first.page_done(Some("page=2".into()));
        assert_eq!(
            (first.phase, first.next_query.as_deref()),
            (Phase::Recent, Some("page=2"))
        );
        first.page_done(None);
        assert_eq!(first.phase, Phase::Done);

        let mut later = RunPlan::start(None, Some(at(29)), at(30));
        assert_eq!(later.since, at(29) - overlap());
        later.page_done(None);
        assert_eq!(later.phase, Phase::Open);
        later.open_done();
        assert_eq!(
            Cursor::after(&later, Some(at(29))).synced_until,
            Some(at(30))
        );
    }

    #[test]
    fn the_range_filter_is_two_utc_instants_to_the_second() {
        let plan = RunPlan::start(Some(at(1)), None, at(2));
        assert_eq!(plan.started_at(), "2026-03-01T08:30:15/2026-03-02T08:30:15");
    }

    #[test]
    fn an_asked_for_range_on_a_synced_source_keeps_its_synced_instant() {
        let mut plan = RunPlan::start(Some(at(1)), Some(at(20)), at(30));
        plan.page_done(None);
        plan.open_done();
        assert_eq!(
            Cursor::after(&plan, Some(at(20))).synced_until,
            Some(at(20))
        );
    }

    #[test]
    fn a_cursor_survives_a_round_trip() {
        let mut plan = RunPlan::start(None, Some(at(1)), at(2));
        plan.page_done(Some("page=3&started_at=x".into()));
        let cursor = Cursor::after(&plan, Some(at(1)));
        let text = crate::connectors::api::cursor_json(&cursor);
        assert_eq!(
            crate::connectors::api::parse_cursor::<Cursor>("t", Some(&text)),
            cursor
        );
    }
}
