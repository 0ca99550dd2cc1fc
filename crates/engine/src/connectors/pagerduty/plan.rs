//! The plan of a PagerDuty sync and the cursor that carries it across runs.
//!
//! A run covers `[since, until)` with two frontiers: incidents created before `incidents_until`
//! are stored, and log entries written before `log_entries_until` are stored. Log entries never
//! overtake incidents (`log_entries_until <= incidents_until`), so when an entry arrives its
//! incident is already in the cache: an entry is never older than its incident. The run moves
//! in windows of at most 30 days: incidents of a window, then the log entries up to the same
//! instant, then the next window. A window that holds more than the vendor lets one page through
//! (`offset + limit` past the cap) is halved and the halves are fetched in turn.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tracing::warn;

/// The longest window one request asks for.
pub fn max_window() -> Duration {
    Duration::days(30)
}

/// How far back the first sync of a source reaches.
pub fn initial_lookback() -> Duration {
    Duration::days(180)
}

/// How far a later sync reaches back before the end of the last one, so an entry written at the
/// edge (or late, by a slow vendor) is not missed. Fetching it twice changes nothing.
pub fn overlap() -> Duration {
    Duration::minutes(5)
}

/// What the source remembers between syncs, as JSON in `sources.sync_cursor`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// Everything up to this instant is stored: the `until` of the last run that finished.
    #[serde(default)]
    pub synced_until: Option<DateTime<Utc>>,
    /// The run in progress, when one was stopped before it finished.
    #[serde(default)]
    pub run: Option<RunPlan>,
}

impl Cursor {
    /// Reads a stored cursor; one that cannot be read (another version's, or damaged) counts as
    /// none, so the next sync starts over, which is safe because every write is idempotent.
    pub fn parse(text: Option<&str>) -> Cursor {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            return Cursor::default();
        };
        serde_json::from_str(text).unwrap_or_else(|e| {
            warn!(error = %e, "the stored PagerDuty cursor is unreadable; syncing from the start");
            Cursor::default()
        })
    }

    /// The cursor as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// The cursor to store after a page: the plan's state, or, once the plan is done, the
    /// instant everything is synced up to.
    pub fn after(plan: &RunPlan, synced_until_before: Option<DateTime<Utc>>) -> Cursor {
        if plan.is_done() {
            Cursor {
                synced_until: Some(plan.until),
                run: None,
            }
        } else {
            Cursor {
                synced_until: synced_until_before,
                run: Some(plan.clone()),
            }
        }
    }
}

/// Which endpoint the current window is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// `GET /incidents`.
    Incidents,
    /// `GET /log_entries`.
    LogEntries,
}

/// One run's progress through its time range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunPlan {
    /// The start of the range.
    pub since: DateTime<Utc>,
    /// The end of the range: "now" when the run started, fixed so a resumed run ends the same.
    pub until: DateTime<Utc>,
    /// Incidents created before this are stored.
    pub incidents_until: DateTime<Utc>,
    /// Log entries written before this are stored.
    pub log_entries_until: DateTime<Utc>,
    /// The endpoint of the current window.
    pub phase: Phase,
    /// The current window's start (one of the frontiers).
    pub window_since: DateTime<Utc>,
    /// The current window's end: explicit in every request.
    pub window_until: DateTime<Utc>,
    /// The offset of the next page in the current window.
    pub offset: u32,
    /// Whether to re-read an incident whose resolution arrives in this run although its record
    /// was not fetched in it. A later sync needs this: a merge is only on the incident record
    /// (`resolve_reason`), and an old incident's record is not in the new range.
    pub refresh_resolved: bool,
}

impl RunPlan {
    /// A plan for `[since, until)`, starting with the first incidents window.
    pub fn start(since: DateTime<Utc>, until: DateTime<Utc>, refresh_resolved: bool) -> RunPlan {
        let since = since.min(until);
        RunPlan {
            since,
            until,
            incidents_until: since,
            log_entries_until: since,
            phase: Phase::Incidents,
            window_since: since,
            window_until: (since + max_window()).min(until),
            offset: 0,
            refresh_resolved,
        }
    }

