//! The plan of an Opsgenie sync and the cursor that carries it across runs.
//!
//! Opsgenie pages with `offset` and `limit` and refuses `offset + limit` past 20,000, so every
//! list is read in `createdAt` windows (`createdAt >= a AND createdAt < b`) small enough to page
//! through; a window that holds more is halved. A run walks four phases: alerts created in the
//! range, incidents created in the range, then, on a later sync, the older alerts changed since
//! the last one (the alert list sorts by `updatedAt`, so that walk stops at the first alert
//! unchanged since then) and the older incidents still open in the cache, re-read one by one.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The longest window one request asks for.
pub fn max_window() -> Duration {
    Duration::days(30)
}

/// How far back the first sync of a source reaches.
pub fn initial_lookback() -> Duration {
    Duration::days(180)
}

/// How far a later sync reaches back before the end of the last one, so a record written at the
/// edge (or late) is not missed. Fetching it twice changes nothing.
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
    /// The cursor to store after a page: the plan's state, or, once the plan is done, the
    /// instant everything is synced up to.
    pub fn after(plan: &RunPlan, synced_until_before: Option<DateTime<Utc>>) -> Cursor {
        if plan.phase == Phase::Done {
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

/// What the run reads now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// `GET /v2/alerts` by creation window.
    Alerts,
    /// `GET /v1/incidents/` by creation window.
    Incidents,
    /// `GET /v2/alerts` created before the range, most recently updated first.
    ChangedAlerts,
    /// `GET /v1/incidents/{id}` for the cache's open incidents created before the range.
    OpenIncidents,
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
    /// On a later sync, the instant from which changes to older records are re-read.
    pub changed_since: Option<DateTime<Utc>>,
    /// What is read now.
    pub phase: Phase,
    /// The current window's start.
    pub window_since: DateTime<Utc>,
    /// The current window's end: explicit in every request.
    pub window_until: DateTime<Utc>,
    /// The offset of the next page.
    pub offset: u32,
    /// The account's plan has no incident API (HTTP 402 or 403): its phases are skipped.
    #[serde(default)]
    pub incidents_unavailable: bool,
}

impl RunPlan {
    /// A plan for records created in `[since, until)`, and changed since `changed_since`.
    pub fn start(
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        changed_since: Option<DateTime<Utc>>,
    ) -> RunPlan {
        let since = since.min(until);
        let mut plan = RunPlan {
            since,
            until,
            changed_since,
            phase: Phase::Alerts,
            window_since: since,
            window_until: (since + max_window()).min(until),
            offset: 0,
            incidents_unavailable: false,
        };
        if since >= until {
            plan.enter(Phase::Incidents);
        }
        plan
    }

    /// Moves to the next page of the current window.
    pub fn next_page(&mut self, limit: u32) {
        self.offset += limit;
    }

    /// Marks the current window (or walk) stored and moves on.
    pub fn window_done(&mut self) {
        self.offset = 0;
        let windowed = matches!(self.phase, Phase::Alerts | Phase::Incidents);
        if windowed && self.window_until < self.until {
            self.window_since = self.window_until;
            self.window_until = (self.window_since + max_window()).min(self.until);
            return;
        }
        let next = match self.phase {
            Phase::Alerts => Phase::Incidents,
            Phase::Incidents => Phase::ChangedAlerts,
            Phase::ChangedAlerts => Phase::OpenIncidents,
            Phase::OpenIncidents | Phase::Done => Phase::Done,
        };
        self.enter(next);
    }

    /// Starts `phase`, skipping the ones that have nothing to do.
    fn enter(&mut self, phase: Phase) {
        self.phase = phase;
        self.offset = 0;
        self.window_since = self.since;
        self.window_until = (self.since + max_window()).min(self.until);
        let skip = match phase {
            Phase::Alerts => self.since >= self.until,
            Phase::Incidents => self.since >= self.until || self.incidents_unavailable,
            Phase::ChangedAlerts => self.changed_since.is_none(),
            Phase::OpenIncidents => self.changed_since.is_none() || self.incidents_unavailable,
            Phase::Done => false,
        };
        if skip {
            self.window_until = self.until;
            self.window_done();
        }
    }

    /// Halves the current window (it holds more than paging reaches) and starts it again;
    /// `false` when it is too short to halve (under two seconds) or not a window at all.
    pub fn split(&mut self) -> bool {
        let seconds = (self.window_until - self.window_since).num_seconds();
        if !matches!(self.phase, Phase::Alerts | Phase::Incidents) || seconds < 2 {
            return false;
        }
        self.window_until = self.window_since + Duration::seconds(seconds / 2);
        self.offset = 0;
        true
    }

    /// How far the run is, 0 to 1: each creation walk weighs 0.4, the later phases 0.1 each.
    pub fn fraction(&self) -> f64 {
        let span = (self.until - self.since).num_seconds() as f64;
        let walked = if span <= 0.0 {
            1.0
        } else {
            (self.window_since - self.since).num_seconds() as f64 / span
        };
        match self.phase {
            Phase::Alerts => 0.4 * walked,
            Phase::Incidents => 0.4 + 0.4 * walked,
            Phase::ChangedAlerts => 0.8,
            Phase::OpenIncidents => 0.9,
            Phase::Done => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(d: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(d)
    }

    fn walk(mut plan: RunPlan) -> Vec<(Phase, i64, i64)> {
        let mut seen = Vec::new();
        while plan.phase != Phase::Done {
            let w = |t: DateTime<Utc>| (t - day(0)).num_days();
            seen.push((plan.phase, w(plan.window_since), w(plan.window_until)));
            plan.window_done();
        }
        seen
    }

    #[test]
    fn a_first_sync_walks_alerts_then_incidents_in_windows_of_at_most_30_days() {
        use Phase::*;
        let seen = walk(RunPlan::start(day(0), day(40), None));
        assert_eq!(
            seen,
            vec![
                (Alerts, 0, 30),
                (Alerts, 30, 40),
                (Incidents, 0, 30),
                (Incidents, 30, 40)
            ]
        );
    }

    #[test]
    fn a_later_sync_also_reads_what_changed_and_what_is_still_open() {
        use Phase::*;
        let seen = walk(RunPlan::start(day(10), day(11), Some(day(10))));
        let phases: Vec<Phase> = seen.iter().map(|s| s.0).collect();
        assert_eq!(phases, [Alerts, Incidents, ChangedAlerts, OpenIncidents]);
    }

    #[test]
    fn an_account_without_incidents_skips_their_phases() {
        let mut plan = RunPlan::start(day(10), day(11), Some(day(10)));
        plan.incidents_unavailable = true;
        let phases: Vec<Phase> = walk(plan).iter().map(|s| s.0).collect();
        assert_eq!(phases, [Phase::Alerts, Phase::ChangedAlerts]);
    }

    #[test]
    fn a_split_window_is_walked_in_halves() {
        let mut plan = RunPlan::start(day(0), day(20), None);
        assert!(plan.split());
        assert_eq!(plan.window_until, day(10));
        plan.window_done();
        assert_eq!((plan.window_since, plan.window_until), (day(10), day(20)));
    }

    #[test]
    fn a_cursor_survives_a_round_trip() {
        let mut plan = RunPlan::start(day(0), day(40), Some(day(-1)));
        plan.next_page(100);
        let cursor = Cursor {
            synced_until: Some(day(-1)),
            run: Some(plan),
        };
        let text = crate::connectors::api::cursor_json(&cursor);
        assert_eq!(
            crate::connectors::api::parse_cursor::<Cursor>("t", Some(&text)),
            cursor
        );
    }
}