    /// Whether the whole range is stored.
    pub fn is_done(&self) -> bool {
        self.incidents_until >= self.until && self.log_entries_until >= self.until
    }

    /// Moves to the next page of the current window.
    pub fn next_page(&mut self, limit: u32) {
        self.offset += limit;
    }

    /// Marks the current window stored and moves to the next one: log entries up to the
    /// incidents frontier first, then the next incidents window.
    pub fn window_done(&mut self) {
        self.offset = 0;
        match self.phase {
            Phase::Incidents => self.incidents_until = self.window_until,
            Phase::LogEntries => self.log_entries_until = self.window_until,
        }
        if self.log_entries_until < self.incidents_until {
            self.phase = Phase::LogEntries;
            self.window_since = self.log_entries_until;
            self.window_until = (self.window_since + max_window()).min(self.incidents_until);
        } else if self.incidents_until < self.until {
            self.phase = Phase::Incidents;
            self.window_since = self.incidents_until;
            self.window_until = (self.window_since + max_window()).min(self.until);
        } else {
            self.window_since = self.until;
            self.window_until = self.until;
        }
    }

    /// Halves the current window (it holds more than one window may page through) and starts
    /// it again; `false` when it is too short to halve (under two seconds).
    pub fn split(&mut self) -> bool {
        let seconds = (self.window_until - self.window_since).num_seconds();
        if seconds < 2 {
            return false;
        }
        self.window_until = self.window_since + Duration::seconds(seconds / 2);
        self.offset = 0;
        true
    }

    /// How much of the range is stored, 0 to 1 (incidents and log entries weigh the same).
    pub fn fraction(&self) -> f64 {
        let span = (self.until - self.since).num_seconds() as f64;
        if span <= 0.0 {
            return 1.0;
        }
        let done = (self.incidents_until - self.since).num_seconds()
            + (self.log_entries_until - self.since).num_seconds();
        done as f64 / (2.0 * span)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(d: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(d)
    }

    /// Walks a plan with no data to the end, recording the windows it asks for.
    fn windows(mut plan: RunPlan) -> Vec<(Phase, i64, i64)> {
        let mut seen = Vec::new();
        while !plan.is_done() {
            let w = |t: DateTime<Utc>| (t - day(0)).num_days();
            seen.push((plan.phase, w(plan.window_since), w(plan.window_until)));
            plan.window_done();
        }
        seen
    }

    #[test]
    fn a_range_is_walked_in_windows_of_at_most_30_days_incidents_first() {
        use Phase::*;
        let seen = windows(RunPlan::start(day(0), day(70), false));
        assert_eq!(
            seen,
            vec![
                (Incidents, 0, 30),
                (LogEntries, 0, 30),
                (Incidents, 30, 60),
                (LogEntries, 30, 60),
                (Incidents, 60, 70),
                (LogEntries, 60, 70),
            ]
        );
    }

    #[test]
    fn a_split_log_window_catches_up_before_the_next_incidents_window() {
        use Phase::*;
        let mut plan = RunPlan::start(day(0), day(40), false);
        plan.window_done(); // incidents 0..30
        assert!(plan.split()); // log entries 0..15
        let seen = windows(plan);
        assert_eq!(
            seen,
            vec![
                (LogEntries, 0, 15),
                (LogEntries, 15, 30),
                (Incidents, 30, 40),
                (LogEntries, 30, 40)
            ]
        );
    }

    #[test]
    fn an_empty_range_is_done_at_once() {
        assert!(RunPlan::start(day(3), day(3), false).is_done());
    }

    #[test]
    fn a_cursor_survives_a_round_trip_and_garbage_reads_as_none() {
        let mut plan = RunPlan::start(day(0), day(40), true);
        plan.next_page(100);
        let cursor = Cursor {
            synced_until: Some(day(-1)),
            run: Some(plan),
        };
        assert_eq!(Cursor::parse(Some(&cursor.to_json())), cursor);
        assert_eq!(Cursor::parse(Some("{not json")), Cursor::default());
    }
}
